using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>
/// The hand-computed cases of survival's validation suite (Therneau &amp; Grambsch, appendix E; survival tests book1.R and
/// book2.R), "test data 1": time (1, 1, 6, 6, 8, 9), status (1, 0, 1, 1, 0, 1), x (1, 1, 1, 0, 0, 0). Here the rows
/// are unsorted and a seventh row with a missing x is dropped, as in book1.R.
/// </summary>
/// <remarks>
/// With r = exp(β), Breslow: loglik = 2β − log(3r + 3) − 2 log(r + 3), U = (6 + 3r − r²)/((r + 1)(r + 3)),
/// I = r/(r + 1)² + 6r/(r + 3)², β̂ = log((3 + √33)/2).
/// Efron: loglik = 2β − log(3r + 3) − log((r + 5)/2) − log(r + 3), U = (30 + 23r − r³)/((r + 1)(r + 3)(r + 5)),
/// I = t(r/(r + 1)) + t(r/(r + 5)) + t(r/(r + 3)) with t(a) = a − a², β̂ = log(2√(23/3)·cos(acos((45/23)√(3/23))/3)).
/// A converged Newton iterate differs from the root by the square of the previous step's error: about 1e-13 here
/// (R's own β̂ differs from the closed form by 1.3e-13), so converged quantities are compared at 1e-9 and quantities
/// at a given β (first iteration, β = 0) at the closed-form tolerance.
/// </remarks>
public class CoxClosedFormTests
{
    private const double Converged = 1e-9;

    // time, status, x: unsorted; row 2 (time 3, an event) has a missing x and is dropped.
    private static readonly double[] Time = [9, 3, 1, 1, 6, 6, 8];
    private static readonly bool[] Status = [true, true, true, false, true, true, false];
    private static readonly double[] X = [0, double.NaN, 1, 1, 1, 0, 0];

    private static CoxFit FitTestData(TieMethod ties, int maxIterations = 20) =>
        CoxRegression.Fit(Time, Status, [new NumericCovariate("x", X)], null, new CoxOptions { Ties = ties, MaxIterations = maxIterations });

    private static double BreslowLogLik(double b)
    {
        double r = Math.Exp(b);
        return (2 * b) - (Math.Log((3 * r) + 3) + (2 * Math.Log(r + 3)));
    }

    private static double BreslowInformation(double b)
    {
        double r = Math.Exp(b);
        return (r / ((r + 1) * (r + 1))) + (6 * r / ((r + 3) * (r + 3)));
    }

    private static double EfronLogLik(double b)
    {
        double r = Math.Exp(b);
        return (2 * b) - (Math.Log((3 * r) + 3) + Math.Log((r + 5) / 2) + Math.Log(r + 3));
    }

    private static double EfronInformation(double b)
    {
        double r = Math.Exp(b);
        static double T(double a) => a - (a * a);
        return T(r / (r + 1)) + T(r / (r + 5)) + T(r / (r + 3));
    }

    private static readonly double BreslowBeta = Math.Log((3 + Math.Sqrt(33)) / 2);

    private static readonly double EfronBeta =
        Math.Log(2 * Math.Sqrt(23.0 / 3) * Math.Cos(Math.Acos(45.0 / 23 * Math.Sqrt(3.0 / 23)) / 3));

    // R: coxph(Surv(time, status) ~ x, test1, ties = "breslow")
    [Fact]
    public void Breslow_estimate_is_the_closed_form_root()
    {
        var fit = FitTestData(TieMethod.Breslow);
        (BreslowLogLik(0) - BreslowLogLik(BreslowBeta)).Should().BeNegative("the closed form is the maximum");
        Approx.Equal(BreslowBeta, fit.Terms[0].Coef, Converged, "beta-hat");
        Approx.Equal(BreslowLogLik(BreslowBeta), fit.LogLik, Approx.ClosedForm, "loglik at beta-hat");
        Approx.Equal(-(Math.Log(6) + (2 * Math.Log(4))), fit.LogLikNull, Approx.ClosedForm, "loglik at 0");
        Approx.Equal(1 / BreslowInformation(BreslowBeta), fit.Variance[0][0], Converged, "variance");
        Approx.Equal(8.0 / 5, fit.Score.Statistic, Approx.ClosedForm, "score test U(0)^2/I(0) = 1/(5/8)");
        Approx.Equal(2 * (BreslowLogLik(BreslowBeta) - BreslowLogLik(0)), fit.LikelihoodRatio.Statistic, Converged, "LR test");
        Approx.Equal(BreslowBeta * BreslowBeta * BreslowInformation(BreslowBeta), fit.Wald.Statistic, Converged, "Wald test");
        fit.N.Should().Be(6);
        fit.Events.Should().Be(4);
        fit.NDropped.Should().Be(1);
        fit.EventsDropped.Should().Be(1);
        fit.Converged.Should().BeTrue();
        fit.Warnings.Should().BeEmpty();
    }

