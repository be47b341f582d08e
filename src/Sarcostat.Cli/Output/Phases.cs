using System.Diagnostics;
using System.Globalization;

namespace Sarcostat.Cli.Output;

/// <summary>
/// Wall time of the steps of an engine command, printed to standard error as <c>phase NAME MS</c> lines when the
/// environment variable <c>SARCOSTAT_PHASES</c> is set (bench/run.sh reads them to report the computation alone);
/// silent and nearly free otherwise.
/// </summary>
internal static class Phases
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("SARCOSTAT_PHASES") is { Length: > 0 };
    private static long _last = Stopwatch.GetTimestamp();

    /// <summary>Ends the current step: prints its name and the milliseconds since the previous mark.</summary>
    public static void Mark(string name)
    {
        if (!Enabled)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase {name} {Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds:F1}"));
        _last = Stopwatch.GetTimestamp();
    }
}
