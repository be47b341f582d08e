using System.Globalization;
using System.Text.Json;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Study.Tests.Running;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Study.Tests.Analysis;

/// <summary>
/// The univariate screen called directly: against R on R's lung data, and equal, number for number, to the report's
/// univariate table that lays it out (one code path; the CLI's side is in the CLI tests).
/// </summary>
public class UnivariateScreenTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sarcostat.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>R's lung data (tools/reference/data/lung.csv): time, status (1 = death), and one column as text (NA = missing).</summary>
    private static (double[] Time, bool[] Event, List<string?> Column) Lung(string column)
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "tools", "reference", "data", "lung.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        int t = header.IndexOf("time"), s = header.IndexOf("status"), c = header.IndexOf(column);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        return (
            rows.Select(r => double.Parse(r[t], CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => r[s] == "1").ToArray(),
            rows.Select(r => r[c] == "NA" ? null : r[c]).ToList());
    }

    private static JsonElement Golden(string file, string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "tools", "reference", "golden", file + ".json")));
        var root = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("cases");
        return root.EnumerateArray().First(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static void Close(double expected, double? actual, double tolerance, string what)
    {
        actual.Should().NotBeNull(what);
        Math.Abs(actual!.Value - expected).Should().BeLessThanOrEqualTo(tolerance * Math.Max(1, Math.Abs(expected)), what);
    }

    [Fact]
    public void A_factor_screened_on_lung_matches_R_survdiff_and_coxph()
    {
        // R (tools/reference/cox.R, case lung_ecog_factor_alone): survdiff(Surv(time, status) ~ ph.ecog, lung) and
        // coxph(Surv(time, status) ~ factor(ph.ecog), lung) with drop1.
        var (time, ev, ecog) = Lung("ph.ecog");
        var golden = Golden("cox_cases", "lung_ecog_factor_alone");
        var r = UnivariateScreen.Run(time, ev, [new CategoricalVariable("ph.ecog", ecog, ["0", "1", "2", "3"])], new UnivariateScreenOptions())[0];

        r.Missing.Should().Be(1);
        r.Levels.Select(l => l.N).Should().Equal(golden.GetProperty("logrank").GetProperty("n").EnumerateArray().Select(x => x.GetInt32()));
        r.Levels.Select(l => l.Events).Should().Equal(golden.GetProperty("logrank").GetProperty("observed").EnumerateArray().Select(x => x.GetInt32()));
        Close(golden.GetProperty("logrank").GetProperty("chisq").GetDouble(), r.LogRank?.ChiSquare, 1e-10, "log-rank chi-square");
        Close(golden.GetProperty("logrank").GetProperty("p").GetDouble(), r.LogRankP, 1e-10, "log-rank p");
        Close(golden.GetProperty("lr_test")[2].GetDouble(), r.LikelihoodRatioP, 1e-6, "LR p of the factor");
        r.IsMultiLevel.Should().BeTrue();
        r.CoxP.Should().Be(r.LikelihoodRatioP, "a factor of more than two levels is tested as a whole");
        var p = golden.GetProperty("p").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var hr = golden.GetProperty("hr").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        for (int i = 0; i < 3; i++)
        {
            var term = r.Cox!.Term("ph.ecog", (i + 1).ToString(CultureInfo.InvariantCulture));
            Close(p[i], term?.P, 1e-6, $"Wald p of level {i + 1}");
            Close(hr[i], term?.HazardRatio, 1e-6, $"HR of level {i + 1}");
        }

        r.Term!.Reference.Should().Be("0");
    }

    [Fact]
    public void A_declared_reference_and_a_level_nobody_has_are_kept_apart()
    {
        var (time, ev, ecog) = Lung("ph.ecog");
        var r = UnivariateScreen.Run(time, ev, [new CategoricalVariable("ph.ecog", ecog, ["0", "1", "2", "3", "4"]) { Reference = "1" }], new UnivariateScreenOptions())[0];
        r.Levels.Select(l => l.Level).Should().Equal("0", "1", "2", "3", "4");
        r.Levels[4].N.Should().Be(0, "a declared level nobody has is shown with n = 0");
        r.Term!.Levels.Should().Equal(["1", "0", "2", "3"], "the reference first, absent levels out of the model");

        // R: relevel(factor(ph.ecog), "1"): the coefficient of level 0 is minus that of level 1 against 0.
        var golden = Golden("cox_cases", "lung_ecog_factor_alone");
        Close(-golden.GetProperty("coef")[0].GetDouble(), r.Cox!.Term("ph.ecog", "0")?.Coef, 1e-6, "coefficient of 0 against 1");
    }

    [Fact]
    public void Trouble_is_reported_beside_the_result_with_its_code()
    {
        var (time, ev, _) = Lung("ph.ecog");
        var oneLevel = Enumerable.Repeat<string?>("a", time.Length).ToList();
        var noEvents = Enumerable.Range(0, time.Length).Select(i => ev[i] ? "x" : (i % 2 == 0 ? "x" : "y")).Select(v => (string?)v).ToList();
        var rs = UnivariateScreen.Run(time, ev, [new CategoricalVariable("one", oneLevel, ["a", "b"]), new CategoricalVariable("split", noEvents, ["x", "y"])], new UnivariateScreenOptions());

        rs[0].Issues.Should().ContainSingle().Which.Code.Should().Be("not-estimable");
        rs[0].LogRank.Should().BeNull();
        rs[0].Cox.Should().BeNull();

        rs[1].Issues.Select(i => i.Code).Should().Contain("no-events-in-group").And.Contain("monotone-likelihood");
        rs[1].Issues.Should().NotContain(i => i.Code == "group-without-events", "the screen reports an eventless level once, in the study's words");
        rs[1].Issues.First(i => i.Code == "no-events-in-group").Should().Match<AnalysisIssue>(i => i.Level == "y" && i.Count > 0);
    }

    [Fact]
    public void Arguments_of_the_wrong_length_are_a_programming_error()
    {
        var act = () => UnivariateScreen.Run([1, 2, 3], [true, false, true], [new NumericVariable("x", [1.0, 2.0])], new UnivariateScreenOptions());
        act.Should().Throw<ArgumentException>().WithMessage("*'x' has 2 values for 3 rows*");
    }

    [Fact]
    public void The_report_lays_out_the_numbers_of_the_screen_called_directly()
    {
        var protocol = ProtocolLoader.Shipped("nakayama2022");
        var patients = TestCohort.Build(160, 11);
        var report = StudyRunner.Run(protocol, patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var engine = new Engine(protocol, patients);
        var dss = engine.Data(Endpoint.DiseaseSpecificSurvival);
        var table = Engine.Table(report, "table-2");

        foreach (var (name, heading) in new[] { ("dfi_12", "Disease-free interval"), ("curative_resection", "Curative resection") })
        {
            var values = dss.Patients.Select(p => p.Value(name) switch { null => null, bool b => b ? "yes" : "no", var v => v.ToString() }).ToList();
            var levels = values.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var screened = UnivariateScreen.Run(dss.Time, dss.Event, [new CategoricalVariable(name, values, levels)], new UnivariateScreenOptions { CoxModels = false })[0];
            int row = Engine.Row(table, heading) + 1;
            Engine.Cell(table, row, "p").Value.Should().Be(screened.LogRankP, $"{name}: the same code path gives the same bits");
            screened.LogRank!.P.Should().BeGreaterThan(0);
        }
    }
}
