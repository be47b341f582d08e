using System.Diagnostics;
using System.Globalization;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Bench;

/// <summary>
/// The computation alone on a file of <see cref="RegistryData"/>, data already in memory (bench/run.sh's "engine"
/// columns): <c>engine --file F --job cox|coxzph|km|logrank|coxfit [--repeat 5]</c>. Prints one line per step:
/// <c>engine JOB STEP median_wall_ms median_cpu_ms</c>, after one warm-up run.
/// </summary>
/// <remarks>
/// cox: <see cref="CoxRegression.Fit"/> on the 10 covariates (12 terms); coxzph: the same, then <c>fit.Zph()</c>
/// and <c>fit.Concordance()</c> (<see cref="CoxFitChecks"/>: on the fit's own design, as the CLI calls them);
/// coxfit: <see cref="CoxRegression.FitMatrix"/> on the design already built (R: coxph.fit); km: Kaplan-Meier by group;
/// logrank: log-rank test by group.
/// </remarks>
public static class EngineBench
{
    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--file");
        int jat = Array.IndexOf(args, "--job");
        if (at < 0 || jat < 0 || at + 1 >= args.Length || jat + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: engine --file F --job cox|coxzph|coxfit|km|logrank [--repeat 5]");
            return 2;
        }

        string file = args[at + 1], job = args[jat + 1];
        int repeat = Options.Int(args, "--repeat", 5);
        var data = Load(file);
        var steps = new Dictionary<string, (List<double> Wall, List<double> Cpu)>(StringComparer.Ordinal);
        var process = Process.GetCurrentProcess();
        for (int r = 0; r <= repeat; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            void Step(string name, Action action)
            {
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                long t0 = Stopwatch.GetTimestamp();
                action();
                double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                process.Refresh();
                double cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
                if (r > 0)
                {
                    if (!steps.TryGetValue(name, out var lists))
                    {
                        steps[name] = lists = ([], []);
                    }

                    lists.Wall.Add(wall);
                    lists.Cpu.Add(cpu);
                }
            }

            switch (job)
            {
                case "cox":
                    Step("fit", () => CoxRegression.Fit(data.Time, data.Status, data.Covariates));
                    break;
                case "coxzph":
                    CoxFit? fit = null;
                    Step("fit", () => fit = CoxRegression.Fit(data.Time, data.Status, data.Covariates));
                    Step("zph", () => fit!.Zph());
                    Step("concordance", () => fit!.Concordance());
                    break;
                case "coxfit":
                    Step("fit", () => CoxRegression.FitMatrix(data.Time, data.Status, data.X, data.P, data.TermNames));
                    break;
                case "km":
                    Step("km", () => KaplanMeier.FitByGroup(data.Time, data.Status, data.Group));
                    break;
                case "logrank":
                    Step("logrank", () => LogRank.Test(data.Time, data.Status, data.Group));
                    break;
                default:
                    Console.Error.WriteLine($"unknown job {job}");
                    return 2;
            }
        }

        foreach (var (name, (wall, cpu)) in steps)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine {job} {name} {Median(wall):F1} {Median(cpu):F1}"));
        }

        return 0;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private sealed record Data(double[] Time, bool[] Status, Factor Group, List<Covariate> Covariates, double[] X, int P, string[] TermNames);

    /// <summary>Reads a file of <see cref="RegistryData"/> (well-formed by construction: a plain split).</summary>
    private static Data Load(string file)
    {
        var time = new List<double>();
        var status = new List<bool>();
        var group = new List<int>();
        var f1 = new List<int>();
        var f2 = new List<int>();
        var num = Enumerable.Range(0, 8).Select(_ => new List<double>()).ToArray();
        string[] f1Levels = ["g1", "g2", "g3"], f2Levels = ["bone", "lung", "soft"], groups = ["A", "B", "C"];
        using var reader = new StreamReader(file);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var c = line.Split(',');
            time.Add(double.Parse(c[1], CultureInfo.InvariantCulture));
            status.Add(c[2] == "1");
            group.Add(Array.IndexOf(groups, c[3]));
            for (int j = 0; j < 4; j++)
            {
                num[j].Add(double.Parse(c[5 + j], CultureInfo.InvariantCulture));
                num[4 + j].Add(double.Parse(c[11 + j], CultureInfo.InvariantCulture));
            }

            f1.Add(Array.IndexOf(f1Levels, c[9]));
            f2.Add(Array.IndexOf(f2Levels, c[10]));
        }

        var covs = new List<Covariate>();
        for (int j = 0; j < 4; j++)
        {
            covs.Add(new NumericCovariate($"b{j + 1}", num[j].ToArray()));
        }

        covs.Add(new CategoricalCovariate(Factor.FromCodes("f1", [.. f1], f1Levels)));
        covs.Add(new CategoricalCovariate(Factor.FromCodes("f2", [.. f2], f2Levels)));
        for (int j = 0; j < 4; j++)
        {
            covs.Add(new NumericCovariate($"c{j + 1}", num[4 + j].ToArray()));
        }

        int n = time.Count, p = 12;
        var x = new double[n * p];
        var names = new List<string>();
        int col = 0;
        void Column(string name, Func<int, double> value)
        {
            for (int i = 0; i < n; i++)
            {
                x[(col * n) + i] = value(i);
            }

            names.Add(name);
            col++;
        }

        for (int j = 0; j < 4; j++)
        {
            var v = num[j];
            Column($"b{j + 1}", i => v[i]);
        }

        Column("f1g2", i => f1[i] == 1 ? 1 : 0);
        Column("f1g3", i => f1[i] == 2 ? 1 : 0);
        Column("f2lung", i => f2[i] == 1 ? 1 : 0);
        Column("f2soft", i => f2[i] == 2 ? 1 : 0);
        for (int j = 0; j < 4; j++)
        {
            var v = num[4 + j];
            Column($"c{j + 1}", i => v[i]);
        }

        return new Data([.. time], [.. status], Factor.FromCodes("group", [.. group], groups), covs, x, p, [.. names]);
    }
}
