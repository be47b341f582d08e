using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Study.Tests.Running;

/// <summary>--convention r|spss switches every method at once, and the report names the convention and the methods.</summary>
public class ConventionTests
{
    /// <summary>The number style of the protocol the engine runs (its <c>format</c>), to print expected values as the report does.</summary>
    private static JournalFormat Style(Engine engine) => new(engine.Protocol.Format);

    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Cohort.Patient> Patients = TestCohort.Build(140, 5);

    private static string Method(StudyReport report, string name) => report.Provenance.Methods.Single(m => m.Key == name).Value;

    private static string MethodsText(StudyReport report) =>
        string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);

    [Fact]
    public void Spss_switches_ties_survival_ci_and_median_ci_and_the_report_names_them()
    {
        var shipped = ProtocolLoader.Shipped("nakayama2022");
        var r = StudyRunner.Run(shipped.WithConvention(Convention.R), Patients, Context);
        var spss = StudyRunner.Run(shipped.WithConvention(Convention.Spss), Patients, Context);

        r.Provenance.Convention.Should().Be("R");
        spss.Provenance.Convention.Should().Be("SPSS");
        Method(r, "Ties (Cox)").Should().Be("Efron");
        Method(spss, "Ties (Cox)").Should().Be("Breslow");
        Method(r, "Survival CI").Should().StartWith("log:");
        Method(spss, "Survival CI").Should().StartWith("plain:");
        Method(r, "Median survival CI").Should().StartWith("R:");
        Method(spss, "Median survival CI").Should().StartWith("SPSS:");
        MethodsText(r).Should().Contain("Efron's method for tied event times").And.Contain("log transformation").And.Contain("cross 0.5 (R)");
        MethodsText(spss).Should().Contain("Breslow's method for tied event times").And.Contain("S ± 1.96 SE, as SPSS").And.Contain("Collett's standard error (SPSS)");
        Engine.Table(r, "table-3").Footnotes[0].Should().Contain("Efron ties");
        Engine.Table(spss, "table-3").Footnotes[0].Should().Contain("Breslow ties");
    }

    [Fact]
    public void Every_number_follows_the_convention()
    {
        var shipped = ProtocolLoader.Shipped("nakayama2022");
        foreach (var convention in new[] { Convention.R, Convention.Spss })
        {
            var protocol = shipped.WithConvention(convention);
            var report = StudyRunner.Run(protocol, Patients, Context);
            var engine = new Engine(protocol, Patients);
            var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);
            var options = new KaplanMeierOptions
            {
                ConfidenceType = convention == Convention.R ? ConfidenceIntervalType.Log : ConfidenceIntervalType.Plain,
                MedianInterval = convention == Convention.R ? MedianInterval.R : MedianInterval.Spss,
            };
            var fit = KaplanMeier.Fit(dss.Time, dss.Event, options);

            // The CI band of Figure 1.
            var curve = Engine.Figure<KaplanMeierFigure>(report, "figure-1").Curves.Single();
            curve.Points.Skip(1).Select(p => (p.Lower, p.Upper)).Should().Equal(fit.Steps.Where(s => s.NEvent > 0).Select(s => (s.Lower, s.Upper)));

            // The median DSS with its CI in the Results sentence.
            var sentence = report.Sections.Single(s => s.Id == "summary").Items.OfType<TextItem>().Single().Paragraphs
                .Single(p => p.StartsWith("The 5-year disease-specific survival", StringComparison.Ordinal));
            sentence.Should().Contain($"median DSS was {Style(engine).Time(fit.Median.Estimate!.Value)} months (95% CI {Style(engine).Time(fit.Median.Lower!.Value)}");

            // Table 3's hazard ratios per tie method: ReportNumbersTests.Multivariate_table_equals_a_Cox_fit_...
        }

        // The two conventions give different numbers on tied data: the switch really switches.
        var rReport = StudyRunner.Run(shipped.WithConvention(Convention.R), Patients, Context);
        var spssReport = StudyRunner.Run(shipped.WithConvention(Convention.Spss), Patients, Context);
        Engine.Figure<KaplanMeierFigure>(rReport, "figure-1").Curves[0].Points[5].Lower
            .Should().NotBe(Engine.Figure<KaplanMeierFigure>(spssReport, "figure-1").Curves[0].Points[5].Lower);
    }

    [Fact]
    public void A_protocols_own_override_stays_unless_the_convention_is_switched()
    {
        var text = ProtocolLoader.ShippedText("nakayama2022").Replace("convention: r", "convention: spss\nties: efron", StringComparison.Ordinal);
        var protocol = ProtocolLoader.Parse(text, "custom.yaml");
        var report = StudyRunner.Run(protocol, Patients, Context);
        report.Provenance.Convention.Should().Be("SPSS");
        Method(report, "Ties (Cox)").Should().Be("Efron");
        MethodsText(report).Should().Contain("where the protocol overrides them");
        Method(StudyRunner.Run(protocol.WithConvention(Convention.Spss), Patients, Context), "Ties (Cox)").Should().Be("Breslow");
    }
}
