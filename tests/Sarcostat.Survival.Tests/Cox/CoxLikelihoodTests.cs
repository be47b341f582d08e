using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// The fast likelihood kernel (exchanged summation, blocked cumulative sums, vectorised cross-products) against the
/// readable textbook version <see cref="CoxLikelihood"/> (risk set by risk set), on seeded data large enough to cross
/// the row blocks, with strata, heavy ties, both tie methods, padding columns and columns that are not centred, to a
/// relative 1e-10.
/// </summary>
public class CoxLikelihoodTests
{
    [Theory]
    [InlineData(TieMethod.Efron, true, 1, false)]
    [InlineData(TieMethod.Breslow, true, 1, false)]
    [InlineData(TieMethod.Efron, false, 3, false)]
    [InlineData(TieMethod.Breslow, true, 4, false)]
    [InlineData(TieMethod.Efron, true, 4, false)]
    [InlineData(TieMethod.Efron, true, 1, true)]
    [InlineData(TieMethod.Breslow, false, 1, true)]
    [InlineData(TieMethod.Efron, true, 3, true)]
    [InlineData(TieMethod.Efron, false, 2, true)]
    [InlineData(TieMethod.Efron, true, 2, true, 9)]
    [InlineData(TieMethod.Breslow, true, 1, false, 9)]
    [InlineData(TieMethod.Efron, true, 1, false, 1)]
    public void Fast_likelihood_equals_the_textbook_formula(TieMethod ties, bool wholeDays, int strata, bool split, int p = 5)
    {
        var rng = new Random(7 + strata);
        int n = 2500;
        var time = new double[n];
        var status = new bool[n];
        var stratum = new int[n];
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            time[i] = wholeDays ? rng.Next(1, 120) : Math.Round(rng.NextDouble() * 50, 2);
            status[i] = rng.NextDouble() < 0.7;
            stratum[i] = rng.Next(strata);
            rows[i] = new double[p];
            for (int j = 0; j < p; j++)
            {
                rows[i][j] = (j % 5) switch
                {
                    0 => rng.NextDouble() * 4 - 2,      // centred and scaled
                    1 => rng.Next(2),                   // 0/1: left alone
                    2 => rng.Next(4),                   // integer
                    3 => 40 + (rng.NextDouble() * 40),  // far from zero
                    _ => rng.Next(3) - 1,               // -1/0/1: left alone
                };
            }
        }

