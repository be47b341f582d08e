using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// The rule of docs/cli.md ("Per-row tables"): a --json document carries every summary number; per-step and
/// per-event tables only with the option that names them (--steps, --residuals), null otherwise.
/// </summary>
public class JsonPerRowOptInTests
{
    private static readonly string[] Km = ["km", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--at", "365", "--json"];
    private static readonly string[] Cox = ["cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "trt,celltype,karno", "--zph", "--json"];

    [Fact]
    public void Km_json_leaves_steps_out_without_steps_and_keeps_every_summary()
    {
        var without = Cli.Run(Km);
        var with = Cli.Run([.. Km, "--steps"]);
        without.ExitCode.Should().Be(0, without.Error);
        with.ExitCode.Should().Be(0, with.Error);
        var a = without.Json();
        var b = with.Json();
        for (int g = 0; g < 2; g++)
        {
            a.GetProperty("fits")[g].GetProperty("steps").ValueKind.Should().Be(JsonValueKind.Null);
            b.GetProperty("fits")[g].GetProperty("steps").GetArrayLength().Should().BeGreaterThan(50, "lung has over 50 distinct times per sex");
            foreach (var field in new[] { "group", "n", "events", "censored", "median", "warnings" })
            {
                a.GetProperty("fits")[g].GetProperty(field).GetRawText().Should().Be(b.GetProperty("fits")[g].GetProperty(field).GetRawText(), field);
            }
        }

        a.GetProperty("followUp").GetProperty("reverse").GetProperty("steps").ValueKind.Should().Be(JsonValueKind.Null);
        b.GetProperty("followUp").GetProperty("reverse").GetProperty("steps").GetArrayLength().Should().BeGreaterThan(100);
        a.GetProperty("followUp").GetProperty("median").GetRawText().Should().Be(b.GetProperty("followUp").GetProperty("median").GetRawText());
        a.GetProperty("at").GetRawText().Should().Be(b.GetProperty("at").GetRawText());
        a.GetProperty("at")[0].GetProperty("points")[0].GetProperty("survival").GetDouble().Should().BeInRange(0.0, 1.0);
        without.Out.Length.Should().BeLessThan(with.Out.Length / 5, "the steps are most of the document");
    }

    [Fact]
    public void Cox_zph_json_leaves_per_event_arrays_out_without_residuals_and_keeps_the_tests()
    {
        var without = Cli.Run(Cox);
        var with = Cli.Run([.. Cox, "--residuals"]);
        without.ExitCode.Should().Be(0, without.Error);
        with.ExitCode.Should().Be(0, with.Error);
        var a = without.Json().GetProperty("zph");
        var b = with.Json().GetProperty("zph");
        foreach (var field in new[] { "time", "transformedTime", "stratum", "scaledResiduals" })
        {
            a.GetProperty(field).ValueKind.Should().Be(JsonValueKind.Null, field);
            b.GetProperty(field).GetArrayLength().Should().Be(128, field);
        }

        foreach (var field in new[] { "transform", "tests", "global", "events", "variance" })
        {
            a.GetProperty(field).GetRawText().Should().Be(b.GetProperty(field).GetRawText(), field);
        }

        a.GetProperty("events").GetInt32().Should().Be(128, "veteran has 128 deaths");
        a.GetProperty("tests").GetArrayLength().Should().Be(3);
        without.Json().GetProperty("fit").GetRawText().Should().Be(with.Json().GetProperty("fit").GetRawText());
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--zph")]
    [InlineData(null)]
    public void Cox_residuals_without_zph_and_json_is_a_usage_error(string? alsoGiven)
    {
        string[] args = ["cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "trt,karno", "--residuals"];
        var r = Cli.Run(alsoGiven is null ? args : [.. args, alsoGiven]);
        r.ExitCode.Should().Be(2, r.Out);
        r.Error.Should().Contain("--residuals").And.Contain("--zph --json");
        r.Out.Should().BeEmpty();
    }

    [Fact]
    public void Cuminc_json_leaves_steps_out_without_steps()
    {
        string[] args = ["cuminc", Cli.Data("mgus2"), "--time", "etime", "--status", "event", "--cause", "1", "--group", "sex", "--at", "120", "--json"];
        var without = Cli.Run(args);
        var with = Cli.Run([.. args, "--steps"]);
        without.ExitCode.Should().Be(0, without.Error);
        with.ExitCode.Should().Be(0, with.Error);
        var a = without.Json();
        var b = with.Json();
        a.GetProperty("curves")[0].GetProperty("steps").ValueKind.Should().Be(JsonValueKind.Null);
        b.GetProperty("curves")[0].GetProperty("steps").GetArrayLength().Should().BeGreaterThan(10);
        a.GetProperty("curves")[0].GetProperty("lastTime").GetRawText().Should().Be(b.GetProperty("curves")[0].GetProperty("lastTime").GetRawText());
        a.GetProperty("at").GetRawText().Should().Be(b.GetProperty("at").GetRawText());
        a.GetProperty("tests").GetRawText().Should().Be(b.GetProperty("tests").GetRawText());
    }
}
