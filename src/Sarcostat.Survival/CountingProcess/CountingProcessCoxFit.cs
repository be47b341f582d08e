using System.Globalization;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.CountingProcess;

/// <summary>
/// One row of a counting-process Cox model's coefficient table, as R's <c>summary(coxph)</c> prints it.
/// </summary>
/// <param name="Term">The design column's name (R's coefficient name).</param>
/// <param name="Covariate">The source variable.</param>
/// <param name="Level">For a dummy term the level it indicates; null for a numeric term.</param>
/// <param name="Coef">The estimated log hazard ratio β.</param>
/// <param name="HazardRatio">exp(β).</param>
/// <param name="StdError">The model-based (naive) standard error, R's <c>se(coef)</c>.</param>
/// <param name="RobustStdError">The robust (sandwich) standard error, R's <c>robust se</c>; null when the fit is not robust.</param>
/// <param name="Z">β / se, with the robust se when there is one (as R's summary).</param>
/// <param name="P">Two-sided p-value of z.</param>
/// <param name="Lower">Lower confidence limit of the hazard ratio (robust se when robust).</param>
/// <param name="Upper">Upper confidence limit of the hazard ratio (robust se when robust).</param>
public sealed record CountingProcessCoxTerm(
    string Term,
    string? Covariate,
    string? Level,
    double Coef,
    double HazardRatio,
    double StdError,
    double? RobustStdError,
    double Z,
    double P,
    double Lower,
    double Upper);

/// <summary>
/// The result of a Cox model on (start, stop] data with optional case weights and a robust (sandwich) variance
/// clustered on a subject identifier.
/// </summary>
/// <remarks>R: <c>fit &lt;- coxph(Surv(start, stop, event) ~ x + strata(s) + cluster(id), weights = w)</c>;
/// <c>summary(fit)</c>.</remarks>
public sealed class CountingProcessCoxFit
{
    internal CountingProcessCoxFit(
        IReadOnlyList<CountingProcessCoxTerm> terms,
        double[][] variance,
        double[][] naiveVariance,
        double logLikNull,
        double logLik,
        int iterations,
        bool converged,
        TestStatistic likelihoodRatio,
        TestStatistic wald,
        TestStatistic score,
        TestStatistic? robustScore,
        bool robust,
        int clusters,
        int n,
        int events,
        int nDropped,
        int eventsDropped,
        CoxOptions options,
        IReadOnlyList<AnalysisWarning> warnings)
    {
        Terms = terms;
        Variance = variance;
        NaiveVariance = naiveVariance;
        LogLikNull = logLikNull;
        LogLik = logLik;
        Iterations = iterations;
        Converged = converged;
        LikelihoodRatio = likelihoodRatio;
        Wald = wald;
        Score = score;
        RobustScore = robustScore;
        Robust = robust;
        Clusters = clusters;
        N = n;
        Events = events;
        NDropped = nDropped;
        EventsDropped = eventsDropped;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>One row per term, in design order. R <c>summary(fit)$coefficients</c>, <c>$conf.int</c>.</summary>
    public IReadOnlyList<CountingProcessCoxTerm> Terms { get; }

    /// <summary>The variance of the coefficients R reports as <c>fit$var</c>: the robust D′D when <see cref="Robust"/>,
    /// else the inverse information.</summary>
    public double[][] Variance { get; }

    /// <summary>The model-based variance, the inverse information (R <c>fit$naive.var</c> when robust, else <c>fit$var</c>).</summary>
    public double[][] NaiveVariance { get; }

    /// <summary>Log partial likelihood at β = 0 (R <c>fit$loglik[1]</c>).</summary>
    public double LogLikNull { get; }

    /// <summary>Log partial likelihood at the estimate (R <c>fit$loglik[2]</c>).</summary>
    public double LogLik { get; }

    /// <summary>Newton-Raphson iterations as R counts them (<c>fit$iter</c>; iter.max + 1 when they ran out).</summary>
    public int Iterations { get; }

    /// <summary>False when the iterations ran out (see <see cref="Warnings"/>).</summary>
    public bool Converged { get; }

    /// <summary>Likelihood-ratio test on p df (R <c>summary(fit)$logtest</c>); assumes independent rows within a cluster.</summary>
    public TestStatistic LikelihoodRatio { get; }

    /// <summary>Wald test β′V⁻¹β with V = <see cref="Variance"/> (robust when robust), R <c>fit$wald.test</c>.</summary>
    public TestStatistic Wald { get; }

    /// <summary>Score test at β = 0 with the model-based information (R <c>fit$score</c>).</summary>
    public TestStatistic Score { get; }

    /// <summary>Robust score test at β = 0, U′(D₀′D₀)⁻¹U with D₀ the cluster sums of the weighted score residuals at
    /// β = 0 (R <c>fit$rscore</c>); null when the fit is not robust.</summary>
    public TestStatistic? RobustScore { get; }

    /// <summary>Whether the robust (sandwich) variance was computed.</summary>
    public bool Robust { get; }

    /// <summary>Number of clusters of the robust variance (rows when no cluster was given); 0 when not robust.</summary>
    public int Clusters { get; }

    /// <summary>Number of (start, stop] rows used (R <c>fit$n</c>).</summary>
    public int N { get; }

    /// <summary>Number of event rows (R <c>fit$nevent</c>, unweighted).</summary>
    public int Events { get; }

    /// <summary>Rows dropped for a missing covariate or stratum.</summary>
    public int NDropped { get; }

    /// <summary>Events among the dropped rows.</summary>
    public int EventsDropped { get; }

    /// <summary>The settings of the fit.</summary>
    public CoxOptions Options { get; }

    /// <summary>Statistical trouble: <c>not-converged</c>, <c>monotone-likelihood</c>, <c>infinite-coefficients</c>, as
    /// for <see cref="CoxFit.Warnings"/>.</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CountingProcessCoxFit(n={N}, events={Events}, terms={Terms.Count}, robust={Robust})");
}
