using System.Text.Json;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

public class CoxZphSmoothTests
{
    public static IEnumerable<object[]> Cases => ModelCheckCase.Names();

    // R (tools/reference/zph.R), per case of CoxZphGoldenTests and transform tr in "km", "identity", "rank", "log":
    //   z <- cox.zph(fit, transform = tr); z$var
    [Theory]
    [MemberData(nameof(Cases))]
    public void Variance_matches_R_for_every_transform(string name)
    {
        var c = ModelCheckCase.Load(name);
        foreach (var r in c.Json.GetProperty("zph").EnumerateArray())
        {
            var transform = Parse(r.GetProperty("transform").GetString()!);
            var z = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit, c.Strata, transform);
            var expected = Matrix(r.GetProperty("var"));
            z.Variance.Length.Should().Be(expected.Length);
            for (int a = 0; a < expected.Length; a++)
            {
                // Iterative: from the information at the Newton-Raphson β̂.
                Approx.Equal(expected[a], z.Variance[a], Approx.Iterative, $"{name}/{transform}: var[{a}]");
            }
        }
    }

    // R (tools/reference/zph.R, zph_smooth(), checked there to be identical to what plot.cox.zph draws):
    //   z <- cox.zph(fit, transform = tr)
    //   pred.x <- seq(min(z$x), max(z$x), length = 40); lmat <- ns(c(pred.x, z$x), df = 4, intercept = TRUE)
    //   qmat <- qr(xmat[keep, ]); yhat <- pmat %*% qr.coef(qmat, y); yup/ylow <- yhat +- 2 sqrt(z$var[i, i] * seval)
    // Cases: lung (3 covariates, 164 events), veteran (factor), ovarian (12 events), lung with strata, and the hand-made
    // cases with 9 events (ties, Breslow, a stratum with NA residuals, a factor); each with km, identity, rank and log.
    // Tolerance 1e-6 relative (the residuals come from the iterative fit). Observed over all cases, transforms and terms:
    // pred.x within 5e-15 relative, yhat, ylow and yup within 7e-11 relative, z$var within 4e-14 relative.
    [Theory]
    [MemberData(nameof(Cases))]
    public void Smooth_and_band_match_R_for_every_transform_and_term(string name)
    {
        var c = ModelCheckCase.Load(name);
        foreach (var r in c.Json.GetProperty("zph").EnumerateArray())
        {
            var transform = Parse(r.GetProperty("transform").GetString()!);
            var z = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit, c.Strata, transform);
            var smooths = r.GetProperty("smooth").EnumerateArray().ToArray();
            smooths.Length.Should().Be(z.Tests.Count);
            for (int k = 0; k < smooths.Length; k++)
            {
                string at = $"{name}/{transform}/{z.Tests[k].Term}";
                var expected = smooths[k];
                var s = CoxZph.Smooth(z, k);
                s.IsSingular.Should().Be(expected.GetProperty("singular").GetBoolean(), at);
                s.Term.Should().Be(z.Tests[k].Term);
                Approx.Equal(Golden.Numbers(expected.GetProperty("x")), s.X, Approx.NonIterative, $"{at}: pred.x", 1e-14);
                Curve(expected.GetProperty("yhat"), s.Fit, $"{at}: yhat");
                Curve(expected.GetProperty("ylow"), s.Lower, $"{at}: ylow");
                Curve(expected.GetProperty("yup"), s.Upper, $"{at}: yup");
            }
        }
    }

    // R (tools/reference/zph.R, "singular"): events at three distinct times only.
    //   few <- data.frame(time = c(1, 1, 2, 2, 3, 3, 4, 5, 6, 7), status = c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0),
    //                     x = c(0, 1, 1, 0, 1, 0, 1, 0, 1, 0))
    //   plot(cox.zph(coxph(Surv(time, status) ~ x, data = few)))
    //   Warning: spline fit is singular, variable 1 skipped        (qr(xmat)$rank is 3 < df = 4)
    [Fact]
    public void A_singular_spline_fit_gives_no_curve_and_a_warning_as_R_skips_the_term()
    {
        var root = Golden.Load("zph_cases").GetProperty("singular");
        var data = root.GetProperty("data");
        var time = Golden.Numbers(data.GetProperty("time"));
        var status = Golden.Numbers(data.GetProperty("status")).Select(v => v == 1).ToArray();
        var covariates = new List<Covariate> { new NumericCovariate("x", Golden.Numbers(data.GetProperty("x"))) };
        var z = CoxZph.Test(time, status, covariates, CoxRegression.Fit(time, status, covariates));
        Approx.Equal(Golden.Numbers(root.GetProperty("x")), z.TransformedTime.ToArray(), Approx.ClosedForm, "x", 1e-14);
        root.GetProperty("smooth")[0].GetProperty("singular").GetBoolean().Should().BeTrue();
        Golden.Strings(root.GetProperty("warnings")).Should().Equal("spline fit is singular, variable 1 skipped");

        var s = CoxZph.Smooth(z, 0);

        s.IsSingular.Should().BeTrue();
        s.X.Should().BeEmpty();
        s.Fit.Should().BeEmpty();
        s.Lower.Should().BeEmpty();
        s.Upper.Should().BeEmpty();
        s.Warning!.Code.Should().Be("spline-singular");
        s.Warning.Message.Should().Contain("'x'").And.Contain("3 distinct times");
    }

    // R (tools/reference/zph.R, "repeated_knot"): 60 of 100 deaths at time 25, so ns() puts both interior knots at the
    // same place for the identity (25) and rank (50.5) transforms; km has distinct knots.
    //   fit <- coxph(Surv(time, status) ~ x + z, data = tied); z <- cox.zph(fit, transform = tr); zph_smooth(z)
    // Tolerance 1e-6 relative; observed within 6e-12 relative.
    [Fact]
    public void A_repeated_interior_knot_gives_Rs_smooth()
    {
        var root = Golden.Load("zph_cases").GetProperty("repeated_knot");
        var data = root.GetProperty("data");
        var time = Golden.Numbers(data.GetProperty("time"));
        var status = Golden.Numbers(data.GetProperty("status")).Select(v => v == 1).ToArray();
        var covariates = new List<Covariate>
        {
            new NumericCovariate("x", Golden.Numbers(data.GetProperty("x"))),
            new NumericCovariate("z", Golden.Numbers(data.GetProperty("z"))),
        };
        var fit = CoxRegression.Fit(time, status, covariates);
        Approx.Equal(Golden.Numbers(root.GetProperty("coef")), fit.Terms.Select(t => t.Coef).ToArray(), Approx.Iterative, "coef");
        foreach (var r in root.GetProperty("zph").EnumerateArray())
        {
            var transform = Parse(r.GetProperty("transform").GetString()!);
            var z = CoxZph.Test(time, status, covariates, fit, null, transform);
            var smooths = r.GetProperty("smooth").EnumerateArray().ToArray();
            for (int k = 0; k < smooths.Length; k++)
            {
                string at = $"repeated_knot/{transform}/{z.Tests[k].Term}";
                var s = CoxZph.Smooth(z, k);
                s.IsSingular.Should().BeFalse(at);
                Approx.Equal(Golden.Numbers(smooths[k].GetProperty("x")), s.X, Approx.NonIterative, $"{at}: pred.x", 1e-14);
                Curve(smooths[k].GetProperty("yhat"), s.Fit, $"{at}: yhat");
                Curve(smooths[k].GetProperty("ylow"), s.Lower, $"{at}: ylow");
                Curve(smooths[k].GetProperty("yup"), s.Upper, $"{at}: yup");
            }
        }
    }

    // R 4.2.2, survival 3.5-3 (run by hand, no golden file: the outcome is a warning, not numbers):
    //   d <- data.frame(time = c(rep(1, 60), 2:41, 50:59), status = c(rep(1, 100), rep(0, 10)), x = (1:110 * 7) %% 5)
    //   z <- cox.zph(coxph(Surv(time, status) ~ x, data = d))
    //   attr(ns(c(seq(min(z$x), max(z$x), length = 40), z$x), df = 4, intercept = TRUE), "knots")   # 0.0 0.6
    //   plot(z)   # Warning: spline fit is singular, variable 1 skipped
    [Fact]
    public void A_knot_on_the_boundary_is_a_singular_fit_as_in_R()
    {
        var time = Enumerable.Repeat(1.0, 60).Concat(Enumerable.Range(2, 40).Select(t => (double)t)).Concat(Enumerable.Range(50, 10).Select(t => (double)t)).ToArray();
        var status = Enumerable.Range(0, 110).Select(i => i < 100).ToArray();
        var covariates = new List<Covariate> { new NumericCovariate("x", Enumerable.Range(1, 110).Select(i => (double)(i * 7 % 5)).ToArray()) };
        var z = CoxZph.Test(time, status, covariates, CoxRegression.Fit(time, status, covariates));
        z.TransformedTime.Distinct().Should().HaveCount(41, "enough distinct times: the knot, not their number, makes it singular");

        var s = CoxZph.Smooth(z, 0);

        s.IsSingular.Should().BeTrue();
        s.Warning!.Message.Should().Contain("knot falls on the boundary");
    }

    [Fact]
    public void A_smaller_df_fits_with_as_few_distinct_times_as_df()
    {
        // Three distinct times suffice for df = 3 (one interior knot), as R's plot(z, df = 3) draws a curve.
        var root = Golden.Load("zph_cases").GetProperty("singular").GetProperty("data");
        var time = Golden.Numbers(root.GetProperty("time"));
        var status = Golden.Numbers(root.GetProperty("status")).Select(v => v == 1).ToArray();
        var covariates = new List<Covariate> { new NumericCovariate("x", Golden.Numbers(root.GetProperty("x"))) };
        var z = CoxZph.Test(time, status, covariates, CoxRegression.Fit(time, status, covariates));
        var s = CoxZph.Smooth(z, 0, df: 3, points: 7);
        s.IsSingular.Should().BeFalse();
        s.X.Should().HaveCount(7);
        s.Lower.Zip(s.Fit, s.Upper).Should().OnlyContain(t => t.First <= t.Second && t.Second <= t.Third);
    }

    // Identity: the least-squares natural spline reproduces a straight line exactly, whatever the knots, and a line
    // through the residuals has zero residual sum of squares, so the fit at the grid is the line itself.
    [Fact]
    public void Residuals_on_a_straight_line_are_fitted_exactly()
    {
        var c = ModelCheckCase.Load("lung");
        var z = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit);
        var line = z.TransformedTime.Select(x => (double?)(0.3 - (1.7 * x))).ToArray();
        var onLine = Rebuild(z, line);
        var s = CoxZph.Smooth(onLine, 0);
        for (int i = 0; i < s.X.Count; i++)
        {
            Approx.Equal(0.3 - (1.7 * s.X[i]), s.Fit[i], 1e-12, $"fit[{i}]", 1e-12);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_with_their_names()
    {
        var c = ModelCheckCase.Load("small");
        var z = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit);
        ((Action)(() => CoxZph.Smooth(null!, 0))).Should().Throw<ArgumentNullException>().WithParameterName("zph");
        ((Action)(() => CoxZph.Smooth(z, 2))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("term");
        ((Action)(() => CoxZph.Smooth(z, -1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("term");
        ((Action)(() => CoxZph.Smooth(z, 0, df: 1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("df");
        ((Action)(() => CoxZph.Smooth(z, 0, points: 1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("points");
    }

    /// <summary>R's curve vs the engine's: relative 1e-6.</summary>
    private static void Curve(JsonElement expected, IReadOnlyList<double> actual, string what) =>
        Approx.Equal(Golden.Numbers(expected), actual, Approx.Iterative, what);

    private static double[][] Matrix(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Array)
            ? e.EnumerateArray().Select(Golden.Numbers).ToArray()
            : [Golden.Numbers(e)];

    /// <summary>The same result with other residuals in column 0 (for identities that need a known y).</summary>
    private static CoxZphResult Rebuild(CoxZphResult z, double?[] column0)
    {
        var residuals = z.ScaledResiduals.Select((row, i) => row.Select((v, k) => k == 0 ? column0[i] : v).ToArray()).ToArray();
        return new CoxZphResult(z.Transform, z.Tests, z.Global, z.Time, z.TransformedTime, z.Stratum, residuals, z.Variance);
    }

    private static ZphTransform Parse(string s) => s switch
    {
        "km" => ZphTransform.Km,
        "identity" => ZphTransform.Identity,
        "rank" => ZphTransform.Rank,
        "log" => ZphTransform.Log,
        _ => throw new JsonException(s),
    };
}
