using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests.Amendments;

/// <summary>The amendments file: cells set or set missing before parsing, rows dropped, patients excluded, conflicts resolved.</summary>
public class AmendmentTests
{
    /// <summary>
    /// Hospital A (canonical names, dd/MM/yyyy) and B (own names and codes) in the folder; patients S1 (both), S2 (A),
    /// S3 (B). The amendments files go to the subfolder amend/, which a folder input does not read.
    /// </summary>
    private static string Sources(TempDir dir, string[]? a = null, string[]? b = null)
    {
        TwoHospitals.Write(
            dir,
            a ?? [TwoHospitals.A("S1"), TwoHospitals.A("S2")],
            ["S1,01/07/2016,vats,R0", "S2,02/07/2016,vats,R0"],
            b ?? [TwoHospitals.B("S1"), TwoHospitals.B("S3")],
            ["S3,2016-07-03,vats,R0"]);
        return dir.Path;
    }

    private static ImportResult Import(string src, string amendments) =>
        CohortImporter.Import(new ImportRequest { Inputs = [src], Amendments = amendments });

    private static string Yaml(params string[] entries) => "amendments:\n" + string.Concat(entries.Select(e => e.Replace("\r\n", "\n")));

    [Fact]
    public void A_set_amendment_replaces_the_cell_before_it_is_read_and_is_listed()
    {
        using var dir = new TempDir();
        var src = Sources(dir, a: [TwoHospitals.A("S1"), TwoHospitals.A("S2").Replace("leiomyosarcoma", "Leiomyosarcom", StringComparison.Ordinal)]);
        CohortImporter.Import(new ImportRequest { Inputs = [src] }).Errors().Select(p => (p.File, p.Row, p.Column, p.Rule))
            .Should().Equal(("a_patients.csv", 3, "histology", "unknown-code"));

        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - kind: set
                file: a_patients.csv
                row: 3
                column: histology
                old: Leiomyosarcom
                new: leiomyosarcoma
                reason: typo in the registry
            """));
        var result = Import(src, amend);
        result.Lines().Should().BeEmpty();
        result.Patients.Single(p => p.StudyId == "S2").Histology.Should().Be("leiomyosarcoma");
        var applied = result.Amendments.Should().ContainSingle().Subject;
        applied.Should().Be(new AppliedAmendment(2, AmendmentKind.Set, "S2", "histology", "a_patients.csv row 3, column \"histology\"", "\"Leiomyosarcom\" -> \"leiomyosarcoma\"", "typo in the registry"));
        File.ReadAllText(dir["a_patients.csv"]).Should().Contain("Leiomyosarcom,", "the extract itself is never edited");
    }

    [Fact]
    public void The_new_value_meets_the_same_rules_as_any_cell_of_its_file()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        // B's sex column takes M/F (its mapping) or a dictionary code; 'X' is neither. B's dates are dd.MM.yyyy.
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - {kind: set, file: b_patients.csv, row: 3, column: Gender, old: M, new: X, reason: test}
              - {kind: set, file: b_patients.csv, row: 3, column: Nodules, old: "2", new: "3", reason: recount}
              - {kind: set, file: b_patients.csv, row: 3, column: Last seen, old: 01.01.2021, new: 2021-02-01, reason: wrong format}
            """));
        var result = Import(src, amend);
        result.Errors().Select(p => (p.File, p.Row, p.Column, p.Rule, p.Found)).Should().Equal(
            ("b_patients.csv", 3, "Gender", "unknown-code", "X"),
            ("b_patients.csv", 3, "Last seen", "not-a-date", "2021-02-01"));
        result.RejectedStudyIds.Should().Equal("S3");
    }

    [Fact]
    public void A_cell_set_missing_is_missing_to_every_rule()
    {
        using var dir = new TempDir();
        var src = Sources(dir, a: [TwoHospitals.A("S1"), TwoHospitals.A("S2").Replace(",14,", ",see CT,", StringComparison.Ordinal)]);
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - kind: set
                file: ./a_patients.csv              # a leading ./ is the same file
                row: 3
                column: LARGEST_NODULE_MM
                old: see CT
                new: missing
                reason: not measured
            """));
        var result = Import(src, amend);
        result.Errors().Should().BeEmpty();
        result.Patients.Single(p => p.StudyId == "S2").LargestNoduleMm.Should().BeNull();
        result.Amendments.Single().Change.Should().Be("\"see CT\" -> missing");
    }

    [Fact]
    public void An_old_value_that_no_longer_matches_is_stale_and_the_cell_is_read_as_it_is()
    {
        using var dir = new TempDir();
        var src = Sources(dir, a: [TwoHospitals.A("S1"), TwoHospitals.A("S2").Replace(",14,", ",see CT,", StringComparison.Ordinal)]);
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - kind: set
                file: a_patients.csv
                row: 3
                column: largest_nodule_mm
                old: see the CT
                new: "12"
                reason: measured on CT
            """));
        var result = Import(src, amend);
        result.Errors().Select(p => (p.File, p.Row, p.Column, p.Rule, p.Found)).Should().Equal(
            ("a_patients.csv", 3, "largest_nodule_mm", "not-a-number", "see CT"),
            ("amend.yaml", 2, "old", "amendment-stale", "see CT"));
        result.Problems[^1].ToString().Should().Contain("\"see the CT\"").And.EndWith("[amendment-stale]");
        result.Amendments.Should().BeEmpty();
    }

    [Fact]
    public void A_stale_amendment_of_an_identifying_column_never_shows_either_value()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - {kind: set, file: b_patients.csv, row: 2, column: Born, old: 02.02.1961, new: 03.03.1961, reason: registry}
              - {kind: set, file: a_patients.csv, row: 3, column: birth_date, old: 01/01/1960, new: 02/01/1960, reason: registry}
            """));
        var result = Import(src, amend);
        var stale = result.Problems.Should().ContainSingle(p => p.Rule == "amendment-stale").Subject;
        (stale.Row, stale.Found).Should().Be((2, null));
        var text = string.Join("\n", result.Lines());
        text.Should().NotContain("1960").And.NotContain("1961");
        result.Amendments.Single().Change.Should().Be("changed", "values of identifying columns are never shown");
        result.Patients.Single(p => p.StudyId == "S2").BirthDate.Should().Be(new DateOnly(1960, 1, 2));
    }

    [Fact]
    public void An_amendment_that_matches_nothing_is_an_error_on_its_line()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - {kind: set, file: a_patients.csv, row: 9, column: sex, old: male, new: female, reason: r}
              - {kind: set, file: a_patients.csv, row: 2, column: Gender, old: male, new: female, reason: r}
              - {kind: set, file: nowhere.csv, row: 2, column: sex, old: male, new: female, reason: r}
              - {kind: drop, file: b_patients.csv, row: 40, reason: r}
              - {kind: exclude, study_id: S9, reason: r}
              - {kind: resolve, study_id: S1, field: sex, source: hospital_a, reason: r}
            """));
        var result = Import(src, amend);
        result.Errors().Select(p => (p.File, p.Row, p.Column, p.Rule)).Should().Equal(
            ("amend.yaml", 2, "row", "amendment-unmatched"),
            ("amend.yaml", 3, "column", "amendment-unmatched"),
            ("amend.yaml", 4, "file", "amendment-unmatched"),
            ("amend.yaml", 5, "row", "amendment-unmatched"),
            ("amend.yaml", 6, "study_id", "amendment-unmatched"),
            ("amend.yaml", 7, "field", "amendment-unmatched"));
        result.Problems[0].Expected.Should().Contain("rows are 2 to 3");
        result.Problems[2].Expected.Should().Contain("a_patients.csv").And.Contain("b_patients.csv");
        result.Amendments.Should().BeEmpty();
        result.Patients.Should().HaveCount(3, "amendment errors point at the amendments file, not at data rows");
    }

    [Fact]
    public void A_column_that_is_not_read_cannot_be_amended()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var header = TwoHospitals.AHeader + ",Notes";
        File.WriteAllText(dir["a_patients.csv"], $"{header}\n{TwoHospitals.A("S1")},x\n{TwoHospitals.A("S2")},y\n");
        var amend = dir.Write("amend/amend.yaml", Yaml("- {kind: set, file: a_patients.csv, row: 2, column: Notes, old: x, new: z, reason: r}\n"));
        var p = Import(src, amend).Errors().Should().ContainSingle().Subject;
        (p.Rule, p.Column).Should().Be(("amendment-unmatched", "column"));
        p.Expected.Should().Contain("not read");
    }

    [Fact]
    public void Two_amendments_of_the_same_cell_or_patient_are_an_error_on_the_second()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - {kind: set, file: a_patients.csv, row: 2, column: nodules, old: "2", new: "3", reason: r}
              - {kind: set, file: a_patients.csv, row: 2, column: Nodules, old: "2", new: "4", reason: r}
              - {kind: drop, file: b_patients.csv, row: 2, reason: r}
              - {kind: set, file: b_patients.csv, row: 2, column: Gender, old: M, new: F, reason: r}
              - {kind: exclude, study_id: S2, reason: r}
              - {kind: exclude, study_id: S2, reason: again}
            """));
        var result = Import(src, amend);
        result.Errors().Select(p => (p.File, p.Row, p.Column, p.Rule)).Should().Equal(
            ("amend.yaml", 3, "column", "amendment-duplicate"),
            ("amend.yaml", 5, "row", "amendment-duplicate"),
            ("amend.yaml", 7, "study_id", "amendment-duplicate"));
        result.Errors().First().Expected.Should().Contain("line 2");
        result.Amendments.Select(a => a.Line).Should().Equal(2, 4, 6);
    }

    [Fact]
    public void A_dropped_row_is_not_read_so_a_repeated_patient_row_is_no_longer_a_duplicate_key()
    {
        using var dir = new TempDir();
        var src = Sources(dir, a: [TwoHospitals.A("S1"), TwoHospitals.A("S2"), TwoHospitals.A("S2")]);
        CohortImporter.Import(new ImportRequest { Inputs = [src] }).Errors().Select(p => (p.Row, p.Rule)).Should().Equal((4, "duplicate-key"));
        var amend = dir.Write("amend/amend.yaml", Yaml("- {kind: drop, file: a_patients.csv, row: 4, reason: exported twice}\n"));
        var result = Import(src, amend);
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => p.StudyId).Should().Equal("S1", "S2", "S3");
        result.Tables[0].RowsRead.Should().Be(2, "a dropped row is not read");
        result.Amendments.Single().Should().Be(new AppliedAmendment(2, AmendmentKind.Drop, "S2", null, "a_patients.csv row 4", "row dropped", "exported twice"));
    }

    [Fact]
    public void A_drop_naming_the_rows_study_id_is_checked_so_a_changed_file_never_loses_another_row()
    {
        using var dir = new TempDir();
        var src = Sources(dir, a: [TwoHospitals.A("S1"), TwoHospitals.A("S2"), TwoHospitals.A("S2")]);
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - {kind: drop, file: a_patients.csv, row: 3, study_id: S1, reason: exported twice}
              - {kind: drop, file: b_patients.csv, row: 2, study_id: S1, reason: B's copy of A's row}
            """));
        var result = Import(src, amend);
        result.Errors().Select(p => (p.File, p.Row, p.Column, p.Rule, p.Found)).Should().Equal(
            ("a_patients.csv", 4, "study_id", "duplicate-key", "S2"),
            ("amend.yaml", 2, "study_id", "amendment-stale", "S2"));
        result.Amendments.Should().ContainSingle().Which.Should().Be(new AppliedAmendment(3, AmendmentKind.Drop, "S1", null, "b_patients.csv row 2", "row dropped", "B's copy of A's row"));
        result.Tables.Select(t => t.RowsRead).Should().Equal(3, 2, 1, 1);
    }

    [Fact]
    public void An_excluded_patient_stays_in_the_import_and_is_listed_for_the_selection()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = dir.Write("amend/amend.yaml", Yaml("- {kind: exclude, study_id: S3, reason: carcinoma on review}\n"));
        var result = Import(src, amend);
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => p.StudyId).Should().Contain("S3");
        result.Amendments.Single().Should().Be(new AppliedAmendment(2, AmendmentKind.Exclude, "S3", null, "patient S3", "excluded from the study", "carcinoma on review"));
    }

    [Theory]
    [InlineData("source: hospital_a", "male", "source hospital_a chosen: male (not female)")]
    [InlineData("source: b_patients.csv", "female", "source b_patients.csv chosen: female (not male)")]
    [InlineData("value: female", "female", "value female chosen (male vs female)")]
    public void A_conflict_is_resolved_by_a_source_or_a_value(string choice, string sex, string change)
    {
        using var dir = new TempDir();
        var src = Sources(dir, b: [TwoHospitals.B("S1", gender: "F"), TwoHospitals.B("S3")]);
        var amend = dir.Write("amend/amend.yaml", Yaml($"- {{kind: resolve, study_id: S1, field: sex, {choice}, reason: checked the chart}}\n"));
        var result = Import(src, amend);
        result.Lines().Should().BeEmpty();
        result.Patients.Single(p => p.StudyId == "S1").Sex.Should().Be(sex);
        var a = result.Amendments.Single();
        (a.Kind, a.StudyId, a.Field, a.Change, a.Location).Should().Be((AmendmentKind.Resolve, "S1", "sex", change, "a_patients.csv row 2 and b_patients.csv row 2"));
    }

    [Fact]
    public void A_resolution_naming_a_source_that_is_not_in_the_conflict_leaves_the_conflict_and_is_unmatched()
    {
        using var dir = new TempDir();
        var src = Sources(dir, b: [TwoHospitals.B("S1", gender: "F"), TwoHospitals.B("S3")]);
        var amend = dir.Write("amend/amend.yaml", Yaml("- {kind: resolve, study_id: S1, field: sex, source: hospital_c, reason: r}\n"));
        var result = Import(src, amend);
        result.Errors().Select(p => (p.File, p.Rule)).Should().Equal(("b_patients.csv", "conflict"), ("amend.yaml", "amendment-unmatched"));
        result.Errors().Last().Expected.Should().Contain("hospital_a and hospital_b");
    }

    [Fact]
    public void The_csv_form_reads_the_same_amendments()
    {
        using var dir = new TempDir();
        var src = Sources(
            dir,
            a: [TwoHospitals.A("S1"), TwoHospitals.A("S2").Replace(",14,", ",see CT,", StringComparison.Ordinal), TwoHospitals.A("S2")],
            b: [TwoHospitals.B("S1", gender: "F"), TwoHospitals.B("S3")]);
        var amend = dir.Write("amend/amend.csv", """
            kind;file;row;column;old;new;study_id;field;source;value;reason
            set;a_patients.csv;3;largest_nodule_mm;see CT;missing;;;;;not measured
            drop;a_patients.csv;4;;;;;;;;"exported twice; same values"
            resolve;;;;;;S1;sex;;male;chart checked
            exclude;;;;;;S3;;;;not a sarcoma
            """);
        var result = Import(src, amend);
        result.Errors().Should().BeEmpty();
        result.Amendments.Select(a => (a.Line, a.Kind, a.StudyId)).Should().Equal(
            (2, AmendmentKind.Set, "S2"), (3, AmendmentKind.Drop, "S2"), (4, AmendmentKind.Resolve, "S1"), (5, AmendmentKind.Exclude, "S3"));
        result.Amendments[1].Reason.Should().Be("exported twice; same values");
        result.Patients.Single(p => p.StudyId == "S1").Sex.Should().Be("male");
    }

    [Fact]
    public void A_csv_set_with_an_empty_old_cell_amends_an_empty_cell()
    {
        using var dir = new TempDir();
        var src = Sources(dir, a: [TwoHospitals.A("S1"), TwoHospitals.A("S2").Replace(",14,", ",,", StringComparison.Ordinal)]);
        var amend = dir.Write("amend/amend.csv", "kind,file,row,column,old,new,reason\nset,a_patients.csv,3,largest_nodule_mm,,12,from the CT report\n");
        var result = Import(src, amend);
        result.Errors().Should().BeEmpty();
        result.Patients.Single(p => p.StudyId == "S2").LargestNoduleMm.Should().Be(12);
    }

    [Fact]
    public void A_workbook_sheet_is_named_as_the_validation_report_names_it_or_with_sheet()
    {
        using var dir = new TempDir();
        var book = dir.Xlsx(
            "cohort.xlsx",
            ("patients", [Cohorts.PatientsHeader.Split(','), Cohorts.Patient("S1").Split(','), Cohorts.Row("S2", ("sex", "Male")).Split(',')]),
            ("procedures", [Cohorts.ProceduresHeader.Split(','), "S1,2016-07-01,vats,R0".Split(','), "S2,2016-07-02,vats,R0".Split(',')]));
        var amend = dir.Write("amend/amend.yaml", Yaml("""
              - {kind: set, file: "cohort.xlsx[patients]", row: 3, column: sex, old: Male, new: male, reason: case}
              - {kind: set, file: cohort.xlsx, sheet: procedures, row: 3, column: margin, old: R0, new: R1, reason: pathology}
            """));
        var result = Import(book, amend);
        result.Lines().Should().BeEmpty();
        result.Patients.Single(p => p.StudyId == "S2").Procedures.Single().Margin.Should().Be("R1");
    }

    [Fact]
    public void An_amendments_file_inside_an_input_folder_is_not_read_as_a_mapping()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = Path.Combine(src, "amendments.yaml");
        File.WriteAllText(amend, Yaml("- {kind: exclude, study_id: S2, reason: r}\n"));
        var result = Import(src, amend);
        result.Lines().Should().BeEmpty();
        result.Amendments.Should().ContainSingle();
    }

    [Theory]
    [InlineData("- {kind: fix, study_id: S1, reason: r}\n", "amend.yaml line 2, key \"kind\": found \"fix\"; expected one of set, drop, exclude, resolve. [amendment-invalid]")]
    [InlineData("- {kind: exclude, study_id: S1}\n", "amend.yaml line 2, key \"reason\": expected a reason: why the data is amended (required). [amendment-invalid]")]
    [InlineData("- {kind: set, file: a_patients.csv, row: 2, column: sex, new: female, reason: r}\n", "amend.yaml line 2, key \"old\": expected the value now in the file")]
    [InlineData("- {kind: set, file: a_patients.csv, row: 1, column: sex, old: male, new: female, reason: r}\n", "amend.yaml line 2, key \"row\": found \"1\"; expected a data row")]
    [InlineData("- {kind: exclude, study_id: S1, reason: r, colour: red}\n", "amend.yaml line 2, key \"colour\": expected a key of an exclude amendment")]
    [InlineData("- {kind: resolve, study_id: S1, field: nodules, value: two, reason: r}\n", "amend.yaml line 2, key \"value\": expected a whole number")]
    [InlineData("- {kind: resolve, study_id: S1, field: nodules, reason: r}\n", "expected either source:")]
    [InlineData("- {kind: exclude, study_id: S1, reason: \"unclosed\n", "amend.yaml line")]
    public void A_malformed_amendments_file_is_a_located_setup_error(string entry, string message)
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = dir.Write("amend/amend.yaml", Yaml(entry));
        var act = () => Import(src, amend);
        var e = act.Should().Throw<ImportSetupException>().Which;
        e.Errors.Should().Contain(l => l.StartsWith(message, StringComparison.Ordinal) || l.Contains(message, StringComparison.Ordinal));
        e.Errors.Should().OnlyContain(l => l.EndsWith("[amendment-invalid]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_csv_amendments_file_names_its_rows_and_columns()
    {
        using var dir = new TempDir();
        var src = Sources(dir);
        var amend = dir.Write("amend/amend.csv", "kind,study_id,reason,why\nexclude,S1,,x\n");
        var e = FluentActions.Invoking(() => Import(src, amend)).Should().Throw<ImportSetupException>().Which;
        e.Errors.Should().Equal(
            "amend.csv row 1, column \"why\": expected a column named as an amendment key (kind, file, sheet, row, column, old, new, study_id, field, source, value, reason). [amendment-invalid]",
            "amend.csv row 2, column \"reason\": expected a reason: why the data is amended (required). [amendment-invalid]");
    }

    [Fact]
    public void Setup_errors_of_the_sources_and_of_the_amendments_are_reported_together()
    {
        using var dir = new TempDir();
        var amend = dir.Write("amend/amend.yaml", Yaml("- {kind: nope, reason: r}\n"));
        var e = FluentActions.Invoking(() => Import(Path.Combine(dir.Path, "missing"), amend)).Should().Throw<ImportSetupException>().Which;
        e.Errors.Should().HaveCount(2);
    }
}
