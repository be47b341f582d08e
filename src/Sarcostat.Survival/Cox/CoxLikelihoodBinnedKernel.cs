using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The Cox likelihood kernel for times that are whole numbers in a narrow range (days): the risk-set sums come from a
/// histogram over (stratum, time, status) instead of a sorted copy of the design. Same formulas and results as
/// <see cref="CoxLikelihoodKernel"/> (read <see cref="CoxLikelihood"/> for the maths); tests compare all three.
/// </summary>
/// <remarks>
/// <para>Why: at registry scale the sorted kernel spends more time building its sorted, centred copy of the design (a
/// gather through a near-random permutation, and n·p fresh doubles whose pages the system must map) than in an
/// evaluation. With whole-day times the risk set of a time t is a union of bins, so no row order is needed at all:
/// each row carries a code 2·bin + status, bin = (stratum, time − min time).</para>
/// <para>One evaluation, two sequential passes over the caller's design in its own row order, in blocks of rows
/// centred and scaled on the fly (as coxfit6: (x − mean)·scale):
/// (1) r = exp(x′β) and the bin sums Σ r and Σ r·x per code; then, per stratum, one backward walk over the bins gives
/// the cumulative risk-set sums, Efron's (or Breslow's) terms of each death time — D₀, d₂, A₀, a₂ as
/// <see cref="CoxLikelihoodKernel.GroupTerms"/> — and the rows of M; a forward walk gives each code's weight
/// H = Σ_{earlier death times} h + (h or h2 of its own time);
/// (2) I₁ = Σ_i r_i H_i x_i x_i′ and Σ_i r_i H_i x_i by register tiles over each block.
/// U = Σ_deaths x − Σ w x, I = I₁ − M′M, loglik = β′Σ_deaths x − Σ log den.</para>
/// <para>Two cores: large inputs run both passes as two halves of the rows, each with its own bin sums and partial
/// cross-products, added in the same order every time (results do not depend on the machine).</para>
/// </remarks>
internal sealed class CoxLikelihoodBinnedKernel : ICoxLikelihoodKernel
{
    private const int Block = 512;
    private const int Stride = CoxLikelihoodKernel.Stride;

    private readonly int _n;
    private readonly int _p;
    private readonly int _p4;
    private readonly int _codes;          // 2·bins
    private readonly double[] _x;         // the caller's design, n × p column-major, not copied
    private readonly int[] _code;         // per row: 2·bin + status
    private readonly int _bins;
    private readonly int _binsPerStratum;
    private readonly int[] _deaths;       // per bin
    private readonly int[] _group;        // per bin: its death-time group (rows of M), or −1
    private readonly int[] _extraRow;     // per group: the second row of M (Efron, several deaths) or −1
    private readonly int _mRows;
    private readonly bool _efron;
    private readonly double[] _deathSum;  // Σ over deaths of the scaled x, p4
    private readonly int _parts;

    // Work buffers, reused by every evaluation.
    private readonly double[] _r;         // risk scores in the caller's row order
    private readonly double[][] _sums;    // per part: Σ r·x as vectors [quad q][code] (q·codes + code), then Σ r per code
    private readonly double[] _weight;    // per code: H
    private readonly double[] _m;         // rows of M, p4 each
    private readonly double[] _lastBeta;  // β of the last evaluation and the largest η seen then (saves a pass)
    private double _lastMaxEta = double.NaN;

