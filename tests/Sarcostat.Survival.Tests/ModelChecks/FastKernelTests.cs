using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

/// <summary>
/// The fast kernels of concordance and cox.zph against their readable versions (which the R golden tests also check),
/// on seeded data with heavy ties, strata and both tie methods.
/// </summary>
public class FastKernelTests
{
    private static (double[] T, bool[] Ev, double[] Risk, int[] Strata) Data(int n, int seed, int strata, int distinctTimes, int distinctRisk)
    {
        var rng = new Random(seed);
        var t = new double[n];
        var ev = new bool[n];
        var risk = new double[n];
        var s = new int[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = 1 + rng.Next(distinctTimes);
            ev[i] = rng.NextDouble() < 0.6;
            risk[i] = rng.Next(distinctRisk) / 7.0;
            s[i] = rng.Next(strata);
        }

        return (t, ev, risk, s);
    }

    [Theory]
    [InlineData(1, 1, 20, 5)]
    [InlineData(2, 1, 500, 1000)]
    [InlineData(3, 3, 15, 3)]
    [InlineData(4, 2, 2000, 50)]
    [InlineData(5, 2, 300, 1_000_000)] // nearly every score distinct: about 47 blocks of 64 ranks
    public void Concordance_kernel_gives_the_counts_and_variance_of_the_readable_version(int seed, int strata, int times, int risks)
    {
        var (t, ev, risk, s) = Data(3000, seed, strata, times, risks);
        var slow = Concordance.Reference(t, ev, risk, s);
        var fast = ConcordanceKernel.Compute(t, ev, risk, s);
        SameConcordance.Check(slow, fast, 1e-12, 1e-10);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(2, 1, false)]
    [InlineData(3, 3, true)]
    [InlineData(4, 2, false)]
    public void Zph_kernel_gives_the_sums_and_residuals_of_the_readable_version(int seed, int strata, bool efron)
    {
        const int n = 2000, p = 4;
        var (t, ev, _, s) = Data(n, seed, strata, 60, 10);
        var rng = new Random(seed + 100);
        var x = new double[p][];
        for (int j = 0; j < p; j++)
        {
            x[j] = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[j][i] = j % 2 == 0 ? rng.NextDouble() - 0.5 : rng.Next(2) - 0.5;
            }
        }

        var eta = new double[n];
        var gt = new double[n];
        for (int i = 0; i < n; i++)
        {
            eta[i] = (0.3 * x[0][i]) - (0.5 * x[1][i]) + (0.2 * x[2][i]);
            gt[i] = Math.Log(t[i]) - 2; // a function of time only, as the transforms are
        }

        int events = ev.Count(e => e);
        var ord = ConcordanceKernel.ByStratumThenTime(t, s, out _);
        var slow = CoxZph.AccumulateReference(t, ev, x, eta, s, gt, ord, p, events, efron);
        var fast = CoxZphKernel.Accumulate(t, ev, x, eta, s, gt, ord, p, events, efron);
        double scale = slow.Imat.Max(Math.Abs);
        for (int k = 0; k < slow.U.Length; k++)
        {
            Math.Abs(fast.U[k] - slow.U[k]).Should().BeLessThan(1e-9 * Math.Max(1, Math.Abs(slow.U[k])), $"U[{k}]");
        }

        for (int k = 0; k < slow.Imat.Length; k++)
        {
            Math.Abs(fast.Imat[k] - slow.Imat[k]).Should().BeLessThan(1e-10 * scale, $"I[{k}]");
        }

        for (int e = 0; e < events; e++)
        {
            for (int j = 0; j < p; j++)
            {
                Math.Abs(fast.Schoen[(e * p) + j] - slow.Schoen[e][j]).Should().BeLessThan(1e-12, $"residual {e}, {j}");
            }
        }
    }

    [Theory]
    [InlineData(5, 1, true)]
    [InlineData(6, 3, false)]
    public void Zph_kernel_on_a_design_read_in_place_equals_it_on_a_centred_copy(int seed, int strata, bool efron)
    {
        const int n = 1500, p = 3;
        var (t, ev, _, s) = Data(n, seed, strata, 40, 10);
        var rng = new Random(seed + 7);
        var flat = new double[n * p];
        for (int k = 0; k < flat.Length; k++)
        {
            flat[k] = k < n ? rng.Next(2) : 3 + rng.NextDouble();
        }

        var means = new double[p];
        var centred = new double[p][];
        for (int j = 0; j < p; j++)
        {
            means[j] = flat.AsSpan(j * n, n).ToArray().Average();
            centred[j] = flat.AsSpan(j * n, n).ToArray().Select(v => v - means[j]).ToArray();
        }

        var eta = new double[n];
        var gt = new double[n];
        for (int i = 0; i < n; i++)
        {
            eta[i] = (0.5 * centred[0][i]) - (0.2 * centred[2][i]);
            gt[i] = Math.Sqrt(t[i]) - 3;
        }

        int events = ev.Count(e => e);
        var ord = ConcordanceKernel.ByStratumThenTime(t, s, out _);
        var copy = CoxZphKernel.Accumulate(t, ev, centred, eta, s, gt, ord, p, events, efron);
        var inPlace = CoxZphKernel.AccumulateCentring(t, ev, flat, means, eta, s, gt, ord, p, events, efron);
        inPlace.U.Should().Equal(copy.U);
        inPlace.Imat.Should().Equal(copy.Imat);
        inPlace.Schoen.Should().Equal(copy.Schoen);
    }
}
