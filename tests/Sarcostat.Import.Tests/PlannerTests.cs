namespace Sarcostat.Import.Tests;

public class PlannerTests
{
    [Fact]
    public void A_directory_with_mappings_reads_only_their_files()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0"], [TwoHospitals.B("S2")], ["S2,2016-07-02,vats,R0"]);
        dir.Write("manifest.csv", "file,row,column,rule\n");
        dir.Write("truth.json", "{\"seed\": 1}");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Tables.Select(t => t.File).Should().Equal("a_patients.csv", "a_procedures.csv", "b_patients.csv", "b_procedures.csv");
    }

    [Fact]
    public void Sources_are_in_the_order_given_so_the_later_one_carries_the_conflict()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0"], [TwoHospitals.B("S1", gender: "F")], []);
        var result = CohortImporter.Import(new ImportRequest { Inputs = [dir["hospital_b.yaml"], dir["hospital_a.yaml"]] });
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Found, p.Expected).Should().Be(("a_patients.csv", 2, "sex", "male", "the same value as b_patients.csv row 2 (female)"));
    }

    [Fact]
    public void Data_files_given_with_one_mapping_without_files_are_read_with_it_and_named_as_given()
    {
        using var dir = new TempDir();
        dir.Write("m.json", """{"date_format": "dd/MM/yyyy", "columns": {"Gender": "sex"}, "codes": {"sex": {"M": "male"}}}""");
        var header = TwoHospitals.AHeader.Replace("study_id,sex,", "study_id,Gender,", StringComparison.Ordinal);
        dir.Write("p.csv", header + "\n" + TwoHospitals.A("S1", "M") + "\n" + TwoHospitals.A("S2", "X") + "\n");
        dir.Write("ops.csv", "study_id,pm_date\nS1,01/07/2016\nS2,01/07/2016\n");
        var result = CohortImporter.Import(new ImportRequest { Inputs = [dir["p.csv"], dir["ops.csv"]], Mappings = [dir["m.json"]] });
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Expected).Should().Be((dir["p.csv"], 3, "Gender", "unknown-code", "one of M (per mapping), or a code of sex (male, female)"));
        result.Patients.Single().Source.Should().Be("m");
    }

    [Fact]
    public void A_mapping_named_twice_is_read_once()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0"], [TwoHospitals.B("S2")], ["S2,2016-07-02,vats,R0"]);
        var result = CohortImporter.Import(new ImportRequest { Inputs = [dir.Path, dir["hospital_a.yaml"]], Mappings = [dir["hospital_a.yaml"]] });
        result.Lines().Should().BeEmpty();
        result.Tables.Should().HaveCount(4);
    }

    [Fact]
    public void A_directory_without_mappings_is_read_as_canonical_files()
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", $"{Cohorts.PatientsHeader}\n{Cohorts.Patient("S1")}\n");
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\n");
        dir.Write("README.md", "SYNTHETIC");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Patients.Single().Source.Should().BeNull();
    }

    [Fact]
    public void Every_setup_error_is_reported_together()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "files: {patients: missing.csv}\n");
        dir.Write("notes.docx", "x");
        var act = () => CohortImporter.Import(new ImportRequest { Inputs = [dir["a.yaml"], dir["nowhere"], dir["notes.docx"]] });
        var errors = act.Should().Throw<ImportSetupException>().Which.Errors;
        errors.Should().HaveCount(3);
        errors[0].Should().Be($"{dir["nowhere"]}: no such file or directory.");
        errors[1].Should().StartWith($"{dir["notes.docx"]}: not a data file");
        errors[2].Should().StartWith("a.yaml: key 'files.patients': expected an existing file; found 'missing.csv'");
    }

    [Fact]
    public void A_mapping_in_a_directory_must_list_its_files()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "source: a\n");
        var act = () => Cohorts.Import(dir.Path);
        act.Should().Throw<ImportSetupException>().Which.Errors.Single().Should().EndWith("a.yaml: a mapping read from a directory must list its files under files: (patients: FILE, procedures: FILE).");
    }

    [Fact]
    public void Sources_must_agree_on_the_key()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [], [], [], []);
        dir.Write("hospital_b.yaml", TwoHospitals.BMapping + "\nkey: site\n");
        var act = () => Cohorts.Import(dir.Path);
        act.Should().Throw<ImportSetupException>().Which.Errors.Single().Should().Contain("different keys (study_id, site)");
    }

    [Fact]
    public void Unmapped_columns_are_warnings_at_the_header_and_a_missing_key_column_rejects_every_row()
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", $"{Cohorts.PatientsHeader},Favourite colour\n{Cohorts.Patient("S1")},blue\n");
        dir.Write("procedures.csv", "patient,pm_date\nS1,2016-07-01\n");
        var result = Cohorts.Import(dir.Path);
        result.Problems.Select(p => (p.File, p.Row, p.Column, p.Rule, p.Severity)).Should().Equal(
            ("patients.csv", 1, "Favourite colour", "unmapped-column", Cohort.Severity.Warning),
            ("patients.csv", 2, "pm_date", "no-procedure", Cohort.Severity.Error),
            ("procedures.csv", 1, "patient", "unmapped-column", Cohort.Severity.Warning),
            ("procedures.csv", 1, "study_id", "missing-column", Cohort.Severity.Error));
        result.Tables[1].Should().Be(new TableCount("procedures.csv", Cohort.CohortTable.Procedures, 1, 0, 1));
    }

    [Fact]
    public void Two_columns_read_into_one_field_is_an_error_on_the_second()
    {
        using var dir = new TempDir();
        dir.Write("m.yaml", "files: {patients: p.csv, procedures: o.csv}\ncolumns: {Sex2: sex}\n");
        dir.Write("p.csv", $"{Cohorts.PatientsHeader},Sex2\n{Cohorts.Patient("S1")},female\n");
        dir.Write("o.csv", "study_id,pm_date\nS1,2016-07-01\n");
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.Row, p.Column, p.Rule, p.Expected).Should().Be((1, "Sex2", "duplicate-column", "one column per field (sex is read from column \"sex\")"));
    }
}
