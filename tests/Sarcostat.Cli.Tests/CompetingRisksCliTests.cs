using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// End to end: <c>sarcostat cuminc</c> and <c>sarcostat crr</c> with <c>--json</c> on the exported datasets and a
/// hand-made file give R cmprsk's golden values (tools/reference/cmprsk.R), and their errors are located.
/// </summary>
public class CompetingRisksCliTests
{
    private static JsonElement GoldenCase(string file, string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Cli.Golden(file)));
        return doc.RootElement.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static double Num(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;

    private static void Close(double expected, JsonElement actual, double rel, string what)
    {
        double a = actual.ValueKind == JsonValueKind.Number ? actual.GetDouble() : double.NaN;
        if (double.IsNaN(expected))
        {
            double.IsNaN(a).Should().BeTrue($"{what}: expected NA, actual {actual}");
            return;
        }

        Math.Abs(a - expected).Should().BeLessThanOrEqualTo(Math.Max(rel * Math.Abs(expected), 1e-15), $"{what}: expected {expected:R}, actual {a:R}");
    }

    private static void CompareCuminc(JsonElement json, JsonElement golden)
    {
        var at = json.GetProperty("at").EnumerateArray().ToList();
        var curves = golden.GetProperty("curves").EnumerateArray().ToList();
        at.Should().HaveCount(curves.Count);
        foreach (var g in curves)
        {
            string cause = g.GetProperty("cause").GetString()!;
            string? group = g.GetProperty("group").ValueKind == JsonValueKind.String ? g.GetProperty("group").GetString() : null;
            var row = at.Single(a => a.GetProperty("cause").GetString() == cause
                && (a.GetProperty("group").ValueKind == JsonValueKind.Null ? null : a.GetProperty("group").GetString()) == group);
            var points = row.GetProperty("points").EnumerateArray().ToArray();
            var est = g.GetProperty("at").GetProperty("est").EnumerateArray().Select(Num).ToArray();
            var var = g.GetProperty("at").GetProperty("var").EnumerateArray().Select(Num).ToArray();
            var lower = g.GetProperty("ci_loglog").GetProperty("lower").EnumerateArray().Select(Num).ToArray();
            var upper = g.GetProperty("ci_loglog").GetProperty("upper").EnumerateArray().Select(Num).ToArray();
            points.Should().HaveCount(est.Length);
            for (int i = 0; i < est.Length; i++)
            {
                string w = $"cause {cause} group {group} point {i}";
                Close(est[i], points[i].GetProperty("estimate"), 1e-10, w + " estimate");
                Close(var[i], points[i].GetProperty("variance"), 1e-10, w + " variance");
                Close(lower[i], points[i].GetProperty("lower"), 1e-10, w + " lower");
                Close(upper[i], points[i].GetProperty("upper"), 1e-10, w + " upper");
            }
        }

        var tests = json.GetProperty("tests").EnumerateArray().ToList();
        if (golden.GetProperty("tests").ValueKind != JsonValueKind.Array)
        {
            tests.Should().BeEmpty();
            return;
        }

        foreach (var t in golden.GetProperty("tests").EnumerateArray())
        {
            var mine = tests.Single(x => x.GetProperty("cause").GetString() == t.GetProperty("cause").GetString());
            Close(t.GetProperty("stat").GetDouble(), mine.GetProperty("statistic"), 1e-9, "Gray statistic");
            mine.GetProperty("degreesOfFreedom").GetInt32().Should().Be((int)t.GetProperty("df").GetDouble());
        }
    }

    [Fact]
    public void Cuminc_json_on_mgus2_by_sex_stratified_matches_cmprsk()
    {
        // R: cuminc(etime, event, group = sex, strata = agegrp); timepoints(fit, c(12, 60, 120, 240, 360, 420))
        var r = Cli.Run("cuminc", Cli.Data("mgus2"), "--time", "etime", "--status", "event", "--cause", "1",
            "--group", "sex", "--strata", "agegrp", "--at", "12,60,120,240,360,420", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var json = r.Json();
        json.GetProperty("n").GetInt32().Should().Be(1384);
        CompareCuminc(json, GoldenCase("cmprsk_cuminc", "mgus2_by_sex_strata_agegrp"));
    }

    [Fact]
    public void Cuminc_json_on_the_hand_made_ties_matches_cmprsk_with_text_status_codes()
    {
        // R: cuminc(time, status, group) on golden edge_ties; here the codes are words (censored, a, b, c for 0..3)
        var golden = GoldenCase("cmprsk_cuminc", "edge_ties");
        var time = golden.GetProperty("time").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var status = golden.GetProperty("status").EnumerateArray().Select(e => (int)e.GetDouble()).ToArray();
        var group = golden.GetProperty("group").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[] words = ["censored", "1", "2", "3"];
        var csv = new StringBuilder("time;status;arm\n");
        for (int i = 0; i < time.Length; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{time[i]};{words[status[i]]};{group[i]}\n");
        }

        using var dir = Cli.Temp();
        var file = dir.Write("edge.csv", csv.ToString());
        var at = string.Join(",", golden.GetProperty("at").EnumerateArray().Select(e => e.GetDouble().ToString(CultureInfo.InvariantCulture)));
        var r = Cli.Run("cuminc", file, "--time", "time", "--status", "status", "--cause", "2", "--censor", "censored", "--group", "arm", "--at", at, "--json");
        r.ExitCode.Should().Be(0, r.Error);
        CompareCuminc(r.Json(), golden);
    }

    [Fact]
    public void Crr_json_on_mgus2_with_word_codes_matches_cmprsk()
    {
        // R: crr(etime, event, model.matrix(~ age + sex + mspike)[, -1], failcode = 1, cencode = 0); here event_text pcm/censor
        var r = Cli.Run("crr", Cli.Data("mgus2"), "--time", "etime", "--status", "event_text", "--cause", "pcm", "--censor", "censor",
            "--covariates", "age,sex,mspike", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var fit = r.Json().GetProperty("fit");
        var golden = GoldenCase("cmprsk_crr", "mgus2_pcm");
        fit.GetProperty("n").GetInt32().Should().Be((int)golden.GetProperty("n").GetDouble());
        fit.GetProperty("nDropped").GetInt32().Should().Be((int)golden.GetProperty("n_missing").GetDouble());
        var terms = fit.GetProperty("terms").EnumerateArray().ToArray();
        var coef = golden.GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var se = golden.GetProperty("se").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var lower = golden.GetProperty("lower").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        terms.Select(t => t.GetProperty("term").GetString()).Should().Equal(golden.GetProperty("terms").EnumerateArray().Select(e => e.GetString()));
        for (int j = 0; j < coef.Length; j++)
        {
            Close(coef[j], terms[j].GetProperty("coef"), 1e-6, $"coef {j}");
            Close(se[j], terms[j].GetProperty("stdError"), 1e-6, $"se {j}");
            Close(lower[j], terms[j].GetProperty("lower"), 1e-6, $"lower {j}");
        }

        Close(golden.GetProperty("loglik").GetDouble(), fit.GetProperty("logLik"), 1e-6, "loglik");
    }

    [Fact]
    public void Crr_with_a_reference_level_and_numeric_factor_runs_and_names_the_terms()
    {
        var r = Cli.Run("crr", Cli.Data("cmprsk_sim"), "--time", "time", "--status", "status", "--cause", "2",
            "--covariates", "group,x1", "--reference", "group=c");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("groupa").And.Contain("groupb").And.NotContain("groupc ");
    }

    [Fact]
    public void Cuminc_text_output_names_the_cause_of_interest_and_the_test()
    {
        var r = Cli.Run("cuminc", Cli.Data("cmprsk_sim"), "--time", "time", "--status", "status", "--cause", "1", "--group", "group");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("1 (of interest)").And.Contain("Gray's test").And.Contain("2 = competing cause");
    }

    [Fact]
    public void A_data_problem_exits_1_and_a_usage_problem_exits_2()
    {
        using var dir = Cli.Temp();
        var file = dir.Write("d.csv", "t,st,x\n1,0,1\n2,0,2\n3,2,3\n");
        var none = Cli.Run("crr", file, "--time", "t", "--status", "st", "--cause", "1", "--covariates", "x");
        none.ExitCode.Should().Be(1);
        none.Error.Should().Contain("--cause").And.Contain("whose values are: 0, 2");
        var usage = Cli.Run("crr", file, "--time", "t", "--status", "st", "--cause", "2", "--covariates", "x,x");
        usage.ExitCode.Should().Be(2);
    }

    [Fact]
    public void Without_at_the_times_are_round_and_within_follow_up()
    {
        var r = Cli.Run("cuminc", Cli.Data("cmprsk_sim"), "--time", "time", "--status", "status", "--cause", "1", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var times = r.Json().GetProperty("at")[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("time").GetDouble()).ToArray();
        var max = r.Json().GetProperty("curves")[0].GetProperty("lastTime").GetDouble();
        times.Should().NotBeEmpty().And.OnlyContain(t => t > 0 && t <= max);
        times.Should().OnlyContain(t => Math.Abs((t * 1000) - Math.Round(t * 1000)) < 1e-9, "round times");
    }
}
