namespace Sarcostat.Survival;

/// <summary>
/// Transformation on which a pointwise confidence interval for a survival probability is built.
/// Each member is named after who uses it; the default follows R.
/// </summary>
public enum ConfidenceIntervalType
{
    /// <summary>Interval on log S(t): S·exp(±z·σ). R <c>survfit(conf.type = "log")</c>, the R default.</summary>
    Log = 0,

    /// <summary>Interval on log(−log S(t)). R <c>conf.type = "log-log"</c>; the default of lifelines, SAS and Stata.</summary>
    LogLog = 1,

    /// <summary>Symmetric interval S ± z·S·σ, clipped to [0, 1]. R <c>conf.type = "plain"</c>; SPSS's survival-table interval.</summary>
    Plain = 2,
}

/// <summary>Rule for the confidence interval of the median survival time.</summary>
public enum MedianInterval
{
    /// <summary>
    /// R's rule (<c>quantile.survfit</c>): the times at which the pointwise upper and lower confidence
    /// limits of S(t) first fall to 0.5 or below. The default.
    /// </summary>
    R = 0,

    /// <summary>
    /// SPSS's symmetric interval: median ± z·SE(median), with SE(median) by Collett's formula
    /// (Greenwood SE of S at the median divided by a density estimate). Paper 001 reports this.
    /// </summary>
    Spss = 1,
}

/// <summary>How tied event times enter the Cox partial likelihood.</summary>
public enum TieMethod
{
    /// <summary>Efron's approximation. R <c>coxph(ties = "efron")</c>, the R default.</summary>
    Efron = 0,

    /// <summary>Breslow's approximation. SPSS, Stata and SAS default; R <c>coxph(ties = "breslow")</c>.</summary>
    Breslow = 1,

    /// <summary>
    /// The exact partial likelihood (conditional logistic: every size-d subset of the risk set in the denominator).
    /// R <c>coxph(ties = "exact")</c>; costs rows × tied deaths × p² per iteration, refused beyond a budget.
    /// </summary>
    Exact = 2,
}

/// <summary>
/// Whether event times that differ only by floating-point round-off are treated as tied.
/// </summary>
public enum TimeFix
{
    /// <summary>
    /// Merge near-tied times as R's <c>aeqSurv</c> does (<c>timefix = TRUE</c>, the R default). Needed to match R after
    /// unit conversions such as days / 30.4375, where equal durations can differ in the last bits.
    /// </summary>
    R = 0,

    /// <summary>Use the times exactly as given (R <c>timefix = FALSE</c>).</summary>
    Exact = 1,
}
