using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Output;

namespace Sarcostat.Import.Tests;

public class PseudonymisationTests
{
    [Theory]
    // Python: "P" + hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()[:10].upper()
    [InlineData("study-salt", "MRN-0042", "P443220E10A")]
    [InlineData("study-salt", "12345", "P88471A924C")]
    [InlineData("s3cret", "  A-77 ", "PC82F911E6E")]
    public void A_pseudonym_is_P_and_the_first_ten_hex_digits_of_the_salted_HMAC(string salt, string value, string expected) =>
        Pseudonym.Of(salt, value).Should().Be(expected);

    private const string Mapping = """
        source: clinic
        date_format: dd/MM/yyyy
        files: {patients: clinic.csv, procedures: clinic_ops.csv}
        identifying:
          Patient name: drop
          MRN: {pseudonymise: study_id}
        """;

    /// <summary>
    /// A salt of the accepted length (16 or more). Expected pseudonyms under it come from Python's hmac, not this code:
    /// "P" + hmac.new(b"study-salt-0123456789", value, hashlib.sha256).hexdigest()[:10].upper() gives PA59E5C787B for
    /// MRN-0042 and P3B71DC9B62 for 12345.
    /// </summary>
    private const string LongSalt = "study-salt-0123456789";

    [Fact]
    public void A_salt_shorter_than_16_characters_is_refused_without_echoing_it()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "files: {patients: a.csv}\nidentifying: {MRN: {pseudonymise: study_id}}\n");
        dir.Write("a.csv", Cohorts.PatientsHeader.Replace("study_id", "MRN", StringComparison.Ordinal) + "\n" + Cohorts.Patient("12345") + "\n");
        var e = FluentActions.Invoking(() => CohortImporter.Import(new ImportRequest { Inputs = [dir.Path], Salt = "short-salt-15ch" }))
            .Should().Throw<ImportSetupException>().Which;
        e.Errors.Should().ContainSingle().Which.Should().StartWith("a.yaml: pseudonymises a column, and the salt has 15 characters; a salt needs at least 16");
        e.Message.Should().NotContain("short-salt-15ch");
        FluentActions.Invoking(() => CohortImporter.Import(new ImportRequest { Inputs = [dir.Path], Salt = "a-salt-16-chars!" })).Should().NotThrow("16 characters are enough");
    }

    [Fact]
    public void Error_details_are_redacted()
    {
        using var dir = new TempDir();
        dir.Write("clinic.yaml", Mapping);
        // Names in a dropped column, record numbers pseudonymised, phone numbers in an undeclared column.
        // Row 2 has an error elsewhere (31 February); row 3 is clean; row 4 has no record number.
        dir.Write("clinic.csv", string.Join("\n",
            "Patient name,MRN,Phone,sex,birth_date,histology,primary_site,lung_met_date,last_contact_date,vital_status,ecog,tissue,primary_surgery_date,nodules,laterality,largest_nodule_mm",
            "Alice Zebrowski,MRN-0042,555-0199,female,12/05/1961,ups,trunk_wall,31/02/2016,01/01/2021,alive,1,soft_tissue,01/02/2015,1,unilateral,9",
            "Bob Quigley,12345,555-0123,male,12/05/1961,ups,trunk_wall,01/01/2016,01/01/2021,alive,1,soft_tissue,01/02/2015,1,unilateral,9",
            "Dora Yamamoto,,555-0777,male,12/05/1961,ups,trunk_wall,01/01/2016,01/01/2021,alive,1,soft_tissue,01/02/2015,1,unilateral,9") + "\n");
        dir.Write("clinic_ops.csv", "MRN,pm_date\nMRN-0042,01/03/2016\n12345,01/03/2016\n");

        var result = CohortImporter.Import(new ImportRequest { Inputs = [dir.Path], Salt = LongSalt });

        result.Problems.Select(p => (p.File, p.Row, p.Column, p.Rule, p.StudyId)).Should().Equal(
            ("clinic.csv", 1, "Phone", "identifying-column", null),
            ("clinic.csv", 2, "lung_met_date", "not-a-date", "PA59E5C787B"),
            ("clinic.csv", 4, "MRN", "missing-required", null));
        result.Patients.Select(p => p.StudyId).Should().Equal("P3B71DC9B62");
        var csv = new StringWriter();
        ProblemsCsv.Write(csv, result.Problems);
        var everything = string.Join("\n", result.Problems.Select(p => p.ToString())
            .Append(csv.ToString())
            .Append(result.ToString())
            .Concat(result.RejectedStudyIds)
            .Concat(result.Patients.SelectMany(p => FieldAccess.PatientFields.Select(f => FieldRules.Format(FieldAccess.Get(p, f)))))
            .Concat(result.Patients.SelectMany(p => p.Origins.Values.Select(o => o.ToString())))
            .Concat(result.Patients.SelectMany(p => p.Procedures.Select(m => m.ToString()))));
        foreach (var secret in new[] { "Alice", "Zebrowski", "Bob", "Quigley", "Dora", "Yamamoto", "555-0", "MRN-0042", "12345" })
        {
            everything.Should().NotContain(secret);
        }
    }

    [Fact]
    public void Pseudonymised_keys_match_the_same_patient_across_sources()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "files: {patients: a.csv}\nidentifying: {MRN: {pseudonymise: study_id}}\n");
        dir.Write("b.yaml", "files: {procedures: b.csv}\nidentifying: {Hospital number: {pseudonymise: study_id}}\n");
        dir.Write("a.csv", Cohorts.PatientsHeader.Replace("study_id", "MRN", StringComparison.Ordinal) + "\n" + Cohorts.Patient("12345") + "\n");
        dir.Write("b.csv", "Hospital number,pm_date\n 12345 ,2016-07-01\n");
        var result = CohortImporter.Import(new ImportRequest { Inputs = [dir.Path], Salt = LongSalt });
        result.Lines().Should().BeEmpty();
        result.Patients.Single().StudyId.Should().Be("P3B71DC9B62");
        result.Patients.Single().Procedures.Should().ContainSingle();
    }

    [Fact]
    public void A_pseudonymising_mapping_without_a_salt_is_a_setup_error()
    {
        using var dir = new TempDir();
        dir.Write("clinic.yaml", Mapping);
        dir.Write("clinic.csv", "MRN,sex\nMRN-0042,female\n");
        dir.Write("clinic_ops.csv", "MRN,pm_date\n");
        var act = () => Cohorts.Import(dir.Path);
        act.Should().Throw<ImportSetupException>().Which.Errors.Should().ContainSingle()
            .Which.Should().Be("clinic.yaml: pseudonymises a column, so a salt is needed (--salt or the SARCOSTAT_SALT environment variable).");
    }

    [Fact]
    public void An_undeclared_identifying_column_in_a_canonical_file_is_refused_and_not_read()
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", $"{Cohorts.PatientsHeader},Name\n{Cohorts.Row("S1", ("ecog", "7"))},Carol Xylander\n");
        dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\nS1,2016-07-01,vats,R0\n");
        var result = Cohorts.Import(dir.Path);
        result.Problems.Select(p => (p.Row, p.Column, p.Rule)).Should().Equal((1, "Name", "identifying-column"), (2, "ecog", "out-of-range"));
        result.Problems[0].Hint.Should().Be("Its values were not read. Declare it in the mapping: identifying: {Name: drop} or {Name: {pseudonymise: study_id}}.");
        string.Join("\n", result.Lines()).Should().NotContain("Xylander");
    }
}
