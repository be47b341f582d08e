using System.Globalization;
using System.Text.Json;
using Sarcostat.Study.Analysis;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Study.Tests.Analysis;

/// <summary>
/// The Cox model with time-dependent exposures (complete cases, split at the exposure times, counting-process fit)
/// against R's tmerge + coxph on the synthetic cohort of tools/reference/tdcox.R (exposures at time 0, before it, at and
/// after the end of follow-up, a patient with follow-up time 0, missing baseline values).
/// </summary>
public class TimeDependentCoxAnalysisTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sarcostat.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private sealed record Cohort(List<string> Ids, double[] Time, bool[] Status, NumericVariable Age, CategoricalVariable Stage, List<double?> Rec, List<double?> Rpm);

    /// <summary>tools/reference/data/tdcox.csv: id, time, status, stage, age, rec, rpm (empty = NA).</summary>
    private static Cohort Read()
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "tools", "reference", "data", "tdcox.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(c => c.Trim('"')).ToArray()).ToList();
        string[] Col(string name) => rows.Select(r => r[header.IndexOf(name)]).ToArray();
        double? Num(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
        return new Cohort(
            [.. Col("id")],
            Col("time").Select(s => Num(s)!.Value).ToArray(),
            Col("status").Select(s => s == "1").ToArray(),
            new NumericVariable("age", Col("age").Select(s => Num(s) ?? double.NaN).ToArray()),
            new CategoricalVariable("stage", Col("stage").Select(s => s.Length == 0 ? null : s).ToList(), ["I", "II", "III"]),
            Col("rec").Select(Num).ToList(),
            Col("rpm").Select(Num).ToList());
    }

    private static JsonElement Golden(out JsonElement root, string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "tools", "reference", "golden", "tdcox_cases.json")));
        root = doc.RootElement.Clone();
        return root.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private static void Close(double expected, double actual, string what) =>
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(1e-6 * Math.Max(1, Math.Abs(expected)), what);

    private static double[] Numbers(JsonElement e, string key) => e.GetProperty(key).EnumerateArray().Select(x => x.GetDouble()).ToArray();

    /// <summary>R's coefficient name as the engine's covariate and level.</summary>
    private static (string Covariate, string? Level) TermOf(string r) =>
        r.StartsWith("stage", StringComparison.Ordinal) ? ("stage", r["stage".Length..]) : (r, null);

    [Theory]
    [InlineData("tdcox_rec_efron", TieMethod.Efron, false)]
    [InlineData("tdcox_rec_breslow", TieMethod.Breslow, false)]
    [InlineData("tdcox_rec_rpm_efron", TieMethod.Efron, true)]
    public void The_model_matches_R_tmerge_and_coxph(string name, TieMethod ties, bool both)
    {
        var c = Read();
        var golden = Golden(out var root, name);
        List<TimeDependentExposure> exposures = both
            ? [new("rec", c.Rec), new("rpm", c.Rpm)]
            : [new("rec", c.Rec)];

        var result = TimeDependentCoxAnalysis.Fit(c.Ids, c.Time, c.Status, [c.Age, c.Stage], exposures, new CoxOptions { Ties = ties });

        result.Fit.Should().NotBeNull(result.Problem);
        var fit = result.Fit!;
        fit.Robust.Should().BeFalse("the model-based variance, as coxph without cluster()");
        fit.N.Should().Be(golden.GetProperty("n").GetInt32(), "the (start, stop] rows of tmerge");
        result.Rows.Should().Be(fit.N);
        fit.Events.Should().Be(golden.GetProperty("nevent").GetInt32());
        result.Patients.Should().Be(golden.GetProperty("patients").GetInt32());
        result.Unsplit.Should().HaveCount(root.GetProperty("unsplit").GetInt32());
        result.Incomplete.Should().Be(root.GetProperty("incomplete").GetInt32());
        result.Issues.Should().ContainSingle(i => i.Code == "follow-up-not-split").Which.Count.Should().Be(1);
        result.Exposures.Select(e => e.Exposed).Should().Equal(golden.GetProperty("exposed").EnumerateArray().Select(x => x.GetInt32()));
        result.Exposures[0].ExposedFromStart.Should().Be(2, "patients P001 (at 0) and P002 (before 0) are exposed from time zero");

        var terms = golden.GetProperty("terms").EnumerateArray().Select(x => x.GetString()!).ToList();
        var coef = Numbers(golden, "coef");
        var se = Numbers(golden, "se");
        var z = Numbers(golden, "z");
        var p = Numbers(golden, "p");
        var lower = Numbers(golden, "lower");
        var upper = Numbers(golden, "upper");
        fit.Terms.Should().HaveCount(terms.Count);
        for (int k = 0; k < terms.Count; k++)
        {
            var (covariate, level) = TermOf(terms[k]);
            var t = result.Term(covariate, level);
            t.Should().NotBeNull(terms[k]);
            Close(coef[k], t!.Coef, $"coef of {terms[k]}");
            Close(se[k], t.StdError, $"se of {terms[k]}");
            Close(z[k], t.Z, $"z of {terms[k]}");
            Close(p[k], t.P, $"p of {terms[k]}");
            Close(lower[k], t.Lower, $"lower CI of {terms[k]}");
            Close(upper[k], t.Upper, $"upper CI of {terms[k]}");
        }

        var loglik = Numbers(golden, "loglik");
        Close(loglik[0], fit.LogLikNull, "loglik at 0");
        Close(loglik[1], fit.LogLik, "loglik");
        Close(Numbers(golden, "logtest")[0], fit.LikelihoodRatio.Statistic, "likelihood-ratio test");

        // The stage counts are patients (among those in the model), not rows.
        result.Terms.Single(t => t.Variable.Name == "stage").Counts.Values.Sum().Should().Be(result.Patients);
    }

    [Fact]
    public void An_exposure_nobody_has_is_left_out_with_an_issue_and_the_rest_is_fitted()
    {
        var c = Read();
        var never = new TimeDependentExposure("never", c.Ids.Select(_ => (double?)null).ToList());

        var result = TimeDependentCoxAnalysis.Fit(c.Ids, c.Time, c.Status, [c.Age], [new("rec", c.Rec), never], new CoxOptions());

        result.Fit.Should().NotBeNull();
        result.Term("never", null).Should().BeNull();
        result.Term("rec", null).Should().NotBeNull();
        var issue = result.Issues.Single(i => i.Code == "exposure-not-estimable");
        issue.Variable.Should().Be("never");
        issue.Count.Should().Be(0);
        result.Exposures.Single(e => e.Name == "never").InModel.Should().BeFalse();
    }

    [Fact]
    public void Exact_ties_give_no_fit_and_a_model_not_fitted_issue()
    {
        var c = Read();
        var result = TimeDependentCoxAnalysis.Fit(c.Ids, c.Time, c.Status, [c.Age], [new("rec", c.Rec)], new CoxOptions { Ties = TieMethod.Exact });
        result.Fit.Should().BeNull();
        result.Issues.Should().Contain(i => i.Code == "model-not-fitted");
        result.Problem.Should().Contain("exact");
    }

    [Fact]
    public void A_name_shared_by_an_exposure_and_a_variable_is_an_argument_error()
    {
        var c = Read();
        var act = () => TimeDependentCoxAnalysis.Fit(c.Ids, c.Time, c.Status, [c.Age], [new("age", c.Rec)], new CoxOptions());
        act.Should().Throw<ArgumentException>().WithMessage("*'age'*");
    }
}
