using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The fast kernel of Harrell's concordance (R <c>survival::concordance</c>, whose C code <c>concordance3</c> walks a
/// balanced tree): the same counts and infinitesimal-jackknife variance as the readable
/// <see cref="Concordance"/>.<c>Reference</c>, with flat arrays and one sort instead of LINQ grouping and ordering.
/// </summary>
/// <remarks>
/// Risk scores are ranked with one sort; rows are ordered by (stratum, time) with <see cref="TimeOrder"/> (a counting
/// sort for whole-day times) and a stable pass by stratum. Per stratum, a Fenwick tree over score ranks (blocked: see
/// <see cref="RankCounts"/>) counts, for each
/// event, the rows at risk after it (later times, or censored at its time) with a lower, equal or higher score
/// (backward pass), and for each row the earlier events it is compared with (forward pass). O(n log n) time, O(n) memory.
/// </remarks>
internal static class ConcordanceKernel
{
    /// <summary>Contract: arrays of equal length n ≥ 1, finite times and scores, stratum codes ≥ 0.</summary>
    public static ConcordanceResult Compute(double[] t, bool[] ev, double[] risk, int[] strata)
    {
        var order = ByStratumThenTime(t, strata, out var starts);
        return Compute(t, ev, risk, order, starts);
    }

    /// <summary>
    /// As <see cref="Compute(double[], bool[], double[], int[])"/>, given the rows' order by (stratum, time, row) and
    /// where each stratum begins in it (<see cref="ByStratumThenTime(double[], int[], out int[])"/>; a fit's checks
    /// compute it once for cox.zph and concordance).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConcordanceResult Compute(double[] t, bool[] ev, double[] risk, int[] order, int[] starts)
    {
        int n = t.Length;
        var rank = Ranks(risk, out int distinct);

        // The walks read rows in this order: gather time, status and rank into it once (sequential reads below).
        var ts = new double[n];
        var es = new bool[n];
        var rs = new int[n];
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            ts[k] = t[i];
            es[k] = ev[i];
            rs[k] = rank[i];
        }

        t = ts;
        ev = es;
        rank = rs;

        // Per row (in walk order): concordant − discordant, and concordant + discordant + tied, R's influence terms.
        var diff = new long[n];
        var total = new long[n];
        long conc = 0, disc = 0, tiedX = 0, tiedY = 0, tiedXY = 0;

        // Counts per rank, and a Fenwick tree over blocks of ranks: "lower score" is one query, "equal score" one read.
        var tree = new RankCounts(distinct);
        var deathRanks = new List<int>();
        for (int s = 0; s + 1 < starts.Length; s++)
        {
            int lo = starts[s], hi = starts[s + 1];
            if (hi <= lo)
            {
                continue;
            }

            // Backwards: for each event, the rows still at risk after it (and censored at its time).
            tree.Clear();
            long inTree = 0;
            for (int b = hi - 1; b >= lo;)
            {
                double tb = t[b];
                int a = b;
                while (a > lo && t[a - 1] == tb)
                {
                    a--;
                }

                for (int k = a; k <= b; k++)
                {
                    if (!ev[k])
                    {
                        tree.Add(rank[k]);
                        inTree++;
                    }
                }

                deathRanks.Clear();
                for (int k = a; k <= b; k++)
                {
                    if (!ev[k])
                    {
                        continue;
                    }

                    int r = rank[k];
                    long less = tree.Less(r);
                    long eq = tree.Count(r);
                    long more = inTree - less - eq;
                    diff[k] += less - more;
                    total[k] += less + more + eq;
                    conc += less;
                    disc += more;
                    tiedX += eq;
                    deathRanks.Add(r);
                }

                if (deathRanks.Count > 0)
                {
                    long deaths = deathRanks.Count, sameScore = 0;
                    if (deaths > 1)
                    {
                        deathRanks.Sort();
                        for (int r = 0; r < deathRanks.Count;)
                        {
                            int e = r;
                            while (e + 1 < deathRanks.Count && deathRanks[e + 1] == deathRanks[r])
                            {
                                e++;
                            }

                            long c = e - r + 1;
                            sameScore += c * (c - 1) / 2;
                            r = e + 1;
                        }
                    }

                    tiedXY += sameScore;
                    tiedY += (deaths * (deaths - 1) / 2) - sameScore;
                    for (int k = a; k <= b; k++)
                    {
                        if (ev[k])
                        {
                            tree.Add(rank[k]);
                            inTree++;
                        }
                    }
                }

                b = a - 1;
            }

            // Forwards: for each row, the earlier events it was compared with (events at its time too, if censored).
            tree.Clear();
            inTree = 0;
            for (int a = lo; a < hi;)
            {
                double ta = t[a];
                int b = a;
                while (b + 1 < hi && t[b + 1] == ta)
                {
                    b++;
                }

                for (int pass = 0; pass < 2; pass++)
                {
                    // pass 0: events see earlier events only; then this time's events are added; pass 1: censored rows.
                    bool events = pass == 0;
                    for (int k = a; k <= b; k++)
                    {
                        if (ev[k] != events)
                        {
                            continue;
                        }

                        int r = rank[k];
                        long less = tree.Less(r);
                        long eq = tree.Count(r);
                        long more = inTree - less - eq;
                        diff[k] += more - less;
                        total[k] += more + less + eq;
                    }

                    if (events)
                    {
                        for (int k = a; k <= b; k++)
                        {
                            if (ev[k])
                            {
                                tree.Add(rank[k]);
                                inTree++;
                            }
                        }
                    }
                }

                a = b + 1;
            }
        }

