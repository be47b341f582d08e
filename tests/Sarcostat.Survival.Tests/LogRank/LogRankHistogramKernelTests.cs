using System.Globalization;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival.Tests.LogRank;

/// <summary>
/// The log-rank histogram kernel (whole-day times) against the sorted walk (the same times shifted by half a day, which
/// keeps every tie and the order), on registry-like seeded data: many rows per day, three groups, strata, ρ = 0 and 1.
/// </summary>
public class LogRankHistogramKernelTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(3, 0.0)]
    [InlineData(2, 1.0)]
    public void Histogram_route_gives_the_sums_of_the_sorted_walk(int strata, double rho)
    {
        var rng = new Random(40 + strata);
        int n = 30_000;
        var time = new double[n];
        var status = new bool[n];
        var group = new string[n];
        var stratum = new string[n];
        for (int i = 0; i < n; i++)
        {
            int g = rng.Next(3);
            time[i] = Math.Ceiling(-Math.Log(1 - rng.NextDouble()) * 400 * (1 + (0.3 * g)));
            status[i] = time[i] < 900 && rng.NextDouble() < 0.75;
            time[i] = Math.Min(time[i], 900);
            group[i] = "g" + g.ToString(CultureInfo.InvariantCulture);
            stratum[i] = "s" + rng.Next(strata).ToString(CultureInfo.InvariantCulture);
        }

        var options = new LogRankOptions { Rho = rho };
        var groups = Factor.FromValues("group", group);
        var strataFactor = strata > 1 ? Factor.FromValues("stratum", stratum) : null;
        var whole = Survival.RankTests.LogRank.Test(time, status, groups, strataFactor, options);
        var shifted = Survival.RankTests.LogRank.Test(time.Select(t => t + 0.5).ToArray(), status, groups, strataFactor, options);
        Approx.Equal(shifted.ChiSquare, whole.ChiSquare, 1e-10, "chi-square");
        for (int g = 0; g < 3; g++)
        {
            Approx.Equal(shifted.Groups[g].Observed, whole.Groups[g].Observed, 1e-12, "observed");
            Approx.Equal(shifted.Groups[g].Expected, whole.Groups[g].Expected, 1e-10, "expected");
            for (int h = 0; h < 3; h++)
            {
                Approx.Equal(shifted.Variance[g][h], whole.Variance[g][h], 1e-10, "variance", abs: 1e-10);
            }
        }
    }
}
