using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

public class MergeTests
{
    [Fact]
    public void The_same_patient_in_two_sources_with_equal_values_is_one_patient()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1"), TwoHospitals.A("S2")], ["S1,01/07/2016,vats,R0", "S2,02/07/2016,vats,R0"], [TwoHospitals.B("S1"), TwoHospitals.B("S3")], ["S1,2016-07-01,vats,R0", "S3,2016-07-03,vats,R0"]);
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        result.Patients.Select(p => p.StudyId).Should().Equal("S1", "S2", "S3");
        var s1 = result.Patients[0];
        (s1.Source, s1.Sex, s1.Histology, s1.LargestNoduleMm, s1.Synchronous).Should().Be(("hospital_a,hospital_b", "male", "leiomyosarcoma", 14.0, false));
        s1.Procedures.Should().ContainSingle("the same procedure (key, pm_date) in both sources is one procedure");
        result.Patients[2].LargestNoduleMm.Should().BeApproximately(14, 1e-12, "1.4 cm is 14 mm");
        result.Patients[2].Source.Should().Be("hospital_b");
        result.SourceRecords.Should().Equal(new SourceRecordCount("hospital_a", 2), new SourceRecordCount("hospital_b", 2));
        result.Pseudonymised.Should().BeFalse("neither mapping pseudonymises a column");
    }

    [Fact]
    public void Records_delivered_count_every_patient_row_of_a_source_even_a_rejected_one()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1"), TwoHospitals.A("S2"), TwoHospitals.A("S4")], ["S1,01/07/2016,vats,R0", "S2,01/07/2016,vats,R0", "S4,01/07/2016,vats,R0"], [TwoHospitals.B("S1", gender: "F")], []);
        var result = Cohorts.Import(dir.Path);
        result.RejectedStudyIds.Should().Equal("S1");
        result.SourceRecords.Should().Equal(new SourceRecordCount("hospital_a", 3), new SourceRecordCount("hospital_b", 1));
    }

    [Fact]
    public void A_value_missing_in_one_source_is_taken_from_the_other_and_located_there()
    {
        using var dir = new TempDir();
        var aWithoutSize = TwoHospitals.A("S1").Replace(",14,", ",,", StringComparison.Ordinal);
        TwoHospitals.Write(dir, [aWithoutSize], ["S1,01/07/2016,vats,R0"], [TwoHospitals.B("S1", size: "2.5")], []);
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        var s1 = result.Patients.Single();
        s1.LargestNoduleMm.Should().Be(25);
        s1.Locate("largest_nodule_mm").Should().Be(new SourceLocation("b_patients.csv", 2, "Largest nodule (cm)", "hospital_b"));
        s1.Locate("sex").Should().Be(new SourceLocation("a_patients.csv", 2, "sex", "hospital_a"));
    }

    [Fact]
    public void Different_values_are_a_conflict_on_the_later_sources_cell_never_a_silent_choice()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0"], [TwoHospitals.B("S1", gender: "F")], []);
        var result = Cohorts.Import(dir.Path);
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.StudyId).Should().Be(("b_patients.csv", 2, "Gender", "conflict", "female", "S1"));
        p.Expected.Should().Be("the same value as a_patients.csv row 2 (male)");
        result.Patients.Should().BeEmpty();
        result.RejectedStudyIds.Should().Equal("S1");
    }

    [Fact]
    public void A_conflicting_field_is_unknown_to_the_cross_field_rules()
    {
        // B's lung metastasis date (2014) would break the date order; as it conflicts with A's, only the conflict is reported.
        using var dir = new TempDir();
        var b = TwoHospitals.B("S1").Replace("01.06.2016", "01.06.2014", StringComparison.Ordinal);
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0"], [b], []);
        Cohorts.Import(dir.Path).Problems.Select(p => (p.Rule, p.Column)).Should().Equal(("conflict", "Lung met"));
    }

    [Fact]
    public void The_same_procedure_with_a_different_margin_is_a_conflict_on_the_later_procedure_row()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0", "S1,01/03/2017,vats,R0"], [], ["S1,2017-03-01,vats,R1"]);
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Expected).Should().Be(("b_procedures.csv", 2, "Margin", "conflict", "R1", "the same value as a_procedures.csv row 3 (R0)"));
    }

    [Fact]
    public void A_procedure_whose_key_matches_no_patient_is_an_orphan()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,01/07/2016,vats,R0", "S9,01/07/2016,vats,R0"], [], []);
        var result = Cohorts.Import(dir.Path);
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found).Should().Be(("a_procedures.csv", 3, "study_id", "orphan-procedure", "S9"));
        result.Patients.Should().ContainSingle();
        result.Tables.Single(t => t.File == "a_procedures.csv").Should().Be(new TableCount("a_procedures.csv", CohortTable.Procedures, 2, 1, 1));
    }

    [Fact]
    public void The_same_key_twice_in_one_table_is_a_duplicate_on_the_second_row_and_rejects_the_patient()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1"), TwoHospitals.A("S2"), TwoHospitals.A("S1", "female")], ["S1,01/07/2016,vats,R0", "S2,01/07/2016,vats,R0"], [], []);
        var result = Cohorts.Import(dir.Path);
        var p = result.Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Expected).Should().Be(("a_patients.csv", 4, "study_id", "duplicate-key", "S1", "one row per patient in a table (study_id S1 is already on row 2)"));
        result.Patients.Select(x => x.StudyId).Should().Equal("S2");
        result.RejectedStudyIds.Should().Equal("S1");
    }

    [Fact]
    public void A_patient_without_any_metastasectomy_date_is_reported_on_its_row_at_pm_date()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1"), TwoHospitals.A("S2")], ["S1,01/07/2016,vats,R0"], [], []);
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.StudyId).Should().Be(("a_patients.csv", 3, "pm_date", "no-procedure", "S2"));
    }

    [Fact]
    public void An_unreadable_procedure_date_is_one_problem_not_also_a_missing_procedure()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,31/02/2016,vats,R0"], [], []);
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule).Should().Be(("a_procedures.csv", 2, "pm_date", "not-a-date"));
    }

    [Fact]
    public void The_range_is_checked_after_unit_conversion_on_the_source_cell()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [], [], [TwoHospitals.B("S1", size: "45")], ["S1,2016-07-01,vats,R0"]);
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Expected).Should().Be(("b_patients.csv", 2, "Largest nodule (cm)", "out-of-range", "45", "a value from 0 to 300 mm (read as 450 mm)"));
    }

    [Fact]
    public void An_iso_date_in_a_day_month_year_source_says_so()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,2016-07-01,vats,R0"], [], []);
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.Column, p.Rule, p.Expected, p.Hint).Should().Be(("pm_date", "not-a-date", "a date (dd/MM/yyyy)", "This is a yyyy-MM-dd date; the column's format is dd/MM/yyyy (a mapping can set date_format per column)."));
    }

    [Fact]
    public void An_empty_procedure_date_is_missing_required_on_the_procedure_row()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(dir, [TwoHospitals.A("S1")], ["S1,,vats,R0"], [], []);
        var p = Cohorts.Import(dir.Path).Problems.Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule).Should().Be(("a_procedures.csv", 2, "pm_date", "missing-required"));
    }

    [Fact]
    public void Rows_read_equal_rows_accepted_plus_rows_rejected_in_every_table()
    {
        using var dir = new TempDir();
        TwoHospitals.Write(
            dir,
            [TwoHospitals.A("S1"), TwoHospitals.A("S2").Replace("01/06/2016", "01/01/2015", StringComparison.Ordinal), TwoHospitals.A("S3")],
            ["S1,01/07/2016,vats,R0", "S2,01/07/2016,vats,R0", "S3,01/07/2016,open,R0"],
            [TwoHospitals.B("S1")],
            ["S1,2016-07-01,vats,R0"]);
        var result = Cohorts.Import(dir.Path);
        result.Errors().Select(p => (p.File, p.Row, p.Rule)).Should().Equal(("a_patients.csv", 3, "date-order"), ("a_procedures.csv", 4, "unknown-code"));
        result.Tables.Select(t => (t.File, t.RowsRead, t.RowsAccepted, t.RowsRejected)).Should().Equal(
            ("a_patients.csv", 3, 2, 1),
            ("a_procedures.csv", 3, 2, 1),
            ("b_patients.csv", 1, 1, 0),
            ("b_procedures.csv", 1, 1, 0));
        result.Tables.Should().OnlyContain(t => t.RowsRead == t.RowsAccepted + t.RowsRejected);
        result.Patients.Select(p => p.StudyId).Should().Equal("S1");
        result.RejectedStudyIds.Should().Equal("S2", "S3");
    }
}
