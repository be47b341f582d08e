using System.Globalization;

namespace Sarcostat.Survival;

/// <summary>Why a row was left out of a <see cref="SurvivalResponse"/> (the first missing part, in this order).</summary>
public enum DropReason
{
    /// <summary>The time is missing (null).</summary>
    MissingTime,

    /// <summary>The status is missing (null).</summary>
    MissingStatus,

    /// <summary>The group is missing (factor code −1).</summary>
    MissingGroup,

    /// <summary>The stratum is missing (factor code −1).</summary>
    MissingStratum,
}

/// <summary>The rows of the input left out of a <see cref="SurvivalResponse"/> for one reason.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Rows">Their indices in the input (0-based, ascending).</param>
/// <param name="Variable">The name of the missing variable: "time", "status", or the group's or strata's factor name.</param>
public sealed record DroppedRows(DropReason Reason, IReadOnlyList<int> Rows, string Variable)
{
    /// <summary>Number of rows.</summary>
    public int Count => Rows.Count;

    /// <summary>"3 missing group", as R's <c>na.action</c> is reported.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count} missing {Variable}");
}

/// <summary>
/// The response of a survival analysis, checked once: time and status, with an optional grouping factor and optional
/// strata, restricted to the complete cases with every dropped row counted by reason. Every estimator that models
/// right-censored data takes it as its main input (Kaplan-Meier, follow-up, RMST, log-rank, Cox, Firth, covariate
/// tests); their array overloads build one and call the same code.
/// </summary>
/// <remarks>
/// <para>
/// R: <c>Surv(time, status)</c> with the model frame of <c>~ group + strata(s)</c> and <c>na.action = na.omit</c>
/// (statsmodels: <c>PHSurvivalTime</c>). A row whose time, status, group or stratum is missing is left out and listed
/// in <see cref="Dropped"/> under the first missing part (time, status, group, stratum), so a report can say
/// "n = 110, 3 dropped: missing group". Values that are present but unusable (a time that is negative, NaN or infinite;
/// a status other than 0 or 1) are not dropped: they raise <see cref="SurvivalResponseException"/> naming the row and
/// value, because a silently dropped row is worse than a stopped analysis.
/// </para>
/// <para>
/// Sorting is done once, when an estimator first needs it, and shared: <c>KaplanMeier.FitByGroup(response)</c> and
/// <c>LogRank.Test(response)</c> on the same response sort once. R's near-tie merge (<see cref="TimeFixer"/>,
/// <c>aeqSurv</c>) is applied on the sorted times once per rule, over all kept rows together, as R merges the whole
/// response before splitting it by group.
/// </para>
/// <para>
/// (start, stop] data are not a <see cref="SurvivalResponse"/>: the counting-process Cox model
/// (<c>CountingProcessCox</c>) has its own checks (start &lt; stop, weights, clusters); competing risks take a status
/// factor with several causes (<c>CumulativeIncidence</c>, <c>FineGray</c>).
/// </para>
/// <para>
/// Cost: one pass to check; a copy of the kept rows only when a row is dropped; the sort (<see cref="TimeSort"/>:
/// counting sort for whole-number times, otherwise radix) O(n) on first use. The arrays given are referenced, not
/// copied, when nothing is dropped: do not change them while the response is in use.
/// </para>
/// </remarks>
public sealed class SurvivalResponse
{
    private readonly double[] _time;
    private readonly bool[] _status;
    private readonly int[]? _rowsKept;
    private readonly Lazy<SortedRows> _sorted;
    private int[]? _allRows;

    private SurvivalResponse(int count, double[] time, bool[] status, Factor? group, Factor? strata, int[]? rows, List<DroppedRows> dropped, int eventsDropped)
    {
        Count = count;
        _time = time;
        _status = status;
        Group = group;
        Strata = strata;
        _rowsKept = rows;
        Dropped = dropped.AsReadOnly();
        EventsDropped = eventsDropped;
        int events = 0;
        foreach (bool s in status)
        {
            events += s ? 1 : 0;
        }

        Events = events;
        _sorted = new Lazy<SortedRows>(() => SortedRows.Create(_time, _status, Group));
    }

    /// <summary>Number of rows given, kept or not.</summary>
    public int Count { get; }

    /// <summary>Number of rows kept: the complete cases the estimators use.</summary>
    public int Kept => _time.Length;

