using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>Transformations that must not change a Cox fit (or change it in a known way).</summary>
public class CoxIdentityTests
{
    private static readonly Lazy<CsvData> Lung = new(() => CsvData.Load("lung"));

    private static (double[] Time, bool[] Status, List<Covariate> Covariates) LungInput()
    {
        var lung = Lung.Value;
        return (lung.Numeric("time"), lung.Event("status"),
        [
            new NumericCovariate("age", lung.Numeric("age")),
            new NumericCovariate("sex", lung.Numeric("sex")),
            new NumericCovariate("ph.ecog", lung.Numeric("ph.ecog")),
        ]);
    }

    private static void SameFit(CoxFit expected, CoxFit actual, double rel)
    {
        Approx.Equal(expected.Terms.Select(t => t.Coef).ToArray(), actual.Terms.Select(t => t.Coef).ToArray(), rel, "coef");
        Approx.Equal(expected.Terms.Select(t => t.StdError).ToArray(), actual.Terms.Select(t => t.StdError).ToArray(), rel, "se");
        Approx.Equal(expected.LogLik, actual.LogLik, rel, "loglik");
        Approx.Equal(expected.LogLikNull, actual.LogLikNull, rel, "loglik null");
        Approx.Equal(expected.Score.Statistic, actual.Score.Statistic, rel, "score test");
        actual.Iterations.Should().Be(expected.Iterations);
        actual.N.Should().Be(expected.N);
        actual.Events.Should().Be(expected.Events);
    }

    // R: coxph(Surv(time / 365.25, status) ~ age + sex + ph.ecog, lung) has the coefficients of the fit in days
    [Fact]
    public void Converting_days_to_years_leaves_the_hazard_ratios_unchanged()
    {
        var (time, status, covs) = LungInput();
        var days = CoxRegression.Fit(time, status, covs);
        var years = CoxRegression.Fit(time.Select(t => t / 365.25).ToArray(), status, covs);
        SameFit(days, years, 1e-12);
        Approx.Equal(days.Terms.Select(t => t.HazardRatio).ToArray(), years.Terms.Select(t => t.HazardRatio).ToArray(), 1e-12, "HR");
    }

    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void Permuting_the_rows_changes_nothing(TieMethod ties)
    {
        var (time, status, covs) = LungInput();
        var inst = Factor.FromValues("inst", Lung.Value.Text("inst"));
        var options = new CoxOptions { Ties = ties };
        var original = CoxRegression.Fit(time, status, covs, inst, options);

        var rng = new Random(42);
        var perm = Enumerable.Range(0, time.Length).OrderBy(_ => rng.Next()).ToArray();
        var pTime = perm.Select(i => time[i]).ToArray();
        var pStatus = perm.Select(i => status[i]).ToArray();
        var pCovs = covs.Cast<NumericCovariate>()
            .Select(c => (Covariate)new NumericCovariate(c.Name, perm.Select(i => c.Values[i]).ToArray())).ToList();
        var pInst = Factor.FromValues("inst", perm.Select(i => Lung.Value.Text("inst")[i]).ToArray());
        var permuted = CoxRegression.Fit(pTime, pStatus, pCovs, pInst, options);

        // Only the order of floating-point sums changes.
        SameFit(original, permuted, 1e-10);
        permuted.NDropped.Should().Be(original.NDropped);
    }

    // A shift of a covariate changes only its centring constant; a scale change divides its coefficient.
    [Fact]
    public void Shifting_and_scaling_a_covariate_act_only_on_its_coefficient()
    {
        var (time, status, covs) = LungInput();
        var fit = CoxRegression.Fit(time, status, covs);
        var age = ((NumericCovariate)covs[0]).Values;
        var changed = new List<Covariate>(covs) { [0] = new NumericCovariate("age", age.Select(a => (a - 50) / 10).ToArray()) };
        var fit2 = CoxRegression.Fit(time, status, changed);
        Approx.Equal(fit.Terms[0].Coef * 10, fit2.Terms[0].Coef, 1e-10, "age per decade");
        Approx.Equal(fit.Terms[1].Coef, fit2.Terms[1].Coef, 1e-10, "sex");
        Approx.Equal(fit.Terms[0].Z, fit2.Terms[0].Z, 1e-10, "z of age");
        Approx.Equal(fit.LogLik, fit2.LogLik, 1e-12, "loglik");
    }

    // R: relevel(celltype, "squamous"): the new coefficients are differences of the old ones
    [Fact]
    public void Changing_the_reference_level_reparametrises_the_dummies()
    {
        var vet = CsvData.Load("veteran");
        var time = vet.Numeric("time");
        var status = vet.Event("status");
        var cell = Factor.FromValues("celltype", vet.Text("celltype"));
        var karno = new NumericCovariate("karno", vet.Numeric("karno"));
        var adeno = CoxRegression.Fit(time, status, [new CategoricalCovariate(cell), karno]);
        var squamous = CoxRegression.Fit(time, status, [new CategoricalCovariate(cell.WithReference("squamous")), karno]);

        adeno.Terms.Select(t => t.Term).Should().Equal("celltypelarge", "celltypesmallcell", "celltypesquamous", "karno");
        squamous.Terms.Select(t => t.Term).Should().Equal("celltypeadeno", "celltypelarge", "celltypesmallcell", "karno");
        squamous.Terms[0].Level.Should().Be("adeno");
        squamous.Terms[0].Covariate.Should().Be("celltype");
        double sq = adeno.Terms[2].Coef;
        Approx.Equal(-sq, squamous.Terms[0].Coef, 1e-8, "adeno vs squamous");
        Approx.Equal(adeno.Terms[0].Coef - sq, squamous.Terms[1].Coef, 1e-8, "large vs squamous");
        Approx.Equal(adeno.Terms[1].Coef - sq, squamous.Terms[2].Coef, 1e-8, "smallcell vs squamous");
        Approx.Equal(adeno.LogLik, squamous.LogLik, 1e-12, "loglik");
        Approx.Equal(adeno.Score.Statistic, squamous.Score.Statistic, 1e-10, "score test");
    }

