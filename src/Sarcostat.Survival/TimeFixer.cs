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

        // Pass 1: distinct values in ascending order, and the mean of their absolute values (R: mean(abs(y))).
        double meanAbs = 0;
        int m = 0;
        double last = double.NaN;
        for (int k = 0; k < n; k++)
        {
            double t = time[ascendingOrder[k]];
            if (k == 0 || t != last)
            {
                meanAbs += Math.Abs(t);
                m++;
                last = t;
            }
        }

        meanAbs /= m;
        double tol = DefaultTolerance;

        // Pass 2: walk the sorted times; a distinct value within tolerance of the previous distinct value joins
        // that value's run and maps to the run's first member (R: cuts <- y[c(TRUE, !tied)]; cuts[findInterval(x, cuts)]).
        double[]? result = null;
        double previous = time[ascendingOrder[0]], cut = previous;
        for (int k = 1; k < n; k++)
        {
            int i = ascendingOrder[k];
            double t = time[i];
            if (t != previous)
            {
                double dy = t - previous;
                if (!(dy <= tol || dy / meanAbs <= tol))
                {
                    cut = t;
                }

                previous = t;
            }

            if (cut != t)
            {
                result ??= (double[])time.Clone();
                result[i] = cut;
            }
        }

        return result ?? time;
    }
}