    private CoxLikelihoodBinnedKernel(
        double[] x, int p, int[] code, int bins, int binsPerStratum, int[] deaths, bool efron, double[] means, double[] scale, bool[] status, int parts)
    {
        _n = code.Length;
        _p = p;
        _p4 = (p + 3) & ~3;
        _codes = 2 * bins;
        _x = x;
        _code = code;
        _bins = bins;
        _binsPerStratum = binsPerStratum;
        _deaths = deaths;
        _efron = efron;
        Means = means;
        Scale = scale;
        _parts = parts;

        _group = new int[bins];
        int groups = 0;
        for (int k = 0; k < bins; k++)
        {
            _group[k] = deaths[k] > 0 ? groups++ : -1;
        }

        _extraRow = new int[groups];
        int extra = groups;
        for (int k = 0; k < bins; k++)
        {
            if (_group[k] >= 0)
            {
                _extraRow[_group[k]] = efron && deaths[k] > 1 ? extra++ : -1;
            }
        }

        _mRows = extra;
        _m = new double[_mRows * _p4];
        _r = new double[_n];
        _sums = new double[parts][];
        for (int q = 0; q < parts; q++)
        {
            _sums[q] = new double[(_p4 + 1) * _codes];
        }

        _weight = new double[2 * bins];
        _lastBeta = new double[_p4];

        // Σ over the deaths of the scaled design (constant across evaluations).
        _deathSum = new double[_p4];
        var scratch = new double[_p4 * Stride];
        var dead = new double[Block];
        for (int b = 0; b < _n; b += Block)
        {
            int len = Math.Min(Block, _n - b);
            CentreBlock(b, len, scratch);
            for (int i = 0; i < len; i++)
            {
                dead[i] = status[b + i] ? 1 : 0;
            }

            for (int j = 0; j < p; j++)
            {
                _deathSum[j] += Dot(dead.AsSpan(0, len), scratch.AsSpan(j * Stride, len));
            }
        }
    }

    /// <inheritdoc/>
    public double[] Means { get; }

    /// <inheritdoc/>
    public double[] Scale { get; }

