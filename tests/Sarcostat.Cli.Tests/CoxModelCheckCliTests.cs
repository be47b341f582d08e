using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary><c>sarcostat cox --zph --concordance</c>: the model checks reach the text and the JSON with R's numbers.</summary>
public class CoxModelCheckCliTests
{
    private static JsonElement Case(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Cli.Golden("zph_cases")));
        return doc.RootElement.Clone().GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name);
    }

    private static void Close(double expected, double actual, double rel, string what) =>
        Math.Abs(expected - actual).Should().BeLessThanOrEqualTo(rel * Math.Max(1, Math.Abs(expected)), what);

    [Fact]
    public void Zph_and_concordance_json_on_veteran_match_R()
    {
        // R: fit <- coxph(Surv(time, status) ~ trt + celltype + karno, data = veteran); cox.zph(fit); concordance(fit)
        var r = Cli.Run("cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "trt,celltype,karno", "--zph", "--concordance", "--json", "--residuals");
        r.ExitCode.Should().Be(0, r.Error);
        var json = r.Json();
        var golden = Case("veteran");
        var km = golden.GetProperty("zph")[0];
        var zph = json.GetProperty("zph");
        var rows = zph.GetProperty("tests").EnumerateArray().Append(zph.GetProperty("global")).ToArray();
        var chisq = km.GetProperty("chisq").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        rows.Select(x => x.GetProperty("term").GetString()).Should().Equal("trt", "celltype", "karno", "GLOBAL");
        for (int k = 0; k < chisq.Length; k++)
        {
            Close(chisq[k], rows[k].GetProperty("chiSquare").GetDouble(), 1e-6, $"chisq {k}");
        }

        zph.GetProperty("scaledResiduals").GetArrayLength().Should().Be(128);
        var cc = json.GetProperty("concordance");
        Close(golden.GetProperty("concordance").GetProperty("c").GetDouble(), cc.GetProperty("c").GetDouble(), 1e-10, "C");
        Close(golden.GetProperty("concordance").GetProperty("se").GetDouble(), cc.GetProperty("stdError").GetDouble(), 1e-10, "se");
    }

    [Fact]
    public void Zph_text_prints_the_table_with_a_note_when_p_is_small()
    {
        // R: cox.zph(coxph(Surv(time, status) ~ trt + celltype + karno, data = veteran), transform = "rank")
        var r = Cli.Run("cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "trt,celltype,karno", "--zph", "--zph-transform", "rank", "--concordance");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("transform = \"rank\"").And.Contain("GLOBAL").And.Contain("Note: p < 0.05 for karno").And.Contain("Concordance (Harrell's C");
    }

    [Fact]
    public void Without_the_flags_the_json_holds_nulls()
    {
        var r = Cli.Run("cox", Cli.Data("lung"), "--time", "time", "--event", "status", "--covariates", "age", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        r.Json().GetProperty("zph").ValueKind.Should().Be(JsonValueKind.Null);
        r.Json().GetProperty("concordance").ValueKind.Should().Be(JsonValueKind.Null);
    }
}