    // R: coxph(Surv(time, status) ~ x, test1, ties = "breslow", iter.max = 1)   -> coef 8/5 (book1.R)
    [Fact]
    public void One_breslow_iteration_gives_eight_fifths()
    {
        var fit = FitTestData(TieMethod.Breslow, maxIterations: 1);
        Approx.Equal(8.0 / 5, fit.Terms[0].Coef, Approx.ClosedForm, "beta after one Newton step = U(0)/I(0) = 1/(5/8)");
        Approx.Equal(BreslowLogLik(8.0 / 5), fit.LogLik, Approx.ClosedForm, "loglik at 8/5");
        Approx.Equal(1 / BreslowInformation(8.0 / 5), fit.Variance[0][0], Approx.ClosedForm, "variance at 8/5");
        fit.Iterations.Should().Be(2, "R reports iter.max + 1 when the iterations run out");
        fit.Converged.Should().BeFalse();
        fit.Warnings.Should().ContainSingle(w => w.Code == "not-converged");
    }

    // R: coxph(Surv(time, status) ~ x, test1, ties = "breslow", iter.max = 0)
    [Fact]
    public void Zero_iterations_evaluate_at_beta_zero()
    {
        var fit = FitTestData(TieMethod.Breslow, maxIterations: 0);
        fit.Terms[0].Coef.Should().Be(0);
        Approx.Equal(1 / BreslowInformation(0), fit.Variance[0][0], Approx.ClosedForm, "variance at 0 = 8/5");
        Approx.Equal(fit.LogLikNull, fit.LogLik, Approx.ClosedForm, "loglik");
        fit.Iterations.Should().Be(0);
        fit.Converged.Should().BeFalse();
    }

    // R: coxph(Surv(time, status) ~ x, test1)   (Efron, book2.R)
    [Fact]
    public void Efron_estimate_is_the_closed_form_root()
    {
        var fit = FitTestData(TieMethod.Efron);
        Approx.Equal(EfronBeta, fit.Terms[0].Coef, Converged, "beta-hat");
        Approx.Equal(EfronLogLik(EfronBeta), fit.LogLik, Approx.ClosedForm, "loglik at beta-hat");
        Approx.Equal(-(Math.Log(6) + Math.Log(3) + Math.Log(4)), fit.LogLikNull, Approx.ClosedForm, "loglik at 0");
        Approx.Equal(1 / EfronInformation(EfronBeta), fit.Variance[0][0], Converged, "variance");
        Approx.Equal(169.0 / 83, fit.Score.Statistic, Approx.ClosedForm, "score test (13/12)^2/(83/144)");
        Approx.Equal(2 * (EfronLogLik(EfronBeta) - EfronLogLik(0)), fit.LikelihoodRatio.Statistic, Converged, "LR test");
        fit.N.Should().Be(6);
        fit.Events.Should().Be(4);
    }

    // R: coxph(Surv(time, status) ~ x, test1, iter.max = 1)
    [Fact]
    public void One_efron_iteration_gives_U0_over_I0()
    {
        var fit = FitTestData(TieMethod.Efron, maxIterations: 1);
        Approx.Equal(156.0 / 83, fit.Terms[0].Coef, Approx.ClosedForm, "(13/12)/(83/144)");
        Approx.Equal(EfronLogLik(156.0 / 83), fit.LogLik, Approx.ClosedForm, "loglik");
        Approx.Equal(1 / EfronInformation(156.0 / 83), fit.Variance[0][0], Approx.ClosedForm, "variance");
    }

    [Fact]
    public void Hazard_ratio_table_follows_from_coefficient_and_standard_error()
    {
        var fit = FitTestData(TieMethod.Efron);
        var t = fit.Terms[0];
        double z975 = 1.959963984540054;
        Approx.Equal(Math.Exp(t.Coef), t.HazardRatio, Approx.ClosedForm, "HR");
        Approx.Equal(Math.Sqrt(fit.Variance[0][0]), t.StdError, Approx.ClosedForm, "se");
        Approx.Equal(t.Coef / t.StdError, t.Z, Approx.ClosedForm, "z");
        Approx.Equal(Math.Exp(t.Coef - (z975 * t.StdError)), t.Lower, 1e-14, "lower");
        Approx.Equal(Math.Exp(t.Coef + (z975 * t.StdError)), t.Upper, 1e-14, "upper");
        t.Term.Should().Be("x");
        t.Covariate.Should().Be("x");
        t.Level.Should().BeNull();
        fit.ToString().Should().Be("CoxFit(n=6, events=4, terms=1)");
    }
}
