using Sarcostat.Survival.Curves;

namespace Sarcostat.Survival.Rmst;

/// <summary>The restricted mean survival time of one curve up to <paramref name="Tau"/>.</summary>
/// <param name="Group">The curve's group label (<see cref="KaplanMeierFit.Group"/>); null for a single curve.</param>
/// <param name="Tau">The end time τ.</param>
/// <param name="Mean">μ̂(τ) = ∫₀^τ Ŝ(u) du (R: <c>rmean</c> of <c>summary(fit, rmean = τ)$table</c>).</param>
/// <param name="StdErr">Its standard error (R: <c>se(rmean)</c>).</param>
/// <param name="Lower">Lower limit of the normal interval μ̂ − z·SE (survRM2's per-arm interval).</param>
/// <param name="Upper">Upper limit μ̂ + z·SE.</param>
/// <param name="LastTime">The curve's last observed time (event or censoring).</param>
/// <param name="BeyondLastTime">True when τ lies after <paramref name="LastTime"/>: the last value of the curve is
/// carried forward to τ (as R's survmean does).</param>
public sealed record RmstEstimate(
    string? Group,
    double Tau,
    double Mean,
    double StdErr,
    double Lower,
    double Upper,
    double LastTime,
    bool BeyondLastTime);

/// <summary>
/// Difference and ratio of two restricted means up to the same τ, <see cref="Other"/> against <see cref="Reference"/>,
/// by survRM2's method (<c>rmst2</c>).
/// </summary>
/// <param name="Reference">The reference group (the first curve, μ₁).</param>
/// <param name="Other">The compared group (μ₂).</param>
/// <param name="Difference">μ̂₂ − μ̂₁.</param>
/// <param name="DifferenceStdErr">√(se₁² + se₂²).</param>
/// <param name="DifferenceLower">Difference − z·SE.</param>
/// <param name="DifferenceUpper">Difference + z·SE.</param>
/// <param name="DifferenceP">Two-sided p of the normal test, 2Φ(−|difference| / SE); null when the SE is 0.</param>
/// <param name="Ratio">μ̂₂ / μ̂₁ (as exp(log μ̂₂ − log μ̂₁)); null when a mean is 0.</param>
/// <param name="LogRatioStdErr">Delta-method SE of the log ratio, √(se₁²/μ̂₁² + se₂²/μ̂₂²); null with the ratio.</param>
/// <param name="RatioLower">exp(log ratio − z·SE); null with the ratio.</param>
/// <param name="RatioUpper">exp(log ratio + z·SE); null with the ratio.</param>
/// <param name="RatioP">2Φ(−|log ratio| / SE); null with the ratio or when the SE is 0.</param>
public sealed record RmstContrast(
    string? Reference,
    string? Other,
    double Difference,
    double DifferenceStdErr,
    double DifferenceLower,
    double DifferenceUpper,
    double? DifferenceP,
    double? Ratio,
    double? LogRatioStdErr,
    double? RatioLower,
    double? RatioUpper,
    double? RatioP);

/// <summary>Restricted means of several curves up to one common τ, with the two-group contrast.</summary>
/// <param name="Tau">The common end time τ.</param>
/// <param name="TauIsCommonLastTime">True when τ was not given and is R's <c>rmean = "common"</c>: the largest
/// observed time of all curves.</param>
/// <param name="ConfidenceLevel">The level of every interval.</param>
/// <param name="Groups">One estimate per curve with observations, in the curves' order.</param>
/// <param name="Contrast">With exactly two curves, the second against the first; otherwise null.</param>
/// <param name="Warnings">Trouble met: a curve carried forward beyond its last observed time, an empty curve, a ratio or
/// p-value that is not defined.</param>
public sealed record RmstSummary(
    double Tau,
    bool TauIsCommonLastTime,
    double ConfidenceLevel,
    IReadOnlyList<RmstEstimate> Groups,
    RmstContrast? Contrast,
    IReadOnlyList<AnalysisWarning> Warnings);
