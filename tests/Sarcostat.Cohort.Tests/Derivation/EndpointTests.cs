using Sarcostat.Cohort.Derivation;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Derivation;

public class EndpointTests
{
    private static EndpointOutcome Derived(Patient p, Endpoint e, DerivationOptions? o = null)
    {
        var r = DerivationRules.DeriveEndpoint(p, e, o);
        r.Reason.Should().BeNull();
        return r.Outcome!;
    }

    private static string Reason(Patient p, Endpoint e, DerivationOptions? o = null)
    {
        var r = DerivationRules.DeriveEndpoint(p, e, o);
        r.Outcome.Should().BeNull();
        return r.Reason!;
    }

    [Fact]
    public void Os_of_a_death_912_days_after_pm_is_29_963_months_with_an_event()
    {
        // PM 2015-01-10, death 2017-07-10: 365 + 366 + 181 = 912 days; 912 / 30.4375 = 29.963039014373717.
        var os = Derived(Dead("P1", "2017-07-10"), Endpoint.OverallSurvival);
        os.Days.Should().Be(912);
        os.Time.Should().BeApproximately(912 / 30.4375, 1e-12);
        os.Time.Should().BeApproximately(29.963039, 1e-6);
        os.Event.Should().Be(1);
        os.EndDate.Should().Be(D("2017-07-10"));
        os.CompetingEvent.Should().BeNull();
    }

    [Fact]
    public void Os_in_days_and_years_uses_the_same_912_days()
    {
        var p = Dead("P1", "2017-07-10");
        Derived(p, Endpoint.OverallSurvival, new DerivationOptions { TimeUnit = TimeUnit.Days }).Time.Should().Be(912);
        Derived(p, Endpoint.OverallSurvival, new DerivationOptions { TimeUnit = TimeUnit.Years }).Time
            .Should().BeApproximately(912 / 365.25, 1e-12);
    }

    [Fact]
    public void Os_censors_a_living_patient_at_last_contact()
    {
        // 2015-01-10 to 2015-12-31 = 355 days.
        var os = Derived(Alive("P2", "2015-12-31"), Endpoint.OverallSurvival, new DerivationOptions { TimeUnit = TimeUnit.Days });
        os.Should().Be(new EndpointOutcome(355, 355, 0, D("2015-12-31")));
    }

    [Fact]
    public void Os_allows_a_death_on_the_day_of_the_operation()
    {
        var os = Derived(Dead("P3", "2015-01-10"), Endpoint.OverallSurvival);
        os.Time.Should().Be(0);
        os.Event.Should().Be(1);
    }

    [Fact]
    public void Os_counts_time_from_the_first_of_a_staged_bilateral_resection()
    {
        var p = Dead("P4", "2017-07-10") with
        {
            Procedures = [new Metastasectomy { Date = D("2015-03-10") }, new Metastasectomy { Date = D("2015-01-10") }],
        };
        Derived(p, Endpoint.OverallSurvival).Days.Should().Be(912);
    }

    [Fact]
    public void Dss_counts_a_sarcoma_death_as_event_and_flags_it_1()
    {
        var dss = Derived(Dead("S1", "2017-07-10", Codes.CauseOfDeath.Sarcoma), Endpoint.DiseaseSpecificSurvival);
        dss.Days.Should().Be(912);
        dss.Event.Should().Be(1);
        dss.CompetingEvent.Should().Be(1);
    }

    [Fact]
    public void Dss_censors_a_death_from_another_cause_at_death_and_flags_it_2()
    {
        var dss = Derived(Dead("S2", "2017-07-10", Codes.CauseOfDeath.Other), Endpoint.DiseaseSpecificSurvival);
        dss.Days.Should().Be(912);
        dss.Event.Should().Be(0);
        dss.CompetingEvent.Should().Be(2);
    }

    [Fact]
    public void Dss_censors_an_unknown_cause_at_death_by_default()
    {
        var dss = Derived(Dead("S3", "2017-07-10", Codes.CauseOfDeath.Unknown), Endpoint.DiseaseSpecificSurvival);
        dss.Event.Should().Be(0);
        dss.Days.Should().Be(912);
        dss.CompetingEvent.Should().Be(2);
    }

    [Fact]
    public void Dss_of_an_unknown_cause_is_not_derivable_when_the_option_says_so()
    {
        var options = new DerivationOptions { UnknownCause = UnknownCauseOfDeath.NotDerivable };
        Reason(Dead("S4", "2017-07-10", Codes.CauseOfDeath.Unknown), Endpoint.DiseaseSpecificSurvival, options)
            .Should().Be(Reasons.CauseUnknown);
        Derived(Dead("S5", "2017-07-10", Codes.CauseOfDeath.Other), Endpoint.DiseaseSpecificSurvival, options).Event.Should().Be(0);
    }

