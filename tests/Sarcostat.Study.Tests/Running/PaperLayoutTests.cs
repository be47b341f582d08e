using Sarcostat.Simulation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// Each shipped protocol, run on the simulator's cohort of its paper, gives the paper's tables and figures with the
/// paper's rows and columns (ids, titles, first-column labels).
/// </summary>
public class PaperLayoutTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static StudyReport Simulated(string name, int seed = 1)
    {
        var spec = SimulationSpecs.Find(name)!;
        var cohort = CohortSimulator.Simulate(spec, spec.DefaultSize, seed);
        return StudyRunner.Run(ProtocolLoader.Shipped(name), cohort.Patients, Context);
    }

    private static List<string> Labels(TableItem table) => table.Rows.Select(r => r.Cells[0].Text).ToList();

    [Fact]
    public void Nakayama2022_has_the_papers_tables_and_figure()
    {
        var report = Simulated("nakayama2022");
        // The papers' tables, after the multivariate one its proportional-hazards test, and Table S1, Table 2's factors
        // with the log-rank test and the univariate Cox model side by side (issue 5), and Table S2, the figures of the
        // paper's section 3.2 (issue 12).
        report.Tables.Select(t => t.Id).Should().Equal("table-1", "table-2", "table-3", "table-3-ph", "table-s1", "table-s2");
        // The papers' figures; residual plots of covariates whose proportional-hazards p < 0.05 (issue 5) depend on the data.
        report.Figures.Where(f => !f.Id.StartsWith("table-3-ph-", StringComparison.Ordinal)).Select(f => (f.Id, f.GetType().Name)).Should().Equal(
            ("figure-s1", nameof(FlowFigure)), ("figure-1", nameof(KaplanMeierFigure)), ("figure-s2", nameof(ForestFigure)), ("figure-s3", nameof(KaplanMeierFigure)));
        report.Sections.Select(s => s.Id).Should().Equal("methods", "summary", "patients", "survival");

        var table1 = Engine.Table(report, "table-1");
        table1.Title.Should().Be("Table 1. Clinicopathological characteristics of patients");
        table1.Columns.Should().Equal("Variable", "Patients (n = 66) (%)");
        Labels(table1).Should().ContainInOrder(
            "Age (years, median/range)", "Sex", "Male", "Female", "Disease-free interval (months, median/range)", "Primary histology",
            "Synovial sarcoma", "Undifferentiated pleomorphic sarcoma", "Liposarcoma", "Myxofibrosarcoma", "Leiomyosarcoma",
            "Dermatofibrosarcoma protuberans", "Ewing sarcoma", "CIC-rearranged sarcoma", "Malignant peripheral nerve sheath tumor",
            "Sarcoma with BCOR genetic alterations", "Epithelioid sarcoma", "Extraskeletal osteosarcoma", "Alveolar soft part sarcoma",
            "Angiosarcoma", "Primary site", "Trunk wall", "Extremities", "Distribution of lung metastasis", "Unilateral", "Bilateral",
            "Number of lung metastasis (median/range)", "Solitary", "Multiple", "Size of largest lung lesion (mm, median/range)",
            "Type of pulmonary resection", "Wide wedge resection", "Segmentectomy", "Lobectomy", "Curative resection", "R0", "R1", "R2",
            "Chemotherapy", "None", "Preoperative", "Postoperative", "Both");

        var table2 = Engine.Table(report, "table-2");
        table2.Title.Should().Be("Table 2. Univariate analyses of the factors associated with disease-specific survival after pulmonary metastasectomy");
        table2.Columns.Should().Equal("Variable", "n", "5-Year Survival (%)", "p");
        Labels(table2).Should().Equal(
            "Age (years)", "<50", "≥50", "Sex", "Male", "Female", "Disease-free interval", "<12 months", "≥12 months",
            "Primary histology", "SS", "Non-SS", "UPS", "Non-UPS", "Liposarcoma", "Non-liposarcoma", "MFS", "Non-MFS", "Leiomyosarcoma", "Non-leiomyosarcoma",
            "Primary site", "Trunk wall", "Extremities", "Size of primary lesion", "<10 cm", "≥10 cm", "Distribution of lung metastasis", "Unilateral", "Bilateral",
            "Number of lung metastases", "Solitary", "Multiple", "Size of largest lung lesion", "<20 mm", "≥20 mm",
            "Type of pulmonary resection", "Partial", "Anatomical", "Curative resection", "Yes", "No",
            "Preoperative chemotherapy", "Yes", "No", "Postoperative chemotherapy", "Yes", "No");
        table2.Rows.Where(r => r.IsHeading).Select(r => r.Cells[0].Text).Should().HaveCount(13);

        var tableS1 = Engine.Table(report, "table-s1");
        tableS1.Title.Should().StartWith("Table S1. Log-rank tests and univariate Cox regression");
        tableS1.Columns.Should().Equal("Variable", "n", "Events", "Log-rank p", "HR (95% CI)", "Wald p", "LR p");
        Labels(tableS1).Should().Equal(Labels(table2));

        var table3 = Engine.Table(report, "table-3");
        table3.Title.Should().Be("Table 3. Multivariate analyses of factors associated with disease-specific survival after pulmonary metastasectomy");
        table3.Columns.Should().Equal("Variable", "HR", "95% CI", "p");
        Labels(table3).Should().NotBeEmpty().And.BeSubsetOf(
        [
            "Age (years) (≥50)", "Sex (Female)", "Disease-free interval (<12 months)", "Synovial sarcoma", "UPS", "Liposarcoma", "MFS", "Leiomyosarcoma",
            "Primary site (Extremities)", "Size of primary lesion (≥10 cm)", "Distribution of lung metastasis (Bilateral)",
            "Number of lung metastasis (multiple)", "Size of largest lung lesion (≥20 mm)", "Type of pulmonary resection (Anatomical)",
            "Non-curative resection", "Preoperative chemotherapy", "Postoperative chemotherapy",
        ]);

        var figure1 = Engine.Figure<KaplanMeierFigure>(report, "figure-1");
        figure1.Title.Should().Be("Figure 1. Kaplan-Meier disease-specific survival curve after pulmonary metastasectomy");
        figure1.YLabel.Should().Be("Disease-specific survival");
        figure1.XLabel.Should().Be("Months after the first pulmonary metastasectomy");
        figure1.Curves.Should().ContainSingle().Which.Label.Should().Be("All patients (n = 66)");

        var summary = report.Sections.Single(s => s.Id == "summary").Items.OfType<TextItem>().Single().Paragraphs;
        summary[0].Should().StartWith("The median follow-up (reverse Kaplan-Meier) was ").And.Contain("the median observed time was");
        summary[1].Should().StartWith("The 5-year disease-specific survival was ").And.Contain("median DSS was ").And.Contain("(95% CI ");
        var methods = string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);
        methods.Should().Contain("death from sarcoma").And.Contain("The source paper defines DSS as the time to death from any cause");
    }

    [Fact]
    public void Chang2024_has_the_papers_tables_and_figures()
    {
        var report = Simulated("chang2024");
        // The papers' tables, after the multivariate one its proportional-hazards test, and Table S3, Table 5's factors
        // with the univariate Cox model and the log-rank test side by side (issue 5).
        report.Tables.Select(t => t.Id).Should().Equal("table-2", "table-3", "table-4", "table-7", "table-s2", "table-s1", "table-5", "table-6", "table-6-ph", "table-s3");
        // The papers' figures; residual plots of covariates whose proportional-hazards p < 0.05 (issue 5) depend on the data.
        report.Figures.Where(f => !f.Id.StartsWith("table-6-ph-", StringComparison.Ordinal)).Select(f => (f.Id, f.GetType().Name)).Should().Equal(
            ("figure-1", nameof(FlowFigure)), ("figure-2", nameof(KaplanMeierFigure)), ("figure-s1", nameof(ForestFigure)));

        Engine.Figure<FlowFigure>(report, "figure-1").Boxes.Select(b => b.Text).Should().Equal(
            "Patients identified by the pathology databases", "Remaining", "Sarcoma malignancy",
            "Primary sarcoma with pulmonary metastases who underwent pulmonary metastasectomy");

        var table2 = Engine.Table(report, "table-2");
        table2.Columns.Should().Equal("Characteristics", "All patients (n = 110) (%)");
        Labels(table2).Should().ContainInOrder(
            "Age (years), mean ± SD", "Sex", "Male", "Female", "ECOG", "0", "1", "Smoking status", "Non-smoker", "Smoker",
            "Comorbidities", "DM", "HTN", "Other cancer");

        Labels(Engine.Table(report, "table-3")).Should().ContainInOrder(
            "Disease-free interval (months), median [range]", "Overall survival, median (months) (95% CI)",
            "Sarcoma local recurrence at the time of lung metastasectomy", "Complete resection of all metastatic nodules",
            "Number of metastatic nodules", "1", "≥2", "Maximum size of the metastatic nodules (cm), mean ± SD",
            "Laterality of lung metastasis", "Unilateral", "Bilateral", "Resection margin", "Negative", "Positive", "Missing");

        Labels(Engine.Table(report, "table-4")).Should().ContainInOrder(
            "Surgical method", "Sublobar resection", "Lobectomy", "Bilobectomy, pneumonectomy", "Approach method", "Thoracotomy", "VATS",
            "Uniportal VATS", "Non-intubated anesthesia", "Length of hospital stay (day)", "Postoperative ICU stay (day)",
            "Severe morbidities", "Prolonged air leak", "Shock", "30-day mortality");

        var table5 = Engine.Table(report, "table-5");
        table5.Title.Should().Be("Table 5. Univariate analysis of correlations between clinicopathological features and OS");
        table5.Columns.Should().Equal("Variable", "n", "HR", "95% CI", "p");
        Labels(table5).Should().Equal(
            "Age, years", "<65", "≥65", "Sex", "Male", "Female", "ECOG", "0", "≥1", "Smoking status", "Non-smoker", "Smoker",
            "Comorbidities", "Absent", "Present", "Disease-free interval after lung surgery", "<12 months", "≥12 months",
            "Sarcoma local recurrence at the time of lung metastasectomy", "Absent", "Present",
            "Complete resection of all metastatic lung nodules", "No", "Yes", "Primary tumor site", "Trunk", "Extremities",
            "Number of metastatic nodules", "1", "≥2", "Maximum size of the metastatic nodules", "<3 cm", "≥3 cm",
            "Laterality of lung metastasis", "Unilateral", "Bilateral", "Surgical method", "Sublobar resection", "Lobectomy/bilobectomy",
            "Approach method", "Thoracotomy", "VATS", "Margin", "Free", "Involved");

        var tableS3 = Engine.Table(report, "table-s3");
        tableS3.Columns.Should().Equal("Variable", "n", "Events", "HR (95% CI)", "Wald p", "LR p", "Log-rank p");
        Labels(tableS3).Should().Equal(Labels(table5));

        var table6 = Engine.Table(report, "table-6");
        table6.Columns.Should().Equal("Variable", "n", "HR", "95% CI", "p");
        table6.Rows.Should().NotBeEmpty();
        table6.Rows.Where(r => !r.IsHeading).Should().Contain(r => r.Cells[2].Text == "1", "reference levels show HR 1 as in the paper");

        var table7 = Engine.Table(report, "table-7");
        table7.Columns.Should().Equal("Histology", "No. of patients (%)");
        var counts = table7.Rows.Select(r => r.Cells[1].Value!.Value).ToList();
        counts.Should().BeInDescendingOrder("Table 7 lists the subtypes by frequency");
        table7.Rows.Sum(r => r.Cells[1].Value!.Value).Should().Be(110);

        var figure2 = Engine.Figure<KaplanMeierFigure>(report, "figure-2");
        figure2.Title.Should().Be("Figure 2. Kaplan-Meier curve of overall survival after lung metastasis surgery");
        figure2.ShowConfidenceBand.Should().BeTrue();
        figure2.Curves.Single().AtRisk.Should().HaveCount(figure2.Ticks.Count);

        var summary = report.Sections.Single(s => s.Id == "summary").Items.OfType<TextItem>().Single().Paragraphs;
        summary.Should().Contain(s => s.StartsWith("The 5-year overall survival was ", StringComparison.Ordinal));
        summary.Should().Contain(s => s.StartsWith("The 5-year cancer-specific survival was ", StringComparison.Ordinal));
        summary.Should().Contain(s => s.StartsWith("The 5-year disease-free survival was ", StringComparison.Ordinal));
        summary.Should().Contain(s => s.StartsWith("The 5-year progression-free survival was ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Simulated_cohorts_run_under_both_conventions_with_all_cells_filled(string name)
    {
        var spec = SimulationSpecs.Find(name)!;
        var cohort = CohortSimulator.Simulate(spec, spec.DefaultSize, 2);
        foreach (var convention in new[] { Convention.R, Convention.Spss })
        {
            var report = StudyRunner.Run(ProtocolLoader.Shipped(name).WithConvention(convention), cohort.Patients, Context);
            foreach (var table in report.Tables)
            {
                table.Rows.Should().OnlyContain(r => r.Cells.Count == table.Columns.Count, $"every row of {table.Id} has a cell per column");
            }

            report.Warnings.Should().NotContain(w => w.Code == "model-not-fitted");
        }
    }
}
