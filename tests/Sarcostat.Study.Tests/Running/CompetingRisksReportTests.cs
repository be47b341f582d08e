using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// A protocol's survival table can add the restricted mean survival time and, for DSS, the cumulative incidence of
/// sarcoma death with other deaths competing; a <c>cif</c> figure draws the cumulative incidence (issue 15). Expected
/// values are computed here by hand from the analysed cohort (product-limit and Aalen-Johansen sums), not by the engine.
/// </summary>
public class CompetingRisksReportTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(160, 11);

    private static StudyProtocol Protocol()
    {
        var shipped = ProtocolLoader.Shipped("nakayama2022");
        var extra = new SectionSpec("competing", "Competing risks",
        [
            new SurvivalTableSpec("table-cr", "Table CR. Survival, restricted mean and cumulative incidence") { Endpoints = ["DSS", "OS"], RestrictedMeanTime = 36, CumulativeIncidence = true },
            new CumulativeIncidenceFigureSpec("figure-cif", "Figure CIF. Cumulative incidence of death by cause") { Endpoint = "DSS" },
            new CumulativeIncidenceFigureSpec("figure-cif-dfi", "Figure CIF-DFI. Cumulative incidence of sarcoma death by DFI") { Endpoint = "DSS", By = "dfi_12" },
        ]);
        return shipped with { Sections = [.. shipped.Sections, extra] };
    }

    /// <summary>Aalen-Johansen F_cause(t) by hand: F += S(t−)·d_cause/n at each time, S the all-cause product-limit.</summary>
    private static double IncidenceAt(double[] time, int[] status, int cause, double at)
    {
        double s = 1, f = 0;
        foreach (var t in time.Distinct().Order().Where(t => t <= at))
        {
            int n = time.Count(x => x >= t);
            int dc = Enumerable.Range(0, time.Length).Count(i => time[i] == t && status[i] == cause);
            int d = Enumerable.Range(0, time.Length).Count(i => time[i] == t && status[i] != 0);
            f += s * dc / n;
            s *= (n - d) / (double)n;
        }

        return f;
    }

    /// <summary>The area under the product-limit curve from 0 to tau, by hand.</summary>
    private static double RestrictedMeanByHand(double[] time, bool[] ev, double tau)
    {
        double s = 1, area = 0, last = 0;
        foreach (var t in time.Distinct().Order().Where(t => t <= tau))
        {
            int d = Enumerable.Range(0, time.Length).Count(i => time[i] == t && ev[i]);
            if (d == 0)
            {
                continue;
            }

            area += s * (t - last);
            last = t;
            s *= 1 - (d / (double)time.Count(x => x >= t));
        }

        return area + (s * (tau - last));
    }

    [Fact]
    public void The_rmst_column_is_the_area_under_each_endpoint_s_curve_up_to_tau()
    {
        var report = StudyRunner.Run(Protocol(), Patients, Context);
        var table = Engine.Table(report, "table-cr");
        table.Columns.Should().Contain("RMST to 36 months, months (95% CI)");
        var engine = new Engine(Protocol(), Patients);
        foreach (var (label, endpoint) in new[] { ("Disease-specific survival (DSS)", Endpoint.DiseaseSpecificSurvival), ("Overall survival (OS)", Endpoint.OverallSurvival) })
        {
            var data = engine.Data(endpoint);
            var cell = Engine.Cell(table, Engine.Row(table, label), "RMST to 36 months, months (95% CI)");
            cell.Value.Should().BeApproximately(RestrictedMeanByHand(data.Time, data.Event, 36), 1e-9, label);
            cell.Lower.Should().BeLessThan(cell.Value!.Value);
            cell.Upper.Should().BeGreaterThan(cell.Value.Value);
        }

        table.Footnotes.Should().Contain(f => f.StartsWith("RMST, restricted mean survival time", StringComparison.Ordinal));
        report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().SelectMany(t => t.Paragraphs)
            .Should().Contain(p => p.Contains("restricted mean survival time up to 36 months", StringComparison.Ordinal));
    }

    [Fact]
    public void An_rmst_time_beyond_follow_up_is_footnoted_on_the_cells_it_concerns()
    {
        var protocol = Protocol();
        var longTau = protocol with
        {
            Sections = protocol.Sections.Select(s => s with
            {
                Items = s.Items.Select(i => i is SurvivalTableSpec { Id: "table-cr" } t ? t with { RestrictedMeanTime = 1000 } : i).ToList(),
            }).ToList(),
        };
        var table = Engine.Table(StudyRunner.Run(longTau, Patients, Context), "table-cr");
        int note = table.Footnotes.ToList().FindIndex(f => f.StartsWith("Follow-up ends before 1000 months", StringComparison.Ordinal));
        note.Should().BeGreaterThanOrEqualTo(0);
        int column = table.Columns.ToList().IndexOf("RMST to 1000 months, months (95% CI)");
        table.Marks.Where(m => m.Footnote == note).Should().NotBeEmpty().And.OnlyContain(m => m.Column == column && m.Row >= 0);
        table.Marks.Should().Contain(m => m.Row == -1 && m.Column == column, "the RMST definition is tied to its heading");
    }

    [Fact]
    public void The_cumulative_incidence_column_counts_other_deaths_as_competing_and_only_for_dss()
    {
        var report = StudyRunner.Run(Protocol(), Patients, Context);
        var table = Engine.Table(report, "table-cr");
        var column = "5-year cumulative incidence of sarcoma death, % (95% CI)";
        var data = new Engine(Protocol(), Patients).Data(Endpoint.DiseaseSpecificSurvival);
        data.CompetingStatus.Should().Contain(2, "the test cohort has deaths from other causes");
        var dss = Engine.Cell(table, Engine.Row(table, "Disease-specific survival (DSS)"), column);
        dss.Value.Should().BeApproximately(100 * IncidenceAt(data.Time, data.CompetingStatus!, 1, 60), 1e-9);
        var km = Engine.Cell(table, Engine.Row(table, "Disease-specific survival (DSS)"), "5-year survival, % (95% CI)");
        dss.Value.Should().BeLessThan(100 - km.Value!.Value, "1 - KM overstates sarcoma deaths when other deaths compete");
        Engine.Cell(table, Engine.Row(table, "Overall survival (OS)"), column).Text.Should().Be("-");
    }

    [Fact]
    public void The_cif_figure_draws_each_cause_and_by_a_factor_with_gray_s_test()
    {
        var report = StudyRunner.Run(Protocol(), Patients, Context);
        var data = new Engine(Protocol(), Patients).Data(Endpoint.DiseaseSpecificSurvival);
        var figure = Engine.Figure<KaplanMeierFigure>(report, "figure-cif");
        figure.YLabel.Should().Be("Cumulative incidence");
        figure.Curves.Should().HaveCount(2);
        figure.Curves[0].Label.Should().StartWith("Death from sarcoma");
        figure.Curves[1].Label.Should().StartWith("Death from other causes");
        for (int cause = 1; cause <= 2; cause++)
        {
            var curve = figure.Curves[cause - 1];
            curve.Points[0].Survival.Should().Be(0);
            foreach (var p in curve.Points.Skip(1))
            {
                p.Survival.Should().BeApproximately(IncidenceAt(data.Time, data.CompetingStatus!, cause, p.Time), 1e-12);
            }
        }

        var sum = figure.Curves.Sum(c => c.Points.Last(p => p.Time <= 60).Survival);
        sum.Should().BeLessThan(1);
        figure.Curves[0].AtRisk[0].Should().Be(data.Count);

        var byDfi = Engine.Figure<KaplanMeierFigure>(report, "figure-cif-dfi");
        byDfi.Curves.Should().HaveCount(2);
        byDfi.Annotation.Should().StartWith("Gray's test p");
        byDfi.Curves.Sum(c => c.AtRisk[0]).Should().BeLessThanOrEqualTo(data.Count);
    }

    [Fact]
    public void A_cif_figure_of_an_endpoint_without_competing_events_is_refused()
    {
        var protocol = Protocol();
        var bad = protocol with
        {
            Sections = [.. protocol.Sections, new SectionSpec("x", "X", [new CumulativeIncidenceFigureSpec("figure-x", "Figure X.") { Endpoint = "OS" }])],
        };
        FluentActions.Invoking(() => StudyRunner.Run(bad, Patients, Context)).Should().Throw<ProtocolException>()
            .Which.Message.Should().Contain("no competing events");
    }
}

