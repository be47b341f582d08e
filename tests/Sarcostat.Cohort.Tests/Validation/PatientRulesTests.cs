using Sarcostat.Cohort.Validation;

namespace Sarcostat.Cohort.Tests.Validation;

public class PatientRulesTests
{
    private static readonly DataDictionary D = DataDictionary.Default;

    /// <summary>
    /// A clean patient: every required and recommended field present, dates in chain order
    /// (birth 1960-01-01 &lt; surgery 2015-03-01 &lt;= lung met 2016-06-01 &lt;= PM 2016-07-01 &lt;= last contact 2021-01-01).
    /// Every patient field (and pm_date) is located at hospital.csv row 7, in a column named "col:FIELD".
    /// </summary>
    internal static Patient Clean(params (string Field, object? Value)[] changes)
    {
        var values = new Dictionary<string, object?>
        {
            ["study_id"] = "S1",
            ["sex"] = "male",
            ["birth_date"] = new DateOnly(1960, 1, 1),
            ["ecog"] = 0,
            ["histology"] = "leiomyosarcoma",
            ["tissue"] = "soft_tissue",
            ["primary_site"] = "extremity",
            ["primary_surgery_date"] = new DateOnly(2015, 3, 1),
            ["lung_met_date"] = new DateOnly(2016, 6, 1),
            ["synchronous"] = false,
            ["nodules"] = 2,
            ["laterality"] = "unilateral",
            ["largest_nodule_mm"] = 14.0,
            ["last_contact_date"] = new DateOnly(2021, 1, 1),
            ["vital_status"] = "alive",
        };
        var pm = new DateOnly(2016, 7, 1);
        foreach (var (field, value) in changes)
        {
            if (field == "pm_date")
            {
                pm = (DateOnly)value!;
            }
            else
            {
                values[field] = value;
            }
        }

        var origins = FieldAccess.PatientFields.Append("pm_date")
            .ToDictionary(f => f, f => new SourceLocation("hospital.csv", 7, "col:" + f, "hospital"));
        var procedure = new Metastasectomy { Date = pm, Origin = new SourceLocation("operations.csv", 12, "Operation date", "hospital") };
        return FieldAccess.BuildPatient(values, [procedure], origins);
    }

    private static IReadOnlyList<CohortProblem> Check(Patient p, params string[] unknown) =>
        PatientRules.Check(p, D, unknown.ToHashSet());

    [Fact]
    public void A_clean_patient_has_no_problem() => Check(Clean()).Should().BeEmpty();

