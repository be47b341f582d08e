using Sarcostat.Survival.Comparisons;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// Cox regression with the exact partial likelihood (ties = "exact"): golden values from R's coxph
/// (golden/coxexact_cases.json, tools/reference/coxexact.R), a closed form, the identity with Efron and Breslow when no
/// deaths are tied, and the work budget.
/// </summary>
public class CoxExactTests
{
    public static IEnumerable<object[]> ExactCaseNames() =>
    [
        ["ties_exact"],                      // coxph(Surv(time, status) ~ x + grp, data = tied, ties = "exact")
        ["ties_exact_strata"],               // ... + strata(centre)
        ["ties_exact_grp_c"],                // grp alone, reference level "c"
        ["ties_efron"],                      // the same data with Efron (the exact fit must differ from it)
        ["lung_months_exact"],               // coxph(Surv(ceiling(time / 30.4375), status) ~ age + sex + ph.ecog, lung, ties = "exact")
        ["lung_months_exact_strata_sex"],    // ~ age + ph.ecog + strata(sex)
        ["lung_quarters_exact"],             // ceiling(time / 91.3125): up to 39 deaths at one time
        ["lung_months_exact_iter_max_2"],    // iter.max = 2: ran out, iter = 2, variance diag(1 / I_jj)
        ["ovarian_exact"],                   // no tied deaths
        ["lung_exact_zph"],                  // coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, ties = "exact")
    ];

    // Iterative quantities at 1e-6 relative (the convergence criterion is 1e-9 on the log likelihood); the log
    // likelihood at β = 0, the score test and the means are not iterative and are compared at 1e-10 inside AssertMatches.
    [Theory]
    [MemberData(nameof(ExactCaseNames))]
    public void Exact_fits_match_R_coxph(string name)
    {
        var c = CoxGoldenCase.GetExact(name).Load();
        c.AssertMatches(c.Fit());
    }

    // R: cox.zph(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "exact"))$table
    //    (R's zph kernel handles an exact fit as Breslow; so does CoxZph)
    [Fact]
    public void Cox_zph_of_an_exact_fit_matches_R()
    {
        var c = CoxGoldenCase.GetExact("lung_exact_zph").Load();
        var fit = c.Fit();
        var z = CoxZph.Test(c.Time, c.Status, c.Covariates, fit, c.Strata, ZphTransform.Km);
        var rows = z.Tests.Append(z.Global).ToArray();
        rows.Select(r => r.Term).Should().Equal(Golden.Strings(c.Json.GetProperty("zph_terms")));
        Approx.Equal(Golden.Numbers(c.Json.GetProperty("zph_chisq")), rows.Select(r => r.ChiSquare).ToArray(), Approx.Iterative, "zph chisq");
        Approx.Equal(Golden.Numbers(c.Json.GetProperty("zph_p")), rows.Select(r => r.P).ToArray(), Approx.Iterative, "zph p");
        rows.Select(r => (double)r.Df).Should().Equal(Golden.Numbers(c.Json.GetProperty("zph_df")));
    }

    [Fact]
    public void Exact_and_Efron_differ_on_heavily_tied_data()
    {
        var exact = CoxGoldenCase.GetExact("ties_exact").Load();
        var efron = CoxGoldenCase.GetExact("ties_efron").Load();
        exact.Options.Ties.Should().Be(TieMethod.Exact);
        efron.Options.Ties.Should().Be(TieMethod.Efron);
        var a = exact.Fit();
        var b = efron.Fit();
        Math.Abs(a.Terms[1].Coef - b.Terms[1].Coef).Should().BeGreaterThan(0.1);
        a.Warnings.Should().BeEmpty();
    }

    // Closed form: four rows at one time, x = (1, 1, 0, 0), deaths at rows 1 and 3. Numerator e^β; denominator over the
    // six pairs e^{2β} + 4e^β + 1; the score 1 − (2e^{2β} + 4e^β)/(e^{2β} + 4e^β + 1) vanishes at β = 0, where
    // loglik = −log 6 and I = 8/6 − 1 = 1/3 (se = √3). Efron would give another loglik: −log(4) − log(3).
    [Fact]
    public void Four_rows_two_tied_deaths_match_the_closed_form()
    {
        double[] time = [5, 5, 5, 5];
        bool[] status = [true, false, true, false];
        var fit = CoxRegression.Fit(time, status, [new NumericCovariate("x", [1, 1, 0, 0])], null, new CoxOptions { Ties = TieMethod.Exact });
        fit.Terms[0].Coef.Should().BeApproximately(0, 1e-12);
        Approx.Equal(Math.Sqrt(3), fit.Terms[0].StdError, 1e-10, "se");
        Approx.Equal(-Math.Log(6), fit.LogLik, 1e-12, "loglik");
        Approx.Equal(-Math.Log(6), fit.LogLikNull, 1e-12, "loglik null");
        fit.Score.Statistic.Should().BeApproximately(0, 1e-12);
    }

