using System.Globalization;

namespace Sarcostat.Survival.Curves;

/// <summary>
/// Kaplan-Meier (product-limit) estimation of the survival function with Greenwood standard errors, pointwise
/// confidence intervals, the median survival time, readings at chosen times, and median follow-up.
/// </summary>
/// <remarks>
/// R: <c>survival::survfit</c> (survival 3.5.3) with its defaults (<c>conf.type = "log"</c>, <c>conf.int = 0.95</c>,
/// <c>timefix = TRUE</c>). Cost: one sort that carries each row's group and status (<see cref="TimeSort"/>: a counting
/// sort when the times are whole numbers such as days), near-tie merging on the sorted times, then O(n) for all curves
/// together. <see cref="SurvivalData.Prepare"/> does the sort once for Kaplan-Meier and log-rank on the same data.
/// </remarks>
public static class KaplanMeier
{
    /// <summary>Fits one Kaplan-Meier curve.</summary>
    /// <param name="time">Observed times: finite and non-negative.</param>
    /// <param name="status">True for an event, false for a censoring; same length as <paramref name="time"/>.</param>
    /// <param name="options">Options; null for R's defaults.</param>
    /// <remarks>
    /// Ŝ(t) = ∏_{t_j ≤ t} (1 − d_j / n_j); Greenwood: se(−log Ŝ(t)) = √Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)).
    /// R: <c>survfit(Surv(time, status) ~ 1, conf.type, conf.int, timefix)</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a time is negative or not finite
    /// (the message names the index and value); an option out of range.</exception>
    public static KaplanMeierFit Fit(IReadOnlyList<double> time, IReadOnlyList<bool> status, KaplanMeierOptions? options = null)
    {
        options ??= new KaplanMeierOptions();
        var (t, s) = Validate(time, status, options);
        return FitOne(t, s, options);
    }

    /// <summary>
    /// Fits one curve per level of <paramref name="group"/>, in level order. Observations whose group is missing
    /// (code −1) are left out and listed in <see cref="KaplanMeierGroups.Dropped"/>.
    /// </summary>
    /// <param name="time">Observed times: finite and non-negative.</param>
    /// <param name="status">True for an event, false for a censoring.</param>
    /// <param name="group">The grouping variable; same length as <paramref name="time"/>.</param>
    /// <param name="options">Options; null for R's defaults.</param>
    /// <remarks>
    /// R: <c>survfit(Surv(time, status) ~ group)</c>. Near-ties are merged over all kept observations together, as
    /// R's <c>aeqSurv</c> runs on the whole response before the curves are split.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a time is negative or not finite.</exception>
    public static KaplanMeierGroups FitByGroup(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, Factor group, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        options ??= new KaplanMeierOptions();
        var (t, s) = Validate(time, status, options);
        if (group.Count != t.Length)
        {
            throw new ArgumentException(
                $"group has {group.Count} values but time has {t.Length}; they must have the same length.", nameof(group));
        }

        return FitPrepared(SurvivalData.Create(t, s, group), options);
    }

