using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

public class XlsxReadingTests
{
    private static readonly string[] Header = Cohorts.PatientsHeader.Split(',');

    /// <summary>The canonical patient row of S-patient <paramref name="id"/> as workbook cells: dates as Excel dates, numbers as numbers.</summary>
    private static object?[] Cells(string id, params (string Field, object? Value)[] changes)
    {
        var text = Cohorts.Patient(id).Split(',');
        var cells = text.Select((t, i) => (object?)(t.Length == 0 ? null
            : Header[i].EndsWith("_date", StringComparison.Ordinal) ? DateOnly.ParseExact(t, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : Header[i] is "nodules" or "ecog" or "largest_nodule_mm" ? double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)
            : t)).ToArray();
        foreach (var (field, value) in changes)
        {
            cells[Array.IndexOf(Header, field)] = value;
        }

        return cells;
    }

    [Fact]
    public void Sheets_named_patients_and_procedures_are_the_two_tables_and_excel_dates_are_dates()
    {
        using var dir = new TempDir();
        dir.Xlsx("cohort.xlsx",
            ("README", [["This sheet is not read."]]),
            ("patients", [Header, Cells("S1"), Cells("S2", ("vital_status", "dead"), ("death_date", new DateOnly(2019, 4, 30)), ("cause_of_death", "sarcoma"))]),
            ("procedures", [["study_id", "pm_date", "approach"], ["S1", new DateOnly(2016, 7, 1), "vats"], ["S2", new DateOnly(2016, 7, 2), "robotic"]]));
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Tables.Select(t => t.File).Should().Equal("cohort.xlsx[patients]", "cohort.xlsx[procedures]");
        result.Patients[1].DeathDate.Should().Be(new DateOnly(2019, 4, 30));
        result.Patients[1].Procedures.Single().Approach.Should().Be("robotic");
        result.Patients[1].Ecog.Should().Be(0);
    }

    [Fact]
    public void Without_named_sheets_the_first_sheet_is_read_and_recognised_by_its_header()
    {
        using var dir = new TempDir();
        dir.Xlsx("p.xlsx", ("Sheet1", [Header, Cells("S1")]), ("Sheet2", [["ignored"]]));
        dir.Xlsx("q.xlsx", ("Blad1", [["study_id", "pm_date"], ["S1", new DateOnly(2016, 7, 1)]]));
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().Equal(
            "p.xlsx: warning: found \"Sheet1\"; expected sheets named patients and procedures, or a mapping naming the sheet (the workbook has 'Sheet1', 'Sheet2'). "
            + "The first sheet, 'Sheet1', was read; the others were not. Rename the sheets, or name the sheet in a mapping: files: patients: {file: p.xlsx, sheet: NAME}. [first-sheet]");
        result.Tables.Select(t => (t.File, t.Table)).Should().Equal(("p.xlsx[Sheet1]", CohortTable.Patients), ("q.xlsx[Blad1]", CohortTable.Procedures));
    }

    [Fact]
    public void Dates_typed_as_text_in_a_workbook_follow_the_date_format_and_a_plain_number_is_not_a_date()
    {
        using var dir = new TempDir();
        dir.Xlsx("cohort.xlsx",
            ("patients", [Header, Cells("S1", ("lung_met_date", "2016-06-01")), Cells("S2", ("lung_met_date", "06/01/2016")), Cells("S3", ("lung_met_date", 42522.0))]),
            ("procedures", [["study_id", "pm_date"], ["S1", new DateOnly(2016, 7, 1)], ["S2", new DateOnly(2016, 7, 1)], ["S3", new DateOnly(2016, 7, 1)]]));
        var result = Cohorts.Import(dir.Path);
        result.Problems.Select(p => (p.File, p.Row, p.Column, p.Rule, p.Found)).Should().Equal(
            ("cohort.xlsx[patients]", 3, "lung_met_date", "not-a-date", "06/01/2016"),
            ("cohort.xlsx[patients]", 4, "lung_met_date", "not-a-date", "42522"));
        result.Problems[1].Hint.Should().Be("The cell holds a number, not a date: format the column as dates in the workbook.");
    }

    [Fact]
    public void A_mapping_can_point_both_tables_at_one_workbook()
    {
        using var dir = new TempDir();
        dir.Write("site.yaml", "source: site\nfiles: {patients: site.xlsx, procedures: site.xlsx}\ncolumns: {Operation: pm_date}\n");
        dir.Xlsx("site.xlsx",
            ("Procedures", [["study_id", "Operation"], ["S1", new DateOnly(2016, 7, 1)]]),
            ("Patients", [Header, Cells("S1")]));
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Tables.Select(t => t.File).Should().Equal("site.xlsx[Patients]", "site.xlsx[Procedures]");
        result.Patients.Single().Source.Should().Be("site");
    }

    [Fact]
    public void A_file_that_is_not_a_workbook_is_one_not_a_workbook_error()
    {
        using var dir = new TempDir();
        dir.Write("broken.xlsx", "this is not a zip file");
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Rule, p.Severity).Should().Be(("broken.xlsx", (int?)null, "not-a-workbook", Severity.Error));
    }
}
