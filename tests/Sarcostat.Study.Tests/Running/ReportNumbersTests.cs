using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Comparisons;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// The numbers in the report's tables and figures equal the engine's results for the same data: each test computes
/// them here from the derived, selected cohort with the engine's own calls and compares the cells' raw values (and,
/// for intervals, the formatted text).
/// </summary>
public class ReportNumbersTests
{
    /// <summary>The number style of the protocol the engine runs (its <c>format</c>), to print expected values as the report does.</summary>
    private static JournalFormat Style(Engine engine) => new(engine.Protocol.Format);

    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(160, 11);

    private static (StudyReport Report, Engine Engine) Run(string protocol, Convention convention)
    {
        var p = ProtocolLoader.Shipped(protocol).WithConvention(convention);
        return (StudyRunner.Run(p, Patients, Context), new Engine(p, Patients));
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "yes" : "no",
        _ => value.ToString(),
    };

    [Theory]
    [InlineData(Convention.R)]
    [InlineData(Convention.Spss)]
    public void Log_rank_table_cells_equal_the_engine(Convention convention)
    {
        var (report, engine) = Run("nakayama2022", convention);
        var table = Engine.Table(report, "table-2");
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);

        // Paper 001 Table 2 rows: heading row then one row per level; p on the first level row.
        Check("Disease-free interval", "dfi_12", [("<12 months", "<12 months"), (">=12 months", "≥12 months")]);
        Check("Size of largest lung lesion", "largest_nodule_20", [("<20 mm", "<20 mm"), (">=20 mm", "≥20 mm")]);
        Check("Curative resection", "curative_resection", [("curative", "Yes"), ("non-curative", "No")]);
        Check("Distribution of lung metastasis", "laterality", [("unilateral", "Unilateral"), ("bilateral", "Bilateral")]);
        Check(null, "histology_ups", [("UPS", "UPS"), ("non-UPS", "Non-UPS")]);

