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
/// together. A <see cref="SurvivalResponse"/> sorts once for Kaplan-Meier and log-rank on the same data.
/// </remarks>
public static class KaplanMeier
{
    /// <summary>Fits one Kaplan-Meier curve.</summary>
    /// <param name="time">Observed times: finite and non-negative.</param>
    /// <param name="status">True for an event, false for a censoring; same length as <paramref name="time"/>.</param>
    /// <param name="options">Options; null for R's defaults.</param>
    /// <remarks>
    /// Ŝ(t) = ∏_{t_j ≤ t} (1 − d_j / n_j); Greenwood: se(−log Ŝ(t)) = √Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)).
    /// R: <c>survfit(Surv(time, status) ~ 1, conf.type, conf.int, timefix)</c>. A thin entry over
    /// <see cref="Fit(SurvivalResponse, KaplanMeierOptions?)"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Empty input or lengths differ; an option out of range.</exception>
    /// <exception cref="SurvivalResponseException">A time is negative or not finite (the message names the index and value).</exception>
    public static KaplanMeierFit Fit(IReadOnlyList<double> time, IReadOnlyList<bool> status, KaplanMeierOptions? options = null)
    {
        options = Checked(options);
        CheckNotEmpty(time);
        return Fit(SurvivalResponse.Create(time, status), options);
    }

    /// <summary>Fits one Kaplan-Meier curve over the kept rows of a response (its group, if any, is not used).</summary>
    /// <param name="response">Time and status, checked.</param>
    /// <param name="options">Options; null for R's defaults.</param>
    /// <remarks>
    /// Ŝ(t) = ∏_{t_j ≤ t} (1 − d_j / n_j); Greenwood: se(−log Ŝ(t)) = √Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)).
    /// R: <c>survfit(Surv(time, status) ~ 1, conf.type, conf.int, timefix)</c> on the response's complete cases.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentException">The response has no rows; an option out of range.</exception>
    /// <exception cref="SurvivalResponseException">Every row was dropped (code <c>invalid-survival-response</c>).</exception>
    public static KaplanMeierFit Fit(SurvivalResponse response, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        options = Checked(options);
        CheckRows(response);
        if (response.Group is null)
        {
            var sorted = response.Sorted;
            return KaplanMeierEstimator.Fit(sorted.Times(options.TimeFix), sorted.Code, sorted.GroupSizes, [null], options)[0];
        }

        return FitOne(response.TimeArray, response.StatusArray, options);
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
    /// R's <c>aeqSurv</c> runs on the whole response before the curves are split. A thin entry over
    /// <see cref="FitByGroup(SurvivalResponse, KaplanMeierOptions?)"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Empty input or lengths differ; an option out of range.</exception>
    /// <exception cref="SurvivalResponseException">A time is negative or not finite (the message names the index and value).</exception>
    public static KaplanMeierGroups FitByGroup(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, Factor group, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        options = Checked(options);
        CheckNotEmpty(time);
        return FitByGroup(SurvivalResponse.Create(time, status, group), options);
    }

    /// <summary>
    /// Fits one curve per level of the response's group, in level order. Rows the response left out are listed in
    /// <see cref="KaplanMeierGroups.Dropped"/>; those left out for a missing group give the warning
    /// <c>missing-group</c>. The sort is the response's, shared with <see cref="RankTests.LogRank.Test(SurvivalResponse, RankTests.LogRankOptions?)"/>.
    /// </summary>
    /// <param name="response">Time, status and group, checked.</param>
    /// <param name="options">Options; null for R's defaults.</param>
    /// <remarks>R: <c>survfit(Surv(time, status) ~ group)</c>. Cost O(n) once the response is sorted (near-tie merging,
    /// once per <see cref="KaplanMeierOptions.TimeFix"/> rule, is kept in the response).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentException">The response has no group or no rows; an option out of range.</exception>
    public static KaplanMeierGroups FitByGroup(SurvivalResponse response, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        options = Checked(options);
        var group = response.Group ?? throw new ArgumentException(
            "The response has no group: build it with a group factor, or call KaplanMeier.Fit for one curve.", nameof(response));
        if (response.Count == 0)
        {
            throw new ArgumentException("The response has no observations: a Kaplan-Meier curve needs at least one.", nameof(response));
        }

        var sorted = response.Sorted;
        var fits = KaplanMeierEstimator.Fit(
            sorted.Times(options.TimeFix), sorted.Code, sorted.GroupSizes, group.Levels.ToArray<string?>(), options);
        var warnings = new List<AnalysisWarning>();
        int missingGroup = response.Dropped.Where(d => d.Reason == DropReason.MissingGroup).Sum(d => d.Count);
        if (missingGroup > 0)
        {
            warnings.Add(new AnalysisWarning(
                "missing-group",
                string.Create(CultureInfo.InvariantCulture, $"{missingGroup} observation(s) with a missing '{group.Name}' were left out of the by-group curves.")));
        }

        return new KaplanMeierGroups(group.Name, [.. fits], response.AllDropped(), warnings);
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
    /// <remarks>R: <c>survfit(Surv(time, 1 - status) ~ 1)</c>; <c>median(time)</c>; <c>range(time)</c>. A thin entry
    /// over <see cref="FollowUp(SurvivalResponse, KaplanMeierOptions?)"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Empty input or lengths differ.</exception>
    /// <exception cref="SurvivalResponseException">A time is negative or not finite.</exception>
    public static FollowUpSummary FollowUp(IReadOnlyList<double> time, IReadOnlyList<bool> status, KaplanMeierOptions? options = null)
    {
        options = Checked(options);
        CheckNotEmpty(time);
        return FollowUp(SurvivalResponse.Create(time, status), options);
    }

    /// <summary>
    /// Median follow-up by the reverse Kaplan-Meier method over the kept rows of a response, with the median, minimum
    /// and maximum of their observed times.
    /// </summary>
    /// <param name="response">Time and status, checked (group and strata are not used).</param>
    /// <param name="options">Options (interval type, level, median rule, time fix) for the reverse curve.</param>
    /// <remarks>R: <c>survfit(Surv(time, 1 - status) ~ 1)</c>; <c>median(time)</c>; <c>range(time)</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentException">The response has no rows; an option out of range.</exception>
    /// <exception cref="SurvivalResponseException">Every row was dropped.</exception>
    public static FollowUpSummary FollowUp(SurvivalResponse response, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        options = Checked(options);
        CheckRows(response);
        var t = response.TimeArray;
        var s = response.StatusArray;
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

    /// <summary>Options, R's defaults when null, checked.</summary>
    private static KaplanMeierOptions Checked(KaplanMeierOptions? options)
    {
        options ??= new KaplanMeierOptions();
        ValidateOptions(options);
        return options;
    }

    private static void CheckNotEmpty(IReadOnlyList<double> time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (time.Count == 0)
        {
            throw new ArgumentException("time is empty: a Kaplan-Meier curve needs at least one observation.", nameof(time));
        }
    }

    /// <summary>A response with no rows is a caller's defect; one whose rows were all dropped is the data's.</summary>
    private static void CheckRows(SurvivalResponse response)
    {
        if (response.Count == 0)
        {
            throw new ArgumentException("The response has no observations: a Kaplan-Meier curve needs at least one.", nameof(response));
        }

        if (response.Kept == 0)
        {
            throw new SurvivalResponseException(
                string.Create(CultureInfo.InvariantCulture, $"All {response.Count} observations were left out ({string.Join(", ", response.Dropped)}): a Kaplan-Meier curve needs at least one."));
        }
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
