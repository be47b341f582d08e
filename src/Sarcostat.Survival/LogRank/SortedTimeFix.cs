namespace Sarcostat.Survival;

/// <summary>
/// <see cref="TimeFixer.Apply"/> for times that are already sorted: the same rule, in O(n) and in place, so that an
/// estimator that sorts once (<see cref="TimeOrder"/>) does not pay for the second sort inside <see cref="TimeFixer"/>.
/// </summary>
/// <remarks>
/// R: <c>survival::aeqSurv</c>. Contract: the input is finite and ascending. Output: every value is
/// replaced by the smallest member of its run of near-tied distinct neighbours, exactly as <see cref="TimeFixer.Apply"/>
/// would map it (same distinct values, same mean |y| summed in the same ascending order, same test
/// <c>dy &lt;= tol || dy / mean(|y|) &lt;= tol</c>); the sequence stays ascending. Tests check the two agree bit for bit.
/// </remarks>
internal static class SortedTimeFix
{
    /// <summary>Merges near-ties of an ascending sequence in place; returns whether any value changed.</summary>
    public static bool ApplyInPlace(Span<double> sorted)
    {
        int n = sorted.Length;
        if (n < 2)
        {
            return false;
        }

        // Pass 1: mean of |y| over the distinct values, summed in ascending order as TimeFixer does.
        double sumAbs = Math.Abs(sorted[0]);
        int distinct = 1;
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

        double meanAbs = sumAbs / distinct;
        double tol = TimeFixer.DefaultTolerance;

        // Pass 2: walk the distinct values; a value tied to its distinct predecessor takes the predecessor's cut.
        bool changed = false;
        previous = sorted[0];
        double cut = previous;
        for (int i = 1; i < n; i++)
        {
            double v = sorted[i];
            if (v == previous)
            {
                sorted[i] = cut;
                continue;
            }

            double dy = v - previous;
            previous = v;
            if (dy <= tol || dy / meanAbs <= tol)
            {
                sorted[i] = cut;
                changed = true;
            }
            else
            {
                cut = v;
            }
        }

        return changed;
    }
}
