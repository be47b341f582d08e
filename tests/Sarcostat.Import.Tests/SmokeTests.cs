namespace Sarcostat.Import.Tests;

public class SmokeTests
{
    [Fact]
    public void A_clean_canonical_pair_imports_without_problems()
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", $"{Cohorts.PatientsHeader}\n{Cohorts.Patient("S1")}\n{Cohorts.Patient("S2", "female", "2020-02-02", "dead", "sarcoma")}\n");
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\nS2,2016-08-01,thoracotomy,R1\nS2,2017-08-01,vats,R0\n");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Patients.Should().HaveCount(2);
        result.Patients[1].Procedures.Should().HaveCount(2);
        result.Tables.Select(t => t.ToString()).Should().Equal(
            "patients.csv (patients): 2 rows read, 2 accepted, 0 rejected",
            "procedures.csv (procedures): 3 rows read, 3 accepted, 0 rejected");
    }
}
