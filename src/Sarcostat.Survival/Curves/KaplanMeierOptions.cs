namespace Sarcostat.Survival.Curves;

/// <summary>Settings of a Kaplan-Meier fit. Every default follows R's <c>survfit</c>.</summary>
public sealed record KaplanMeierOptions
{
    /// <summary>
    /// Transformation on which the pointwise confidence interval of S(t) is built (and hence, under
    /// <see cref="MedianInterval.R"/>, the interval of the median). R: <c>conf.type</c>, default <c>"log"</c>.
    /// </summary>
    public ConfidenceIntervalType ConfidenceType { get; init; } = ConfidenceIntervalType.Log;

    /// <summary>Two-sided confidence level in (0, 1). R: <c>conf.int</c>, default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Rule for the confidence interval of the median survival time. Default: R's rule.</summary>
    public MedianInterval MedianInterval { get; init; } = MedianInterval.R;

    /// <summary>Whether near-tied times are merged first (R: <c>timefix = TRUE</c>, the default).</summary>
    public TimeFix TimeFix { get; init; } = TimeFix.R;
}
