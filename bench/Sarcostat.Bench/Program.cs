using System.Globalization;

namespace Sarcostat.Bench;

/// <summary>
/// Benchmark harness: <c>dotnet run -c Release --project bench/Sarcostat.Bench -- SUBCOMMAND [options]</c>.
/// One file per benchmark; each exposes <c>static int Run(string[] args)</c> and is listed in <see cref="Commands"/>.
/// No BenchmarkDotNet: a warm-up, then the median of several Stopwatch runs (see <see cref="Timing"/>).
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Commands = new(StringComparer.Ordinal)
    {
        ["km-logrank"] = ("Kaplan-Meier + log-rank on synthetic data: km-logrank [--n 10000000] [--runs 5] [--rho 0]", KmLogRankBench.Run),
        ["gen"] = ("Registry-like CSV for bench/run.sh: gen --n 1000000 --out FILE [--seed 20261203]", RegistryData.Run),
        ["engine"] = ("Computation alone on a gen file: engine --file F --job cox|coxzph|coxfit|km|logrank [--repeat 5]", EngineBench.Run),
        ["csv"] = ("MB/s of the strict CSV reader: csv --file F [--repeat 5]", CsvReadBench.Run),
        ["cox"] = ("Cox fit: cox [--n 1000000] [--p 12] [--ties efron|breslow] [--times days|continuous] [--strata 1] [--repeat 5]", CoxBench.Run),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Sarcostat.Bench -- SUBCOMMAND [options]");
            foreach (var (name, (help, _)) in Commands)
            {
                Console.Error.WriteLine($"  {name,-12} {help}");
            }

            return args.Length == 0 ? 0 : 2;
        }

        return command.Run(args[1..]);
    }
}

/// <summary>Command-line options of the form <c>--name value</c>.</summary>
internal static class Options
{
    public static int Int(string[] args, string name, int fallback) =>
        Find(args, name) is { } v ? (int)double.Parse(v, CultureInfo.InvariantCulture) : fallback; // accepts 1e7

    public static double Double(string[] args, string name, double fallback) =>
        Find(args, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? Find(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
