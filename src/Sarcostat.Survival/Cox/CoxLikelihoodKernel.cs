using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// What the Newton-Raphson driver needs of a fast Cox likelihood: the centring of the design and, on that scaled design,
/// loglik, U and I at β (the maths: <see cref="CoxLikelihood"/>).
/// </summary>
internal interface ICoxLikelihoodKernel
{
    /// <summary>Centring constants per column (R <c>fit$means</c>).</summary>
    double[] Means { get; }

    /// <summary>Scale factor per column: scaled = (x − mean)·scale.</summary>
    double[] Scale { get; }

    /// <summary>loglik at β (scaled), U into <paramref name="score"/>, I (p × p, row-major) into <paramref name="information"/>.</summary>
    double Evaluate(ReadOnlySpan<double> beta, Span<double> score, Span<double> information);

    /// <summary>The largest centred linear predictor over the rows (scaled β).</summary>
    double MaxLinearPredictor(ReadOnlySpan<double> beta);
}

/// <summary>
/// The Cox log partial likelihood, its score vector and information matrix for right-censored data with strata and
/// Breslow or Efron ties, evaluated in O(n·p²) per call with no loop over risk sets per event.
/// </summary>
/// <remarks>
/// <para>Contract. Built once from complete data (finite times, no missing covariate), it sorts the rows once by
/// (stratum, time, status) — censored before deaths within a tied time — and keeps the covariates column-major,
/// centred and scaled as R's coxfit6 does (centre on the mean and divide by the mean absolute deviation, except
/// columns whose values all lie in {−1, 0, 1}). <see cref="Evaluate"/> then works on that scaled design: β, U and I are
/// those of the scaled columns; the caller maps them back.</para>
/// <para>Mathematics. Let r_i = exp(x_i′β). For a death time t (in a stratum) with d deaths D, risk set R (rows with
/// time ≥ t), D₀ = Σ_{R∖D} r, d₂ = Σ_D r, A₀ = Σ_{R∖D} r x, a₂ = Σ_D r x and C₀, C₂ the matching sums of r x x′, Efron's
/// terms k = 0..d−1 use f_k = (k+1)/d, den_k = D₀ + f_k d₂, mean m_k = (A₀ + f_k a₂)/den_k (Breslow: one term of weight d
/// with f = 1). Then
///   loglik = Σ_deaths x_i′β − Σ_t Σ_k log den_k,
///   U = Σ_deaths x_i − Σ_t Σ_k m_k,
///   I = Σ_t Σ_k [(C₀ + f_k C₂)/den_k − m_k m_k′].
/// Exchanging the order of summation in the first term of I (and in U) gives per-row weights
///   I₁ = Σ_i r_i H_i x_i x_i′,  H_i = Σ_{t &lt; t_i} h_t + (row censored at t_i ? h_{t_i} : h2_{t_i}),
/// with h_t = Σ_k 1/den_k and h2_t = Σ_k f_k/den_k, so I₁ is one weighted cross-product pass over the rows. The second
/// term Σ_k m_k m_k′ is, per death time, S₀A₀A₀′ + S₁(A₀a₂′ + a₂A₀′) + S₂a₂a₂′ (S_q = Σ_k f_k^q/den_k²), written as one
/// or two rows of a matrix M so that it is the cross-product M′M. A₀, a₂, D₀ and d₂ come from the cumulative sums of r and
/// r·x from each row to the end of its stratum, read at each group's first row, first death and end during one backward
/// pass over the rows (blocks of rows, sums carried from block to block, four columns per loop).</para>
/// <para>Cost per evaluation: two passes over the n × p design (the backward pass, then Σ w x x′) and one over M
/// (at most twice the number of death times), each O(rows · p²) at most, vectorised (AVX2 where present). Large inputs
/// split the cross-products and the initial centring over two threads, always in the same two halves.</para>
/// <para>R: the likelihood of <c>survival:::coxph.fit</c> / C routine coxfit6 (same formulas, different summation
/// order; results agree to rounding).</para>
/// </remarks>
internal sealed class CoxLikelihoodKernel : ICoxLikelihoodKernel
{
    private const int RowBlock = 1024;
    internal const int Stride = RowBlock + 40;  // column stride of block scratch: not a multiple of 4 KiB (cache sets)
    internal const int ParallelRows = 1 << 16;   // inputs this long are split in two parts (backward pass, cross-products)
    private const int ParallelGroups = 1 << 14; // this many death times are finished in two halves
    private readonly int _parallelRows;
    private const byte RoleEnd = 0;
    private const byte RoleDeath = 1;
    private const byte RoleStart = 2;

    private readonly int _n;
    private readonly int _p;
    private readonly int _p4;
    private readonly double[] _x;          // column-major, _p4 columns of _n sorted rows, centred and scaled
    private readonly double[] _deathSum;   // Σ over deaths of x (scaled), length _p4
    private readonly int[] _blockStart;    // row blocks, none crossing a stratum boundary; _blockStart[^1] = n
    private readonly bool[] _blockContinues; // the block's stratum goes on after the block
    private readonly int _splitGroup;      // > 0: the backward pass runs as two parts split at this group's first row
    private readonly int _splitBlock;      // the first block of the later part
    private readonly bool _splitContinues; // the stratum at the split goes on before it (the earlier part needs a carry)
    private readonly int _splitStratumFirstGroup; // first group of that stratum
    private readonly int[] _stratumRowStart;   // rows of stratum s: [_stratumRowStart[s], _stratumRowStart[s+1])
    private readonly int[] _stratumFirstGroup; // groups of stratum s: [_stratumFirstGroup[s], _stratumFirstGroup[s+1])
    private readonly int[] _gStartRow;     // a death-time group: rows [start, end), deaths [death, end)
    private readonly int[] _gDeathRow;
    private readonly int[] _gEndRow;
    private readonly bool[] _gHasEnd;      // false when the group ends its stratum (nothing at risk after it)
    private readonly int[] _evRow;         // events in non-increasing row order: a group's end, first death, start
    private readonly int _splitEvent;
    private readonly int[] _evGroup;
    private readonly byte[] _evRole;
    private readonly int[] _extraRow;      // row of M owned by an Efron group with several deaths (else −1)
    private readonly bool _efron;
    private readonly int _groups;
    private readonly int _mRows;

    // Work buffers, reused by every evaluation.
    private readonly double[] _r;
    private readonly double[] _w;
    private readonly double[] _m;          // row-major: _m[row * p4 + j]
    private readonly double[] _h;
    private readonly double[] _h2;
    private readonly double[] _cumBlock;   // RowBlock × (p4 + 4) scratch of the row pass, row-major
    private readonly double[] _cumBlock2;  // the same for the second part of a split pass