    /// <summary>Number of events among the kept rows.</summary>
    public int Events { get; }

    /// <summary>Time of each kept row, in input order; finite and ≥ 0.</summary>
    public IReadOnlyList<double> Time => _time;

    /// <summary>Status of each kept row, in input order: true for an event, false for a censoring.</summary>
    public IReadOnlyList<bool> Status => _status;

    /// <summary>The grouping factor over the kept rows (no missing codes), or null.</summary>
    public Factor? Group { get; }

    /// <summary>The strata over the kept rows (no missing codes), or null.</summary>
    public Factor? Strata { get; }

    /// <summary>The index in the input of each kept row (ascending).</summary>
    public IReadOnlyList<int> Rows => _rowsKept ?? (_allRows ??= Enumerable.Range(0, Count).ToArray());

    /// <summary>The rows left out, one entry per reason that occurred, in the order time, status, group, stratum.</summary>
    public IReadOnlyList<DroppedRows> Dropped { get; }

    /// <summary>Number of rows left out, for any reason.</summary>
    public int DroppedCount => Count - Kept;

    /// <summary>Events among the rows left out whose status is known (left out for a missing group or stratum).</summary>
    public int EventsDropped { get; }

    /// <summary>The time array of the kept rows (the caller's array when nothing was dropped).</summary>
    internal double[] TimeArray => _time;

    /// <summary>The status array of the kept rows.</summary>
    internal bool[] StatusArray => _status;

    /// <summary>The kept rows' input indices, or null when every row is kept.</summary>
    internal int[]? KeptRows => _rowsKept;

    /// <summary>Whether the rows have been sorted already (an estimator that does not need the sort can then use it).</summary>
    internal bool IsSorted => _sorted.IsValueCreated;

    /// <summary>The kept rows sorted by time with their group and status (computed once).</summary>
    internal SortedRows Sorted => _sorted.Value;

    /// <summary>All dropped rows' input indices, ascending.</summary>
    internal IReadOnlyList<int> AllDropped()
    {
        if (Dropped.Count == 0)
        {
            return [];
        }

        if (Dropped.Count == 1)
        {
            return Dropped[0].Rows;
        }

        var all = Dropped.SelectMany(d => d.Rows).ToArray();
        Array.Sort(all);
        return all;
    }

    /// <summary>
    /// Builds a response from complete arrays: every time and status given. Rows whose group or stratum is missing
    /// (factor code −1) are left out and counted.
    /// </summary>
    /// <param name="time">Observed times: finite and ≥ 0.</param>
    /// <param name="status">True for an event, false for a censoring; same length as <paramref name="time"/>.</param>
    /// <param name="group">Optional grouping factor (one value per row).</param>
    /// <param name="strata">Optional strata (one value per row).</param>
    /// <returns>The checked response.</returns>
    /// <remarks>R: <c>Surv(time, status)</c>; the rows of <c>model.frame(~ group + strata(strata))</c> after <c>na.omit</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="time"/> or <paramref name="status"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ (a defect of the caller).</exception>
    /// <exception cref="SurvivalResponseException">A time is negative, NaN or infinite (code <c>invalid-time</c>; the
    /// message names the first such row and its value).</exception>
    public static SurvivalResponse Create(IReadOnlyList<double> time, IReadOnlyList<bool> status, Factor? group = null, Factor? strata = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        int n = time.Count;
        CheckLength(status.Count, n, nameof(status));
        CheckFactors(group, strata, n);
        double[] t = time as double[] ?? [.. time];
        for (int i = 0; i < t.Length; i++)
        {
            CheckTime(i, t[i]);
        }

        return Build(n, t, status as bool[] ?? [.. status], null, null, group, strata);
    }

