using System.Globalization;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival;

/// <summary>
/// A survival response (time, status) with a grouping factor, checked and sorted by time once, so that
/// <see cref="KaplanMeier.FitByGroup(SurvivalData, KaplanMeierOptions?)"/> and <see cref="LogRank.Test(SurvivalData, LogRankOptions?)"/>
/// on the same data share one sort instead of sorting each on its own.
/// </summary>
/// <remarks>
/// <para>
/// Holds the rows whose group is known, sorted by time, with their group and status; rows with a missing group
/// (code −1) are left out and listed in <see cref="Dropped"/>, as both estimators leave them out. R's near-tie
/// merge (<see cref="TimeFixer"/>, <c>aeqSurv</c>) is applied on the sorted times when an estimator asks for it
/// (<see cref="TimeFix.R"/>), once per rule, and kept; it runs over all kept rows together, as R merges the whole
/// response before splitting it by group.
/// </para>
/// <para>
/// The results are those of the unprepared overloads on the same input, number for number:
/// <c>KaplanMeier.FitByGroup(data)</c> equals <c>KaplanMeier.FitByGroup(time, status, group)</c> and
/// <c>LogRank.Test(data)</c> equals <c>LogRank.Test(time, status, group)</c>.
/// R: <c>survfit(Surv(time, status) ~ group)</c> and <c>survdiff(Surv(time, status) ~ group)</c> on one data frame.
/// </para>
/// <para>
/// Cost: one pass to check the times and one sort (<see cref="TimeSort"/>: a counting sort for whole-number times,
/// otherwise a radix sort that carries each row's group and status along), O(n); memory 12 bytes per row, plus
/// 8 per row for merged times when the merge changes any.
/// </para>
/// </remarks>
public sealed class SurvivalData
{
    private readonly double[] _time;
    private readonly int[] _code;
    private readonly int[] _groupSizes;
    private readonly int _firstNegative;
    private readonly Lazy<SortedTimes> _merged;
    private readonly Lazy<SortedTimes> _exact;

    private SurvivalData(int count, Factor group, double[] time, int[] code, int[] groupSizes, List<int> dropped, int firstNegative, double firstNegativeValue)
    {
        Count = count;
        Group = group;
        _time = time;
        _code = code;
        _groupSizes = groupSizes;
        Dropped = dropped.AsReadOnly();
        _firstNegative = firstNegative;
        FirstNegativeValue = firstNegativeValue;
        _exact = new Lazy<SortedTimes>(() => SortedTimes.Create(_time, TimeFix.Exact));
        _merged = new Lazy<SortedTimes>(() => SortedTimes.Create(_time, TimeFix.R));
    }

    /// <summary>Number of rows given, with or without a group.</summary>
    public int Count { get; }

    /// <summary>Number of rows with a group: the rows the estimators use.</summary>
    public int Kept => _time.Length;

    /// <summary>The grouping factor.</summary>
    public Factor Group { get; }

    /// <summary>Indices (0-based, ascending) of the rows left out because their group is missing (code −1).</summary>
    public IReadOnlyList<int> Dropped { get; }

    /// <summary>Per kept row in ascending time: (group code &lt;&lt; 1) | event.</summary>
    internal int[] Code => _code;

    /// <summary>Kept rows per group level, in level order.</summary>
    internal int[] GroupSizes => _groupSizes;

    /// <summary>Index of the first row (of all rows) with a negative time, or −1.</summary>
    internal int FirstNegative => _firstNegative;

    /// <summary>The time at <see cref="FirstNegative"/>.</summary>
    internal double FirstNegativeValue { get; }

    /// <summary>
    /// Checks the input and sorts the rows with a group by time.
    /// </summary>
    /// <param name="time">Observed times: finite. Negative times are accepted here (R's <c>survdiff</c> accepts them);
    /// <see cref="KaplanMeier.FitByGroup(SurvivalData, KaplanMeierOptions?)"/> rejects them.</param>
    /// <param name="status">True for an event, false for a censoring; same length as <paramref name="time"/>.</param>
    /// <param name="group">The grouping variable; same length as <paramref name="time"/>. Rows with a missing
    /// group (code −1) are left out (<see cref="Dropped"/>).</param>
    /// <returns>The prepared data, to pass to <see cref="KaplanMeier.FitByGroup(SurvivalData, KaplanMeierOptions?)"/>
    /// and <see cref="LogRank.Test(SurvivalData, LogRankOptions?)"/> as often as needed.</returns>
    /// <remarks>R: the model frame of <c>Surv(time, status) ~ group</c> with <c>na.action = na.omit</c>, sorted.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Lengths differ, or a time is NaN or infinite (the message names the
    /// index and value).</exception>
    public static SurvivalData Prepare(IReadOnlyList<double> time, IReadOnlyList<bool> status, Factor group)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(group);
        if (status.Count != time.Count)
        {
            throw new ArgumentException(
                $"status has {status.Count} values but time has {time.Count}; they must have the same length.", nameof(status));
        }

        if (group.Count != time.Count)
        {
            throw new ArgumentException(
                $"group has {group.Count} values but time has {time.Count}; they must have the same length.", nameof(group));
        }

        return Create(time as double[] ?? [.. time], status as bool[] ?? [.. status], group);
    }

    /// <summary>
    /// Builds prepared data. Contract: time, status and group of equal length; a time that is not finite throws an
    /// ArgumentException naming its index (for <see cref="Prepare"/>; other callers have checked already).
    /// </summary>
    internal static SurvivalData Create(double[] time, bool[] status, Factor group)
    {
        int[] codes = group.Codes as int[] ?? [.. group.Codes];
        var sizes = new int[group.Levels.Count];
        var dropped = new List<int>();
        int firstNegative = -1;
        var range = default(TimeSort.Range);
        for (int i = 0; i < time.Length; i++)
        {
            double t = time[i];
            if (!double.IsFinite(t))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] = {t} is not a finite time."), nameof(time));
            }

            if (firstNegative < 0 && t < 0)
            {
                firstNegative = i;
            }

            int c = codes[i];
            if (c < 0)
            {
                dropped.Add(i);
            }
            else
            {
                sizes[c]++;
                range.Add(t);
            }
        }

        var (sorted, code) = TimeSort.Sort(new TimeSort.GroupStatus(time, status, codes, sizes.Length), range);
        return new SurvivalData(
            time.Length, group, sorted, code, sizes, dropped, firstNegative, firstNegative < 0 ? double.NaN : time[firstNegative]);
    }

    /// <summary>
    /// The kept rows' times in ascending order, near-tied times merged under <see cref="TimeFix.R"/> (the same
    /// array as the raw sorted times when nothing merges), with the number of distinct times. Computed once per rule.
    /// </summary>
    internal SortedTimes Times(TimeFix rule) => rule == TimeFix.R ? _merged.Value : _exact.Value;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"SurvivalData(n={Count}, kept={Kept}, group={Group.Name}, levels={_groupSizes.Length})");
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
