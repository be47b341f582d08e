using System.Diagnostics;
using System.Globalization;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Bench;

/// <summary>
/// Times a Cox fit (<see cref="CoxRegression.FitMatrix"/>) on simulated in-memory data: n rows × p covariates,
/// proportional hazards with known β, about 30% censored.
/// Usage: <c>cox [--n 1000000] [--p 12] [--ties efron|breslow] [--times days|continuous] [--strata 1] [--repeat 5]</c>.
/// </summary>
public static class CoxBench
{
    public static int Run(string[] args)
    {
        int n = 1_000_000, p = 12, strata = 1, repeat = 5;
        var ties = TieMethod.Efron;
        bool days = true;
        for (int a = 0; a < args.Length; a++)
        {
            string Next() => a + 1 < args.Length ? args[++a] : throw new ArgumentException($"{args[a]} needs a value");
            switch (args[a])
            {
                case "cox":
                    break;
                case "--n":
                    n = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--p":
                    p = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--strata":
                    strata = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--repeat":
                    repeat = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--ties":
                    ties = Next() == "breslow" ? TieMethod.Breslow : TieMethod.Efron;
                    break;
                case "--times":
                    days = Next() != "continuous";
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[a]}; usage: cox [--n N] [--p P] [--ties efron|breslow] [--times days|continuous] [--strata S] [--repeat R]");
                    return 2;
            }
        }

        var (time, status, x, stratum) = Simulate(n, p, strata, days, seed: 20261122);
        var names = Enumerable.Range(1, p).Select(j => $"x{j}").ToArray();
        var options = new CoxOptions { Ties = ties };
        Console.WriteLine($"Cox bench: n={n}, p={p}, ties={ties}, times={(days ? "whole days" : "continuous")}, strata={strata}, " +
                          $"events={status.Count(s => s)}, cores={Environment.ProcessorCount}");

        CoxFit? fit = null;
        var seconds = new List<double>();
        var process = Process.GetCurrentProcess();
        for (int r = 0; r <= repeat; r++)
        {
            GC.Collect();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            fit = CoxRegression.FitMatrix(time, status, x, p, names, stratum, options);
            sw.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            if (r > 0)
            {
                seconds.Add(sw.Elapsed.TotalSeconds); // run 0 is the JIT warm-up
            }

            Console.WriteLine($"  run {r}{(r == 0 ? " (warm-up)" : string.Empty)}: {sw.Elapsed.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU");
        }

        seconds.Sort();
        Console.WriteLine($"fit: {fit}, iterations={fit!.Iterations}, loglik={fit.LogLik.ToString("R", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"coef[0..3] = {string.Join(", ", fit.Terms.Take(4).Select(t => t.Coef.ToString("F4", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($"best {seconds[0] * 1000:F0} ms, median {seconds[seconds.Count / 2] * 1000:F0} ms over {seconds.Count} runs");
        return 0;
    }

    /// <summary>
    /// Covariates: a third standard normal, a third 0/1, a third integer 0..4; hazard exp(x′β) with β_j = ±0.1..0.3;
    /// event time exponential, censoring uniform; times rounded up to whole days (or kept continuous).
    /// </summary>
    private static (double[] Time, bool[] Status, double[] X, int[]? Stratum) Simulate(int n, int p, int strata, bool days, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n * p];
        var beta = new double[p];
        for (int j = 0; j < p; j++)
        {
            beta[j] = (j % 2 == 0 ? 1 : -1) * (0.1 + (0.1 * (j % 3)));
            var col = x.AsSpan(j * n, n);
            for (int i = 0; i < n; i++)
            {
                col[i] = (j % 3) switch
                {
                    0 => Normal(rng),
                    1 => rng.Next(2),
                    _ => rng.Next(5),
                };
            }
        }

        var time = new double[n];
        var status = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double eta = 0;
            for (int j = 0; j < p; j++)
            {
                eta += beta[j] * x[(j * n) + i];
            }

            double t = -Math.Log(1 - rng.NextDouble()) / (Math.Exp(eta) / 1000);
            double c = rng.NextDouble() * 4000;
            status[i] = t <= c;
            double obs = Math.Min(t, c);
            time[i] = days ? Math.Ceiling(obs) : obs;
        }

        int[]? stratum = null;
        if (strata > 1)
        {
            stratum = new int[n];
            for (int i = 0; i < n; i++)
            {
                stratum[i] = rng.Next(strata);
            }
        }

        return (time, status, x, stratum);
    }

    private static double Normal(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

