using System.Text.Json;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests.Comparisons;

public class GroupComparisonTests
{
    private static readonly JsonElement Descriptive = Golden.Load("compare_descriptives");
    private static readonly CsvData Lung = CsvData.Load("lung");

    // R: t <- table(lung$ph.ecog, lung$sex); prop.table(t, 2); fisher.test(t); chisq.test(t); chisq.test(t, correct = FALSE);
    //    tapply(is.na(lung$ph.ecog), lung$sex, sum)
    [Fact]
    public void Ecog_by_sex_crosstab_and_tests_match_R()
    {
        var c = Descriptive.GetProperty("group_categorical");
        var result = GroupComparison.Categorical(Factor.FromValues("sex", Lung.Text("sex")), Factor.FromValues("ph.ecog", Lung.Text("ph.ecog")));

        result.RowLevels.Should().Equal(Golden.Strings(c.GetProperty("row_levels")));
        result.ColumnLevels.Should().Equal(Golden.Strings(c.GetProperty("column_levels")));
        result.Counts.Should().BeEquivalentTo(FisherExactTests.Table(c.GetProperty("counts")), o => o.WithStrictOrdering());
        var percents = c.GetProperty("column_percent").EnumerateArray().Select(Golden.Numbers).ToArray();
        for (int i = 0; i < percents.Length; i++)
        {
            Approx.Equal(percents[i], result.ColumnPercents[i].Select(v => v!.Value).ToArray(), Approx.NonIterative, $"column % row {i}");
        }

        result.MissingByGroup.Should().Equal(c.GetProperty("missing_by_group").EnumerateArray().Select(e => e.GetInt32()));
        result.MissingGroup.Should().Be(0);
        Approx.Equal(Golden.Number(c.GetProperty("fisher_p")), result.Fisher!.P, Approx.NonIterative, "Fisher p");
        Approx.Equal(Golden.Number(c.GetProperty("chisq_statistic")), result.ChiSquare!.Statistic, Approx.NonIterative, "X2");
        Approx.Equal(Golden.Number(c.GetProperty("chisq_p")), result.ChiSquare.P, Approx.NonIterative, "chi-square p");
        Approx.Equal(Golden.Number(c.GetProperty("chisq_uncorrected_p")), result.ChiSquareUncorrected!.P, Approx.NonIterative, "uncorrected p");
        result.N.Should().Be(227);
    }

    // R: t.test(v ~ sex, lung, var.equal = TRUE); t.test(v ~ sex, lung); wilcox.test(v ~ sex, lung); per-group summaries
    [Theory]
    [InlineData(0, "age")]
    [InlineData(1, "wt.loss")]
    public void Numeric_by_sex_matches_R(int index, string variable)
    {
        var c = Descriptive.GetProperty("group_numeric")[index];
        var result = GroupComparison.Numeric(Factor.FromValues("sex", Lung.Text("sex")), variable, Lung.Numeric(variable));

        result.GroupLevels.Should().Equal("1", "2");
        for (int g = 0; g < 2; g++)
        {
            DescriptivesTests.ShouldMatch(c.GetProperty("groups")[g], result.Groups[g], $"{variable} group {g + 1}");
        }

        Approx.Equal(Golden.Number(c.GetProperty("student_t")), result.Student!.T, Approx.NonIterative, "Student t");
        Approx.Equal(Golden.Number(c.GetProperty("student_p")), result.Student.P, Approx.NonIterative, "Student p");
        Approx.Equal(Golden.Number(c.GetProperty("welch_t")), result.Welch!.T, Approx.NonIterative, "Welch t");
        Approx.Equal(Golden.Number(c.GetProperty("welch_df")), result.Welch.DegreesOfFreedom, Approx.NonIterative, "Welch df");
        Approx.Equal(Golden.Number(c.GetProperty("welch_p")), result.Welch.P, Approx.NonIterative, "Welch p");
        Approx.Equal(Golden.Number(c.GetProperty("wilcox_W")), result.MannWhitney!.W, Approx.NonIterative, "W");
        Approx.Equal(Golden.Number(c.GetProperty("wilcox_p")), result.MannWhitney.P, Approx.NonIterative, "Mann-Whitney p");
        result.Overall.N.Should().Be(result.Groups.Sum(s => s.N));
    }

