using System.Text.Json;
using Sarcostat.Survival.CountingProcess;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.CountingProcess;

/// <summary>
/// Counting-process Cox fits against golden/coxcp_cases.json (tools/reference/coxcp.R): survival's heart data clustered on
/// patient, and a hand-made case with ties, case weights, strata and clusters spanning rows. Tolerance 1e-6 relative
/// (an iterative fit: R stops at |1 − loglik_old/loglik_new| ≤ 1e-9, so both sides carry a convergence error far below it).
/// </summary>
public sealed class CountingProcessCoxGoldenTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("coxcp_cases").GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c, StringComparer.Ordinal));

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var k in Cases.Value.Keys)
        {
            data.Add(k);
        }

        return data;
    }

    internal static (double[] Start, double[] Stop, bool[] Status, List<Covariate> Covs, Factor? Strata, double[]? Weights, Factor? Cluster, bool? Robust, CoxOptions Options)
        Input(JsonElement c)
    {
        Func<string, double[]> column;
        if (c.TryGetProperty("dataset", out var ds))
        {
            var csv = CsvData.Load(ds.GetString()!);
            column = csv.Numeric;
        }
        else
        {
            var rows = c.GetProperty("data").EnumerateArray().ToArray();
            column = name => rows.Select(r => Golden.Number(r.GetProperty(name))).ToArray();
        }

        var covs = Golden.Strings(c.GetProperty("covariates")).Select(nm => (Covariate)new NumericCovariate(nm, column(nm))).ToList();
        Factor? strata = c.TryGetProperty("strata", out var s) ? Factor.FromValues("s", column(s.GetString()!).Select(v => (string?)v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()) : null;
        Factor? cluster = c.TryGetProperty("cluster", out var cl) ? Factor.FromValues("id", column(cl.GetString()!).Select(v => (string?)v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()) : null;
        double[]? weights = c.TryGetProperty("weights", out var w) ? column(w.GetString()!) : null;
        bool? robustRows = c.TryGetProperty("robust_rows", out var rr) && rr.GetBoolean() ? true : null;
        var ties = c.GetProperty("ties").GetString() == "breslow" ? TieMethod.Breslow : TieMethod.Efron;
        return (column(c.GetProperty("start").GetString()!), column(c.GetProperty("stop").GetString()!),
            column(c.GetProperty("event").GetString()!).Select(v => v == 1).ToArray(), covs, strata, weights, cluster, robustRows,
            new CoxOptions { Ties = ties });
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesR(string name)
    {
        var c = Cases.Value[name];
        var (start, stop, status, covs, strata, weights, cluster, robustRows, options) = Input(c);
        var fit = CountingProcessCox.Fit(start, stop, status, covs, strata, weights, cluster, robustRows, options);
        const double tol = Approx.Iterative;
        bool robust = c.GetProperty("robust").GetBoolean();
        Assert.Equal(robust, fit.Robust);
        Assert.Equal(Golden.Strings(c.GetProperty("terms")), fit.Terms.Select(t => t.Term).ToArray());
        Approx.Equal(Golden.Numbers(c.GetProperty("coef")), fit.Terms.Select(t => t.Coef).ToArray(), tol, "coef");
        Approx.Equal(Golden.Numbers(c.GetProperty("hr")), fit.Terms.Select(t => t.HazardRatio).ToArray(), tol, "exp(coef)");
        Approx.Equal(Golden.Numbers(c.GetProperty("se")), fit.Terms.Select(t => t.StdError).ToArray(), tol, "se(coef)");
        if (robust)
        {
            Approx.Equal(Golden.Numbers(c.GetProperty("robust_se")), fit.Terms.Select(t => t.RobustStdError!.Value).ToArray(), tol, "robust se");
            Approx.Equal(Golden.Numbers(c.GetProperty("rscore")), [fit.RobustScore!.Statistic], tol, "robust score test");
            Matrix(c.GetProperty("naive_var"), fit.NaiveVariance, "naive.var");
        }
        else
        {
            Assert.Null(fit.RobustScore);
            Assert.All(fit.Terms, t => Assert.Null(t.RobustStdError));
        }

        Approx.Equal(Golden.Numbers(c.GetProperty("z")), fit.Terms.Select(t => t.Z).ToArray(), tol, "z");
        Approx.Equal(Golden.Numbers(c.GetProperty("p")), fit.Terms.Select(t => t.P).ToArray(), tol, "p");
        Approx.Equal(Golden.Numbers(c.GetProperty("lower")), fit.Terms.Select(t => t.Lower).ToArray(), tol, "lower .95");
        Approx.Equal(Golden.Numbers(c.GetProperty("upper")), fit.Terms.Select(t => t.Upper).ToArray(), tol, "upper .95");
        Matrix(c.GetProperty("var"), fit.Variance, "var");
        Approx.Equal(Golden.Numbers(c.GetProperty("loglik")), [fit.LogLikNull, fit.LogLik], tol, "loglik");
        Assert.Equal((int)Golden.Number(c.GetProperty("iter")), fit.Iterations);
        Assert.Equal((int)Golden.Number(c.GetProperty("n")), fit.N);
        Assert.Equal((int)Golden.Number(c.GetProperty("nevent")), fit.Events);
        var lr = Golden.Numbers(c.GetProperty("logtest"));
        Approx.Equal(lr[0], fit.LikelihoodRatio.Statistic, tol, "LR test");
        Approx.Equal(lr[2], fit.LikelihoodRatio.P, tol, "LR p");
        Approx.Equal(Golden.Numbers(c.GetProperty("waldtest"))[0], fit.Wald.Statistic, tol, "Wald test");
        Approx.Equal(Golden.Numbers(c.GetProperty("sctest"))[0], fit.Score.Statistic, tol, "score test");
        Assert.True(fit.Converged);
        Assert.Empty(fit.Warnings);
    }

    private static void Matrix(JsonElement expected, double[][] actual, string what)
    {
        var rows = expected.EnumerateArray().ToArray();
        Assert.Equal(rows.Length, actual.Length);
        for (int j = 0; j < rows.Length; j++)
        {
            Approx.Equal(Golden.Numbers(rows[j]), actual[j], Approx.Iterative, $"{what}[{j}]", abs: 1e-12);
        }
    }
}