        // R's infinitesimal-jackknife variance of Somers' d from the per-row counts.
        double npair = conc + disc + tiedX;
        double somer = (conc - disc) / npair;
        double var = 0;
        for (int i = 0; i < n; i++)
        {
            double dfbeta = (diff[i] / npair) - (somer / npair * total[i]);
            var += dfbeta * dfbeta;
        }

        return new ConcordanceResult((somer + 1) / 2, Math.Sqrt(var / 4), conc, disc, tiedX, tiedY, tiedXY);
    }

    /// <summary>
    /// Ranks 1..k of the scores, equal scores sharing a rank; <paramref name="distinct"/> = k. The scores are ordered
    /// by <see cref="TimeOrder.Ascending"/> (a radix sort of the doubles' bit patterns at this size: several times
    /// faster than a comparison sort of 10⁶ keys with their indices).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] Ranks(double[] risk, out int distinct)
    {
        int n = risk.Length;
        var byRisk = TimeOrder.Ascending(risk);
        var rank = new int[n];
        distinct = 0;
        double previous = double.NaN;
        for (int k = 0; k < n; k++)
        {
            int i = byRisk[k];
            double v = risk[i];
            if (k == 0 || v != previous)
            {
                distinct++;
                previous = v;
            }

            rank[i] = distinct;
        }

        return rank;
    }

    /// <summary>
    /// Row indices ordered by stratum, then time, then index (R <c>order(strata, time)</c>): the stable time order of
    /// <see cref="TimeOrder"/>, then a stable counting pass by stratum. <paramref name="starts"/>[s] is where stratum s
    /// begins (one more entry than strata). Contract: stratum codes ≥ 0.
    /// </summary>
    internal static int[] ByStratumThenTime(double[] t, int[] strata, out int[] starts) =>
        ByStratumThenTime(TimeOrder.Ascending(t), strata, out starts);

    /// <summary>As <see cref="ByStratumThenTime(double[], int[], out int[])"/>, from the stable ascending time order
    /// <paramref name="byTime"/> already computed (it is returned itself without strata).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] ByStratumThenTime(int[] byTime, int[] strata, out int[] starts)
    {
        int n = byTime.Length;
        int maxStratum = 0;
        foreach (var s in strata)
        {
            maxStratum = Math.Max(maxStratum, s);
        }

        starts = new int[maxStratum + 2];
        if (maxStratum == 0)
        {
            starts[1] = n;
            return byTime;
        }

        foreach (var s in strata)
        {
            starts[s + 1]++;
        }

        for (int s = 1; s < starts.Length; s++)
        {
            starts[s] += starts[s - 1];
        }

        var idx = new int[n];
        var next = (int[])starts.Clone();
        foreach (var i in byTime)
        {
            idx[next[strata[i]]++] = i;
        }

        return idx;
    }

    /// <summary>
    /// How many rows of each score rank are in the tree, with the count of ranks below a given one in O(log n): a
    /// Fenwick tree over blocks of 64 ranks (16,000 blocks at 10⁶ distinct scores: 64 KB, cache-resident) plus a
    /// vector sum over the at most 63 counts of the rank's own block below it (four adjacent cache lines). A plain
    /// Fenwick tree over 10⁶ ranks (4 MB) costs several scattered cache misses per query instead.
    /// </summary>
    private sealed class RankCounts
    {
        private const int Shift = 6;
        private readonly int[] _count;   // per rank 0..k (rank 0 unused), padded to whole blocks
        private readonly int[] _blocks;  // Fenwick tree over blocks, 1-based: block b is entry b + 1

        public RankCounts(int ranks)
        {
            int blocks = (ranks >> Shift) + 1;
            _count = new int[blocks << Shift];
            _blocks = new int[blocks + 1];
        }

        public void Clear()
        {
            Array.Clear(_count);
            Array.Clear(_blocks);
        }

        public int Count(int rank) => _count[rank];

        public void Add(int rank)
        {
            _count[rank]++;
            for (int b = (rank >> Shift) + 1; b < _blocks.Length; b += b & -b)
            {
                _blocks[b]++;
            }
        }

        /// <summary>Rows in the tree with a rank below <paramref name="rank"/>.</summary>
        public long Less(int rank)
        {
            int block = rank >> Shift;
            long s = 0;
            for (int b = block; b > 0; b -= b & -b)
            {
                s += _blocks[b];
            }

            var own = _count.AsSpan(block << Shift, rank & ((1 << Shift) - 1));
            var vectors = MemoryMarshal.Cast<int, Vector256<int>>(own);
            var acc = Vector256<int>.Zero;
            foreach (var v in vectors)
            {
                acc += v;
            }

            int sum = Vector256.Sum(acc);
            for (int k = vectors.Length * 8; k < own.Length; k++)
            {
                sum += own[k];
            }

            return s + sum;
        }
    }
}