    /// <summary>
    /// Builds a response from values that may be missing, as read from a data set: a null time or status leaves its
    /// row out, as does a missing group or stratum (factor code −1); each is counted under its reason.
    /// </summary>
    /// <param name="time">Observed times: finite and ≥ 0, or null for missing.</param>
    /// <param name="status">1 for an event, 0 for a censoring, or null for missing; same length as <paramref name="time"/>.</param>
    /// <param name="group">Optional grouping factor (one value per row).</param>
    /// <param name="strata">Optional strata (one value per row).</param>
    /// <returns>The checked response.</returns>
    /// <remarks>R: <c>Surv(time, status)</c> with <c>NA</c>s and <c>na.action = na.omit</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="time"/> or <paramref name="status"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ (a defect of the caller).</exception>
    /// <exception cref="SurvivalResponseException">A present time is negative, NaN or infinite (<c>invalid-time</c>), or
    /// a present status is neither 0 nor 1 (<c>invalid-status</c>); the message names the first such row and value.</exception>
    public static SurvivalResponse FromValues(IReadOnlyList<double?> time, IReadOnlyList<int?> status, Factor? group = null, Factor? strata = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        int n = time.Count;
        CheckLength(status.Count, n, nameof(status));
        CheckFactors(group, strata, n);
        var t = new double[n];
        var s = new bool[n];
        var missingTime = new List<int>();
        var missingStatus = new List<int>();
        for (int i = 0; i < n; i++)
        {
            double? ti = time[i];
            int? si = status[i];
            if (ti is { } tv)
            {
                CheckTime(i, tv);
                t[i] = tv;
            }

            if (si is { } sv)
            {
                if (sv is not (0 or 1))
                {
                    throw new SurvivalResponseException(
                        "invalid-status",
                        string.Create(CultureInfo.InvariantCulture, $"status[{i}] = {sv} is not 0 (censored) or 1 (event)."),
                        i);
                }

                s[i] = sv == 1;
            }

            if (ti is null)
            {
                missingTime.Add(i);
            }
            else if (si is null)
            {
                missingStatus.Add(i);
            }
        }

        return Build(n, t, s, missingTime, missingStatus, group, strata);
    }

    /// <summary>
    /// Keeps the complete cases. Contract: arrays of length n, times checked; rows in <paramref name="missingTime"/> or
    /// <paramref name="missingStatus"/> (ascending, disjoint) are left out first, then rows with a missing group, then
    /// rows with a missing stratum.
    /// </summary>
    private static SurvivalResponse Build(int n, double[] time, bool[] status, List<int>? missingTime, List<int>? missingStatus, Factor? group, Factor? strata)
    {
        var reason = new sbyte[n];
        int droppedTotal = 0;
        int eventsDropped = 0;
        if (missingTime is not null)
        {
            foreach (int i in missingTime)
            {
                reason[i] = 1;
            }

            foreach (int i in missingStatus!)
            {
                reason[i] = 2;
            }

            droppedTotal = missingTime.Count + missingStatus.Count;
        }

        var missingGroup = new List<int>();
        var missingStratum = new List<int>();
        var g = group?.Codes;
        var st = strata?.Codes;
        if (g is not null || st is not null)
        {
            for (int i = 0; i < n; i++)
            {
                if (reason[i] != 0)
                {
                    continue;
                }

                if (g is not null && g[i] < 0)
                {
                    reason[i] = 3;
                    missingGroup.Add(i);
                }
                else if (st is not null && st[i] < 0)
                {
                    reason[i] = 4;
                    missingStratum.Add(i);
                }
                else
                {
                    continue;
                }

                droppedTotal++;
                eventsDropped += status[i] ? 1 : 0;
            }
        }

        var dropped = new List<DroppedRows>();
        if (missingTime is { Count: > 0 })
        {
            dropped.Add(new DroppedRows(DropReason.MissingTime, missingTime.AsReadOnly(), "time"));
        }

        if (missingStatus is { Count: > 0 })
        {
            dropped.Add(new DroppedRows(DropReason.MissingStatus, missingStatus.AsReadOnly(), "status"));
        }

        if (missingGroup.Count > 0)
        {
            dropped.Add(new DroppedRows(DropReason.MissingGroup, missingGroup.AsReadOnly(), group!.Name));
        }

        if (missingStratum.Count > 0)
        {
            dropped.Add(new DroppedRows(DropReason.MissingStratum, missingStratum.AsReadOnly(), strata!.Name));
        }

        if (droppedTotal == 0)
        {
            return new SurvivalResponse(n, time, status, group, strata, null, dropped, 0);
        }

        int kept = n - droppedTotal;
        var rows = new int[kept];
        var kt = new double[kept];
        var ks = new bool[kept];
        for (int i = 0, k = 0; i < n; i++)
        {
            if (reason[i] == 0)
            {
                rows[k] = i;
                kt[k] = time[i];
                ks[k] = status[i];
                k++;
            }
        }

        return new SurvivalResponse(n, kt, ks, group?.Subset(rows), strata?.Subset(rows), rows, dropped, eventsDropped);
    }

