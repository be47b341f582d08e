using System.Globalization;
using Sarcostat.Survival;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Bench;

/// <summary>
/// <c>km-logrank [--n 10000000] [--runs 5] [--rho 0]</c>: Kaplan-Meier and log-rank on seeded synthetic data,
/// two groups, in two cases: whole-day times (many ties; counting sort) and continuous times (all distinct; radix sort).
/// Times are measured after the data are in memory. Each estimator on its own (each sorts), both on their own, and both
/// on one <see cref="SurvivalResponse"/> (one sort, shared; building the response included in the time).
/// </summary>
internal static class KmLogRankBench
{
    public static int Run(string[] args)
    {
        int n = Options.Int(args, "--n", 10_000_000);
        int runs = Math.Max(1, Options.Int(args, "--runs", 5));
        double rho = Options.Double(args, "--rho", 0);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"km-logrank: n = {n:N0}, runs = {runs} (median reported), rho = {rho}, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));

        var results = new List<Timing.Result>();
        foreach (bool wholeDays in new[] { true, false })
        {
            string name = wholeDays ? "whole days" : "continuous";
            var (time, status, group) = Generate(n, wholeDays, seed: 20261122);
            var options = new LogRankOptions { Rho = rho };
            var test = LogRank.Test(time, status, group, options: options);
            Console.WriteLine($"{name}: {test}, p = {test.P.ToString("G4", CultureInfo.InvariantCulture)}");

            results.Add(Timing.Measure(name, "LogRank.Test", n, warmups: 2, runs, () => LogRank.Test(time, status, group, options: options)));
            results.Add(Timing.Measure(name, "KaplanMeier.FitByGroup", n, warmups: 1, runs, () => KaplanMeier.FitByGroup(time, status, group)));
            results.Add(Timing.Measure(name, "KM + LogRank", n, warmups: 1, runs, () =>
            {
                KaplanMeier.FitByGroup(time, status, group);
                LogRank.Test(time, status, group, options: options);
            }));
            results.Add(Timing.Measure(name, "SurvivalResponse.Create", n, warmups: 1, runs, () => SurvivalResponse.Create(time, status, group)));
            results.Add(Timing.Measure(name, "one response: KM + LogRank", n, warmups: 1, runs, () =>
            {
                // One sort shared by both, as a report does it: the response, then the curves (which sort it) and the test.
                var data = SurvivalResponse.Create(time, status, group);
                KaplanMeier.FitByGroup(data);
                LogRank.Test(data, options);
            }));
        }

        Timing.Print(results);
        return 0;
    }

    /// <summary>
    /// Exponential event times (mean 400 days in group 0, 300 in group 1) censored by a uniform(0, 1500) time:
    /// about 70 % events. Whole days are rounded up (1..~8000, heavy ties); continuous times are left as drawn.
    /// </summary>
    private static (double[] Time, bool[] Status, Factor Group) Generate(int n, bool wholeDays, int seed)
    {
        var rng = new Random(seed);
        var time = new double[n];
        var status = new bool[n];
        var codes = new int[n];
        for (int i = 0; i < n; i++)
        {
            int g = rng.Next(2);
            double t = -Math.Log(1 - rng.NextDouble()) * (g == 0 ? 400 : 300);
            double c = rng.NextDouble() * 1500;
            double y = Math.Min(t, c);
            time[i] = wholeDays ? Math.Max(1, Math.Ceiling(y)) : y;
            status[i] = t <= c;
            codes[i] = g;
        }

        return (time, status, Factor.FromCodes("group", codes, ["A", "B"]));
    }
}
