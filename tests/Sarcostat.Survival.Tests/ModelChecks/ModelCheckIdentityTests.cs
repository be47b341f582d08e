using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

public class ModelCheckIdentityTests
{
    // R: cox.zph(coxph(Surv(time, status) ~ trt + relevel(celltype, "squamous") + karno, data = veteran)):
    // the factor's test and the global test do not depend on the reference level
    [Fact]
    public void The_factor_test_does_not_depend_on_the_reference_level()
    {
        var c = ModelCheckCase.Load("veteran");
        var cell = (CategoricalCovariate)c.Covariates[1];
        var covs = new List<Covariate> { c.Covariates[0], new CategoricalCovariate(cell.Factor.WithReference("squamous")), c.Covariates[2] };
        var fit = CoxRegression.Fit(c.Time, c.Status, covs);
        var a = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit);
        var b = CoxZph.Test(c.Time, c.Status, covs, fit);
        for (int k = 0; k < 3; k++)
        {
            Approx.Equal(a.Tests[k].ChiSquare, b.Tests[k].ChiSquare, 1e-7, $"chisq {a.Tests[k].Term}");
        }

        Approx.Equal(a.Global.ChiSquare, b.Global.ChiSquare, 1e-7, "global");
        var ca = Concordance.Harrell(c.Time, c.Status, c.Covariates, c.Fit);
        var cb = Concordance.Harrell(c.Time, c.Status, covs, fit);
        cb.Concordant.Should().Be(ca.Concordant);
        Approx.Equal(ca.StdError, cb.StdError, 1e-9, "se");
    }

    // Harrell's C by definition, O(n²), with the infinitesimal-jackknife variance written out pair by pair
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fast_concordance_equals_the_pairwise_definition_with_ties(int seed)
    {
        var rng = new Random(seed);
        int n = 300;
        var time = Enumerable.Range(0, n).Select(_ => (double)rng.Next(1, 40)).ToArray();
        var status = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.6).ToArray();
        var risk = Enumerable.Range(0, n).Select(_ => (double)rng.Next(0, 15)).ToArray();
        var strata = Enumerable.Range(0, n).Select(_ => rng.Next(0, 2)).ToArray();
        var fast = Concordance.Harrell(time, status, risk, strata);

        long conc = 0, disc = 0, tx = 0, ty = 0, txy = 0;
        var inf = new long[n, 3];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j || strata[i] != strata[j] || !status[i])
                {
                    continue;
                }

                if (time[j] > time[i] || (time[j] == time[i] && !status[j]))
                {
                    int k = risk[i] > risk[j] ? 0 : risk[i] < risk[j] ? 1 : 2;
                    inf[i, k]++;
                    inf[j, k]++;
                    conc += k == 0 ? 1 : 0;
                    disc += k == 1 ? 1 : 0;
                    tx += k == 2 ? 1 : 0;
                }
                else if (time[j] == time[i] && status[j] && i < j)
                {
                    if (risk[i] == risk[j])
                    {
                        txy++;
                    }
                    else
                    {
                        ty++;
                    }
                }
            }
        }

        fast.Concordant.Should().Be(conc);
        fast.Discordant.Should().Be(disc);
        fast.TiedX.Should().Be(tx);
        fast.TiedY.Should().Be(ty);
        fast.TiedXY.Should().Be(txy);
        double npair = conc + disc + tx;
        double somer = (conc - disc) / npair;
        double v = 0;
        for (int i = 0; i < n; i++)
        {
            double d = ((inf[i, 0] - inf[i, 1]) / npair) - (somer / npair * (inf[i, 0] + inf[i, 1] + inf[i, 2]));
            v += d * d;
        }

        Approx.Equal((conc + (tx / 2.0)) / npair, fast.C, Approx.ClosedForm, "C");
        Approx.Equal(Math.Sqrt(v / 4), fast.StdError, Approx.NonIterative, "se");
    }

    [Fact]
    public void Concordance_on_a_large_sample_runs_in_n_log_n()
    {
        var rng = new Random(7);
        int n = 200_000;
        var time = Enumerable.Range(0, n).Select(_ => (double)rng.Next(1, 3650)).ToArray();
        var status = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.5).ToArray();
        var risk = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var cc = Concordance.Harrell(time, status, risk);
        watch.Stop();
        Approx.Equal(0.5, cc.C, 0.02, "C of a random score");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "an O(n²) pass over 2·10¹⁰ pairs would take minutes");
    }
}
