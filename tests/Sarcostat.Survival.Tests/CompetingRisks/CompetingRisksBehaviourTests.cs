using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.CompetingRisks;

/// <summary>Data that cannot support a competing-risks analysis, missing values, and closed-form identities.</summary>
public class CompetingRisksBehaviourTests
{
    private static Factor Status(params string?[] values) => Factor.FromValues("status", values);

    [Fact]
    public void Without_competing_events_the_incidence_is_one_minus_Kaplan_Meier()
    {
        double[] time = [1, 2, 2, 3, 4, 5, 6, 7];
        bool[] ev = [true, true, false, true, false, true, false, true];
        var fit = CumulativeIncidence.Estimate(time, Status(ev.Select(e => e ? "1" : "0").ToArray()), "0");
        var km = Survival.Curves.KaplanMeier.Fit(time, ev);
        var points = fit.Curves.Single().At([1, 2, 3, 4, 5, 6, 7]);
        var s = km.At([1, 2, 3, 4, 5, 6, 7]);
        for (int i = 0; i < points.Count; i++)
        {
            Approx.Equal(1 - s[i].Survival, points[i].Estimate, Approx.ClosedForm, $"F({points[i].Time})", 1e-15);
        }
    }

    [Fact]
    public void Rows_with_a_missing_status_or_group_are_left_out_and_counted()
    {
        var fit = CumulativeIncidence.Estimate(
            [1, 2, 3, 4, 5], Status("1", null, "2", "0", "1"), "0", Factor.FromValues("g", ["a", "a", null, "b", "b"]));
        fit.N.Should().Be(3);
        fit.Dropped.Should().Be(2);
        fit.Causes.Should().Equal("1");
        fit.Groups.Should().Equal("a", "b");
    }

    [Fact]
    public void Only_censored_rows_is_data_trouble_with_its_code()
    {
        FluentActions.Invoking(() => CumulativeIncidence.Estimate([1, 2, 3], Status("0", "0", "0"), "0"))
            .Should().Throw<CompetingRisksException>().Which.Code.Should().Be("competing-risks-no-events");
    }

    [Fact]
    public void No_row_with_a_status_is_data_trouble_with_its_code()
    {
        FluentActions.Invoking(() => CumulativeIncidence.Estimate([1, 2], Status(null, null), "0"))
            .Should().Throw<AnalysisDataException>().Which.Code.Should().Be("competing-risks-no-data");
    }

    [Fact]
    public void A_negative_time_is_an_argument_error()
    {
        FluentActions.Invoking(() => CumulativeIncidence.Estimate([1, -2], Status("1", "0"), "0"))
            .Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Beyond_the_last_follow_up_the_incidence_is_not_available()
    {
        var fit = CumulativeIncidence.Estimate([1, 2, 3], Status("1", "2", "0"), "0");
        var at = fit.Curve("1")!.At([-1, 0, 3, 3.5]);
        at[0].Estimate.Should().Be(double.NaN);
        at[1].Estimate.Should().Be(0);
        at[2].Estimate.Should().BeApproximately(1.0 / 3, 1e-15);
        at[3].Estimate.Should().Be(double.NaN);
    }

    [Fact]
    public void Fine_Gray_without_events_of_the_cause_is_data_trouble()
    {
        FluentActions.Invoking(() => FineGray.Fit([1, 2, 3, 4], Status("2", "0", "2", "0"), "1", "0", [new NumericCovariate("x", [1, 2, 3, 4])]))
            .Should().Throw<CompetingRisksException>().Which.Code.Should().Be("competing-risks-no-events");
    }

    [Fact]
    public void Fine_Gray_with_a_constant_covariate_is_data_trouble()
    {
        FluentActions.Invoking(() => FineGray.Fit([1, 2, 3, 4], Status("1", "0", "2", "1"), "1", "0", [new NumericCovariate("x", [5, 5, 5, 5])]))
            .Should().Throw<CompetingRisksException>().Which.Code.Should().Be("fine-gray-design");
    }

    [Fact]
    public void Fine_Gray_with_a_single_level_factor_is_data_trouble()
    {
        FluentActions.Invoking(() => FineGray.Fit([1, 2, 3, 4], Status("1", "0", "2", "1"), "1", "0",
                [new CategoricalCovariate(Factor.FromValues("g", ["a", "a", "a", "a"]))]))
            .Should().Throw<CompetingRisksException>().Which.Code.Should().Be("fine-gray-design");
    }

    [Fact]
    public void Fine_Gray_with_collinear_covariates_is_data_trouble()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        FluentActions.Invoking(() => FineGray.Fit([1, 2, 3, 4, 5, 6], Status("1", "0", "2", "1", "1", "0"), "1", "0",
                [new NumericCovariate("x", x), new NumericCovariate("y", x.Select(v => 2 * v).ToArray())]))
            .Should().Throw<CompetingRisksException>().Which.Code.Should().Be("fine-gray-design");
    }

    [Fact]
    public void Fine_Gray_drops_rows_with_a_missing_covariate_or_status()
    {
        var fit = FineGray.Fit(
            [1, 2, 3, 4, 5, 6, 7, 8], Status("1", "0", "2", "1", null, "1", "2", "0"), "1", "0",
            [new NumericCovariate("x", [0.3, 1.2, double.NaN, 0.5, 1.0, -0.2, 0.8, 1.5])]);
        fit.N.Should().Be(6);
        fit.NDropped.Should().Be(2);
        fit.Events.Should().Be(3);
    }

    [Fact]
    public void A_single_group_gives_no_test_and_says_so()
    {
        var fit = CumulativeIncidence.Estimate([1, 2, 3, 4], Status("1", "2", "0", "1"), "0", Factor.FromValues("g", ["a", "a", null, "a"]));
        fit.Tests.Should().BeEmpty();
        fit.Warnings.Select(w => w.Code).Should().Equal("gray-test-one-group");
    }

    [Fact]
    public void A_group_never_at_risk_at_an_event_makes_Gray_singular_and_says_so()
    {
        // R: cuminc(c(5, 6, 7, 1, 2), c(1, 2, 1, 0, 0), c("a", "a", "a", "b", "b"))$Tests gives stat -1 for both causes.
        var fit = CumulativeIncidence.Estimate([5, 6, 7, 1, 2], Status("1", "2", "1", "0", "0"), "0", Factor.FromValues("g", ["a", "a", "a", "b", "b"]));
        fit.Tests.Should().HaveCount(2);
        fit.Tests.Should().AllSatisfy(t => double.IsNaN(t.Statistic).Should().BeTrue());
        fit.Warnings.Select(w => w.Code).Should().Equal("gray-test-singular", "gray-test-singular");
    }
}
