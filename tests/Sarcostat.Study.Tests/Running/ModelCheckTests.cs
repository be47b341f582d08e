using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// The checks issue 5 asks of every multivariate Cox model (proportional hazards, concordance, Firth under monotone
/// likelihood, follow-up) equal the engine's own results for the same data, computed here with the same calls.
/// </summary>
public class ModelCheckTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private const string Protocol = """
        name: checks
        title: Model checks
        endpoints: [OS]
        variables:
          ecog: {label: ECOG, type: categorical}
          age_at_pm: {label: Age, unit: years}
        sections:
          - id: s
            title: S
            items:
              - type: multivariate
                id: table-1
                title: Table 1. Multivariate Cox
                endpoint: OS
                select: {variables: [ecog, age_at_pm]}
        """;

    private const string MonotoneProtocol = """
        name: monotone
        title: Monotone
        endpoints: [OS]
        variables:
          sex: {label: Sex, levels: {male: Male, female: Female}, reference: male}
          dfi_12: {label: Disease-free interval, reference: ">=12 months"}
        sections:
          - id: s
            title: S
            items:
              - type: multivariate
                id: table-1
                title: Table 1. Multivariate Cox
                endpoint: OS
                select: {variables: [sex, dfi_12]}
        """;

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "yes" : "no",
        _ => value.ToString(),
    };

    private static string Methods(StudyReport report) =>
        string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);

    private static (StudyReport Report, EndpointData Os, List<Covariate> Covariates, CoxFit Fit) EcogAndAge()
    {
        var patients = TestCohort.Build(160, 11);
        var protocol = ProtocolLoader.Parse(Protocol, "checks.yaml");
        var report = StudyRunner.Run(protocol, patients, Context);
        var os = new Engine(protocol, patients).Data(Endpoint.OverallSurvival);
        var covariates = new List<Covariate>
        {
            new CategoricalCovariate(Factor.FromValues("ecog", os.Patients.Select(p => Text(p.Value("ecog"))).ToList())),
            new NumericCovariate("age_at_pm", os.Patients.Select(p => p.AgeAtPm ?? double.NaN).ToList()),
        };
        return (report, os, covariates, CoxRegression.Fit(os.Time, os.Event, covariates));
    }

    [Fact]
    public void Each_multivariate_model_is_followed_by_its_proportional_hazards_test()
    {
        var (report, os, covariates, fit) = EcogAndAge();
        // R: cox.zph(coxph(Surv(time, status) ~ ecog + age_at_pm), transform = "km")
        var zph = CoxZph.Test(os.Time, os.Event, covariates, fit, null, ZphTransform.Km);

        var tables = report.Tables.Select(t => t.Id).ToList();
        tables.IndexOf("table-1-ph").Should().Be(tables.IndexOf("table-1") + 1, "the test follows its model's table");
        var ph = Engine.Table(report, "table-1-ph");
        ph.Title.Should().Contain("Proportional-hazards test (scaled Schoenfeld residuals, R cox.zph, km transform)");
        ph.Columns.Should().Equal("Covariate", "Chi-square", "df", "p");
        ph.Rows.Should().HaveCount(3, "ECOG, age and GLOBAL");
        foreach (var (test, label) in new[] { (zph.Tests[0], "ECOG"), (zph.Tests[1], "Age (years)"), (zph.Global, "GLOBAL") })
        {
            int row = Engine.Row(ph, label);
            Approx.Equal(test.ChiSquare, Engine.Cell(ph, row, "Chi-square").Value, $"chi-square of {label}");
            Approx.Equal(test.Df, Engine.Cell(ph, row, "df").Value, $"df of {label}");
            Approx.Equal(test.P, Engine.Cell(ph, row, "p").Value, $"p of {label}");
        }

        zph.Tests[0].Df.Should().BeGreaterThan(1, "ECOG is tested as a whole");
        Methods(report).Should().Contain("as R's cox.zph").And.Contain("Harrell's concordance index").And.NotContain("Firth");
        var flagged = zph.Tests.Append(zph.Global).Count(t => t.P < 0.05);
        report.Warnings.Count(w => w.Code == "proportional-hazards" && w.ItemId == "table-1").Should().Be(flagged);
    }

    [Fact]
    public void A_factor_of_more_than_two_levels_has_its_likelihood_ratio_p_on_its_heading_row()
    {
        var (report, os, covariates, fit) = EcogAndAge();
        // R: fit <- coxph(Surv(time, status) ~ ecog + age_at_pm); drop1(fit, test = "Chisq")
        var tests = CoxCovariateTests.Test(os.Time, os.Event, covariates);
        tests.Fit.LogLik.Should().Be(fit.LogLik);
        var ecog = tests.Tests[0];
        ecog.LikelihoodRatio.DegreesOfFreedom.Should().BeGreaterThan(1, "the test cohort has ECOG 0 to 3");

        var table = Engine.Table(report, "table-1");
        int heading = Engine.Row(table, "ECOG");
        table.Rows[heading].IsHeading.Should().BeTrue();
        Approx.Equal(ecog.LikelihoodRatio.P, Engine.Cell(table, heading, "p").Value, "LR p of ECOG as a whole");
        Engine.Cell(table, heading, "p").Text.Should().Be(JournalFormat.Default.P(ecog.LikelihoodRatio.P));
        // The per-level rows keep their Wald p.
        var term = fit.Terms.First(t => t.Covariate == "ecog");
        Approx.Equal(term.P, Engine.Cell(table, Engine.Row(table, term.Level!, heading), "p").Value, "Wald p of the first non-reference level");
        table.Footnotes.Should().Contain(f => f.Contains("the p on the heading row is the likelihood-ratio test of the factor as a whole", StringComparison.Ordinal));
        Methods(report).Should().Contain("A factor with more than two levels was tested as a whole with the likelihood-ratio test");
    }

    [Fact]
    public void An_LR_column_gives_each_factors_drop1_test_in_a_multivariate_table()
    {
        var patients = TestCohort.Build(160, 11);
        var protocol = ProtocolLoader.Parse(Protocol.Replace("select: {variables: [ecog, age_at_pm]}", "select: {variables: [ecog, age_at_pm]}\n        columns: [n, hr_ci, p_wald, p_lr]", StringComparison.Ordinal), "checks.yaml");
        var report = StudyRunner.Run(protocol, patients, Context);
        var os = new Engine(protocol, patients).Data(Endpoint.OverallSurvival);
        var covariates = new List<Covariate>
        {
            new CategoricalCovariate(Factor.FromValues("ecog", os.Patients.Select(p => Text(p.Value("ecog"))).ToList())),
            new NumericCovariate("age_at_pm", os.Patients.Select(p => p.AgeAtPm ?? double.NaN).ToList()),
        };
        var tests = CoxCovariateTests.Test(os.Time, os.Event, covariates);
        var table = Engine.Table(report, "table-1");
        table.Columns.Should().Equal("Variable", "n", "HR (95% CI)", "Wald p", "LR p");
        Approx.Equal(tests.Tests[0].LikelihoodRatio.P, Engine.Cell(table, Engine.Row(table, "ECOG"), "LR p").Value, "LR p of ECOG");
        Approx.Equal(tests.Tests[1].LikelihoodRatio.P, Engine.Cell(table, Engine.Row(table, "Age (years)"), "LR p").Value, "LR p of age");
        Approx.Equal(tests.Fit.Terms.Single(t => t.Covariate == "age_at_pm").P, Engine.Cell(table, Engine.Row(table, "Age (years)"), "Wald p").Value, "Wald p of age");
        table.Footnotes.Should().Contain(f => f.StartsWith("LR p: likelihood-ratio test of the factor as a whole", StringComparison.Ordinal));
    }

    [Fact]
    public void A_proportional_hazards_p_below_005_is_a_warning_naming_the_model_and_covariate()
    {
        var (_, _, report, zph) = TimeVaryingEcog();
        zph.Tests[0].P.Should().BeLessThan(0.05, "the construction makes ECOG's hazard ratio time-varying");
        report.Warnings.Should().Contain(w => w.Code == "proportional-hazards" && w.ItemId == "table-1"
            && w.Message.StartsWith("Table 1", StringComparison.Ordinal) && w.Message.Contains("'ECOG'", StringComparison.Ordinal));

        // R: plot(cox.zph(fit)[1]): the scaled residuals of ECOG against the km-transformed time, after the test's table.
        var items = report.Sections.SelectMany(s => s.Items).Select(i => i.Id).ToList();
        items.IndexOf("table-1-ph-ecog").Should().Be(items.IndexOf("table-1-ph") + 1);
        var figure = Engine.Figure<ScatterFigure>(report, "table-1-ph-ecog");
        var expected = Enumerable.Range(0, zph.ScaledResiduals.Length).Where(i => zph.ScaledResiduals[i][0] is not null)
            .Select(i => (X: zph.TransformedTime[i], Y: zph.ScaledResiduals[i][0]!.Value)).OrderBy(p => p.X).ToList();
        figure.X.Should().Equal(expected.Select(p => p.X));
        figure.Y.Should().Equal(expected.Select(p => p.Y));
        figure.Caption.Should().Contain("natural cubic spline with 4 df").And.Contain("±2 SE band").And.Contain("as R's plot(cox.zph(fit))");
        report.Figures.OfType<ScatterFigure>().Select(f => f.Id).Should().Equal(
            zph.Tests.Where(t => t.P < 0.05).Select(t => "table-1-ph-" + t.Term), "one plot per covariate with p < 0.05");
    }

    [Fact]
    public void The_residual_plots_smooth_and_band_are_the_engines_spline_smooth_of_the_same_model()
    {
        var (_, _, report, zph) = TimeVaryingEcog();
        zph.Tests[0].P.Should().BeLessThan(0.05);

        // R: plot(cox.zph(coxph(Surv(time, status) ~ ecog + age_at_pm))[1]): the spline (df = 4, nsmo = 40) and ±2 SE band.
        var smooth = CoxZph.Smooth(zph, 0);
        smooth.IsSingular.Should().BeFalse();
        var figure = Engine.Figure<ScatterFigure>(report, "table-1-ph-ecog");
        figure.SmoothX.Should().HaveCount(40);
        foreach (var (name, expected, actual) in new[]
        {
            ("x", smooth.X, figure.SmoothX), ("fit", smooth.Fit, figure.SmoothY),
            ("lower", smooth.Lower, figure.BandLower!), ("upper", smooth.Upper, figure.BandUpper!),
        })
        {
            actual.Should().HaveCount(expected.Count, name);
            for (int i = 0; i < expected.Count; i++)
            {
                Approx.Equal(expected[i], actual[i], $"{name}[{i}]");
            }
        }

        figure.BandLower!.Zip(figure.SmoothY, figure.BandUpper!).Should().OnlyContain(t => t.First < t.Second && t.Second < t.Third);
    }

    [Fact]
    public void A_singular_spline_fit_leaves_the_residual_plot_without_smooth_and_says_so()
    {
        // Deaths at three distinct follow-up times only: the spline with 4 df cannot be fitted (R warns and skips).
        var patients = TestCohort.Build(160, 11).Select(p => p.DeathDate is not null && p.FirstMetastasectomyDate is { } s
            ? p with { DeathDate = s.AddDays(Text(p.Ecog) == "0" ? 1500 : p.Sex == "female" ? 100 : 200), LastContactDate = null }
            : p).ToList();
        var protocol = ProtocolLoader.Parse(Protocol, "checks.yaml");
        var report = StudyRunner.Run(protocol, patients, Context);
        var zph = Zph(protocol, patients);
        zph.TransformedTime.Distinct().Should().HaveCount(3);
        var k = Enumerable.Range(0, zph.Tests.Count).First(i => zph.Tests[i].P < 0.05);
        CoxZph.Smooth(zph, k).IsSingular.Should().BeTrue();

        var figure = Engine.Figure<ScatterFigure>(report, "table-1-ph-" + zph.Tests[k].Term);
        figure.X.Should().NotBeEmpty();
        figure.SmoothX.Should().BeEmpty();
        figure.SmoothY.Should().BeEmpty();
        figure.BandLower.Should().BeNull();
        figure.BandUpper.Should().BeNull();
        figure.Caption.Should().Contain("No smooth is drawn").And.Contain("singular");
    }

    /// <summary>
    /// Deaths of ECOG 0 patients only late, of the others only early: ECOG's hazard ratio changes over time (cox.zph
    /// p &lt; 0.05). The report, and cox.zph (km) of its model by the engine.
    /// </summary>
    private static (List<Patient> Patients, StudyProtocol Protocol, StudyReport Report, CoxZphResult Zph) TimeVaryingEcog()
    {
        var patients = TestCohort.Build(160, 11).Select(p => p.DeathDate is { } d && p.FirstMetastasectomyDate is { } s
            ? p with { DeathDate = Text(p.Ecog) == "0" ? d.AddDays(1500) : s.AddDays(1 + ((d.DayNumber - s.DayNumber) % 200)), LastContactDate = null }
            : p).ToList();
        var protocol = ProtocolLoader.Parse(Protocol, "checks.yaml");
        return (patients, protocol, StudyRunner.Run(protocol, patients, Context), Zph(protocol, patients));
    }

    /// <summary>cox.zph (km) of the model ecog + age_at_pm on the report's OS data, by the engine.</summary>
    private static CoxZphResult Zph(StudyProtocol protocol, IReadOnlyList<Patient> patients)
    {
        var os = new Engine(protocol, patients).Data(Endpoint.OverallSurvival);
        var covariates = new List<Covariate>
        {
            new CategoricalCovariate(Factor.FromValues("ecog", os.Patients.Select(p => Text(p.Value("ecog"))).ToList())),
            new NumericCovariate("age_at_pm", os.Patients.Select(p => p.AgeAtPm ?? double.NaN).ToList()),
        };
        return CoxZph.Test(os.Time, os.Event, covariates, CoxRegression.Fit(os.Time, os.Event, covariates));
    }

    [Fact]
    public void The_multivariate_footnotes_give_Harrells_C_with_its_standard_error()
    {
        var (report, os, covariates, fit) = EcogAndAge();
        // R: concordance(coxph(Surv(time, status) ~ ecog + age_at_pm))
        var c = Concordance.Harrell(os.Time, os.Event, covariates, fit);
        Engine.Table(report, "table-1").Footnotes.Should().Contain(
            $"Harrell's C = {JournalFormat.Number(c.C, 2)} (SE {JournalFormat.Number(c.StdError, 2)}), as R concordance() on the fit.");
    }

    [Fact]
    public void A_monotone_likelihood_adds_the_Firth_penalised_model_and_says_which_estimator_gave_each_row()
    {
        // Women never die: the hazard ratio of women vs men is 0 (the likelihood is monotone).
        var patients = TestCohort.Build(60, 8).Select(p => p.Sex == "female"
            ? p with { VitalStatus = "alive", DeathDate = null, CauseOfDeath = null }
            : p).ToList();
        var protocol = ProtocolLoader.Parse(MonotoneProtocol, "monotone.yaml");
        var report = StudyRunner.Run(protocol, patients, Context);
        var os = new Engine(protocol, patients).Data(Endpoint.OverallSurvival);
        var covariates = new List<Covariate>
        {
            new CategoricalCovariate(Factor.FromValues("sex", os.Patients.Select(p => Text(p.Value("sex"))).ToList(), "male")),
            new CategoricalCovariate(Factor.FromValues("dfi_12", os.Patients.Select(p => Text(p.Value("dfi_12"))).ToList(), ">=12 months")),
        };
        CoxRegression.Fit(os.Time, os.Event, covariates).Warnings.Should().Contain(w => w.Code == "monotone-likelihood");
        // R: coxphf(Surv(time, status) ~ sex + dfi_12)
        var firth = CoxFirth.Fit(os.Time, os.Event, covariates);

        var tables = report.Tables.Select(t => t.Id).ToList();
        tables.Should().ContainInOrder("table-1", "table-1-ph", "table-1-firth");
        var table = Engine.Table(report, "table-1-firth");
        table.Title.Should().Contain("Firth-penalised (monotone likelihood)");
        table.Rows.Should().HaveCount(firth.Terms.Count);
        for (int i = 0; i < firth.Terms.Count; i++)
        {
            var term = firth.Terms[i];
            Approx.Equal(term.HazardRatio, Engine.Cell(table, i, "HR").Value, $"Firth HR of {term.Term}");
            Approx.Equal(term.P, Engine.Cell(table, i, "p").Value, $"Firth p of {term.Term}");
            Engine.Cell(table, i, "95% CI (profile)").Text.Should().Be(term.Lower is { } lo && term.Upper is { } hi
                ? JournalFormat.Default.HazardRatioInterval(lo, hi) : JournalFormat.NotAvailable);
        }

        Engine.Row(table, "Sex (Female)").Should().Be(0);
        table.Footnotes[0].Should().StartWith("Firth-penalised (monotone likelihood)").And.Contain("R coxphf");
        Engine.Table(report, "table-1").Footnotes.Should().Contain(f => f.Contains("ordinary maximum-likelihood Cox estimates", StringComparison.Ordinal));
        Methods(report).Should().Contain("The model of Table 1 was also fitted with Firth's penalised Cox regression");
    }

    [Theory]
    [InlineData("always", true)]
    [InlineData("never", false)]
    public void The_protocol_can_force_or_forbid_the_Firth_table(string mode, bool shown)
    {
        var patients = TestCohort.Build(160, 11);
        var protocol = ProtocolLoader.Parse(Protocol.Replace("select: {variables: [ecog, age_at_pm]}", $"select: {{variables: [ecog, age_at_pm]}}\n        firth: {mode}", StringComparison.Ordinal), "checks.yaml");
        protocol.Items.OfType<MultivariateTableSpec>().Single().Firth.Should().Be(shown ? FirthMode.Always : FirthMode.Never);
        var report = StudyRunner.Run(protocol, patients, Context);
        if (!shown)
        {
            report.Tables.Should().NotContain(t => t.Id == "table-1-firth");
            return;
        }

        var os = new Engine(protocol, patients).Data(Endpoint.OverallSurvival);
        var covariates = new List<Covariate>
        {
            new CategoricalCovariate(Factor.FromValues("ecog", os.Patients.Select(p => Text(p.Value("ecog"))).ToList())),
            new NumericCovariate("age_at_pm", os.Patients.Select(p => p.AgeAtPm ?? double.NaN).ToList()),
        };
        // R: coxphf(Surv(time, status) ~ ecog + age_at_pm)
        var firth = CoxFirth.Fit(os.Time, os.Event, covariates);
        var table = Engine.Table(report, "table-1-firth");
        table.Footnotes[0].Should().StartWith("Firth-penalised (requested by the protocol, firth: always");
        table.Rows.Select(r => r.Cells[1].Value).Should().HaveCount(firth.Terms.Count);
        for (int i = 0; i < firth.Terms.Count; i++)
        {
            Approx.Equal(firth.Terms[i].HazardRatio, Engine.Cell(table, i, "HR").Value, $"Firth HR of {firth.Terms[i].Term}");
        }
    }

    [Fact]
    public void A_regular_likelihood_adds_no_Firth_table()
    {
        var (report, _, _, fit) = EcogAndAge();
        fit.Warnings.Should().BeEmpty();
        report.Tables.Should().NotContain(t => t.Id == "table-1-firth");
    }
}
