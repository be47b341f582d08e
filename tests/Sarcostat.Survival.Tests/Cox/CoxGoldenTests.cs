namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// Cox fits compared field by field with R's coxph (golden/cox_cases.json from tools/reference/cox.R).
/// Each test names the R call it reproduces; the JSON records it too (r_call).
/// </summary>
public class CoxGoldenTests
{
    private static void Check(string name, double rel = Approx.Iterative)
    {
        var c = CoxGoldenCase.Get(name).Load();
        c.AssertMatches(c.Fit(), rel);
    }

    // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "efron")   (ph.ecog NA row dropped)
    [Fact]
    public void Lung_efron_matches_R() => Check("lung_efron");

    // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "breslow")
    [Fact]
    public void Lung_breslow_matches_R() => Check("lung_breslow");

    // R: coxph(Surv(time, status) ~ age + sex + ph.ecog + strata(inst), data = lung)   (inst NA dropped too)
    [Fact]
    public void Lung_stratified_by_institution_matches_R() => Check("lung_strata_inst");

    // R: coxph(Surv(time, status) ~ age + ph.ecog + wt.loss + strata(sex), data = lung, ties = "breslow")
    [Fact]
    public void Lung_stratified_by_sex_with_breslow_matches_R() => Check("lung_strata_sex_breslow");

    // R: coxph(Surv(time, status) ~ sex, data = lung, ties = "breslow")
    [Fact]
    public void Lung_sex_alone_matches_R() => Check("lung_sex_breslow");

    // R: lung$ph.ecog <- factor(lung$ph.ecog); coxph(Surv(time, status) ~ age + ph.ecog, data = lung)
    [Fact]
    public void Lung_with_ecog_as_factor_matches_R() => Check("lung_ecog_factor");

    // R: veteran$celltype <- factor(veteran$celltype); coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran)
    [Fact]
    public void Veteran_with_celltype_factor_efron_matches_R() => Check("veteran_efron");

    // R: coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran, ties = "breslow")
    [Fact]
    public void Veteran_with_celltype_factor_breslow_matches_R() => Check("veteran_breslow");

    // R: veteran$celltype <- relevel(veteran$celltype, ref = "squamous"); coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran)
    [Fact]
    public void Veteran_with_squamous_reference_matches_R() => Check("veteran_relevel_squamous");

    // R: coxph(Surv(futime, fustat) ~ rx + age + ecog.ps, data = ovarian, ties = "efron")
    [Fact]
    public void Ovarian_efron_matches_R() => Check("ovarian_efron");

    // R: coxph(Surv(futime, fustat) ~ rx + age + ecog.ps, data = ovarian, ties = "breslow")
    [Fact]
    public void Ovarian_breslow_matches_R() => Check("ovarian_breslow");

    // R: lung$months <- (entry + time)/30.4375 - entry/30.4375; coxph(Surv(months, status) ~ age + sex, data = lung)
    [Fact]
    public void Near_tied_months_are_merged_as_R_timefix() => Check("lung_months_timefix_true");

    // R: coxph(Surv(months, status) ~ age + sex, data = lung, timefix = FALSE)
    [Fact]
    public void Near_tied_months_without_timefix_match_R() => Check("lung_months_timefix_false");

    // R: coxph(Surv(time / 365.25, status) ~ age + sex + ph.ecog, data = lung)
    [Fact]
    public void Lung_in_years_matches_R() => Check("lung_years");

    // R: coxph(Surv(ceiling(time / 91.3125), status) ~ age + sex + ph.ecog, data = lung, ties = "efron")
    [Fact]
    public void Heavily_tied_quarters_efron_match_R() => Check("lung_quarters_efron");

    // R: coxph(Surv(ceiling(time / 91.3125), status) ~ age + sex + ph.ecog, data = lung, ties = "breslow")
    [Fact]
    public void Heavily_tied_quarters_breslow_match_R() => Check("lung_quarters_breslow");

    // R: coxph(Surv(time, status) ~ x + g, data = heavy, ties = "efron")   (3 distinct times, 40 rows)
    [Fact]
    public void Three_distinct_times_efron_match_R() => Check("heavy_ties_efron");

    // R: coxph(Surv(time, status) ~ x + g, data = heavy, ties = "breslow")
    [Fact]
    public void Three_distinct_times_breslow_match_R() => Check("heavy_ties_breslow");

    // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, iter.max = 1)
    [Fact]
    public void One_iteration_matches_R() => Check("lung_iter_max_1");

    // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, iter.max = 2)
    //    (not converged; R's variance is then diag(1 / I_jj) and iter = 3)
    [Fact]
    public void Running_out_of_iterations_matches_R_including_its_diagonal_variance()
    {
        var c = CoxGoldenCase.Get("lung_iter_max_2").Load();
        var fit = c.Fit();
        c.AssertMatches(fit);
        fit.Converged.Should().BeFalse();
        fit.Iterations.Should().Be(3);
        fit.Warnings.Should().Contain(w => w.Code == "not-converged");
        fit.Variance[0][1].Should().Be(0);
    }

    // R: coxph(Surv(time, status) ~ x, data = test1, ties = "efron")   (T&G test data 1, unsorted, x NA in row 2)
    [Fact]
    public void Test_data_1_efron_matches_R() => Check("test1_efron");

    // R: coxph(Surv(time, status) ~ x, data = test1, ties = "breslow")
    [Fact]
    public void Test_data_1_breslow_matches_R() => Check("test1_breslow");

    // R: coxph(Surv(time, status) ~ x, data = single)   (one event)
    [Fact]
    public void A_single_event_matches_R() => Check("single_event");

    // R: coxph(Surv(time, status) ~ x, data = three)   (n = 3)
    [Fact]
    public void Three_rows_match_R() => Check("n3");

    // R: coxph(Surv(time, status) ~ x + z, data = mono)
    //    Warning: "Loglik converged before variable 1; coefficient may be infinite."
    [Fact]
    public void Monotone_likelihood_is_flagged_as_R_does()
    {
        var c = CoxGoldenCase.Get("monotone").Load();
        var fit = c.Fit();
        c.AssertMatches(fit);
        var warning = fit.Warnings.Single(w => w.Code == "monotone-likelihood");
        warning.Message.Should().Contain("'x'").And.NotContain("'z'");
        fit.Converged.Should().BeTrue();
    }

    // R: coxph(Surv(futime, fustat) ~ rx, data = ovarian, ties = "breslow")
    [Fact]
    public void Ovarian_rx_alone_matches_R() => Check("ovarian_rx_breslow");

    // R: survdiff(Surv(futime, fustat) ~ rx, data = ovarian)$chisq  ==  coxph(..., ties = "breslow")$score
    //    (equal when no two events are tied; with tied deaths survdiff's hypergeometric variance differs)
    [Fact]
    public void Breslow_score_test_equals_the_log_rank_test_without_tied_events()
    {
        var c = CoxGoldenCase.Get("ovarian_rx_breslow").Load();
        var fit = c.Fit();
        double logrank = Golden.Number(c.Json.GetProperty("logrank_chisq"));
        Approx.Equal(logrank, fit.Score.Statistic, Approx.NonIterative, "log-rank chi-square vs score test");
    }
}
