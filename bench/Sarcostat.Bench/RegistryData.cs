using System.Globalization;
using System.Text;

namespace Sarcostat.Bench;

/// <summary>
/// Writes a registry-like CSV file with a fixed seed (bench/run.sh): integer-day times with heavy ties, an event
/// indicator, 10 covariates (4 binary b1-b4, 2 three-level factors f1 {g1,g2,g3} and f2 {bone,lung,soft},
/// 4 continuous c1-c4 with 3 decimals), a 3-level group (A, B, C) and a 2-level stratum (s1, s2).
/// Usage: <c>gen --n 1000000 --out FILE [--seed 20261203]</c>.
/// </summary>
/// <remarks>
/// Proportional hazards: log hazard = Σ β·x with β of ±0.1..0.4, exponential event times (scale 1500 days, ×1.3 in
/// stratum s2), censoring uniform on (1, 3650) days; times rounded up to whole days (about 3,650 distinct values).
/// </remarks>
public static class RegistryData
{
    public static int Run(string[] args)
    {
        int n = Options.Int(args, "--n", 1_000_000);
        int seed = Options.Int(args, "--seed", 20261203);
        string? path = null;
        int at = Array.IndexOf(args, "--out");
        if (at >= 0 && at + 1 < args.Length)
        {
            path = args[at + 1];
        }

        if (path is null)
        {
            Console.Error.WriteLine("usage: gen --n N --out FILE [--seed S]");
            return 2;
        }

        var rng = new Random(seed);
        string[] f1Levels = ["g1", "g2", "g3"], f2Levels = ["bone", "lung", "soft"], groups = ["A", "B", "C"];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        w.Write("id,time,status,group,stratum,b1,b2,b3,b4,f1,f2,c1,c2,c3,c4\n");
        var sb = new StringBuilder(256);
        for (int i = 0; i < n; i++)
        {
            int b1 = rng.NextDouble() < 0.5 ? 1 : 0, b2 = rng.NextDouble() < 0.3 ? 1 : 0, b3 = rng.NextDouble() < 0.2 ? 1 : 0, b4 = rng.NextDouble() < 0.6 ? 1 : 0;
            int f1 = rng.Next(3), f2 = rng.Next(3), g = rng.Next(3), s = rng.Next(2);
            double c1 = Math.Round(Normal(rng), 3), c2 = Math.Round(Normal(rng), 3), c3 = Math.Round(rng.NextDouble() * 4, 3), c4 = Math.Round(50 + (12 * Normal(rng)), 3);
            double lp = (0.3 * b1) - (0.2 * b2) + (0.1 * b3) + (0.15 * b4)
                        + (f1 == 1 ? 0.25 : f1 == 2 ? 0.4 : 0) + (f2 == 1 ? -0.1 : f2 == 2 ? 0.2 : 0)
                        + (0.2 * c1) - (0.1 * c2) + (0.05 * c3) + (0.01 * (c4 - 50)) + (g == 1 ? 0.2 : g == 2 ? -0.15 : 0);
            double scale = 1500 * (s == 1 ? 1.3 : 1.0) / Math.Exp(lp);
            double t = -scale * Math.Log(1 - rng.NextDouble());
            double c = 1 + (rng.NextDouble() * 3649);
            int time = (int)Math.Ceiling(Math.Min(t, c));
            int status = t <= c ? 1 : 0;
            sb.Clear();
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1},{time},{status},{groups[g]},s{s + 1},{b1},{b2},{b3},{b4},{f1Levels[f1]},{f2Levels[f2]},");
            sb.Append(CultureInfo.InvariantCulture, $"{c1:0.###},{c2:0.###},{c3:0.###},{c4:0.###}\n");
            w.Write(sb);
        }

        return 0;
    }

    private static double Normal(Random rng)
    {
        // Box-Muller, one value per call (simple and seed-stable).
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