    [Fact]
    public void Lung_metastasis_before_primary_surgery_is_one_date_order_error_on_the_lung_metastasis_cell()
    {
        var problems = Check(Clean(("lung_met_date", new DateOnly(2015, 1, 1))));
        problems.Should().ContainSingle();
        var p = problems[0];
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Severity, p.StudyId)
            .Should().Be(("hospital.csv", 7, "col:lung_met_date", "date-order", "2015-01-01", Severity.Error, "S1"));
        p.Expected.Should().Be("a date on or after primary_surgery_date (2015-03-01)");
    }

    [Fact]
    public void A_first_metastasectomy_before_the_lung_metastasis_points_at_the_procedure_row_and_names_the_other_cell()
    {
        var p = Check(Clean(("pm_date", new DateOnly(2016, 5, 1)))).Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found).Should().Be(("operations.csv", 12, "Operation date", "date-order", "2016-05-01"));
        p.Expected.Should().Be("a date on or after lung_met_date (2016-06-01, hospital.csv row 7)");
    }

    [Fact]
    public void A_too_late_lung_metastasis_date_is_reported_once_on_the_later_field_of_the_pair_it_breaks()
    {
        // surgery 2015-03-01 <= lung 2017-01-01 holds; lung 2017-01-01 <= PM 2016-07-01 fails: reported on pm_date only.
        var p = Check(Clean(("lung_met_date", new DateOnly(2017, 1, 1)))).Should().ContainSingle().Subject;
        (p.Rule, p.Column, p.Found).Should().Be(("date-order", "Operation date", "2016-07-01"));
    }

    [Fact]
    public void Last_contact_before_the_first_metastasectomy_is_reported_on_last_contact()
    {
        var p = Check(Clean(("last_contact_date", new DateOnly(2016, 6, 30)))).Should().ContainSingle().Subject;
        (p.Rule, p.Column, p.Expected).Should().Be(("date-order", "col:last_contact_date", "a date on or after the first pm_date (2016-07-01, operations.csv row 12)"));
    }

    [Fact]
    public void Missing_dates_are_skipped_so_the_next_present_dates_are_compared()
    {
        // No surgery date: birth 1960-01-01 is compared with lung met 1959-12-31 (strictly after is required).
        var problems = Check(Clean(("primary_surgery_date", null), ("lung_met_date", new DateOnly(1959, 12, 31))));
        problems.Select(x => x.Rule).Should().Equal("missing-recommended", "date-order");
        var p = problems[1];
        // The date of birth identifies the patient: the message gives the gap (1959-12-31 to 1960-01-01: 1 day), not the date.
        (p.Rule, p.Column, p.Expected).Should().Be(("date-order", "col:lung_met_date", "a date after birth_date (the date of birth, not shown, is 1 day later)"));
    }

    [Fact]
    public void Birth_must_be_strictly_before_surgery_while_surgery_may_equal_the_lung_metastasis_date()
    {
        Check(Clean(("primary_surgery_date", new DateOnly(1960, 1, 1)))).Should().ContainSingle().Which.Column.Should().Be("col:primary_surgery_date");
        Check(Clean(("lung_met_date", new DateOnly(2015, 3, 1)))).Should().BeEmpty();
        Check(Clean(("pm_date", new DateOnly(2016, 6, 1)), ("last_contact_date", new DateOnly(2016, 6, 1)))).Should().BeEmpty();
    }

    [Fact]
    public void A_date_already_reported_is_unknown_to_the_chain_and_not_reported_missing()
    {
        // The lung metastasis cell failed to parse (reported by the reader): no date-order, no missing-required.
        Check(Clean(("lung_met_date", null)), "lung_met_date").Should().BeEmpty();
        Check(Clean(("lung_met_date", null))).Should().ContainSingle().Which.Rule.Should().Be("missing-required");
    }

    [Fact]
    public void Death_before_the_first_metastasectomy_is_reported_on_the_death_date()
    {
        var p = Check(Clean(("vital_status", "dead"), ("death_date", new DateOnly(2016, 6, 30)), ("cause_of_death", "sarcoma"))).Should().ContainSingle().Subject;
        (p.Rule, p.File, p.Row, p.Column, p.Found).Should().Be(("death-before-pm", "hospital.csv", 7, "col:death_date", "2016-06-30"));
        p.Expected.Should().Be("a date on or after the first pm_date (2016-07-01, operations.csv row 12)");
    }

    [Fact]
    public void Death_on_the_day_of_the_metastasectomy_is_allowed() =>
        Check(Clean(("vital_status", "dead"), ("death_date", new DateOnly(2016, 7, 1)), ("cause_of_death", "other"))).Should().BeEmpty();

    [Fact]
    public void A_death_date_with_vital_status_alive_is_reported_on_vital_status()
    {
        var p = Check(Clean(("death_date", new DateOnly(2020, 5, 5)))).Should().ContainSingle().Subject;
        (p.Rule, p.Column, p.Found, p.Expected).Should().Be(("death-date-but-alive", "col:vital_status", "alive", "dead (death_date is 2020-05-05)"));
    }

    [Fact]
    public void Dead_without_a_death_date_is_reported_on_the_death_date_cell_unless_that_cell_was_unreadable()
    {
        var p = Check(Clean(("vital_status", "dead"))).Should().ContainSingle().Subject;
        (p.Rule, p.Row, p.Column, p.Found).Should().Be(("dead-without-date", 7, "col:death_date", (string?)null));
        Check(Clean(("vital_status", "dead")), "death_date").Should().BeEmpty();
    }

    [Theory]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void Synchronous_allows_at_most_30_days_between_primary_surgery_and_lung_metastasis(int days, bool problem)
    {
        var surgery = new DateOnly(2015, 3, 1);
        var patient = Clean(("synchronous", true), ("lung_met_date", surgery.AddDays(days)));
        var problems = Check(patient);
        if (problem)
        {
            var p = problems.Should().ContainSingle().Subject;
            (p.Rule, p.Column, p.Found).Should().Be(("synchronous-with-dfi", "col:synchronous", "yes"));
            p.Expected.Should().Contain("31 days after primary_surgery_date");
        }
        else
        {
            problems.Should().BeEmpty();
        }
    }

    [Fact]
    public void A_synchronous_metastasis_found_at_staging_before_the_primary_surgery_is_not_a_date_order_error() =>
        Check(Clean(("synchronous", true), ("lung_met_date", new DateOnly(2015, 2, 1)), ("primary_surgery_date", new DateOnly(2015, 3, 1))))
            .Should().BeEmpty();

    [Fact]
    public void A_metachronous_or_unknown_flag_keeps_surgery_before_lung_metastasis()
    {
        var dates = new (string, object?)[] { ("lung_met_date", new DateOnly(2015, 2, 1)), ("primary_surgery_date", new DateOnly(2015, 3, 1)) };
        Check(Clean([("synchronous", false), .. dates])).Should().ContainSingle().Which.Rule.Should().Be("date-order");
        Check(Clean([("synchronous", null), .. dates])).Select(p => p.Rule).Should().Contain("date-order");
        // A synchronous flag whose cell was already reported is unknown: the order is checked as for any patient.
        Check(Clean([("synchronous", true), .. dates]), "synchronous").Should().ContainSingle().Which.Rule.Should().Be("date-order");
    }

    [Fact]
    public void A_synchronous_metastasis_still_needs_the_first_metastasectomy_on_or_after_it()
    {
        var p = Check(Clean(("synchronous", true), ("lung_met_date", new DateOnly(2015, 2, 1)), ("primary_surgery_date", new DateOnly(2015, 3, 1)), ("pm_date", new DateOnly(2015, 1, 15))))
            .Should().ContainSingle().Subject;
        (p.Rule, p.Column, p.Expected).Should().Be(("date-order", "Operation date", "a date on or after lung_met_date (2015-02-01, hospital.csv row 7)"));
    }

    [Fact]
    public void A_patient_without_procedures_gets_no_procedure_on_the_pm_date_cell_unless_a_procedure_date_was_unreadable()
    {
        var patient = Clean() with { Procedures = [] };
        var p = Check(patient).Should().ContainSingle().Subject;
        (p.Rule, p.File, p.Row, p.Column).Should().Be(("no-procedure", "hospital.csv", 7, "col:pm_date"));
        Check(patient, "pm_date").Should().BeEmpty();
    }

    [Fact]
    public void An_unreadable_procedure_date_makes_the_first_metastasectomy_date_unknown_to_every_rule()
    {
        // The known PM (2016-07-01) is after the death, but another PM's date could not be read: it might be the first.
        var patient = Clean(("vital_status", "dead"), ("death_date", new DateOnly(2016, 6, 30)), ("cause_of_death", "sarcoma"));
        Check(patient, "pm_date").Should().BeEmpty();
    }

    [Fact]
    public void Required_fields_missing_are_errors_and_recommended_ones_warnings_each_on_its_cell()
    {
        var problems = Check(Clean(("sex", null), ("ecog", null)));
        problems.Select(p => (p.Rule, p.Column, p.Severity)).Should().Equal(
            ("missing-required", "col:sex", Severity.Error),
            ("missing-recommended", "col:ecog", Severity.Warning));
    }

    [Fact]
    public void Typed_values_outside_the_dictionary_are_reported_out_of_range_or_unknown_code()
    {
        var problems = Check(Clean(("ecog", 7), ("sex", "M")));
        problems.Select(p => (p.Rule, p.Column, p.Found)).Should().Equal(
            ("unknown-code", "col:sex", "M"),
            ("out-of-range", "col:ecog", "7"));
        problems[1].Expected.Should().Be("a value from 0 to 4");
    }

    [Fact]
    public void A_patient_without_origins_is_named_by_study_id_and_has_no_row()
    {
        var patient = Clean(("sex", null)) with { Origins = new Dictionary<string, SourceLocation>() };
        var p = Check(patient).Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column).Should().Be(("patient S1", (int?)null, "sex"));
    }
}

