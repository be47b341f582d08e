using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Tests;

/// <summary>
/// The mapping keys for real extracts (issue 10, "Mappings that fit real extracts"): named sheets, units typed in
/// cells, decimal comma, codes ignoring case, blank: values, non-sarcoma histologies, fields only one table has, and
/// wide repeated procedure columns.
/// </summary>
public class MappingFeaturesTests
{
    private const string ProceduresHeader = "study_id,pm_date";

    /// <summary>A mapping whose files are p.csv and o.csv, plus <paramref name="more"/> YAML.</summary>
    private static ImportResult Source(string more, string patients, string? procedures = "S1,2016-07-01\n")
    {
        using var dir = new TempDir();
        var files = procedures is null ? "files: {patients: p.csv}\n" : "files: {patients: p.csv, procedures: o.csv}\n";
        dir.Write("m.yaml", "source: m\n" + files + more);
        dir.Write("p.csv", patients);
        if (procedures is not null)
        {
            dir.Write("o.csv", procedures.StartsWith("study_id", StringComparison.Ordinal) ? procedures : ProceduresHeader + "\n" + procedures);
        }

        return Cohorts.Import(dir.Path);
    }

    private static string Patients(params string[] rows) => Cohorts.PatientsHeader + "\n" + string.Join("\n", rows) + "\n";

    private static IEnumerable<(int? Row, string? Column, string Rule)> Where(ImportResult r) => r.Problems.Select(p => (p.Row, p.Column, p.Rule));

    // ------------------------------------------------------------------ sheets

    [Fact]
    public void A_mapping_names_the_sheet_of_each_table_and_the_sheets_need_not_be_first_nor_named_after_the_table()
    {
        using var dir = new TempDir();
        dir.Write("site.yaml", "source: site\nfiles:\n  patients: {file: site.xlsx, sheet: Pts}\n  procedures: {file: site.xlsx, sheet: ' operations '}\n");
        dir.Xlsx("site.xlsx",
            ("codebook", [["field", "code"], ["sex", "male"]]),
            ("Operations", [["study_id", "pm_date"], ["S1", new DateOnly(2016, 7, 1)]]),
            ("pts", [Cohorts.PatientsHeader.Split(','), Cohorts.Patient("S1").Split(',')]));
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Tables.Select(t => (t.File, t.Table)).Should().Equal(("site.xlsx[pts]", CohortTable.Patients), ("site.xlsx[Operations]", CohortTable.Procedures));
        result.Patients.Single().Procedures.Single().Date.Should().Be(new DateOnly(2016, 7, 1));
    }

