using Sarcostat.Cohort.Derivation;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Derivation;

public class CohortDerivationTests
{
    // Five patients, PM 2015-01-10 unless said otherwise:
    // P1 dead of sarcoma 2017-07-10 (912 d); P2 alive 2016-01-10 (365 d); P3 dead of other cause 2016-01-10 (365 d);
    // P4 dead without a cause 2015-03-10 (59 d); P5 no metastasectomy.
    private static readonly Patient[] Five =
    [
        Dead("P1", "2017-07-10", Codes.CauseOfDeath.Sarcoma),
        Alive("P2", "2016-01-10"),
        Dead("P3", "2016-01-10", Codes.CauseOfDeath.Other),
        Dead("P4", "2015-03-10", cause: null),
        Base("P5", pm: null) with { VitalStatus = Codes.VitalStatus.Alive, LastContactDate = D("2016-01-10") },
    ];

    [Fact]
    public void Every_patient_gets_one_derived_patient_in_input_order()
    {
        var cohort = CohortDerivation.Derive(Five);
        cohort.Count.Should().Be(5);
        cohort.Patients.Select(p => p.StudyId).Should().Equal("P1", "P2", "P3", "P4", "P5");
        cohort.Find("P3")!.Outcome(Endpoint.OverallSurvival)!.Days.Should().Be(365);
        cohort.Find("P9").Should().BeNull();
    }

    [Fact]
    public void Underivable_endpoints_are_listed_per_patient_with_the_reason()
    {
        var cohort = CohortDerivation.Derive(Five);
        cohort.UnderivableFor(Endpoint.DiseaseSpecificSurvival).Should().Equal(
            new UnderivablePatient("P4", Endpoint.DiseaseSpecificSurvival, Reasons.DeadWithoutCause),
            new UnderivablePatient("P5", Endpoint.DiseaseSpecificSurvival, Reasons.NoMetastasectomy));
        cohort.UnderivableFor(Endpoint.OverallSurvival).Should().Equal(
            new UnderivablePatient("P5", Endpoint.OverallSurvival, Reasons.NoMetastasectomy));
        cohort.Underivable.Should().HaveCount(5, "P5 for all four endpoints, P4 for DSS");
        cohort.CountDerivable(Endpoint.OverallSurvival).Should().Be(4);
        cohort.CountDerivable(Endpoint.DiseaseSpecificSurvival).Should().Be(3);
        cohort.Find("P4")!.Outcome(Endpoint.DiseaseSpecificSurvival).Should().BeNull();
        cohort.ToString().Should().Be("DerivedCohort(n=5, OS=4, DSS=3, DFS=4, PFS=4)");
    }

    [Fact]
    public void Missing_derived_numbers_are_listed_with_the_reason()
    {
        var cohort = CohortDerivation.Derive(Five);
        cohort.MissingValues.Should().Contain(new MissingDerivedValue("P5", DerivedNames.FollowUp, Reasons.NoMetastasectomy));
        cohort.MissingValues.Should().Contain(new MissingDerivedValue("P1", DerivedNames.AgeAtPm, Reasons.NoAge));
        cohort.MissingValues.Should().Contain(new MissingDerivedValue("P1", DerivedNames.DfiMonths, Reasons.NoPrimarySurgeryDate));
        cohort.MissingValues.Where(m => m.Variable == DerivedNames.FollowUp).Should().ContainSingle();
    }

    [Fact]
    public void Survival_data_has_parallel_arrays_in_cohort_order_and_names_who_was_left_out()
    {
        var data = CohortDerivation.Derive(Five).DataFor(Endpoint.DiseaseSpecificSurvival);
        data.StudyIds.Should().Equal("P1", "P2", "P3");
        data.Time.Should().HaveCount(3);
        data.Time[0].Should().BeApproximately(912 / 30.4375, 1e-12);
        data.Time[1].Should().BeApproximately(365 / 30.4375, 1e-12);
        data.Time[2].Should().BeApproximately(365 / 30.4375, 1e-12);
        data.Status.Should().Equal(1, 0, 0);
        data.Event.Should().Equal(true, false, false);
        data.CompetingStatus.Should().Equal(1, 0, 2);
        data.LeftOut.Select(u => u.StudyId).Should().Equal("P4", "P5");
        (data.Count + data.LeftOut.Count).Should().Be(5, "nobody disappears");
        data.Events.Should().Be(1);
        data.Unit.Should().Be(TimeUnit.Months);
        data.Definition.Should().StartWith("DSS:");
        data.Patients.Select(p => p.StudyId).Should().Equal(data.StudyIds);
        data.ToString().Should().Be("EndpointData(DSS, n=3, events=1, left out=2, months)");
    }

