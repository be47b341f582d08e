using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// <c>sarcostat cox --ties exact</c> end to end: the JSON equals R's <c>coxph(ties = "exact")</c>
/// (golden/coxexact_cases.json from tools/reference/coxexact.R) and an oversized exact computation is a data error.
/// </summary>
public class CoxExactCliTests
{
    private static JsonElement GoldenCase(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Cli.Golden("coxexact_cases")));
        return doc.RootElement.Clone().GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name);
    }

    private static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static void Close(double expected, JsonElement actual, double rel, string what)
    {
        double a = actual.GetDouble();
        Math.Abs(a - expected).Should().BeLessThanOrEqualTo(rel * Math.Abs(expected), $"{what}: expected {expected:R}, actual {a:R}");
    }

    [Fact]
    public void Cox_ties_exact_json_with_a_factor_and_strata_matches_coxph()
    {
        // R: coxph(Surv(time, status) ~ x + grp + strata(centre), data = tied, ties = "exact")
        //    (tied = data/coxexact_ties.csv: 60 rows, 5 distinct times; grp a text factor with levels a, b, c)
        var r = Cli.Run("cox", Cli.Data("coxexact_ties"), "--time", "time", "--event", "status", "--covariates", "x,grp",
            "--strata", "centre", "--ties", "exact", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var fit = r.Json().GetProperty("fit");
        var golden = GoldenCase("ties_exact_strata");
        var terms = fit.GetProperty("terms").EnumerateArray().ToArray();
        terms.Select(t => t.GetProperty("term").GetString()).Should().Equal("x", "grpb", "grpc");
        var coef = Numbers(golden.GetProperty("coef"));
        var se = Numbers(golden.GetProperty("se"));
        var p = Numbers(golden.GetProperty("p"));
        for (int j = 0; j < coef.Length; j++)
        {
            Close(coef[j], terms[j].GetProperty("coef"), 1e-6, $"coef {j}");
            Close(se[j], terms[j].GetProperty("stdError"), 1e-6, $"se {j}");
            Close(p[j], terms[j].GetProperty("p"), 1e-6, $"p {j}");
        }

        var loglik = Numbers(golden.GetProperty("loglik"));
        Close(loglik[0], fit.GetProperty("logLikNull"), 1e-10, "loglik null");
        Close(loglik[1], fit.GetProperty("logLik"), 1e-6, "loglik");
        Close(golden.GetProperty("lr_test")[0].GetDouble(), fit.GetProperty("likelihoodRatio").GetProperty("statistic"), 1e-6, "LR test");
        Close(golden.GetProperty("wald_test")[0].GetDouble(), fit.GetProperty("wald").GetProperty("statistic"), 1e-6, "Wald test");
        Close(golden.GetProperty("score_test")[0].GetDouble(), fit.GetProperty("score").GetProperty("statistic"), 1e-10, "score test");
        fit.GetProperty("iterations").GetInt32().Should().Be(golden.GetProperty("iter").GetInt32());
        fit.GetProperty("n").GetInt32().Should().Be(golden.GetProperty("n").GetInt32());

        var text = Cli.Run("cox", Cli.Data("coxexact_ties"), "--time", "time", "--event", "status", "--covariates", "x,grp",
            "--strata", "centre", "--ties", "exact");
        text.ExitCode.Should().Be(0, text.Error);
        text.Out.Should().Contain("ties: exact partial likelihood");
    }

    [Fact]
    public void An_exact_computation_over_the_budget_is_a_data_error_naming_the_alternative()
    {
        // 20 000 rows at one time, 10 000 deaths: over the work budget of the exact likelihood.
        using var dir = Cli.Temp();
        var csv = new StringBuilder("t,e,x\n");
        for (int i = 0; i < 20_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"1,{(i % 2 == 0 ? 1 : 0)},{i % 7}\n");
        }

        var path = dir.Write("big.csv", csv.ToString());
        var r = Cli.Run("cox", path, "--time", "t", "--event", "e", "--covariates", "x", "--ties", "exact");
        r.ExitCode.Should().Be(1);
        r.Error.Should().Contain("ties = \"exact\"").And.Contain("Efron").And.Contain("[exact-limit]").And.NotContain("   at ");
        r.Out.Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_ties_value_is_a_usage_error()
    {
        var r = Cli.Run("cox", Cli.Data("coxexact_ties"), "--time", "time", "--event", "status", "--covariates", "x", "--ties", "exakt");
        r.ExitCode.Should().Be(2);
    }
}
