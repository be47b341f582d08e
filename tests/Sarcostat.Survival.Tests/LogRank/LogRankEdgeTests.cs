namespace Sarcostat.Survival.Tests.LogRank;

public class LogRankEdgeTests
{
    private const string File = "logrank_edge";

    // R calls: see each case's "call" in tools/reference/golden/logrank_edge.json (built in tools/reference/logrank.R).
    [Theory]
    [InlineData("group_without_events")]        // survdiff(Surv(time, status) ~ group)
    [InlineData("group_without_events_rho1")]   // survdiff(Surv(time, status) ~ group, rho = 1)
    [InlineData("group_not_at_risk")]           // survdiff(Surv(time, status) ~ group)
    [InlineData("one_group_at_risk")]           // survdiff(Surv(time, status) ~ group)
    [InlineData("heavy_ties")]                  // survdiff(Surv(time, status) ~ group)
    [InlineData("heavy_ties_rho1")]             // survdiff(Surv(time, status) ~ group, rho = 1)
    [InlineData("tied_event_and_censoring")]    // survdiff(Surv(time, status) ~ group)
    [InlineData("n3")]                          // survdiff(Surv(time, status) ~ group)
    [InlineData("n3_rho1")]                     // survdiff(Surv(time, status) ~ group, rho = 1)
    [InlineData("missing_values")]              // survdiff(Surv(time, status) ~ group + strata(strata))
    [InlineData("near_ties_timefix")]           // survdiff(Surv(time, status) ~ group)   (timefix = TRUE)
    [InlineData("near_ties_exact")]             // survdiff.fit without aeqSurv + survdiff's chi-square
    [InlineData("strata_one_group_rho1")]       // survdiff(Surv(time, status) ~ group + strata(strata), rho = 1)
    public void Hand_made_case_matches_R(string name)
    {
        var c = LogRankGolden.Case(File, name);
        LogRankGolden.AssertMatches(c, LogRankGolden.RunEdge(c));
    }

    [Fact]
    public void A_group_without_events_counts_in_the_degrees_of_freedom_and_is_reported()
    {
        var r = LogRankGolden.RunEdge(LogRankGolden.Case(File, "group_without_events"));
        r.DegreesOfFreedom.Should().Be(2);
        r.Groups[2].Events.Should().Be(0);
        r.Warnings.Select(w => w.Code).Should().Equal("group-without-events");
        r.Warnings[0].Message.Should().Contain("'c'");
    }

    [Fact]
    public void A_group_nobody_at_risk_at_event_times_is_left_out_of_the_test_as_in_R()
    {
        var r = LogRankGolden.RunEdge(LogRankGolden.Case(File, "group_not_at_risk"));
        r.DegreesOfFreedom.Should().Be(1);
        r.Groups.Should().HaveCount(3);
        r.Groups[2].Expected.Should().Be(0);
        double.IsNaN(r.Groups[2].OMinusESquaredOverE).Should().BeTrue();
        r.Warnings.Select(w => w.Code).Should().Equal("group-not-at-risk");
    }

    [Fact]
    public void One_group_at_risk_gives_zero_on_zero_degrees_of_freedom_with_p_one_as_R()
    {
        var r = LogRankGolden.RunEdge(LogRankGolden.Case(File, "one_group_at_risk"));
        r.ChiSquare.Should().Be(0);
        r.DegreesOfFreedom.Should().Be(0);
        r.P.Should().Be(1);
        r.Warnings.Select(w => w.Code).Should().Contain("one-group-at-risk");
    }

    [Fact]
    public void Merging_near_ties_changes_the_statistic_as_in_R()
    {
        var fixedTies = LogRankGolden.RunEdge(LogRankGolden.Case(File, "near_ties_timefix"));
        var exact = LogRankGolden.RunEdge(LogRankGolden.Case(File, "near_ties_exact"));
        Math.Abs(fixedTies.ChiSquare - exact.ChiSquare).Should().BeGreaterThan(0.01);
    }