    // With no tied deaths every tie method has the same likelihood; tied censored times and a stratum included.
    [Fact]
    public void Without_tied_deaths_exact_equals_Efron_and_Breslow()
    {
        var lung = CsvData.Load("lung");
        var rawTime = lung.Numeric("time");
        var rawStatus = lung.Event("status");

        // Keep the first death at each time (and every censored row): no two deaths share a time.
        var seen = new HashSet<double>();
        var keep = Enumerable.Range(0, rawTime.Length).Where(i => !rawStatus[i] || seen.Add(rawTime[i])).ToArray();
        var time = keep.Select(i => rawTime[i]).ToArray();
        var status = keep.Select(i => rawStatus[i]).ToArray();
        time.Where((t, i) => !status[i]).GroupBy(t => t).Any(g => g.Count() > 1).Should().BeTrue("tied censored times are part of the check");
        var covs = new List<Covariate>
        {
            new NumericCovariate("age", keep.Select(i => lung.Numeric("age")[i]).ToArray()),
            new NumericCovariate("ph.ecog", keep.Select(i => lung.Numeric("ph.ecog")[i]).ToArray()),
        };
        var strata = Factor.FromValues("sex", keep.Select(i => lung.Text("sex")[i]).ToArray());

        CoxFit Fit(TieMethod ties) => CoxRegression.Fit(time, status, covs, strata, new CoxOptions { Ties = ties, Epsilon = 1e-14, MaxIterations = 50 });
        var exact = Fit(TieMethod.Exact);
        foreach (var other in new[] { Fit(TieMethod.Efron), Fit(TieMethod.Breslow) })
        {
            Approx.Equal(other.LogLikNull, exact.LogLikNull, 1e-12, "loglik null");
            Approx.Equal(other.Score.Statistic, exact.Score.Statistic, 1e-10, "score test");
            Approx.Equal(other.LogLik, exact.LogLik, 1e-12, "loglik");
            Approx.Equal(other.Terms.Select(t => t.Coef).ToArray(), exact.Terms.Select(t => t.Coef).ToArray(), 1e-8, "coef");
            Approx.Equal(other.Terms.Select(t => t.StdError).ToArray(), exact.Terms.Select(t => t.StdError).ToArray(), 1e-8, "se");
        }
    }

    // 20 000 rows at one time with 10 000 deaths: 20 000 × 10 000 × 3 = 6e8 operations per iteration, over the budget.
    [Fact]
    public void A_computation_over_the_budget_is_refused_before_any_work()
    {
        int n = 20_000;
        var time = Enumerable.Repeat(1.0, n).ToArray();
        var status = Enumerable.Range(0, n).Select(i => i % 2 == 0).ToArray();
        var x = Enumerable.Range(0, n).Select(i => (double)(i % 7)).ToArray();
        var act = () => CoxRegression.Fit(time, status, [new NumericCovariate("x", x)], null, new CoxOptions { Ties = TieMethod.Exact });
        var e = act.Should().Throw<ExactComputationLimitException>().Which;
        e.Code.Should().Be("exact-limit");
        e.Should().BeAssignableTo<AnalysisDataException>();
        e.Message.Should().Contain("10000 deaths at one time").And.Contain("Efron");

        // The same data with Efron's approximation is fitted.
        CoxRegression.Fit(time, status, [new NumericCovariate("x", x)]).Terms.Should().HaveCount(1);
    }

    // Large risk scores do not overflow: the recursion is scaled by the risk set's mean (R's unscaled sums overflow
    // first). 300 rows at one time, 200 deaths, x in {0, 1} (250 ones, left unscaled), β = 50: e_200 of the r's is
    // about e^10000.
    // Reference: the same elementary symmetric polynomial summed in log space, L(j, k) = logaddexp(L(j, k−1), η_k + L(j−1, k−1)).
    [Fact]
    public void Many_tied_deaths_with_large_risk_scores_give_the_log_space_likelihood()
    {
        int n = 300, d = 200;
        double beta = 50;
        var time = Enumerable.Repeat(1.0, n).ToArray();
        var status = Enumerable.Range(0, n).Select(i => i % 3 != 2).ToArray();
        var x = Enumerable.Range(0, n).Select(i => i % 6 != 0 ? 1.0 : 0.0).ToArray();
        var likelihood = new CoxExactLikelihood(time, status, x, 1, null, 1, TimeFix.R);
        likelihood.Scale[0].Should().Be(1);
        var u = new double[1];
        var info = new double[1];
        double loglik = likelihood.Evaluate([beta], u, info);

        var logE = new double[d + 1];
        Array.Fill(logE, double.NegativeInfinity);
        logE[0] = 0;
        for (int k = 0; k < n; k++)
        {
            double eta = beta * x[k];
            for (int j = Math.Min(k + 1, d); j >= 1; j--)
            {
                double a = logE[j], b = eta + logE[j - 1];
                double hi = Math.Max(a, b);
                logE[j] = double.IsNegativeInfinity(hi) ? hi : hi + Math.Log(Math.Exp(a - hi) + Math.Exp(b - hi));
            }
        }

        double numerator = Enumerable.Range(0, n).Where(i => status[i]).Sum(i => beta * x[i]);
        Approx.Equal(numerator - logE[d], loglik, 1e-12, "exact log likelihood");
        double.IsFinite(u[0]).Should().BeTrue();
        double.IsFinite(info[0]).Should().BeTrue();
        info[0].Should().BeGreaterThan(0);
    }
}
