namespace Sarcostat.Survival;

/// <summary>
/// Merges near-tied times the way R's <c>aeqSurv</c> does, so that durations that are equal in exact
/// arithmetic but differ by round-off (e.g. after days / 30.4375) are treated as ties.
/// </summary>
/// <remarks>
/// R: <c>survival::aeqSurv(x, tolerance = sqrt(.Machine$double.eps))</c>, applied by <c>survfit</c>,
/// <c>survdiff</c> and <c>coxph</c> when <c>timefix = TRUE</c>.
/// Let y be the sorted distinct finite times and dy their successive differences. Two neighbours are tied when
/// <c>dy &lt;= tol</c> or <c>dy / mean(|y|) &lt;= tol</c>; each run of tied neighbours is replaced by its smallest member.
/// </remarks>
public static class TimeFixer
{
    /// <summary>R's default tolerance, <c>sqrt(.Machine$double.eps)</c>.</summary>
    public static readonly double DefaultTolerance = Math.Sqrt(2.220446049250313e-16);

    /// <summary>
    /// Returns the times with near-ties merged (a new array), or the same array when no two distinct times are
    /// near-tied or <paramref name="rule"/> is <see cref="TimeFix.Exact"/>. Sorts the times once; callers that
    /// already hold the ascending order should call <see cref="Apply(double[], int[], TimeFix)"/>.
    /// </summary>
    /// <param name="time">Observed times; must be finite.</param>
    /// <param name="rule">Whether to merge near-ties.</param>
    public static double[] Apply(double[] time, TimeFix rule = TimeFix.R)
    {
        ArgumentNullException.ThrowIfNull(time);
        return rule == TimeFix.Exact || time.Length < 2 ? time : Apply(time, TimeOrder.Ascending(time), rule);
    }

    /// <summary>
    /// As <see cref="Apply(double[], TimeFix)"/>, in O(n) given the ascending order of <paramref name="time"/>
    /// (from <see cref="TimeOrder.Ascending"/>). Merging maps each time to the smallest member of its run, a
    /// non-decreasing map, so <paramref name="ascendingOrder"/> stays a valid order of the result.
    /// </summary>
    /// <param name="time">Observed times; must be finite.</param>
    /// <param name="ascendingOrder">A permutation sorting <paramref name="time"/> ascending.</param>
    /// <param name="rule">Whether to merge near-ties.</param>
    public static double[] Apply(double[] time, int[] ascendingOrder, TimeFix rule = TimeFix.R)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(ascendingOrder);
        if (ascendingOrder.Length != time.Length)
        {
            throw new ArgumentException($"The order has {ascendingOrder.Length} entries for {time.Length} times.", nameof(ascendingOrder));
        }

        int n = time.Length;
        if (rule == TimeFix.Exact || n < 2)
        {
            return time;
        }

        var sorted = GC.AllocateUninitializedArray<double>(n);
        for (int k = 0; k < n; k++)
        {
            sorted[k] = time[ascendingOrder[k]];
        }

        if (!ApplySortedInPlace(sorted))
        {
            return time;
        }

        var result = new double[n];
        for (int k = 0; k < n; k++)
        {
            result[ascendingOrder[k]] = sorted[k];
        }

