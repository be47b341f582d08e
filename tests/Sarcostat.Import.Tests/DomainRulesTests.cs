using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

/// <summary>
/// Issue 10, "Validation that a data manager trusts": the extract date (any date of a source after it is an error)
/// and repeated operations in date order.
/// </summary>
public class DomainRulesTests
{
    private static ImportResult Source(string more, string patients, string? procedures = "study_id,pm_date\nS1,2016-07-01\n")
    {
        using var dir = new TempDir();
        var files = procedures is null ? "files: {patients: p.csv}\n" : "files: {patients: p.csv, procedures: o.csv}\n";
        dir.Write("m.yaml", "source: m\n" + files + more);
        dir.Write("p.csv", patients);
        if (procedures is not null)
        {
            dir.Write("o.csv", procedures);
        }

        return Cohorts.Import(dir.Path);
    }

    private static string Patients(params string[] rows) => Cohorts.PatientsHeader + "\n" + string.Join("\n", rows) + "\n";

    // ------------------------------------------------------------------ extract date

    [Fact]
    public void A_future_death_and_a_future_operation_are_after_extract_date_errors_on_their_cells()
    {
        var result = Source(
            "extract_date: 2024-06-30\n",
            Patients(
                Cohorts.Row("S1", ("vital_status", "dead"), ("death_date", "2024-07-01"), ("last_contact_date", "2024-07-01"), ("cause_of_death", "sarcoma")),
                Cohorts.Row("S2", ("last_contact_date", "2024-06-30"))),
            "study_id,pm_date\nS1,2016-07-01\nS2,2016-07-01\nS2,2025-01-02\n");
        result.Problems.Where(p => p.Severity == Severity.Error).Select(p => (p.File, p.Row, p.Column, p.Rule, p.Found)).Should().Equal(
            ("p.csv", 2, "last_contact_date", "after-extract-date", "2024-07-01"),
            ("p.csv", 2, "death_date", "after-extract-date", "2024-07-01"),
            ("o.csv", 4, "pm_date", "after-extract-date", "2025-01-02"));
        result.Problems[0].Expected.Should().Be("a date on or before the extract date (2024-06-30, extract_date in m.yaml)");
        result.RejectedStudyIds.Should().BeEquivalentTo("S1", "S2");
    }

    [Fact]
    public void The_extract_date_itself_is_allowed_and_without_extract_date_a_future_date_is_not_checked()
    {
        Source("extract_date: 2021-01-01\n", Patients(Cohorts.Patient("S1"))).Lines().Should().BeEmpty();
        Source(string.Empty, Patients(Cohorts.Row("S1", ("last_contact_date", "2099-01-01")))).Lines().Should().BeEmpty();
    }

