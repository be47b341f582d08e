namespace Sarcostat.Survival.RankTests;

/// <summary>
/// The speed kernel of the log-rank test: for whole-number times, a (stratum, time, group) histogram of leaving rows
/// and deaths replaces the sort, and the same <see cref="Walker"/> walks its cells as it walks sorted rows (so both
/// routes give the same O, E and V; LogRankPropertyTests compares them).
/// </summary>
internal static partial class LogRankAccumulator
{
    /// <summary>
    /// Histogram route. Applies when every time is a whole number, (max − min + 1)·k·strata ≤ 2n + 65 536 (memory
    /// O(n), like the sort it replaces), and —
    /// under <see cref="TimeFix.R"/> — max |t| &lt; 1/tol: then distinct times differ by at least 1 &gt; tol and
    /// dy / mean|y| ≥ 1 / max|t| &gt; tol, so <c>aeqSurv</c> merges nothing.
    /// </summary>
    private static bool TryHistogram(LogRankData data, LogRankOptions options, LogRankSums sums)
    {
        if (!data.WholeTimes)
        {
            return false;
        }

        var time = data.Time;
        int n = time.Length;
        double min = data.MinTime, max = data.MaxTime;
        if (options.TimeFix == TimeFix.R && Math.Max(Math.Abs(min), Math.Abs(max)) * TimeFixer.DefaultTolerance >= 1)
        {
            return false;
        }

        int k = sums.K;
        int strata = data.StrataCount;
        double width = max - min + 1;
        double cellsWanted = width * k * strata;
        if (cellsWanted > (2.0 * n) + 65_536 || cellsWanted > Array.MaxLength)
        {
            return false;
        }

        int range = (int)width;
        int cells = range * k * strata;
        var leave = new int[cells];
        var dead = new int[cells];
        var code = data.Code;
        var stratum = data.Stratum;
        if (stratum is null)
        {
            for (int i = 0; i < n; i++)
            {
                int c = code[i];
                int cell = ((int)(time[i] - min) * k) + (c >> 1);
                leave[cell]++;
                dead[cell] += c & 1;
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                int c = code[i];
                int cell = (((stratum[i] * range) + (int)(time[i] - min)) * k) + (c >> 1);
                leave[cell]++;
                dead[cell] += c & 1;
            }
        }

        var walker = new Walker(sums, options.Rho);
        for (int h = 0; h < strata; h++)
        {
            int first = h * range * k, end = first + (range * k);
            walker.Start();
            for (int cell = first; cell < end; cell += k)
            {
                for (int g = 0; g < k; g++)
                {
                    walker.Risk[g] += leave[cell + g];
                }
            }

            walker.StartTotals();
            for (int cell = first; cell < end; cell += k)
            {
                int count = 0, deaths = 0;
                for (int g = 0; g < k; g++)
                {
                    count += leave[cell + g];
                    deaths += dead[cell + g];
                }

                if (count > 0)
                {
                    walker.Block(leave, dead, cell, count, deaths);
                }
            }

            walker.EndStratum();
        }

        return true;
    }
}
