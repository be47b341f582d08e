using Sarcostat.Study.Results;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Reports.Tests;

/// <summary>Reports built by hand for the tests: small exact figures, and a paper-001-like report for looking at.</summary>
internal static class SampleReports
{
    public static readonly DateOnly Date = new(2025, 3, 14);

    /// <summary>
    /// Two curves with known censor times. Curve A: deaths at 5 and 20, censored at 8, 30 and 30 (one distinct time)
    /// and at 70 (beyond the axis). Curve B: deaths at 3, 10, 40; censored at 15 and 50.
    /// </summary>
    public static KaplanMeierFigure SmallKaplanMeier(bool band = true) => new(
        "figure-2",
        "Figure 2. Disease-specific survival by disease-free interval.",
        "Tick marks show censored observations.",
        "Months after first metastasectomy",
        "Disease-specific survival",
        [0, 12, 24, 36, 48, 60],
        [
            new KaplanMeierCurve(
                "DFI \u2265 12 months (n = 6)",
                [new(0, 1, 1, 1), new(5, 5.0 / 6, 0.58, 1), new(20, 0.625, 0.33, 1)],
                [8, 30, 30, 70],
                [6, 4, 3, 1, 1, 1]),
            new KaplanMeierCurve(
                "DFI < 12 months (n = 5)",
                [new(0, 1, 1, 1), new(3, 0.8, 0.52, 1), new(10, 0.6, 0.29, 1), new(40, 0.3, 0.06, 1)],
                [15, 50],
                [5, 3, 2, 2, 1, 0]),
        ],
        band,
        "Log-rank p = 0.012");

    /// <summary>Paper 001 Table 3 as a forest plot, with a reference row, an HR of exactly 1 and an infinite upper limit.</summary>
    public static ForestFigure Forest() => new(
        "figure-3",
        "Figure 3. Multivariate Cox model of disease-specific survival.",
        "HR: hazard ratio; CI: confidence interval.",
        [
            new ForestRow("DFI \u2265 12 months", null, null, null, "1 (reference)", IsReference: true),
            new ForestRow("DFI < 12 months", 3.544, 1.422, 8.832, "3.54 (1.42\u20138.83), p = 0.007"),
            new ForestRow("UPS", 2.882, 0.858, 9.684, "2.88 (0.86\u20139.68), p = 0.087"),
            new ForestRow("Multiple lung metastases", 1.0, 0.5, 2.0, "1.00 (0.50\u20132.00), p > 0.99"),
            new ForestRow("Largest lesion \u2265 20 mm", 3.159, 1.117, 8.930, "3.16 (1.12\u20138.93), p = 0.030"),
            new ForestRow("Non-curative resection", 12.161, 2.011, double.PositiveInfinity, "12.16 (2.01\u2013Inf), p = 0.007"),
        ],
        "Hazard ratio (95% CI, log scale)");

    /// <summary>Paper 001 section 3.1: 95 identified, 26 excluded by primary site (13, 1, 9, 3), 3 operated elsewhere, 66 analysed.</summary>
    public static FlowFigure Flow() => new(
        "figure-1",
        "Figure 1. Patient selection.",
        "PM: pulmonary metastasectomy; STS: soft tissue sarcoma.",
        [
            new FlowBox("Curative-intent PM for STS, 2007\u20132021", 95, new FlowExclusion(
                "Excluded: primary site",
                26,
                [new("Parenchymal organs", 13), new("Mediastinum", 1), new("Retroperitoneum", 9), new("Head and neck", 3)])),
            new FlowBox("Trunk wall or extremity primary", 69, new FlowExclusion("Excluded: initial PM at another hospital", 3, [])),
            new FlowBox("Analysed", 66, null),
        ]);

    /// <summary>An excerpt of paper 001 Table 2: heading rows, indented levels, a label with "&lt;", a footnote.</summary>
    public static TableItem Table2() => new(
        "table-2",
        "Table 2. Univariate analyses of factors associated with disease-specific survival.",
        ["Variable", "n", "5-Year Survival (%)", "p"],
        [
            new TableRow(["Sex"], IsHeading: true),
            new TableRow(["Male", new TableCell("38", 38), new TableCell("53", 53.2), new TableCell("0.75", 0.7512)], Indent: 1),
            new TableRow(["Female", new TableCell("28", 28), new TableCell("28", 28.4), ""], Indent: 1),
            new TableRow(["Disease-free interval"], IsHeading: true),
            new TableRow(["<12 months", new TableCell("22", 22), new TableCell("23", 23.1), new TableCell("0.001", 0.00087)], Indent: 1),
            new TableRow(["\u226512 months", new TableCell("44", 44), new TableCell("55", 55.0), ""], Indent: 1),
            new TableRow(["Primary histology"], IsHeading: true),
            new TableRow(["Liposarcoma", new TableCell("10", 10), new TableCell("57", 57.0), new TableCell("0.95", 0.95)], Indent: 1),
            new TableRow(["Dedifferentiated, \"DDLPS\"", new TableCell("5", 5), "", ""], Indent: 2),
            new TableRow(["Non-liposarcoma", new TableCell("56", 56), new TableCell("44", 44.0), ""], Indent: 1),
            new TableRow(["Size of largest lung lesion"], IsHeading: true),
            new TableRow(["<20 mm", new TableCell("48", 48), new TableCell("57", 57.0), new TableCell("<0.001", 0.00002)], Indent: 1),
            new TableRow(["\u226520 mm", new TableCell("18", 18), new TableCell("10", 10.0), ""], Indent: 1),
        ],
        ["SS: synovial sarcoma; UPS: undifferentiated pleomorphic sarcoma; MFS: myxofibrosarcoma.", "p: log-rank test."]);