    [Fact]
    public void Os_survival_data_counts_every_death_as_an_event_and_has_no_competing_flag()
    {
        var data = CohortDerivation.Derive(Five, new DerivationOptions { TimeUnit = TimeUnit.Days }).DataFor(Endpoint.OverallSurvival);
        data.StudyIds.Should().Equal("P1", "P2", "P3", "P4");
        data.Time.Should().Equal(912, 365, 365, 59);
        data.Status.Should().Equal(1, 0, 1, 1);
        data.CompetingStatus.Should().BeNull();
    }

    [Fact]
    public void Values_are_addressable_by_name()
    {
        var p = Dead("N1", "2017-07-10") with
        {
            BirthDate = D("1950-01-10"),
            PrimarySite = "extremity",
            Nodules = 3,
            Synchronous = true,
            Procedures = [new Metastasectomy { Date = D("2015-01-10"), Margin = Codes.Margin.R0, Approach = "vats" }],
        };
        var d = CohortDerivation.Derive([p]).Patients[0];
        d.Value("os_time").Should().Be(912 / 30.4375);
        d.Value("os_event").Should().Be(1);
        d.Value("dss_competing").Should().Be(1);
        d.Value("age_at_pm").Should().Be(23741 / 365.25);
        d.Value("dfi_months").Should().Be(0.0);
        d.Value("follow_up").Should().Be(912 / 30.4375);
        d.Value("curative_resection").Should().Be("curative");
        d.Value("nodules_2").Should().Be(">=2");
        d.Value("primary_site").Should().Be("extremity");
        d.Value("nodules").Should().Be(3);
        d.Value("approach").Should().Be("vats");
        d.Value("pm_date").Should().Be(D("2015-01-10"));
        d.Value("histology").Should().BeNull();
        FluentActions.Invoking(() => d.Value("tumour_mass")).Should().Throw<ArgumentException>().WithMessage("*tumour_mass*");
    }

    [Fact]
    public void Value_types_are_known_by_name()
    {
        var cohort = CohortDerivation.Derive(Five);
        cohort.TypeOf("dss_time").Should().Be(FieldType.Number);
        cohort.TypeOf("age_at_pm").Should().Be(FieldType.Number);
        cohort.TypeOf("dfi_12").Should().Be(FieldType.Code);
        cohort.TypeOf("histology_ups").Should().Be(FieldType.Code);
        cohort.TypeOf("primary_site").Should().Be(FieldType.Code);
        cohort.TypeOf("margin").Should().Be(FieldType.Code);
        cohort.TypeOf("death_date").Should().Be(FieldType.Date);
        cohort.TypeOf("nope").Should().BeNull();
    }

    [Fact]
    public void A_dss_without_any_cause_of_death_is_flagged_as_overall_survival()
    {
        var noCauses = new[] { Dead("W1", "2016-01-10", cause: null), Dead("W2", "2016-02-10", cause: null), Alive("W3", "2016-01-10") };
        var cohort = CohortDerivation.Derive(noCauses);
        cohort.Warnings.Where(w => w.StartsWith("DSS", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("DSS has no cause-of-death data").And.Contain("2 deaths");
        CohortDerivation.Derive(Five).Warnings.Should().NotContain(w => w.StartsWith("DSS", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_causes_censored_at_death_are_counted_in_a_warning()
    {
        var cohort = CohortDerivation.Derive([Dead("W4", "2016-01-10", Codes.CauseOfDeath.Unknown), Dead("W5", "2016-01-10", Codes.CauseOfDeath.Sarcoma)]);
        cohort.Warnings.Where(w => w.StartsWith("DSS", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("1 of 2 deaths have an unknown cause");
    }

    [Fact]
    public void A_study_id_twice_is_refused()
    {
        FluentActions.Invoking(() => CohortDerivation.Derive([Alive("D1", "2016-01-10"), Alive("D1", "2016-02-10")]))
            .Should().Throw<ArgumentException>().WithMessage("*D1*twice*");
    }

    [Fact]
    public void A_subset_keeps_order_and_restricts_the_lists()
    {
        var subset = CohortDerivation.Derive(Five).Subset(p => p.StudyId != "P5");
        subset.Patients.Select(p => p.StudyId).Should().Equal("P1", "P2", "P3", "P4");
        subset.Underivable.Should().ContainSingle().Which.StudyId.Should().Be("P4");
        subset.MissingValues.Should().NotContain(m => m.StudyId == "P5");
    }

    [Fact]
    public void Printing_a_derived_patient_shows_no_dates_or_names()
    {
        var d = CohortDerivation.Derive([Dead("P1", "2017-07-10") with { BirthDate = D("1950-01-10") }]).Patients[0];
        d.ToString().Should().Be("DerivedPatient(P1, OS=(29.963039, 1), DSS=(29.963039, 1), DFS=(29.963039, 1), PFS=(29.963039, 1))");
    }
}
