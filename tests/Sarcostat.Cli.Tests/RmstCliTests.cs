using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// End to end against R (tools/reference/rmst.R, km.R, logrank.R): <c>km --rmst</c>, the Nelson-Aalen columns of
/// <c>km --json</c> and the per-stratum counts of <c>logrank --json</c>, on the exported lung dataset.
/// </summary>
public class RmstCliTests
{
    private static JsonElement GoldenCase(string file, string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Cli.Golden(file)));
        var root = doc.RootElement.Clone();
        return root.TryGetProperty("cases", out var cases)
            ? cases.EnumerateArray().First(c => c.GetProperty("name").GetString() == name)
            : root.GetProperty(name);
    }

    private static void Close(double expected, JsonElement actual, string what, double rel = 1e-10)
    {
        double a = actual.GetDouble();
        Math.Abs(a - expected).Should().BeLessThanOrEqualTo(rel * Math.Abs(expected), $"{what}: expected {expected:R}, actual {a:R}");
    }

    [Theory]
    // R: summary(survfit(Surv(time, status) ~ sex, data = lung), rmean = 365)$table; survRM2's contrast by hand
    [InlineData("365", "lung_by_sex_365")]
    // R: the same with rmean = 730
    [InlineData("730", "lung_by_sex_730")]
    // R: rmean = "common": tau = 1022, the largest observed time (group 2 ends at 965 and is carried forward)
    [InlineData("common", "lung_by_sex_common")]
    public void Km_rmst_json_on_lung_by_sex_matches_R(string tau, string golden)
    {
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--rmst", tau, "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var rmst = r.Json().GetProperty("rmst");
        var e = GoldenCase("rmst_cases", golden);
        rmst.GetProperty("tauIsCommonLastTime").GetBoolean().Should().Be(tau == "common");
        var groups = rmst.GetProperty("groups").EnumerateArray().ToArray();
        var expected = e.GetProperty("groups").EnumerateArray().ToArray();
        groups.Should().HaveCount(2);
        for (int g = 0; g < 2; g++)
        {
            groups[g].GetProperty("group").GetString().Should().Be(expected[g].GetProperty("group").GetString());
            Close(expected[g].GetProperty("tau").GetDouble(), groups[g].GetProperty("tau"), "tau");
            Close(expected[g].GetProperty("rmean").GetDouble(), groups[g].GetProperty("mean"), $"rmean {g}");
            Close(expected[g].GetProperty("se").GetDouble(), groups[g].GetProperty("stdErr"), $"se(rmean) {g}");
            Close(expected[g].GetProperty("lower").GetDouble(), groups[g].GetProperty("lower"), $"lower {g}");
            Close(expected[g].GetProperty("upper").GetDouble(), groups[g].GetProperty("upper"), $"upper {g}");
        }

        var c = rmst.GetProperty("contrast");
        var ec = e.GetProperty("contrast");
        c.GetProperty("reference").GetString().Should().Be("1");
        c.GetProperty("other").GetString().Should().Be("2");
        foreach (var (json, r2) in new[]
        {
            ("difference", "difference"), ("differenceStdErr", "difference_se"), ("differenceLower", "difference_lower"),
            ("differenceUpper", "difference_upper"), ("differenceP", "difference_p"), ("ratio", "ratio"),
            ("logRatioStdErr", "log_ratio_se"), ("ratioLower", "ratio_lower"), ("ratioUpper", "ratio_upper"), ("ratioP", "ratio_p"),
        })
        {
            Close(ec.GetProperty(r2).GetDouble(), c.GetProperty(json), json);
        }

        bool beyond = tau == "common";
        rmst.GetProperty("warnings").EnumerateArray().Any(w => w.GetProperty("code").GetString() == "rmst-beyond-follow-up").Should().Be(beyond);
        if (beyond)
        {
            r.Error.Should().Contain("carried forward to tau = 1022");
        }
    }

    [Fact]
    public void Km_rmst_table_prints_the_means_the_difference_and_the_ratio()
    {
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--rmst", "365");
        r.ExitCode.Should().Be(0, r.Error);
        // R: rmean 241.495 (se 10.358) and 297.465 (10.791); survRM2 difference 55.97, ratio 1.2318 (golden rmst_cases.json)
        r.Out.Should().Contain("Restricted mean survival time up to tau = 365")
            .And.Contain("241.495").And.Contain("297.465")
            .And.Contain("Difference (sex 2 minus sex 1): 55.9703")
            .And.Contain("Ratio (sex 2 over sex 1): 1.23177");
    }

    [Fact]
    public void Km_without_rmst_writes_null_and_a_single_curve_has_no_contrast()
    {
        var none = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--json");
        none.ExitCode.Should().Be(0, none.Error);
        none.Json().GetProperty("rmst").ValueKind.Should().Be(JsonValueKind.Null);

        // R: summary(survfit(Surv(time, status) ~ 1, data = lung), rmean = 500)$table
        var one = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--rmst", "500", "--json");
        one.ExitCode.Should().Be(0, one.Error);
        var rmst = one.Json().GetProperty("rmst");
        rmst.GetProperty("contrast").ValueKind.Should().Be(JsonValueKind.Null);
        var e = GoldenCase("rmst_cases", "lung_500").GetProperty("groups")[0];
        Close(e.GetProperty("rmean").GetDouble(), rmst.GetProperty("groups")[0].GetProperty("mean"), "rmean");
        Close(e.GetProperty("se").GetDouble(), rmst.GetProperty("groups")[0].GetProperty("stdErr"), "se(rmean)");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("Infinity")]
    public void A_bad_rmst_end_time_is_a_usage_error(string tau)
    {
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--rmst", tau);
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("--rmst must be a time > 0");
        r.Out.Should().BeEmpty();
    }

    [Fact]
    public void Km_json_carries_the_nelson_aalen_hazard_of_R_by_group()
    {
        // R: survfit(Surv(time, status) ~ sex, data = lung): fit$cumhaz, fit$std.chaz, fit$std.err per stratum, and
        // summary(fit, times = c(90, 180, 365, 730, 1100), extend = TRUE)$cumhaz, $std.chaz
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--at", "90,180,365,730,1100", "--json", "--steps");
        r.ExitCode.Should().Be(0, r.Error);
        var fits = r.Json().GetProperty("fits").EnumerateArray().ToArray();
        var at = r.Json().GetProperty("at").EnumerateArray().ToArray();
        var golden = GoldenCase("km_datasets", "lung_by_sex").GetProperty("strata").EnumerateArray().ToArray();
        for (int g = 0; g < golden.Length; g++)
        {
            var steps = fits[g].GetProperty("steps").EnumerateArray().ToArray();
            var e = golden[g].GetProperty("steps");
            var cumhaz = e.GetProperty("cumhaz").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var chaz = e.GetProperty("std_chaz").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var stdErrLog = e.GetProperty("std_err_log").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            steps.Should().HaveCount(cumhaz.Length);
            for (int k = 0; k < cumhaz.Length; k++)
            {
                Close(cumhaz[k], steps[k].GetProperty("cumulativeHazard"), $"group {g} step {k} cumhaz");
                Close(chaz[k], steps[k].GetProperty("cumulativeHazardStdErr"), $"group {g} step {k} std.chaz");
                Close(stdErrLog[k], steps[k].GetProperty("stdErrLogSurvival"), $"group {g} step {k} std.err of log S");
            }

            var points = at[g].GetProperty("points").EnumerateArray().ToArray();
            var atCumhaz = golden[g].GetProperty("at").GetProperty("cumhaz").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var atChaz = golden[g].GetProperty("at").GetProperty("std_chaz").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            points.Should().HaveCount(atCumhaz.Length);
            for (int q = 0; q < points.Length; q++)
            {
                Close(atCumhaz[q], points[q].GetProperty("cumulativeHazard"), $"group {g} at {q} cumhaz");
                Close(atChaz[q], points[q].GetProperty("cumulativeHazardStdErr"), $"group {g} at {q} std.chaz");
            }
        }
    }

    [Fact]
    public void Logrank_json_with_strata_names_them_and_gives_observed_and_expected_per_stratum()
    {
        // R: survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung): $strata, $obs, $exp; O - E
        var r = Cli.Run("logrank", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--strata", "ph.ecog", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var result = r.Json().GetProperty("result");
        var e = GoldenCase("logrank_datasets", "lung_sex_strata_ecog");
        var oMinusE = e.GetProperty("o_minus_e").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var groups = result.GetProperty("groups").EnumerateArray().ToArray();
        for (int g = 0; g < groups.Length; g++)
        {
            Close(oMinusE[g], groups[g].GetProperty("oMinusE"), $"O-E {g}");
        }

        var strata = result.GetProperty("strata").EnumerateArray().ToArray();
        strata.Select(s => s.GetProperty("stratum").GetString()).Should().Equal(e.GetProperty("strata").EnumerateArray().Select(x => x.GetString()));
        strata.Select(s => s.GetProperty("n").GetInt32()).Should().Equal(e.GetProperty("strata_n").EnumerateArray().Select(x => x.GetInt32()));
        var obs = e.GetProperty("obs_by_stratum").EnumerateArray().ToArray();
        var exp = e.GetProperty("exp_by_stratum").EnumerateArray().ToArray();
        for (int h = 0; h < strata.Length; h++)
        {
            var cells = strata[h].GetProperty("groups").EnumerateArray().ToArray();
            cells.Select(c => c.GetProperty("level").GetString()).Should().Equal("1", "2");
            for (int g = 0; g < cells.Length; g++)
            {
                double o = obs[h][g].GetDouble(), x = exp[h][g].GetDouble();
                if (o == 0)
                {
                    cells[g].GetProperty("observed").GetDouble().Should().Be(0);
                }
                else
                {
                    Close(o, cells[g].GetProperty("observed"), $"obs[{g}, {h}]");
                }

                if (x == 0)
                {
                    cells[g].GetProperty("expected").GetDouble().Should().Be(0);
                }
                else
                {
                    Close(x, cells[g].GetProperty("expected"), $"exp[{g}, {h}]");
                }
            }
        }

        var plain = Cli.Run("logrank", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--json");
        plain.Json().GetProperty("result").GetProperty("strata").GetArrayLength().Should().Be(0, "no --strata");
    }
}
