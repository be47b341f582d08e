using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests.Csv;

/// <summary>The cohort import through the strict CSV reader: a malformed row rejects its patient, nothing is dropped silently.</summary>
public class CohortCsvTests
{
    private static ImportResult Import(string patients)
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", patients);
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\nS2,2016-07-01,vats,R0\nS3,2016-07-01,vats,R0\n");
        return Cohorts.Import(dir.Path);
    }

    [Fact]
    public void An_extra_cell_is_an_error_and_rejects_the_patient()
    {
        var result = Import($"{Cohorts.PatientsHeader}\n{Cohorts.Patient("S1")}\n{Cohorts.Patient("S2")},surplus\n{Cohorts.Patient("S3")}\n");
        result.Errors().Select(p => (p.File, p.Row, p.Rule)).Should().Equal(("patients.csv", (int?)3, "cell-count"));
        result.RejectedStudyIds.Should().Equal("S2");
        result.Patients.Select(p => p.StudyId).Should().Equal("S1", "S3");
        result.Tables[0].Should().Be(new TableCount("patients.csv", CohortTable.Patients, 3, 2, 1));
    }

    [Fact]
    public void A_missing_cell_is_an_error_and_rejects_the_patient()
    {
        var short2 = Cohorts.Patient("S2")[..Cohorts.Patient("S2").LastIndexOf(',')];
        var result = Import($"{Cohorts.PatientsHeader}\n{Cohorts.Patient("S1")}\n{short2}\n{Cohorts.Patient("S3")}\n");
        result.Errors().Select(p => (p.Row, p.Rule)).Should().Equal(((int?)3, "cell-count"));
        result.RejectedStudyIds.Should().Equal("S2");
    }

    [Fact]
    public void A_quote_never_closed_in_the_last_column_is_an_error_and_no_row_after_it_is_accepted_silently()
    {
        var result = Import($"{Cohorts.PatientsHeader}\n{Cohorts.Patient("S1")}\n{Cohorts.Patient("S2")}\"\n{Cohorts.Patient("S3")}\n");
        var error = result.Errors().First();
        (error.File, error.Row, error.Column, error.Rule).Should().Be(("patients.csv", (int?)3, "cause_of_death", "unclosed-quote"));
        result.HasErrors.Should().BeTrue();
        result.Patients.Select(p => p.StudyId).Should().NotContain(["S2", "S3"]);
    }

    [Fact]
    public void A_NUL_in_a_number_is_an_error()
    {
        var result = Import($"{Cohorts.PatientsHeader}\n{Cohorts.Row("S1", ("nodules", "2\0"))}\n{Cohorts.Patient("S2")}\n{Cohorts.Patient("S3")}\n");
        result.Errors().Select(p => (p.Row, p.Column, p.Rule)).Should().Equal(((int?)2, "nodules", "control-character"));
        result.RejectedStudyIds.Should().Equal("S1");
    }
}
