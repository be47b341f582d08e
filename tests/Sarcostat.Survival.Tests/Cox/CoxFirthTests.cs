using System.Text.Json;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// Firth-penalised Cox regression against golden values computed by hand in R from Heinze &amp; Schemper's formulas
/// (tools/reference/firth.R: l*(b) from coxph(ties = "breslow", init = b, iter.max = 0), Newton on the modified score,
/// uniroot on the profile penalised likelihood).
/// </summary>
public class CoxFirthTests
{
    /// <summary>
    /// Both sides solve to ~1e-11 (R: Newton to |U*| &lt; 1e-11, uniroot tol 1e-12; C#: step ≤ 1e-9); achieved agreement is
    /// ≤ 3e-10 for estimates and ≤ 6e-12 for the profile limits, so 1e-8 leaves a wide margin (the brief allowed 1e-6 / 1e-5).
    /// </summary>
    private const double Tight = 1e-8;

    private static (double[] Time, bool[] Status, Dictionary<string, double[]> Columns) Input(JsonElement golden)
    {
        if (golden.TryGetProperty("dataset", out var dataset))
        {
            var data = CsvData.Load(dataset.GetString()!);
            var columns = Golden.Strings(golden.GetProperty("covariates")).ToDictionary(c => c, data.Numeric);
            return (data.Numeric("time"), data.Event("status"), columns);
        }

        var d = golden.GetProperty("data");
        var cols = Golden.Strings(golden.GetProperty("covariates")).ToDictionary(c => c, c => Golden.Numbers(d.GetProperty(c)));
        return (Golden.Numbers(d.GetProperty("time")), Golden.Numbers(d.GetProperty("status")).Select(v => v == 1).ToArray(), cols);
    }

