using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// The test of each covariate as a whole (<see cref="CoxCovariateTests"/>) against R: the likelihood-ratio test of the
/// model without the covariate on the full model's complete cases (R <c>drop1(fit, test = "Chisq")</c>, which
/// tools/reference/cox.R checks it equals) and the Wald test of the covariate's block (R <c>coxph.wtest</c>).
/// Golden: the <c>covariate_tests</c> of golden/cox_cases.json.
/// </summary>
public class CoxCovariateTestsTests
{
    public static IEnumerable<object[]> Cases() => Names().Select(n => new object[] { n });

    private static List<string> Names() =>
        CoxGoldenCase.Names().Select(n => (string)n[0])
            .Where(n => CoxGoldenCase.Get(n).Json.TryGetProperty("covariate_tests", out _))
            .ToList();

    [Fact]
    public void The_golden_file_has_factor_strata_missing_value_and_single_covariate_cases()
    {
        Names().Should().Contain(["lung_ecog_factor", "veteran_efron", "veteran_breslow", "lung_strata_sex_breslow", "ovarian_rx_breslow"]);
    }

    // Agreement observed: about 1e-9 relative on the statistics (they are differences of converged log-likelihoods);
    // the Cox tolerance 1e-6 is asserted.
    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_covariate_as_a_whole_matches_R(string name)
    {
        var c = CoxGoldenCase.Get(name).Load();
        var result = CoxCovariateTests.Test(c.Time, c.Status, c.Covariates, c.Strata, c.Options);
        c.AssertMatches(result.Fit, Approx.Iterative);

        var expected = c.Json.GetProperty("covariate_tests").EnumerateArray().ToList();
        result.Tests.Select(t => t.Covariate).Should().Equal(expected.Select(e => e.GetProperty("covariate").GetString()));
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var t = result.Tests[i];
            string what = $"{name}: {t.Covariate}";
            t.LikelihoodRatio.DegreesOfFreedom.Should().Be(e.GetProperty("df").GetInt32(), what);
            t.Wald.DegreesOfFreedom.Should().Be(e.GetProperty("df").GetInt32(), what);
            t.Terms.Should().HaveCount(e.GetProperty("df").GetInt32());
            Approx.Equal(Golden.Number(e.GetProperty("reduced_loglik")), t.ReducedLogLik, Approx.Iterative, what + " reduced loglik");
            Approx.Equal(Golden.Number(e.GetProperty("lr")), t.LikelihoodRatio.Statistic, Approx.Iterative, what + " LR");
            Approx.Equal(Golden.Number(e.GetProperty("lr_p")), t.LikelihoodRatio.P, Approx.Iterative, what + " LR p");
            Approx.Equal(Golden.Number(e.GetProperty("wald")), t.Wald.Statistic, Approx.Iterative, what + " Wald");
            Approx.Equal(Golden.Number(e.GetProperty("wald_p")), t.Wald.P, Approx.Iterative, what + " Wald p");
            t.Warnings.Should().BeEmpty();
        }
    }

    [Fact]
    public void A_single_covariate_is_tested_against_the_null_model()
    {
        var c = CoxGoldenCase.Get("ovarian_rx_breslow").Load();
        var result = CoxCovariateTests.Test(c.Time, c.Status, c.Covariates, c.Strata, c.Options);
        var test = result.Tests.Should().ContainSingle().Which;
        test.ReducedLogLik.Should().Be(result.Fit.LogLikNull);
        test.LikelihoodRatio.Statistic.Should().BeApproximately(result.Fit.LikelihoodRatio.Statistic, 1e-12);
    }

    [Fact]
    public void A_covariate_with_missing_values_is_dropped_on_the_full_models_rows()
    {
        // wt.loss has missing values: the model without it must still be fitted without those rows, or the two
        // likelihoods would not be comparable (R's drop1 stops with "number of rows in use has changed").
        var c = CoxGoldenCase.Get("lung_strata_sex_breslow").Load();
        var result = CoxCovariateTests.Test(c.Time, c.Status, c.Covariates, c.Strata, c.Options);
        var onAllRows = CoxRegression.Fit(c.Time, c.Status, c.Covariates.Where(x => x.Name != "wt.loss").ToList(), c.Strata, c.Options);
        onAllRows.N.Should().BeGreaterThan(result.Fit.N);
        result.Tests.Single(t => t.Covariate == "wt.loss").ReducedLogLik.Should().NotBe(onAllRows.LogLik);
    }
}