    /// <summary>
    /// The binned kernel, or null when it does not apply: a time that is not a whole number, more bins
    /// (strata × time range) than n/4 (unless <paramref name="force"/>, for tests: then up to 4n), or times that
    /// R's near-tie merge would change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CoxLikelihoodBinnedKernel? TryCreate(
        double[] time, bool[] status, double[] x, int p, int[]? stratum, int strata, TieMethod ties, TimeFix timeFix, bool force, int parallelRows)
    {
        int n = time.Length;
        if (n == 0)
        {
            return null;
        }

        if (stratum is null || strata < 1)
        {
            strata = 1;
        }

        if (!CoxLikelihoodKernel.WholeTimeRange(time, out double min, out double max))
        {
            return null;
        }

        double range = max - min + 1;
        if (range * strata > (force ? 4.0 * n : n / 4.0))
        {
            return null;
        }

        int r = (int)range;
        int bins = r * strata;
        var code = new int[n];
        var deaths = new int[bins];
        var present = new bool[r];
        for (int i = 0; i < n; i++)
        {
            int t = (int)(time[i] - min);
            int bin = ((stratum is null ? 0 : stratum[i]) * r) + t;
            present[t] = true;
            code[i] = (2 * bin) + (status[i] ? 1 : 0);
            if (status[i])
            {
                deaths[bin]++;
            }
        }

        if (timeFix == TimeFix.R)
        {
            // R's aeqSurv looks at the distinct times of all strata together: they must stay as they are.
            if (!CoxLikelihoodKernel.NearTieMergeKeeps(present, r, min))
            {
                return null;
            }
        }

        var means = new double[p];
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            (means[j], scale[j]) = CoxLikelihoodKernel.CentreAndScale(x.AsSpan(j * n, n));
        }

        int parts = n >= Math.Max(2, parallelRows) ? 2 : 1;
        return new CoxLikelihoodBinnedKernel(x, p, code, bins, r, deaths, ties == TieMethod.Efron, means, scale, status, parts);
    }

    /// <inheritdoc/>
    public double Evaluate(ReadOnlySpan<double> beta, Span<double> score, Span<double> information)
    {
        int p = _p, p4 = _p4;
        var b4 = new double[p4];
        beta.CopyTo(b4);

        // (1) Risk scores and bin sums, in two halves of the rows when large.
        double maxEta0 = double.NegativeInfinity, maxEta1 = double.NegativeInfinity;
        if (_parts == 2)
        {
            int half = _n / 2;
            Parallel.Invoke(() => maxEta0 = BinSums(b4, 0, half, _sums[0]), () => maxEta1 = BinSums(b4, half, _n, _sums[1]));
            var s0 = MemoryMarshal.Cast<double, Vector256<double>>(_sums[0].AsSpan());
            var s1 = MemoryMarshal.Cast<double, Vector256<double>>(_sums[1].AsSpan());
            for (int q = 0; q < s0.Length; q++)
            {
                s0[q] += s1[q];
            }

            for (int k = s0.Length * 4; k < _sums[0].Length; k++)
            {
                _sums[0][k] += _sums[1][k];
            }
        }
        else
        {
            maxEta0 = BinSums(b4, 0, _n, _sums[0]);
        }

        b4.CopyTo(_lastBeta, 0);
        _lastMaxEta = Math.Max(maxEta0, maxEta1);

        // Walks over the bins: death-time terms, rows of M, weights per code.
        double loglik = 0;
        for (int j = 0; j < p; j++)
        {
            loglik += beta[j] * _deathSum[j];
        }

        loglik -= Walk(_sums[0]);

        // (2) I₁ and Σ w x over the rows; M′M beside them.
        var i1 = new double[_parts][];
        var wx = new double[_parts][];
        var i2 = new double[p4 * p4];
        for (int q = 0; q < _parts; q++)
        {
            i1[q] = new double[p4 * p4];
            wx[q] = new double[p4];
        }

        if (_parts == 2)
        {
            int half = _n / 2;
            Parallel.Invoke(
                () => CrossProduct(0, half, i1[0], wx[0]),
                () =>
                {
                    CrossProduct(half, _n, i1[1], wx[1]);
                    CoxLikelihoodKernel.CrossProductRowMajor(p4, _m, 0, _mRows, i2);
                });
        }
        else
        {
            CrossProduct(0, _n, i1[0], wx[0]);
            CoxLikelihoodKernel.CrossProductRowMajor(p4, _m, 0, _mRows, i2);
        }

        for (int a = 0; a < p; a++)
        {
            double sumWx = 0;
            for (int q = 0; q < _parts; q++)
            {
                sumWx += wx[q][a];
            }

            score[a] = _deathSum[a] - sumWx;
            for (int c = a; c < p; c++)
            {
                double v = -i2[(a * p4) + c];
                for (int q = 0; q < _parts; q++)
                {
                    v += i1[q][(a * p4) + c];
                }

                information[(a * p) + c] = v;
                information[(c * p) + a] = v;
            }
        }

        return loglik;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double MaxLinearPredictor(ReadOnlySpan<double> beta)
    {
        var b4 = new double[_p4];
        beta.CopyTo(b4);
        if (!double.IsNaN(_lastMaxEta) && b4.AsSpan().SequenceEqual(_lastBeta))
        {
            return _lastMaxEta;                  // the fit asks at the β it evaluated last
        }

        var scratch = new double[_p4 * Stride];
        var eta = new double[Block];
        double max = double.NegativeInfinity;
        for (int b = 0; b < _n; b += Block)
        {
            int len = Math.Min(Block, _n - b);
            CentreBlock(b, len, scratch);
            LinearPredictor(b4, scratch, eta.AsSpan(0, len));
            for (int i = 0; i < len; i++)
            {
                max = Math.Max(max, eta[i]);
            }
        }

        return max;
    }

    /// <summary>
    /// Pass (1) over rows [from, to): r = exp(x′β) into <see cref="_r"/>, and into <paramref name="sums"/> (cleared
    /// first) Σ r·x and Σ r per code. Returns the largest η of the rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double BinSums(double[] beta, int from, int to, double[] sums)
    {
        double maxEta = double.NegativeInfinity;
        Array.Clear(sums);
        int quads = _p4 / 4;
        int codes = _codes;
        var scratch = new double[_p4 * Stride];
        var sumV = MemoryMarshal.Cast<double, Vector256<double>>(sums.AsSpan());
        var sumR = sums.AsSpan(_p4 * codes, codes);
        for (int b = from; b < to; b += Block)
        {
            int len = Math.Min(Block, to - b);
            CentreBlock(b, len, scratch);
            var r = _r.AsSpan(b, len);
            LinearPredictor(beta, scratch, r);
            maxEta = Math.Max(maxEta, Max(r));
            CoxLikelihoodKernel.Exp(r);
            var code = _code.AsSpan(b, len);

            // One sweep per four columns: the sums it adds to (codes × 4 doubles, 233 KB for 3,650 days) stay in the
            // core's cache, where a record of all columns per code would not.
            for (int q = 0; q < quads; q++)
            {
                var target = sumV.Slice(q * codes, codes);
                int j = 4 * q;
                var x0 = scratch.AsSpan(j * Stride, len);
                var x1 = scratch.AsSpan((j + 1) * Stride, len);
                var x2 = scratch.AsSpan((j + 2) * Stride, len);
                var x3 = scratch.AsSpan((j + 3) * Stride, len);
                for (int i = 0; i < len; i++)
                {
                    ref var acc = ref target[code[i]];
                    acc = Vector256.FusedMultiplyAdd(Vector256.Create(r[i]), Vector256.Create(x0[i], x1[i], x2[i], x3[i]), acc);
                }
            }

            for (int i = 0; i < len; i++)
            {
                sumR[code[i]] += r[i];
            }
        }

        return maxEta;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Max(ReadOnlySpan<double> a)
    {
        var v = MemoryMarshal.Cast<double, Vector256<double>>(a);
        var m = Vector256.Create(double.NegativeInfinity);
        foreach (var q in v)
        {
            m = Vector256.Max(m, q);
        }

        double max = Math.Max(Math.Max(m[0], m[1]), Math.Max(m[2], m[3]));
        for (int i = v.Length * 4; i < a.Length; i++)
        {
            max = Math.Max(max, a[i]);
        }

        return max;
    }

    /// <summary>
    /// The walks over the bins of each stratum (sums of both halves in <paramref name="sums"/>): backward, the
    /// cumulative risk-set sums and each death time's terms and rows of M; forward, the weight H of each code.
    /// Returns Σ log den.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Walk(double[] sums)
    {
        int p4 = _p4, codes = _codes;
        int quads = p4 / 4;
        var sumV = MemoryMarshal.Cast<double, Vector256<double>>(sums.AsSpan());
        var mV = MemoryMarshal.Cast<double, Vector256<double>>(_m.AsSpan());
        Span<Vector256<double>> cum = quads <= 64 ? stackalloc Vector256<double>[quads] : new Vector256<double>[quads];
        var h = new double[_bins];
        var h2 = new double[_bins];
        double logSum = 0;
        int strata = _bins / _binsPerStratum;
        for (int s = 0; s < strata; s++)
        {
            int first = s * _binsPerStratum, last = first + _binsPerStratum - 1;
            cum.Clear();
            double cumR = 0;
            for (int k = last; k >= first; k--)
            {
                int cens = 2 * k, dead = cens + 1;
                for (int q = 0; q < quads; q++)
                {
                    cum[q] += sumV[(q * codes) + cens] + sumV[(q * codes) + dead];
                }

                double deadR = sums[(p4 * codes) + dead];
                cumR += sums[(p4 * codes) + cens] + deadR;
                int g = _group[k];
                if (g < 0)
                {
                    continue;
                }

                // D₀ = Σ r over the risk set less the deaths, d₂ = Σ r over the deaths.
                var t = CoxLikelihoodKernel.GroupTerms(_deaths[k], _efron, cumR - deadR, deadR);
                logSum += t.LogSum;
                h[k] = t.H;
                h2[k] = t.H2;
                var main = mV.Slice(g * quads, quads);
                int extra = _extraRow[g];
                if (extra < 0)
                {
                    var c1 = Vector256.Create(t.C1);
                    for (int q = 0; q < quads; q++)
                    {
                        main[q] = c1 * cum[q];                                   // c1·A, A = A₀ + a₂
                    }
                }
                else
                {
                    var second = mV.Slice(extra * quads, quads);
                    var c1 = Vector256.Create(t.C1);
                    var c2 = Vector256.Create(t.C2);
                    var c3 = Vector256.Create(t.C3);
                    for (int q = 0; q < quads; q++)
                    {
                        var a2 = sumV[(q * codes) + dead];
                        main[q] = (c1 * (cum[q] - a2)) + (c2 * a2);              // c1·A₀ + c2·a₂
                        second[q] = c3 * a2;
                    }
                }
            }

            double cumH = 0;
            for (int k = first; k <= last; k++)
            {
                if (_group[k] >= 0)
                {
                    _weight[2 * k] = cumH + h[k];
                    _weight[(2 * k) + 1] = cumH + h2[k];
                    cumH += h[k];
                }
                else
                {
                    _weight[2 * k] = cumH;
                    _weight[(2 * k) + 1] = cumH;
                }
            }
        }

        return logSum;
    }

    /// <summary>Pass (2) over rows [from, to): adds Σ w x x′ (upper triangle, p4 × p4) and Σ w x, w = r·H(code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CrossProduct(int from, int to, double[] result, double[] weightedSum)
    {
        int p4 = _p4;
        var scratch = new double[p4 * Stride];
        var wx = new double[p4 * Stride];
        var wt = new double[Block];
        for (int b = from; b < to; b += Block)
        {
            int len = Math.Min(Block, to - b);
            CentreBlock(b, len, scratch);
            var r = _r.AsSpan(b, len);
            var code = _code.AsSpan(b, len);
            for (int i = 0; i < len; i++)
            {
                wt[i] = r[i] * _weight[code[i]];
            }

            for (int j = 0; j < _p; j++)
            {
                var dst = wx.AsSpan(j * Stride, len);
                CoxLikelihoodKernel.Multiply(wt.AsSpan(0, len), scratch.AsSpan(j * Stride, len), dst);
                weightedSum[j] += CoxLikelihoodKernel.Sum(dst);
            }

            for (int a = 0; a < p4; a += 4)
            {
                for (int c = a; c < p4; c += 2)
                {
                    CoxLikelihoodKernel.Tile(p4, scratch, Stride, 0, len, wx, a, c, result);
                }
            }
        }
    }

    /// <summary>
    /// Rows [b, b + len) of the design, centred and scaled ((x − mean)·scale, exact for the columns left alone), into
    /// <paramref name="scratch"/> column-major with stride <see cref="Stride"/>; padding columns stay zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CentreBlock(int b, int len, double[] scratch)
    {
        int n = _n;
        for (int j = 0; j < _p; j++)
        {
            var src = _x.AsSpan((j * n) + b, len);
            var dst = scratch.AsSpan(j * Stride, len);
            double m = Means[j], s = Scale[j];
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var mv = Vector256.Create(m);
                var sv = Vector256.Create(s);
                var srcV = MemoryMarshal.Cast<double, Vector256<double>>(src);
                var dstV = MemoryMarshal.Cast<double, Vector256<double>>(dst);
                for (int q = 0; q < srcV.Length; q++)
                {
                    dstV[q] = (srcV[q] - mv) * sv;
                }

                i = srcV.Length * 4;
            }

            for (; i < len; i++)
            {
                dst[i] = (src[i] - m) * s;
            }
        }
    }

    /// <summary>η = Σ_j β_j x_j over a centred block (β padded to p4 with zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LinearPredictor(double[] beta, double[] scratch, Span<double> eta)
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

            var xj = scratch.AsSpan(j * Stride, len);
            var vb = Vector256.Create(bj);
            var ev = MemoryMarshal.Cast<double, Vector256<double>>(eta);
            var xv = MemoryMarshal.Cast<double, Vector256<double>>(xj);
            for (int q = 0; q < ev.Length; q++)
            {
                ev[q] = Vector256.FusedMultiplyAdd(vb, xv[q], ev[q]);
            }

            for (int i = ev.Length * 4; i < len; i++)
            {
                eta[i] = Math.FusedMultiplyAdd(bj, xj[i], eta[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var av = MemoryMarshal.Cast<double, Vector256<double>>(a);
        var bv = MemoryMarshal.Cast<double, Vector256<double>>(b);
        var acc = Vector256<double>.Zero;
        for (int q = 0; q < av.Length; q++)
        {
            acc = Vector256.FusedMultiplyAdd(av[q], bv[q], acc);
        }

        double s = Vector256.Sum(acc);
        for (int i = av.Length * 4; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}
