using System.Globalization;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The result of a Cox proportional hazards fit: the coefficient table, the variance matrix, the log partial
/// likelihoods, the three global tests and the bookkeeping of a complete-case analysis, as R's <c>coxph</c> and
/// <c>summary.coxph</c> report them.
/// </summary>
/// <remarks>R: <c>fit &lt;- coxph(Surv(time, status) ~ ..., ties = ...)</c>; <c>summary(fit)</c>.</remarks>
public sealed class CoxFit
{
    /// <summary>
    /// What the model was fitted on (the caller's time, status, covariates and strata, not copied), so that
    /// <see cref="CoxFitChecks.Zph"/> and <see cref="CoxFitChecks.Concordance"/> need nothing else; null for a fit of a
    /// bare design matrix (<see cref="CoxRegression.FitMatrix"/>).
    /// </summary>
    internal CoxFitInputs? Inputs { get; set; }

    /// <summary>
    /// The complete-case design the fit was computed on (times before the time fix, statuses, the n × p design
    /// column-major, stratum codes, terms), kept so that <see cref="CoxFitChecks.Zph"/> and
    /// <see cref="CoxFitChecks.Concordance"/> reuse it instead of building a second copy of the design from
    /// <see cref="Inputs"/> (at registry scale that copy and its time fix were the largest part of both checks'
    /// time and memory). Null for a bare design matrix fit; the checks then rebuild from <see cref="Inputs"/>.
    /// </summary>
    internal CoxRegression.PreparedDesign? Design { get; set; }

    /// <summary>Whether the fit keeps its inputs (fitted with <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>), so that its checks need nothing else.</summary>
    public bool KeepsInputs => Inputs is not null;

    internal CoxFit(
        IReadOnlyList<CoxTerm> terms,
        double[][] variance,
        double[] means,
        double logLikNull,
        double logLik,
        int iterations,
        bool converged,
        TestStatistic likelihoodRatio,
        TestStatistic wald,
        TestStatistic score,
        int n,
        int events,
        int nDropped,
        int eventsDropped,
        CoxOptions options,
        IReadOnlyList<AnalysisWarning> warnings)
    {
        Terms = terms;
        Variance = variance;
        Means = means;
        LogLikNull = logLikNull;
        LogLik = logLik;
        Iterations = iterations;
        Converged = converged;
        LikelihoodRatio = likelihoodRatio;
        Wald = wald;
        Score = score;
        N = n;
        Events = events;
        NDropped = nDropped;
        EventsDropped = eventsDropped;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>One row per term (design column), in design order. R: <c>summary(fit)$coefficients</c>, <c>$conf.int</c>.</summary>
    public IReadOnlyList<CoxTerm> Terms { get; }

    /// <summary>
    /// The model-based variance matrix of the coefficients, the inverse of the information matrix at the estimate
    /// (R <c>fit$var</c>). Rows and columns follow <see cref="Terms"/>.
    /// </summary>
    /// <remarks>
    /// When the iterations ran out (<see cref="Converged"/> false) with <see cref="CoxOptions.MaxIterations"/> &gt; 1, R
    /// returns only the reciprocal diagonal of the information matrix (off-diagonal zero); this matrix does the same, so the
    /// numbers agree with R's. Do not use the standard errors of an unconverged fit.
    /// </remarks>
    public double[][] Variance { get; }

    /// <summary>The labels of <see cref="Variance"/>'s rows and columns: the term names, in <see cref="Terms"/>' order.</summary>
    public IReadOnlyList<string> VarianceLabels => Terms.Select(t => t.Term).ToList();

    /// <summary>
    /// The values the covariates were centred on (R <c>fit$means</c>): the column means, except 0 for a column whose values
    /// all lie in {−1, 0, 1} (R's <c>nocenter</c>), such as a dummy.
    /// </summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>Log partial likelihood at β = 0 (R <c>fit$loglik[1]</c>).</summary>
    public double LogLikNull { get; }

    /// <summary>Log partial likelihood at the estimate (R <c>fit$loglik[2]</c>).</summary>
    public double LogLik { get; }

    /// <summary>
    /// Newton-Raphson iterations used, as R counts them (<c>fit$iter</c>): when the iterations ran out this is
    /// <see cref="CoxOptions.MaxIterations"/> + 1, as in R.
    /// </summary>
    public int Iterations { get; }

    /// <summary>False when the iterations ran out before the log likelihood converged (see <see cref="Warnings"/>).</summary>
    public bool Converged { get; }

    /// <summary>Likelihood-ratio test of all coefficients: 2(loglik − loglik₀) on p df. R <c>summary(fit)$logtest</c>.</summary>
    public TestStatistic LikelihoodRatio { get; }

    /// <summary>Wald test β′Var(β)⁻¹β on p df, unrounded. R <c>fit$wald.test</c> (<c>summary(fit)$waldtest</c> rounds it).</summary>
    public TestStatistic Wald { get; }

    /// <summary>
    /// Score (log-rank) test at β = 0: U(0)′I(0)⁻¹U(0) on p df. R <c>fit$score</c>, <c>summary(fit)$sctest</c>. With Breslow
    /// ties and one categorical covariate it equals the log-rank test.
    /// </summary>
    public TestStatistic Score { get; }

    /// <summary>Number of complete cases used (R <c>fit$n</c>).</summary>
    public int N { get; }

    /// <summary>Number of events among the complete cases (R <c>fit$nevent</c>).</summary>
    public int Events { get; }

    /// <summary>Number of rows dropped for a missing covariate or stratum (R <c>length(fit$na.action)</c>).</summary>
    public int NDropped { get; }

    /// <summary>Number of events among the dropped rows.</summary>
    public int EventsDropped { get; }

    /// <summary>How ties were handled.</summary>
    public TieMethod Ties => Options.Ties;

    /// <summary>The settings of the fit.</summary>
    public CoxOptions Options { get; }

    /// <summary>
    /// Statistical trouble: <c>"not-converged"</c> (iterations ran out), <c>"monotone-likelihood"</c> (R's "Loglik converged
    /// before variable k; coefficient may be infinite"), <c>"infinite-coefficients"</c> (R's "one or more coefficients may be
    /// infinite" after running out of iterations).
    /// </summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CoxFit(n={N}, events={Events}, terms={Terms.Count})");
}