public class FieldRulesTests
{
    private static readonly DataDictionary D = DataDictionary.Default;
    private static readonly SourceLocation At = new("b.csv", 4, "Largest nodule (cm)");

    [Fact]
    public void Out_of_range_after_unit_conversion_shows_the_cell_and_the_converted_value()
    {
        // 45 cm = 450 mm > 300 mm.
        var p = FieldRules.OutOfRange(D["largest_nodule_mm"], 450, At, "45", "S9")!;
        (p.Rule, p.Found, p.Expected, p.Column, p.StudyId).Should().Be(("out-of-range", "45", "a value from 0 to 300 mm (read as 450 mm)", "Largest nodule (cm)", "S9"));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(300, false)]
    [InlineData(-0.5, true)]
    [InlineData(300.01, true)]
    public void Range_bounds_are_inclusive(double value, bool problem) =>
        (FieldRules.OutOfRange(D["largest_nodule_mm"], value, At) is not null).Should().Be(problem);

    [Fact]
    public void A_missing_optional_field_is_no_problem() => FieldRules.Missing(D["comorbidity_note"], At).Should().BeNull();

    [Fact]
    public void Values_format_invariantly() =>
        new[] { FieldRules.Format(new DateOnly(2021, 2, 3)), FieldRules.Format(true), FieldRules.Format(2.5), FieldRules.Format(7) }
            .Should().Equal("2021-02-03", "yes", "2.5", "7");
}

