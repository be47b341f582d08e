namespace Sarcostat.Survival.RankTests;

/// <summary>Options of <c>LogRank.Test</c> (both overloads). The defaults give R's <c>survdiff</c> defaults.</summary>
public sealed record LogRankOptions
{
    /// <summary>
    /// Exponent ρ of the weight S(t−)^ρ given to each event time, S the pooled Kaplan-Meier estimate within the
    /// stratum. 0 (the default) is the log-rank test; 1 is the Peto &amp; Peto modification of the Gehan-Wilcoxon
    /// test. Any finite value is allowed.
    /// </summary>
    /// <remarks>R: <c>survdiff(..., rho = 0)</c>.</remarks>
    public double Rho { get; init; }

    /// <summary>Whether near-tied times are merged before the test (R's <c>aeqSurv</c>); the default follows R.</summary>
    /// <remarks>R: <c>survdiff(..., timefix = TRUE)</c>.</remarks>
    public TimeFix TimeFix { get; init; } = TimeFix.R;
}
