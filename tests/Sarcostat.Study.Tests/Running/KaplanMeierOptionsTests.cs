using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Tests.Running;

/// <summary>Kaplan-Meier figure options: percent axis, landmark and median marks read from the engine's fit.</summary>
public class KaplanMeierOptionsTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(160, 11);

    [Fact]
    public void The_protocol_keys_bind()
    {
        var text = ProtocolLoaderTestsText.Replace("        rows: [dfi_12, sex]", "        rows: [dfi_12, sex]\n      - type: km\n        id: figure-1\n        title: Figure 1. OS\n        endpoint: OS\n        y_axis: percent\n        landmarks: [12, 60]\n        mark_median: true", StringComparison.Ordinal);
        text.Should().Contain("type: km");
        var spec = ProtocolLoader.Parse(text, "mini.yaml").Items.OfType<KaplanMeierFigureSpec>().Single();
        spec.PercentAxis.Should().BeTrue();
        spec.Landmarks.Should().Equal(12, 60);
        spec.MarkMedian.Should().BeTrue();
        var bad = () => ProtocolLoader.Parse(text.Replace("y_axis: percent", "y_axis: permille", StringComparison.Ordinal), "mini.yaml");
        bad.Should().Throw<ProtocolException>().Which.Message.Should().Contain("proportion, percent");
        var negative = () => ProtocolLoader.Parse(text.Replace("landmarks: [12, 60]", "landmarks: [-1]", StringComparison.Ordinal), "mini.yaml");
        negative.Should().Throw<ProtocolException>().Which.Message.Should().Contain("greater than 0");
    }

    [Fact]
    public void Marks_are_the_engines_survival_at_the_landmark_and_median_of_each_curve()
    {
        var shipped = ProtocolLoader.Shipped("nakayama2022");
        var sections = shipped.Sections.Select(s => s with
        {
            Items = s.Items.Select(i => i is KaplanMeierFigureSpec { Id: "figure-s3" } k ? k with { PercentAxis = true, Landmarks = [24, 60], MarkMedian = true } : i).ToList(),
        }).ToList();
        var protocol = shipped with { Sections = sections };
        var report = StudyRunner.Run(protocol, Patients, Context);
        var figure = Engine.Figure<KaplanMeierFigure>(report, "figure-s3");
        figure.PercentAxis.Should().BeTrue();
        figure.Caption.Should().Contain("Dotted lines: survival at 24 and 60 months; the median survival.");

        // R: fit <- survfit(Surv(time, status) ~ dfi_12); summary(fit, times = c(24, 60)); print(fit)
        var engine = new Engine(protocol, Patients);
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);
        var values = dss.Patients.Select(p => p.Value("dfi_12")?.ToString()).ToList();
        var fits = KaplanMeier.FitByGroup(dss.Time, dss.Event, Factor.FromValues("dfi_12", values), engine.Methods.KaplanMeier);
        figure.Curves.Should().HaveCount(fits.Fits.Count);
        for (var g = 0; g < fits.Fits.Count; g++)
        {
            var fit = fits.Fits[g];
            var marks = figure.Curves[g].Marks;
            foreach (var t in new[] { 24.0, 60.0 })
            {
                var point = fit.At(t);
                var mark = marks.SingleOrDefault(m => m.Kind == CurveMarkKind.Landmark && m.Time == t);
                if (point.BeyondLastObservation)
                {
                    mark.Should().BeNull("no reading past the curve's last observation");
                }
                else
                {
                    mark!.Survival.Should().Be(point.Survival);
                    mark.Label.Should().Be(Sarcostat.Study.Formatting.JournalFormat.Percent(100 * point.Survival, 1) + "%");
                }
            }

            var median = marks.SingleOrDefault(m => m.Kind == CurveMarkKind.Median);
            if (fit.Median.Estimate is { } est)
            {
                median!.Time.Should().Be(est);
                median.Survival.Should().Be(0.5);
            }
            else
            {
                median.Should().BeNull("a median not reached is not marked");
            }
        }
    }

    private static string ProtocolLoaderTestsText => Protocols.ProtocolLoaderTests.Minimal;
}

