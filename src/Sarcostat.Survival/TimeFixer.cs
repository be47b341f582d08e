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
    /// near-tied or <paramref name="rule"/> is <see cref="TimeFix.Exact"/>.
    /// </summary>
    /// <param name="time">Observed times; must be finite.</param>
    /// <param name="rule">Whether to merge near-ties.</param>
    public static double[] Apply(double[] time, TimeFix rule = TimeFix.R)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (rule == TimeFix.Exact || time.Length < 2)
        {
            return time;
        }

        var y = (double[])time.Clone();
        Array.Sort(y);
        int m = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (i == 0 || y[i] != y[m - 1])
            {
                y[m++] = y[i];
            }
        }

        double meanAbs = 0;
        for (int i = 0; i < m; i++)
        {
            meanAbs += Math.Abs(y[i]);
        }

        meanAbs /= m;
        double tol = DefaultTolerance;
        bool any = false;
        // cut[i] = the value every y[i] maps to: the first member of its run of near-ties.
        var cut = new double[m];
        for (int i = 0; i < m; i++)
        {
            if (i > 0)
            {
                double dy = y[i] - y[i - 1];
                bool tied = dy <= tol || dy / meanAbs <= tol;
                if (tied)
                {
                    cut[i] = cut[i - 1];
                    any = true;
                    continue;
                }
            }

            cut[i] = y[i];
        }

        if (!any)
        {
            return time;
        }

        var result = new double[time.Length];
        var distinct = y.AsSpan(0, m);
        for (int i = 0; i < time.Length; i++)
        {
            int k = distinct.BinarySearch(time[i]);
            result[i] = cut[k];
        }

        return result;
    }
}