    private static void CheckTime(int i, double t)
    {
        if (!double.IsFinite(t) || t < 0)
        {
            throw new SurvivalResponseException(
                "invalid-time",
                string.Create(CultureInfo.InvariantCulture, $"time[{i}] = {t} is not a finite, non-negative time."),
                i);
        }
    }

    private static void CheckFactors(Factor? group, Factor? strata, int n)
    {
        if (group is not null)
        {
            CheckLength(group.Count, n, nameof(group));
        }

        if (strata is not null)
        {
            CheckLength(strata.Count, n, nameof(strata));
        }
    }

    private static void CheckLength(int count, int expected, string name)
    {
        if (count != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{name} has {count} values but time has {expected}; they must have the same length."), name);
        }
    }

    /// <summary>"SurvivalResponse(n=110, kept=107, events=41, dropped: 3 missing arm)".</summary>
    public override string ToString()
    {
        string parts = string.Create(CultureInfo.InvariantCulture, $"n={Count}, kept={Kept}, events={Events}");
        if (Group is not null)
        {
            parts += $", group={Group.Name}";
        }

        if (Strata is not null)
        {
            parts += $", strata={Strata.Name}";
        }

        if (Dropped.Count > 0)
        {
            parts += ", dropped: " + string.Join(", ", Dropped);
        }

        return $"SurvivalResponse({parts})";
    }
}

/// <summary>
/// A response's kept rows sorted by time, each with (group code &lt;&lt; 1) | event (group 0 when there is no group),
/// the rows per group level, and the times after each near-tie rule (computed once per rule).
/// </summary>
internal sealed class SortedRows
{
    private readonly Lazy<SortedTimes> _merged;
    private readonly Lazy<SortedTimes> _exact;

    private SortedRows(double[] time, int[] code, int[] groupSizes)
    {
        Code = code;
        GroupSizes = groupSizes;
        _exact = new Lazy<SortedTimes>(() => SortedTimes.Create(time, TimeFix.Exact));
        _merged = new Lazy<SortedTimes>(() => SortedTimes.Create(time, TimeFix.R));
    }

    /// <summary>Per row in ascending time: (group code &lt;&lt; 1) | event.</summary>
    public int[] Code { get; }

    /// <summary>Rows per group level, in level order (one entry when there is no group).</summary>
    public int[] GroupSizes { get; }

    /// <summary>The times in ascending order after <paramref name="rule"/>, with their number of distinct values.</summary>
    public SortedTimes Times(TimeFix rule) => rule == TimeFix.R ? _merged.Value : _exact.Value;

    /// <summary>Sorts complete rows (no missing group) by time, carrying group and status.</summary>
    public static SortedRows Create(double[] time, bool[] status, Factor? group)
    {
        int[]? codes = group is null ? null : group.Codes as int[] ?? [.. group.Codes];
        int levels = group?.Levels.Count ?? 1;
        var sizes = new int[levels];
        var range = default(TimeSort.Range);

        // One pass for the group sizes and the key range the sort needs (one pass fewer than TimeSort.Sort alone).
        for (int i = 0; i < time.Length; i++)
        {
            sizes[codes is null ? 0 : codes[i]]++;
            range.Add(time[i]);
        }

        var (sorted, code) = TimeSort.Sort(new TimeSort.GroupStatus(time, status, codes, levels), range);
        return new SortedRows(sorted, code, sizes);
    }
}

/// <summary>Times in ascending order after the near-tie rule, and how many distinct values they take.</summary>
internal sealed record SortedTimes(double[] Time, int Distinct)
{
    /// <summary>
    /// Applies <paramref name="rule"/> to ascending times: under <see cref="TimeFix.R"/> a merged copy when some
    /// neighbours are near-tied (rare outside unit conversions and very large samples), otherwise the same array.
    /// </summary>
    public static SortedTimes Create(double[] sorted, TimeFix rule)
    {
        if (rule == TimeFix.R)
        {
            var merged = TimeFixer.MergeSorted(sorted, out int distinct);
            return new SortedTimes(merged, distinct);
        }

        int count = sorted.Length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[i - 1])
            {
                count++;
            }
        }

        return new SortedTimes(sorted, count);
    }
}
