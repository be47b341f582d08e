using System.Globalization;
using System.Text.Json;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival.Tests.LogRank;

/// <summary>Compares a <see cref="LogRankResult"/> with one survdiff case of tools/reference/golden/logrank_*.json.</summary>
internal static class LogRankGolden
{
    /// <summary>Absolute floor for quantities that R reports as exactly 0 (e.g. O − E = 0).</summary>
    private const double ZeroFloor = 1e-12;

    public static JsonElement Case(string file, string name) => Golden.Load(file).GetProperty(name);

    public static void AssertMatches(JsonElement expected, LogRankResult actual, double rel = Approx.NonIterative)
    {
        string call = expected.GetProperty("call").GetString()!;
        actual.Groups.Select(g => g.Level).Should().Equal(Golden.Strings(expected.GetProperty("levels")), call);
        actual.Groups.Select(g => (double)g.N).Should().Equal(Golden.Numbers(expected.GetProperty("n")), call);
        Approx.Equal(Golden.Numbers(expected.GetProperty("observed")), actual.Groups.Select(g => g.Observed).ToArray(), rel, $"{call}: observed", ZeroFloor);
        Approx.Equal(Golden.Numbers(expected.GetProperty("expected")), actual.Groups.Select(g => g.Expected).ToArray(), rel, $"{call}: expected", ZeroFloor);
        Approx.Equal(Golden.Numbers(expected.GetProperty("o_minus_e_sq_over_e")), actual.Groups.Select(g => g.OMinusESquaredOverE).ToArray(), rel, $"{call}: (O-E)^2/E", ZeroFloor);
        Approx.Equal(Golden.Numbers(expected.GetProperty("o_minus_e_sq_over_v")), actual.Groups.Select(g => g.OMinusESquaredOverV).ToArray(), rel, $"{call}: (O-E)^2/V", ZeroFloor);
        var rows = expected.GetProperty("var").EnumerateArray().Select(Golden.Numbers).ToArray();
        actual.Variance.Should().HaveCount(rows.Length, call);
        for (int r = 0; r < rows.Length; r++)
        {
            Approx.Equal(rows[r], actual.Variance[r], rel, $"{call}: var[{r}]", ZeroFloor);
        }

        Approx.Equal(Golden.Number(expected.GetProperty("chisq")), actual.ChiSquare, rel, $"{call}: chisq", ZeroFloor);
        actual.DegreesOfFreedom.Should().Be((int)Golden.Number(expected.GetProperty("df")), call);
        Approx.Equal(Golden.Number(expected.GetProperty("pvalue")), actual.P, rel, $"{call}: p", ZeroFloor);
        actual.NDropped.Should().Be((int)Golden.Number(expected.GetProperty("n_dropped")), call);
        actual.N.Should().Be(actual.Groups.Sum(g => g.N), call);
        Approx.Equal(Golden.Numbers(expected.GetProperty("o_minus_e")), actual.Groups.Select(g => g.OMinusE).ToArray(), rel, $"{call}: O-E", ZeroFloor);
        Strata(expected, actual, rel, call);
    }

    /// <summary>Strata names, rows per stratum and the obs / exp matrices of survdiff, column by column.</summary>
    private static void Strata(JsonElement expected, LogRankResult actual, double rel, string call)
    {
        var names = expected.GetProperty("strata");
        if (names.ValueKind == JsonValueKind.Null)
        {
            actual.Strata.Should().BeEmpty($"{call}: no strata");
            return;
        }

        actual.Strata.Select(s => s.Stratum).Should().Equal(Golden.Strings(names), call);
        actual.Strata.Select(s => (double)s.N).Should().Equal(Golden.Numbers(expected.GetProperty("strata_n")), $"{call}: rows per stratum");
        actual.Strata.Should().HaveCount(actual.StrataCount, call);
        var obs = expected.GetProperty("obs_by_stratum").EnumerateArray().Select(Golden.Numbers).ToArray();
        var exp = expected.GetProperty("exp_by_stratum").EnumerateArray().Select(Golden.Numbers).ToArray();
        for (int h = 0; h < obs.Length; h++)
        {
            var stratum = actual.Strata[h];
            stratum.Groups.Select(g => g.Level).Should().Equal(actual.Groups.Select(g => g.Level), $"{call}: stratum {h} groups");
            Approx.Equal(obs[h], stratum.Groups.Select(g => g.Observed).ToArray(), rel, $"{call}: obs[, {h}]", ZeroFloor);
            Approx.Equal(exp[h], stratum.Groups.Select(g => g.Expected).ToArray(), rel, $"{call}: exp[, {h}]", ZeroFloor);
        }
    }

    /// <summary>Runs the engine on a hand-made case's stored input.</summary>
    public static LogRankResult RunEdge(JsonElement c)
    {
        var input = c.GetProperty("input");
        var time = input.GetProperty("time_text").EnumerateArray()
            .Select(e => double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        var status = Golden.Numbers(input.GetProperty("status")).Select(v => v == 1).ToArray();
        var group = Factor.FromValues("group", Golden.Strings(input.GetProperty("group")));
        var strataJson = input.GetProperty("strata");
        var strata = strataJson.ValueKind == JsonValueKind.Null ? null : Factor.FromValues("strata", Golden.Strings(strataJson));
        var options = new LogRankOptions
        {
            Rho = Golden.Number(input.GetProperty("rho")),
            TimeFix = input.GetProperty("timefix").GetBoolean() ? TimeFix.R : TimeFix.Exact,
        };
        return Survival.RankTests.LogRank.Test(time, status, group, strata, options);
    }
}
