using Sarcostat.Cohort;
using Sarcostat.Import.Output;

namespace Sarcostat.Import.Tests;

/// <summary>
/// The "deliberately broken" pair of sources: hospital A as CSV, hospital B as a workbook (dates stored as
/// Excel dates), with one planted error of each kind: wrong date order, unknown code, text in a number column, and a
/// patient in both sources with a conflicting value. Each gives exactly one problem, at its file, row and column.
/// </summary>
public class BrokenSourcesTests
{
    private static readonly DateOnly Birth = new(1960, 1, 1);
    private static readonly DateOnly Surgery = new(2015, 3, 1);
    private static readonly DateOnly LungMet = new(2016, 6, 1);
    private static readonly DateOnly LastSeen = new(2021, 1, 1);

    private static object?[] BRow(string id, string gender = "M", string histo = "LMS", object? size = null) =>
        [id, gender, Birth, histo, "extremity", Surgery, LungMet, "N", 2.0, "unilateral", size ?? 1.4, 0.0, "soft_tissue", LastSeen, "A", null, null];

    private static ImportResult ImportBroken(TempDir dir)
    {
        dir.Write("hospital_a.yaml", TwoHospitals.AMapping);
        dir.Write("hospital_b.yaml", TwoHospitals.BMapping.Replace("b_patients.csv", "b.xlsx", StringComparison.Ordinal).Replace("b_procedures.csv", "b.xlsx", StringComparison.Ordinal));
        dir.Write("a_patients.csv", string.Join("\n",
            TwoHospitals.AHeader,
            TwoHospitals.A("S1"),
            TwoHospitals.A("S2").Replace("01/06/2016", "01/01/2015", StringComparison.Ordinal),   // planted: lung metastasis before the primary surgery
            TwoHospitals.A("S3")) + "\n");
        dir.Write("a_procedures.csv", "study_id,pm_date,approach,margin\nS1,01/07/2016,vats,R0\nS2,01/07/2016,vats,R0\nS3,01/07/2016,vats,R0\n");
        dir.Xlsx(
            "b.xlsx",
            ("patients",
            [
                TwoHospitals.BHeader.Split(','),
                BRow("S3", gender: "F"),          // planted: S3 is male in hospital A
                BRow("S4", histo: "XYZ"),         // planted: unknown histology code
                BRow("S5", size: "big"),          // planted: text in a number column
            ]),
            ("procedures",
            [
                ["Chart ID", "Operation date", "Approach", "Margin"],
                ["S3", new DateOnly(2016, 7, 1), "vats", "R0"],  // the same procedure as in hospital A
                ["S4", new DateOnly(2016, 8, 1), "vats", "R0"],
                ["S5", new DateOnly(2016, 9, 1), "vats", "R0"],
            ]));
        return Cohorts.Import(dir.Path);
    }

    [Fact]
    public void Each_planted_error_gives_exactly_one_problem_at_its_file_row_and_column()
    {
        using var dir = new TempDir();
        var result = ImportBroken(dir);
        result.Problems.Select(p => (p.File, p.Row, p.Column, p.Rule, p.Found)).Should().Equal(
            ("a_patients.csv", 3, "lung_met_date", "date-order", "2015-01-01"),
            ("b.xlsx[patients]", 2, "Gender", "conflict", "female"),
            ("b.xlsx[patients]", 3, "Histo", "unknown-code", "XYZ"),
            ("b.xlsx[patients]", 4, "Largest nodule (cm)", "not-a-number", "big"));
        result.Problems.Should().OnlyContain(p => p.Severity == Severity.Error);
        result.HasErrors.Should().BeTrue();
    }

    [Fact]
    public void Each_problem_is_one_clear_line()
    {
        using var dir = new TempDir();
        ImportBroken(dir).Lines().Should().Equal(
            "a_patients.csv row 3, column \"lung_met_date\": found \"2015-01-01\"; expected a date on or after primary_surgery_date (2015-03-01). Check day/month order and the year of both dates. [date-order]",
            "b.xlsx[patients] row 2, column \"Gender\": found \"female\"; expected the same value as a_patients.csv row 4 (male). The sources disagree: correct the wrong one (no value is chosen silently). [conflict]",
            "b.xlsx[patients] row 3, column \"Histo\": found \"XYZ\"; expected one of LMS, UPS (per mapping), or a code of histology (51 codes; closest: ups, dfsp, gist; all codes: docs/data-dictionary.md). If this value is valid, map it under codes: histology: in the mapping. [unknown-code]",
            "b.xlsx[patients] row 4, column \"Largest nodule (cm)\": found \"big\"; expected a number in cm. [not-a-number]");
    }

    [Fact]
    public void The_counts_say_what_was_read_accepted_and_rejected()
    {
        using var dir = new TempDir();
        var result = ImportBroken(dir);
        result.Tables.Select(t => t.ToString()).Should().Equal(
            "a_patients.csv (patients): 3 rows read, 2 accepted, 1 rejected",
            "a_procedures.csv (procedures): 3 rows read, 3 accepted, 0 rejected",
            "b.xlsx[patients] (patients): 3 rows read, 0 accepted, 3 rejected",
            "b.xlsx[procedures] (procedures): 3 rows read, 3 accepted, 0 rejected");
        result.Patients.Select(p => p.StudyId).Should().Equal("S1");
        result.RejectedStudyIds.Should().Equal("S2", "S3", "S4", "S5");
        result.ToString().Should().Be("ImportResult(patients=1, rejected=4, errors=4, warnings=0)");
    }

    [Fact]
    public void The_problems_csv_has_one_record_per_problem_with_the_briefs_columns()
    {
        using var dir = new TempDir();
        var result = ImportBroken(dir);
        ProblemsCsv.WriteFile(dir["problems.csv"], result.Problems);
        var lines = File.ReadAllLines(dir["problems.csv"]);
        lines[0].Should().Be("file,row,column,rule,severity,found,expected,hint,study_id");
        lines.Should().HaveCount(5);
        lines[4].Should().Be("b.xlsx[patients],4,Largest nodule (cm),not-a-number,error,big,a number in cm,,S5");
    }
}