/// <summary>The forest plot's columns repeat the multivariate table's cells (one code path formats both).</summary>
public class ForestColumnsReportTests
{
    [Fact]
    public void Forest_n_hr_ci_and_p_equal_the_multivariate_tables_cells()
    {
        var patients = TestCohort.Build(160, 11);
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var forest = Engine.Figure<ForestFigure>(report, "figure-s1");
        var table = Engine.Table(report, "table-6");
        forest.Columns.Should().Equal("n", "HR", "95% CI", "p");
        (forest.FavoursLower, forest.FavoursHigher).Should().Be(("Lower hazard", "Higher hazard"));
        forest.Rows.Where(r => !r.IsReference).Should().NotBeEmpty();
        foreach (var row in forest.Rows.Where(r => !r.IsReference && r.Estimate is not null))
        {
            // The table row of the same term: its HR value is the same estimate.
            var match = table.Rows.Single(t => t.Cells.Count > 2 && t.Cells[Column(table, "HR")].Value == row.Estimate);
            row.Cells[0].Should().Be(match.Cells[Column(table, "n")].Text, row.Label);
            row.Cells[1].Should().Be(match.Cells[Column(table, "HR")].Text, row.Label);
            row.Cells[2].Should().Be(match.Cells[Column(table, "95% CI")].Text, row.Label);
            row.Cells[3].Should().Be(match.Cells[Column(table, "p")].Text, row.Label);
        }
    }

    private static int Column(Results.TableItem table, string heading) => table.Columns.ToList().IndexOf(heading);
}

/// <summary>The flow diagram draws the source databases and says what the merge did (paper 000 Figure 1).</summary>
public class FlowSourcesReportTests
{
    [Fact]
    public void Two_sources_are_drawn_above_the_first_box_with_the_patients_found_in_both()
    {
        var patients = TestCohort.Build(40, 3).Select((p, i) => p with { Source = (i % 4) switch { 0 => "hospital_a,hospital_b", 1 or 2 => "hospital_a", _ => "hospital_b" } }).ToList();
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var flow = report.Figures.OfType<FlowFigure>().Single();
        flow.Sources.Should().Equal(new FlowSource("hospital_a database", 30), new FlowSource("hospital_b database", 20));
        flow.Boxes[0].Text.Should().EndWith("(10 in more than one source)");
        flow.Boxes[0].Count.Should().Be(40, "unique patients after the merge");
    }

    [Fact]
    public void With_the_importer_s_counts_the_source_boxes_show_records_delivered_not_patients()
    {
        var patients = TestCohort.Build(40, 3).Select((p, i) => p with { Source = i % 2 == 0 ? "hospital_a,hospital_b" : "hospital_a" }).ToList();
        var context = new RunContext("0.1.0-test", new DateOnly(2025, 1, 1))
        {
            SourceRecords = [new("hospital_a", 43), new("hospital_b", 21)],
        };
        var flow = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), patients, context).Figures.OfType<FlowFigure>().Single();
        flow.Sources.Should().Equal(new FlowSource("hospital_a database, records delivered", 43), new FlowSource("hospital_b database, records delivered", 21));
        flow.Boxes[0].Text.Should().EndWith("(20 in more than one source)");
        flow.Boxes[0].Count.Should().Be(40);
    }

    [Theory]
    [InlineData(true, "a salt was used")]
    [InlineData(false, "no salt used")]
    public void Provenance_says_whether_a_salt_was_used_and_never_prints_one(bool salted, string expected)
    {
        var context = new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)) { SaltUsed = salted };
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(40, 3), context);
        report.Provenance.Methods.Single(kv => kv.Key == "Pseudonyms").Value.Should().Contain(expected);
    }

    [Fact]
    public void Provenance_has_no_pseudonym_line_when_the_import_is_unknown()
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(40, 3), new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        report.Provenance.Methods.Should().NotContain(kv => kv.Key == "Pseudonyms");
    }
}

/// <summary>The log-rank chi-square column and the choice of the p that selects factors for the multivariate model.</summary>
public class UnivariateChiSquareAndSelectionTests
{
    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(160, 11);

