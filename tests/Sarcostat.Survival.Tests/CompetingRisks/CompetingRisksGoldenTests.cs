using System.Globalization;
using System.Text.Json;
using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.CompetingRisks;

/// <summary>
/// Cumulative incidence, Gray's test and the Fine-Gray model against R's cmprsk (golden/cmprsk_*.json, written by
/// tools/reference/cmprsk.R): every curve corner, every value at the chosen times, both interval scales, the multi-state
/// survfit estimate, every test; every coefficient, standard error, variance entry and likelihood.
/// </summary>
public class CompetingRisksGoldenTests
{
    private static readonly JsonElement Cuminc = Golden.Load("cmprsk_cuminc");
    private static readonly JsonElement Crr = Golden.Load("cmprsk_crr");

    public static TheoryData<string> CumincCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cuminc.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static TheoryData<string> CrrCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Crr.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    private static JsonElement Case(JsonElement root, string name) =>
        root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string Code(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The time, status, group and strata of a cuminc case (dataset columns or inline vectors).</summary>
    internal static (double[] Time, string?[] Status, string?[]? Group, string?[]? Strata) CumincInput(JsonElement c)
    {
        string? dataset = c.GetProperty("dataset").ValueKind == JsonValueKind.String ? c.GetProperty("dataset").GetString() : null;
        if (dataset is null)
        {
            var time = c.GetProperty("time").EnumerateArray().Select(e => double.Parse(e.GetString()!, CultureInfo.InvariantCulture)).ToArray();
            var status = Golden.Numbers(c.GetProperty("status")).Select(v => (string?)Code(v)).ToArray();
            var group = c.GetProperty("group").ValueKind == JsonValueKind.Array ? Golden.Strings(c.GetProperty("group")).Select(s => (string?)s).ToArray() : null;
            return (time, status, group, null);
        }

        var d = CsvData.Load(dataset);
        string call = c.GetProperty("r_call").GetString()!;
        bool mgus = dataset == "mgus2";
        var t = d.Numeric(mgus ? "etime" : "time");
        var st = d.Text(mgus ? "event" : "status");
        string?[]? g = null, s = null;
        if (call.Contains("group = sex", StringComparison.Ordinal))
        {
            g = d.Text("sex");
        }
        else if (call.Contains("group = agegrp", StringComparison.Ordinal))
        {
            g = d.Text("agegrp");
        }
        else if (!mgus && call.Contains("group", StringComparison.Ordinal))
        {
            g = d.Text("group");
        }

        if (call.Contains("strata = agegrp", StringComparison.Ordinal))
        {
            s = d.Text("agegrp");
        }
        else if (!mgus && call.Contains("strata", StringComparison.Ordinal))
        {
            s = d.Text("strata");
        }

        return (t, st, g, s);
    }

    private static CumulativeIncidenceResult Run(JsonElement c, CumulativeIncidenceInterval interval)
    {
        var (time, status, group, strata) = CumincInput(c);
        return CumulativeIncidence.Estimate(
            time,
            Factor.FromValues("status", status),
            Code(Golden.Number(c.GetProperty("cencode"))),
            group is null ? null : Factor.FromValues("group", group),
            strata is null ? null : Factor.FromValues("strata", strata),
            new CumulativeIncidenceOptions { Interval = interval, Rho = Golden.Number(c.GetProperty("rho")) });
    }

    [Theory]
    [MemberData(nameof(CumincCases))]
    public void Cumulative_incidence_matches_cmprsk_cuminc(string name)
    {
        var c = Case(Cuminc, name);
        var fit = Run(c, CumulativeIncidenceInterval.LogLog);
        var plain = Run(c, CumulativeIncidenceInterval.Plain);
        var at = Golden.Numbers(c.GetProperty("at"));
        var expectedCurves = c.GetProperty("curves").EnumerateArray().ToList();
        fit.Curves.Should().HaveCount(expectedCurves.Count);
        foreach (var e in expectedCurves)
        {
            string cause = e.GetProperty("cause").GetString()!;
            string? group = e.GetProperty("group").ValueKind == JsonValueKind.String ? e.GetProperty("group").GetString() : null;
            var curve = fit.Curve(cause, group);
            curve.Should().NotBeNull($"{name}: curve of cause {cause}, group {group}");
            string what = $"{name} cause {cause} group {group}";

            // cmprsk's corners: (0, 0), then (t, F before), (t, F after) per jump, then (last time, F last).
            var x = new List<double> { 0 };
            var f = new List<double> { 0 };
            var v = new List<double> { 0 };
            foreach (var s in curve!.Steps)
            {
                x.Add(s.Time);
                f.Add(f[^1]);
                v.Add(v[^1]);
                x.Add(s.Time);
                f.Add(s.Estimate);
                v.Add(s.Variance);
            }

            x.Add(curve.LastTime);
            f.Add(f[^1]);
            v.Add(v[^1]);
            var ex = Golden.Numbers(e.GetProperty("curve").GetProperty("time"));
            var ef = Golden.Numbers(e.GetProperty("curve").GetProperty("est"));
            var ev = Golden.Numbers(e.GetProperty("curve").GetProperty("var"));
            x.Should().HaveCount(ex.Length, what);
            for (int i = 0; i < ex.Length; i++)
            {
                Approx.Equal(ex[i], x[i], Approx.NonIterative, $"{what} time[{i}]");
                Approx.Equal(ef[i], f[i], Approx.NonIterative, $"{what} est[{i}]", 1e-15);
                Approx.Equal(ev[i], v[i], Approx.NonIterative, $"{what} var[{i}]", 1e-15);
            }

            var points = curve.At(at);
            var plainPoints = plain.Curve(cause, group)!.At(at);
            var eat = e.GetProperty("at");
            var est = Golden.Numbers(eat.GetProperty("est"));
            var var = Golden.Numbers(eat.GetProperty("var"));
            var ll = e.GetProperty("ci_loglog");
            var pl = e.GetProperty("ci_plain");
            var sf = Golden.Numbers(e.GetProperty("survfit").GetProperty("est"));
            for (int i = 0; i < at.Length; i++)
            {
                string w = $"{what} at {at[i]}";
                Approx.Equal(est[i], points[i].Estimate, Approx.NonIterative, w + " est", 1e-15);
                Approx.Equal(var[i], points[i].Variance, Approx.NonIterative, w + " var", 1e-15);
                Approx.Equal(Golden.Numbers(ll.GetProperty("lower"))[i], points[i].Lower, Approx.NonIterative, w + " log-log lower", 1e-15);
                Approx.Equal(Golden.Numbers(ll.GetProperty("upper"))[i], points[i].Upper, Approx.NonIterative, w + " log-log upper", 1e-15);
                Approx.Equal(Golden.Numbers(pl.GetProperty("lower"))[i], plainPoints[i].Lower, Approx.NonIterative, w + " plain lower", 1e-15);
                Approx.Equal(Golden.Numbers(pl.GetProperty("upper"))[i], plainPoints[i].Upper, Approx.NonIterative, w + " plain upper", 1e-15);
                Approx.Equal(sf[i], points[i].Estimate, Approx.NonIterative, w + " vs survfit multi-state", 1e-15);
            }
        }

        if (c.GetProperty("tests").ValueKind != JsonValueKind.Array)
        {
            fit.Tests.Should().BeEmpty();
            return;
        }

        var tests = c.GetProperty("tests").EnumerateArray().ToList();
        fit.Tests.Should().HaveCount(tests.Count);
        for (int i = 0; i < tests.Count; i++)
        {
            var t = fit.Tests[i];
            t.Cause.Should().Be(tests[i].GetProperty("cause").GetString());
            Approx.Equal(Golden.Number(tests[i].GetProperty("stat")), t.Statistic, 1e-9, $"{name} Gray stat {t.Cause}");
            Approx.Equal(Golden.Number(tests[i].GetProperty("pv")), t.P, 1e-8, $"{name} Gray p {t.Cause}", 1e-15);
            t.DegreesOfFreedom.Should().Be((int)Golden.Number(tests[i].GetProperty("df")));
        }
    }

    [Theory]
    [MemberData(nameof(CrrCases))]
    public void Fine_Gray_matches_cmprsk_crr(string name)
    {
        var c = Case(Crr, name);
        var covNames = Golden.Strings(c.GetProperty("covariates"));
        var factors = c.GetProperty("factors").ValueKind == JsonValueKind.Array && c.GetProperty("factors").GetArrayLength() == 0
            ? [] : Golden.Strings(c.GetProperty("factors")).ToHashSet();
        Func<string, double[]> numeric;
        Func<string, string?[]> text;
        if (c.GetProperty("dataset").ValueKind == JsonValueKind.String)
        {
            var d = CsvData.Load(c.GetProperty("dataset").GetString()!);
            numeric = d.Numeric;
            text = d.Text;
        }
        else
        {
            var inline = c.GetProperty("inline");
            text = col => inline.GetProperty(col).EnumerateArray().Select(e => (string?)(e.ValueKind == JsonValueKind.Number ? Code(e.GetDouble()) : e.GetString())).ToArray();
            numeric = col => text(col).Select(s => double.Parse(s!, CultureInfo.InvariantCulture)).ToArray();
        }

        var covs = covNames.Select(n => factors.Contains(n)
            ? (Covariate)new CategoricalCovariate(Factor.FromValues(n, text(n)))
            : new NumericCovariate(n, numeric(n))).ToList();
        var time = numeric(c.GetProperty("time").GetString()!);
        var status = Factor.FromValues("status", text(c.GetProperty("status").GetString()!));
        var fit = FineGray.Fit(time, status, Code(Golden.Number(c.GetProperty("failcode"))), Code(Golden.Number(c.GetProperty("cencode"))), covs);

        fit.Converged.Should().Be(c.GetProperty("converged").GetBoolean());
        fit.N.Should().Be((int)Golden.Number(c.GetProperty("n")));
        fit.NDropped.Should().Be((int)Golden.Number(c.GetProperty("n_missing")));
        fit.Terms.Select(t => t.Term).Should().Equal(Golden.Strings(c.GetProperty("terms")));
        const double Tol = Approx.Iterative;
        string[] fields = ["coef", "se", "z", "p", "exp_coef", "lower", "upper"];
        foreach (var field in fields)
        {
            var expected = Golden.Numbers(c.GetProperty(field));
            for (int j = 0; j < expected.Length; j++)
            {
                var t = fit.Terms[j];
                double actual = field switch
                {
                    "coef" => t.Coef,
                    "se" => t.StdError,
                    "z" => t.Z,
                    "p" => t.P,
                    "exp_coef" => t.HazardRatio,
                    "lower" => t.Lower,
                    _ => t.Upper,
                };
                Approx.Equal(expected[j], actual, Tol, $"{name} {field} {t.Term}");
            }
        }

        var variance = c.GetProperty("var").EnumerateArray().Select(Golden.Numbers).ToArray();
        for (int j = 0; j < variance.Length; j++)
        {
            for (int k = 0; k < variance.Length; k++)
            {
                Approx.Equal(variance[j][k], fit.Variance[j][k], Tol, $"{name} var[{j},{k}]", 1e-12);
            }
        }

        Approx.Equal(Golden.Number(c.GetProperty("loglik")), fit.LogLik, Tol, $"{name} loglik");
        Approx.Equal(Golden.Number(c.GetProperty("loglik_null")), fit.LogLikNull, Approx.NonIterative, $"{name} loglik.null");
        Approx.Equal(Golden.Number(c.GetProperty("logtest")), fit.LikelihoodRatio.Statistic, Tol, $"{name} logtest");
        fit.Warnings.Select(w => w.Code).Should().Equal(fit.Converged ? [] : ["not-converged"]);
    }
}
