using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

public class CellRulesTests
{
    /// <summary>Imports one canonical patient (row 2) whose <paramref name="field"/> cell holds <paramref name="text"/>, with a clean procedure.</summary>
    private static ImportResult One(string field, string text)
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", $"{Cohorts.PatientsHeader}\n{Cohorts.Row("S1", (field, text))}\n");
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\n");
        return Cohorts.Import(dir.Path);
    }

    [Theory]
    [InlineData("lung_met_date", "2016-13-06", "not-a-date", "a date (yyyy-MM-dd)", "Check day/month order.")]
    [InlineData("lung_met_date", "June 2016", "not-a-date", "a date (yyyy-MM-dd)", null)]
    [InlineData("largest_nodule_mm", "\"1,5\"", "not-a-number", "a number in mm", "Use a dot as the decimal separator.")]
    [InlineData("largest_nodule_mm", "big", "not-a-number", "a number in mm", null)]
    [InlineData("largest_nodule_mm", "15 in", "unknown-unit", "a number in mm, or a number followed by a unit of length (mm, cm, m)", "'in' is not a unit Sarcostat knows (mm, cm, m, days, weeks, months, years).")]
    [InlineData("largest_nodule_mm", "15 days", "unknown-unit", "a number in mm, or a number followed by a unit of length (mm, cm, m)", "'days' is not a unit of length (mm, cm, m).")]
    [InlineData("nodules", "3 nodules", "not-an-integer", "a whole number", "Write the number alone.")]
    [InlineData("nodules", "2.5", "not-an-integer", "a whole number", null)]
    [InlineData("nodules", "two", "not-an-integer", "a whole number", null)]
    [InlineData("sex", "Mal", "unknown-code", "one of male, female", null)]
    [InlineData("histology", "LMS", "unknown-code", null, null)]
    [InlineData("synchronous", "maybe", "not-a-boolean", "yes or no", null)]
    [InlineData("ecog", "5", "out-of-range", "a value from 0 to 4", null)]
    [InlineData("largest_nodule_mm", "-1", "out-of-range", "a value from 0 to 300 mm", null)]
    public void One_bad_cell_gives_exactly_one_problem_on_that_cell(string field, string text, string rule, string? expected, string? hint)
    {
        var p = One(field, text).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Severity, p.StudyId).Should().Be(("patients.csv", 2, field, rule, text.Trim('"'), Severity.Error, "S1"));
        if (expected is not null)
        {
            p.Expected.Should().Be(expected);
        }

        p.Hint.Should().Be(hint);
    }

    [Fact]
    public void A_required_cell_that_failed_to_parse_is_not_also_missing()
    {
        One("sex", "X").Problems.Select(p => p.Rule).Should().Equal("unknown-code");
        One("last_contact_date", "31/02/2021").Problems.Select(p => p.Rule).Should().Equal("not-a-date");
    }

    [Fact]
    public void Missing_values_are_empty_NA_or_a_dash_and_a_missing_required_field_is_an_error_on_its_cell()
    {
        var sex = One("sex", "NA").Problems.Should().ContainSingle().Subject;
        (sex.Row, sex.Column, sex.Rule, sex.Found).Should().Be((2, "sex", "missing-required", (string?)null));
        var ecog = One("ecog", "-").Problems.Should().ContainSingle().Subject;
        (ecog.Column, ecog.Rule, ecog.Severity).Should().Be(("ecog", "missing-recommended", Severity.Warning));
    }

    [Fact]
    public void The_problem_line_names_file_row_column_found_expected_and_hint()
    {
        One("lung_met_date", "2016-13-06").Lines().Single().Should().Be(
            "patients.csv row 2, column \"lung_met_date\": found \"2016-13-06\"; expected a date (yyyy-MM-dd). Check day/month order. [not-a-date]");
    }

    [Fact]
    public void An_invalid_calendar_date_is_not_a_date_even_in_the_right_format() =>
        One("lung_met_date", "2016-02-30").Problems.Single().Rule.Should().Be("not-a-date");
}
