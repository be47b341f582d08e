namespace Sarcostat.Survival.Curves;

/// <summary>
/// One row of a Kaplan-Meier curve: a distinct observed time (event or censoring), as a row of R's
/// <c>summary(fit, censored = TRUE)</c>.
/// </summary>
/// <param name="Time">The time (after near-tie merging, as R's <c>fit$time</c>).</param>
/// <param name="NRisk">Number at risk just before <paramref name="Time"/>: observations with time ≥ <paramref name="Time"/>
/// (a censoring at an event time is at risk at that time).</param>
/// <param name="NEvent">Number of events at <paramref name="Time"/>.</param>
/// <param name="NCensor">Number censored at <paramref name="Time"/>.</param>
/// <param name="Survival">Ŝ(t) = ∏ over event times t_j ≤ t of (1 − d_j / n_j).</param>
/// <param name="StdErr">Greenwood standard error of Ŝ(t), Ŝ(t)·σ(t) (R: <c>summary(fit)$std.err</c>);
/// null where R gives NaN (Ŝ = 0 after an event that empties the risk set).</param>
/// <param name="StdErrLogSurvival">σ(t) = √Σ d_j / (n_j (n_j − d_j)), the Greenwood standard error of log Ŝ(t)
/// (R: <c>fit$std.err</c>, on which the log and log-log intervals are built); +∞ from the event time on that
/// empties the risk set (d_j = n_j, Ŝ = 0), as R gives Inf.</param>
/// <param name="Lower">Lower confidence limit of S(t); null where R gives NA or NaN.</param>
/// <param name="Upper">Upper confidence limit of S(t); null where R gives NA or NaN.</param>
/// <param name="CumulativeHazard">Nelson-Aalen cumulative hazard Λ̂(t) = Σ_{t_j ≤ t} d_j / n_j
/// (R: <c>fit$cumhaz</c>, survfit's default <c>ctype = 1</c>).</param>
/// <param name="CumulativeHazardStdErr">Its standard error √Σ_{t_j ≤ t} d_j / n_j² (R: <c>fit$std.chaz</c>).</param>
public sealed record KaplanMeierStep(
    double Time,
    int NRisk,
    int NEvent,
    int NCensor,
    double Survival,
    double? StdErr,
    double StdErrLogSurvival,
    double? Lower,
    double? Upper,
    double CumulativeHazard,
    double CumulativeHazardStdErr);

/// <summary>
/// The Kaplan-Meier curve read at a chosen time, as a row of R's <c>summary(fit, times = ..., extend = TRUE)</c>.
/// </summary>
/// <param name="Time">The requested time.</param>
/// <param name="NRisk">Number at risk at <paramref name="Time"/>: observations with time ≥ <paramref name="Time"/>
/// (0 beyond the last observation).</param>
/// <param name="NEvent">Events in (previous requested time, <paramref name="Time"/>]; for the first (or only) requested
/// time, all events up to and including it.</param>
/// <param name="NCensor">Censorings in the same interval as <paramref name="NEvent"/>.</param>
/// <param name="Survival">Ŝ at the last curve time ≤ <paramref name="Time"/> (1 before the first).</param>
/// <param name="StdErr">Greenwood standard error of Ŝ (0 before the first curve time); null where R gives NaN.</param>
/// <param name="Lower">Lower confidence limit; null where R gives NA or NaN (1 before the first curve time, as R).</param>
/// <param name="Upper">Upper confidence limit; null where R gives NA or NaN (1 before the first curve time, as R).</param>
/// <param name="BeyondLastObservation">True when <paramref name="Time"/> lies after the last observed time: the
/// estimate is carried forward (R: <c>extend = TRUE</c>) and nobody is at risk.</param>
/// <param name="CumulativeHazard">Nelson-Aalen Λ̂ at the last curve time ≤ <paramref name="Time"/> (0 before the first),
/// R: <c>summary(fit, times = ...)$cumhaz</c>.</param>
/// <param name="CumulativeHazardStdErr">Its standard error (0 before the first curve time), R: <c>$std.chaz</c>.</param>
public sealed record KaplanMeierPoint(
    double Time,
    int NRisk,
    int NEvent,
    int NCensor,
    double Survival,
    double? StdErr,
    double? Lower,
    double? Upper,
    bool BeyondLastObservation,
    double CumulativeHazard,
    double CumulativeHazardStdErr);

/// <summary>Median survival time with its confidence interval.</summary>
/// <param name="Estimate">Median survival time; null when Ŝ never falls to 0.5 ("not reached").</param>
/// <param name="Lower">Lower confidence limit; null when not reached or not estimable.</param>
/// <param name="Upper">Upper confidence limit; null when not reached or not estimable (common: the upper
/// confidence curve of S often stays above 0.5).</param>
/// <param name="Method">The rule that produced <paramref name="Lower"/> and <paramref name="Upper"/>.</param>
/// <param name="StandardError">SE(median) by Collett's formula; only under <see cref="MedianInterval.Spss"/>, else null.</param>
public sealed record MedianSurvival(
    double? Estimate,
    double? Lower,
    double? Upper,
    MedianInterval Method,
    double? StandardError)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"MedianSurvival({Show(Estimate)} [{Show(Lower)}, {Show(Upper)}], {Method})");

    private static string Show(double? v) =>
        v is null ? "NA" : v.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
