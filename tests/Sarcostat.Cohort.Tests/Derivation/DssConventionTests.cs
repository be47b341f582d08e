using System.Globalization;
using Sarcostat.Cohort.Derivation;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Cohort.Tests.Derivation;

/// <summary>
/// How a death of unknown cause enters DSS (issue 10): censored at death, an event, or not derivable. A hand-made
/// cohort, all with the first PM on 2015-01-10, times in days:
/// A died of sarcoma on day 100, B of an unknown cause on day 200, C is alive at day 300, D died of sarcoma on day 400.
/// </summary>
public class DssConventionTests
{
    private static string Day(int days) =>
        D("2015-01-10").AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly Patient[] Cohort =
    [
        Dead("A", Day(100)),
        Dead("B", Day(200), Codes.CauseOfDeath.Unknown),
        Alive("C", Day(300)),
        Dead("D", Day(400)),
    ];

    private static EndpointData Dss(UnknownCauseOfDeath unknown) =>
        CohortDerivation.Derive(Cohort, new DerivationOptions { TimeUnit = TimeUnit.Days, UnknownCause = unknown })
            .DataFor(Endpoint.DiseaseSpecificSurvival);

    [Fact]
    public void An_unknown_cause_is_censored_at_death_under_censor()
    {
        var b = DerivationRules.DeriveEndpoint(Cohort[1], Endpoint.DiseaseSpecificSurvival, new DerivationOptions { UnknownCause = UnknownCauseOfDeath.CensorAtDeath }).Outcome!;
        b.Days.Should().Be(200);
        b.Event.Should().Be(0);
        b.CompetingEvent.Should().Be(2);
    }

    [Fact]
    public void An_unknown_cause_is_a_dss_event_at_death_under_event()
    {
        var b = DerivationRules.DeriveEndpoint(Cohort[1], Endpoint.DiseaseSpecificSurvival, new DerivationOptions { UnknownCause = UnknownCauseOfDeath.Event }).Outcome!;
        b.Days.Should().Be(200);
        b.Event.Should().Be(1);
        b.CompetingEvent.Should().Be(1);
        b.EndDate.Should().Be(D(Day(200)));
    }

    [Fact]
    public void Event_leaves_deaths_from_another_cause_censored()
    {
        var other = Dead("E", Day(150), Codes.CauseOfDeath.Other);
        var o = DerivationRules.DeriveEndpoint(other, Endpoint.DiseaseSpecificSurvival, new DerivationOptions { UnknownCause = UnknownCauseOfDeath.Event }).Outcome!;
        o.Event.Should().Be(0);
        o.CompetingEvent.Should().Be(2);
    }

    [Fact]
    public void An_unknown_cause_after_the_analysis_date_is_no_event_under_event()
    {
        var options = new DerivationOptions { UnknownCause = UnknownCauseOfDeath.Event, AnalysisDate = D(Day(150)), TimeUnit = TimeUnit.Days };
        var b = DerivationRules.DeriveEndpoint(Cohort[1], Endpoint.DiseaseSpecificSurvival, options).Outcome!;
        b.Event.Should().Be(0);
        b.Days.Should().Be(150);
        b.CompetingEvent.Should().Be(0);
    }

    [Fact]
    public void The_dss_data_of_the_cohort_differ_only_in_b()
    {
        var censor = Dss(UnknownCauseOfDeath.CensorAtDeath);
        var @event = Dss(UnknownCauseOfDeath.Event);
        censor.Time.Should().Equal(100, 200, 300, 400);
        @event.Time.Should().Equal(100, 200, 300, 400);
        censor.Status.Should().Equal(1, 0, 0, 1);
        @event.Status.Should().Equal(1, 1, 0, 1);
        censor.Events.Should().Be(2);
        @event.Events.Should().Be(3);
        Dss(UnknownCauseOfDeath.NotDerivable).StudyIds.Should().Equal("A", "C", "D");
    }

