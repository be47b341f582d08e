namespace Sarcostat.Survival.Cox;

/// <summary>The inputs a <see cref="CoxFit"/> was fitted on (references to the caller's data, not copies).</summary>
internal sealed record CoxFitInputs(IReadOnlyList<double> Time, IReadOnlyList<bool> Status, IReadOnlyList<Covariate> Covariates, Factor? Strata);

/// <summary>
/// The checks a reviewer asks of a fitted Cox model, taken from the fit alone: <c>fit.Zph()</c> and
/// <c>fit.Concordance()</c>, as R's <c>cox.zph(fit)</c> and <c>concordance(fit)</c> need nothing but the fit. A fit
/// keeps what it was fitted on (<see cref="CoxFit.KeepsInputs"/>); the array overloads
/// (<see cref="CoxZph.Test"/>, <see cref="Survival.Cox.Concordance.Harrell(IReadOnlyList{double}, IReadOnlyList{bool}, IReadOnlyList{Covariate}, CoxFit, Factor?)"/>)
/// stay as the thin entries these call.
/// </summary>
public static class CoxFitChecks
{
    /// <summary>The proportional-hazards test of the fit (R: <c>cox.zph(fit, transform)</c>).</summary>
    /// <param name="fit">A fit from <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.</param>
    /// <param name="transform">The time transform (R's default, Kaplan-Meier).</param>
    /// <exception cref="InvalidOperationException">The fit was made from a bare design matrix and does not know its data.</exception>
    public static CoxZphResult Zph(this CoxFit fit, ZphTransform transform = ZphTransform.Km)
    {
        // The fit's own design, not a second copy (rebuilt from the inputs only for a fit that does not keep it).
        return CoxZph.TestData(CoxModelData.Of(fit, InputsOf(fit)), fit, transform);
    }

    /// <summary>Harrell's C of the fit's linear predictor, with its standard error (R: <c>concordance(fit)</c>).</summary>
    /// <param name="fit">A fit from <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.</param>
    /// <exception cref="InvalidOperationException">The fit was made from a bare design matrix and does not know its data.</exception>
    public static ConcordanceResult Concordance(this CoxFit fit)
    {
        var d = CoxModelData.Of(fit, InputsOf(fit));
        return ConcordanceKernel.Compute(d.Time, d.Status, d.Eta, d.Order, d.StratumStarts);
    }

    private static CoxFitInputs InputsOf(CoxFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return fit.Inputs ?? throw new InvalidOperationException(
            "This Cox fit was made from a bare design matrix (CoxRegression.FitMatrix) and does not keep its data; call CoxZph.Test or Concordance.Harrell with the data instead.");
    }
}