/// <summary>The protocol keys of the survival table and the cif figure are read and checked (issue 15).</summary>
public class CompetingRisksProtocolKeysTests
{
    private static string With(string items) => ProtocolLoader.ShippedText("nakayama2022") + "\n  - id: competing\n    title: Competing risks\n    items:\n" + items;

    [Fact]
    public void Rmst_cumulative_incidence_and_cif_are_bound()
    {
        var p = ProtocolLoader.Parse(With("""
                  - {type: survival, id: table-cr, title: Table CR., endpoints: [DSS], rmst: 36, cumulative_incidence: true}
                  - {type: cif, id: figure-cif, title: Figure CIF., endpoint: DSS, by: dfi_12, show_p: false, ticks: [0, 12, 24]}
            """), "p.yaml");
        var table = p.Items.OfType<SurvivalTableSpec>().Single(t => t.Id == "table-cr");
        (table.RestrictedMeanTime, table.CumulativeIncidence).Should().Be((36.0, true));
        var cif = p.Items.OfType<CumulativeIncidenceFigureSpec>().Single();
        (cif.Endpoint, cif.By, cif.ShowP).Should().Be(("DSS", "dfi_12", false));
        cif.Ticks.Should().Equal(0, 12, 24);
    }

    [Theory]
    [InlineData("  - {type: survival, id: table-cr, title: Table CR., rmst: -3}", "greater than 0")]
    [InlineData("  - {type: cif, id: figure-cif, title: Figure CIF., endpoint: OS}", "no competing events")]
    [InlineData("  - {type: cif, id: figure-cif, title: Figure CIF., endpoint: DSS, by: no_such_factor}", "no_such_factor")]
    public void Bad_keys_are_located_protocol_errors(string item, string message) =>
        FluentActions.Invoking(() => ProtocolLoader.Parse(With("    " + item.TrimStart() + "\n"), "p.yaml"))
            .Should().Throw<ProtocolException>().Which.Message.Should().Contain(message);
}

