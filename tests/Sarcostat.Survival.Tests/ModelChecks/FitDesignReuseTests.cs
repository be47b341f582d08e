using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

/// <summary>
/// <c>fit.Zph()</c> and <c>fit.Concordance()</c> read the fit's own design (no second copy of it); the same checks called
/// with the data (<see cref="CoxZph.Test"/>, <see cref="Concordance.Harrell(IReadOnlyList{double}, IReadOnlyList{bool}, IReadOnlyList{Covariate}, CoxFit, Factor?)"/>)
/// rebuild the design from the inputs. Both must give the same numbers, on data with dropped rows, factors, strata,
/// heavy ties, near-ties merged by the time fix, both tie methods, whole days (the binned likelihood kernel) and
/// continuous times (the sorted one).
/// </summary>
public class FitDesignReuseTests
{
    public enum Times
    {
        /// <summary>Whole days 1..40 (heavy ties; the binned kernel).</summary>
        Days,

        /// <summary>Distinct continuous times (the sorted kernel).</summary>
        Continuous,

        /// <summary>Whole days, a third of them off by a relative 1e-12 (round-off), so that R's time fix merges near-ties.</summary>
        NearTies,
    }

    private static (double[] T, bool[] Ev, Covariate[] Covs, Factor? Strata) Data(int n, int seed, Times times, int strata)
    {
        var rng = new Random(seed);
        var t = new double[n];
        var ev = new bool[n];
        var x1 = new double[n];
        var x2 = new double[n];
        var g = new string?[n];
        var s = new string?[n];
        string[] levels = ["lo", "mid", "hi"];
        for (int i = 0; i < n; i++)
        {
            int day = 1 + rng.Next(40);
            t[i] = times switch
            {
                Times.Days => day,
                Times.Continuous => 0.01 + (rng.NextDouble() * 40),
                _ => day + (rng.Next(3) == 0 ? day * 1e-12 : 0),
            };
            x1[i] = rng.Next(25) == 0 ? double.NaN : Math.Round(rng.NextDouble() * 4, 2);
            x2[i] = rng.Next(2);
            g[i] = rng.Next(30) == 0 ? null : levels[rng.Next(3)];
            double lp = (0.4 * (double.IsNaN(x1[i]) ? 0 : x1[i])) - (0.6 * x2[i]);
            ev[i] = rng.NextDouble() < 0.5 + (0.1 * Math.Tanh(lp));
            s[i] = "s" + rng.Next(strata);
        }

        Covariate[] covs =
        [
            new NumericCovariate("x1", x1),
            new NumericCovariate("x2", x2),
            new CategoricalCovariate(Factor.FromValues("g", g)),
        ];
        return (t, ev, covs, strata > 1 ? Factor.FromValues("s", s) : null);
    }

    [Theory]
    [InlineData(1, Times.Days, 1, TieMethod.Efron)]
    [InlineData(2, Times.Days, 3, TieMethod.Efron)]
    [InlineData(3, Times.Days, 2, TieMethod.Breslow)]
    [InlineData(4, Times.Continuous, 1, TieMethod.Efron)]
    [InlineData(5, Times.Continuous, 2, TieMethod.Breslow)]
    [InlineData(6, Times.NearTies, 1, TieMethod.Efron)]
    [InlineData(7, Times.NearTies, 2, TieMethod.Breslow)]
    public void Checks_from_the_fits_design_equal_the_checks_on_the_design_rebuilt_from_the_data(int seed, Times times, int strata, TieMethod ties)
    {
        var (t, ev, covs, s) = Data(1500, seed, times, strata);
        var fit = CoxRegression.Fit(t, ev, covs, s, new CoxOptions { Ties = ties });
        fit.NDropped.Should().BeGreaterThan(0, "the data have missing covariates, so the kept rows are a subset");
        foreach (var transform in new[] { ZphTransform.Km, ZphTransform.Rank, ZphTransform.Identity, ZphTransform.Log })
        {
            var rebuilt = CoxZph.Test(t, ev, covs, fit, s, transform);
            var reused = fit.Zph(transform);
            reused.Tests.Should().HaveCount(rebuilt.Tests.Count);
            foreach (var (a, b) in reused.Tests.Append(reused.Global).Zip(rebuilt.Tests.Append(rebuilt.Global)))
            {
                a.Term.Should().Be(b.Term);
                a.Df.Should().Be(b.Df);
                Approx.Equal(b.ChiSquare, a.ChiSquare, 1e-10, $"{transform} chisq {a.Term}");
                Approx.Equal(b.P, a.P, 1e-10, $"{transform} p {a.Term}");
            }

            reused.Time.Should().Equal(rebuilt.Time);
            reused.Stratum.Should().Equal(rebuilt.Stratum);
            for (int e = 0; e < rebuilt.TransformedTime.Count; e++)
            {
                Approx.Equal(rebuilt.TransformedTime[e], reused.TransformedTime[e], 1e-10, $"{transform} x[{e}]");
                for (int k = 0; k < rebuilt.Tests.Count; k++)
                {
                    var expected = rebuilt.ScaledResiduals[e][k];
                    var actual = reused.ScaledResiduals[e][k];
                    actual.HasValue.Should().Be(expected.HasValue);
                    if (expected is { } v)
                    {
                        Math.Abs(actual!.Value - v).Should().BeLessThan(1e-10 * Math.Max(1, Math.Abs(v)), $"{transform} y[{e}, {k}]");
                    }
                }
            }
        }

        var c = fit.Concordance();
        var again = Concordance.Harrell(t, ev, covs, fit, s);
        SameConcordance.Check(again, c, 1e-10, 1e-10);
    }

    [Fact]
    public void The_near_tie_data_do_merge_times()
    {
        var (t, _, _, _) = Data(1500, 6, Times.NearTies, 1);
        TimeFixer.Apply(t).Should().NotBeSameAs(t, "the case must exercise the time fix of the reused design");
    }
}