    [Fact]
    public void FitMatrix_gives_the_fit_of_the_same_design()
    {
        var (time, status, covs) = LungInput();
        var fit = CoxRegression.Fit(time, status, covs);
        var keep = Enumerable.Range(0, time.Length)
            .Where(i => covs.Cast<NumericCovariate>().All(c => !double.IsNaN(c.Values[i]))).ToArray();
        var x = covs.Cast<NumericCovariate>().SelectMany(c => keep.Select(i => c.Values[i])).ToArray();
        var matrix = CoxRegression.FitMatrix(
            keep.Select(i => time[i]).ToArray(), keep.Select(i => status[i]).ToArray(), x, 3, ["age", "sex", "ph.ecog"]);
        SameFit(fit, matrix, 1e-14);
        matrix.NDropped.Should().Be(0);
    }

    // With no two events at the same time Efron's and Breslow's likelihoods coincide.
    [Fact]
    public void Efron_equals_Breslow_without_tied_events()
    {
        var ov = CsvData.Load("ovarian");
        var covs = new List<Covariate> { new NumericCovariate("rx", ov.Numeric("rx")), new NumericCovariate("age", ov.Numeric("age")) };
        var efron = CoxRegression.Fit(ov.Numeric("futime"), ov.Event("fustat"), covs);
        var breslow = CoxRegression.Fit(ov.Numeric("futime"), ov.Event("fustat"), covs, null, new CoxOptions { Ties = TieMethod.Breslow });
        SameFit(efron, breslow, 1e-14);
    }

    // Two identical copies as two strata: same β, information doubled, log likelihoods doubled.
    [Fact]
    public void Duplicating_the_data_as_a_second_stratum_halves_the_variance()
    {
        var (time, status, covs) = LungInput();
        var fit = CoxRegression.Fit(time, status, covs);
        int n = time.Length;
        var time2 = time.Concat(time).ToArray();
        var status2 = status.Concat(status).ToArray();
        var covs2 = covs.Cast<NumericCovariate>().Select(c => (Covariate)new NumericCovariate(c.Name, c.Values.Concat(c.Values).ToArray())).ToList();
        var copy = Factor.FromValues("copy", Enumerable.Range(0, 2 * n).Select(i => i < n ? "a" : "b").ToArray());
        var twice = CoxRegression.Fit(time2, status2, covs2, copy);
        Approx.Equal(fit.Terms.Select(t => t.Coef).ToArray(), twice.Terms.Select(t => t.Coef).ToArray(), 1e-9, "coef");
        Approx.Equal(fit.Variance[0][0] / 2, twice.Variance[0][0], 1e-9, "var(age)");
        Approx.Equal(fit.Variance[1][2] / 2, twice.Variance[1][2], 1e-9, "cov(sex, ph.ecog)");
        Approx.Equal(2 * fit.LogLik, twice.LogLik, 1e-12, "loglik");
        Approx.Equal(2 * fit.Score.Statistic, twice.Score.Statistic, 1e-10, "score test");
        twice.NDropped.Should().Be(2 * fit.NDropped);
    }
}

/// <summary>Large inputs take the parallel, multi-block path; its answer must be the small-data answer.</summary>
public class CoxLargeDataTests
{
    // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, ties = "breslow"); every row repeated 300 times
    //    (68,400 rows): Breslow's likelihood is 300 × the original plus a constant, so β̂ is R's and Var = R's / 300.
    [Fact]
    public void Replicating_every_row_leaves_the_breslow_estimate_of_R_unchanged()
    {
        var c = CoxGoldenCase.Get("lung_breslow").Load();
        const int k = 300;
        int n = c.Time.Length;
        var time = Enumerable.Range(0, n * k).Select(i => c.Time[i % n]).ToArray();
        var status = Enumerable.Range(0, n * k).Select(i => c.Status[i % n]).ToArray();
        var covs = c.Covariates.Cast<NumericCovariate>()
            .Select(v => (Covariate)new NumericCovariate(v.Name, Enumerable.Range(0, n * k).Select(i => v.Values[i % n]).ToArray()))
            .ToList();
        var fit = CoxRegression.Fit(time, status, covs, null, c.Options);

        var coef = Golden.Numbers(c.Json.GetProperty("coef"));
        var variance = c.Json.GetProperty("var").EnumerateArray().Select(Golden.Numbers).ToArray();
        Approx.Equal(coef, fit.Terms.Select(t => t.Coef).ToArray(), Approx.Iterative, "coef");
        for (int j = 0; j < coef.Length; j++)
        {
            Approx.Equal(variance[j][j] / k, fit.Variance[j][j], Approx.Iterative, $"var[{j}]");
        }

        fit.N.Should().Be(227 * k);
        fit.NDropped.Should().Be(k);
    }
}
