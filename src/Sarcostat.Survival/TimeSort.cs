using System.Numerics;
using System.Runtime.InteropServices;

namespace Sarcostat.Survival;

/// <summary>
/// Sorts rows by time carrying one int per row (a packed group and status, or the row index), so that an estimator
/// gets the sorted times and what it needs of each row without gathering from the unsorted arrays afterwards.
/// </summary>
/// <remarks>
/// Contract: input times are finite (callers validate). Rows the source leaves out are dropped. Output: the kept
/// rows' times in ascending order and their payloads in the same order; among equal times the order is unspecified
/// (the estimators that use this only count rows per distinct time). −0 is returned as +0.
/// Cost: when every time is a whole number (times in days) and (range × payload values) is O(n), two passes: count
/// rows per (time, payload), write the runs; when the range alone is no wider than 4n + 1024, a counting sort,
/// O(n + range). Otherwise a most-significant-digit radix sort on the order-preserving unsigned image of each double:
/// one pass over the rows into up to 1024 buckets of the key range, then each bucket, small enough to stay in cache,
/// is sorted in place by further digit passes and finished by insertion sort. This replaces the 8 passes over all
/// rows of an LSD radix sort followed by a random-access gather (<see cref="TimeOrder"/>): about half the time on 10⁷
/// distinct times (bench/README.md).
/// </remarks>
internal static class TimeSort
{
    /// <summary>Buckets this small are finished by insertion sort.</summary>
    private const int Small = 32;

    /// <summary>Most digit bits of a pass inside a bucket (16 384 counters: 64 KB, stays in L2).</summary>
    private const int MaxBits = 14;

    /// <summary>The rows to sort: a time and, for a kept row, its payload.</summary>
    internal interface IRows
    {
        /// <summary>Number of rows.</summary>
        int Count { get; }

        /// <summary>Time of row i.</summary>
        double Time(int i);

        /// <summary>Whether row i is kept, and its payload.</summary>
        bool Keep(int i, out int payload);

        /// <summary>A bound on the payloads (every payload lies in 0..PayloadLimit−1), or 0 when there is none small
        /// enough to count rows per (time, payload).</summary>
        int PayloadLimit { get; }
    }

    /// <summary>Sorts the kept rows by time. See the class remarks for the contract.</summary>
    public static (double[] Time, int[] Payload) Sort<TRows>(TRows rows)
        where TRows : struct, IRows
    {
        var range = default(Range);
        int n = rows.Count;
        for (int i = 0; i < n; i++)
        {
            if (rows.Keep(i, out _))
            {
                range.Add(rows.Time(i));
            }
        }

        return Sort(rows, range);
    }

    /// <summary>
    /// As <see cref="Sort{TRows}(TRows)"/>, for a caller that has already passed over the rows and gathered the kept
    /// times in <paramref name="range"/> (one pass fewer).
    /// </summary>
    public static (double[] Time, int[] Payload) Sort<TRows>(TRows rows, Range range)
        where TRows : struct, IRows
    {
        int kept = range.Kept;
        ulong minKey = range.MinKey, maxKey = range.MaxKey;
        bool whole = !range.NotWhole;
        var time = GC.AllocateUninitializedArray<double>(kept);
        var payload = GC.AllocateUninitializedArray<int>(kept);
        if (kept == 0)
        {
            return (time, payload);
        }

        double min = FromKey(minKey), max = FromKey(maxKey);
        double width = max - min + 1;
        if (whole && rows.PayloadLimit > 0 && width * rows.PayloadLimit <= (4.0 * kept) + 65_536)
        {
            Histogram(rows, min, (int)width, time, payload);
        }
        else if (whole && width <= (4.0 * kept) + 1024)
        {
            Counting(rows, min, (int)width, time, payload);
        }
        else
        {
            Radix(rows, minKey, maxKey, time, payload);
        }

        return (time, payload);
    }

    /// <summary>
    /// Whole-number times with few distinct payloads (days, groups and status): rows counted per (time, payload) in
    /// one pass, then the output written in order, run by run, without moving any row. For whole numbers in a range
    /// of O(n), t − min is exact, so rows with the same index have the same time.
    /// </summary>
    private static void Histogram<TRows>(TRows rows, double min, int range, double[] time, int[] payload)
        where TRows : struct, IRows
    {
        int limit = rows.PayloadLimit, n = rows.Count;
        var cells = new int[range * limit];
        var value = new double[range];
        for (int i = 0; i < n; i++)
        {
            if (rows.Keep(i, out int p))
            {
                double t = rows.Time(i);
                int b = (int)(t - min);
                cells[(b * limit) + p]++;
                value[b] = t == 0 ? 0.0 : t;
            }
        }

        int at = 0;
        for (int b = 0; b < range; b++)
        {
            for (int p = 0; p < limit; p++)
            {
                int c = cells[(b * limit) + p];
                if (c > 0)
                {
                    time.AsSpan(at, c).Fill(value[b]);
                    payload.AsSpan(at, c).Fill(p);
                    at += c;
                }
            }
        }
    }

