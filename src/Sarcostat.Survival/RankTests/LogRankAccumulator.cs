using System.Runtime.CompilerServices;

namespace Sarcostat.Survival.RankTests;

/// <summary>Sums over strata of O, E, V and the event counts of a log-rank test.</summary>
internal sealed class LogRankSums(int k)
{
    public int K { get; } = k;

    public double[] Observed { get; } = new double[k];

    public double[] Expected { get; } = new double[k];

    /// <summary>Row-major k × k; only the upper triangle (h ≥ g) is filled.</summary>
    public double[] Variance { get; } = new double[k * k];

    public int[] Events { get; } = new int[k];

    /// <summary>Observed (weighted) events per group, one array per stratum in stratum order (R: the columns of
    /// <c>survdiff(...)$obs</c> with strata).</summary>
    public List<double[]> StratumObserved { get; } = [];

    /// <summary>Expected events per group, one array per stratum (R: the columns of <c>survdiff(...)$exp</c>).</summary>
    public List<double[]> StratumExpected { get; } = [];
}

/// <summary>
/// Computes O, E and V of the G^ρ test stratum by stratum, walking the distinct times in ascending order.
/// </summary>
/// <remarks>The walk (<see cref="Walker"/>: risk sets, observed and expected, the variance per time) is the maths to
/// read; the histogram route that feeds it for whole-day times is the speed kernel, in LogRankHistogramKernel.cs.</remarks>
/// <remarks>
/// Contract: <see cref="LogRankData"/> holds finite times and packed codes of the kept rows. Two routes give the same
/// sums: whole-number times in a span no wider than O(n) are tallied into a (stratum, time, group) histogram in
/// one pass (a counting sort without the permutation; near-tie merging provably changes nothing for them, see
/// <see cref="TryHistogram"/>); other times are sorted once with <see cref="TimeSort"/>, which carries each row's code,
/// near-tie merged (<see cref="TimeFixer.ApplySortedInPlace"/>) and walked. Cost O(n + D·k²) plus the sort.
/// <see cref="AccumulateSorted"/> walks rows already sorted (<see cref="SurvivalResponse"/>).
/// </remarks>
internal static partial class LogRankAccumulator
{
    public static LogRankSums Accumulate(LogRankData data, LogRankOptions options)
    {
        var sums = new LogRankSums(data.Levels.Length);
        if (!TryHistogram(data, options, sums))
        {
            Sorted(data, options, sums);
        }

        return sums;
    }

    /// <summary>
    /// Walks rows already sorted by time (<see cref="SurvivalResponse"/>): <paramref name="time"/> ascending after the
    /// near-tie rule, <paramref name="code"/> the compact group &lt;&lt; 1 | event of each row in the same order.
    /// </summary>
    public static LogRankSums AccumulateSorted(double[] time, int[] code, int groups, double rho)
    {
        var sums = new LogRankSums(groups);
        Walk(time, code, new Walker(sums, rho));
        return sums;
    }

