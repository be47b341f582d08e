using System.Text.Json;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests.Comparisons;

public class MannWhitneyTests
{
    private static readonly JsonElement Tests = Golden.Load("compare_tests");

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Tests.GetProperty("wilcox").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    // R: wilcox.test(x, y, exact = NULL / TRUE / FALSE) on lung age and wt.loss by sex (ties, n > 50), small samples
    // with and without ties, sizes 3 and 4 (exact), normal samples of 60 and 55 without ties, with warnings captured.
    [Theory]
    [MemberData(nameof(Cases))]
    public void Statistic_p_method_and_warning_match_R(int index)
    {
        var c = Tests.GetProperty("wilcox")[index];
        var method = c.GetProperty("exact").GetString() switch
        {
            "auto" => MannWhitneyMethod.Auto,
            "exact" => MannWhitneyMethod.Exact,
            _ => MannWhitneyMethod.NormalApproximation,
        };
        string what = $"{c.GetProperty("name").GetString()} ({method})";
        var result = MannWhitney.Test(Golden.Numbers(c.GetProperty("x")), Golden.Numbers(c.GetProperty("y")), method);

        Approx.Equal(Golden.Number(c.GetProperty("W")), result.W, Approx.NonIterative, $"{what} W");
        Approx.Equal(Golden.Number(c.GetProperty("p")), result.P, Approx.NonIterative, $"{what} p");
        result.Method.Should().Be(c.GetProperty("method_exact").GetBoolean() ? MannWhitneyMethod.Exact : MannWhitneyMethod.NormalApproximation, what);
        result.Warnings.Any(w => w.Code == "ties-no-exact").Should().Be(c.GetProperty("ties_warning").GetBoolean(), what);

        // The normal approximation's pieces, as stats:::wilcox.test.default computes them (SIGMA, z), for every method.
        Approx.Equal(Golden.Number(c.GetProperty("sigma")), result.Sigma, Approx.NonIterative, $"{what} sigma");
        Approx.Equal(Golden.Number(c.GetProperty("z")), result.NormalZ, Approx.NonIterative, $"{what} z");
    }

    [Fact]
    public void Exact_p_of_completely_separated_samples_is_two_over_the_number_of_arrangements()
    {
        // x = (10, 11, 12) above y = (1, 2, 3, 4): W = 12 = m·n, P(W ≥ 12) = 1/C(7, 3) = 1/35, two-sided 2/35.
        var result = MannWhitney.Test([10, 11, 12], [1, 2, 3, 4]);
        result.W.Should().Be(12);
        Approx.Equal(2.0 / 35.0, result.P, Approx.ClosedForm, "p");
    }

    [Fact]
    public void Exact_distribution_counts_sum_to_the_binomial_coefficient_and_are_symmetric()
    {
        var counts = WilcoxonDistribution.Counts(6, 4, 24);
        counts.Sum().Should().Be(210); // C(10, 4)
        for (int w = 0; w <= 24; w++)
        {
            counts[w].Should().Be(counts[24 - w], $"symmetry at {w}");
        }

        // Hand count for m = 2, n = 2: W ∈ {0, 1, 2, 2, 3, 4} -> counts 1, 1, 2, 1, 1.
        WilcoxonDistribution.Counts(2, 2, 4).Should().Equal(1, 1, 2, 1, 1);
    }

    [Fact]
    public void Swapping_the_samples_gives_W_complement_and_the_same_p()
    {
        double[] x = [1.83, 0.50, 1.62, 2.48, 1.68], y = [0.878, 0.647, 0.598, 2.05, 1.07, 1.29];
        foreach (var method in new[] { MannWhitneyMethod.Exact, MannWhitneyMethod.NormalApproximation })
        {
            var a = MannWhitney.Test(x, y, method);
            var b = MannWhitney.Test(y, x, method);
            b.W.Should().Be((x.Length * y.Length) - a.W);
            Approx.Equal(a.P, b.P, 1e-14, $"{method} p");
        }
    }

    [Fact]
    public void Adding_a_constant_or_rescaling_changes_nothing()
    {
        double[] x = [3, 5, 5, 7, 2, 9, 4, 5], y = [6, 8, 5, 9, 9, 7, 10];
        var a = MannWhitney.Test(x, y);
        var b = MannWhitney.Test(x.Select(v => (v * 2.5) + 100).ToArray(), y.Select(v => (v * 2.5) + 100).ToArray());
        b.W.Should().Be(a.W);
        b.P.Should().Be(a.P);
    }

    [Fact]
    public void All_values_tied_give_NaN_with_a_warning_as_R()
    {
        // R: wilcox.test(c(1, 1), c(1, 1, 1)) -> W = 3, p-value = NA
        var result = MannWhitney.Test([1, 1], [1, 1, 1]);
        result.W.Should().Be(3);
        result.P.Should().Be(double.NaN);
        result.Warnings.Select(w => w.Code).Should().Contain("all-tied");
    }

    [Fact]
    public void Empty_sample_throws_InsufficientDataException_as_R()
    {
        // R: wilcox.test(numeric(0), 1:3) -> not enough (non-missing) 'x' observations
        FluentActions.Invoking(() => MannWhitney.Test([double.NaN], [1, 2, 3])).Should().Throw<InsufficientDataException>()
            .Where(e => e.Group == "x" && e.Count == 0 && e.Required == 1);
        FluentActions.Invoking(() => MannWhitney.Test([1, 2], [])).Should().Throw<InsufficientDataException>().Where(e => e.Group == "y");
    }

    [Fact]
    public void Forcing_the_exact_method_on_huge_samples_is_refused_at_once()
    {
        var x = Enumerable.Range(0, 3000).Select(i => i * 2.0).ToArray();
        var y = Enumerable.Range(0, 3000).Select(i => (i * 2.0) + 1).ToArray();
        FluentActions.Invoking(() => MannWhitney.Test(x, y, MannWhitneyMethod.Exact)).Should().Throw<ExactComputationLimitException>();
        MannWhitney.Test(x, y).Method.Should().Be(MannWhitneyMethod.NormalApproximation);
    }

    [Fact]
    public void Missing_values_are_dropped_and_counted()
    {
        var result = MannWhitney.Test([1, double.NaN, 3, 4, 2.5], [2, 5, double.NaN, 7, 8, double.NaN]);
        result.NX.Should().Be(4);
        result.MissingX.Should().Be(1);
        result.MissingY.Should().Be(2);
    }
}