    private static void Counting<TRows>(TRows rows, double min, int range, double[] time, int[] payload)
        where TRows : struct, IRows
    {
        var start = new int[range + 1];
        int n = rows.Count;
        for (int i = 0; i < n; i++)
        {
            if (rows.Keep(i, out _))
            {
                start[(int)(rows.Time(i) - min) + 1]++;
            }
        }

        for (int k = 1; k <= range; k++)
        {
            start[k] += start[k - 1];
        }

        for (int i = 0; i < n; i++)
        {
            if (rows.Keep(i, out int p))
            {
                double t = rows.Time(i);
                int at = start[(int)(t - min)]++;
                time[at] = t == 0 ? 0.0 : t;
                payload[at] = p;
            }
        }
    }

    private static void Radix<TRows>(TRows rows, ulong minKey, ulong maxKey, double[] time, int[] payload)
        where TRows : struct, IRows
    {
        // Keys minus the smallest key: the leading bits that every key shares drop out.
        int kept = time.Length, n = rows.Count;
        int width = 64 - BitOperations.LeadingZeroCount(maxKey - minKey);
        int topBits = Math.Min(width, Math.Clamp(BitOperations.Log2((uint)kept) - 6, 1, 10));
        int shift = width - topBits;
        int buckets = 1 << topBits;
        var start = new int[buckets + 1];
        for (int i = 0; i < n; i++)
        {
            if (rows.Keep(i, out _))
            {
                start[(int)((Key(rows.Time(i)) - minKey) >> shift) + 1]++;
            }
        }

        int largest = 0;
        for (int b = 0; b < buckets; b++)
        {
            largest = Math.Max(largest, start[b + 1]);
            start[b + 1] += start[b];
        }

        // The keys are written into the output time array and turned back into times bucket by bucket.
        var key = MemoryMarshal.Cast<double, ulong>(time.AsSpan());
        var next = (int[])start.Clone();
        for (int i = 0; i < n; i++)
        {
            if (rows.Keep(i, out int p))
            {
                ulong k = Key(rows.Time(i)) - minKey;
                int at = next[(int)(k >> shift)]++;
                key[at] = k;
                payload[at] = p;
            }
        }

        var scratchKey = GC.AllocateUninitializedArray<ulong>(largest);
        var scratchPayload = GC.AllocateUninitializedArray<int>(largest);
        var count = new int[(1 << MaxBits) + 1];
        for (int b = 0; b < buckets; b++)
        {
            int a = start[b], m = start[b + 1] - a;
            if (m == 0)
            {
                continue;
            }

            var bucketKey = key.Slice(a, m);
            // The bucket's keys lie in [b·2^shift, (b + 1)·2^shift): bounds without a pass to find them.
            ulong lo = (ulong)b << shift, hi = Math.Min(lo + ((1UL << shift) - 1), maxKey - minKey);
            SortInPlace(bucketKey, payload.AsSpan(a, m), lo, hi, scratchKey, scratchPayload, count);
            var bucketTime = time.AsSpan(a, m);
            for (int i = 0; i < m; i++)
            {
                bucketTime[i] = FromKey(bucketKey[i] + minKey);
            }
        }
    }

