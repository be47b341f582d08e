namespace Sarcostat.Survival;

/// <summary>
/// Sorts observation indices by time once, for every estimator (Kaplan-Meier, log-rank, Cox).
/// </summary>
/// <remarks>
/// Contract: input times are finite (callers validate). Output is a permutation <c>order</c> with
/// <c>time[order[0]] &lt;= time[order[1]] &lt;= ...</c>; among equal times the original order is kept (stable).
/// Cost: O(n + range) when every time is a whole number in a range no wider than 4n + 1024 (times in days,
/// the common case: a counting sort); otherwise O(n) passes of an LSD radix sort over the IEEE-754 bit pattern
/// (8 passes of 8 bits) for large n, and <see cref="Array.Sort{TKey,TValue}(TKey[],TValue[])"/> for small n.
/// </remarks>
internal static class TimeOrder
{
    private const int RadixThreshold = 1 << 15;

    /// <summary>Returns the stable ascending order of <paramref name="time"/>.</summary>
    public static int[] Ascending(ReadOnlySpan<double> time)
    {
        int n = time.Length;
        var order = new int[n];
        if (n == 0)
        {
            return order;
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        bool whole = true;
        for (int i = 0; i < n; i++)
        {
            double t = time[i];
            if (t < min)
            {
                min = t;
            }

            if (t > max)
            {
                max = t;
            }

            if (whole && t != Math.Floor(t))
            {
                whole = false;
            }
        }

        if (whole && max - min <= 4.0 * n + 1024)
        {
            CountingSort(time, min, (int)(max - min) + 1, order);
        }
        else if (n >= RadixThreshold)
        {
            RadixSort(time, order);
        }
        else
        {
            var keys = time.ToArray();
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            // Sort (time, index) pairs: comparing the index too keeps equal times in input order.
            var pairs = new (double Time, int Index)[n];
            for (int i = 0; i < n; i++)
            {
                pairs[i] = (keys[i], i);
            }

            Array.Sort(pairs, static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Index.CompareTo(b.Index));
            for (int i = 0; i < n; i++)
            {
                order[i] = pairs[i].Index;
            }
        }

        return order;
    }

    private static void CountingSort(ReadOnlySpan<double> time, double min, int range, int[] order)
    {
        var start = new int[range + 1];
        for (int i = 0; i < time.Length; i++)
        {
            start[(int)(time[i] - min) + 1]++;
        }

        for (int k = 1; k <= range; k++)
        {
            start[k] += start[k - 1];
        }

        for (int i = 0; i < time.Length; i++)
        {
            order[start[(int)(time[i] - min)]++] = i;
        }
    }

    /// <summary>LSD radix sort on the order-preserving unsigned image of each double (stable by construction).</summary>
    private static void RadixSort(ReadOnlySpan<double> time, int[] order)
    {
        int n = time.Length;
        var keys = new ulong[n];
        var idx = new int[n];
        for (int i = 0; i < n; i++)
        {
            ulong bits = (ulong)BitConverter.DoubleToInt64Bits(time[i] == 0 ? 0.0 : time[i]); // -0 sorts with +0
            keys[i] = (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
            idx[i] = i;
        }

        var keys2 = new ulong[n];
        var idx2 = new int[n];
        var count = new int[256];
        for (int shift = 0; shift < 64; shift += 8)
        {
            Array.Clear(count);
            for (int i = 0; i < n; i++)
            {
                count[(int)(keys[i] >> shift) & 0xFF]++;
            }

            if (count[(int)(keys[0] >> shift) & 0xFF] == n)
            {
                continue; // every key shares this digit: the pass would not move anything
            }

            int sum = 0;
            for (int b = 0; b < 256; b++)
            {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }

            for (int i = 0; i < n; i++)
            {
                int at = count[(int)(keys[i] >> shift) & 0xFF]++;
                keys2[at] = keys[i];
                idx2[at] = idx[i];
            }

            (keys, keys2) = (keys2, keys);
            (idx, idx2) = (idx2, idx);
        }

        Array.Copy(idx, order, n);
    }
}
