using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival.Tests.LogRank;

public class LogRankDatasetTests
{
    private const string File = "logrank_datasets";

    private static (double[] Time, bool[] Status, CsvData Data) Load(string name, string time, string status)
    {
        var d = CsvData.Load(name);
        return (d.Numeric(time), d.Event(status), d);
    }

    [Theory]
    // R: survdiff(Surv(time, status) ~ sex, data = lung)
    [InlineData("lung_sex", 0.0)]
    // R: survdiff(Surv(time, status) ~ sex, data = lung, rho = 1)
    [InlineData("lung_sex_rho1", 1.0)]
    // R: survdiff(Surv(time, status) ~ sex, data = lung, rho = 0.5)
    [InlineData("lung_sex_rho_half", 0.5)]
    public void Lung_by_sex_matches_R(string golden, double rho)
    {
        var (time, status, d) = Load("lung", "time", "status");
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("sex", d.Text("sex")), options: new LogRankOptions { Rho = rho });
        LogRankGolden.AssertMatches(LogRankGolden.Case(File, golden), r);
        r.Stratified.Should().BeFalse();
        r.Rho.Should().Be(rho);
        r.Warnings.Should().BeEmpty();
    }

    [Theory]
    // R: survdiff(Surv(time, status) ~ celltype, data = veteran)
    [InlineData("veteran_celltype", 0.0)]
    // R: survdiff(Surv(time, status) ~ celltype, data = veteran, rho = 1)
    [InlineData("veteran_celltype_rho1", 1.0)]
    public void Veteran_by_celltype_matches_R(string golden, double rho)
    {
        var (time, status, d) = Load("veteran", "time", "status");
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("celltype", d.Text("celltype")), options: new LogRankOptions { Rho = rho });
        LogRankGolden.AssertMatches(LogRankGolden.Case(File, golden), r);
        r.DegreesOfFreedom.Should().Be(3);
    }

    [Fact]
    public void Ovarian_by_rx_stratified_by_ecog_matches_R()
    {
        // R: survdiff(Surv(futime, fustat) ~ rx + strata(ecog.ps), data = ovarian)
        var (time, status, d) = Load("ovarian", "futime", "fustat");
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("rx", d.Text("rx")), Factor.FromValues("ecog.ps", d.Text("ecog.ps")));
        LogRankGolden.AssertMatches(LogRankGolden.Case(File, "ovarian_rx_strata_ecog"), r);
        r.Stratified.Should().BeTrue();
        r.StrataCount.Should().Be(2);
    }

    [Theory]
    // R: survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung)   (one ph.ecog missing: n = 227)
    [InlineData("lung_sex_strata_ecog", 0.0)]
    // R: survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung, rho = 1)
    [InlineData("lung_sex_strata_ecog_rho1", 1.0)]
    public void Lung_by_sex_stratified_by_ecog_with_its_missing_value_matches_R(string golden, double rho)
    {
        var (time, status, d) = Load("lung", "time", "status");
        var r = Survival.RankTests.LogRank.Test(
            time, status, Factor.FromValues("sex", d.Text("sex")), Factor.FromValues("ph.ecog", d.Text("ph.ecog")), new LogRankOptions { Rho = rho });
        LogRankGolden.AssertMatches(LogRankGolden.Case(File, golden), r);
        r.N.Should().Be(227);
        r.NDropped.Should().Be(1);
        r.StrataCount.Should().Be(4);
    }

    [Fact]
    public void Lung_by_ecog_with_a_missing_group_and_a_one_subject_group_matches_R()
    {
        // R: survdiff(Surv(time, status) ~ ph.ecog, data = lung)
        var (time, status, d) = Load("lung", "time", "status");
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("ph.ecog", d.Text("ph.ecog")));
        LogRankGolden.AssertMatches(LogRankGolden.Case(File, "lung_ecog"), r);
        r.NDropped.Should().Be(1);
    }

    [Fact]
    public void Lung_by_ecog_stratified_by_sex_matches_R()
    {
        // R: survdiff(Surv(time, status) ~ ph.ecog + strata(sex), data = lung)
        var (time, status, d) = Load("lung", "time", "status");
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("ph.ecog", d.Text("ph.ecog")), Factor.FromValues("sex", d.Text("sex")));
        LogRankGolden.AssertMatches(LogRankGolden.Case(File, "lung_ecog_strata_sex"), r);
    }

    [Theory]
    // R: coxph(Surv(time + (row - 1) / 1000, status) ~ factor(sex), data = lung, ties = "breslow")$score
    [InlineData("lung", "sex", "cox_score_lung_sex_untied")]
    // R: coxph(Surv(time + (row - 1) / 1000, status) ~ factor(celltype), data = veteran, ties = "breslow")$score
    [InlineData("veteran", "celltype", "cox_score_veteran_celltype_untied")]
    public void Without_tied_times_the_log_rank_statistic_equals_Rs_Cox_score_test_with_Breslow_ties(string dataset, string groupColumn, string golden)
    {
        var d = CsvData.Load(dataset);
        var time = d.Numeric("time").Select((t, i) => t + (i / 1000.0)).ToArray(); // the same untying as the R script
        var c = LogRankGolden.Case(File, golden);
        Approx.Equal(Golden.Numbers(c.GetProperty("time")), time, 1e-14, "untied times as R made them");
        var r = Survival.RankTests.LogRank.Test(time, d.Event("status"), Factor.FromValues(groupColumn, d.Text(groupColumn)));
        Approx.Equal(Golden.Number(c.GetProperty("score")), r.ChiSquare, Approx.NonIterative, "Cox score test");
        Approx.Equal(Golden.Number(c.GetProperty("survdiff_chisq")), r.ChiSquare, Approx.NonIterative, "survdiff chisq");
    }

    [Fact]
    public void With_tied_times_the_log_rank_statistic_is_not_the_Breslow_score_test()
    {
        // R: coxph(Surv(time, status) ~ factor(sex), data = lung, ties = "breslow")$score = 10.2999... vs survdiff 10.3267...
        // The log-rank variance carries the hypergeometric factor (n - d)/(n - 1) at tied event times; the Cox
        // information does not. Guards against "fixing" the variance to the Cox form.
        var (time, status, d) = Load("lung", "time", "status");
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("sex", d.Text("sex")));
        double cox = Golden.Number(LogRankGolden.Case(File, "cox_score_lung_sex_tied").GetProperty("score"));
        Math.Abs(r.ChiSquare - cox).Should().BeGreaterThan(0.01);
        r.ChiSquare.Should().BeGreaterThan(cox);
    }
}