    /// <summary>
    /// Prepares the likelihood. <paramref name="x"/> is n × p column-major in the caller's row order; rows are sorted
    /// here. <paramref name="stratum"/> holds dense codes 0..strata−1 or is null. Near-tied times are merged first by
    /// <paramref name="timeFix"/> (R's aeqSurv on the distinct times).
    /// </summary>
    /// <param name="time">Follow-up times (finite).</param>
    /// <param name="status">Event indicators.</param>
    /// <param name="x">The design, n × p column-major.</param>
    /// <param name="p">Number of columns.</param>
    /// <param name="stratum">Dense stratum codes or null.</param>
    /// <param name="strata">Number of strata (1 without).</param>
    /// <param name="ties">Tie method.</param>
    /// <param name="timeFix">Near-tie rule.</param>
    /// <param name="parallelRows">Row count from which work is split in two parts (tests lower it to exercise the split).</param>
    public CoxLikelihoodKernel(
        double[] time, bool[] status, double[] x, int p, int[]? stratum, int strata, TieMethod ties, TimeFix timeFix, int parallelRows = ParallelRows)
    {
        _parallelRows = Math.Max(2, parallelRows);
        _n = time.Length;
        _p = p;
        _p4 = (p + 3) & ~3;
        _efron = ties == TieMethod.Efron;
        int n = _n;

        var (order, sortedTime, sortedStatus, sortedStratum) = SortOrder(time, status, stratum, strata, timeFix);

        // Centre and scale as coxfit6: mean, then n / Σ|x − mean|; columns within {−1, 0, 1} are left alone. The
        // sums run over the caller's row order, sequentially, as before the kernel was rewritten.
        Means = new double[p];
        Scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            (Means[j], Scale[j]) = CentreAndScale(x.AsSpan(j * n, n));
        }

        _x = GC.AllocateUninitializedArray<double>(_p4 * n);
        _deathSum = new double[_p4];
        Gather(x, n, p, order, sortedStatus, _x, _deathSum, Means, Scale);

        // Death-time groups (rows [start, end) sharing a time with at least one death; deaths [death, end)) and the row
        // blocks (at most RowBlock rows, never crossing a stratum boundary).
        var gStart = new List<int>();
        var gDeath = new List<int>();
        var gEnd = new List<int>();
        var gHasEnd = new List<bool>();
        var blocks = new List<int>();
        _stratumRowStart = new int[strata + 1];
        _stratumFirstGroup = new int[strata + 1];
        int row = 0;
        for (int s = 0; s < strata; s++)
        {
            _stratumRowStart[s] = row;
            _stratumFirstGroup[s] = gStart.Count;
            int end = row;
            while (end < n && sortedStratum[end] == s)
            {
                end++;
            }

            for (int b = row; b < end; b += RowBlock)
            {
                blocks.Add(b);
            }

            int i = row;
            while (i < end)
            {
                int j = i;
                double t = sortedTime[i];
                int firstDeath = -1;
                while (j < end && sortedTime[j] == t)
                {
                    if (sortedStatus[j] && firstDeath < 0)
                    {
                        firstDeath = j;
                    }

                    j++;
                }

                if (firstDeath >= 0)
                {
                    gStart.Add(i);
                    gDeath.Add(firstDeath);
                    gEnd.Add(j);
                    gHasEnd.Add(j < end);
                }

                i = j;
            }

            row = end;
        }

        _stratumRowStart[strata] = n;
        _stratumFirstGroup[strata] = gStart.Count;

        // Large inputs: the backward pass runs in two parts on two threads, split at the first row of the first
        // death-time group in the second half of the rows (so that no group straddles the split).
        _splitGroup = -1;
        if (n >= _parallelRows)
        {
            for (int g = 0; g < gStart.Count; g++)
            {
                if (gStart[g] >= n / 2)
                {
                    _splitGroup = g > 0 ? g : -1;
                    break;
                }
            }
        }

        if (_splitGroup > 0 && !blocks.Contains(gStart[_splitGroup]))
        {
            blocks.Add(gStart[_splitGroup]);
            blocks.Sort();
        }

        blocks.Add(n);
        _blockStart = blocks.ToArray();
        _blockContinues = new bool[_blockStart.Length - 1];
        for (int k = 0; k < _blockContinues.Length; k++)
        {
            int next = _blockStart[k + 1];
            _blockContinues[k] = next < n && sortedStratum[next] == sortedStratum[_blockStart[k]];
        }

        _splitBlock = _splitGroup > 0 ? Array.IndexOf(_blockStart, gStart[_splitGroup]) : 0;
        _splitContinues = _splitGroup > 0 && sortedStratum[gStart[_splitGroup] - 1] == sortedStratum[gStart[_splitGroup]];
        _splitStratumFirstGroup = _splitGroup > 0 ? _stratumFirstGroup[sortedStratum[gStart[_splitGroup]]] : 0;
        _gStartRow = gStart.ToArray();
        _gDeathRow = gDeath.ToArray();
        _gEndRow = gEnd.ToArray();
        _gHasEnd = gHasEnd.ToArray();
        int groups = _gStartRow.Length;

        // Events for the backward pass, in non-increasing row order: for each group (last first) its end (where the
        // rows after it begin), its first death, its first row.
        int events = 0;
        for (int g = 0; g < groups; g++)
        {
            events += _gHasEnd[g] ? 3 : 2;
        }

        _evRow = new int[events];
        _evGroup = new int[events];
        _evRole = new byte[events];
        int ev = 0;
        for (int g = groups - 1; g >= 0; g--)
        {
            if (_gHasEnd[g])
            {
                (_evRow[ev], _evGroup[ev], _evRole[ev]) = (_gEndRow[g], g, RoleEnd);
                ev++;
            }

            (_evRow[ev], _evGroup[ev], _evRole[ev]) = (_gDeathRow[g], g, RoleDeath);
            ev++;
            (_evRow[ev], _evGroup[ev], _evRole[ev]) = (_gStartRow[g], g, RoleStart);
            ev++;
            if (g == _splitGroup)
            {
                _splitEvent = ev;       // events [0, _splitEvent) belong to the later part
            }
        }

        _groups = groups;
        var extra = new List<int>();
        if (_efron)
        {
            for (int g = 0; g < groups; g++)
            {
                if (_gEndRow[g] - _gDeathRow[g] > 1)
                {
                    extra.Add(g);
                }
            }
        }

        _extraRow = new int[groups];
        Array.Fill(_extraRow, -1);
        for (int q = 0; q < extra.Count; q++)
        {
            _extraRow[extra[q]] = groups + q;
        }

