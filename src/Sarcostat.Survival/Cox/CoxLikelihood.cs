using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sarcostat.Survival;

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
/// or two rows of a matrix M so that it is the cross-product M′M. A₀, a₂, D₀ and d₂ come from segment sums of r and
/// r·x between the cut points (first row, first death, end) of the death-time groups.</para>
/// <para>R: the likelihood of <c>survival:::coxph.fit</c> / C routine coxfit6 (same formulas, different summation
/// order; results agree to rounding).</para>
/// </remarks>
internal sealed class CoxLikelihood
{
    private const int RowBlock = 1024;

    private readonly int _n;
    private readonly int _p;
    private readonly int _p4;
    private readonly double[] _x;          // column-major, _p4 columns of _n sorted rows, centred and scaled
    private readonly double[] _deathSum;   // Σ over deaths of x (scaled), length _p4
    private readonly int[] _cut;           // segment k = rows [_cut[k], _cut[k+1]); _cut[K] = _n
    private readonly int _segments;        // K
    private readonly int[] _stratumFirstGroup; // groups of stratum s: [_stratumFirstGroup[s], _stratumFirstGroup[s+1])
    private readonly int[] _stratumEndSegment; // segment index at which stratum s ends (its last segment + 1)
    private readonly int[] _stratumRowStart;   // rows of stratum s: [_stratumRowStart[s], _stratumRowStart[s+1])
    private readonly int[] _gStart;        // segment index of the group's first row
    private readonly int[] _gDeath;        // segment index of the group's first death (== segment of its deaths)
    private readonly int[] _gEnd;          // segment index just after the group
    private readonly int[] _gDeaths;       // number of deaths
    private readonly int[] _gRow;          // first row of M
    private readonly bool _efron;
    private readonly int _mRows;

    // Work buffers, reused by every evaluation.
    private readonly double[] _r;
    private readonly double[] _w;
    private readonly double[] _segR;
    private readonly double[] _segX;       // column-major: _segX[j * K + k]
    private readonly double[] _m;          // column-major: _m[j * _mRows + row]
    private readonly double[] _h;
    private readonly double[] _h2;
    private readonly double[] _c1;
    private readonly double[] _c2;
    private readonly double[] _c3;

    /// <summary>
    /// Prepares the likelihood. <paramref name="x"/> is n × p column-major in the caller's row order; rows are sorted
    /// here. <paramref name="stratum"/> holds dense codes 0..strata−1 or is null.
    /// </summary>
    public CoxLikelihood(double[] time, bool[] status, double[] x, int p, int[]? stratum, int strata, TieMethod ties)
    {
        _n = time.Length;
        _p = p;
        _p4 = (p + 3) & ~3;
        _efron = ties == TieMethod.Efron;
        int n = _n;

        var order = SortOrder(time, status, stratum, strata);
        var sortedTime = new double[n];
        var sortedStatus = new bool[n];
        var sortedStratum = new int[n];
        for (int i = 0; i < n; i++)
        {
            int o = order[i];
            sortedTime[i] = time[o];
            sortedStatus[i] = status[o];
            sortedStratum[i] = stratum is null ? 0 : stratum[o];
        }

        // Centre and scale as coxfit6: mean, then n / Σ|x − mean|; columns within {−1, 0, 1} are left alone.
        Means = new double[p];
        Scale = new double[p];
        _x = new double[_p4 * n];
        for (int j = 0; j < p; j++)
        {
            var col = x.AsSpan(j * n, n);
            bool zeroOne = true;
            for (int i = 0; i < n; i++)
            {
                double v = col[i];
                if (v != 0 && v != 1 && v != -1)
                {
                    zeroOne = false;
                    break;
                }
            }

            var dest = _x.AsSpan(j * n, n);
            if (zeroOne)
            {
                Means[j] = 0;
                Scale[j] = 1;
                for (int i = 0; i < n; i++)
                {
                    dest[i] = col[order[i]];
                }

                continue;
            }

            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += col[i];
            }

            double mean = sum / n;
            double abs = 0;
            for (int i = 0; i < n; i++)
            {
                abs += Math.Abs(col[i] - mean);
            }

            double scale = abs > 0 ? n / abs : 1.0;
            Means[j] = mean;
            Scale[j] = scale;
            for (int i = 0; i < n; i++)
            {
                dest[i] = (col[order[i]] - mean) * scale;
            }
        }