    [Fact]
    public void A_named_sheet_the_workbook_lacks_is_one_missing_sheet_error_naming_the_workbook_the_sheet_and_the_sheets_present()
    {
        using var dir = new TempDir();
        dir.Write("site.yaml", "source: site\nfiles:\n  patients: {file: site.xlsx, sheet: Patients}\n  procedures: {file: site.xlsx, sheet: operations}\n");
        dir.Xlsx("site.xlsx",
            ("Sheet1", [Cohorts.PatientsHeader.Split(','), Cohorts.Patient("S1").Split(',')]),
            ("operations", [["study_id", "pm_date"], ["S1", new DateOnly(2016, 7, 1)]]));
        var result = Cohorts.Import(dir.Path);

        var p = result.Problems.Should().ContainSingle("the source is not read at all: no orphan procedures follow").Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Severity).Should().Be(("site.xlsx", (int?)null, (string?)null, "missing-sheet", "Patients", Severity.Error));
        p.ToString().Should().Be(
            "site.xlsx: found \"Patients\"; expected a sheet named 'Patients' for the patients table, as site.yaml says (the workbook has 'Sheet1', 'operations'). "
            + "Correct the sheet's name under files: patients: in the mapping. No file of this source was read. [missing-sheet]");
        result.Tables.Should().BeEmpty();
        result.HasErrors.Should().BeTrue();
    }

    [Fact]
    public void A_table_pointed_at_a_workbook_of_several_sheets_none_named_after_it_is_an_error_never_the_first_sheet()
    {
        using var dir = new TempDir();
        dir.Write("site.yaml", "source: site\nfiles: {patients: site.xlsx}\n");
        dir.Xlsx("site.xlsx", ("Data", [Cohorts.PatientsHeader.Split(','), Cohorts.Patient("S1").Split(',')]), ("Codebook", [["x"]]));
        var result = Cohorts.Import(dir.Path);
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Rule, p.Found).Should().Be(("site.xlsx", "missing-sheet", (string?)null));
        p.Expected.Should().Be("a sheet named 'patients' for the patients table (the workbook has 'Data', 'Codebook')");
        p.Hint.Should().StartWith("Name the sheet in site.yaml: files: patients: {file: site.xlsx, sheet: NAME}.");
    }

    [Fact]
    public void A_workbook_of_one_sheet_is_that_sheet_whatever_its_name()
    {
        using var dir = new TempDir();
        dir.Write("site.yaml", "source: site\nfiles: {patients: p.xlsx, procedures: o.csv}\n");
        dir.Xlsx("p.xlsx", ("Export 2024", [Cohorts.PatientsHeader.Split(','), Cohorts.Patient("S1").Split(',')]));
        dir.Write("o.csv", "study_id,pm_date\nS1,2016-07-01\n");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Tables[0].File.Should().Be("p.xlsx[Export 2024]");
    }

    [Fact]
    public void A_sheet_for_a_file_that_is_not_a_workbook_is_a_mapping_error()
    {
        var act = () => SourceMapping.Parse("files:\n  patients: {file: p.csv, sheet: Patients}\n  procedures: {file: o.csv, tab: x}\n", "m.yaml");
        act.Should().Throw<ImportSetupException>().Which.Errors.Should().Equal(
            "m.yaml line 2: key 'files.patients.sheet': expected no sheet: only a workbook (.xlsx, .xlsm, .xls) has sheets; found 'Patients'.",
            "m.yaml line 3: key 'files.procedures.tab': expected file or sheet (unknown key).");
    }

    // ------------------------------------------------------------------ units typed in cells

    [Fact]
    public void A_unit_typed_in_a_cell_is_read_in_that_unit_and_another_unit_than_the_columns_is_one_note_per_column()
    {
        var result = Source(
            "columns: {Size: {field: largest_nodule_mm, unit: cm}}\n",
            Patients(Cohorts.Patient("S1"), Cohorts.Patient("S2"), Cohorts.Patient("S3"), Cohorts.Patient("S4"), Cohorts.Patient("S5"), Cohorts.Patient("S6"))
                .Replace("largest_nodule_mm", "Size", StringComparison.Ordinal)
                .Replace("S1,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,14,", "S1,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,2 cm,", StringComparison.Ordinal)
                .Replace("S2,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,14,", "S2,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,2cm,", StringComparison.Ordinal)
                .Replace("S3,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,14,", "S3,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,20 mm,", StringComparison.Ordinal)
                .Replace("S4,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,14,", "S4,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,2.5 CM.,", StringComparison.Ordinal)
                .Replace("S5,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,14,", "S5,male,1960-01-01,leiomyosarcoma,extremity,2015-03-01,2016-06-01,no,2,unilateral,0.03m,", StringComparison.Ordinal),
            "S1,2016-07-01\nS2,2016-07-01\nS3,2016-07-01\nS4,2016-07-01\nS5,2016-07-01\nS6,2016-07-01\n");
        result.Patients.Select(p => Math.Round(p.LargestNoduleMm!.Value, 9)).Should().Equal(20.0, 20.0, 20.0, 25.0, 30.0, 140.0);
        var note = result.Problems.Should().ContainSingle().Subject;
        (note.File, note.Row, note.Column, note.Rule, note.Severity, note.Found).Should().Be(("p.csv", 1, "Size", "unit-converted", Severity.Warning, "20 mm"));
        note.ToString().Should().Be("p.csv row 1, column \"Size\": warning: found \"20 mm\"; expected numbers in cm, the column's unit. 2 cells were typed in mm, m instead of cm: each was read in the unit typed and stored in mm (rows 4, 6). [unit-converted]");
        result.HasErrors.Should().BeFalse();
    }

    [Fact]
    public void A_canonical_column_takes_the_fields_unit_and_an_unknown_unit_is_an_error_on_its_cell()
    {
        using var dir = new TempDir();
        dir.Write("patients.csv", Patients(Cohorts.Row("S1", ("largest_nodule_mm", "1.4 cm")), Cohorts.Row("S2", ("largest_nodule_mm", "2 in"))));
        dir.Write("procedures.csv", "study_id,pm_date\nS1,2016-07-01\nS2,2016-07-01\n");
        var result = Cohorts.Import(dir.Path);
        result.Patients.Single().LargestNoduleMm.Should().BeApproximately(14, 1e-12);
        Where(result).Should().Equal((1, "largest_nodule_mm", "unit-converted"), (3, "largest_nodule_mm", "unknown-unit"));
        result.Problems[1].ToString().Should().Be(
            "patients.csv row 3, column \"largest_nodule_mm\": found \"2 in\"; expected a number in mm, or a number followed by a unit of length (mm, cm, m). 'in' is not a unit Sarcostat knows (mm, cm, m, days, weeks, months, years). [unknown-unit]");
        result.RejectedStudyIds.Should().Equal("S2");
    }

    [Fact]
    public void Durations_take_their_units_too_and_a_unit_on_a_field_without_one_is_not_a_number()
    {
        var result = Source(string.Empty, Patients(Cohorts.Patient("S1"), Cohorts.Row("S2", ("nodules", "3 nodules"))),
            "study_id,pm_date,hospital_stay_days,icu_stay_days\nS1,2016-07-01,1 week,36 hours\nS2,2016-07-01,5 days,1 d\n");
        Where(result).Should().Equal((3, "nodules", "not-an-integer"), (1, "hospital_stay_days", "unit-converted"), (2, "icu_stay_days", "unknown-unit"));
        result.Problems[1].Hint.Should().Be("1 cell was typed in week instead of days: it was read in the unit typed and stored in days (row 2).");
        result.Problems[2].Hint.Should().Be("'hours' is not a unit Sarcostat knows (mm, cm, m, days, weeks, months, years).");
    }

    [Fact]
    public void A_decimal_comma_is_read_only_when_the_mapping_declares_it()
    {
        var rows = Patients(Cohorts.Row("S1", ("largest_nodule_mm", "\"2,5 cm\"")), Cohorts.Row("S2", ("largest_nodule_mm", "\"14,5\"")), Cohorts.Row("S3", ("largest_nodule_mm", "14.5")));
        const string Procedures = "S1,2016-07-01\nS2,2016-07-01\nS3,2016-07-01\n";

        var comma = Source("decimal: comma\n", rows, Procedures);
        comma.Patients.Select(p => p.StudyId).Should().Equal("S1", "S2");
        comma.Patients.Select(p => p.LargestNoduleMm).Should().Equal(25.0, 14.5);
        var dot = comma.Errors().Should().ContainSingle().Subject;
        (dot.Row, dot.Column, dot.Rule, dot.Found, dot.Expected).Should().Be((4, "largest_nodule_mm", "not-a-number", "14.5", "a number in mm (decimal comma)"));
        dot.Hint.Should().Be("The mapping declares a decimal comma (decimal: comma); write 2,5, not 2.5.");

        var plain = Source(string.Empty, rows, Procedures);
        plain.Errors().Select(p => (p.Row, p.Rule, p.Hint)).Should().Equal(
            (2, "not-a-number", "Use a dot as the decimal separator."),
            (3, "not-a-number", "Use a dot as the decimal separator."));

        var perColumn = Source("columns: {largest_nodule_mm: {field: largest_nodule_mm, decimal: comma}}\n", rows, Procedures);
        perColumn.Patients.Select(p => p.LargestNoduleMm).Should().Equal(25.0, 14.5);
    }

    // ------------------------------------------------------------------ codes

    [Fact]
    public void Codes_match_ignoring_case_and_surrounding_spaces_for_mapped_values_and_dictionary_codes()
    {
        var result = Source(
            "codes:\n  sex: {m: Male, F: FEMALE}\n  histology: {lms: leiomyosarcoma}\n",
            Patients(Cohorts.Row("S1", ("sex", "\" M \"")), Cohorts.Row("S2", ("sex", "MALE ")), Cohorts.Row("S3", ("sex", "\" Female\""), ("histology", "LMS"), ("primary_site", "Extremity"))),
            "S1,2016-07-01\nS2,2016-07-01\nS3,2016-07-01\n");
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => (p.Sex, p.Histology, p.PrimarySite)).Should().Equal(
            ("male", "leiomyosarcoma", "extremity"), ("male", "leiomyosarcoma", "extremity"), ("female", "leiomyosarcoma", "extremity"));
    }

    // ------------------------------------------------------------------ blank

    [Fact]
    public void Blank_gives_an_empty_cell_its_codebook_value_but_a_missing_marker_stays_missing()
    {
        var result = Source(
            "columns:\n  Complications: {field: complication, blank: none}\n  Air leak: {field: mortality_30d, blank: N}\ncodes:\n  mortality_30d: {Y: yes, N: no}\n",
            Patients(Cohorts.Patient("S1"), Cohorts.Patient("S2"), Cohorts.Patient("S3")),
            "study_id,pm_date,Complications,Air leak\nS1,2016-07-01,,\nS2,2016-07-01,pneumonia,Y\nS3,2016-07-01,NA,\n");
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => (p.Procedures[0].Complication, p.Procedures[0].Mortality30d)).Should().Equal(
            ("none", false), ("pneumonia", true), ((string?)null, false));
    }

    [Fact]
    public void A_blank_value_is_checked_against_the_field_when_the_mapping_is_read()
    {
        var act = () => SourceMapping.Parse(
            "columns:\n  A: {field: complication, blank: nothing}\n  B: {field: pm_date, blank: 2020-01-01}\n  C: {field: nodules, blank: 0}\n  D: {field: nodules_resected, blank: 0}\n",
            "m.yaml");
        act.Should().Throw<ImportSetupException>().Which.Errors.Should().Equal(
            "m.yaml line 3: key 'columns.B.blank': expected no blank: a date field cannot take a value for an empty cell (only code, yes/no and number fields); found '2020-01-01'.",
            "m.yaml line 2: key 'columns.A.blank': expected a code of complication (none, prolonged_air_leak, haemothorax, pneumonia, shock, arrhythmia, other), or a source value under codes: complication:; found 'nothing'.",
            "m.yaml line 4: key 'columns.C.blank': expected a value from 1 to 200; found '0'.");
    }

    [Fact]
    public void A_row_blank_but_for_a_blank_value_is_still_no_row()
    {
        var result = Source("columns: {complication: {field: complication, blank: none}}\n", Patients(Cohorts.Patient("S1")),
            "study_id,pm_date,complication\nS1,2016-07-01,\n,,\n");
        result.Lines().Should().BeEmpty();
        result.Tables[1].RowsRead.Should().Be(1);
    }

    // ------------------------------------------------------------------ non-sarcoma histologies

    [Fact]
    public void A_histology_that_is_not_a_sarcoma_maps_to_not_sarcoma_and_the_patient_is_kept()
    {
        var result = Source(
            "codes:\n  histology: {Carcinoma: not_sarcoma, Melanoma: not_sarcoma, LMS: leiomyosarcoma}\n",
            Patients(Cohorts.Row("S1", ("histology", "Carcinoma")), Cohorts.Row("S2", ("histology", "LMS")), Cohorts.Row("S3", ("histology", "melanoma"))),
            "S1,2016-07-01\nS2,2016-07-01\nS3,2016-07-01\n");
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => p.Histology).Should().Equal(Codes.Histology.NotSarcoma, "leiomyosarcoma", Codes.Histology.NotSarcoma);
    }

    [Theory]
    [InlineData("kaposi_sarcoma")]
    [InlineData("clear_cell_sarcoma")]
    [InlineData("desmoplastic_small_round_cell_tumour")]
    [InlineData("extraskeletal_myxoid_chondrosarcoma")]
    [InlineData("solitary_fibrous_tumour_malignant")]
    [InlineData("low_grade_fibromyxoid_sarcoma")]
    [InlineData("sclerosing_epithelioid_fibrosarcoma")]
    [InlineData("pecoma_malignant")]
    [InlineData("intimal_sarcoma")]
    [InlineData("adamantinoma")]
    [InlineData("chordoma")]
    public void The_WHO_sarcomas_the_dictionary_lacked_are_codes_of_histology(string code) =>
        DataDictionary.Default["histology"].Label(code).Should().NotBeNull();

    [Fact]
    public void Follicular_dendritic_cell_sarcoma_is_not_a_code_it_belongs_to_the_haematolymphoid_classification() =>
        DataDictionary.Default["histology"].Codes.Select(c => c.Key).Should().NotContain(c => c.Contains("dendritic", StringComparison.Ordinal));

    // ------------------------------------------------------------------ a field only one table has

    [Fact]
    public void A_procedure_field_on_the_patients_sheet_without_a_date_is_about_the_first_metastasectomy()
    {
        var result = Source(
            "columns: {Stay: hospital_stay_days, Complete: complete_resection}\n",
            Cohorts.PatientsHeader + ",Stay,Complete\n" + Cohorts.Patient("S1") + ",6,yes\n" + Cohorts.Patient("S2") + ",,\n",
            "S1,2017-02-01\nS1,2016-07-01\nS2,2016-07-01\n");
        result.Lines().Should().BeEmpty("the patients sheet has no pm_date column, and none is asked for");
        var s1 = result.Patients[0];
        s1.Procedures.Select(p => (p.Date, p.HospitalStayDays, p.CompleteResection)).Should().Equal(
            (new DateOnly(2016, 7, 1), 6, true), (new DateOnly(2017, 2, 1), (int?)null, (bool?)null));
    }

    [Fact]
    public void A_procedure_field_on_both_sheets_that_disagrees_for_the_first_metastasectomy_is_a_conflict()
    {
        var result = Source(
            "columns: {Stay: hospital_stay_days}\n",
            Cohorts.PatientsHeader + ",Stay\n" + Cohorts.Patient("S1") + ",6\n",
            "study_id,pm_date,hospital_stay_days\nS1,2016-07-01,7\n");
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found).Should().Be(("p.csv", 2, "Stay", "conflict", "6"));
    }

    [Fact]
    public void A_patients_field_only_the_procedures_sheet_has_is_read_for_the_patient_and_rows_that_disagree_conflict()
    {
        var header = Cohorts.PatientsHeader.Replace(",lung_met_date", string.Empty, StringComparison.Ordinal);
        string Row(string id) => Cohorts.Patient(id).Replace(",2016-06-01,", ",", StringComparison.Ordinal);
        var result = Source(string.Empty, header + "\n" + Row("S1") + "\n" + Row("S2") + "\n",
            "study_id,pm_date,lung_met_date\nS1,2016-07-01,2016-06-01\nS1,2017-02-01,2016-06-01\nS2,2016-07-01,2016-06-01\nS2,2017-02-01,2016-05-01\n");
        Where(result).Should().Equal((5, "lung_met_date", "conflict"));
        result.Patients.Single().LungMetastasisDate.Should().Be(new DateOnly(2016, 6, 1));
        result.Patients.Single().Locate("lung_met_date")!.File.Should().Be("o.csv");
        result.RejectedStudyIds.Should().Equal("S2");
    }

    // ------------------------------------------------------------------ wide repeated procedures

    private const string Repeat = """
        repeat:
          index: 1..3
          columns:
            Op date {i}: pm_date
            Approach {i}: approach
            Side {i}: side
            Stay {i}: {field: hospital_stay_days, unit: weeks}
        codes:
          approach: {VATS: vats, Open: thoracotomy}
          side: {L: left, R: right}

        """;

    private static readonly string WideHeader = Cohorts.PatientsHeader + ",Op date 1,Approach 1,Side 1,Stay 1,Op date 2,Approach 2,Side 2,Stay 2,Op date 3,Approach 3,Side 3,Stay 3";

    [Fact]
    public void Wide_repeated_columns_are_repeated_procedures_and_blank_groups_are_none()
    {
        var result = Source(Repeat,
            WideHeader + "\n"
            + Cohorts.Patient("S1") + ",2016-07-01,VATS,L,1,2017-02-01,open,R,2,,,,\n"
            + Cohorts.Patient("S2") + ",2016-07-01,VATS,R,,,,,,,,,\n",
            procedures: null);
        result.Lines().Should().BeEmpty();
        result.Tables.Single().Should().Be(new TableCount("p.csv", CohortTable.Patients, 2, 2, 0));
        result.Patients[0].Procedures.Select(p => (p.Date, p.Approach, p.Side, p.HospitalStayDays)).Should().Equal(
            (new DateOnly(2016, 7, 1), "vats", "left", 7), (new DateOnly(2017, 2, 1), "thoracotomy", "right", 14));
        result.Patients[0].Procedures[1].Origin.Should().Be(new SourceLocation("p.csv", 2, "Op date 2", "m"));
        result.Patients[1].Procedures.Should().ContainSingle();
    }

    [Fact]
    public void A_repeated_group_and_a_procedures_row_of_the_same_date_are_one_procedure_and_disagreeing_values_conflict()
    {
        var result = Source(Repeat,
            WideHeader + "\n"
            + Cohorts.Patient("S1") + ",2016-07-01,VATS,L,,2017-02-01,Open,R,,,,,\n",
            "study_id,pm_date,approach,margin\nS1,2016-07-01,vats,R0\nS1,2017-02-01,robotic,R1\n");
        Where(result).Should().Equal((3, "approach", "conflict"));
        result.Problems[0].Expected.Should().Be("the same value as p.csv row 2 (thoracotomy)");
        result.RejectedStudyIds.Should().Equal("S1");

        var agreeing = Source(Repeat, WideHeader + "\n" + Cohorts.Patient("S1") + ",2016-07-01,VATS,L,,,,,,,,,\n", "study_id,pm_date,margin\nS1,2016-07-01,R0\n");
        agreeing.Lines().Should().BeEmpty();
        agreeing.Patients.Single().Procedures.Single().Should().Match<Metastasectomy>(p => p.Approach == "vats" && p.Side == "left" && p.Margin == "R0");
    }

    [Fact]
    public void A_partly_filled_group_is_checked_like_a_procedures_row_on_its_own_columns()
    {
        var result = Source(Repeat,
            WideHeader + "\n"
            + Cohorts.Patient("S1") + ",2016-07-01,VATS,L,,,Open,,,,,,\n"
            + Cohorts.Patient("S2") + ",2016-07-01,VATS,L,,2017-02-01,laser,,,,,,\n"
            + Cohorts.Patient("S3") + ",2016-07-01,VATS,L,,,,,,,,,\n",
            procedures: null);
        Where(result).Should().Equal((2, "Op date 2", "missing-required"), (3, "Approach 2", "unknown-code"));
        result.Problems[0].ToString().Should().StartWith("p.csv row 2, column \"Op date 2\": expected a value for pm_date");
        result.RejectedStudyIds.Should().Equal("S1", "S2");
        result.Patients.Single().StudyId.Should().Be("S3");
    }

    [Fact]
    public void A_group_without_its_date_column_or_a_table_without_any_group_is_a_missing_column()
    {
        var noDate = Source(Repeat,
            Cohorts.PatientsHeader + ",Op date 1,Approach 1,Approach 2\n" + Cohorts.Patient("S1") + ",2016-07-01,VATS,Open\n",
            procedures: null);
        Where(noDate).Should().Equal((1, "Op date 2", "missing-column"));
        noDate.Problems[0].Expected.Should().Be("a column for pm_date of repeated group 2 (the table has \"Approach 2\")");

        var none = Source(Repeat, Cohorts.PatientsHeader + ",Op date1\n" + Cohorts.Patient("S1") + ",2016-07-01\n", procedures: null);
        Where(none).Should().Contain((1, "Op date 1", "missing-column"));
    }

    [Fact]
    public void Repeat_is_checked_when_the_mapping_is_read()
    {
        var act = () => SourceMapping.Parse(
            "repeat:\n  index: 5..1\n  columns:\n    Op date: pm_date\n    Sex {i}: sex\n    Approach {i}: approach\n    Route {i}: approach\n",
            "m.yaml");
        act.Should().Throw<ImportSetupException>().Which.Errors.Should().Equal(
            "m.yaml line 2: key 'repeat.index': expected a range such as 1..5, or a list of index values such as [1, 2, 3]; found '5..1'.",
            "m.yaml line 4: key 'repeat.columns.Op date': expected a column name with {i} where the index stands, such as \"Op date {i}\"; found 'Op date'.",
            "m.yaml line 5: key 'repeat.columns.Sex {i}': expected a procedures field (a repeated group is one metastasectomy: pm_date, approach, side, ...); found 'sex'.",
            "m.yaml line 7: key 'repeat.columns.Route {i}': expected one column per field in a group (approach is already read from \"Approach {i}\"); found 'approach'.");

        var noDate = () => SourceMapping.Parse("repeat: {index: [a, b], columns: {'Approach {i}': approach}}\n", "m.yaml");
        noDate.Should().Throw<ImportSetupException>().Which.Errors.Should().Equal(
            "m.yaml line 1: key 'repeat.columns': expected a column for pm_date (each repeated group is a metastasectomy and needs its date).");

        var tooMany = () => SourceMapping.Parse("repeat: {index: 1..1000, columns: {'Op {i}': pm_date}}\n", "m.yaml");
        tooMany.Should().Throw<ImportSetupException>().Which.Errors.Single().Should().Contain("at most 100 repeated groups");

        var clash = () => SourceMapping.Parse("columns: {Op 1: pm_date}\nrepeat: {index: 1..2, columns: {'Op {i}': pm_date}}\n", "m.yaml");
        clash.Should().Throw<ImportSetupException>().Which.Errors.Single().Should().Be(
            "m.yaml: key 'repeat.columns': expected columns that are not also under columns:; found 'Op 1'.");

        var ok = SourceMapping.Parse("repeat: {index: [A, B], columns: {'Op {i}': pm_date, 'Complications {i}': {field: complication, blank: none}}}\n", "m.yaml");
        ok.Repeat!.Indexes.Should().Equal("A", "B");
        ok.Repeat.Columns["complications {i}"].Blank.Should().Be("none");
    }
}