    /// <summary>Paper 001 Table 3.</summary>
    public static TableItem Table3() => new(
        "table-3",
        "Table 3. Multivariate analyses of factors associated with disease-specific survival after pulmonary metastasectomy.",
        ["Variable", "HR", "95% CI", "p"],
        [
            new TableRow(["Disease-free interval (<12 months)", new TableCell("3.544", 3.544), new TableCell("1.422\u20138.832") { Lower = 1.422, Upper = 8.832 }, new TableCell("0.007", 0.007)]),
            new TableRow(["UPS", new TableCell("2.882", 2.882), new TableCell("0.858\u20139.684") { Lower = 0.858, Upper = 9.684 }, new TableCell("0.087", 0.087)]),
            new TableRow(["Number of lung metastasis (multiple)", new TableCell("1.195", 1.195), new TableCell("0.496\u20132.877") { Lower = 0.496, Upper = 2.877 }, new TableCell("0.691", 0.691)]),
            new TableRow(["Size of largest lung lesion (\u226520 mm)", new TableCell("3.159", 3.159), new TableCell("1.117\u20138.930") { Lower = 1.117, Upper = 8.930 }, new TableCell("0.03", 0.03)]),
            new TableRow(["Non-curative resection", new TableCell("12.161", 12.161), new TableCell("2.011\u201374.817") { Lower = 2.011, Upper = 74.817 }, new TableCell("0.007", 0.007)]),
        ],
        ["HR: hazard ratio; CI: confidence interval; UPS: undifferentiated pleomorphic sarcoma."]);

    public static ScatterFigure Schoenfeld()
    {
        var random = new Random(20250314);
        var x = Enumerable.Range(0, 40).Select(i => 2.0 + (i * 3.1)).ToArray();
        var y = x.Select(t => 1.2 - (0.004 * t) + ((random.NextDouble() - 0.5) * 3)).ToArray();
        var sx = Enumerable.Range(0, 21).Select(i => 2.0 + (i * 6.045)).ToArray();
        var sy = sx.Select(t => 1.2 - (0.004 * t)).ToArray();
        var half = sx.Select(t => 0.5 + (0.004 * Math.Abs(t - 62))).ToArray();
        return new ScatterFigure(
            "figure-5",
            "Figure 5. Scaled Schoenfeld residuals for disease-free interval < 12 months.",
            "Solid line: spline smooth of the residuals against time; dashed: its ±2 SE band. A flat line supports proportional hazards.",
            "Months",
            "Beta(t) for DFI < 12 months",
            x,
            y,
            sx,
            sy,
            "PH test p = 0.41",
            sy.Zip(half, (s, h) => s - h).ToArray(),
            sy.Zip(half, (s, h) => s + h).ToArray());
    }

    public static ReportProvenance Provenance() => new(
        "0.1.0",
        "nakayama2022",
        "3f2a9c0d1e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
        [new("cohort.csv", "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90")],
        Date,
        "SPSS",
        [new("Ties", "Breslow (SPSS)"), new("Survival CI", "log-log"), new("Median CI", "SPSS: Collett's standard error"), new("Tests", "log-rank; Wald for Cox terms")]);

    /// <summary>A whole report: Methods text, Table 2, Table 3, the flow diagram, the small KM, the forest plot, a scatter, warnings.</summary>
    public static StudyReport Small() => new(
        "Pulmonary metastasectomy for STS of the trunk wall and extremities <demo>",
        Provenance(),
        [
            new ReportSection("patients", "Patients", [
                new TextItem("methods", "Methods", [
                    "Disease-specific survival was measured from the first metastasectomy & censored at last follow-up.",
                    "The log-rank test compared groups; factors with p < 0.05 entered a Cox model.",
                ]),
                Flow(),
                Table2(),
            ]),
            new ReportSection("survival", "Survival", [
                SmallKaplanMeier(),
                Table3(),
                Forest(),
                Schoenfeld(),
            ]),
        ],
        [
            new ReportWarning("events-per-variable", "The multivariate model has 5 terms for 31 events (6.2 events per term; 10 advised).", "table-3"),
            new ReportWarning("infinite-estimate", "Non-curative resection: the upper confidence limit is infinite.", "figure-3"),
            new ReportWarning("dss-definition", "The protocol's DSS counts deaths from any cause (no cause-of-death data)."),
        ]);

