using System.Globalization;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.CompetingRisks;

/// <summary>Settings of <see cref="FineGray.Fit"/>; the defaults are <c>cmprsk::crr</c>'s.</summary>
public sealed record FineGrayOptions
{
    /// <summary>Two-sided level of the exp(coef) intervals, in (0, 1). Default 0.95 (R <c>summary(fit, conf.int = 0.95)</c>).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Newton-Raphson step limit (R <c>maxiter = 10</c>).</summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>
    /// Convergence tolerance (R <c>gtol = 1e-6</c>): the iterations stop when
    /// max_k |U_k(β)|·max(|β_k|, 1) &lt; max(|log pseudo-likelihood|, 1)·tolerance, U the score.
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-6;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value outside its range.</summary>
    internal void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must lie in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxIterations);
        if (!(GradientTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "The tolerance must be positive.");
        }
    }
}

/// <summary>One coefficient of a Fine-Gray model. R: a row of <c>summary(crr(...))$coef</c> and <c>$conf.int</c>.</summary>
/// <param name="Term">The term's name (a numeric covariate's name, or a factor's name + level, as R names dummies).</param>
/// <param name="Coef">β, the log subdistribution hazard ratio.</param>
/// <param name="HazardRatio">exp(β), the subdistribution hazard ratio.</param>
/// <param name="StdError">se(β) from the sandwich variance.</param>
/// <param name="Z">β / se.</param>
/// <param name="P">Two-sided Wald p, 2Φ(−|z|) (R prints it rounded by <c>signif</c>).</param>
/// <param name="Lower">Lower limit of exp(β): exp(β − z·se).</param>
/// <param name="Upper">Upper limit: exp(β + z·se).</param>
public sealed record FineGrayTerm(string Term, double Coef, double HazardRatio, double StdError, double Z, double P, double Lower, double Upper);

/// <summary>
/// A Fine-Gray proportional subdistribution hazards model for one cause. R: <c>cmprsk::crr(ftime, fstatus, cov1,
/// failcode, cencode)</c> and <c>summary()</c> of it.
/// </summary>
public sealed class FineGrayFit
{
    internal FineGrayFit(
        IReadOnlyList<FineGrayTerm> terms, double[][] variance, double[][] information, double logLik, double logLikNull,
        TestStatistic likelihoodRatio, bool converged, int iterations, int n, int nDropped, int events, int competingEvents,
        int censored, string failLevel, string censorLevel, FineGrayOptions options, IReadOnlyList<AnalysisWarning> warnings)
    {
        Terms = terms;
        Variance = variance;
        Information = information;
        LogLik = logLik;
        LogLikNull = logLikNull;
        LikelihoodRatio = likelihoodRatio;
        Converged = converged;
        Iterations = iterations;
        N = n;
        NDropped = nDropped;
        Events = events;
        CompetingEvents = competingEvents;
        Censored = censored;
        FailLevel = failLevel;
        CensorLevel = censorLevel;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>One row per term, in design order.</summary>
    public IReadOnlyList<FineGrayTerm> Terms { get; }

    /// <summary>The sandwich variance of β, I⁻¹ΣᵢrᵢrᵢᵀI⁻¹ (R <c>fit$var</c>).</summary>
    public double[][] Variance { get; }

    /// <summary>The information matrix at β, minus the Hessian of the log pseudo-likelihood (R <c>fit$inf</c>).</summary>
    public double[][] Information { get; }

    /// <summary>The log pseudo-likelihood at β (R <c>fit$loglik</c>).</summary>
    public double LogLik { get; }

    /// <summary>The log pseudo-likelihood at β = 0 (R <c>fit$loglik.null</c>).</summary>
    public double LogLikNull { get; }

    /// <summary>
    /// The pseudo likelihood-ratio test 2(loglik − loglik₀) on p df (R <c>summary(fit)$logtest</c>, which gives no p).
    /// The pseudo-likelihood is not a likelihood; prefer the Wald tests of <see cref="Terms"/>.
    /// </summary>
    public TestStatistic LikelihoodRatio { get; }

    /// <summary>Whether the Newton-Raphson iterations met the tolerance (R <c>fit$converged</c>).</summary>
    public bool Converged { get; }

    /// <summary>Newton-Raphson steps taken.</summary>
    public int Iterations { get; }

    /// <summary>Complete cases used (R <c>fit$n</c>).</summary>
    public int N { get; }

    /// <summary>Rows left out for a missing status or covariate (R <c>fit$n.missing</c>).</summary>
    public int NDropped { get; }

    /// <summary>Events of the cause of interest among the complete cases.</summary>
    public int Events { get; }

    /// <summary>Events of the other causes among the complete cases.</summary>
    public int CompetingEvents { get; }

    /// <summary>Censored complete cases.</summary>
    public int Censored { get; }

    /// <summary>The status level of the cause of interest (R <c>failcode</c>).</summary>
    public string FailLevel { get; }

    /// <summary>The status level meaning censored (R <c>cencode</c>).</summary>
    public string CensorLevel { get; }

    /// <summary>The settings used.</summary>
    public FineGrayOptions Options { get; }

    /// <summary>Statistical trouble: <c>not-converged</c> (steps ran out or the line search failed; R <c>converged = FALSE</c>).</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"FineGrayFit(n={N}, events={Events}, terms={Terms.Count})");
}
