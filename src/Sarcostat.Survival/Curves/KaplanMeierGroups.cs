namespace Sarcostat.Survival.Curves;

/// <summary>Kaplan-Meier curves of the levels of a grouping variable.</summary>
/// <remarks>R: <c>survfit(Surv(time, status) ~ group)</c>; strata in factor level order.</remarks>
public sealed class KaplanMeierGroups
{
    internal KaplanMeierGroups(string groupName, List<KaplanMeierFit> fits, IReadOnlyList<int> dropped, List<AnalysisWarning> warnings)
    {
        GroupName = groupName;
        Fits = fits.AsReadOnly();
        Dropped = dropped;
        Warnings = warnings.AsReadOnly();
    }

    /// <summary>The grouping variable's name (<see cref="Factor.Name"/>).</summary>
    public string GroupName { get; }

    /// <summary>One fit per level, in level order; <see cref="KaplanMeierFit.Group"/> is the level label.
    /// A level without observations gives an empty fit with an <c>empty-group</c> warning (R drops it).</summary>
    public IReadOnlyList<KaplanMeierFit> Fits { get; }

    /// <summary>Indices (0-based, ascending, in the response's input) of the observations left out because their
    /// group is missing (code −1), or, for a response built with missing values or strata, their time, status or
    /// stratum (<see cref="SurvivalResponse.Dropped"/> gives the reason of each), as R's default <c>na.action</c>
    /// drops them.</summary>
    public IReadOnlyList<int> Dropped { get; }

    /// <summary>Trouble concerning the grouping as a whole (observations with a missing group).
    /// Each fit carries its own warnings too.</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <summary>The fit of the level labelled <paramref name="level"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such level.</exception>
    public KaplanMeierFit this[string level] =>
        Fits.FirstOrDefault(f => string.Equals(f.Group, level, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"'{GroupName}' has no level '{level}'.");

    /// <inheritdoc />
    public override string ToString() =>
        $"KaplanMeierGroups({GroupName}, groups={Fits.Count}, n={Fits.Sum(f => f.N)}, dropped={Dropped.Count})";
}

/// <summary>
/// Median follow-up by the reverse Kaplan-Meier method, with the median and range of the observed times.
/// </summary>
/// <remarks>
/// R: <c>survfit(Surv(time, 1 - status) ~ 1)</c> (events and censorings swapped; its median is the median
/// potential follow-up), and <c>median(time)</c>, <c>range(time)</c> over all observations.
/// </remarks>
public sealed class FollowUpSummary
{
    internal FollowUpSummary(KaplanMeierFit reverse, double observedMedian, double minimum, double maximum, List<AnalysisWarning> warnings)
    {
        Reverse = reverse;
        ObservedMedian = observedMedian;
        Minimum = minimum;
        Maximum = maximum;
        Warnings = warnings.AsReadOnly();
    }

    /// <summary>Median follow-up (reverse Kaplan-Meier median) with its interval; null when not reached
    /// (fewer than half of the observations censored before the last event).</summary>
    public MedianSurvival Median => Reverse.Median;

    /// <summary>The reverse Kaplan-Meier fit itself (censorings counted as events).</summary>
    public KaplanMeierFit Reverse { get; }

    /// <summary>Number of observations.</summary>
    public int N => Reverse.N;

    /// <summary>Median of the observed times of all observations (R: <c>median(time)</c>).</summary>
    public double ObservedMedian { get; }

    /// <summary>Shortest observed time (R: <c>min(time)</c>).</summary>
    public double Minimum { get; }

    /// <summary>Longest observed time (R: <c>max(time)</c>).</summary>
    public double Maximum { get; }

    /// <summary>Trouble met (e.g. no censored observation, so the reverse curve has no events).</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => $"FollowUpSummary(n={N}, median={Median})";
}
