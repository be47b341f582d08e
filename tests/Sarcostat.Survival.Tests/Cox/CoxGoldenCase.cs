using System.Globalization;
using System.Text.Json;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// One case of golden/cox_cases.json (written by tools/reference/cox.R): rebuilds the exact input R saw and compares
/// every field of the fit with R's.
/// </summary>
internal sealed class CoxGoldenCase
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() => Read("cox_cases"));

    // golden/coxexact_cases.json (tools/reference/coxexact.R): the same layout, ties = "exact".
    private static readonly Lazy<Dictionary<string, JsonElement>> ExactCases = new(() => Read("coxexact_cases"));

    private static Dictionary<string, JsonElement> Read(string file) =>
        Golden.Load(file).GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c, StringComparer.Ordinal);

    private CoxGoldenCase(JsonElement json)
    {
        Json = json;
    }

    public JsonElement Json { get; }

    public string Name => Json.GetProperty("name").GetString()!;

    public static IEnumerable<object[]> Names() => Cases.Value.Keys.Select(k => new object[] { k });

    public static CoxGoldenCase Get(string name) => new(Cases.Value[name]);

    /// <summary>A case of golden/coxexact_cases.json.</summary>
    public static CoxGoldenCase GetExact(string name) => new(ExactCases.Value[name]);

    public double[] Time { get; private set; } = [];

    public bool[] Status { get; private set; } = [];

    public List<Covariate> Covariates { get; } = [];

    public Factor? Strata { get; private set; }

    public CoxOptions Options { get; private set; } = new();

    /// <summary>Reads the input: a dataset's columns (optionally a transformed time) or the inline data.</summary>
    public CoxGoldenCase Load()
    {
        var j = Json;
        Func<string, double[]> numeric;
        Func<string, string?[]> text;
        if (j.GetProperty("dataset").ValueKind == JsonValueKind.String)
        {
            var csv = CsvData.Load(j.GetProperty("dataset").GetString()!);
            numeric = csv.Numeric;
            text = csv.Text;
        }
        else
        {
            var data = j.GetProperty("data");
            numeric = col => Golden.Numbers(data.GetProperty(col));
            text = col => Golden.Numbers(data.GetProperty(col))
                .Select(v => double.IsNaN(v) ? null : v.ToString(CultureInfo.InvariantCulture)).ToArray();
        }

        var time = numeric(j.GetProperty("time").GetString()!);
        if (j.TryGetProperty("time_transform", out var transform))
        {
            double divisor = j.TryGetProperty("divisor", out var dv) ? dv.GetDouble() : double.NaN;
            switch (transform.GetString())
            {
                case "divide":
                    time = time.Select(t => t / divisor).ToArray();
                    break;
                case "ceiling_divide":
                    time = time.Select(t => Math.Ceiling(t / divisor)).ToArray();
                    break;
                case "months_from_dates":
                    // R: entry <- (seq_len(n) * 37) %% 1000; (entry + time) / 30.4375 - entry / 30.4375
                    int mult = j.GetProperty("entry_multiplier").GetInt32();
                    int mod = j.GetProperty("entry_modulus").GetInt32();
                    double dpm = j.GetProperty("days_per_month").GetDouble();
                    time = time.Select((t, i) =>
                    {
                        double entry = ((i + 1) * mult) % mod;
                        return ((entry + t) / dpm) - (entry / dpm);
                    }).ToArray();
                    break;
                default:
                    throw new InvalidOperationException($"Unknown transform {transform}");
            }
        }

        Time = time;
        Status = numeric(j.GetProperty("status").GetString()!).Select(v => v == 1).ToArray();
        foreach (var c in j.GetProperty("covariates").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            string column = c.GetProperty("column").GetString()!;
            if (c.GetProperty("type").GetString() == "numeric")
            {
                Covariates.Add(new NumericCovariate(name, numeric(column)));
            }
            else
            {
                string? reference = c.TryGetProperty("reference", out var r) ? r.GetString() : null;
                Covariates.Add(new CategoricalCovariate(Factor.FromValues(name, text(column), reference)));
            }
        }

        if (j.GetProperty("strata").ValueKind == JsonValueKind.String)
        {
            string s = j.GetProperty("strata").GetString()!;
            Strata = Factor.FromValues(s, text(s));
        }

        Options = new CoxOptions
        {
            Ties = j.GetProperty("ties").GetString() switch
            {
                "breslow" => TieMethod.Breslow,
                "exact" => TieMethod.Exact,
                _ => TieMethod.Efron,
            },
            MaxIterations = j.GetProperty("iter_max").GetInt32(),
            TimeFix = j.GetProperty("timefix").GetBoolean() ? TimeFix.R : TimeFix.Exact,
            ConfidenceLevel = j.GetProperty("conf_int").GetDouble(),
        };
        return this;
    }

    public CoxFit Fit() => CoxRegression.Fit(Time, Status, Covariates, Strata, Options);

    /// <summary>Compares every field of <paramref name="fit"/> with R's; <paramref name="rel"/> for iterative quantities.</summary>
    public void AssertMatches(CoxFit fit, double rel = Approx.Iterative)
    {
        var j = Json;
        string at = Name;
        fit.Terms.Select(t => t.Term).Should().Equal(Golden.Strings(j.GetProperty("terms")), $"{at}: term names");
        Approx.Equal(Golden.Numbers(j.GetProperty("coef")), fit.Terms.Select(t => t.Coef).ToArray(), rel, $"{at} coef");
        Approx.Equal(Golden.Numbers(j.GetProperty("hr")), fit.Terms.Select(t => t.HazardRatio).ToArray(), rel, $"{at} HR");
        Approx.Equal(Golden.Numbers(j.GetProperty("se")), fit.Terms.Select(t => t.StdError).ToArray(), rel, $"{at} se");
        Approx.Equal(Golden.Numbers(j.GetProperty("z")), fit.Terms.Select(t => t.Z).ToArray(), rel, $"{at} z");
        Approx.Equal(Golden.Numbers(j.GetProperty("p")), fit.Terms.Select(t => t.P).ToArray(), rel, $"{at} p");
        Approx.Equal(Golden.Numbers(j.GetProperty("lower")), fit.Terms.Select(t => t.Lower).ToArray(), rel, $"{at} lower");
        Approx.Equal(Golden.Numbers(j.GetProperty("upper")), fit.Terms.Select(t => t.Upper).ToArray(), rel, $"{at} upper");
        var variance = j.GetProperty("var").EnumerateArray().Select(Golden.Numbers).ToArray();
        fit.Variance.Should().HaveCount(variance.Length);
        double scale = variance.Select((row, i) => Math.Abs(row[i])).Max();
        for (int r = 0; r < variance.Length; r++)
        {
            // Off-diagonal covariances near zero are compared relative to the largest variance.
            Approx.Equal(variance[r], fit.Variance[r], rel, $"{at} var[{r}]", abs: rel * scale * 1e-3);
        }

        Approx.Equal(Golden.Numbers(j.GetProperty("means")), fit.Means.ToArray(), Approx.NonIterative, $"{at} means");
        var loglik = Golden.Numbers(j.GetProperty("loglik"));
        Approx.Equal(loglik[0], fit.LogLikNull, Approx.NonIterative, $"{at} loglik null");
        Approx.Equal(loglik[1], fit.LogLik, rel, $"{at} loglik");
        fit.Iterations.Should().Be(j.GetProperty("iter").GetInt32(), $"{at}: iterations");
        AssertTest(Golden.Numbers(j.GetProperty("score_test")), fit.Score, Approx.NonIterative, $"{at} score test");
        AssertTest(Golden.Numbers(j.GetProperty("wald_test")), fit.Wald, rel, $"{at} Wald test");
        AssertTest(Golden.Numbers(j.GetProperty("lr_test")), fit.LikelihoodRatio, rel, $"{at} LR test");
        fit.N.Should().Be(j.GetProperty("n").GetInt32(), $"{at}: n");
        fit.Events.Should().Be(j.GetProperty("nevent").GetInt32(), $"{at}: events");
        fit.NDropped.Should().Be(j.GetProperty("n_dropped").GetInt32(), $"{at}: dropped");
        fit.EventsDropped.Should().Be(j.GetProperty("events_dropped").GetInt32(), $"{at}: events dropped");

        var rWarnings = Golden.Strings(j.GetProperty("warnings"));
        bool rMonotone = rWarnings.Any(w => w.Contains("Loglik converged before", StringComparison.Ordinal));
        bool rRanOut = rWarnings.Any(w => w.Contains("Ran out of iterations", StringComparison.Ordinal));
        fit.Warnings.Any(w => w.Code == "monotone-likelihood").Should().Be(rMonotone, $"{at}: monotone warning as R");
        if (Options.MaxIterations > 1)
        {
            fit.Warnings.Any(w => w.Code == "not-converged").Should().Be(rRanOut, $"{at}: not-converged warning as R");
        }

        // R's coxexact reports iter = iter.max when it runs out (coxfit6: iter.max + 1).
        bool converged = Options.Ties == TieMethod.Exact ? !rRanOut : fit.Iterations <= Options.MaxIterations;
        fit.Converged.Should().Be(converged, $"{at}: converged flag");
    }

    private static void AssertTest(double[] expected, TestStatistic actual, double rel, string what)
    {
        Approx.Equal(expected[0], actual.Statistic, rel, $"{what} statistic");
        actual.DegreesOfFreedom.Should().Be((int)expected[1], $"{what} df");
        Approx.Equal(expected[2], actual.P, rel, $"{what} p");
    }
}