/// <summary>A landmark analysis keeps the patients still at risk at the landmark and measures time from it (issue 15).</summary>
public class LandmarkAnalysisTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(160, 11);

    private static StudyProtocol Landmarked(double at)
    {
        var shipped = ProtocolLoader.Shipped("nakayama2022");
        return shipped with
        {
            Sections = shipped.Sections.Select(s => s with
            {
                Items = s.Items.Select(i => i switch
                {
                    UnivariateTableSpec { Id: "table-2" } u => u with { LandmarkTime = at },
                    KaplanMeierFigureSpec { Id: "figure-1" } k => k with { LandmarkTime = at },
                    _ => i,
                }).ToList(),
            }).ToList(),
        };
    }

    [Fact]
    public void Only_patients_at_risk_at_the_landmark_are_analysed_with_time_from_it()
    {
        var report = StudyRunner.Run(Landmarked(12), Patients, Context);
        var data = new Engine(ProtocolLoader.Shipped("nakayama2022"), Patients).Data(Endpoint.DiseaseSpecificSurvival);
        var kept = Enumerable.Range(0, data.Count).Where(i => data.Time[i] > 12).ToList();
        kept.Count.Should().BeLessThan(data.Count).And.BePositive();

        var figure = Engine.Figure<KaplanMeierFigure>(report, "figure-1");
        figure.Curves[0].AtRisk[0].Should().Be(kept.Count);
        var firstEvent = kept.Where(i => data.Event[i]).Min(i => data.Time[i]) - 12;
        figure.Curves[0].Points[1].Time.Should().BeApproximately(firstEvent, 1e-12, "the first step is the first event after the landmark, on the shifted scale");
        figure.Caption.Should().Contain($"Landmark analysis at 12 months: the {kept.Count} patients still at risk then");

        var table = Engine.Table(report, "table-2");
        table.Footnotes.Should().Contain(f => f.StartsWith("Landmark analysis at 12 months", StringComparison.Ordinal));
        var sexRows = Enumerable.Range(Engine.Row(table, "Sex") + 1, 2).Select(r => (int)table.Rows[r].Cells[1].Value!.Value).Sum();
        sexRows.Should().Be(kept.Count(i => data.Patients[i].Patient.Sex is not null));
        report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().SelectMany(t => t.Paragraphs)
            .Should().Contain(p => p.Contains("Landmark analyses (Figure 1 at 12 months, Table 2 at 12 months)", StringComparison.Ordinal));
    }

    [Fact]
    public void Landmark_time_is_read_and_must_be_positive()
    {
        var text = ProtocolLoader.ShippedText("nakayama2022");
        var yaml = text.Replace("        id: figure-1\n", "        id: figure-1\n        landmark_time: 6\n", StringComparison.Ordinal);
        yaml.Should().NotBe(text);
        ProtocolLoader.Parse(yaml, "p.yaml").Items.Single(i => i.Id == "figure-1").LandmarkTime.Should().Be(6);
        FluentActions.Invoking(() => ProtocolLoader.Parse(yaml.Replace("landmark_time: 6", "landmark_time: 0", StringComparison.Ordinal), "p.yaml"))
            .Should().Throw<ProtocolException>();
    }
}

/// <summary>A protocol can ask for R's exact partial likelihood (ties: exact), and the report names it (issue 15).</summary>
public class ExactTiesProtocolTests
{
    [Fact]
    public void Ties_exact_reaches_the_models_and_the_text_names_it()
    {
        var text = ProtocolLoader.ShippedText("nakayama2022");
        var yaml = text.Replace("convention: r\n", "convention: r\nties: exact\n", StringComparison.Ordinal);
        yaml.Should().NotBe(text);
        var protocol = ProtocolLoader.Parse(yaml, "p.yaml");
        var patients = TestCohort.Build(120, 5);
        var report = StudyRunner.Run(protocol, patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        report.Provenance.Methods.Single(kv => kv.Key == "Ties (Cox)").Value.Should().Be("exact");
        report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().SelectMany(t => t.Paragraphs)
            .Should().Contain(p => p.Contains("the exact partial likelihood (R ties = \"exact\") for tied event times", StringComparison.Ordinal));

        Engine.Table(report, "table-s1").Footnotes[0].Should().Contain("(exact ties)");
        Engine.Table(report, "table-3").Footnotes[0].Should().Contain("(exact ties)");
    }
}