        void Check(string? heading, string name, (string Value, string Label)[] levels)
        {
            var values = dss.Patients.Select(p => Text(p.Value(name))).ToList();
            var factor = Factor.FromValues(name, values);
            var logRank = LogRank.Test(dss.Time, dss.Event, factor);
            var curves = KaplanMeier.FitByGroup(dss.Time, dss.Event, factor, engine.Methods.KaplanMeier);
            int at = heading is null ? 0 : Engine.Row(table, heading) + 1;
            for (int k = 0; k < levels.Length; k++)
            {
                var (value, label) = levels[k];
                int row = Engine.Row(table, label, at);
                Engine.Value(table, row, "n").Should().Be(values.Count(v => v == value), $"n of {name} = {value}");
                var point = curves[value].At(engine.Protocol.Landmark);
                if (point.BeyondLastObservation && point.Survival > 0)
                {
                    Engine.Cell(table, row, "5-Year Survival (%)").Text.Should().Be("NE");
                }
                else
                {
                    Approx.Equal(100 * point.Survival, Engine.Cell(table, row, "5-Year Survival (%)").Value, $"5-year DSS of {name} = {value}");
                }

                if (k == 0)
                {
                    Approx.Equal(logRank.P, Engine.Cell(table, row, "p").Value, $"log-rank p of {name}");
                    Approx.Equal(logRank.ChiSquare, Engine.Cell(table, row, "p").Statistic, $"log-rank chi-square of {name} (results.json)");
                    Engine.Cell(table, row, "p").DegreesOfFreedom.Should().Be(levels.Length - 1);
                    Engine.Cell(table, row, "p").Text.Should().Be(Style(engine).P(logRank.P));
                }
                else
                {
                    Engine.Cell(table, row, "p").Text.Should().BeEmpty();
                }

                at = row + 1;
            }
        }
    }

    [Theory]
    [InlineData(Convention.R, TieMethod.Efron)]
    [InlineData(Convention.Spss, TieMethod.Breslow)]
    public void Side_by_side_table_cells_equal_the_log_rank_test_and_the_univariate_Cox_model(Convention convention, TieMethod ties)
    {
        var (report, engine) = Run("nakayama2022", convention);
        var table = Engine.Table(report, "table-s1");
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);
        table.Columns.Should().Equal("Variable", "n", "Events", "Log-rank p", "HR (95% CI)", "Wald p", "LR p");
        Labels(table).Should().Equal(Labels(Engine.Table(report, "table-2")), "rows_from: table-2 repeats Table 2's rows");

        var definitions = Definitions();
        foreach (var name in new[] { "dfi_12", "largest_nodule_20", "curative_resection", "laterality", "histology_ups" })
        {
            var (firstLevel, heading, read, reference) = definitions[name];
            var values = dss.Patients.Select(read).ToList();
            var logRank = LogRank.Test(dss.Time, dss.Event, Factor.FromValues(name, values));
            var fit = CoxRegression.Fit(dss.Time, dss.Event, [new CategoricalCovariate(Factor.FromValues(name, values, reference))], null, new CoxOptions { Ties = ties });
            var term = fit.Terms.Should().ContainSingle().Which;
            int first = Engine.Row(table, firstLevel, heading is null ? 0 : Engine.Row(table, heading));
            int second = first + 1;
            Approx.Equal(logRank.P, Engine.Cell(table, first, "Log-rank p").Value, $"log-rank p of {name}");
            Approx.Equal(fit.LikelihoodRatio.P, Engine.Cell(table, first, "LR p").Value, $"LR p of {name}");
            Engine.Cell(table, second, "Log-rank p").Text.Should().BeEmpty();
            Engine.Cell(table, second, "LR p").Text.Should().BeEmpty();

            // The Wald p is on the non-reference level's row, beside its HR.
            int withTerm = Engine.Cell(table, first, "Wald p").Text.Length > 0 ? first : second;
            Approx.Equal(term.P, Engine.Cell(table, withTerm, "Wald p").Value, $"Wald p of {name}");
            Engine.Cell(table, withTerm, "HR (95% CI)").Text.Should().Be(Style(engine).HazardRatioWithInterval(term.HazardRatio, term.Lower, term.Upper));
            int referenceRow = withTerm == first ? second : first;
            Engine.Cell(table, referenceRow, "HR (95% CI)").Text.Should().Be("1 (reference)");
            Engine.Cell(table, referenceRow, "Wald p").Text.Should().BeEmpty("the reference level has no Wald test");
        }

        table.Footnotes.Should().Contain(f => f.Contains("LR p: likelihood-ratio test of the factor as a whole", StringComparison.Ordinal)
            && f.Contains("Log-rank p: log-rank test of the factor", StringComparison.Ordinal));
    }

    private static List<string> Labels(TableItem table) => table.Rows.Select(r => r.Cells[0].Text).ToList();

    [Theory]
    [InlineData(Convention.R, TieMethod.Efron)]
    [InlineData(Convention.Spss, TieMethod.Breslow)]
    public void Multivariate_table_equals_a_Cox_fit_of_the_univariately_significant_factors(Convention convention, TieMethod ties)
    {
        var (report, engine) = Run("nakayama2022", convention);
        var univariate = Engine.Table(report, "table-2");
        var table = Engine.Table(report, "table-3");
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);

        // The factors of Table 2 whose log-rank p < 0.05, in table order: each variable's p is on its first level row.
        var definitions = Definitions();
        var selected = new List<string>();
        foreach (var (name, (firstLevel, heading, _, _)) in definitions)
        {
            int row = Engine.Row(univariate, firstLevel, heading is null ? 0 : Engine.Row(univariate, heading));
            if (Engine.Cell(univariate, row, "p").Value < 0.05)
            {
                selected.Add(name);
            }
        }

        selected.Should().NotBeEmpty("the test cohort has strong prognostic factors");
        var covariates = selected.Select(name =>
        {
            var (_, _, read, reference) = definitions[name];
            return (Covariate)new CategoricalCovariate(Factor.FromValues(name, dss.Patients.Select(read).ToList(), reference));
        }).ToList();
        var fit = CoxRegression.Fit(dss.Time, dss.Event, covariates, null, new CoxOptions { Ties = ties });

        table.Columns.Should().Equal("Variable", "HR", "95% CI", "p");
        table.Rows.Should().HaveCount(selected.Count, "compact layout: one row per two-level factor");
        for (int i = 0; i < selected.Count; i++)
        {
            var term = fit.Terms.Single(t => t.Covariate == selected[i]);
            Approx.Equal(term.HazardRatio, Engine.Cell(table, i, "HR").Value, $"HR of {selected[i]}");
            Approx.Equal(term.P, Engine.Cell(table, i, "p").Value, $"p of {selected[i]}");
            Engine.Cell(table, i, "95% CI").Text.Should().Be(Style(engine).HazardRatioInterval(term.Lower, term.Upper));
            Engine.Cell(table, i, "HR").Text.Should().Be(Style(engine).HazardRatio(term.HazardRatio));
        }

        table.Footnotes.Should().Contain(f => f.StartsWith($"Complete cases: n = {fit.N}, events = {fit.Events}", StringComparison.Ordinal));

        var forest = Engine.Figure<ForestFigure>(report, "figure-s2");
        forest.Rows.Where(r => !r.IsReference).Select(r => r.Estimate!.Value)
            .Should().Equal(selected.Select(s => fit.Terms.Single(t => t.Covariate == s).HazardRatio));
    }

    /// <summary>Table 2's variables as the nakayama protocol defines them: first level label, heading, reader, reference.</summary>
    private static Dictionary<string, (string FirstLevel, string? Heading, Func<DerivedPatient, string?> Read, string? Reference)> Definitions()
    {
        static Func<DerivedPatient, string?> Field(string name) => p => Text(p.Value(name));
        static Func<DerivedPatient, string?> Histology(string code, string yes, string no) =>
            p => p.Patient.Histology is null ? null : p.Patient.Histology == code ? yes : no;
        static Func<DerivedPatient, string?> Chemo(string a, string yes, string no) =>
            p => p.Patient.Chemotherapy is null ? null : p.Patient.Chemotherapy == a || p.Patient.Chemotherapy == "both" ? yes : no;
        static Func<DerivedPatient, string?> Liposarcoma() =>
            p => p.Patient.Histology is null ? null : p.Patient.Histology.StartsWith("liposarcoma", StringComparison.Ordinal) ? "Liposarcoma" : "Non-liposarcoma";
        return new()
        {
            ["age_50"] = ("<50", "Age (years)", Field("age_50"), "<50 years"),
            ["sex"] = ("Male", "Sex", Field("sex"), "male"),
            ["dfi_12"] = ("<12 months", "Disease-free interval", Field("dfi_12"), ">=12 months"),
            ["histology_ss"] = ("SS", null, Histology("synovial_sarcoma", "SS", "Non-SS"), "SS"),
            ["histology_ups"] = ("UPS", null, Field("histology_ups"), "non-UPS"),
            ["histology_lps"] = ("Liposarcoma", null, Liposarcoma(), "Non-liposarcoma"),
            ["histology_mfs"] = ("MFS", null, Histology("myxofibrosarcoma", "MFS", "Non-MFS"), "Non-MFS"),
            ["histology_lms"] = ("Leiomyosarcoma", "Primary histology", Histology("leiomyosarcoma", "Leiomyosarcoma", "Non-leiomyosarcoma"), "Non-leiomyosarcoma"),
            ["primary_site"] = ("Trunk wall", "Primary site", Field("primary_site"), "trunk_wall"),
            ["primary_size_10"] = ("<10 cm", "Size of primary lesion", Field("primary_size_10"), "<10 cm"),
            ["laterality"] = ("Unilateral", "Distribution of lung metastasis", Field("laterality"), "unilateral"),
            ["nodule_group"] = ("Solitary", "Number of lung metastases", Field("nodule_group"), "solitary"),
            ["largest_nodule_20"] = ("<20 mm", "Size of largest lung lesion", Field("largest_nodule_20"), "<20 mm"),
            ["resection_anatomical"] = ("Partial", "Type of pulmonary resection", Field("resection_anatomical"), "partial"),
            ["curative_resection"] = ("Yes", "Curative resection", Field("curative_resection"), "curative"),
            ["chemo_pre"] = ("Yes", "Preoperative chemotherapy", Chemo("pre", "Yes", "No"), "No"),
            ["chemo_post"] = ("Yes", "Postoperative chemotherapy", Chemo("post", "Yes", "No"), "No"),
        };
    }

    [Theory]
    [InlineData(Convention.R, TieMethod.Efron)]
    [InlineData(Convention.Spss, TieMethod.Breslow)]
    public void Univariate_Cox_table_cells_equal_the_engine(Convention convention, TieMethod ties)
    {
        var (report, engine) = Run("chang2024", convention);
        var table = Engine.Table(report, "table-5");
        var os = engine.Data(Endpoint.OverallSurvival);
        table.Columns.Should().Equal("Variable", "n", "HR", "95% CI", "p");

        Check("Disease-free interval after lung surgery", p => Text(p.Value("dfi_12")), "<12 months", [("<12 months", "<12 months"), (">=12 months", "≥12 months")]);
        Check("Sarcoma local recurrence at the time of lung metastasectomy", p => Text(p.Value("local_recurrence_at_pm")), "no", [("no", "Absent"), ("yes", "Present")]);
        Check("Margin", p => Text(p.Value("curative_resection")), "curative", [("curative", "Free"), ("non-curative", "Involved")]);
        Check(
            "Approach method",
            p => p.Patient.FirstMetastasectomy?.Approach switch
            {
                "thoracotomy" => "Thoracotomy",
                "vats" or "uniportal_vats" => "VATS",
                _ => null,
            },
            "Thoracotomy",
            [("Thoracotomy", "Thoracotomy"), ("VATS", "VATS")]);

        void Check(string heading, Func<DerivedPatient, string?> read, string reference, (string Value, string Label)[] levels)
        {
            var values = os.Patients.Select(read).ToList();
            var fit = CoxRegression.Fit(os.Time, os.Event, [new CategoricalCovariate(Factor.FromValues("x", values, reference))], null, new CoxOptions { Ties = ties });
            int at = Engine.Row(table, heading) + 1;
            foreach (var (value, label) in levels)
            {
                int row = Engine.Row(table, label, at);
                Engine.Value(table, row, "n").Should().Be(values.Count(v => v == value));
                if (value == reference)
                {
                    Engine.Cell(table, row, "HR").Text.Should().Be("1");
                    Engine.Cell(table, row, "p").Text.Should().BeEmpty();
                }
                else
                {
                    var term = fit.Terms.Single(t => t.Level == value);
                    Approx.Equal(term.HazardRatio, Engine.Cell(table, row, "HR").Value, $"HR of {heading} = {value}");
                    Approx.Equal(term.P, Engine.Cell(table, row, "p").Value, $"p of {heading} = {value}");
                    Engine.Cell(table, row, "95% CI").Text.Should().Be(Style(engine).HazardRatioInterval(term.Lower, term.Upper));
                }

                at = row + 1;
            }
        }
    }

    [Theory]
    [InlineData(Convention.R)]
    [InlineData(Convention.Spss)]
    public void Kaplan_Meier_figure_survival_table_and_results_sentence_equal_the_engine(Convention convention)
    {
        var (report, engine) = Run("chang2024", convention);
        var os = engine.Data(Endpoint.OverallSurvival);
        var fit = KaplanMeier.Fit(os.Time, os.Event, engine.Methods.KaplanMeier);

        var figure = Engine.Figure<KaplanMeierFigure>(report, "figure-2");
        figure.ShowConfidenceBand.Should().BeTrue();
        var curve = figure.Curves.Should().ContainSingle().Which;
        var events = fit.Steps.Where(s => s.NEvent > 0).ToList();
        curve.Points.Skip(1).Select(p => (p.Time, p.Survival, p.Lower, p.Upper))
            .Should().Equal(events.Select(s => (s.Time, s.Survival, s.Lower, s.Upper)));
        curve.Points[0].Should().Be(new CurvePoint(0, 1, 1, 1));
        curve.CensorTimes.Should().Equal(fit.Steps.Where(s => s.NCensor > 0).Select(s => s.Time));
        curve.AtRisk.Should().Equal(fit.At(figure.Ticks).Select(p => p.NRisk));
        figure.Ticks.Should().StartWith(0.0).And.Contain(12.0);

        var table = Engine.Table(report, "table-s1");
        int row = Engine.Row(table, "Overall survival (OS)");
        Engine.Value(table, row, "n").Should().Be(os.Count);
        Engine.Value(table, row, "Events").Should().Be(os.Events);
        Approx.Equal(fit.Median.Estimate!.Value, Engine.Cell(table, row, "Median, months (95% CI)").Value, "median OS");
        Engine.Cell(table, row, "Median, months (95% CI)").Text.Should().Be(Style(engine).MedianWithInterval(fit.Median.Estimate, fit.Median.Lower, fit.Median.Upper));
        var five = fit.At(60);
        Approx.Equal(100 * five.Survival, Engine.Cell(table, row, "5-year survival, % (95% CI)").Value, "5-year OS");

        var median = Engine.Table(report, "table-3");
        Approx.Equal(fit.Median.Estimate!.Value, median.Rows[Engine.Row(median, "Overall survival, median (months) (95% CI)")].Cells[1].Value, "Table 3 median OS");

        var sentences = report.Sections.Single(s => s.Id == "summary").Items.OfType<TextItem>().Single().Paragraphs;
        sentences.Should().Contain(
            $"The 5-year overall survival was {JournalFormat.Percent(100 * five.Survival)}% (95% CI {JournalFormat.Percent(100 * five.Lower!.Value)}-{JournalFormat.Percent(100 * five.Upper!.Value)}%; {os.Events} events in {os.Count} patients); "
            + $"median OS was {Style(engine).Time(fit.Median.Estimate.Value)} months (95% CI {Style(engine).Time(fit.Median.Lower!.Value)}-{Style(engine).Time(fit.Median.Upper!.Value)}).");
        var follow = KaplanMeier.FollowUp(os.Time, os.Event, engine.Methods.KaplanMeier);
        sentences[0].Should().StartWith($"The median follow-up (reverse Kaplan-Meier) was {Style(engine).Time(follow.Median.Estimate!.Value)} months");
        // R: median(time); range(time) (paper 001: "median follow-up 28 (range 1-211) months").
        sentences[0].Should().EndWith(
            $"; the median observed time was {Style(engine).Time(follow.ObservedMedian)} (range {Style(engine).Time(follow.Minimum)}-{Style(engine).Time(follow.Maximum)}) months.");
    }

    [Fact]
    public void Descriptive_cells_equal_counts_and_summaries_of_the_analysed_cohort()
    {
        var (report, engine) = Run("nakayama2022", Convention.Spss);
        var table = Engine.Table(report, "table-1");
        var patients = engine.Analysed.Patients;
        table.Columns.Should().Equal("Variable", $"Patients (n = {patients.Count}) (%)");

        var age = Descriptives.Numeric(patients.Select(p => p.AgeAtPm ?? double.NaN).ToList());
        Approx.Equal(age.Median!.Value, table.Rows[Engine.Row(table, "Age (years, median/range)")].Cells[1].Value, "median age");
        table.Rows[Engine.Row(table, "Age (years, median/range)")].Cells[1].Text
            .Should().Be($"{JournalFormat.Number(age.Median.Value, 0)} ({JournalFormat.Number(age.Min!.Value, 0)}{engine.Protocol.Format.DashText}{JournalFormat.Number(age.Max!.Value, 0)})");

        int male = patients.Count(p => p.Patient.Sex == "male");
        var maleCell = table.Rows[Engine.Row(table, "Male")].Cells[1];
        maleCell.Value.Should().Be(male);
        maleCell.Text.Should().Be($"{male} ({JournalFormat.Percent(100.0 * male / patients.Count, 0)})");

        int lipo = patients.Count(p => p.Patient.Histology?.StartsWith("liposarcoma", StringComparison.Ordinal) == true);
        int lipoRow = Engine.Row(table, "Liposarcoma");
        table.Rows[lipoRow].Cells[1].Value.Should().Be(lipo);
        table.Rows[lipoRow + 1].Indent.Should().Be(table.Rows[lipoRow].Indent + 1, "the sub-types are listed under liposarcoma");

        int missingSize = patients.Count(p => p.Patient.LargestNoduleMm is null);
        missingSize.Should().BeGreaterThan(0, "the test cohort has missing nodule sizes");
        int sizeRow = Engine.Row(table, "Size of largest lung lesion (mm, median/range)");
        table.Rows[sizeRow + 1].Cells[0].Text.Should().Be("Missing");
        table.Rows[sizeRow + 1].Cells[1].Value.Should().Be(missingSize);
    }

    [Fact]
    public void Group_comparison_p_values_equal_Fisher_and_Student()
    {
        var (report, engine) = Run("chang2024", Convention.Spss);
        var table = Engine.Table(report, "table-s2");
        string? Group(DerivedPatient p) => p.Patient.FirstMetastasectomy?.Approach switch
        {
            "thoracotomy" => "Thoracotomy",
            "vats" or "uniportal_vats" => "VATS",
            _ => null,
        };
        var included = engine.Analysed.Patients.Where(p => Group(p) is not null).ToList();
        var thoracotomy = included.Where(p => Group(p) == "Thoracotomy").ToList();
        var vats = included.Where(p => Group(p) == "VATS").ToList();
        table.Columns.Should().Equal("Characteristic", $"Thoracotomy (n = {thoracotomy.Count})", $"VATS (n = {vats.Count})", "p");

        var student = TTest.Student(thoracotomy.Select(p => p.AgeAtPm ?? double.NaN).ToList(), vats.Select(p => p.AgeAtPm ?? double.NaN).ToList());
        Approx.Equal(student.P, Engine.Cell(table, Engine.Row(table, "Age (years)"), "p").Value, "t-test p of age");

        int[][] sex =
        [
            [thoracotomy.Count(p => p.Patient.Sex == "male"), vats.Count(p => p.Patient.Sex == "male")],
            [thoracotomy.Count(p => p.Patient.Sex == "female"), vats.Count(p => p.Patient.Sex == "female")],
        ];
        Approx.Equal(FisherExact.Test(sex).P, Engine.Cell(table, Engine.Row(table, "Sex"), "p").Value, "Fisher p of sex");
        Engine.Cell(table, Engine.Row(table, "Male"), $"VATS (n = {vats.Count})").Value.Should().Be(sex[0][1]);
    }

    [Fact]
    public void Flow_figure_counts_equal_the_selection_flow()
    {
        var (report, engine) = Run("nakayama2022", Convention.Spss);
        var flow = engine.Selection.Flow;
        flow.TotalExcluded.Should().BeGreaterThan(0, "the test cohort has patients the nakayama steps exclude");
        var figure = Engine.Figure<FlowFigure>(report, "figure-s1");
        figure.Boxes.Select(b => b.Count).Should().Equal([.. flow.Steps.Select(s => s.Before), flow.Final]);
        figure.Boxes.Take(flow.Steps.Count).Select(b => b.Excluded!.Count).Should().Equal(flow.Steps.Select(s => s.Excluded));
        figure.Boxes[0].Excluded!.Breakdown.Sum(b => b.Value).Should().Be(flow.Steps[0].Excluded);
        figure.Boxes[0].Excluded!.Breakdown.Select(b => b.Key).Should().BeSubsetOf(["Parenchymal organs", "Mediastinum", "Retroperitoneum", "Head and neck"]);
        figure.Boxes[^1].Text.Should().Be("Patients analysed");
    }

    [Fact]
    public void A_factor_of_more_than_two_levels_gets_the_likelihood_ratio_p_and_a_number_its_HR_per_unit()
    {
        const string text = """
            name: multi
            title: Multi-level
            endpoints: [OS]
            variables:
              ecog: {label: ECOG, type: categorical}
              age_at_pm: {label: Age, unit: years}
            sections:
              - id: s
                title: S
                items:
                  - type: univariate
                    id: table-1
                    title: Table 1. Cox
                    endpoint: OS
                    test: cox
                    columns: [n, hr_ci, p]
                    rows: [ecog, age_at_pm]
            """;
        var protocol = ProtocolLoader.Parse(text, "multi.yaml");
        var report = StudyRunner.Run(protocol, Patients, Context);
        var engine = new Engine(protocol, Patients);
        var os = engine.Data(Endpoint.OverallSurvival);
        var table = Engine.Table(report, "table-1");

        var ecog = os.Patients.Select(p => Text(p.Value("ecog"))).ToList();
        var fit = CoxRegression.Fit(os.Time, os.Event, [new CategoricalCovariate(Factor.FromValues("ecog", ecog))]);
        fit.Terms.Should().HaveCountGreaterThan(1, "the test cohort has ECOG 0 to 3");
        int heading = Engine.Row(table, "ECOG");
        Approx.Equal(fit.LikelihoodRatio.P, Engine.Cell(table, heading, "p").Value, "likelihood-ratio p of ECOG");
        Engine.Cell(table, heading + 1, "HR (95% CI)").Text.Should().Be("1 (reference)");
        foreach (var term in fit.Terms)
        {
            int row = Engine.Row(table, term.Level!, heading);
            Engine.Cell(table, row, "HR (95% CI)").Text.Should().Be(Style(engine).HazardRatioWithInterval(term.HazardRatio, term.Lower, term.Upper));
            Approx.Equal(term.P, Engine.Cell(table, row, "p").Value, $"Wald p of ECOG {term.Level}");
        }

        table.Footnotes[0].Should().Contain("likelihood-ratio p of the factor is given on its heading row");

        var age = CoxRegression.Fit(os.Time, os.Event, [new NumericCovariate("age_at_pm", os.Patients.Select(p => p.AgeAtPm ?? double.NaN).ToList())]);
        int ageRow = Engine.Row(table, "Age (years)");
        Approx.Equal(age.Terms[0].HazardRatio, Engine.Cell(table, ageRow, "HR (95% CI)").Value, "HR per year of age");
        Approx.Equal(age.Terms[0].P, Engine.Cell(table, ageRow, "p").Value, "p of age");
    }
}
