using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests.Amendments;

/// <summary>Amendments of identifying and typed cells: allowed, checked, never echoed.</summary>
public class IdentifyingAmendmentTests
{
    private const string Mapping = """
        source: clinic
        date_format: dd/MM/yyyy
        files: {patients: clinic.csv, procedures: clinic_ops.csv}
        identifying:
          Patient name: drop
          MRN: {pseudonymise: study_id}
        """;

    private static string Clinic(TempDir dir)
    {
        dir.Write("clinic.yaml", Mapping);
        dir.Write("clinic.csv", string.Join("\n",
            "Patient name,MRN,sex,birth_date,histology,primary_site,lung_met_date,last_contact_date,vital_status,ecog,tissue,primary_surgery_date,nodules,laterality,largest_nodule_mm",
            "Alice Zebrowski,MRN-0042,female,12/05/1961,ups,trunk_wall,01/01/2016,01/01/2021,alive,1,soft_tissue,01/02/2015,1,unilateral,9",
            "Bob Quigley,,male,12/05/1961,ups,trunk_wall,01/01/2016,01/01/2021,alive,1,soft_tissue,01/02/2015,1,unilateral,9") + "\n");
        dir.Write("clinic_ops.csv", "MRN,pm_date\nMRN-0042,01/03/2016\nMRN-0077,01/03/2016\n");
        return dir.Path;
    }

    private static ImportResult Import(string src, string amend) =>
        CohortImporter.Import(new ImportRequest { Inputs = [src], Salt = "study-salt-0123456789", Amendments = amend });

    [Fact]
    public void A_missing_record_number_can_be_set_and_its_value_is_never_shown()
    {
        using var dir = new TempDir();
        var src = Clinic(dir);
        var amend = dir.Write("amend/amend.yaml", """
            amendments:
              - {kind: set, file: clinic.csv, row: 3, column: MRN, old: "", new: MRN-0077, reason: from the hospital system}
            """);
        var result = Import(src, amend);
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => p.StudyId).Should().Equal(Pseudonym.Of("study-salt-0123456789", "MRN-0042"), Pseudonym.Of("study-salt-0123456789", "MRN-0077"));
        var a = result.Amendments.Single();
        (a.StudyId, a.Field, a.Change).Should().Be((Pseudonym.Of("study-salt-0123456789", "MRN-0077"), "study_id", "changed"));
        a.ToString().Should().NotContain("MRN-0077");
    }

    [Fact]
    public void A_stale_record_number_is_reported_without_either_value()
    {
        using var dir = new TempDir();
        var src = Clinic(dir);
        var amend = dir.Write("amend/amend.yaml", """
            amendments:
              - {kind: set, file: clinic.csv, row: 2, column: mrn, old: MRN-0041, new: MRN-0043, reason: typo}
              - {kind: set, file: clinic.csv, row: 2, column: Patient name, old: Alice Zebrowski, new: missing, reason: not needed}
            """);
        var result = Import(src, amend);
        var text = string.Join("\n", result.Lines());
        result.Errors().Select(p => (p.File, p.Row, p.Column, p.Rule)).Should().Contain([("amend.yaml", 2, "old", "amendment-stale"), ("amend.yaml", 3, "column", "amendment-unmatched")]);
        text.Should().NotContain("MRN-004").And.NotContain("Alice").And.NotContain("Zebrowski");
    }

    [Fact]
    public void Typed_workbook_cells_are_amended_by_their_text_as_the_validation_report_shows_it()
    {
        using var dir = new TempDir();
        var header = Cohorts.PatientsHeader.Split(',');
        object?[] Row(string id)
        {
            var cells = Cohorts.Patient(id).Split(',').Cast<object?>().ToArray();
            cells[Array.IndexOf(header, "last_contact_date")] = new DateOnly(2021, 1, 1);
            cells[Array.IndexOf(header, "largest_nodule_mm")] = 14.0;
            return cells;
        }

        var book = dir.Xlsx(
            "cohort.xlsx",
            ("patients", [header, Row("S1"), Row("S2")]),
            ("procedures", [Cohorts.ProceduresHeader.Split(','), "S1,2016-07-01,vats,R0".Split(','), "S2,2016-07-02,vats,R0".Split(',')]));
        var amend = dir.Write("amend/amend.yaml", """
            amendments:
              - {kind: set, file: "cohort.xlsx[patients]", row: 3, column: last_contact_date, old: 2021-01-01, new: 2022-03-04, reason: clinic letter}
              - {kind: set, file: "cohort.xlsx[patients]", row: 3, column: largest_nodule_mm, old: "14", new: "15", reason: CT}
            """);
        var result = Import(book, amend);
        result.Lines().Should().BeEmpty();
        var s2 = result.Patients.Single(p => p.StudyId == "S2");
        (s2.LastContactDate, s2.LargestNoduleMm).Should().Be((new DateOnly(2022, 3, 4), 15.0));
    }
}