    [Fact]
    public void Dss_of_a_death_without_a_cause_is_never_guessed()
    {
        var p = Dead("S6", "2017-07-10", cause: null);
        Reason(p, Endpoint.DiseaseSpecificSurvival).Should().Be(Reasons.DeadWithoutCause);
        Derived(p, Endpoint.OverallSurvival).Event.Should().Be(1, "OS needs no cause");
    }

    [Fact]
    public void Dss_censors_a_living_patient_at_last_contact_with_flag_0()
    {
        var dss = Derived(Alive("S7", "2016-01-10"), Endpoint.DiseaseSpecificSurvival, new DerivationOptions { TimeUnit = TimeUnit.Days });
        dss.Should().Be(new EndpointOutcome(365, 365, 0, D("2016-01-10"), 0));
    }

    [Fact]
    public void Dfs_ends_at_recurrence_when_it_comes_before_death()
    {
        // Recurrence 2016-06-01 = 508 days after PM 2015-01-10; death later.
        var p = Dead("R1", "2017-07-10") with { RecurrenceDate = D("2016-06-01") };
        var dfs = Derived(p, Endpoint.DiseaseFreeSurvival, new DerivationOptions { TimeUnit = TimeUnit.Days });
        dfs.Should().Be(new EndpointOutcome(508, 508, 1, D("2016-06-01")));
    }

    [Fact]
    public void Dfs_ends_at_death_without_recurrence()
    {
        var dfs = Derived(Dead("R2", "2017-07-10", Codes.CauseOfDeath.Other), Endpoint.DiseaseFreeSurvival);
        dfs.Days.Should().Be(912);
        dfs.Event.Should().Be(1, "death from any cause is a DFS event");
    }

    [Fact]
    public void Dfs_censors_a_living_patient_without_recurrence_at_last_contact()
    {
        var dfs = Derived(Alive("R3", "2016-01-10"), Endpoint.DiseaseFreeSurvival);
        dfs.Days.Should().Be(365);
        dfs.Event.Should().Be(0);
    }

    [Fact]
    public void Dfs_of_a_living_patient_with_recurrence_ends_at_recurrence()
    {
        var p = Alive("R4", "2017-07-10") with { RecurrenceDate = D("2015-06-01") };
        var dfs = Derived(p, Endpoint.DiseaseFreeSurvival);
        dfs.Days.Should().Be(142); // 2015-01-10 to 2015-06-01
        dfs.Event.Should().Be(1);
    }

    [Fact]
    public void Dfs_is_not_derivable_when_recurrence_precedes_the_pm_or_follows_death()
    {
        Reason(Alive("R5", "2017-07-10") with { RecurrenceDate = D("2014-12-01") }, Endpoint.DiseaseFreeSurvival)
            .Should().Be(Reasons.RecurrenceBeforePm);
        Reason(Dead("R6", "2016-01-10") with { RecurrenceDate = D("2016-06-01") }, Endpoint.DiseaseFreeSurvival)
            .Should().Be(Reasons.RecurrenceAfterDeath);
    }

    [Fact]
    public void Pfs_ends_at_progression_or_death_whichever_is_first()
    {
        var progressed = Dead("Q1", "2017-07-10") with { ProgressionDate = D("2016-01-01") };
        var pfs = Derived(progressed, Endpoint.ProgressionFreeSurvival);
        pfs.Days.Should().Be(356); // 2015-01-10 to 2016-01-01
        pfs.Event.Should().Be(1);

        Derived(Dead("Q2", "2017-07-10"), Endpoint.ProgressionFreeSurvival).Days.Should().Be(912);
        Derived(Alive("Q3", "2016-01-10"), Endpoint.ProgressionFreeSurvival).Event.Should().Be(0);
        Reason(Alive("Q4", "2016-01-10") with { ProgressionDate = D("2014-01-01") }, Endpoint.ProgressionFreeSurvival)
            .Should().Be(Reasons.ProgressionBeforePm);
        Reason(Dead("Q5", "2016-01-10") with { ProgressionDate = D("2016-02-01") }, Endpoint.ProgressionFreeSurvival)
            .Should().Be(Reasons.ProgressionAfterDeath);
    }

    [Fact]
    public void Pfs_ignores_the_recurrence_date_and_dfs_ignores_the_progression_date()
    {
        var p = Alive("Q6", "2016-01-10") with { RecurrenceDate = D("2015-06-01") };
        Derived(p, Endpoint.ProgressionFreeSurvival).Event.Should().Be(0);
        var q = Alive("Q7", "2016-01-10") with { ProgressionDate = D("2015-06-01") };
        Derived(q, Endpoint.DiseaseFreeSurvival).Event.Should().Be(0);
    }

