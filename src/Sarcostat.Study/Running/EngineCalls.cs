using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Study.Running;

/// <summary>
/// Engine calls whose failure the study reports beside the result: each returns the engine's result, or null with a
/// sentence saying why the analysis could not be done (no events, a singular design). Only the engine's
/// <see cref="AnalysisDataException"/> family is caught; argument errors (programming errors) still throw. (The other
/// analyses catch it in <see cref="Analysis.UnivariateScreen"/>, <see cref="Analysis.CoxModelAnalysis"/> and
/// <see cref="Analysis.StudyCohort"/>, which turn it into an <see cref="Analysis.AnalysisIssue"/>.)
/// </summary>
internal static class EngineCalls
{
    /// <summary>Firth-penalised Cox regression on the inputs of a Cox model (coxphf, Breslow ties).</summary>
    public static (CoxFirthFit? Fit, string? Problem) Firth(SurvivalResponse response, IReadOnlyList<Covariate> covariates, double confidenceLevel)
    {
        try
        {
            return (CoxFirth.Fit(response, covariates, new CoxFirthOptions { ConfidenceLevel = confidenceLevel }), null);
        }
        catch (AnalysisDataException e)
        {
            return (null, e.Message);
        }
    }
}