    /// <summary>
    /// A report shaped like paper 001's results, with curves fitted by the engine on a seeded simulated cohort of
    /// 66 (22 with DFI &lt; 12 months): for looking at in a browser and for the Chromium screenshot test.
    /// </summary>
    public static StudyReport Paper001Like()
    {
        var random = new Random(66);
        var shortDfi = Simulate(random, 22, medianMonths: 22);
        var longDfi = Simulate(random, 44, medianMonths: 75);
        var all = (shortDfi.Time.Concat(longDfi.Time).ToArray(), shortDfi.Status.Concat(longDfi.Status).ToArray());
        double[] ticks = [0, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120];

        var overall = KaplanMeier.Fit(all.Item1, all.Item2);
        var figureOverall = new KaplanMeierFigure(
            "figure-2",
            "Figure 2. Disease-specific survival after pulmonary metastasectomy.",
            "Shaded: pointwise 95% confidence interval (log). +: censored.",
            "Months after first metastasectomy",
            "Disease-specific survival",
            ticks,
            [Curve("All patients", overall, ticks)],
            ShowConfidenceBand: true,
            Annotation: "5-year DSS 45% (95% CI 32\u201358%)");
        var figureByDfi = new KaplanMeierFigure(
            "figure-3",
            "Figure 3. Disease-specific survival by disease-free interval.",
            "+: censored.",
            "Months after first metastasectomy",
            "Disease-specific survival",
            ticks,
            [
                Curve("DFI \u2265 12 months", KaplanMeier.Fit(longDfi.Time, longDfi.Status), ticks),
                Curve("DFI < 12 months", KaplanMeier.Fit(shortDfi.Time, shortDfi.Status), ticks),
            ],
            ShowConfidenceBand: false,
            Annotation: "Log-rank p = 0.001");

        var forest = Forest() with { Id = "figure-4", Title = "Figure 4. Hazard ratios of the multivariate Cox model." };
        return new StudyReport(
            "Prognostic factors of pulmonary metastasectomy for soft tissue sarcomas of the trunk wall and extremities",
            Provenance(),
            [
                new ReportSection("methods", "Methods", [
                    new TextItem("methods-text", string.Empty, [
                        "Disease-specific survival (DSS) was measured from the date of the first pulmonary metastasectomy (PM) to death; " +
                        "surviving patients were censored at last follow-up. Survival was estimated with the Kaplan\u2013Meier method and " +
                        "compared with the log-rank test. Factors with p < 0.05 in univariate analysis entered a multivariate Cox proportional " +
                        "hazards model (Breslow ties). Analyses used Sarcostat 0.1.0 under the SPSS convention.",
                    ]),
                ]),
                new ReportSection("patients", "Patients", [Flow(), Table2()]),
                new ReportSection("survival", "Disease-specific survival", [
                    new TextItem("results-text", string.Empty, ["The median DSS was 48 months (95% CI 29.4\u201366.6) and the 5-year DSS 45%."]),
                    figureOverall,
                    figureByDfi,
                    Table3(),
                    forest,
                    Schoenfeld(),
                ]),
            ],
            [
                new ReportWarning("events-per-variable", "The multivariate model has 5 terms for 31 events (6.2 events per term; 10 advised).", "table-3"),
                new ReportWarning("infinite-estimate", "Non-curative resection: the upper confidence limit is infinite (3 patients, all died).", "figure-4"),
                new ReportWarning("dss-definition", "The protocol's DSS counts deaths from any cause because the cohort has no cause of death."),
            ]);
    }

    private static (double[] Time, bool[] Status) Simulate(Random random, int n, double medianMonths)
    {
        var time = new double[n];
        var status = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var death = -Math.Log(1 - random.NextDouble()) * medianMonths / Math.Log(2);
            var censor = 6 + (random.NextDouble() * 150);
            time[i] = Math.Round(Math.Min(death, censor), 1);
            status[i] = death <= censor;
        }

        return (time, status);
    }

    private static KaplanMeierCurve Curve(string label, KaplanMeierFit fit, double[] ticks)
    {
        var points = new List<CurvePoint> { new(0, 1, 1, 1) };
        points.AddRange(fit.Steps.Where(s => s.NEvent > 0).Select(s => new CurvePoint(s.Time, s.Survival, s.Lower, s.Upper)));
        var censored = fit.Steps.Where(s => s.NCensor > 0).Select(s => s.Time).ToList();
        var atRisk = fit.At(ticks).Select(p => p.NRisk).ToList();
        return new KaplanMeierCurve($"{label} (n = {fit.N})", points, censored, atRisk);
    }
}
