using System.Diagnostics;
using System.Globalization;

namespace Sarcostat.Bench;

/// <summary>
/// Stopwatch timing: warm-up runs, then the median (min, max) wall time of timed runs with a full GC before each, and
/// the median process CPU time (stable when other processes compete for the cores; the code under test is single-threaded).
/// </summary>
internal static class Timing
{
    public sealed record Result(string Case, string Step, int N, double MedianMs, double MinMs, double MaxMs, double CpuMs);

    public static Result Measure(string caseName, string step, int n, int warmups, int runs, Action action)
    {
        for (int w = 0; w < warmups; w++)
        {
            action();
        }

        var ms = new double[runs];
        var cpu = new double[runs];
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < runs; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            ms[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        }

        Array.Sort(ms);
        Array.Sort(cpu);
        return new Result(caseName, step, n, ms[runs / 2], ms[0], ms[^1], cpu[runs / 2]);
    }

    public static void Print(IEnumerable<Result> results)
    {
        Console.WriteLine($"{"case",-12} {"step",-24} {"n",12} {"median ms",10} {"min ms",9} {"max ms",9} {"cpu ms",9}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Case,-12} {r.Step,-24} {r.N,12:N0} {r.MedianMs,10:F1} {r.MinMs,9:F1} {r.MaxMs,9:F1} {r.CpuMs,9:F1}"));
        }
    }
}