    [Fact]
    public void A_birth_date_after_the_extract_date_is_reported_without_its_value()
    {
        var result = Source("extract_date: 2024-06-30\n", Patients(Cohorts.Row("S1", ("birth_date", "2030-05-17"))));
        var p = result.Problems.Should().ContainSingle(x => x.Rule == "after-extract-date").Subject;
        (p.Row, p.Column, p.Found).Should().Be((2, "birth_date", null));
        result.Lines().Should().NotContain(l => l.Contains("2030", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("30/06/2024")]
    [InlineData("2024-02-30")]
    [InlineData("[2024-06-30]")]
    public void An_extract_date_not_in_yyyy_MM_dd_is_a_mapping_error_on_its_line(string value)
    {
        var act = () => Import.Mapping.SourceMapping.Parse($"source: m\nextract_date: {value}\n", "m.yaml");
        act.Should().Throw<ImportSetupException>().WithMessage("*m.yaml line 2: key 'extract_date': expected the day the source was extracted, as yyyy-MM-dd*");
    }

    // ------------------------------------------------------------------ repeated operations in order

    private const string Repeat = "repeat:\n  index: 1..3\n  columns:\n    Op date {i}: pm_date\n";

    private static readonly string WideHeader = Cohorts.PatientsHeader + ",Op date 1,Op date 2,Op date 3";

    [Fact]
    public void An_operation_dated_before_the_previous_one_of_its_row_is_a_procedure_order_error_naming_both_cells()
    {
        var result = Source(Repeat, WideHeader + "\n" + Cohorts.Patient("S1") + ",2016-07-01,2018-03-01,2017-02-01\n", procedures: null);
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Severity).Should().Be(("p.csv", 2, "Op date 3", "procedure-order", "2017-02-01", Severity.Error));
        p.Expected.Should().Be("a date on or after the previous operation's (2018-03-01, column \"Op date 2\")");
        result.RejectedStudyIds.Should().Equal("S1");
    }

    [Fact]
    public void A_procedure_order_error_shows_the_date_as_it_stands_in_the_file()
    {
        // A day/month swap in a day-first registry: Found is the cell's text, not the date reformatted.
        const string dayFirst = "repeat:\n  index: 1..3\n  columns:\n    Op date {i}: {field: pm_date, date_format: dd.MM.yyyy}\n";
        var p = Source(dayFirst, WideHeader + "\n" + Cohorts.Patient("S1") + ",01.08.2016,10.07.2016,\n", procedures: null).Problems.Should().ContainSingle().Subject;
        (p.Column, p.Rule, p.Found).Should().Be(("Op date 2", "procedure-order", "10.07.2016"));
        p.Expected.Should().Be("a date on or after the previous operation's (2016-08-01, column \"Op date 1\")");
    }

    [Fact]
    public void Operations_in_order_with_a_gap_and_the_same_day_twice_are_fine_and_the_gap_is_skipped_in_the_comparison()
    {
        Source(Repeat, WideHeader + "\n" + Cohorts.Patient("S1") + ",2016-07-01,,2017-02-01\n", procedures: null).Lines().Should().BeEmpty();
        var swapped = Source(Repeat, WideHeader + "\n" + Cohorts.Patient("S1") + ",2017-02-01,,2016-07-01\n", procedures: null);
        swapped.Problems.Select(x => (x.Column, x.Rule)).Should().Equal(("Op date 3", "procedure-order"));
    }

    [Fact]
    public void An_unreadable_operation_date_is_not_compared()
    {
        var result = Source(Repeat, WideHeader + "\n" + Cohorts.Patient("S1") + ",2018-07-01,soon,2017-02-01\n", procedures: null);
        result.Problems.Select(x => (x.Column, x.Rule)).Should().Equal(("Op date 2", "not-a-date"), ("Op date 3", "procedure-order"));
        result.Problems[1].Expected.Should().Contain("2018-07-01, column \"Op date 1\"");
    }
}

/// <summary>A recommended field a source has no column for is one warning per file and field.</summary>
public class AbsentColumnTests
{
    [Fact]
    public void A_recommended_field_without_a_column_is_one_file_level_warning_and_an_empty_cell_stays_one_per_row()
    {
        using var dir = new TempDir();
        var header = Cohorts.PatientsHeader.Replace(",ecog", string.Empty, StringComparison.Ordinal);
        string Row(string id, string nodules) =>
            string.Join(',', Cohorts.Row(id, ("nodules", nodules)).Split(',').Where((_, i) => Cohorts.PatientsHeader.Split(',')[i] != "ecog"));
        dir.Write("p.csv", header + "\n" + Row("S1", "") + "\n" + Row("S2", "2") + "\n" + Row("S3", "") + "\n");
        dir.Write("o.csv", "study_id,pm_date\nS1,2016-07-01\nS2,2016-07-01\nS3,2016-07-01\n");
        var result = Cohorts.Import(dir.Path);
        result.Problems.Select(p => (p.File, p.Row, p.Column, p.Rule)).Should().Equal(
            ("p.csv", null, "ecog", "missing-recommended"),
            ("p.csv", 2, "nodules", "missing-recommended"),
            ("p.csv", 4, "nodules", "missing-recommended"));
        result.Problems[0].Expected.Should().Be("a column for ecog (recommended)");
        result.Problems[0].Hint.Should().StartWith("The source has no such column (3 records).");
        result.RejectedStudyIds.Should().BeEmpty();
    }
}
