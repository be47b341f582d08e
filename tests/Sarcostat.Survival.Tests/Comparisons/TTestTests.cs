using System.Text.Json;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests.Comparisons;

public class TTestTests
{
    private static readonly JsonElement Tests = Golden.Load("compare_tests");

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Tests.GetProperty("ttest").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    // R: t.test(x, y, var.equal = TRUE / FALSE) on lung age and wt.loss by sex, small samples with and without ties,
    // sizes 3 and 4, unequal variances, NA in the inputs, a single x observation (Student).
    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_field_matches_R(int index)
    {
        var c = Tests.GetProperty("ttest")[index];
        bool pooled = c.GetProperty("var_equal").GetBoolean();
        string what = $"{c.GetProperty("name").GetString()} ({(pooled ? "Student" : "Welch")})";
        var x = Golden.Numbers(c.GetProperty("x"));
        var y = Golden.Numbers(c.GetProperty("y"));
        var result = pooled ? TTest.Student(x, y) : TTest.Welch(x, y);

        result.Method.Should().Be(pooled ? TTestMethod.Student : TTestMethod.Welch);
        Approx.Equal(Golden.Number(c.GetProperty("t")), result.T, Approx.NonIterative, $"{what} t");
        Approx.Equal(Golden.Number(c.GetProperty("df")), result.DegreesOfFreedom, Approx.NonIterative, $"{what} df");
        Approx.Equal(Golden.Number(c.GetProperty("p")), result.P, Approx.NonIterative, $"{what} p");
        Approx.Equal(Golden.Number(c.GetProperty("mean_x")), result.MeanX, Approx.NonIterative, $"{what} mean x");
        Approx.Equal(Golden.Number(c.GetProperty("mean_y")), result.MeanY, Approx.NonIterative, $"{what} mean y");
        Approx.Equal(Golden.Number(c.GetProperty("lower")), result.Lower, Approx.NonIterative, $"{what} lower");
        Approx.Equal(Golden.Number(c.GetProperty("upper")), result.Upper, Approx.NonIterative, $"{what} upper");
        Approx.Equal(Golden.Number(c.GetProperty("stderr")), result.StdError, Approx.NonIterative, $"{what} stderr");
        result.MissingX.Should().Be(x.Count(double.IsNaN));
        result.MissingY.Should().Be(y.Count(double.IsNaN));
        result.NX.Should().Be(x.Count(v => !double.IsNaN(v)));
    }

    [Fact]
    public void Hand_computed_Student_statistic()
    {
        // x = (1, 2, 3): mean 2, SS 2; y = (4, 5, 6, 7): mean 5.5, SS 5; s²p = 7/5; SE = √(1.4·(1/3 + 1/4)); df = 5.
        var result = TTest.Student([1, 2, 3], [4, 5, 6, 7]);
        double se = Math.Sqrt(1.4 * ((1.0 / 3) + 0.25));
        Approx.Equal(se, result.StdError, Approx.ClosedForm, "SE");
        Approx.Equal(-3.5 / se, result.T, Approx.ClosedForm, "t");
        result.DegreesOfFreedom.Should().Be(5);
        result.Difference.Should().Be(-3.5);
    }

    [Fact]
    public void Swapping_the_groups_negates_t_and_mirrors_the_interval()
    {
        double[] x = [5.1, 4.9, 6.2, 5.8, 6.0], y = [4.1, 3.9, 4.4, 5.0];
        foreach (var pooled in new[] { true, false })
        {
            var a = pooled ? TTest.Student(x, y) : TTest.Welch(x, y);
            var b = pooled ? TTest.Student(y, x) : TTest.Welch(y, x);
            Approx.Equal(-a.T, b.T, 1e-14, "t");
            Approx.Equal(a.P, b.P, 1e-14, "p");
            Approx.Equal(-a.Upper, b.Lower, 1e-13, "lower");
            Approx.Equal(a.DegreesOfFreedom, b.DegreesOfFreedom, 1e-14, "df");
        }
    }

    [Fact]
    public void Welch_with_one_observation_in_a_group_throws_InsufficientDataException_as_R()
    {
        // R: t.test(5, c(1, 2, 4)) -> Error: not enough 'x' observations
        var act = () => TTest.Welch([5, double.NaN], [1, 2, 4]);
        act.Should().Throw<InsufficientDataException>()
            .Where(e => e.Group == "x" && e.Count == 1 && e.Required == 2)
            .WithMessage("*'x'*");
        FluentActions.Invoking(() => TTest.Welch([1, 2, 4], [3])).Should().Throw<InsufficientDataException>().Where(e => e.Group == "y");
    }

    [Fact]
    public void Student_needs_one_per_group_and_three_in_total_as_R()
    {
        // R: t.test(numeric(0), 1:3, var.equal = TRUE) -> not enough 'x' observations; t.test(1, 2, var.equal = TRUE) -> not enough observations
        FluentActions.Invoking(() => TTest.Student([], [1, 2, 3])).Should().Throw<InsufficientDataException>().Where(e => e.Group == "x" && e.Count == 0);
        FluentActions.Invoking(() => TTest.Student([1], [2])).Should().Throw<InsufficientDataException>().Where(e => e.Required == 3);
        FluentActions.Invoking(() => TTest.Student([5], [1, 2])).Should().NotThrow();
    }

    [Fact]
    public void Constant_data_throw_DegenerateDataException_as_R()
    {
        // R: t.test(c(2, 2, 2), c(2, 2)) -> Error: data are essentially constant
        FluentActions.Invoking(() => TTest.Welch([2, 2, 2], [2, 2])).Should().Throw<DegenerateDataException>();
        FluentActions.Invoking(() => TTest.Student([2, 2, 2], [2, 2])).Should().Throw<DegenerateDataException>();
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        FluentActions.Invoking(() => TTest.Welch(null!, [1.0, 2])).Should().Throw<ArgumentNullException>().WithParameterName("x");
        FluentActions.Invoking(() => TTest.Welch([1.0, 2], [1.0, 3], 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("confidenceLevel");
    }
}