    /// <summary>
    /// Sort route: one <see cref="TimeSort"/> sort carrying each row's packed code (or, with strata, its index, then
    /// a gather), near-tie merging on the sorted times.
    /// </summary>
    private static void Sorted(LogRankData data, LogRankOptions options, LogRankSums sums)
    {
        int n = data.Time.Length;
        var time = data.Time;
        var code = data.Code;
        double[] sortedTime;
        int[] sortedCode;
        int[]? order = null;
        if (data.Stratum is null)
        {
            (sortedTime, sortedCode) = TimeSort.Sort(new TimeSort.Packed(time, code, 2 * data.Levels.Length));
        }
        else
        {
            (sortedTime, order) = TimeSort.Sort(new TimeSort.Indexed(time));
            sortedCode = GC.AllocateUninitializedArray<int>(n);
            for (int i = 0; i < n; i++)
            {
                sortedCode[i] = code[order[i]];
            }
        }

        if (options.TimeFix == TimeFix.R)
        {
            TimeFixer.ApplySortedInPlace(sortedTime);
        }

        var walker = new Walker(sums, options.Rho);
        if (data.Stratum is null)
        {
            Walk(sortedTime, sortedCode, walker);
            return;
        }

        // Stable partition by stratum keeps each stratum in time order.
        var stratum = data.Stratum;
        int strata = data.StrataCount;
        var start = new int[strata + 1];
        for (int i = 0; i < n; i++)
        {
            start[stratum[i] + 1]++;
        }

        for (int h = 1; h <= strata; h++)
        {
            start[h] += start[h - 1];
        }

        var next = (int[])start.Clone();
        var time2 = GC.AllocateUninitializedArray<double>(n);
        var code2 = GC.AllocateUninitializedArray<int>(n);
        for (int i = 0; i < n; i++)
        {
            int at = next[stratum[order![i]]]++;
            time2[at] = sortedTime[i];
            code2[at] = sortedCode[i];
        }

        for (int h = 0; h < strata; h++)
        {
            int a = start[h], b = start[h + 1];
            Walk(time2.AsSpan(a, b - a), code2.AsSpan(a, b - a), walker);
        }
    }

    /// <summary>Walks one stratum's rows, ascending in time, block of tied times by block.</summary>
    // Called once per fit, so tiered compilation would run its loop as on-stack-replacement code: compile it fully at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Walk(ReadOnlySpan<double> time, ReadOnlySpan<int> code, Walker walker)
    {
        int n = time.Length;
        int k = walker.Risk.Length;
        walker.Start();

        // Counted in ints (a cheaper add than on doubles), then stored: the same whole numbers.
        var atRisk = new int[k];
        for (int i = 0; i < n; i++)
        {
            atRisk[code[i] >> 1]++;
        }

        for (int g = 0; g < k; g++)
        {
            walker.Risk[g] = atRisk[g];
        }

        walker.StartTotals();
        var leave = new int[k];
        var dead = new int[k];
        int i0 = 0;
        while (i0 < n)
        {
            double tNow = time[i0];
            int c0 = code[i0];
            if (i0 + 1 == n || time[i0 + 1] != tNow)
            {
                // A time held by one row (the rule for continuous times).
                walker.Single(c0 >> 1, (c0 & 1) != 0);
                i0++;
                continue;
            }

            int j = i0;
            int deaths = 0;
            do
            {
                int c = code[j];
                leave[c >> 1]++;
                dead[c >> 1] += c & 1;
                deaths += c & 1;
                j++;
            }
            while (j < n && time[j] == tNow);

            walker.Block(leave, dead, 0, j - i0, deaths);
            for (int g = 0; g < k; g++)
            {
                leave[g] = 0;
                dead[g] = 0;
            }

            i0 = j;
        }

        walker.EndStratum();
    }

    /// <summary>The risk set of one stratum, moving forward in time, adding each event time's terms to the sums.</summary>
    private sealed class Walker(LogRankSums sums, double rho)
    {
        // O and E of the current stratum; added to the totals at its end, so that the totals are sums over strata of
        // per-stratum sums, as R's rowSums(obs) and rowSums(exp).
        private readonly double[] _obs = new double[sums.K];
        private readonly double[] _exp = new double[sums.K];
        private readonly double[] _var = sums.Variance;
        private readonly int[] _events = sums.Events;
        private readonly int _k = sums.K;
        private double _nRisk;
        private double _km;

        /// <summary>At risk per group; filled by the caller between <see cref="Start"/> and <see cref="StartTotals"/>.</summary>
        public double[] Risk { get; } = new double[sums.K];

        public void Start()
        {
            Array.Clear(Risk);
            Array.Clear(_obs);
            Array.Clear(_exp);
        }