    [Fact]
    public void Empty_levels_are_shown_but_left_out_of_the_tests()
    {
        // Group level "c" and variable level "z" have no observations: the tests equal those of the 2 x 2 table.
        var by = Factor.FromCodes("g", [0, 0, 0, 1, 1, 1, 0, 1, -1], ["a", "b", "c"]);
        var v = Factor.FromCodes("v", [0, 0, 1, 1, 1, 1, 0, -1, 0], ["x", "y", "z"]);
        var result = GroupComparison.Categorical(by, v);
        result.Counts.Should().BeEquivalentTo(new[] { new[] { 3, 0, 0 }, new[] { 1, 3, 0 }, new[] { 0, 0, 0 } }, o => o.WithStrictOrdering());
        result.ColumnPercents[0][2].Should().BeNull();
        result.MissingByGroup.Should().Equal(0, 1, 0);
        result.MissingGroup.Should().Be(1);
        var direct = FisherExact.Test([[3, 0], [1, 3]]);
        result.Fisher!.P.Should().Be(direct.P);
        result.Fisher.OddsRatio.Should().Be(direct.OddsRatio);
        result.ChiSquare!.CorrectionApplied.Should().BeTrue();
        result.Warnings.Select(w => w.Code).Should().Contain("empty-level");
    }

    [Fact]
    public void A_single_observed_level_gives_no_tests_and_a_warning()
    {
        var by = Factor.FromValues("g", ["a", "b", "a", "b"]);
        var v = Factor.FromValues("v", ["x", "x", "x", "x"]);
        var result = GroupComparison.Categorical(by, v);
        result.Fisher.Should().BeNull();
        result.ChiSquare.Should().BeNull();
        result.Warnings.Select(w => w.Code).Should().Contain("too-few-levels");
    }

    [Fact]
    public void Three_groups_are_summarised_without_tests()
    {
        var by = Factor.FromValues("g", ["a", "b", "c", "a", "b", "c"]);
        var result = GroupComparison.Numeric(by, "v", [1, 2, 3, 4, 5, 6]);
        result.Groups.Should().HaveCount(3);
        result.Student.Should().BeNull();
        result.Welch.Should().BeNull();
        result.MannWhitney.Should().BeNull();
        result.Warnings.Select(w => w.Code).Should().Contain("not-two-groups");
    }

    [Fact]
    public void A_group_with_one_value_keeps_the_tests_that_R_can_compute()
    {
        // R: t.test(5, c(1, 2, 4), var.equal = TRUE) works; t.test(5, c(1, 2, 4)) stops: not enough 'x' observations.
        var by = Factor.FromValues("g", ["a", "b", "b", "b", "a"]);
        var result = GroupComparison.Numeric(by, "v", [5, 1, 2, 4, double.NaN]);
        result.Student.Should().NotBeNull();
        result.Welch.Should().BeNull();
        result.MannWhitney.Should().NotBeNull();
        result.Groups[0].Missing.Should().Be(1);
        result.Warnings.Should().ContainSingle(w => w.Code == "insufficient-data").Which.Message.Should().Contain("'g' = a");
    }

    [Fact]
    public void Relabelling_the_groups_mirrors_the_tests()
    {
        var values = Lung.Numeric("age");
        var sex = Lung.Text("sex");
        var a = GroupComparison.Numeric(Factor.FromValues("sex", sex), "age", values);
        var b = GroupComparison.Numeric(Factor.FromValues("sex", sex, reference: "2"), "age", values);
        Approx.Equal(-a.Welch!.T, b.Welch!.T, 1e-13, "Welch t");
        Approx.Equal(a.MannWhitney!.P, b.MannWhitney!.P, 1e-13, "Mann-Whitney p");
        b.Groups[0].Mean.Should().Be(a.Groups[1].Mean);
    }

    [Fact]
    public void Length_mismatch_is_a_programmer_error()
    {
        var by = Factor.FromValues("g", ["a", "b"]);
        FluentActions.Invoking(() => GroupComparison.Numeric(by, "v", [1.0])).Should().Throw<ArgumentException>().WithParameterName("values");
        FluentActions.Invoking(() => GroupComparison.Categorical(by, Factor.FromValues("v", ["x"]))).Should().Throw<ArgumentException>().WithParameterName("variable");
    }
}