        // Death-time groups and the cut points of the segments.
        var cuts = new List<int>();
        var gStartRow = new List<int>();
        var gDeathRow = new List<int>();
        var gEndRow = new List<int>();
        _stratumRowStart = new int[strata + 1];
        _stratumFirstGroup = new int[strata + 1];
        int row = 0;
        for (int s = 0; s < strata; s++)
        {
            _stratumRowStart[s] = row;
            _stratumFirstGroup[s] = gStartRow.Count;
            int end = row;
            while (end < n && sortedStratum[end] == s)
            {
                end++;
            }

            AddCut(cuts, row);
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
                    AddCut(cuts, i);
                    AddCut(cuts, firstDeath);
                    AddCut(cuts, j);
                    gStartRow.Add(i);
                    gDeathRow.Add(firstDeath);
                    gEndRow.Add(j);
                }

                i = j;
            }

            row = end;
        }

        _stratumRowStart[strata] = n;
        _stratumFirstGroup[strata] = gStartRow.Count;
        if (cuts.Count > 0 && cuts[^1] == n)
        {
            cuts.RemoveAt(cuts.Count - 1);
        }

        _segments = cuts.Count;
        cuts.Add(n);
        _cut = cuts.ToArray();

        int groups = gStartRow.Count;
        _gStart = new int[groups];
        _gDeath = new int[groups];
        _gEnd = new int[groups];
        _gDeaths = new int[groups];
        _gRow = new int[groups];
        int mRows = 0;
        for (int g = 0; g < groups; g++)
        {
            _gStart[g] = Array.BinarySearch(_cut, gStartRow[g]);
            _gDeath[g] = Array.BinarySearch(_cut, gDeathRow[g]);
            _gEnd[g] = Array.BinarySearch(_cut, gEndRow[g]);
            _gDeaths[g] = gEndRow[g] - gDeathRow[g];
            _gRow[g] = mRows;
            mRows += _efron && _gDeaths[g] > 1 ? 2 : 1;
        }

        _stratumEndSegment = new int[strata];
        for (int s = 0; s < strata; s++)
        {
            _stratumEndSegment[s] = Array.BinarySearch(_cut, _stratumRowStart[s + 1]);
        }

        _mRows = mRows;
        Groups = groups;

        // Deaths are the rows [deathRow, endRow) of each group: sum their covariates once.
        _deathSum = new double[_p4];
        for (int j = 0; j < p; j++)
        {
            var col = _x.AsSpan(j * n, n);
            double sum = 0;
            for (int g = 0; g < groups; g++)
            {
                for (int i = gDeathRow[g]; i < gEndRow[g]; i++)
                {
                    sum += col[i];
                }
            }

            _deathSum[j] = sum;
        }

        _r = new double[n];
        _w = new double[n];
        _segR = new double[_segments];
        _segX = new double[p * _segments];
        _m = new double[_p4 * Math.Max(mRows, 1)];
        _h = new double[groups];
        _h2 = new double[groups];
        _c1 = new double[groups];
        _c2 = new double[groups];
        _c3 = new double[groups];
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
        int n = _n;
        int p = _p;
        int k = _segments;

        // 1. Risk scores and segment sums of r and r·x (one pass over the rows, in blocks).
        Array.Clear(_segR);
        Array.Clear(_segX);
        int seg = 0;
        for (int b = 0; b < n; b += RowBlock)
        {
            int e = Math.Min(n, b + RowBlock);
            var r = _r.AsSpan(b, e - b);
            LinearPredictor(beta, b, r);
            Exp(r);
            while (_cut[seg + 1] <= b)
            {
                seg++;
            }

            for (int j = -1; j < p; j++)
            {
                var xj = j < 0 ? default : _x.AsSpan((j * n) + b, e - b);
                int kk = seg;
                while (kk < k && _cut[kk] < e)
                {
                    int lo = Math.Max(_cut[kk], b) - b;
                    int hi = Math.Min(_cut[kk + 1], e) - b;
                    if (j < 0)
                    {
                        _segR[kk] += Sum(r[lo..hi]);
                    }
                    else
                    {
                        _segX[(j * k) + kk] += Dot(r[lo..hi], xj[lo..hi]);
                    }

                    kk++;
                }
            }
        }

        // 2. Per death time: denominators, log likelihood, hazard increments and the coefficients of M's rows.
        double loglik = 0;
        for (int j = 0; j < p; j++)
        {
            loglik += beta[j] * _deathSum[j];
        }

        int strata = _stratumEndSegment.Length;
        for (int s = 0; s < strata; s++)
        {
            double acc = 0;
            int ptr = _stratumEndSegment[s];
            for (int g = _stratumFirstGroup[s + 1] - 1; g >= _stratumFirstGroup[s]; g--)
            {
                while (ptr > _gEnd[g])
                {
                    acc += _segR[--ptr];
                }

                double censored = _gStart[g] < _gDeath[g] ? _segR[_gStart[g]] : 0;
                double d2 = _segR[_gDeath[g]];
                double d0 = acc + censored;
                int d = _gDeaths[g];
                if (!_efron || d == 1)
                {
                    double den = d0 + d2;
                    loglik -= d * Math.Log(den);
                    _h[g] = d / den;
                    _h2[g] = _h[g];
                    _c1[g] = Math.Sqrt(d) / den;
                    _c2[g] = _c1[g];
                    _c3[g] = 0;
                }
                else
                {
                    double h = 0, h2 = 0, s0 = 0, s1 = 0, s2 = 0;
                    for (int q = 0; q < d; q++)
                    {
                        double f = (q + 1.0) / d;
                        double den = d0 + (f * d2);
                        loglik -= Math.Log(den);
                        double inv = 1 / den;
                        h += inv;
                        h2 += f * inv;
                        double inv2 = inv * inv;
                        s0 += inv2;
                        s1 += f * inv2;
                        s2 += f * f * inv2;
                    }

                    _h[g] = h;
                    _h2[g] = h2;
                    double c1 = Math.Sqrt(s0);
                    double c2 = s1 / c1;
                    _c1[g] = c1;
                    _c2[g] = c2;
                    _c3[g] = Math.Sqrt(Math.Max(0, s2 - (c2 * c2)));
                }

                acc = d0 + d2;
                ptr = _gStart[g];
            }
        }

        // 3. The rows of M, column by column: c1·A₀ + c2·a₂ (and c3·a₂ for Efron groups with several deaths).
        for (int j = 0; j < p; j++)
        {
            var segX = _segX.AsSpan(j * k, k);
            var mj = _m.AsSpan(j * _mRows, _mRows);
            for (int s = 0; s < strata; s++)
            {
                double acc = 0;
                int ptr = _stratumEndSegment[s];
                for (int g = _stratumFirstGroup[s + 1] - 1; g >= _stratumFirstGroup[s]; g--)
                {
                    while (ptr > _gEnd[g])
                    {
                        acc += segX[--ptr];
                    }

                    double censored = _gStart[g] < _gDeath[g] ? segX[_gStart[g]] : 0;
                    double a2 = segX[_gDeath[g]];
                    double a0 = acc + censored;
                    int rowM = _gRow[g];
                    mj[rowM] = (_c1[g] * a0) + (_c2[g] * a2);
                    if (_efron && _gDeaths[g] > 1)
                    {
                        mj[rowM + 1] = _c3[g] * a2;
                    }

                    acc = a0 + a2;
                    ptr = _gStart[g];
                }
            }
        }

        // 4. Row weights r_i·H_i, H the cumulative hazard-like sum of the increments before (and at) the row's time.
        for (int s = 0; s < strata; s++)
        {
            double cum = 0;
            int rowAt = _stratumRowStart[s];
            for (int g = _stratumFirstGroup[s]; g < _stratumFirstGroup[s + 1]; g++)
            {
                int start = _cut[_gStart[g]], death = _cut[_gDeath[g]], end = _cut[_gEnd[g]];
                Weight(rowAt, start, cum);
                Weight(start, death, cum + _h[g]);
                Weight(death, end, cum + _h2[g]);
                cum += _h[g];
                rowAt = end;
            }

            Weight(rowAt, _stratumRowStart[s + 1], cum);
        }

        // 5. I = Σ w x x′ − M′M,  U = Σ_deaths x − Σ w x.
        var i1 = new double[_p4 * _p4];
        var wx = new double[_p4];
        CrossProduct(_x, n, _w, i1, wx);
        var i2 = new double[_p4 * _p4];
        if (_mRows > 0)
        {
            CrossProduct(_m, _mRows, null, i2, null);
        }

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

    private static void Exp(Span<double> v)
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

    private static double Sum(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (var v in a)
        {
            s += v;
        }

        return s;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double s = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= 8)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            var av = MemoryMarshal.Cast<double, Vector256<double>>(a);
            var bv = MemoryMarshal.Cast<double, Vector256<double>>(b[..a.Length]);
            int q = 0;
            for (; q + 1 < av.Length; q += 2)
            {
                acc0 = Vector256.FusedMultiplyAdd(av[q], bv[q], acc0);
                acc1 = Vector256.FusedMultiplyAdd(av[q + 1], bv[q + 1], acc1);
            }

            if (q < av.Length)
            {
                acc0 = Vector256.FusedMultiplyAdd(av[q], bv[q], acc0);
            }

            s = Vector256.Sum(acc0 + acc1);
            i = av.Length * Vector256<double>.Count;
        }

        for (; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    /// <summary>
    /// Upper triangle of Σ_i w_i x_i x_i′ (w = 1 when null) into <paramref name="result"/> (p4 × p4 row-major) and
    /// Σ_i w_i x_i into <paramref name="weightedSum"/> when given. <paramref name="x"/> is column-major with p4 columns of
    /// <paramref name="rows"/> values.
    /// </summary>
    private void CrossProduct(double[] x, int rows, double[]? w, double[] result, double[]? weightedSum)
    {
        int p4 = _p4;
        var wx = w is null ? null : new double[p4 * RowBlock];
        for (int b = 0; b < rows; b += RowBlock)
        {
            int len = Math.Min(rows, b + RowBlock) - b;
            if (wx is not null)
            {
                var wb = w.AsSpan(b, len);
                for (int j = 0; j < _p; j++)
                {
                    var src = x.AsSpan((j * rows) + b, len);
                    var dst = wx.AsSpan(j * RowBlock, len);
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
                    Tile(x, rows, b, len, wx, a, c, result);
                }
            }
        }
    }

    private static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> dst)
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
    private void Tile(double[] x, int rows, int b, int len, double[]? wx, int a, int c, double[] result)
    {
        int p4 = _p4;
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
            l0 = wx.AsSpan(a * RowBlock, len);
            l1 = wx.AsSpan((a + 1) * RowBlock, len);
            l2 = wx.AsSpan((a + 2) * RowBlock, len);
            l3 = wx.AsSpan((a + 3) * RowBlock, len);
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

    private static void AddCut(List<int> cuts, int at)
    {
        if (cuts.Count == 0 || cuts[^1] != at)
        {
            cuts.Add(at);
        }
    }

    /// <summary>
    /// Row order by (stratum, time, status): censored rows before deaths at a tied time. Built from one stable time sort
    /// (<see cref="TimeOrder.Ascending"/>) of the rows laid out censored-first, then a stable counting sort by stratum.
    /// </summary>
    private static int[] SortOrder(double[] time, bool[] status, int[]? stratum, int strata)
    {
        int n = time.Length;
        var byStatus = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++)
        {
            if (!status[i])
            {
                byStatus[at++] = i;
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (status[i])
            {
                byStatus[at++] = i;
            }
        }

        var t = new double[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = time[byStatus[i]];
        }

        var byTime = TimeOrder.Ascending(t);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = byStatus[byTime[i]];
        }

        if (stratum is null || strata <= 1)
        {
            return order;
        }

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
        foreach (var o in order)
        {
            result[start[stratum[o]]++] = o;
        }

        return result;
    }
}
