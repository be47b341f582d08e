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
    /// <summary>The log-rank test of the response's groups, or why it cannot be done.</summary>
    public static (LogRankResult? Result, string? Problem) LogRankTest(SurvivalResponse response)
    {
        try
        {
            return (LogRank.Test(response, new LogRankOptions()), null);
        }
        catch (AnalysisDataException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>As <see cref="LogRankTest(SurvivalResponse)"/>, on arrays (the response is built inside, so an unusable time is a problem too).</summary>
    public static (LogRankResult? Result, string? Problem) LogRankTest(double[] time, bool[] status, Factor group)
    {
        try
        {
            return LogRankTest(SurvivalResponse.Create(time, status, group));
        }
        catch (AnalysisDataException e)
        {
            return (null, e.Message);
        }
    }

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

    /// <summary>As <see cref="Firth(SurvivalResponse, IReadOnlyList{Covariate}, double)"/>, on arrays.</summary>
    public static (CoxFirthFit? Fit, string? Problem) Firth(double[] time, bool[] status, IReadOnlyList<Covariate> covariates, double confidenceLevel)
    {
        try
        {
            return Firth(SurvivalResponse.Create(time, status), covariates, confidenceLevel);
        }
        catch (AnalysisDataException e)
        {
            return (null, e.Message);
        }
    }
}