    [Fact]
    public void The_kaplan_meier_of_dss_follows_the_convention()
    {
        // Censor: S = 3/4 after day 100; B leaves the risk set at 200 without an event, so S(250) = 0.75.
        // Event: S = 3/4 after day 100, then 3 at risk and one event at 200: 3/4 x 2/3 = 0.5 at day 250.
        var censor = Dss(UnknownCauseOfDeath.CensorAtDeath);
        var @event = Dss(UnknownCauseOfDeath.Event);
        KaplanMeier.Fit(censor.Time, censor.Event).At(250).Survival.Should().BeApproximately(0.75, 1e-12);
        KaplanMeier.Fit(@event.Time, @event.Event).At(250).Survival.Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void The_definition_names_the_convention()
    {
        Endpoints.Definition(Endpoint.DiseaseSpecificSurvival, new DerivationOptions { UnknownCause = UnknownCauseOfDeath.Event })
            .Should().Contain("deaths of unknown cause are counted as deaths from sarcoma");
        Endpoints.Definition(Endpoint.DiseaseSpecificSurvival)
            .Should().Contain("deaths from other causes are censored at death, and so are deaths of unknown cause");
    }

    [Fact]
    public void The_unknown_cause_warning_says_they_are_events()
    {
        var w = EndpointDataCheck.Check(CohortDerivation.Derive(Cohort).Patients).Single(x => x.Code == "dss-unknown-cause");
        w.Message("DSS", UnknownCauseOfDeath.Event).Should().EndWith("counted as deaths from sarcoma (events, competing-risk flag 1).");
    }
}

/// <summary>DSS as some papers define it: death from any cause (issue 12, nakayama2022).</summary>
public class DssAnyCauseTests
{
    private static readonly DerivationOptions AnyCause = new() { DssDefinition = DssDefinition.AnyCause, TimeUnit = TimeUnit.Days };

    private static readonly Patient[] Cohort =
    [
        Dead("A", "2015-04-20"),
        Dead("B", "2015-07-29", Codes.CauseOfDeath.Other),
        Dead("C", "2015-09-01", Codes.CauseOfDeath.Unknown),
        Dead("D", "2016-01-10", cause: null),
        Alive("E", "2016-06-01"),
    ];

    [Fact]
    public void Every_death_is_a_dss_event_and_dss_equals_os()
    {
        var cohort = CohortDerivation.Derive(Cohort, AnyCause);
        var dss = cohort.DataFor(Endpoint.DiseaseSpecificSurvival);
        var os = cohort.DataFor(Endpoint.OverallSurvival);
        dss.Status.Should().Equal(1, 1, 1, 1, 0);
        dss.Status.Should().Equal(os.Status);
        dss.Time.Should().Equal(os.Time);
        dss.CompetingStatus.Should().Equal(1, 1, 1, 1, 0);
        dss.LeftOut.Should().BeEmpty("a death without a recorded cause is still a death");
    }

    [Fact]
    public void The_cause_specific_default_differs_on_the_same_cohort()
    {
        var dss = CohortDerivation.Derive(Cohort, new DerivationOptions { TimeUnit = TimeUnit.Days }).DataFor(Endpoint.DiseaseSpecificSurvival);
        dss.StudyIds.Should().Equal("A", "B", "C", "E");
        dss.Status.Should().Equal(1, 0, 0, 0);
    }

    [Fact]
    public void A_death_after_the_analysis_date_is_censored_at_it()
    {
        var options = AnyCause with { AnalysisDate = D("2015-06-01") };
        var b = DerivationRules.DeriveEndpoint(Cohort[1], Endpoint.DiseaseSpecificSurvival, options).Outcome!;
        b.Event.Should().Be(0);
        b.EndDate.Should().Be(D("2015-06-01"));
        b.CompetingEvent.Should().Be(0);
    }

    [Fact]
    public void The_definition_says_it_is_the_paper_s_and_no_dss_warning_is_given()
    {
        Endpoints.Definition(Endpoint.DiseaseSpecificSurvival, AnyCause)
            .Should().Contain("death from any cause, as defined by the source paper").And.Contain("equals overall survival");
        EndpointDataCheck.Check(CohortDerivation.Derive(Cohort).Patients, AnyCause).Should().NotContain(w => w.Endpoint == Endpoint.DiseaseSpecificSurvival);
        EndpointDataCheck.Check(CohortDerivation.Derive(Cohort).Patients).Should().Contain(w => w.Code == "dss-unknown-cause");
    }
}
