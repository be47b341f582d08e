using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sarcostat.Survival.RankTests;

/// <summary>Result of a (possibly stratified) k-group G^ρ test: the log-rank test or its Peto-Peto weighted form.</summary>
/// <remarks>R: <c>survdiff(Surv(time, status) ~ group + strata(s), rho = ρ)</c>; the fields are those of the
/// <c>survdiff</c> object and of its printout.</remarks>
public sealed class LogRankResult
{
    internal LogRankResult(
        IReadOnlyList<LogRankGroup> groups,
        double[][] variance,
        double chiSquare,
        int degreesOfFreedom,
        double p,
        double rho,
        int n,
        int nDropped,
        bool stratified,
        int strataCount,
        IReadOnlyList<LogRankStratum> strata,
        IReadOnlyList<AnalysisWarning> warnings)
    {
        Groups = groups;
        Variance = variance;
        ChiSquare = chiSquare;
        DegreesOfFreedom = degreesOfFreedom;
        P = p;
        Rho = rho;
        N = n;
        NDropped = nDropped;
        Stratified = stratified;
        StrataCount = strataCount;
        Strata = strata;
        Warnings = warnings;
    }

    /// <summary>
    /// One row per group with at least one usable observation, in the order of the group factor's levels
    /// (levels without observations are left out, as R's <c>strata()</c> drops unused levels).
    /// </summary>
    public IReadOnlyList<LogRankGroup> Groups { get; }

    /// <summary>
    /// Covariance matrix of O − E under the null (k × k, rows and columns in the order of <see cref="Groups"/>),
    /// summed over strata: V_gh = Σ_t w(t)²·d(t)·(n(t) − d(t))/(n(t) − 1)·(n_g/n)·(δ_gh − n_h/n).
    /// </summary>
    /// <remarks>R: <c>survdiff(...)$var</c>.</remarks>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Matrices are jagged arrays by convention so that they serialise.")]
    public double[][] Variance { get; }

    /// <summary>The labels of <see cref="Variance"/>'s rows and columns: the group levels, in <see cref="Groups"/>' order.</summary>
    public IReadOnlyList<string> VarianceLabels => Groups.Select(g => g.Level).ToList();

    /// <summary>
    /// The statistic (O − E)ᵀ V⁻ (O − E) over the groups with E &gt; 0, the first of them left out.
    /// 0 when fewer than two groups have E &gt; 0.
    /// </summary>
    /// <remarks>R: <c>survdiff(...)$chisq</c>.</remarks>
    public double ChiSquare { get; }

    /// <summary>
    /// Degrees of freedom: the number of groups with E &gt; 0, minus one (R's rule); never negative (R reports −1
    /// when there are no events at all; this reports 0). When the variance matrix is singular (groups confounded
    /// with strata, where R stops with an error) it is the rank of that matrix.
    /// </summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Upper-tail chi-square probability of <see cref="ChiSquare"/> on <see cref="DegreesOfFreedom"/>;
    /// 1 when the statistic is 0 on 0 degrees of freedom (as R), NaN when there are no events (as R).</summary>
    /// <remarks>R: <c>pchisq(chisq, df, lower.tail = FALSE)</c>, <c>survdiff(...)$pvalue</c>.</remarks>
    public double P { get; }

    /// <summary>The weight exponent ρ used.</summary>
    public double Rho { get; }

    /// <summary>Number of observations used (rows with a group and, if stratified, a stratum).</summary>
    public int N { get; }

    /// <summary>Number of rows left out because the group or the stratum was missing (code −1).</summary>
    public int NDropped { get; }

    /// <summary>Whether a stratum variable was given (R: <c>+ strata(s)</c>).</summary>
    public bool Stratified { get; }

    /// <summary>Number of strata with at least one usable observation (1 when not stratified).</summary>
    public int StrataCount { get; }

    /// <summary>
    /// Observed and expected events per stratum and group, strata in the strata factor's order (those with at least one
    /// usable observation); empty when no stratum variable was given.
    /// </summary>
    /// <remarks>R: the strata of <c>survdiff(...)$strata</c> and the columns of the <c>obs</c> and <c>exp</c> matrices.</remarks>
    public IReadOnlyList<LogRankStratum> Strata { get; }

    /// <summary>Statistical problems met on the way (groups without events or not at risk, singular variance, ...).</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"LogRankResult(n={N}, groups={Groups.Count}, strata={StrataCount}, rho={Rho}, chisq={ChiSquare:G6}, df={DegreesOfFreedom})");
}