        /// <summary>Ends a stratum: records its O and E and adds them to the totals.</summary>
        public void EndStratum()
        {
            for (int g = 0; g < _k; g++)
            {
                sums.Observed[g] += _obs[g];
                sums.Expected[g] += _exp[g];
            }

            sums.StratumObserved.Add((double[])_obs.Clone());
            sums.StratumExpected.Add((double[])_exp.Clone());
        }

        public void StartTotals()
        {
            _nRisk = 0;
            foreach (double r in Risk)
            {
                _nRisk += r;
            }

            _km = 1;
        }

        /// <summary>One distinct time held by a single row of group <paramref name="g"/>: <see cref="Block"/> with one row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Single(int g, bool isEvent)
        {
            var risk = Risk;
            double nRisk = _nRisk;
            if (isEvent)
            {
                int k = _k;
                const double deaths = 1;
                double w = rho == 0 ? 1.0 : Math.Pow(_km, rho);
                double f = w * deaths / nRisk;
                _obs[g] += w;
                _events[g]++;
                if (k == 2)
                {
                    // Two groups, the common case: the loops below unrolled, the same operations in the same order.
                    double r0 = risk[0], r1 = risk[1];
                    var exp = _exp;
                    exp[0] += f * r0;
                    exp[1] += f * r1;
                    if (nRisk > 1)
                    {
                        double c = w * w * deaths * (nRisk - deaths) / (nRisk * nRisk * (nRisk - 1));
                        var v = _var;
                        double c0 = c * r0, c1 = c * r1;
                        if (c0 != 0)
                        {
                            v[0] += c0 * (nRisk - r0);
                            v[1] -= c0 * r1;
                        }

                        if (c1 != 0)
                        {
                            v[3] += c1 * (nRisk - r1);
                        }
                    }
                }
                else
                {
                    for (int h = 0; h < k; h++)
                    {
                        _exp[h] += f * risk[h];
                    }

                    if (nRisk > 1)
                    {
                        double c = w * w * deaths * (nRisk - deaths) / (nRisk * nRisk * (nRisk - 1));
                        AddVariance(c, risk, nRisk);
                    }
                }

                if (rho != 0)
                {
                    _km = _km * (nRisk - deaths) / nRisk;
                }
            }

            risk[g]--;
            _nRisk = nRisk - 1;
        }

        /// <summary>
        /// One distinct time: <paramref name="count"/> rows leave the risk set after it, <paramref name="deaths"/> of them
        /// events; per group g the counts are leave[at + g] and dead[at + g].
        /// </summary>
        public void Block(int[] leave, int[] dead, int at, int count, int deaths)
        {
            int k = _k;
            var risk = Risk;
            double nRisk = _nRisk;
            if (deaths > 0)
            {
                double w = rho == 0 ? 1.0 : Math.Pow(_km, rho);
                double f = w * deaths / nRisk;
                for (int g = 0; g < k; g++)
                {
                    int dg = dead[at + g];
                    _obs[g] += w * dg;
                    _exp[g] += f * risk[g];
                    _events[g] += dg;
                }

                if (nRisk > 1)
                {
                    double c = w * w * deaths * (nRisk - deaths) / (nRisk * nRisk * (nRisk - 1));
                    AddVariance(c, risk, nRisk);
                }

                if (rho != 0)
                {
                    _km = _km * (nRisk - deaths) / nRisk;
                }
            }

            for (int g = 0; g < k; g++)
            {
                risk[g] -= leave[at + g];
            }

            _nRisk = nRisk - count;
        }

        /// <summary>V_gh += c·n_g·(δ_gh·n − n_h), c = w²·d·(n − d)/(n²·(n − 1)); upper triangle only.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void AddVariance(double c, double[] risk, double nRisk)
        {
            int k = _k;
            for (int g = 0; g < k; g++)
            {
                double cg = c * risk[g];
                if (cg == 0)
                {
                    continue;
                }

                int row = g * k;
                _var[row + g] += cg * (nRisk - risk[g]);
                for (int h = g + 1; h < k; h++)
                {
                    _var[row + h] -= cg * risk[h];
                }
            }
        }
    }
}