    [Fact]
    public void No_events_at_all_gives_zero_on_zero_degrees_of_freedom_without_a_p_value()
    {
        // R: survdiff(Surv(1:4, rep(0, 4)) ~ c(1, 1, 2, 2)) gives chisq 0 on -1 df, p NaN; the engine reports 0 df.
        var r = Survival.RankTests.LogRank.Test([1.0, 2, 3, 4], [false, false, false, false], Factor.FromValues("g", ["1", "1", "2", "2"]));
        r.ChiSquare.Should().Be(0);
        r.DegreesOfFreedom.Should().Be(0);
        double.IsNaN(r.P).Should().BeTrue();
        r.Groups.Should().OnlyContain(g => g.Observed == 0 && g.Expected == 0);
        r.Warnings.Select(w => w.Code).Should().Equal("no-events");
    }

    [Fact]
    public void Groups_confounded_with_strata_give_a_singular_variance_handled_by_a_generalised_inverse()
    {
        // R: survdiff(Surv(t, s) ~ g + strata(st)) with g == st stops: "Lapack routine dgesv: system is exactly singular".
        // Each stratum holds one group, so V = 0: rank 0, statistic 0.
        var r = Survival.RankTests.LogRank.Test(
            [1.0, 2, 3, 4, 5, 6],
            [true, true, true, true, true, false],
            Factor.FromValues("g", ["1", "1", "1", "2", "2", "2"]),
            Factor.FromValues("st", ["1", "1", "1", "2", "2", "2"]));
        r.Variance.SelectMany(row => row).Should().OnlyContain(v => v == 0);
        r.ChiSquare.Should().Be(0);
        r.DegreesOfFreedom.Should().Be(0);
        r.Warnings.Select(w => w.Code).Should().Contain("singular-variance");
    }

    [Fact]
    public void Three_groups_with_two_confounded_with_a_stratum_have_rank_one()
    {
        // Stratum "s" holds groups a and b, stratum "t" only group c: V restricted to (b, c) has rank 1.
        var r = Survival.RankTests.LogRank.Test(
            [1.0, 2, 3, 4, 5, 6, 1, 2, 3],
            [true, true, false, true, true, false, true, true, false],
            Factor.FromValues("g", ["a", "b", "a", "b", "a", "b", "c", "c", "c"]),
            Factor.FromValues("st", ["s", "s", "s", "s", "s", "s", "t", "t", "t"]));
        r.DegreesOfFreedom.Should().Be(1);
        // With group c removed the test is the two-group test within stratum s.
        var two = Survival.RankTests.LogRank.Test(
            [1.0, 2, 3, 4, 5, 6], [true, true, false, true, true, false], Factor.FromValues("g", ["a", "b", "a", "b", "a", "b"]));
        Approx.Equal(two.ChiSquare, r.ChiSquare, Approx.ClosedForm, "chisq");
        r.Warnings.Select(w => w.Code).Should().Contain("singular-variance");
    }

    [Fact]
    public void Two_subjects_one_event_each_give_the_closed_form()
    {
        // At t = 1: n = 2, d = 1, n_a = n_b = 1: E_a = 1/2, V_aa = 1·1·(2−1)/(2−1)·(1/2)(1/2) = 1/4; t = 2 has n = 1 (no variance).
        // O_a = 1: chisq = (1 − 1/2)² / (1/4) = 1 on 1 df.
        var r = Survival.RankTests.LogRank.Test([1.0, 2], [true, true], Factor.FromValues("g", ["a", "b"]));
        Approx.Equal(0.5, r.Groups[0].Expected, Approx.ClosedForm, "E_a");
        Approx.Equal(1.5, r.Groups[1].Expected, Approx.ClosedForm, "E_b");
        Approx.Equal(0.25, r.Variance[0][0], Approx.ClosedForm, "V_aa");
        Approx.Equal(-0.25, r.Variance[0][1], Approx.ClosedForm, "V_ab");
        Approx.Equal(1, r.ChiSquare, Approx.ClosedForm, "chisq");
        Approx.Equal(0.31731050786291410, r.P, Approx.NonIterative, "p = pchisq(1, 1, lower.tail = FALSE)");
    }
}