        _mRows = groups + extra.Count;
        Groups = groups;

        _r = new double[n];
        _w = new double[n];
        _m = new double[_p4 * _mRows];
        _h = new double[groups];
        _h2 = new double[groups];
        _cumBlock = new double[(_p4 + 4) * RowBlock];
        _cumBlock2 = _splitGroup > 0 ? new double[(_p4 + 4) * RowBlock] : [];
    }

    /// <summary>
    /// The fastest kernel for the data: <see cref="CoxLikelihoodBinnedKernel"/> when the times are whole numbers in a
    /// range small against n (days: no sort and no copy of the design), otherwise this sorted one.
    /// <paramref name="binned"/> forces the choice (tests); the binned kernel is used only where it applies.
    /// </summary>
    public static ICoxLikelihoodKernel Create(
        double[] time, bool[] status, double[] x, int p, int[]? stratum, int strata, TieMethod ties, TimeFix timeFix,
        bool? binned = null, int parallelRows = ParallelRows)
    {
        if (binned != false)
        {
            var b = CoxLikelihoodBinnedKernel.TryCreate(time, status, x, p, stratum, strata, ties, timeFix, binned == true, parallelRows);
            if (b is not null)
            {
                return b;
            }
        }

        return new CoxLikelihoodKernel(time, status, x, p, stratum, strata, ties, timeFix, parallelRows);
    }

    /// <summary>Centring constants per column (R <c>fit$means</c>).</summary>
    public double[] Means { get; }

    /// <summary>Scale factor per column: scaled = (x − mean)·scale.</summary>
    public double[] Scale { get; }

    /// <summary>Number of distinct death times (summed over strata).</summary>
    public int Groups { get; }

    /// <summary>
    /// Evaluates the log partial likelihood at <paramref name="beta"/> (scaled covariates) and writes the score vector
    /// into <paramref name="score"/> (length p) and the information matrix into <paramref name="information"/>
    /// (p × p, row-major, both triangles).
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> beta, Span<double> score, Span<double> information)
    {
        int p = _p;

        // 1-3. One backward pass over the rows in blocks: risk scores r = exp(x′β), cumulative sums of r and r·x from
        //      each row to the end of its stratum (carried from block to block), and at each death-time group, once
        //      its first row is reached, its raw sums (D₀, d₂ into h, h2; A₀ or A, and a₂ into its rows of M); then
        //      each group's denominators, log-likelihood terms, hazard increments and rows of M.
        double loglik = 0;
        for (int j = 0; j < p; j++)
        {
            loglik += beta[j] * _deathSum[j];
        }

        int lastBlock = _blockStart.Length - 1;
        if (_splitGroup > 0)
        {
            // Two parts at once. The earlier part starts with zero sums; its groups in the stratum that crosses the
            // split then receive the later part's sums at the split row (the "rest of the risk set" terms D₀, A₀).
            double[]? carryLater = null;
            var betaCopy = beta.ToArray();
            Parallel.Invoke(
                () => carryLater = BackwardPass(betaCopy, _splitBlock, lastBlock, 0, _splitEvent, _cumBlock),
                () => BackwardPass(betaCopy, 0, _splitBlock, _splitEvent, _evRow.Length, _cumBlock2));
            if (_splitContinues)
            {
                AddCarry(carryLater!, _splitStratumFirstGroup, _splitGroup);
            }
        }
        else
        {
            BackwardPass(beta, 0, lastBlock, 0, _evRow.Length, _cumBlock);
        }

        // Per group: denominators, log-likelihood terms, hazard increments, and the rows of M finished in place.
        if (_groups >= Math.Min(ParallelGroups, _parallelRows))
        {
            double first = 0, second = 0;
            int half = _groups / 2;
            Parallel.Invoke(() => first = FinishGroups(0, half), () => second = FinishGroups(half, _groups));
            loglik -= first + second;
        }
        else
        {
            loglik -= FinishGroups(0, _groups);
        }

        // 4. Row weights r_i·H_i, H the cumulative hazard-like sum of the increments before (and at) the row's time.
        int strata = _stratumFirstGroup.Length - 1;
        for (int s = 0; s < strata; s++)
        {
            double cumH = 0;
            int rowAt = _stratumRowStart[s];
            for (int g = _stratumFirstGroup[s]; g < _stratumFirstGroup[s + 1]; g++)
            {
                int start = _gStartRow[g], death = _gDeathRow[g], end = _gEndRow[g];
                Weight(rowAt, start, cumH);
                Weight(start, death, cumH + _h[g]);
                Weight(death, end, cumH + _h2[g]);
                cumH += _h[g];
                rowAt = end;
            }

            Weight(rowAt, _stratumRowStart[s + 1], cumH);
        }

        // 5. I = Σ w x x′ − M′M,  U = Σ_deaths x − Σ w x.
        var (i1, wx, i2) = CrossProducts();
        for (int a = 0; a < p; a++)
        {
            score[a] = _deathSum[a] - wx[a];
            for (int c = a; c < p; c++)
            {
                double v = i1[(a * _p4) + c] - i2[(a * _p4) + c];
                information[(a * p) + c] = v;
                information[(c * p) + a] = v;
            }
        }

        return loglik;
    }

    /// <summary>
    /// Backward pass over blocks [<paramref name="blockFrom"/>, <paramref name="blockTo"/>) handling events
    /// [<paramref name="evFrom"/>, <paramref name="evTo"/>): risk scores and cumulative sums (starting from zero after
    /// the last block), and the raw sums of each group whose first row is reached: h[g] ← D₀, h2[g] ← d₂, and in M the
    /// risk-set sum A = A₀ + a₂ (one-row groups) or A₀ and a₂ (Efron groups with several deaths). Returns the sums at
    /// the first row of the range (within its stratum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double[] BackwardPass(ReadOnlySpan<double> beta, int blockFrom, int blockTo, int evFrom, int evTo, double[] block)
    {
        int quads = _p4 / 4;
        int width = _p4 + 4;                     // scratch row: p4 sums of r·x, then Σ r, then padding
        var carry = new double[width];
        Span<Vector256<double>> laterX = quads <= 32 ? stackalloc Vector256<double>[quads] : new Vector256<double>[quads];
        Span<Vector256<double>> midX = quads <= 32 ? stackalloc Vector256<double>[quads] : new Vector256<double>[quads];
        laterX.Clear();
        midX.Clear();
        double laterR = 0, midR = 0;
        var scratch = MemoryMarshal.Cast<double, Vector256<double>>(block.AsSpan());
        var mRows = MemoryMarshal.Cast<double, Vector256<double>>(_m.AsSpan());
        int ev = evFrom;

        // An end event at the range's end row (a group ending where the later part begins) sees the sums after the
        // range, which this part counts as zero (the caller adds them afterwards).
        while (ev < evTo && _evRow[ev] >= _blockStart[blockTo])
        {
            ev++;
        }

        for (int blk = blockTo - 1; blk >= blockFrom; blk--)
        {
            int b = _blockStart[blk];
            int e = _blockStart[blk + 1];
            var r = _r.AsSpan(b, e - b);
            LinearPredictor(beta, b, r);
            Exp(r);
            if (blk == blockTo - 1 || !_blockContinues[blk])
            {
                Array.Clear(carry);
            }

            CumulateBackward(r, b, carry, block);
            for (; ev < evTo && _evRow[ev] >= b; ev++)
            {
                int at = _evRow[ev] - b;
                int g = _evGroup[ev];
                int rowAt = at * (width / 4);
                double cumR = block[(at * width) + _p4];
                switch (_evRole[ev])
                {
                    case RoleEnd:
                        laterR = cumR;
                        scratch.Slice(rowAt, quads).CopyTo(laterX);
                        break;
                    case RoleDeath:
                        if (!_gHasEnd[g])
                        {
                            laterR = 0;
                            laterX.Clear();
                        }

                        midR = cumR;
                        scratch.Slice(rowAt, quads).CopyTo(midX);
                        break;
                    default:
                        _h[g] = (cumR - midR) + laterR;     // D₀: the rest of the risk set
                        _h2[g] = midR - laterR;             // d₂: the deaths
                        var start = scratch.Slice(rowAt, quads);
                        var main = mRows.Slice(g * quads, quads);
                        int extra = _extraRow[g];
                        if (extra < 0)
                        {
                            start.CopyTo(main);             // A = A₀ + a₂
                        }
                        else
                        {
                            var second = mRows.Slice(extra * quads, quads);
                            for (int q = 0; q < quads; q++)
                            {
                                main[q] = (start[q] - midX[q]) + laterX[q];   // A₀
                                second[q] = midX[q] - laterX[q];             // a₂
                            }
                        }

                        break;
                }
            }
        }

        return carry;
    }

    /// <summary>Adds the sums after the split (<paramref name="carry"/>) to the rest-of-risk-set terms of groups [from, to).</summary>
    private void AddCarry(double[] carry, int from, int to)
    {
        int quads = _p4 / 4;
        var c = MemoryMarshal.Cast<double, Vector256<double>>(carry.AsSpan(0, _p4));
        var mRows = MemoryMarshal.Cast<double, Vector256<double>>(_m.AsSpan());
        double cR = carry[_p4];
        for (int g = from; g < to; g++)
        {
            _h[g] += cR;
            var main = mRows.Slice(g * quads, quads);
            for (int q = 0; q < quads; q++)
            {
                main[q] += c[q];
            }
        }
    }

    /// <summary>
    /// Finishes groups [from, to): from D₀ (in h) and d₂ (in h2) the denominators, h and h2, and the rows of M in place
    /// (c1·A₀ + c2·a₂, c3·a₂). Returns Σ log den_k over the groups.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double FinishGroups(int from, int to)
    {
        int quads = _p4 / 4;
        var mRows = MemoryMarshal.Cast<double, Vector256<double>>(_m.AsSpan());
        double logSum = 0;
        for (int g = from; g < to; g++)
        {
            var (logs, c1, c2, c3) = GroupScalars(g, _h[g], _h2[g]);
            logSum += logs;
            var main = mRows.Slice(g * quads, quads);
            int extra = _extraRow[g];
            if (extra < 0)
            {
                var v1 = Vector256.Create(c1);
                for (int q = 0; q < quads; q++)
                {
                    main[q] *= v1;
                }
            }
            else
            {
                var second = mRows.Slice(extra * quads, quads);
                var v1 = Vector256.Create(c1);
                var v2 = Vector256.Create(c2);
                var v3 = Vector256.Create(c3);
                for (int q = 0; q < quads; q++)
                {
                    var a2 = second[q];
                    main[q] = (v1 * main[q]) + (v2 * a2);
                    second[q] = v3 * a2;
                }
            }
        }

        return logSum;
    }

    /// <summary>
    /// The scalars of death-time group g from D₀ (Σ r over the risk set less the deaths) and d₂ (Σ r over the deaths):
    /// stores the hazard increments h, h2 and returns Σ_k log den_k and the coefficients of the group's rows of M
    /// (c1·A₀ + c2·a₂ and, for Efron with several deaths, c3·a₂).
    /// </summary>
    private (double LogSum, double C1, double C2, double C3) GroupScalars(int g, double d0, double d2)
    {
        var t = GroupTerms(_gEndRow[g] - _gDeathRow[g], _efron, d0, d2);
        _h[g] = t.H;
        _h2[g] = t.H2;
        return (t.LogSum, t.C1, t.C2, t.C3);
    }

    /// <summary>
    /// The terms of one death time with <paramref name="d"/> deaths from D₀ (Σ r over the risk set less the deaths)
    /// and d₂ (Σ r over the deaths): Σ_k log den_k, the hazard increments h = Σ_k 1/den_k (for rows that do not die
    /// there) and h2 = Σ_k f_k/den_k (for the deaths), and the coefficients of the rows of M (c1·A₀ + c2·a₂ and, for
    /// Efron with several deaths, c3·a₂; Breslow or one death: c1 = c2 = √d/den, c3 = 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double LogSum, double H, double H2, double C1, double C2, double C3) GroupTerms(int d, bool efron, double d0, double d2)
    {
        if (!efron || d == 1)
        {
            double den = d0 + d2;
            double h = d / den;
            double c = Math.Sqrt(d) / den;
            return (d * Math.Log(den), h, h, c, c, 0);
        }

        // Four terms at a time (one vector log per four): at registry scale a day can have hundreds of deaths.
        double hs = 0, h2 = 0, s0 = 0, s1 = 0, s2 = 0, logSum = 0;
        int k = 0;
        if (d >= 8)
        {
            var vd0 = Vector256.Create(d0);
            var vd2 = Vector256.Create(d2);
            var vd = Vector256.Create((double)d);
            var step = Vector256.Create(4.0);
            var kk = Vector256.Create(1.0, 2.0, 3.0, 4.0);
            Vector256<double> vLog = default, vH = default, vH2 = default, v0 = default, v1 = default, v2 = default;
            for (; k + 4 <= d; k += 4)
            {
                var f = kk / vd;
                var den = Vector256.FusedMultiplyAdd(f, vd2, vd0);
                vLog += Vector256.Log(den);
                var inv = Vector256<double>.One / den;
                vH += inv;
                vH2 += f * inv;
                var inv2 = inv * inv;
                v0 += inv2;
                v1 += f * inv2;
                v2 += f * f * inv2;
                kk += step;
            }

            logSum = Vector256.Sum(vLog);
            hs = Vector256.Sum(vH);
            h2 = Vector256.Sum(vH2);
            s0 = Vector256.Sum(v0);
            s1 = Vector256.Sum(v1);
            s2 = Vector256.Sum(v2);
        }

        for (int q = k; q < d; q++)
        {
            double f = (q + 1.0) / d;
            double den = d0 + (f * d2);
            logSum += Math.Log(den);
            double inv = 1 / den;
            hs += inv;
            h2 += f * inv;
            double inv2 = inv * inv;
            s0 += inv2;
            s1 += f * inv2;
            s2 += f * f * inv2;
        }

        double c1 = Math.Sqrt(s0);
        double c2 = s1 / c1;
        return (logSum, hs, h2, c1, c2, Math.Sqrt(Math.Max(0, s2 - (c2 * c2))));
    }

    /// <summary>
    /// Backward cumulative sums over one block (rows b..b+len−1) of r·x_j for every column and of r itself, starting from
    /// <paramref name="carry"/> (the sums after the block) and leaving there the sums at the block's first row. Results
    /// go to <see cref="_cumBlock"/> row by row (row i at i·(p4 + 4): the p4 column sums, then Σ r), so that the sums of
    /// one row are read as p4/4 vectors. Two quads of columns share one loop so that their addition chains overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CumulateBackward(ReadOnlySpan<double> r, int b, double[] carry, double[] block)
    {
        int n = _n;
        int len = r.Length;
        int quads = _p4 / 4;
        int width = quads + 1;                                   // in vectors
        var outV = MemoryMarshal.Cast<double, Vector256<double>>(block.AsSpan());
        var carryV = MemoryMarshal.Cast<double, Vector256<double>>(carry.AsSpan());
        for (int q = 0; q < quads; q += 2)
        {
            bool two = q + 1 < quads;
            int j = 4 * q;
            var x0 = _x.AsSpan((j * n) + b, len);
            var x1 = _x.AsSpan(((j + 1) * n) + b, len);
            var x2 = _x.AsSpan(((j + 2) * n) + b, len);
            var x3 = _x.AsSpan(((j + 3) * n) + b, len);
            var y0 = two ? _x.AsSpan(((j + 4) * n) + b, len) : x0;
            var y1 = two ? _x.AsSpan(((j + 5) * n) + b, len) : x0;
            var y2 = two ? _x.AsSpan(((j + 6) * n) + b, len) : x0;
            var y3 = two ? _x.AsSpan(((j + 7) * n) + b, len) : x0;
            var acc0 = carryV[q];
            var acc1 = two ? carryV[q + 1] : Vector256<double>.Zero;
            double accR = carry[_p4];
            bool withR = q == 0;
            for (int i = len - 1; i >= 0; i--)
            {
                var ri = Vector256.Create(r[i]);
                acc0 = Vector256.FusedMultiplyAdd(ri, Vector256.Create(x0[i], x1[i], x2[i], x3[i]), acc0);
                outV[(i * width) + q] = acc0;
                if (two)
                {
                    acc1 = Vector256.FusedMultiplyAdd(ri, Vector256.Create(y0[i], y1[i], y2[i], y3[i]), acc1);
                    outV[(i * width) + q + 1] = acc1;
                }

                if (withR)
                {
                    accR += r[i];
                    block[(i * width * 4) + _p4] = accR;
                }
            }

            carryV[q] = acc0;
            if (two)
            {
                carryV[q + 1] = acc1;
            }

            if (withR)
            {
                carry[_p4] = accR;
            }
        }
    }

    /// <summary>The largest centred linear predictor Σ_j β_j (x_ij − mean_j) over the rows (scaled β).</summary>
    public double MaxLinearPredictor(ReadOnlySpan<double> beta)
    {
        double max = double.NegativeInfinity;
        var buffer = new double[RowBlock];
        for (int b = 0; b < _n; b += RowBlock)
        {
            int e = Math.Min(_n, b + RowBlock);
            var eta = buffer.AsSpan(0, e - b);
            LinearPredictor(beta, b, eta);
            foreach (var v in eta)
            {
                max = Math.Max(max, v);
            }
        }

        return max;
    }

    private void Weight(int from, int to, double hazard)
    {
        var r = _r.AsSpan(from, to - from);
        var w = _w.AsSpan(from, to - from);
        for (int i = 0; i < r.Length; i++)
        {
            w[i] = r[i] * hazard;
        }
    }

    private void LinearPredictor(ReadOnlySpan<double> beta, int start, Span<double> eta)
    {
        eta.Clear();
        int len = eta.Length;
        for (int j = 0; j < _p; j++)
        {
            double bj = beta[j];
            if (bj == 0)
            {
                continue;
            }

            var xj = _x.AsSpan((j * _n) + start, len);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var vb = Vector256.Create(bj);
                var ev = MemoryMarshal.Cast<double, Vector256<double>>(eta);
                var xv = MemoryMarshal.Cast<double, Vector256<double>>(xj);
                for (int q = 0; q < ev.Length; q++)
                {
                    ev[q] = Vector256.FusedMultiplyAdd(vb, xv[q], ev[q]);
                }

                i = ev.Length * Vector256<double>.Count;
            }

            for (; i < len; i++)
            {
                eta[i] = Math.FusedMultiplyAdd(bj, xj[i], eta[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Exp(Span<double> v)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vv = MemoryMarshal.Cast<double, Vector256<double>>(v);
            for (int q = 0; q < vv.Length; q++)
            {
                vv[q] = Vector256.Exp(vv[q]);
            }

            i = vv.Length * Vector256<double>.Count;
        }

        for (; i < v.Length; i++)
        {
            v[i] = Math.Exp(v[i]);
        }
    }

    /// <summary>Σ a in eight interleaved partial sums (a scalar chain would wait on each addition's latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum(ReadOnlySpan<double> a)
    {
        var v = MemoryMarshal.Cast<double, Vector256<double>>(a);
        Vector256<double> s0 = Vector256<double>.Zero, s1 = s0;
        int q = 0;
        for (; q + 1 < v.Length; q += 2)
        {
            s0 += v[q];
            s1 += v[q + 1];
        }

        if (q < v.Length)
        {
            s0 += v[q];
        }

        double s = Vector256.Sum(s0 + s1);
        for (int i = v.Length * 4; i < a.Length; i++)
        {
            s += a[i];
        }

        return s;
    }

    /// <summary>
    /// I₁ = Σ_i w_i x_i x_i′ and Σ_i w_i x_i over the sorted rows, and I₂ = M′M, as upper triangles (p4 × p4, row-major).
    /// Large inputs are cut into a fixed number of row ranges (so the result does not depend on the machine) that run
    /// in parallel; the partial sums are added in range order.
    /// </summary>
    private (double[] I1, double[] WeightedSum, double[] I2) CrossProducts()
    {
        int p4 = _p4;
        var tasks = new List<(bool IsX, int From, int To)>();
        int xParts = _n >= _parallelRows ? 2 : 1;
        int mParts = _mRows >= _parallelRows ? 2 : 1;
        for (int q = 0; q < xParts; q++)
        {
            tasks.Add((true, (int)((long)_n * q / xParts), (int)((long)_n * (q + 1) / xParts)));
        }

        for (int q = 0; q < mParts; q++)
        {
            tasks.Add((false, (int)((long)_mRows * q / mParts), (int)((long)_mRows * (q + 1) / mParts)));
        }

        var results = new double[tasks.Count][];
        var sums = new double[tasks.Count][];
        void Run(int t)
        {
            var (isX, from, to) = tasks[t];
            results[t] = new double[p4 * p4];
            sums[t] = new double[p4];
            if (isX)
            {
                CrossProduct(_x, _n, _w, from, to, results[t], sums[t]);
            }
            else
            {
                CrossProductRowMajor(_p4, _m, from, to, results[t]);
            }
        }

        if (tasks.Count == 2 && xParts == 1)
        {
            Run(0);
            Run(1);
        }
        else
        {
            Parallel.For(0, tasks.Count, Run);
        }

        var i1 = new double[p4 * p4];
        var i2 = new double[p4 * p4];
        var wx = new double[p4];
        for (int t = 0; t < tasks.Count; t++)
        {
            var target = tasks[t].IsX ? i1 : i2;
            for (int q = 0; q < target.Length; q++)
            {
                target[q] += results[t][q];
            }

            for (int q = 0; q < p4; q++)
            {
                wx[q] += sums[t][q];
            }
        }

        return (i1, wx, i2);
    }

    /// <summary>
    /// Adds the upper triangle of Σ_i w_i x_i x_i′ over rows [from, to) (w = 1 when null) to <paramref name="result"/>
    /// (p4 × p4 row-major) and Σ_i w_i x_i to <paramref name="weightedSum"/> when given. <paramref name="x"/> is
    /// column-major with p4 columns of <paramref name="rows"/> values.
    /// </summary>
    private void CrossProduct(double[] x, int rows, double[]? w, int from, int to, double[] result, double[]? weightedSum)
    {
        int p4 = _p4;
        var wx = w is null ? null : new double[p4 * Stride];
        for (int b = from; b < to; b += RowBlock)
        {
            int len = Math.Min(to, b + RowBlock) - b;
            if (wx is not null)
            {
                var wb = w.AsSpan(b, len);
                for (int j = 0; j < _p; j++)
                {
                    var src = x.AsSpan((j * rows) + b, len);
                    var dst = wx.AsSpan(j * Stride, len);
                    Multiply(wb, src, dst);
                    if (weightedSum is not null)
                    {
                        weightedSum[j] += Sum(dst);
                    }
                }
            }

            for (int a = 0; a < p4; a += 4)
            {
                for (int c = a; c < p4; c += 2)
                {
                    Tile(p4, x, rows, b, len, wx, a, c, result);
                }
            }
        }
    }

    /// <summary>
    /// Adds the upper triangle of Σ_rows m m′ over rows [from, to) of the row-major matrix <paramref name="m"/>
    /// (p4 values per row) to <paramref name="result"/>: each block of rows is transposed into column-major scratch and
    /// goes through the same register tiles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void CrossProductRowMajor(int p4, double[] m, int from, int to, double[] result)
    {
        var scratch = new double[p4 * Stride];
        for (int b = from; b < to; b += RowBlock)
        {
            int len = Math.Min(to, b + RowBlock) - b;
            for (int i = 0; i < len; i++)
            {
                var row = m.AsSpan((b + i) * p4, p4);
                for (int j = 0; j < p4; j++)
                {
                    scratch[(j * Stride) + i] = row[j];
                }
            }

            for (int a = 0; a < p4; a += 4)
            {
                for (int c = a; c < p4; c += 2)
                {
                    Tile(p4, scratch, Stride, 0, len, null, a, c, result);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var av = MemoryMarshal.Cast<double, Vector256<double>>(a);
            var bv = MemoryMarshal.Cast<double, Vector256<double>>(b);
            var dv = MemoryMarshal.Cast<double, Vector256<double>>(dst);
            for (int q = 0; q < av.Length; q++)
            {
                dv[q] = av[q] * bv[q];
            }

            i = av.Length * Vector256<double>.Count;
        }

        for (; i < a.Length; i++)
        {
            dst[i] = a[i] * b[i];
        }
    }

    /// <summary>
    /// Adds the 4 × 2 block (columns a..a+3 of the weighted block) × (columns c, c+1 of x) of the cross-product over rows
    /// [b, b + len) to <paramref name="result"/>. Entries below the diagonal are computed but only the upper ones are read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile(int p4, double[] x, int rows, int b, int len, double[]? wx, int a, int c, double[] result)
    {
        ReadOnlySpan<double> l0, l1, l2, l3;
        if (wx is null)
        {
            l0 = x.AsSpan((a * rows) + b, len);
            l1 = x.AsSpan(((a + 1) * rows) + b, len);
            l2 = x.AsSpan(((a + 2) * rows) + b, len);
            l3 = x.AsSpan(((a + 3) * rows) + b, len);
        }
        else
        {
            l0 = wx.AsSpan(a * Stride, len);
            l1 = wx.AsSpan((a + 1) * Stride, len);
            l2 = wx.AsSpan((a + 2) * Stride, len);
            l3 = wx.AsSpan((a + 3) * Stride, len);
        }

        var r0 = x.AsSpan((c * rows) + b, len);
        var r1 = x.AsSpan(((c + 1) * rows) + b, len);
        double s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v00 = Vector256<double>.Zero;
            var v01 = Vector256<double>.Zero;
            var v10 = Vector256<double>.Zero;
            var v11 = Vector256<double>.Zero;
            var v20 = Vector256<double>.Zero;
            var v21 = Vector256<double>.Zero;
            var v30 = Vector256<double>.Zero;
            var v31 = Vector256<double>.Zero;
            var q0 = MemoryMarshal.Cast<double, Vector256<double>>(l0);
            var q1 = MemoryMarshal.Cast<double, Vector256<double>>(l1);
            var q2 = MemoryMarshal.Cast<double, Vector256<double>>(l2);
            var q3 = MemoryMarshal.Cast<double, Vector256<double>>(l3);
            var k0 = MemoryMarshal.Cast<double, Vector256<double>>(r0);
            var k1 = MemoryMarshal.Cast<double, Vector256<double>>(r1);
            int m = q0.Length;
            q1 = q1[..m];
            q2 = q2[..m];
            q3 = q3[..m];
            k0 = k0[..m];
            k1 = k1[..m];
            for (int t = 0; t < m; t++)
            {
                var y0 = k0[t];
                var y1 = k1[t];
                var x0 = q0[t];
                v00 = Vector256.FusedMultiplyAdd(x0, y0, v00);
                v01 = Vector256.FusedMultiplyAdd(x0, y1, v01);
                var x1 = q1[t];
                v10 = Vector256.FusedMultiplyAdd(x1, y0, v10);
                v11 = Vector256.FusedMultiplyAdd(x1, y1, v11);
                var x2 = q2[t];
                v20 = Vector256.FusedMultiplyAdd(x2, y0, v20);
                v21 = Vector256.FusedMultiplyAdd(x2, y1, v21);
                var x3 = q3[t];
                v30 = Vector256.FusedMultiplyAdd(x3, y0, v30);
                v31 = Vector256.FusedMultiplyAdd(x3, y1, v31);
            }

            s00 = Vector256.Sum(v00);
            s01 = Vector256.Sum(v01);
            s10 = Vector256.Sum(v10);
            s11 = Vector256.Sum(v11);
            s20 = Vector256.Sum(v20);
            s21 = Vector256.Sum(v21);
            s30 = Vector256.Sum(v30);
            s31 = Vector256.Sum(v31);
            i = m * Vector256<double>.Count;
        }

        for (; i < len; i++)
        {
            double y0 = r0[i], y1 = r1[i];
            s00 += l0[i] * y0;
            s01 += l0[i] * y1;
            s10 += l1[i] * y0;
            s11 += l1[i] * y1;
            s20 += l2[i] * y0;
            s21 += l2[i] * y1;
            s30 += l3[i] * y0;
            s31 += l3[i] * y1;
        }

        result[(a * p4) + c] += s00;
        result[(a * p4) + c + 1] += s01;
        result[((a + 1) * p4) + c] += s10;
        result[((a + 1) * p4) + c + 1] += s11;
        result[((a + 2) * p4) + c] += s20;
        result[((a + 2) * p4) + c + 1] += s21;
        result[((a + 3) * p4) + c] += s30;
        result[((a + 3) * p4) + c + 1] += s31;
    }

    /// <summary>
    /// coxfit6's centring of one column: (mean, n / Σ|x − mean|), or (0, 1) when every value is −1, 0 or 1 (R leaves
    /// such columns alone). Sums in eight interleaved partial sums (vectorised; a fixed order, so the same on every
    /// machine with AVX2... and without: Vector256 is emulated then).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double Mean, double Scale) CentreAndScale(ReadOnlySpan<double> col)
    {
        int n = col.Length;
        var v = MemoryMarshal.Cast<double, Vector256<double>>(col);
        var one = Vector256.Create(1.0);
        var outside = Vector256<double>.Zero;                // lanes that saw a value other than −1, 0, 1
        Vector256<double> s0 = Vector256<double>.Zero, s1 = s0;
        int q = 0;
        for (; q + 1 < v.Length; q += 2)
        {
            var a = v[q];
            var b = v[q + 1];
            s0 += a;
            s1 += b;
            outside |= ~Vector256.Equals(Vector256.Abs(a), one) & ~Vector256.Equals(a, Vector256<double>.Zero);
            outside |= ~Vector256.Equals(Vector256.Abs(b), one) & ~Vector256.Equals(b, Vector256<double>.Zero);
        }

        for (; q < v.Length; q++)
        {
            s0 += v[q];
            outside |= ~Vector256.Equals(Vector256.Abs(v[q]), one) & ~Vector256.Equals(v[q], Vector256<double>.Zero);
        }

        double sum = Vector256.Sum(s0 + s1);
        bool zeroOne = outside == Vector256<double>.Zero;
        for (int i = v.Length * 4; i < n; i++)
        {
            double x = col[i];
            zeroOne &= x == 0 || x == 1 || x == -1;
            sum += x;
        }

        if (zeroOne)
        {
            return (0, 1);
        }

        double mean = sum / n;
        var meanV = Vector256.Create(mean);
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0;
        q = 0;
        for (; q + 1 < v.Length; q += 2)
        {
            a0 += Vector256.Abs(v[q] - meanV);
            a1 += Vector256.Abs(v[q + 1] - meanV);
        }

        for (; q < v.Length; q++)
        {
            a0 += Vector256.Abs(v[q] - meanV);
        }

        double abs = Vector256.Sum(a0 + a1);
        for (int i = v.Length * 4; i < n; i++)
        {
            abs += Math.Abs(col[i] - mean);
        }

        return (mean, abs > 0 ? n / abs : 1.0);
    }

    /// <summary>
    /// Writes the sorted, centred and scaled design into <paramref name="dest"/> (p4 columns of n rows; padding columns
    /// zero) and Σ over the deaths of each scaled column into <paramref name="deathSum"/>. Columns in parallel when
    /// large (each column's sums in row order whatever the thread).
    /// </summary>
    /// <remarks>Tried: interleaving four columns first so that each sorted row is one 32-byte read instead of four
    /// scattered ones; no faster on this machine (the extra copy and its fresh pages cost what the misses saved).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(
        double[] x, int n, int p, int[] order, bool[] sortedStatus, double[] dest, double[] deathSum, double[] means, double[] scale)
    {
        int p4 = (p + 3) & ~3;
        dest.AsSpan(p * n, (p4 - p) * n).Clear();
        void Column(int j)
        {
            var col = x.AsSpan(j * n, n);
            var d = dest.AsSpan(j * n, n);
            double m = means[j], s = scale[j], deaths = 0;
            for (int k = 0; k < n; k++)
            {
                double v = (col[order[k]] - m) * s;              // (v − 0)·1 = v: columns R leaves alone pass unchanged
                d[k] = v;
                deaths += sortedStatus[k] ? v : 0;
            }

            deathSum[j] = deaths;
        }

        if ((long)n * p >= ParallelRows)
        {
            Parallel.For(0, p, Column);
        }
        else
        {
            for (int j = 0; j < p; j++)
            {
                Column(j);
            }
        }
    }

    /// <summary>
    /// Row order by (stratum, time, status) — censored rows before deaths at a tied time — with the sorted, time-fixed
    /// times, statuses and stratum codes.
    /// </summary>
    /// <remarks>
    /// Whole-number times (days) in a narrow range, when R's near-tie merge changes nothing: one stable counting sort on
    /// the key (stratum, time, status), the sorted values read off the key. Otherwise one stable time sort
    /// (<see cref="TimeOrder.Ascending"/>); R's near-tie merge applied to the distinct times (a non-decreasing map, so the
    /// order stands); a stable partition of each tied run by status; a stable counting sort by stratum.
    /// </remarks>
    private static (int[] Order, double[] SortedTime, bool[] SortedStatus, int[] SortedStratum) SortOrder(
        double[] time, bool[] status, int[]? stratum, int strata, TimeFix timeFix)
    {
        int n = time.Length;
        if (strata < 1 || stratum is null)
        {
            strata = 1;
        }

        var counted = CountingSortOrder(time, status, stratum, strata, timeFix);
        if (counted is not null)
        {
            return counted.Value;
        }

        var order = TimeOrder.Ascending(time);
        var sorted = new double[n];
        for (int i = 0; i < n; i++)
        {
            sorted[i] = time[order[i]];
        }

        if (timeFix == TimeFix.R)
        {
            TimeFixer.ApplySortedInPlace(sorted);
        }

        // Censored before deaths within each run of equal (fixed) times.
        var buffer = new List<int>();
        for (int i = 0; i < n;)
        {
            int j = i + 1;
            while (j < n && sorted[j] == sorted[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                buffer.Clear();
                int at = i;
                for (int q = i; q < j; q++)
                {
                    if (status[order[q]])
                    {
                        buffer.Add(order[q]);
                    }
                    else
                    {
                        order[at++] = order[q];
                    }
                }

                foreach (var o in buffer)
                {
                    order[at++] = o;
                }
            }

            i = j;
        }

        var resultTime = sorted;
        if (stratum is not null && strata > 1)
        {
            var start = new int[strata + 1];
            foreach (var s in stratum)
            {
                start[s + 1]++;
            }

            for (int s = 1; s <= strata; s++)
            {
                start[s] += start[s - 1];
            }

            var result = new int[n];
            resultTime = new double[n];
            for (int i = 0; i < n; i++)
            {
                int at = start[stratum[order[i]]]++;
                result[at] = order[i];
                resultTime[at] = sorted[i];
            }

            order = result;
        }

        var sortedStatus = new bool[n];
        var sortedStratum = new int[n];
        for (int i = 0; i < n; i++)
        {
            int o = order[i];
            sortedStatus[i] = status[o];
            sortedStratum[i] = stratum is null ? 0 : stratum[o];
        }

        return (order, resultTime, sortedStatus, sortedStratum);
    }

    /// <summary>
    /// Whether R's near-tie merge (<c>aeqSurv</c>, <see cref="TimeFixer.MergeSorted"/>) leaves the whole-day times
    /// <c>min + b</c> (for each <paramref name="present"/>[b], b &lt; <paramref name="range"/>) as they are: the
    /// precondition of both counting routes under <see cref="TimeFix.R"/>, checked on the distinct times of all strata.
    /// </summary>
    internal static bool NearTieMergeKeeps(bool[] present, int range, double min)
    {
        var distinct = new List<double>();
        for (int b = 0; b < range; b++)
        {
            if (present[b])
            {
                distinct.Add(min + b);
            }
        }

        var values = distinct.ToArray();
        return ReferenceEquals(TimeFixer.MergeSorted(values, out _), values);
    }

    /// <summary>
    /// The smallest and largest time when every time is a whole number (the precondition of both counting routes:
    /// the binned kernel and the counting sort); false at the first time that is not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool WholeTimeRange(double[] time, out double min, out double max)
    {
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        for (int i = 0; i < time.Length; i++)
        {
            double t = time[i];
            if (t != Math.Floor(t))
            {
                return false;
            }

            min = Math.Min(min, t);
            max = Math.Max(max, t);
        }

        return true;
    }

    /// <summary>
    /// The counting-sort route of <see cref="SortOrder"/>, or null when it does not apply: times not all whole numbers,
    /// key range (strata × time range × 2) wider than 8n + 4096, or R's near-tie merge would change a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Order, double[] SortedTime, bool[] SortedStatus, int[] SortedStratum)? CountingSortOrder(
        double[] time, bool[] status, int[]? stratum, int strata, TimeFix timeFix)
    {
        int n = time.Length;
        if (n == 0)
        {
            return null;
        }

        if (!WholeTimeRange(time, out double min, out double max))
        {
            return null;
        }

        double range = max - min + 1;
        if (range * strata * 2 > (8.0 * n) + 4096)
        {
            return null;
        }

        int r = (int)range;
        int keys = r * strata * 2;
        var start = new int[keys + 1];
        for (int i = 0; i < n; i++)
        {
            int s = stratum is null ? 0 : stratum[i];
            start[(((s * r) + (int)(time[i] - min)) * 2) + (status[i] ? 1 : 0) + 1]++;
        }

        if (timeFix == TimeFix.R)
        {
            // The merge looks at the distinct times of all strata together: unchanged, or this route does not apply.
            var present = new bool[r];
            for (int k = 0; k < keys; k++)
            {
                if (start[k + 1] > 0)
                {
                    present[(k >> 1) % r] = true;
                }
            }

            if (!NearTieMergeKeeps(present, r, min))
            {
                return null;
            }
        }

        for (int k = 1; k <= keys; k++)
        {
            start[k] += start[k - 1];
        }

        var sortedTime = GC.AllocateUninitializedArray<double>(n);
        var sortedStatus = GC.AllocateUninitializedArray<bool>(n);
        var sortedStratum = GC.AllocateUninitializedArray<int>(n);
        for (int k = 0; k < keys; k++)
        {
            int from = start[k], to = start[k + 1];
            if (to > from)
            {
                int bucket = k >> 1;
                sortedTime.AsSpan(from, to - from).Fill(min + (bucket % r));
                sortedStatus.AsSpan(from, to - from).Fill((k & 1) == 1);
                sortedStratum.AsSpan(from, to - from).Fill(bucket / r);
            }
        }

        var order = GC.AllocateUninitializedArray<int>(n);
        for (int i = 0; i < n; i++)
        {
            int s = stratum is null ? 0 : stratum[i];
            order[start[(((s * r) + (int)(time[i] - min)) * 2) + (status[i] ? 1 : 0)]++] = i;
        }

        return (order, sortedTime, sortedStatus, sortedStratum);
    }
}
