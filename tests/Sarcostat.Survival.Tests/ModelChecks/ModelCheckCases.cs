using System.Globalization;
using System.Text.Json;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

/// <summary>Rebuilds the inputs of the cases in golden/zph_cases.json (tools/reference/zph.R) and fits them.</summary>
internal sealed record ModelCheckCase(
    string Name, double[] Time, bool[] Status, IReadOnlyList<Covariate> Covariates, Factor? Strata, CoxFit Fit, JsonElement Json)
{
    private static readonly Lazy<JsonElement> Root = new(() => Golden.Load("zph_cases"));

    public static IEnumerable<object[]> Names() =>
        Root.Value.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static ModelCheckCase Load(string name)
    {
        var j = Root.Value.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var spec = j.GetProperty("spec");
        string data = spec.GetProperty("data").GetString()!;
        Func<string, double[]> column;
        Func<string, string?[]> text;
        if (data == "inline")
        {
            var small = Root.Value.GetProperty("small");
            column = c => Golden.Numbers(small.GetProperty(c));
            text = c => small.GetProperty(c).EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetDouble().ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            var csv = CsvData.Load(data);
            column = csv.Numeric;
            text = csv.Text;
        }

        var time = column(spec.GetProperty("time").GetString()!);
        var status = column(spec.GetProperty("status").GetString()!).Select(v => v == 1).ToArray();
        var covs = new List<Covariate>();
        foreach (var c in Golden.Strings(spec.GetProperty("numeric")))
        {
            covs.Add(new NumericCovariate(c, column(c)));
        }

        if (spec.TryGetProperty("factor", out var f))
        {
            covs.Add(new CategoricalCovariate(Factor.FromValues(f.GetString()!, text(f.GetString()!))));
        }

        if (spec.TryGetProperty("numeric2", out var n2))
        {
            covs.Add(new NumericCovariate(n2.GetString()!, column(n2.GetString()!)));
        }

        Factor? strata = null;
        if (spec.TryGetProperty("strata", out var s))
        {
            strata = Factor.FromValues(s.GetString()!, text(s.GetString()!));
        }

        var options = new CoxOptions
        {
            Ties = spec.TryGetProperty("ties", out var ties) && ties.GetString() == "breslow" ? TieMethod.Breslow : TieMethod.Efron,
        };
        var fit = CoxRegression.Fit(time, status, covs, strata, options);
        Approx.Equal(Golden.Numbers(j.GetProperty("coef")), fit.Terms.Select(t => t.Coef).ToArray(), Approx.Iterative, $"{name}: coef");
        return new ModelCheckCase(name, time, status, covs, strata, fit, j);
    }
}