        var beta = Enumerable.Range(0, p).Select(j => new[] { 0.3, -0.5, 0.2, 0.02, 0.4 }[j % 5] / (1 + (j / 5))).ToArray();
        var x = new double[n * p];
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < n; i++)
            {
                x[(j * n) + i] = rows[i][j];
            }
        }

        var expected = CoxLikelihood.Evaluate(time, status, x, p, strata > 1 ? stratum : null, beta, ties);

        // Both fast kernels: the sorted one, and the binned one (which applies to whole-day times only). split: the
        // two-part (two-thread) passes, forced on this small input.
        foreach (bool binned in new[] { false, true })
        {
            var lik = CoxLikelihoodKernel.Create(
                time, status, x, p, strata > 1 ? stratum : null, strata, ties, TimeFix.Exact, binned, split ? 2 : 1 << 16);
            (lik is CoxLikelihoodBinnedKernel).Should().Be(binned && wholeDays);
            if (p >= 5)
            {
                lik.Means[1].Should().Be(0, "a 0/1 column is not centred (R nocenter)");
                lik.Scale[4].Should().Be(1);
            }

            var scaledBeta = beta.Select((b, j) => b / lik.Scale[j]).ToArray();
            var u = new double[p];
            var info = new double[p * p];
            lik.Evaluate(scaledBeta.Select(b => -0.7 * b).ToArray(), u, info);   // leaves stale work buffers behind
            double ll = lik.Evaluate(scaledBeta, u, info);
            Approx.Equal(expected.LogLik, ll, 1e-11, "loglik");
            double uScale = expected.Score.Max(Math.Abs);
            for (int j = 0; j < p; j++)
            {
                // U is a difference of sums of size ~n: compared relative to its largest entry.
                Approx.Equal(expected.Score[j], u[j] / lik.Scale[j], 1e-10, $"U[{j}]", abs: 1e-10 * uScale);
                for (int q = 0; q < p; q++)
                {
                    Approx.Equal(expected.Information[j, q], info[(j * p) + q] / (lik.Scale[j] * lik.Scale[q]), 1e-10, $"I[{j},{q}]");
                }
            }
        }
    }

    [Theory]
    [InlineData(TieMethod.Efron, 1)]
    [InlineData(TieMethod.Breslow, 3)]
    [InlineData(TieMethod.Efron, 2)]
    public void Both_kernels_give_the_same_fit(TieMethod ties, int strata)
    {
        // Registry-like: many rows per day (the binned kernel's case), R's time fix on, Newton-Raphson to convergence.
        var rng = new Random(31 + strata);
        int n = 20000, p = 3;
        var time = new double[n];
        var status = new bool[n];
        var stratum = new int[n];
        var x = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.Next(2);
            x[n + i] = rng.NextDouble() * 3;
            x[(2 * n) + i] = rng.Next(3) - 1;
            double rate = Math.Exp((0.4 * x[i]) - (0.3 * x[n + i]) + (0.2 * x[(2 * n) + i]));
            time[i] = Math.Ceiling(-Math.Log(1 - rng.NextDouble()) * 300 / rate);
            status[i] = time[i] < 700 && rng.NextDouble() < 0.8;
            time[i] = Math.Min(time[i], 700);
            stratum[i] = rng.Next(strata);
        }

        var options = new CoxOptions { Ties = ties };
        var fits = new[] { false, true }.Select(binned =>
        {
            var lik = CoxLikelihoodKernel.Create(time, status, x, p, strata > 1 ? stratum : null, strata, ties, TimeFix.R, binned);
            (lik is CoxLikelihoodBinnedKernel).Should().Be(binned);
            return CoxNewtonRaphson.Run(lik, p, options);
        }).ToArray();
        fits[1].Iterations.Should().Be(fits[0].Iterations);
        Approx.Equal(fits[0].LogLik, fits[1].LogLik, 1e-12, "loglik");
        Approx.Equal(fits[0].LogLikNull, fits[1].LogLikNull, 1e-12, "loglik0");
        Approx.Equal(fits[0].ScoreTest, fits[1].ScoreTest, 1e-10, "score test");
        Approx.Equal(fits[0].MaxLinearPredictor, fits[1].MaxLinearPredictor, 1e-10, "max linear predictor");
        for (int j = 0; j < p; j++)
        {
            Approx.Equal(fits[0].Beta[j], fits[1].Beta[j], 1e-10, $"beta[{j}]");
            Approx.Equal(fits[0].Variance[(j * p) + j], fits[1].Variance[(j * p) + j], 1e-10, $"var[{j}]");
        }
    }

    [Fact]
    public void The_binned_kernel_is_chosen_for_days_and_refused_where_it_would_change_the_answer()
    {
        var rng = new Random(5);
        int n = 4000;
        var status = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.7).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var days = Enumerable.Range(0, n).Select(_ => (double)rng.Next(1, 500)).ToArray();
        CoxLikelihoodKernel.Create(days, status, x, 1, null, 1, TieMethod.Efron, TimeFix.R).Should().BeOfType<CoxLikelihoodBinnedKernel>();

        // Too many distinct days for n (more than n/4 bins): sorted, unless forced.
        var spread = Enumerable.Range(0, n).Select(_ => (double)rng.Next(1, 3000)).ToArray();
        CoxLikelihoodKernel.Create(spread, status, x, 1, null, 1, TieMethod.Efron, TimeFix.R).Should().BeOfType<CoxLikelihoodKernel>();
        CoxLikelihoodKernel.Create(spread, status, x, 1, null, 1, TieMethod.Efron, TimeFix.R, binned: true).Should().BeOfType<CoxLikelihoodBinnedKernel>();

        // Whole numbers near 1e8: neighbours 1 apart are near-tied for R's aeqSurv, which merges them; the binned
        // kernel (one bin per number) would not, so it must not be used with R's time fix.
        var huge = days.Select(t => 1e8 + t).ToArray();
        CoxLikelihoodKernel.Create(huge, status, x, 1, null, 1, TieMethod.Efron, TimeFix.R, binned: true).Should().BeOfType<CoxLikelihoodKernel>();
        CoxLikelihoodKernel.Create(huge, status, x, 1, null, 1, TieMethod.Efron, TimeFix.Exact, binned: true).Should().BeOfType<CoxLikelihoodBinnedKernel>();

        // Fractional times: sorted.
        var fractional = days.Select(t => t + 0.5).ToArray();
        CoxLikelihoodKernel.Create(fractional, status, x, 1, null, 1, TieMethod.Efron, TimeFix.R, binned: true).Should().BeOfType<CoxLikelihoodKernel>();
    }
}
