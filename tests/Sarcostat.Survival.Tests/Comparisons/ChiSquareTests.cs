using System.Text.Json;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests.Comparisons;

public class ChiSquareTests
{
    private static readonly JsonElement Tables = Golden.Load("compare_tables");

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Tables.GetProperty("chisq").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    // R: chisq.test(table, correct = TRUE / FALSE) for every table of tools/reference/compare.R, with warnings captured.
    [Theory]
    [MemberData(nameof(Cases))]
    public void Statistic_p_expected_and_warning_match_R(int index)
    {
        var c = Tables.GetProperty("chisq")[index];
        string name = c.GetProperty("name").GetString()!;
        bool correct = c.GetProperty("correct").GetBoolean();
        string what = $"{name} (correct = {correct})";
        var result = ChiSquareTest.Test(FisherExactTests.Table(c.GetProperty("table")), correct);

        Approx.Equal(Golden.Number(c.GetProperty("statistic")), result.Statistic, Approx.NonIterative, $"{what} X2");
        result.DegreesOfFreedom.Should().Be((int)Golden.Number(c.GetProperty("df")), what);
        Approx.Equal(Golden.Number(c.GetProperty("p")), result.P, Approx.NonIterative, $"{what} p");
        var expected = c.GetProperty("expected").EnumerateArray().Select(Golden.Numbers).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Approx.Equal(expected[i], result.Expected[i], Approx.NonIterative, $"{what} expected row {i}");
        }

        result.CorrectionApplied.Should().Be(c.GetProperty("yates_applied").GetBoolean(), what);
        result.Warnings.Any(w => w.Code == "chi-square-approximation")
            .Should().Be(c.GetProperty("approximation_warning").GetBoolean(), what);
    }

    [Fact]
    public void Yates_correction_is_ignored_beyond_2x2_as_R()
    {
        int[][] table = [[3, 1, 4], [2, 6, 1]];
        var corrected = ChiSquareTest.Test(table, yatesCorrection: true);
        var plain = ChiSquareTest.Test(table, yatesCorrection: false);
        corrected.CorrectionApplied.Should().BeFalse();
        corrected.Statistic.Should().Be(plain.Statistic);
    }

    [Fact]
    public void Hand_computed_2x2_statistic_with_and_without_Yates()
    {
        // [[10, 5], [3, 12]]: E = [[6.5, 8.5], [6.5, 8.5]], |x − E| = 3.5 everywhere.
        // Uncorrected X2 = 3.5² (2/6.5 + 2/8.5); Yates: 3.0² (2/6.5 + 2/8.5).
        int[][] table = [[10, 5], [3, 12]];
        double weights = (2 / 6.5) + (2 / 8.5);
        Approx.Equal(3.5 * 3.5 * weights, ChiSquareTest.Test(table, false).Statistic, Approx.ClosedForm, "uncorrected");
        Approx.Equal(3.0 * 3.0 * weights, ChiSquareTest.Test(table, true).Statistic, Approx.ClosedForm, "Yates");
    }

    [Fact]
    public void Transposing_or_permuting_rows_does_not_change_the_statistic()
    {
        int[][] table = [[5, 2, 8, 3], [1, 7, 3, 6], [4, 4, 2, 9]];
        var baseline = ChiSquareTest.Test(table);
        var transposed = Enumerable.Range(0, 4).Select(j => table.Select(r => r[j]).ToArray()).ToArray();
        Approx.Equal(baseline.Statistic, ChiSquareTest.Test(transposed).Statistic, 1e-13, "transposed");
        Approx.Equal(baseline.Statistic, ChiSquareTest.Test(table.Reverse().ToArray()).Statistic, 1e-13, "rows reversed");
    }

    [Fact]
    public void Zero_margin_gives_NaN_as_R_with_a_warning()
    {
        // R: chisq.test(matrix(c(0, 0, 3, 5, 2, 4), 2)) -> X-squared = NaN, p-value = NA
        var result = ChiSquareTest.Test([[0, 3, 2], [0, 5, 4]]);
        result.Statistic.Should().Be(double.NaN);
        result.P.Should().Be(double.NaN);
        result.Warnings.Select(w => w.Code).Should().Contain("zero-margin");
    }

    [Fact]
    public void Bad_tables_are_rejected()
    {
        FluentActions.Invoking(() => ChiSquareTest.Test([[0, 0], [0, 0]])).Should().Throw<ArgumentException>().WithParameterName("table");
        FluentActions.Invoking(() => ChiSquareTest.Test([[1, 2, 3]])).Should().Throw<ArgumentException>().WithParameterName("table");
        FluentActions.Invoking(() => ChiSquareTest.Test(null!)).Should().Throw<ArgumentNullException>();
    }
}
