using System.Text;
using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

public class CsvReadingTests
{
    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData("\t")]
    [InlineData("|")]
    public void The_separator_is_detected(string separator)
    {
        using var dir = new TempDir();
        string Row(string line) => line.Replace(",", separator, StringComparison.Ordinal);
        dir.Write("patients.csv", $"{Row(Cohorts.PatientsHeader)}\n{Row(Cohorts.Patient("S1"))}\n{Row(Cohorts.Patient("S2", "female"))}\n");
        dir.Write("procedures.csv", $"{Row(Cohorts.ProceduresHeader)}\n{Row("S1,2016-07-01,vats,R0")}\n{Row("S2,2016-07-02,vats,R0")}\n");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => (p.StudyId, p.Sex)).Should().Equal(("S1", "male"), ("S2", "female"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UTF8_with_or_without_a_byte_order_mark_reads_the_first_column_name(bool bom)
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", $"{Cohorts.PatientsHeader},comorbidity_note\n{Cohorts.Patient("S1")},Ménière\n", bom);
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\n");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Patients.Single().ComorbidityNote.Should().Be("Ménière");
    }

    [Fact]
    public void A_file_that_is_not_UTF8_is_read_as_Windows_1252_with_a_warning()
    {
        using var dir = new TempDir();
        var text = $"{Cohorts.PatientsHeader},comorbidity_note\n{Cohorts.Patient("S1")},Ménière\n";
        File.WriteAllBytes(dir["patients.csv"], Encoding.Latin1.GetBytes(text));
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\n");
        var result = Cohorts.Import(dir.Path);
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Rule, p.Severity).Should().Be(("patients.csv", (int?)null, "not-utf8", Severity.Warning));
        result.Patients.Single().ComorbidityNote.Should().Be("Ménière");
    }

    [Fact]
    public void Row_numbers_are_spreadsheet_rows_counting_blank_lines_and_blank_rows_are_not_read()
    {
        using var dir = new TempDir();
        // Row 1 header, 2 S1, 3 blank, 4 blank cells only, 5 S2 with a bad ECOG, 6 a quoted note over two lines, 7 S4 with a bad ECOG.
        dir.Write("patients.csv", string.Join("\n",
            Cohorts.PatientsHeader + ",comorbidity_note",
            Cohorts.Patient("S1") + ",",
            string.Empty,
            ",,,,,,,,,,,,,,,,,",
            Cohorts.Patient("S2").Replace("14,0,", "14,9,", StringComparison.Ordinal) + ",",
            Cohorts.Patient("S3") + ",\"asthma,\nhypertension\"",
            Cohorts.Patient("S4").Replace("14,0,", "14,x,", StringComparison.Ordinal) + ",") + "\n");
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\nS2,2016-07-01,vats,R0\nS3,2016-07-01,vats,R0\nS4,2016-07-01,vats,R0\n");
        var result = Cohorts.Import(dir.Path);
        result.Errors().Select(p => (p.Row, p.Column, p.Rule)).Should().Equal((5, "ecog", "out-of-range"), (7, "ecog", "not-an-integer"));
        result.Tables[0].Should().Be(new TableCount("patients.csv", CohortTable.Patients, 4, 2, 2));
        result.Patients.Single(p => p.StudyId == "S3").ComorbidityNote.Should().Be("asthma,\nhypertension");
    }

    [Fact]
    public void A_file_is_the_procedures_table_when_it_has_pm_date_and_no_sex_column()
    {
        using var dir = new TempDir();
        dir.Write("one.csv", $"{Cohorts.PatientsHeader},pm_date\n{Cohorts.Patient("S1")},2016-07-01\n");
        dir.Write("two.csv", $"{Cohorts.ProceduresHeader}\nS1,2017-07-01,vats,R0\n");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Tables.Select(t => t.Table).Should().Equal(CohortTable.Patients, CohortTable.Procedures);
        result.Patients.Single().Procedures.Select(p => p.Date).Should().Equal(new DateOnly(2016, 7, 1), new DateOnly(2017, 7, 1));
        result.Patients.Single().FirstMetastasectomy!.Origin.Should().Be(new SourceLocation("one.csv", 2, "pm_date"));
    }
}