        return result;
    }

    /// <summary>
    /// The rule itself, on an ascending sequence, in place and O(n): every value is replaced by the smallest member
    /// of its run of near-tied distinct neighbours (R: <c>cuts &lt;- y[c(TRUE, !tied)]</c>). Returns whether any value changed.
    /// </summary>
    internal static bool ApplySortedInPlace(Span<double> sorted)
    {
        if (!MeanAbsDistinct(sorted, out double meanAbs, out _))
        {
            return false;
        }

        int first = FirstMerge(sorted, meanAbs);
        if (first < 0)
        {
            return false;
        }

        MergeFrom(sorted, sorted, first, meanAbs);
        return true;
    }

    /// <summary>
    /// <see cref="ApplySortedInPlace"/> without writing to <paramref name="sorted"/>: the same array when nothing
    /// merges, otherwise a merged copy; <paramref name="distinct"/> is the number of distinct values of the result.
    /// </summary>
    internal static double[] MergeSorted(double[] sorted, out int distinct)
    {
        if (!MeanAbsDistinct(sorted, out double meanAbs, out distinct))
        {
            return sorted;
        }

        int first = FirstMerge(sorted, meanAbs);
        if (first < 0)
        {
            return sorted;
        }

        var merged = GC.AllocateUninitializedArray<double>(sorted.Length);
        Array.Copy(sorted, merged, first);
        distinct -= MergeFrom(sorted, merged, first, meanAbs);
        return merged;
    }

    /// <summary>Whether two successive distinct values <paramref name="dy"/> apart are tied (R's aeqSurv test).</summary>
    private static bool NearTied(double dy, double meanAbs) => dy <= DefaultTolerance || dy / meanAbs <= DefaultTolerance;

    /// <summary>The index of the first value the rule changes, or −1: before it every value is its own cut.</summary>
    private static int FirstMerge(ReadOnlySpan<double> sorted, double meanAbs)
    {
        for (int i = 1; i < sorted.Length; i++)
        {
            double dy = sorted[i] - sorted[i - 1];
            if (dy != 0 && NearTied(dy, meanAbs))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The one merging walk: writes the merged values of <paramref name="sorted"/> from index <paramref name="first"/>
    /// (a value the rule changes, from <see cref="FirstMerge"/>) into <paramref name="target"/>, which may be the same
    /// memory; a value tied to its distinct predecessor takes the predecessor's cut. Returns how many distinct values
    /// were merged away.
    /// </summary>
    private static int MergeFrom(ReadOnlySpan<double> sorted, Span<double> target, int first, double meanAbs)
    {
        // Before `first` nothing changed, so the predecessor is its own cut.
        double previous = sorted[first - 1];
        double cut = previous;
        int merged = 0;
        for (int i = first; i < sorted.Length; i++)
        {
            double v = sorted[i];
            if (v == previous)
            {
                target[i] = cut;
                continue;
            }

            double dy = v - previous;
            previous = v;
            if (NearTied(dy, meanAbs))
            {
                target[i] = cut;
                merged++;
            }
            else
            {
                cut = v;
                target[i] = v;
            }
        }

        return merged;
    }

    /// <summary>
    /// Mean of |y| over the distinct values, summed in ascending order, and their number; false when fewer than two
    /// distinct values.
    /// </summary>
    private static bool MeanAbsDistinct(ReadOnlySpan<double> sorted, out double meanAbs, out int distinct)
    {
        meanAbs = 0;
        int n = sorted.Length;
        distinct = n;
        if (n < 2)
        {
            return false;
        }

        double sumAbs = Math.Abs(sorted[0]);
        distinct = 1;
        double previous = sorted[0];
        for (int i = 1; i < n; i++)
        {
            double v = sorted[i];
            if (v != previous)
            {
                sumAbs += Math.Abs(v);
                distinct++;
                previous = v;
            }
        }

        if (distinct < 2)
        {
            return false;
        }

        meanAbs = sumAbs / distinct;
        if (double.IsInfinity(sumAbs))
        {
            // Huge times (1e308 and 1.7e308) overflow the sum though their mean does not; an infinite mean would make
            // every dy / mean zero and merge every time into one. R sums in long double, which does not overflow here.
            // Summing the values divided by an exact power of two gives that mean (the scaling is exact, so the result
            // equals the unscaled sum wherever that does not overflow).
            int k = Math.ILogB(Math.Max(Math.Abs(sorted[0]), Math.Abs(sorted[n - 1])));
            double scaled = Math.ScaleB(Math.Abs(sorted[0]), -k);
            previous = sorted[0];
            for (int i = 1; i < n; i++)
            {
                if (sorted[i] != previous)
                {
                    scaled += Math.ScaleB(Math.Abs(sorted[i]), -k);
                    previous = sorted[i];
                }
            }

            meanAbs = Math.ScaleB(scaled / distinct, k);
        }

        return true;
    }
}
