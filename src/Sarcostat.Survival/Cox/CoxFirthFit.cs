using System.Globalization;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// One row of a Firth-penalised Cox model's coefficient table, as R's <c>coxphf</c> prints it.
/// </summary>
/// <remarks>R: <c>summary(coxphf(...))</c>: coef, se(coef), exp(coef), lower 0.95, upper 0.95 (profile penalised
/// likelihood), Chisq and p (penalised likelihood-ratio test of β = 0).</remarks>
/// <param name="Term">The design column's name (as <see cref="CoxTerm.Term"/>).</param>
/// <param name="Covariate">The source variable.</param>
/// <param name="Level">For a dummy term, the level it indicates; null for a numeric term.</param>
/// <param name="Coef">The penalised estimate of the log hazard ratio β.</param>
/// <param name="HazardRatio">exp(β).</param>
/// <param name="StdError">√[I(β̂)⁻¹]_rr, the Wald standard error from the unpenalised information at the estimate.</param>
/// <param name="Z">Wald z = β / se (for reference; the profile limits and <paramref name="P"/> are the intended inference).</param>
/// <param name="Lower">Lower profile penalised-likelihood confidence limit of the hazard ratio; null when not found.</param>
/// <param name="Upper">Upper profile penalised-likelihood confidence limit of the hazard ratio; null when not found.</param>
/// <param name="ChiSquare">Penalised likelihood-ratio statistic of β_r = 0: 2[l*(β̂) − max_{β_r = 0} l*].</param>
/// <param name="P">Its p-value on 1 df (coxphf's <c>prob</c>).</param>
public sealed record CoxFirthTerm(
    string Term,
    string Covariate,
    string? Level,
    double Coef,
    double HazardRatio,
    double StdError,
    double Z,
    double? Lower,
    double? Upper,
    double ChiSquare,
    double P);

/// <summary>
/// The result of a Firth-penalised Cox fit (Heinze &amp; Schemper 2001): finite estimates even under monotone likelihood,
/// profile penalised-likelihood confidence intervals and penalised likelihood-ratio tests.
/// </summary>
/// <remarks>R: <c>coxphf(Surv(time, status) ~ ..., data)</c> (package coxphf), Breslow ties.</remarks>
public sealed class CoxFirthFit
{
    internal CoxFirthFit(
        IReadOnlyList<CoxFirthTerm> terms,
        double[][] variance,
        double penalizedLogLikNull,
        double penalizedLogLik,
        double logLikNull,
        double logLik,
        TestStatistic likelihoodRatio,
        int iterations,
        bool converged,
        int n,
        int events,
        int nDropped,
        int eventsDropped,
        CoxFirthOptions options,
        IReadOnlyList<AnalysisWarning> warnings)
    {
        Terms = terms;
        Variance = variance;
        PenalizedLogLikNull = penalizedLogLikNull;
        PenalizedLogLik = penalizedLogLik;
        LogLikNull = logLikNull;
        LogLik = logLik;
        LikelihoodRatio = likelihoodRatio;
        Iterations = iterations;
        Converged = converged;
        N = n;
        Events = events;
        NDropped = nDropped;
        EventsDropped = eventsDropped;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>The estimator that produced the table: always "Firth".</summary>
    public string Estimator { get; } = "Firth";

    /// <summary>How ties were handled: always Breslow (as coxphf).</summary>
    public TieMethod Ties { get; } = TieMethod.Breslow;

    /// <summary>One row per term, in design order.</summary>
    public IReadOnlyList<CoxFirthTerm> Terms { get; }

    /// <summary>I(β̂)⁻¹, the inverse of the (unpenalised) information at the estimate (coxphf <c>fit$var</c>).</summary>
    public double[][] Variance { get; }

    /// <summary>Penalised log partial likelihood l*(0) = l(0) + ½ log|I(0)| (coxphf <c>fit$loglik[1]</c>).</summary>
    public double PenalizedLogLikNull { get; }

    /// <summary>Penalised log partial likelihood at the estimate (coxphf <c>fit$loglik[2]</c>).</summary>
    public double PenalizedLogLik { get; }

    /// <summary>Unpenalised log partial likelihood l(0) (Breslow).</summary>
    public double LogLikNull { get; }

    /// <summary>Unpenalised log partial likelihood at the penalised estimate.</summary>
    public double LogLik { get; }

    /// <summary>Penalised likelihood-ratio test of all coefficients, 2[l*(β̂) − l*(0)] on p df (coxphf's global test).</summary>
    public TestStatistic LikelihoodRatio { get; }

    /// <summary>Newton-Raphson iterations of the fit.</summary>
    public int Iterations { get; }

    /// <summary>False when the iterations ran out (see <see cref="Warnings"/>).</summary>
    public bool Converged { get; }

    /// <summary>Number of complete cases used.</summary>
    public int N { get; }

    /// <summary>Number of events among them.</summary>
    public int Events { get; }

    /// <summary>Rows dropped for a missing covariate or stratum.</summary>
    public int NDropped { get; }

    /// <summary>Events among the dropped rows.</summary>
    public int EventsDropped { get; }

    /// <summary>The settings of the fit.</summary>
    public CoxFirthOptions Options { get; }

    /// <summary>
    /// Statistical trouble: <c>"not-converged"</c> (the fit or a profile maximisation ran out of iterations),
    /// <c>"profile-limit-not-found"</c> (a confidence limit lies beyond |β| = 50, or where the
    /// information is numerically singular; it is null).
    /// </summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CoxFirthFit(n={N}, events={Events}, terms={Terms.Count})");
}