/// <summary>A metastasectomy done for a recurrence comes after the recurrence it treats (issue 10).</summary>
public class RepeatMetastasectomyRuleTests
{
    /// <summary>The clean patient of <see cref="PatientRulesTests"/> with a recurrence date and a second metastasectomy.</summary>
    private static Patient WithRepeat(DateOnly? recurrence, DateOnly repeat, string indication) =>
        PatientRulesTests.Clean(("recurrence_date", recurrence)) with
        {
            Procedures =
            [
                new() { Date = new DateOnly(2016, 7, 1), Indication = "initial", Origin = new SourceLocation("operations.csv", 12, "Operation date", "hospital") },
                new() { Date = repeat, Indication = indication, Origin = new SourceLocation("operations.csv", 13, "Operation date", "hospital") },
            ],
        };

    private static List<CohortProblem> Check(Patient p) => [.. PatientRules.Check(p, DataDictionary.Default)];

    [Fact]
    public void A_repeat_before_the_recurrence_is_an_error_on_its_date_naming_the_recurrence_date_and_where_it_is()
    {
        var p = Check(WithRepeat(new DateOnly(2018, 5, 1), new DateOnly(2018, 1, 5), "recurrence")).Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Found, p.Severity).Should().Be(("operations.csv", 13, "Operation date", "repeat-before-recurrence", "2018-01-05", Severity.Error));
        p.Expected.Should().Be("a date on or after recurrence_date (2018-05-01, hospital.csv row 7): this metastasectomy's indication is recurrence");
    }

    [Theory]
    [InlineData(2018, 5, 1)]
    [InlineData(2018, 6, 30)]
    public void A_repeat_on_or_after_the_recurrence_is_fine(int y, int m, int d) =>
        Check(WithRepeat(new DateOnly(2018, 5, 1), new DateOnly(y, m, d), "recurrence")).Should().BeEmpty();

    [Fact]
    public void A_planned_second_stage_before_any_recurrence_is_not_a_repeat() =>
        Check(WithRepeat(new DateOnly(2018, 5, 1), new DateOnly(2016, 8, 15), "staged")).Should().BeEmpty();

    [Fact]
    public void A_repeat_without_any_recurrence_date_is_a_warning_on_the_recurrence_date()
    {
        var p = Check(WithRepeat(null, new DateOnly(2018, 1, 5), "recurrence")).Should().ContainSingle().Subject;
        (p.File, p.Row, p.Column, p.Rule, p.Severity).Should().Be(("hospital.csv", 7, "col:recurrence_date", "repeat-without-recurrence", Severity.Warning));
    }

    [Fact]
    public void An_unreadable_recurrence_date_is_not_reported_again() =>
        PatientRules.Check(WithRepeat(null, new DateOnly(2018, 1, 5), "recurrence"), DataDictionary.Default, new HashSet<string> { "recurrence_date" }).Should().BeEmpty();
}