    /// <summary>
    /// Fits one curve per level of the prepared data's group, in level order: the same fits as
    /// <see cref="FitByGroup(IReadOnlyList{double}, IReadOnlyList{bool}, Factor, KaplanMeierOptions?)"/> on the data
    /// <paramref name="data"/> was prepared from, without sorting again.
    /// </summary>
    /// <param name="data">Time, status and group, sorted once by <see cref="SurvivalData.Prepare"/>; times must be
    /// non-negative here.</param>
    /// <param name="options">Options; null for R's defaults.</param>
    /// <remarks>R: <c>survfit(Surv(time, status) ~ group)</c>. Cost O(n) after the preparation (near-tie merging, once
    /// per <see cref="KaplanMeierOptions.TimeFix"/> rule, is kept in <paramref name="data"/>).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data have no rows or a negative time (the message names the index and
    /// value); an option out of range.</exception>
    public static KaplanMeierGroups FitByGroup(SurvivalData data, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new KaplanMeierOptions();
        ValidateOptions(options);
        if (data.Count == 0)
        {
            throw new ArgumentException("data has no observations: a Kaplan-Meier curve needs at least one.", nameof(data));
        }

        if (data.FirstNegative >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"time[{data.FirstNegative}] = {data.FirstNegativeValue} is not a finite, non-negative time."),
                nameof(data));
        }

        return FitPrepared(data, options);
    }

    private static KaplanMeierGroups FitPrepared(SurvivalData data, KaplanMeierOptions options)
    {
        var group = data.Group;
        var fits = KaplanMeierEstimator.Fit(
            data.Times(options.TimeFix), data.Code, data.GroupSizes, group.Levels.ToArray<string?>(), options);
        var warnings = new List<AnalysisWarning>();
        if (data.Dropped.Count > 0)
        {
            warnings.Add(new AnalysisWarning(
                "missing-group",
                string.Create(CultureInfo.InvariantCulture, $"{data.Dropped.Count} observation(s) with a missing '{group.Name}' were left out of the by-group curves.")));
        }

        return new KaplanMeierGroups(group.Name, [.. fits], data.Dropped, warnings);
    }

    /// <summary>One curve over all rows: sort carrying the status, near-tie rule, one pass.</summary>
    private static KaplanMeierFit FitOne(double[] time, bool[] status, KaplanMeierOptions options)
    {
        var (sorted, code) = TimeSort.Sort(new TimeSort.GroupStatus(time, status, null, 1));
        return KaplanMeierEstimator.Fit(SortedTimes.Create(sorted, options.TimeFix), code, [time.Length], [null], options)[0];
    }

    /// <summary>
    /// Median follow-up by the reverse Kaplan-Meier method (censorings as events, events as censorings), with its
    /// confidence interval, and the median, minimum and maximum of the observed times of all observations.
    /// </summary>
    /// <param name="time">Observed times: finite and non-negative.</param>
    /// <param name="status">True for an event, false for a censoring.</param>
    /// <param name="options">Options (interval type, level, median rule, time fix) for the reverse curve.</param>
    /// <remarks>R: <c>survfit(Surv(time, 1 - status) ~ 1)</c>; <c>median(time)</c>; <c>range(time)</c>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Empty input, lengths differ, or a time is negative or not finite.</exception>
    public static FollowUpSummary FollowUp(IReadOnlyList<double> time, IReadOnlyList<bool> status, KaplanMeierOptions? options = null)
    {
        options ??= new KaplanMeierOptions();
        var (t, s) = Validate(time, status, options);
        int n = t.Length;
        var reversed = new bool[n];
        for (int i = 0; i < n; i++)
        {
            reversed[i] = !s[i];
        }

        // The raw sorted times give the median and range; the near-tie rule applies to the curve only.
        var (sorted, code) = TimeSort.Sort(new TimeSort.GroupStatus(t, reversed, null, 1));
        var reverse = KaplanMeierEstimator.Fit(SortedTimes.Create(sorted, options.TimeFix), code, [n], [null], options)[0];
        double median = n % 2 == 1 ? sorted[n / 2] : Midpoint.Of(sorted[(n / 2) - 1], sorted[n / 2]);

        var warnings = new List<AnalysisWarning>();
        if (reverse.Events == 0)
        {
            warnings.Add(new AnalysisWarning(
                "no-censoring",
                "Every observation is an event, so the reverse Kaplan-Meier curve has no events and the median follow-up is not estimable; report the observed median and range."));
        }
        else if (reverse.Median.Estimate is null)
        {
            warnings.Add(new AnalysisWarning(
                "follow-up-median-not-reached",
                "The reverse Kaplan-Meier curve does not fall to 0.5 (few censored observations before the last event): the median follow-up is not reached."));
        }

        return new FollowUpSummary(reverse, median, sorted[0], sorted[n - 1], warnings);
    }

    /// <summary>
    /// Checks the input; copies it only when it is not already in arrays. Contract: both lists non-null, same non-zero
    /// length, every time finite and ≥ 0, options in range; otherwise an ArgumentException naming the parameter, index
    /// and value.
    /// </summary>
    private static (double[] Time, bool[] Status) Validate(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, KaplanMeierOptions options)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(options);
        if (time.Count == 0)
        {
            throw new ArgumentException("time is empty: a Kaplan-Meier curve needs at least one observation.", nameof(time));
        }

        if (status.Count != time.Count)
        {
            throw new ArgumentException(
                $"status has {status.Count} values but time has {time.Count}; they must have the same length.", nameof(status));
        }

        ValidateOptions(options);
        double[] t = time as double[] ?? [.. time];
        for (int i = 0; i < t.Length; i++)
        {
            double v = t[i];
            if (!double.IsFinite(v) || v < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] = {v} is not a finite, non-negative time."), nameof(time));
            }
        }

        return (t, status as bool[] ?? [.. status]);
    }

    private static void ValidateOptions(KaplanMeierOptions options)
    {
        if (!(options.ConfidenceLevel > 0 && options.ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.ConfidenceLevel, "ConfidenceLevel must lie strictly between 0 and 1.");
        }

        if (!Enum.IsDefined(options.ConfidenceType) || !Enum.IsDefined(options.MedianInterval) || !Enum.IsDefined(options.TimeFix))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "An option has an undefined enum value.");
        }
    }
}
