using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests;

/// <summary>Numbers stay numbers: huge (and tiny) values neither overflow into ties nor print as NaN or infinity (issue 9).</summary>
public class HugeValueTests
{
    [Fact]
    public void Times_1e308_and_1_7e308_stay_two_times_in_the_near_tie_merge()
    {
        // Their sum overflows; an infinite mean |y| would make dy / mean = 0 and tie them. R: aeqSurv(Surv(c(1e308,
        // 1.7e308), c(1, 1))) keeps both (its mean is taken in long double).
        double[] time = [1.7e308, 1e308];
        TimeFixer.Apply(time).Should().Equal(1.7e308, 1e308);
        TimeFixer.Apply([1e308, 1e308 * (1 + 1e-12), 1.7e308]).Should().Equal([1e308, 1e308, 1.7e308], "a real near-tie still merges at that scale");
    }

    [Fact]
    public void Kaplan_Meier_on_huge_times_has_one_step_per_time()
    {
        var fit = Survival.Curves.KaplanMeier.Fit([1e308, 1.7e308, 1.7e308, 5], [true, true, false, true]);
        fit.Steps.Select(s => s.Time).Should().Equal(5, 1e308, 1.7e308);
        fit.Steps.Select(s => s.NRisk).Should().Equal(4, 3, 2);
    }

    [Fact]
    public void A_median_between_two_huge_times_is_their_midpoint_not_infinity()
    {
        // S = 0.5 exactly on the flat stretch from 1e308 to 1.7e308: the median is the midpoint (R's rule), and
        // (1e308 + 1.7e308) / 2 overflows while 1e308 / 2 + 1.7e308 / 2 = 1.35e308.
        var fit = Survival.Curves.KaplanMeier.Fit([1e308, 1.7e308], [true, true]);
        fit.Median.Estimate.Should().BeApproximately(1.35e308, 1e-12 * 1.35e308);
    }

    [Fact]
    public void Welch_t_test_on_values_near_1e80_equals_the_test_on_the_unscaled_values_times_1e80()
    {
        // Welch's df is scale-invariant and t too; means, SE and limits scale. Unscaled, SE^4 ~ 1e320 overflows and df was NaN.
        // By hand, for t.test(c(1, 2, 4, 7), c(3, 5, 6, 9, 10)): means 3.5 and 6.6, variances 7 and 8.3,
        // SE^2 = 7/4 + 8.3/5 = 3.41, t = -3.1 / sqrt(3.41) = -1.678744, df = 3.41^2 / (1.75^2/3 + 1.66^2/4) = 6.801134.
        double[] x = [1, 2, 4, 7], y = [3, 5, 6, 9, 10];
        var small = TTest.Welch(x, y);
        var huge = TTest.Welch(x.Select(v => v * 1e80).ToArray(), y.Select(v => v * 1e80).ToArray());
        small.T.Should().BeApproximately(-3.1 / Math.Sqrt(3.41), 1e-12);
        small.DegreesOfFreedom.Should().BeApproximately(3.41 * 3.41 / ((1.75 * 1.75 / 3) + (1.66 * 1.66 / 4)), 1e-10);
        huge.T.Should().BeApproximately(small.T, 1e-12 * Math.Abs(small.T));
        huge.DegreesOfFreedom.Should().BeApproximately(small.DegreesOfFreedom, 1e-12 * small.DegreesOfFreedom);
        huge.P.Should().BeApproximately(small.P, 1e-12);
        huge.StdError.Should().BeApproximately(small.StdError * 1e80, 1e-12 * small.StdError * 1e80);
        huge.Lower.Should().BeApproximately(small.Lower * 1e80, 1e-12 * Math.Abs(small.Lower) * 1e80);
    }

    [Fact]
    public void Tiny_values_do_not_underflow_either()
    {
        double[] x = [1, 2, 4, 7], y = [3, 5, 6, 9, 10];
        var small = TTest.Welch(x, y);
        var tiny = TTest.Welch(x.Select(v => v * 1e-160).ToArray(), y.Select(v => v * 1e-160).ToArray());
        tiny.DegreesOfFreedom.Should().BeApproximately(small.DegreesOfFreedom, 1e-12 * small.DegreesOfFreedom);
        tiny.T.Should().BeApproximately(small.T, 1e-12 * Math.Abs(small.T));
    }

    [Fact]
    public void A_difference_beyond_the_largest_double_is_not_representable_not_infinite()
    {
        FluentActions.Invoking(() => TTest.Welch([1.7e308, 1.6e308], [-1.7e308, -1.5e308]))
            .Should().Throw<NotRepresentableException>();
    }

    [Fact]
    public void Group_comparison_reports_a_not_representable_test_as_a_warning()
    {
        var by = Factor.FromValues("g", ["a", "a", "b", "b"]);
        var c = GroupComparison.Numeric(by, "v", [1.7e308, 1.6e308, -1.7e308, -1.5e308]);
        c.Welch.Should().BeNull();
        c.Student.Should().BeNull();
        c.Warnings.Select(w => w.Code).Should().Contain("not-representable");
    }

    [Fact]
    public void Descriptives_of_values_near_the_largest_double_have_their_true_mean()
    {
        var s = Descriptives.Numeric([1e308, 1.7e308]);
        s.Mean.Should().BeApproximately(1.35e308, 1e-12 * 1.35e308);
        s.SD.Should().BeApproximately(0.7e308 / Math.Sqrt(2), 1e-12 * 0.5e308);
    }
}