    /// <summary>
    /// Sorts one bucket, whose keys lie in [<paramref name="lo"/>, <paramref name="hi"/>], in place: one digit pass on
    /// that range into sub-buckets of about one row each
    /// (through the scratch arrays), recursion into the sub-buckets still larger than <see cref="Small"/>, then one
    /// insertion-sort pass over the bucket. The sub-buckets are already in order, so that pass only moves rows within
    /// a small sub-bucket: O(m·Small) at worst.
    /// </summary>
    private static void SortInPlace(Span<ulong> key, Span<int> payload, ulong lo, ulong hi, ulong[] scratchKey, int[] scratchPayload, int[] count)
    {
        int m = key.Length;
        if (m <= Small)
        {
            Insertion(key, payload);
            return;
        }

        if (lo == hi)
        {
            return;
        }

        int width = 64 - BitOperations.LeadingZeroCount(hi - lo);
        int bits = Math.Min(width, Math.Clamp(BitOperations.Log2((uint)m), 1, MaxBits));
        int shift = width - bits;
        int buckets = 1 << bits;
        var cnt = count.AsSpan(0, buckets + 1);
        cnt.Clear();
        foreach (ulong k in key)
        {
            cnt[(int)((k - lo) >> shift) + 1]++;
        }

        bool anyLarge = false;
        for (int b = 0; b < buckets; b++)
        {
            anyLarge |= cnt[b + 1] > Small;
            cnt[b + 1] += cnt[b];
        }

        int[]? bounds = anyLarge ? cnt.ToArray() : null;
        var sk = scratchKey.AsSpan(0, m);
        var sp = scratchPayload.AsSpan(0, m);
        for (int i = 0; i < m; i++)
        {
            ulong k = key[i];
            int at = cnt[(int)((k - lo) >> shift)]++;
            sk[at] = k;
            sp[at] = payload[i];
        }

        sk.CopyTo(key);
        sp.CopyTo(payload);
        if (bounds is not null)
        {
            for (int b = 0; b < buckets; b++)
            {
                int a = bounds[b], len = bounds[b + 1] - a;
                if (len > Small)
                {
                    // A sub-bucket's own range, usually much narrower than its share of the parent's.
                    var sub = key.Slice(a, len);
                    ulong subLo = ulong.MaxValue, subHi = 0;
                    foreach (ulong k in sub)
                    {
                        subLo = Math.Min(subLo, k);
                        subHi = Math.Max(subHi, k);
                    }

                    SortInPlace(sub, payload.Slice(a, len), subLo, subHi, scratchKey, scratchPayload, count);
                }
            }
        }

        Insertion(key, payload);
    }

    private static void Insertion(Span<ulong> key, Span<int> payload)
    {
        for (int i = 1; i < key.Length; i++)
        {
            ulong k = key[i];
            if (key[i - 1] <= k)
            {
                continue;
            }

            int p = payload[i];
            int j = i - 1;
            do
            {
                key[j + 1] = key[j];
                payload[j + 1] = payload[j];
                j--;
            }
            while (j >= 0 && key[j] > k);
            key[j + 1] = k;
            payload[j + 1] = p;
        }
    }

    /// <summary>The order-preserving unsigned image of a double (−0 maps as +0).</summary>
    private static ulong Key(double t)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(t == 0 ? 0.0 : t);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    private static double FromKey(ulong key) => BitConverter.Int64BitsToDouble(
        (long)((key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key));

    /// <summary>What the sort needs to know of the kept times before it starts: how many, the smallest and largest
    /// key, and whether all are whole numbers.</summary>
    internal struct Range
    {
        private ulong _minKey;

        /// <summary>Number of times added.</summary>
        public int Kept { get; private set; }

        /// <summary>Smallest key (valid when <see cref="Kept"/> &gt; 0).</summary>
        public readonly ulong MinKey => ~_minKey;

        /// <summary>Largest key.</summary>
        public ulong MaxKey { get; private set; }

        /// <summary>Whether some time is not a whole number.</summary>
        public bool NotWhole { get; private set; }

        /// <summary>Adds a kept time.</summary>
        public void Add(double t)
        {
            ulong key = Key(t);
            _minKey = Math.Max(_minKey, ~key); // stored complemented so that default(Range) starts empty
            MaxKey = Math.Max(MaxKey, key);
            NotWhole |= t != Math.Floor(t);
            Kept++;
        }
    }

    /// <summary>Rows with their index as payload, all kept.</summary>
    internal readonly struct Indexed(double[] time) : IRows
    {
        public int Count => time.Length;

        public int PayloadLimit => 0;

        public double Time(int i) => time[i];

        public bool Keep(int i, out int payload)
        {
            payload = i;
            return true;
        }
    }

    /// <summary>Rows with a precomputed payload in 0..limit−1 (limit 0: unbounded), all kept.</summary>
    internal readonly struct Packed(double[] time, int[] code, int limit) : IRows
    {
        public int Count => time.Length;

        public int PayloadLimit => limit;

        public double Time(int i) => time[i];

        public bool Keep(int i, out int payload)
        {
            payload = code[i];
            return true;
        }
    }

    /// <summary>Rows packed as (group &lt;&lt; 1) | event, group in 0..levels−1; rows whose group is missing (−1) are
    /// left out. <c>group</c> null puts every row in group 0 (levels = 1).</summary>
    internal readonly struct GroupStatus(double[] time, bool[] status, int[]? group, int levels) : IRows
    {
        public int Count => time.Length;

        public int PayloadLimit => 2 * levels;

        public double Time(int i) => time[i];

        public bool Keep(int i, out int payload)
        {
            int g = group is null ? 0 : group[i];
            payload = (g << 1) | (status[i] ? 1 : 0);
            return g >= 0;
        }
    }
}