    [Theory]
    [InlineData(Endpoint.OverallSurvival)]
    [InlineData(Endpoint.DiseaseSpecificSurvival)]
    [InlineData(Endpoint.DiseaseFreeSurvival)]
    [InlineData(Endpoint.ProgressionFreeSurvival)]
    public void No_endpoint_is_derived_from_inconsistent_or_missing_follow_up(Endpoint e)
    {
        Reason(Base("X1", pm: null) with { VitalStatus = Codes.VitalStatus.Alive, LastContactDate = D("2016-01-10") }, e)
            .Should().Be(Reasons.NoMetastasectomy);
        Reason(Base("X2") with { LastContactDate = D("2016-01-10") }, e).Should().Be(Reasons.VitalStatusMissing);
        Reason(Base("X3") with { VitalStatus = "lost" }, e).Should().Be(Reasons.VitalStatusNotACode);
        Reason(Base("X4") with { VitalStatus = Codes.VitalStatus.Alive }, e).Should().Be(Reasons.NoLastContact);
        Reason(Alive("X5", "2014-12-31"), e).Should().Be(Reasons.LastContactBeforePm);
        Reason(Alive("X6", "2016-01-10") with { DeathDate = D("2016-01-10") }, e).Should().Be(Reasons.DeathDateButAlive);
        Reason(Base("X7") with { VitalStatus = Codes.VitalStatus.Dead, LastContactDate = D("2016-01-10"), CauseOfDeath = "sarcoma" }, e)
            .Should().Be(Reasons.DeadWithoutDate);
        Reason(Dead("X8", "2014-12-31"), e).Should().Be(Reasons.DeathBeforePm);
    }

    [Fact]
    public void A_death_after_the_analysis_date_is_censored_at_the_analysis_date()
    {
        // Cut-off 2016-01-10 (365 days after PM); death 2017-07-10 is after it: alive at the cut-off.
        var options = new DerivationOptions { AnalysisDate = D("2016-01-10"), TimeUnit = TimeUnit.Days };
        var p = Dead("C1", "2017-07-10", Codes.CauseOfDeath.Sarcoma);
        foreach (var e in Endpoints.All)
        {
            var o = Derived(p, e, options);
            o.Days.Should().Be(365, e.ToString());
            o.Event.Should().Be(0, e.ToString());
            o.EndDate.Should().Be(D("2016-01-10"));
        }

        Derived(p, Endpoint.DiseaseSpecificSurvival, options).CompetingEvent.Should().Be(0, "at the cut-off nobody has died yet");
    }

    [Fact]
    public void A_death_after_the_analysis_date_needs_no_cause_for_dss()
    {
        var options = new DerivationOptions { AnalysisDate = D("2016-01-10") };
        Derived(Dead("C2", "2017-07-10", cause: null), Endpoint.DiseaseSpecificSurvival, options).Event.Should().Be(0);
    }

    [Fact]
    public void Events_on_or_before_the_analysis_date_count_and_earlier_follow_up_is_not_extended()
    {
        var options = new DerivationOptions { AnalysisDate = D("2017-07-10"), TimeUnit = TimeUnit.Days };
        Derived(Dead("C3", "2017-07-10"), Endpoint.OverallSurvival, options).Event.Should().Be(1, "an event on the cut-off day counts");
        Derived(Alive("C4", "2016-01-10"), Endpoint.OverallSurvival, options).Days.Should().Be(365, "censored at last contact, not at the cut-off");
        var recurred = Alive("C5", "2017-01-10") with { RecurrenceDate = D("2018-01-01") };
        Derived(recurred, Endpoint.DiseaseFreeSurvival, options).Should()
            .Be(new EndpointOutcome(912, 912, 0, D("2017-07-10")), "a recurrence after the cut-off proves follow-up up to it");
    }

    [Fact]
    public void A_first_pm_after_the_analysis_date_gives_no_endpoint()
    {
        var options = new DerivationOptions { AnalysisDate = D("2014-12-31") };
        Reason(Alive("C6", "2016-01-10"), Endpoint.OverallSurvival, options).Should().Be(Reasons.FirstPmAfterAnalysisDate);
    }

    [Fact]
    public void Endpoint_names_parse_and_definitions_say_what_dss_means()
    {
        Endpoints.TryParse("dss", out var e).Should().BeTrue();
        e.Should().Be(Endpoint.DiseaseSpecificSurvival);
        Endpoints.TryParse("CSS", out e).Should().BeTrue();
        e.Should().Be(Endpoint.DiseaseSpecificSurvival);
        Endpoints.TryParse("OverallSurvival", out e).Should().BeTrue();
        e.Should().Be(Endpoint.OverallSurvival);
        Endpoints.TryParse("EFS", out _).Should().BeFalse();

        Endpoints.Definition(Endpoint.DiseaseSpecificSurvival).Should()
            .Contain("death from sarcoma").And.Contain("other causes are censored at death").And.Contain("unknown cause");
        Endpoints.Definition(Endpoint.OverallSurvival, new DerivationOptions { AnalysisDate = D("2021-01-31") })
            .Should().Contain("months").And.Contain("2021-01-31");
    }
}