    private static CoxFirthFit FitGolden(JsonElement golden)
    {
        var (time, status, columns) = Input(golden);
        Factor? strata = null;
        if (golden.TryGetProperty("strata", out var s))
        {
            var codes = Golden.Numbers(golden.GetProperty("data").GetProperty(s.GetString()!));
            strata = Factor.FromValues("s", codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }

        return CoxFirth.Fit(time, status, columns.Select(c => (Covariate)new NumericCovariate(c.Key, c.Value)).ToList(), strata);
    }

    private static void CompareWithGolden(string name)
    {
        var golden = Golden.Load(name);
        var fit = FitGolden(golden);
        var terms = Golden.Strings(golden.GetProperty("terms"));
        fit.Terms.Select(t => t.Term).Should().Equal(terms);
        fit.Estimator.Should().Be("Firth");
        fit.Converged.Should().BeTrue();
        fit.Warnings.Should().BeEmpty();
        var coef = Golden.Numbers(golden.GetProperty("coef"));
        var se = Golden.Numbers(golden.GetProperty("se"));
        var lower = Golden.Numbers(golden.GetProperty("lower"));
        var upper = Golden.Numbers(golden.GetProperty("upper"));
        var prob = Golden.Numbers(golden.GetProperty("prob"));
        for (int r = 0; r < terms.Length; r++)
        {
            var t = fit.Terms[r];
            Approx.Equal(coef[r], t.Coef, Tight, $"coef {terms[r]}");
            Approx.Equal(Math.Exp(coef[r]), t.HazardRatio, Approx.Iterative, $"HR {terms[r]}");
            Approx.Equal(se[r], t.StdError, Tight, $"se {terms[r]}");
            Approx.Equal(coef[r] / se[r], t.Z, Approx.Iterative, $"z {terms[r]}");
            Approx.Equal(lower[r], Math.Log(t.Lower!.Value), Tight, $"profile lower {terms[r]}");
            Approx.Equal(upper[r], Math.Log(t.Upper!.Value), Tight, $"profile upper {terms[r]}");
            Approx.Equal(prob[r], t.P, Tight, $"penalised LR p {terms[r]}");
        }

        var v = golden.GetProperty("var");
        for (int a = 0; a < terms.Length; a++)
        {
            var row = Golden.Numbers(v[a]);
            for (int b = 0; b < terms.Length; b++)
            {
                Approx.Equal(row[b], fit.Variance[a][b], Approx.Iterative, $"var[{a},{b}]");
            }
        }

        var pl = Golden.Numbers(golden.GetProperty("pen_loglik"));
        Approx.Equal(pl[0], fit.PenalizedLogLikNull, Approx.NonIterative, "penalised loglik at 0");
        Approx.Equal(pl[1], fit.PenalizedLogLik, Approx.Iterative, "penalised loglik");
        var ll = Golden.Numbers(golden.GetProperty("loglik"));
        Approx.Equal(ll[0], fit.LogLikNull, Approx.NonIterative, "loglik at 0");
        Approx.Equal(ll[1], fit.LogLik, Approx.Iterative, "loglik at the Firth estimate");
        var lr = Golden.Numbers(golden.GetProperty("lr_test"));
        Approx.Equal(lr[0], fit.LikelihoodRatio.Statistic, Approx.Iterative, "penalised LR");
        fit.LikelihoodRatio.DegreesOfFreedom.Should().Be((int)lr[1]);
        Approx.Equal(lr[2], fit.LikelihoodRatio.P, Approx.Iterative, "penalised LR p");
    }

    // R (firth.R): l*(b) = coxph(Surv(time, status) ~ g, ties = "breslow", init = b, iter.max = 0)$loglik[2] + ½ log det solve($var)
    [Fact]
    public void Monotone_binary_covariate_matches_the_hand_computed_R_values()
        => CompareWithGolden("firth_monotone");

    // R (firth.R): as above with ~ g + x
    [Fact]
    public void Monotone_binary_covariate_with_a_continuous_one_matches_the_hand_computed_R_values()
        => CompareWithGolden("firth_monotone_x");

    // R (firth.R): lung, Surv(time, status) ~ age + sex, Breslow
    [Fact]
    public void Regular_lung_model_matches_the_hand_computed_R_values()
        => CompareWithGolden("firth_lung");

    // R (firth.R): as above with ~ g + x + strata(s), two strata
    [Fact]
    public void Stratified_monotone_model_matches_the_hand_computed_R_values()
        => CompareWithGolden("firth_strata");

    [Fact]
    public void Monotone_case_gives_a_finite_estimate_and_interval_where_ordinary_Cox_warns()
    {
        var golden = Golden.Load("firth_monotone_x");
        var (time, status, columns) = Input(golden);
        var covariates = columns.Select(c => (Covariate)new NumericCovariate(c.Key, c.Value)).ToList();
        var ml = CoxRegression.Fit(time, status, covariates, options: new CoxOptions { Ties = TieMethod.Breslow });
        ml.Warnings.Select(w => w.Code).Should().Contain("monotone-likelihood");
        Approx.Equal(Golden.Numbers(golden.GetProperty("ml_coef"))[0], ml.Terms[0].Coef, 1e-3, "R's ML coef of g (diverging)");
        ml.Terms[0].Coef.Should().BeLessThan(-15);

        var firth = CoxFirth.Fit(time, status, covariates);
        var g = firth.Terms[0];
        double.IsFinite(g.Coef).Should().BeTrue();
        g.Coef.Should().BeInRange(-5, -1);
        g.Lower.Should().NotBeNull();
        g.Upper.Should().NotBeNull();
        double.IsFinite(g.Lower!.Value).Should().BeTrue();
        g.Lower.Value.Should().BeGreaterThan(0);
        g.Upper!.Value.Should().BeLessThan(1);
        g.Lower.Value.Should().BeLessThan(g.HazardRatio);
        g.Upper.Value.Should().BeGreaterThan(g.HazardRatio);
        firth.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_profile_limit_that_cannot_be_found_is_null_with_a_warning()
    {
        // On the monotone side the profile deviance grows slowly (½ log I ~ β/2 as β → −∞): at 99.99 % the lower limit
        // of g is already near −19, and at 1 − 1e-9 (χ² quantile ≈ 37) it is not found (beyond −50, or the information
        // numerically singular on the way). The finite side and the other term keep their limits.
        var golden = Golden.Load("firth_monotone_x");
        var (time, status, columns) = Input(golden);
        Covariate[] covariates = [new NumericCovariate("g", columns["g"]), new NumericCovariate("x", columns["x"])];
        var wide = CoxFirth.Fit(time, status, covariates, options: new CoxFirthOptions { ConfidenceLevel = 0.9999 });
        Math.Log(wide.Terms[0].Lower!.Value).Should().BeInRange(-25, -15);
        wide.Warnings.Should().BeEmpty();

        var fit = CoxFirth.Fit(time, status, covariates, options: new CoxFirthOptions { ConfidenceLevel = 1 - 1e-9 });
        fit.Terms[0].Lower.Should().BeNull();
        fit.Terms[0].Upper.Should().NotBeNull();
        fit.Terms[1].Lower.Should().NotBeNull();
        fit.Terms[1].Upper.Should().NotBeNull();
        var warning = fit.Warnings.Single(w => w.Code == "profile-limit-not-found");
        warning.Message.Should().Contain("lower profile-likelihood limit of term 'g'");
    }

    [Fact]
    public void A_factor_level_without_events_gets_a_finite_estimate_beside_a_regular_level()
    {
        // Three levels: A (reference) and B have events, C has none (as a rare histology with 3 censored patients).
        var golden = Golden.Load("firth_monotone");
        var (time, status, columns) = Input(golden);
        var levels = columns["g"].Select((g, i) => g == 1 ? "C" : (i % 2 == 0 ? "A" : "B")).ToArray();
        var factor = Factor.FromValues("h", levels);
        var ml = CoxRegression.Fit(time, status, [new CategoricalCovariate(factor)], options: new CoxOptions { Ties = TieMethod.Breslow });
        ml.Warnings.Select(w => w.Code).Should().Contain("monotone-likelihood");
        var fit = CoxFirth.Fit(time, status, [new CategoricalCovariate(factor)]);
        fit.Terms.Select(t => t.Term).Should().Equal("hB", "hC");
        fit.Terms.Should().OnlyContain(t => double.IsFinite(t.Coef) && t.Lower != null && t.Upper != null);
        fit.Terms[1].Coef.Should().BeLessThan(-1);
        Math.Abs(fit.Terms[0].Coef - ml.Terms[0].Coef).Should().BeLessThan(0.2, "the regular level moves little");
    }

    [Fact]
    public void Firth_approaches_maximum_likelihood_as_the_data_are_repeated()
    {
        var lung = CsvData.Load("lung");
        double[] time = lung.Numeric("time"), age = lung.Numeric("age"), sex = lung.Numeric("sex");
        bool[] status = lung.Event("status");
        static T[] Repeat<T>(T[] a, int k) => Enumerable.Repeat(a, k).SelectMany(x => x).ToArray();
        CoxFirthFit Firth(int k) => CoxFirth.Fit(
            Repeat(time, k), Repeat(status, k), [new NumericCovariate("age", Repeat(age, k)), new NumericCovariate("sex", Repeat(sex, k))]);
        var ml = CoxRegression.Fit(time, status, [new NumericCovariate("age", age), new NumericCovariate("sex", sex)], options: new CoxOptions { Ties = TieMethod.Breslow });
        var once = Firth(1);
        var fifty = Firth(50);
        for (int r = 0; r < 2; r++)
        {
            double gapOnce = Math.Abs(once.Terms[r].Coef - ml.Terms[r].Coef);
            double gapFifty = Math.Abs(fifty.Terms[r].Coef - ml.Terms[r].Coef);
            gapOnce.Should().BeGreaterThan(1e-5, "Firth shrinks the estimate at n = 228");
            gapFifty.Should().BeLessThan(gapOnce / 25, "the penalty is O(1) while the likelihood grows with n");
        }
    }

    [Fact]
    public void Row_order_and_a_factor_coding_change_nothing()
    {
        var golden = Golden.Load("firth_monotone_x");
        var (time, status, columns) = Input(golden);
        var fit = CoxFirth.Fit(time, status, [new NumericCovariate("g", columns["g"]), new NumericCovariate("x", columns["x"])]);
        int n = time.Length;
        var perm = Enumerable.Range(0, n).Select(i => (i * 17) % n).ToArray();
        var factor = Factor.FromValues("g", perm.Select(i => columns["g"][i] == 1 ? "B" : "A").ToArray());
        var shuffled = CoxFirth.Fit(
            perm.Select(i => time[i]).ToArray(),
            perm.Select(i => status[i]).ToArray(),
            [new CategoricalCovariate(factor), new NumericCovariate("x", perm.Select(i => columns["x"][i]).ToArray())]);
        shuffled.Terms[0].Term.Should().Be("gB");
        shuffled.Terms[0].Level.Should().Be("B");
        for (int r = 0; r < 2; r++)
        {
            Approx.Equal(fit.Terms[r].Coef, shuffled.Terms[r].Coef, 1e-8, "coef");
            Approx.Equal(fit.Terms[r].Lower!.Value, shuffled.Terms[r].Lower!.Value, 1e-7, "lower");
            Approx.Equal(fit.Terms[r].Upper!.Value, shuffled.Terms[r].Upper!.Value, 1e-7, "upper");
        }
    }

    [Fact]
    public void Missing_covariates_are_dropped_and_counted()
    {
        var golden = Golden.Load("firth_monotone");
        var (time, status, columns) = Input(golden);
        var x = (double[])columns["g"].Clone();
        x[0] = double.NaN;
        var fit = CoxFirth.Fit(time, status, [new NumericCovariate("g", x)]);
        fit.N.Should().Be(time.Length - 1);
        fit.NDropped.Should().Be(1);
        fit.EventsDropped.Should().Be(status[0] ? 1 : 0);
        fit.ToString().Should().Be($"CoxFirthFit(n={time.Length - 1}, events={status.Skip(1).Count(s => s)}, terms=1)");
    }

    [Fact]
    public void Bad_input_fails_as_in_CoxRegression()
    {
        double[] time = [5, 8, 12, 3, 9, 15, 20, 7, 11, 14];
        bool[] status = [true, true, false, true, true, false, true, false, true, true];
        double[] x1 = [0.5, 1.2, -0.3, 0.8, 2.1, 0.0, -1.1, 0.4, 1.7, -0.6];
        var x = new NumericCovariate("x1", x1);
        FluentActions.Invoking(() => CoxFirth.Fit(time, new bool[10], [x])).Should().Throw<CoxNoEventsException>();
        FluentActions.Invoking(() => CoxFirth.Fit(time, status, [x, new NumericCovariate("c", Enumerable.Repeat(3.0, 10).ToArray())]))
            .Should().Throw<CoxDesignException>().Which.Terms.Should().Equal("c");
        FluentActions.Invoking(() => CoxFirth.Fit(time, status, [x, new NumericCovariate("b", x1.Select(v => (2 * v) + 1).ToArray())]))
            .Should().Throw<CoxDesignException>().WithMessage("*collinear*");
        FluentActions.Invoking(() => CoxFirth.Fit(null!, status, [x])).Should().Throw<ArgumentNullException>().WithParameterName("time");
        FluentActions.Invoking(() => CoxFirth.Fit(time, status.Take(9).ToArray(), [x])).Should().Throw<ArgumentException>().WithParameterName("status");
        FluentActions.Invoking(() => CoxFirth.Fit(time, status, [])).Should().Throw<ArgumentException>().WithParameterName("covariates");
        FluentActions.Invoking(() => CoxFirth.Fit(time, status, [x], options: new CoxFirthOptions { ConfidenceLevel = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => CoxFirth.Fit(time, status, [x], options: new CoxFirthOptions { MaxStep = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
