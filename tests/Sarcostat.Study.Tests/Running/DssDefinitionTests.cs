using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// DSS as the protocol defines it: how deaths of unknown cause enter it (<c>unknown_cause</c>, issue 10), and the
/// report's words for the choice.
/// </summary>
public class DssDefinitionTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(140, 5);

    private static string MethodsText(StudyReport report) =>
        string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);

    private static StudyProtocol Nakayama(string extra) =>
        ProtocolLoader.Parse(ProtocolLoader.ShippedText("nakayama2022") + "\n" + extra + "\n", "nakayama-variant.yaml", ProtocolFormat.Yaml);

    private static int UnknownDeaths(Engine engine) => engine.Analysed.Patients.Count(p =>
        p.Patient.VitalStatus == Codes.VitalStatus.Dead && p.Patient.CauseOfDeath == Codes.CauseOfDeath.Unknown);

    [Fact]
    public void Unknown_cause_event_is_read_from_the_protocol()
    {
        Nakayama("unknown_cause: event").UnknownCause.Should().Be(UnknownCauseOfDeath.Event);
        Nakayama("unknown_cause: censor").UnknownCause.Should().Be(UnknownCauseOfDeath.CensorAtDeath);
        var act = () => Nakayama("unknown_cause: sarcoma");
        act.Should().Throw<ProtocolException>().WithMessage("*event*");
    }

    [Fact]
    public void Under_event_the_deaths_of_unknown_cause_are_dss_events_and_the_methods_say_so()
    {
        var censor = Nakayama("unknown_cause: censor");
        var @event = Nakayama("unknown_cause: event");
        var censorEngine = new Engine(censor, Patients);
        var eventEngine = new Engine(@event, Patients);
        int unknown = UnknownDeaths(eventEngine);
        unknown.Should().BePositive("the test cohort has deaths of unknown cause");

        eventEngine.Data(Endpoint.DiseaseSpecificSurvival).Events
            .Should().Be(censorEngine.Data(Endpoint.DiseaseSpecificSurvival).Events + unknown);

        var censorText = MethodsText(StudyRunner.Run(censor, Patients, Context));
        var eventText = MethodsText(StudyRunner.Run(@event, Patients, Context));
        eventText.Should().Contain($"Deaths of unknown cause (n = {unknown}) were counted as deaths from sarcoma.")
            .And.Contain("deaths of unknown cause are counted as deaths from sarcoma");
        censorText.Should().Contain($"Deaths of unknown cause (n = {unknown}) were censored at death")
            .And.NotContain("counted as deaths from sarcoma");
    }

    [Fact]
    public void Under_event_the_kaplan_meier_table_counts_the_unknown_deaths_as_events()
    {
        var censor = StudyRunner.Run(Nakayama("unknown_cause: censor"), Patients, Context);
        var @event = StudyRunner.Run(Nakayama("unknown_cause: event"), Patients, Context);
        var fc = Engine.Figure<KaplanMeierFigure>(censor, "figure-1").Curves.Single();
        var fe = Engine.Figure<KaplanMeierFigure>(@event, "figure-1").Curves.Single();

        // Turning a censoring into an event lowers the curve from that time on and never raises it.
        var times = fc.Points.Select(p => p.Time).Concat(fe.Points.Select(p => p.Time)).Distinct().ToList();
        times.Should().OnlyContain(t => At(fe.Points, t) <= At(fc.Points, t) + 1e-12);
        times.Should().Contain(t => At(fe.Points, t) < At(fc.Points, t) - 1e-9);
    }

    /// <summary>The step function of a curve's points at <paramref name="t"/>.</summary>
    private static double At(IReadOnlyList<CurvePoint> points, double t) => points.Last(p => p.Time <= t).Survival;
}

/// <summary>The nakayama2022 paper's "DSS" (death from any cause), selected by <c>definition: any-cause</c> (issue 12).</summary>
public class DssAnyCauseReportTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(140, 5);

    private const string DssDeclaration = "  - endpoint: DSS\n    primary: true\n";

    private static StudyProtocol AnyCause()
    {
        var text = ProtocolLoader.ShippedText("nakayama2022").Replace("\r\n", "\n", StringComparison.Ordinal);
        text.Should().Contain(DssDeclaration);
        return ProtocolLoader.Parse(text.Replace(DssDeclaration, DssDeclaration + "    definition: any-cause\n", StringComparison.Ordinal), "n.yaml", ProtocolFormat.Yaml);
    }

    private static string MethodsText(StudyReport report) =>
        string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);

    [Fact]
    public void The_key_is_read_and_the_shipped_default_stays_cause_specific()
    {
        AnyCause().PrimaryEndpoint.DssDefinition.Should().Be(DssDefinition.AnyCause);
        AnyCause().DerivationOptions().DssDefinition.Should().Be(DssDefinition.AnyCause);
        ProtocolLoader.Shipped("nakayama2022").DerivationOptions().DssDefinition.Should().Be(DssDefinition.CauseSpecific);
    }

    [Fact]
    public void Definition_on_another_endpoint_or_an_unknown_value_is_an_error()
    {
        var text = ProtocolLoader.ShippedText("nakayama2022").Replace("\r\n", "\n", StringComparison.Ordinal);
        var onOs = () => ProtocolLoader.Parse(text.Replace("  - endpoint: OS\n", "  - endpoint: OS\n    definition: any-cause\n", StringComparison.Ordinal), "n.yaml", ProtocolFormat.Yaml);
        onOs.Should().Throw<ProtocolException>().WithMessage("*'definition' applies to DSS only*");
        var bad = () => ProtocolLoader.Parse(text.Replace(DssDeclaration, DssDeclaration + "    definition: all\n", StringComparison.Ordinal), "n.yaml", ProtocolFormat.Yaml);
        bad.Should().Throw<ProtocolException>().WithMessage("*any-cause*");
    }

    [Fact]
    public void Dss_counts_the_deaths_of_any_cause_as_os_does_and_the_report_says_so()
    {
        var protocol = AnyCause();
        var engine = new Engine(protocol, Patients);
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);
        var os = engine.Data(Endpoint.OverallSurvival);
        int notSarcoma = engine.Analysed.Patients.Count(p => p.Patient.VitalStatus == Codes.VitalStatus.Dead && p.Patient.CauseOfDeath != Codes.CauseOfDeath.Sarcoma);
        notSarcoma.Should().BePositive("the test cohort has deaths from other causes");
        dss.Status.Should().Equal(os.Status);
        dss.Time.Should().Equal(os.Time);
        new Engine(ProtocolLoader.Shipped("nakayama2022"), Patients).Data(Endpoint.DiseaseSpecificSurvival).Events.Should().BeLessThan(os.Events);

        var report = StudyRunner.Run(protocol, Patients, Context);
        MethodsText(report).Should().Contain("death from any cause, as defined by the source paper")
            .And.Contain($"DSS was analysed as defined by the source paper, with deaths from any cause as events")
            .And.Contain($"by the {notSarcoma} deaths not attributed to sarcoma");
        var figure = Engine.Figure<KaplanMeierFigure>(report, "figure-1");
        figure.Caption.Should().Contain("as defined by the source paper");
        report.Warnings.Should().NotContain(w => w.Code.StartsWith("dss-", StringComparison.Ordinal));
    }
}
