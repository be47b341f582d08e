using System.Text.Json;
using Sarcostat.Cli.Output;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// The one rule for numbers in every <c>--json</c> document (docs/cli.md, "Numbers"): finite numbers are JSON numbers,
/// non-finite ones the strings "Inf", "-Inf", "NaN" (R's jsonlite names), null is "not available".
/// </summary>
public class JsonNumberRuleTests
{
    private sealed record Sample(double Plus, double Minus, double Nan, double? Missing, double? Finite, float Single, double[][] Matrix);

    [Fact]
    public void The_writer_spells_non_finite_numbers_as_R_does_and_keeps_finite_ones_as_numbers()
    {
        using var w = new StringWriter();
        JsonOutput.Write(w, new Sample(
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, null, 0.1, float.NegativeInfinity,
            [[1.5, double.PositiveInfinity], [double.NaN, -2]]));
        var root = JsonDocument.Parse(w.ToString()).RootElement;
        root.GetProperty("plus").GetString().Should().Be("Inf");
        root.GetProperty("minus").GetString().Should().Be("-Inf");
        root.GetProperty("nan").GetString().Should().Be("NaN");
        root.GetProperty("missing").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("finite").GetDouble().Should().Be(0.1, "shortest round-trip text");
        root.GetProperty("single").GetString().Should().Be("-Inf");
        var m = root.GetProperty("matrix");
        m[0][0].GetDouble().Should().Be(1.5);
        m[0][1].GetString().Should().Be("Inf");
        m[1][0].GetString().Should().Be("NaN");
        m[1][1].GetDouble().Should().Be(-2);
        w.ToString().Should().NotContain("Infinity");
    }

    [Fact]
    public void What_the_writer_wrote_reads_back_to_the_same_values()
    {
        var sample = new Sample(double.PositiveInfinity, double.NegativeInfinity, double.NaN, null, 1.0 / 3, 2.5f, [[double.NaN]]);
        using var w = new StringWriter();
        JsonOutput.Write(w, sample);
        var back = JsonSerializer.Deserialize<Sample>(w.ToString(), JsonOutput.Options)!;
        back.Plus.Should().Be(double.PositiveInfinity);
        back.Minus.Should().Be(double.NegativeInfinity);
        double.IsNaN(back.Nan).Should().BeTrue();
        back.Missing.Should().BeNull();
        back.Finite.Should().Be(1.0 / 3);
        back.Single.Should().Be(2.5f);
        double.IsNaN(back.Matrix[0][0]).Should().BeTrue();
    }

    [Fact]
    public void Every_command_writes_json_through_the_one_writer()
    {
        // The rule lives in JsonOutput only: no command may serialise JSON by itself (it would bypass the rule).
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sarcostat.slnx")))
        {
            dir = dir.Parent;
        }

        dir.Should().NotBeNull("the test binaries sit inside the repository");
        var cli = Path.Combine(dir!.FullName, "src", "Sarcostat.Cli");
        var offenders = Directory.EnumerateFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "JsonOutput.cs")
            .Where(f => File.ReadAllText(f).Contains("JsonSerializer.Serialize", StringComparison.Ordinal)
                || File.ReadAllText(f).Contains("Utf8JsonWriter", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(cli, f))
            .ToList();
        offenders.Should().BeEmpty("every --json document is written by JsonOutput.Write (CommandIo.Json)");
    }

    [Fact]
    public void Km_writes_R_s_Inf_for_the_SE_of_log_S_where_the_risk_set_empties()
    {
        // R: survfit(Surv(t, e) ~ 1) on t = 1, 2, 3 with events at 1 and 3: fit$std.err is Inf at t = 3 (S = 0),
        // summary's std.err NaN and the limits NA: written "Inf", null, null.
        using var d = Cli.Temp();
        var f = d.Write("zero.csv", "t,e\n1,1\n2,0\n3,1\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e", "--json", "--steps");
        r.ExitCode.Should().Be(0, r.Error);
        var last = r.Json().GetProperty("fits")[0].GetProperty("steps")[2];
        last.GetProperty("stdErrLogSurvival").GetString().Should().Be("Inf");
        last.GetProperty("stdErr").ValueKind.Should().Be(JsonValueKind.Null);
        last.GetProperty("lower").ValueKind.Should().Be(JsonValueKind.Null);
        last.GetProperty("survival").GetDouble().Should().Be(0);
        last.GetProperty("cumulativeHazard").GetDouble().Should().Be((1.0 / 3) + 1, "Nelson-Aalen 1/3 + 1/1");
        r.Out.Should().NotContain("Infinity").And.NotContain("cumHazardStdErr");
    }

    [Fact]
    public void Logrank_without_events_writes_its_p_value_as_NaN()
    {
        // R: survdiff(Surv(t, e) ~ g) with no event: chisq 0, pvalue NaN.
        using var d = Cli.Temp();
        var f = d.Write("none.csv", "t,e,g\n1,0,a\n2,0,a\n3,0,b\n4,0,b\n");
        var r = Cli.Run("logrank", f, "--time", "t", "--event", "e", "--group", "g", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        r.Json().GetProperty("result").GetProperty("p").GetString().Should().Be("NaN");
        r.Out.Should().NotContain("Infinity");
    }
}