    [Fact]
    public void The_chi_square_column_is_the_log_rank_statistic_on_the_first_level_row()
    {
        var shipped = ProtocolLoader.Shipped("nakayama2022");
        var sections = shipped.Sections.Select(s => s with
        {
            Items = s.Items.Select(i => i is UnivariateTableSpec { Id: "table-2" } u ? u with { Columns = [.. u.EffectiveColumns, new TableColumnSpec(ColumnKind.LogRankChiSquare)] } : i).ToList(),
        }).ToList();
        var protocol = shipped with { Sections = sections };
        var report = StudyRunner.Run(protocol, Patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var table = Engine.Table(report, "table-2");
        table.Columns.Should().Contain("Log-rank \u03C7\u00B2");

        // R: survdiff(Surv(time, status) ~ dfi_12)$chisq
        var engine = new Engine(protocol, Patients);
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);
        var values = dss.Patients.Select(p => p.Value("dfi_12")?.ToString()).ToList();
        var logRank = LogRank.Test(dss.Time, dss.Event, Factor.FromValues("dfi_12", values));
        int first = Engine.Row(table, "<12 months");
        Approx.Equal(logRank.ChiSquare, Engine.Cell(table, first, "Log-rank \u03C7\u00B2").Value, "chi-square of dfi_12");
        Engine.Cell(table, first + 1, "Log-rank \u03C7\u00B2").Text.Should().BeEmpty();
        table.Footnotes.Should().Contain(n => n.StartsWith("Log-rank \u03C7\u00B2: the log-rank chi-square statistic", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("logrank", SelectionTest.LogRank, "a log-rank p")]
    [InlineData("lr", SelectionTest.LikelihoodRatio, "a likelihood-ratio p of the univariate Cox model")]
    public void The_p_that_selects_factors_is_a_protocol_key_and_the_methods_say_which(string key, SelectionTest test, string words)
    {
        var shipped = ProtocolLoader.Shipped("chang2024");
        var text = shipped.SourceText!.Replace("select: {from: table-5, p_below: 0.05}", $"select: {{from: table-5, p_below: 0.05, p: {key}}}", StringComparison.Ordinal);
        text.Should().Contain($"p: {key}}}");
        var protocol = ProtocolLoader.Parse(text, "chang-custom.yaml");
        protocol.Items.OfType<MultivariateTableSpec>().Single(m => m.Id == "table-6").SelectBy.Should().Be(test);
        var report = StudyRunner.Run(protocol, Patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var methods = string.Join(" ", report.Sections[0].Items.OfType<TextItem>().SelectMany(t => t.Paragraphs));
        methods.Should().Contain($"Factors with {words} < 0.05 in the univariate analysis (Table 5)");
    }
}

/// <summary>Patients with two or more metastasectomies: paper 000's "sequential" and paper 001's "two-stage" PM.</summary>
public class RepeatMetastasectomyRowsTests
{
    [Theory]
    [InlineData("chang2024", "table-4", "Sequential metastasectomy for bilateral metastasis")]
    [InlineData("nakayama2022", "table-s2", "Two-stage PM")]
    public void The_row_counts_the_analysed_patients_with_two_or_more_recorded_metastasectomies(string protocol, string tableId, string label)
    {
        // Every fifth patient is operated a second time, 60 days after the first metastasectomy.
        var patients = TestCohort.Build(160, 11)
            .Select((x, i) => i % 5 == 0 && x.Procedures.Count > 0 ? x with { Procedures = [.. x.Procedures, x.Procedures[0] with { Date = x.Procedures[0].Date.AddDays(60) }] } : x)
            .ToList();
        var p = ProtocolLoader.Shipped(protocol);
        var report = StudyRunner.Run(p, patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var engine = new Engine(p, patients);
        int expected = engine.Analysed.Patients.Count(d => d.Patient.Procedures.Count >= 2);
        expected.Should().BePositive("the test cohort has patients operated more than once");
        var table = Engine.Table(report, tableId);
        var cell = table.Rows[Engine.Row(table, label)].Cells[1];
        cell.Value.Should().Be(expected);
        cell.Text.Should().StartWith(expected.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (");
    }
}

/// <summary>A severity a study changed in its mappings is listed, with its reason, in the report's data appendix (issue 10).</summary>
public class SeverityAppendixTests
{
    [Fact]
    public void Each_changed_rule_is_a_row_with_source_level_count_and_reason()
    {
        var context = new RunContext("0.1.0-test", new DateOnly(2025, 1, 1))
        {
            SeverityChanges = [new SeverityChange("hospital_b", "missing-recommended", "ignore", 42, "hospital_b never recorded ECOG")],
        };
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(40, 3), context);
        var table = report.Sections.Single(s => s.Id == "data-appendix").Items.OfType<TableItem>().Single(t => t.Id == "validation-severity");
        table.Rows.Should().ContainSingle();
        table.Rows[0].Cells.Select(c => c.Text).Should().Equal("hospital_b", "missing-recommended", "ignore", "42", "hospital_b never recorded ECOG");
    }

    [Fact]
    public void Without_amendments_or_changed_severities_there_is_no_appendix() =>
        StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(40, 3), new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)))
            .Sections.Should().NotContain(s => s.Id == "data-appendix");
}
