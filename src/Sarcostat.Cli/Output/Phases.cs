using System.Diagnostics;
using System.Globalization;

namespace Sarcostat.Cli.Output;

/// <summary>
/// Wall time of the steps of an engine command, printed to standard error as <c>phase NAME MS</c> lines when the
/// environment variable <c>SARCOSTAT_PHASES</c> is set (then also the process CPU milliseconds: <c>phase NAME MS CPU</c>) (bench/run.sh reads them to report the computation alone);
/// silent and nearly free otherwise.
/// </summary>
internal static class Phases
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("SARCOSTAT_PHASES") is { Length: > 0 };
    private static long _last = Stopwatch.GetTimestamp();
    private static TimeSpan _lastCpu = Enabled ? Process.GetCurrentProcess().TotalProcessorTime : TimeSpan.Zero;

    /// <summary>Ends the current step: prints its name and the milliseconds since the previous mark.</summary>
    public static void Mark(string name)
    {
        if (!Enabled)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase {name} {Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds:F1} {(cpu - _lastCpu).TotalMilliseconds:F1}"));
        _lastCpu = cpu;
        _last = Stopwatch.GetTimestamp();
    }
}
