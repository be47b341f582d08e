using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// End to end: the numbers of <c>sarcostat ... --json</c> on the exported R datasets equal R's golden values
/// (tools/reference/*.R), so the CLI adds nothing and loses nothing between the file and the engine.
/// </summary>
public class GoldenCliTests
{
    private static JsonElement GoldenCase(string file, string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Cli.Golden(file)));
        var root = doc.RootElement.Clone();
        return root.TryGetProperty("cases", out var cases)
            ? cases.EnumerateArray().First(c => c.GetProperty("name").GetString() == name)
            : root.GetProperty(name);
    }

    private static void Close(double expected, JsonElement actual, double rel, string what)
    {
        double a = actual.GetDouble();
        Math.Abs(a - expected).Should().BeLessThanOrEqualTo(rel * Math.Abs(expected), $"{what}: expected {expected:R}, actual {a:R}");
    }

    [Fact]
    public void Km_json_on_lung_by_sex_matches_survfit()
    {
        // R: survfit(Surv(time, status) ~ sex, data = lung)
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--json", "--steps");
        r.ExitCode.Should().Be(0, r.Error);
        var fits = r.Json().GetProperty("fits").EnumerateArray().ToArray();
        var golden = GoldenCase("km_datasets", "lung_by_sex").GetProperty("strata").EnumerateArray().ToArray();
        fits.Should().HaveCount(golden.Length);
        for (int g = 0; g < fits.Length; g++)
        {
            fits[g].GetProperty("n").GetInt32().Should().Be(golden[g].GetProperty("n").GetInt32());
            fits[g].GetProperty("events").GetInt32().Should().Be(golden[g].GetProperty("events").GetInt32());
            foreach (var part in new[] { "estimate", "lower", "upper" })
            {
                Close(golden[g].GetProperty("median").GetProperty(part).GetDouble(), fits[g].GetProperty("median").GetProperty(part), 1e-12, $"median {part}");
            }

            var steps = fits[g].GetProperty("steps").EnumerateArray().ToArray();
            var surv = golden[g].GetProperty("steps").GetProperty("surv").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var lower = golden[g].GetProperty("steps").GetProperty("lower").EnumerateArray().ToArray();
            steps.Should().HaveCount(surv.Length);
            for (int k = 0; k < surv.Length; k++)
            {
                Close(surv[k], steps[k].GetProperty("survival"), 1e-10, $"group {g} step {k} survival");
                if (lower[k].ValueKind == JsonValueKind.Number)
                {
                    Close(lower[k].GetDouble(), steps[k].GetProperty("lower"), 1e-10, $"group {g} step {k} lower");
                }
            }
        }
    }

    [Fact]
    public void Logrank_json_on_lung_by_sex_matches_survdiff()
    {
        // R: survdiff(Surv(time, status) ~ sex, data = lung)
        var r = Cli.Run("logrank", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var result = r.Json().GetProperty("result");
        var golden = GoldenCase("logrank_datasets", "lung_sex");
        Close(golden.GetProperty("chisq").GetDouble(), result.GetProperty("chiSquare"), 1e-10, "chi-square");
        Close(golden.GetProperty("pvalue").GetDouble(), result.GetProperty("p"), 1e-10, "p");
        result.GetProperty("degreesOfFreedom").GetInt32().Should().Be(golden.GetProperty("df").GetInt32());
    }

    [Fact]
    public void Cox_json_on_lung_matches_coxph_with_complete_case_counts()
    {
        // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung)  (one row lacks ph.ecog)
        var r = Cli.Run("cox", Cli.Data("lung"), "--time", "time", "--event", "status", "--covariates", "age,sex,ph.ecog", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var fit = r.Json().GetProperty("fit");
        var golden = GoldenCase("cox_cases", "lung_efron");
        var terms = fit.GetProperty("terms").EnumerateArray().ToArray();
        var coef = golden.GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var se = golden.GetProperty("se").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var p = golden.GetProperty("p").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int j = 0; j < coef.Length; j++)
        {
            Close(coef[j], terms[j].GetProperty("coef"), 1e-6, $"coef {j}");
            Close(se[j], terms[j].GetProperty("stdError"), 1e-6, $"se {j}");
            Close(p[j], terms[j].GetProperty("p"), 1e-6, $"p {j}");
        }

        Close(golden.GetProperty("lr_test")[0].GetDouble(), fit.GetProperty("likelihoodRatio").GetProperty("statistic"), 1e-6, "LR test");
        fit.GetProperty("n").GetInt32().Should().Be(golden.GetProperty("n").GetInt32());
        fit.GetProperty("nDropped").GetInt32().Should().Be(golden.GetProperty("n_dropped").GetInt32());
    }

    [Fact]
    public void Cox_with_a_factor_and_reference_level_names_terms_as_R()
    {
        // R: coxph(Surv(time, status) ~ trt + relevel(factor(celltype), "squamous") + karno, data = veteran)
        var r = Cli.Run("cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "trt,celltype,karno", "--reference", "celltype=squamous", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var terms = r.Json().GetProperty("fit").GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("term").GetString()).ToArray();
        terms.Should().Equal("trt", "celltypeadeno", "celltypelarge", "celltypesmallcell", "karno");
        var golden = GoldenCase("cox_cases", "veteran_relevel_squamous");
        golden.GetProperty("coef").GetArrayLength().Should().Be(5);
    }

    [Fact]
    public void Cox_covariate_tests_json_on_veteran_match_R_drop1()
    {
        // R (tools/reference/cox.R): fit <- coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran);
        // drop1(fit, test = "Chisq") and coxph.wtest on each covariate's block of fit$var.
        var r = Cli.Run("cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "celltype,karno,trt", "--covariate-tests", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var actual = r.Json().GetProperty("covariateTests").EnumerateArray().ToArray();
        var expected = GoldenCase("cox_cases", "veteran_efron").GetProperty("covariate_tests").EnumerateArray().ToArray();
        actual.Select(a => a.GetProperty("covariate").GetString()).Should().Equal("celltype", "karno", "trt");
        for (int i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = actual[i];
            a.GetProperty("likelihoodRatio").GetProperty("degreesOfFreedom").GetInt32().Should().Be(e.GetProperty("df").GetInt32());
            Close(e.GetProperty("lr").GetDouble(), a.GetProperty("likelihoodRatio").GetProperty("statistic"), 1e-6, "LR");
            Close(e.GetProperty("lr_p").GetDouble(), a.GetProperty("likelihoodRatio").GetProperty("p"), 1e-6, "LR p");
            Close(e.GetProperty("wald").GetDouble(), a.GetProperty("wald").GetProperty("statistic"), 1e-6, "Wald");
        }

        var text = Cli.Run("cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "celltype,karno,trt", "--covariate-tests");
        text.ExitCode.Should().Be(0, text.Error);
        text.Out.Should().Contain("Each covariate as a whole").And.MatchRegex(@"celltype\s+3\s");
    }

    [Fact]
    public void Univariate_json_on_lung_ecog_matches_R_survdiff_and_coxph()
    {
        // R (tools/reference/cox.R, case lung_ecog_factor_alone): lung$ph.ecog <- factor(lung$ph.ecog);
        // survdiff(Surv(time, status) ~ ph.ecog, data = lung); coxph(Surv(time, status) ~ ph.ecog, data = lung)
        var r = Cli.Run("univariate", Cli.Data("lung"), "--time", "time", "--event", "status", "--factors", "ph.ecog,age", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var golden = GoldenCase("cox_cases", "lung_ecog_factor_alone");
        var ecog = r.Json().GetProperty("factors")[0];
        ecog.GetProperty("kind").GetString().Should().Be("categorical");
        ecog.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("n").GetInt32())
            .Should().Equal(golden.GetProperty("logrank").GetProperty("n").EnumerateArray().Select(x => x.GetInt32()));
        ecog.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("events").GetInt32())
            .Should().Equal(golden.GetProperty("logrank").GetProperty("observed").EnumerateArray().Select(x => x.GetInt32()));
        Close(golden.GetProperty("logrank").GetProperty("chisq").GetDouble(), ecog.GetProperty("logRank").GetProperty("chiSquare"), 1e-10, "log-rank chi-square");
        Close(golden.GetProperty("logrank").GetProperty("p").GetDouble(), ecog.GetProperty("logRank").GetProperty("p"), 1e-10, "log-rank p");
        Close(golden.GetProperty("lr_test")[0].GetDouble(), ecog.GetProperty("likelihoodRatio").GetProperty("statistic"), 1e-6, "LR");
        Close(golden.GetProperty("lr_test")[2].GetDouble(), ecog.GetProperty("likelihoodRatio").GetProperty("p"), 1e-6, "LR p");
        var terms = ecog.GetProperty("cox").GetProperty("terms").EnumerateArray().ToArray();
        var p = golden.GetProperty("p").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        terms.Should().HaveCount(3);
        for (int i = 0; i < 3; i++)
        {
            Close(p[i], terms[i].GetProperty("p"), 1e-6, $"Wald p of term {i}");
        }

        var age = r.Json().GetProperty("factors")[1];
        age.GetProperty("kind").GetString().Should().Be("numeric");
        age.GetProperty("logRank").ValueKind.Should().Be(JsonValueKind.Null, "a numeric factor has no log-rank test");

        var text = Cli.Run("univariate", Cli.Data("lung"), "--time", "time", "--event", "status", "--factors", "ph.ecog,age");
        text.ExitCode.Should().Be(0, text.Error);
        text.Out.Should().Contain("log-rank p").And.Contain("LR p").And.Contain("1 (reference)").And.Contain("(per unit)");
    }

    [Fact]
    public void Univariate_names_a_reference_level_that_does_not_exist()
    {
        var r = Cli.Run("univariate", Cli.Data("lung"), "--time", "time", "--event", "status", "--factors", "sex", "--reference", "sex=9");
        r.ExitCode.Should().Be(1);
        r.Error.Should().Contain("column \"sex\"").And.Contain("found \"9\"").And.Contain("levels 1, 2 as the reference");
    }

    [Fact]
    public void Compare_json_on_lung_matches_t_test_and_fisher()
    {
        var r = Cli.Run("compare", Cli.Data("lung"), "--by", "sex", "--vars", "age,ph.ecog", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var comparisons = r.Json().GetProperty("comparisons").EnumerateArray().ToArray();
        comparisons[0].GetProperty("kind").GetString().Should().Be("numeric");
        comparisons[1].GetProperty("kind").GetString().Should().Be("categorical");
        // R: t.test(lung$age[lung$sex == 1], lung$age[lung$sex == 2], var.equal = TRUE)
        using var tests = JsonDocument.Parse(File.ReadAllText(Cli.Golden("compare_tests")));
        var student = tests.RootElement.GetProperty("ttest").EnumerateArray()
            .First(c => c.GetProperty("name").GetString() == "lung_age_by_sex" && c.GetProperty("var_equal").GetBoolean());
        Close(student.GetProperty("p").GetDouble(), comparisons[0].GetProperty("result").GetProperty("student").GetProperty("p"), 1e-10, "Student p");

        // R: fisher.test(table(lung$ph.ecog, lung$sex))
        using var tables = JsonDocument.Parse(File.ReadAllText(Cli.Golden("compare_tables")));
        var fisher = tables.RootElement.GetProperty("fisher").EnumerateArray().First(c => c.GetProperty("name").GetString() == "lung_ecog_by_sex");
        Close(fisher.GetProperty("p").GetDouble(), comparisons[1].GetProperty("result").GetProperty("fisher").GetProperty("p"), 1e-10, "Fisher p");
    }

    [Theory]
    [InlineData("yes", "exact")]
    [InlineData("no", "normal")]
    [InlineData("auto", "auto")]
    public void Compare_exact_forces_or_forbids_the_exact_Mann_Whitney_p_as_R(string option, string golden)
    {
        // R: wilcox.test(x, y, exact = TRUE / FALSE / NULL) on a small sample without ties (tools/reference/compare.R).
        using var tests = JsonDocument.Parse(File.ReadAllText(Cli.Golden("compare_tests")));
        var c = tests.RootElement.GetProperty("wilcox").EnumerateArray()
            .First(w => w.GetProperty("name").GetString() == "small_no_ties" && w.GetProperty("exact").GetString() == golden);
        var x = c.GetProperty("x").EnumerateArray().Select(e => e.GetDouble());
        var y = c.GetProperty("y").EnumerateArray().Select(e => e.GetDouble());
        using var dir = Cli.Temp();
        var csv = dir.Write("xy.csv", "g,v\n" + string.Join("\n", x.Select(v => FormattableString.Invariant($"a,{v:R}")).Concat(y.Select(v => FormattableString.Invariant($"b,{v:R}")))) + "\n");
        var r = Cli.Run("compare", csv, "--by", "g", "--vars", "v", "--numeric", "v", "--exact", option, "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var mw = r.Json().GetProperty("comparisons")[0].GetProperty("result").GetProperty("mannWhitney");
        Close(c.GetProperty("p").GetDouble(), mw.GetProperty("p"), 1e-10, "p");
        Close(c.GetProperty("sigma").GetDouble(), mw.GetProperty("sigma"), 1e-10, "sigma");
        Close(c.GetProperty("z").GetDouble(), mw.GetProperty("normalZ"), 1e-10, "z");
        mw.GetProperty("method").ToString().Should().Be(c.GetProperty("method_exact").GetBoolean() ? "exact" : "normalApproximation");
    }

    [Fact]
    public void Demo_runs_km_logrank_and_cox_on_the_bundled_dataset()
    {
        var r = Cli.Run("demo");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("$ sarcostat km lung.csv").And.Contain("Log-rank test of sex").And.Contain("ph.ecog");
    }
}

public class FirthCliTests
{
    [Fact]
    public void Cox_firth_on_a_monotone_case_warns_for_ML_and_gives_the_golden_Firth_estimate()
    {
        // R (tools/reference/firth.R): Firth by hand; coxph(...) warns "Loglik converged before variable 1".
        using var golden = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Cli.Golden("firth_monotone")));
        var g = golden.RootElement;
        var data = g.GetProperty("data");
        var t = data.GetProperty("time").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var d = data.GetProperty("status").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var grp = data.GetProperty("g").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        using var dir = Cli.Temp();
        var csv = dir.Write("mono.csv", "time,status,g\n" + string.Join("\n", t.Select((v, i) => FormattableString.Invariant($"{v},{d[i]},{grp[i]}"))) + "\n");
        var r = Cli.Run("cox", csv, "--time", "time", "--event", "status", "--covariates", "g", "--firth", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        r.Error.Should().Contain("warning").And.Contain("infinite");
        var firth = r.Json().GetProperty("firth").GetProperty("terms")[0];
        firth.GetProperty("coef").GetDouble().Should().BeApproximately(g.GetProperty("coef").GetDouble(), 1e-6);
        firth.GetProperty("lower").GetDouble().Should().BeApproximately(g.GetProperty("hr_lower").GetDouble(), 1e-6 * g.GetProperty("hr_lower").GetDouble());
        firth.GetProperty("upper").GetDouble().Should().BeApproximately(g.GetProperty("hr_upper").GetDouble(), 1e-6);
    }
}
