using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Running;

/// <summary>
/// The engine calls of a run, in one place: each returns the engine's result, or null with a sentence saying why the
/// analysis could not be done (too few groups, no events, a singular design, too few observations). Only the
/// engine's <see cref="AnalysisDataException"/> family is caught; argument errors (programming errors) still throw.
/// </summary>
internal static class EngineCalls
{
    public static (LogRankResult? Result, string? Problem) LogRankTest(double[] time, bool[] status, Factor group)
    {
        try
        {
            return (LogRank.Test(time, status, group, null, new LogRankOptions()), null);
        }
        catch (AnalysisDataException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Firth-penalised Cox regression on the inputs of a Cox model (coxphf, Breslow ties).</summary>
    public static (CoxFirthFit? Fit, string? Problem) Firth(double[] time, bool[] status, IReadOnlyList<Covariate> covariates, double confidenceLevel)
    {
        try
        {
            return (CoxFirth.Fit(time, status, covariates, null, new CoxFirthOptions { ConfidenceLevel = confidenceLevel }), null);
        }
        catch (AnalysisDataException e)
        {
            return (null, e.Message);
        }
    }
}
