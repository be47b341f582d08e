using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The fast kernel of <see cref="CoxZph"/>'s score and information sums (R <c>cox.zph</c>'s C routine <c>zph1</c>,
/// survival 3.5-3): the same U, 2p × 2p information and Schoenfeld residuals as the readable
/// <c>CoxZph.AccumulateReference</c>, with the per-death Efron loop reduced to five scalar sums per event time.
/// </summary>
/// <remarks>
/// At an event time with d deaths, Efron's k-th term (k = 0..d−1, f = (k+1)/d) has denominator D_k = S0 + f·R (S0 the
/// risk of the rest of the risk set, R that of the deaths) and mean m_k = a_k·S1 + b_k·T1 with a_k = 1/D_k,
/// b_k = f/D_k (S1, T1: the risk-weighted sums of x over the rest and over the deaths; S2, T2 of x x′). So
/// Σ_k m_k = S1·Σa + T1·Σb and Σ_k [ (S2 + f·T2)/D_k − m_k m_k′ ] = S2·Σa + T2·Σb − (S1S1′·Σa² + (S1T1′ + T1S1′)·Σab
/// + T1T1′·Σb²): O(d + p²) per event time instead of O(d·p²). Breslow is the single term f = 1 weighted by d.
/// One backward pass per stratum over the rows in (stratum, time) order: O(n·p²).
/// </remarks>
internal static class CoxZphKernel
{
    /// <summary>
    /// Contract as <c>CoxZph.AccumulateReference</c>: centred columns x, linear predictor eta, centred time weights gt
    /// (constant within an event time), ord sorted by (stratum, time). Returns U (2p), the information (row-major 2p × 2p)
    /// and the Schoenfeld residuals x − x̄(t), row-major events × p, rows in ord order.
    /// </summary>
    public static (double[] U, double[] Imat, double[] Schoen) Accumulate(
        double[] t, bool[] ev, double[][] x, double[] eta, int[] stratum, double[] gt, int[] ord, int p, int events, bool efron)
    {
        var xs = new double[p][];
        for (int j = 0; j < p; j++)
        {
            xs[j] = Gather(x[j], ord);
        }

        return Walk(t, ev, xs, eta, stratum, gt, ord, p, events, efron);
    }

    /// <summary>
    /// As <see cref="Accumulate(double[], bool[], double[][], double[], int[], double[], int[], int, int, bool)"/> on the
    /// n × p design <paramref name="x"/> column-major and not centred (a fit's own design, read in place): each column
    /// is centred on <paramref name="means"/> as it is gathered into the walk's order, so the design is never copied whole
    /// and the values equal those of a centred copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] U, double[] Imat, double[] Schoen) AccumulateCentring(
        double[] t, bool[] ev, double[] x, double[] means, double[] eta, int[] stratum, double[] gt, int[] ord, int p, int events, bool efron)
    {
        int n = ord.Length;
        var xs = new double[p][];
        for (int j = 0; j < p; j++)
        {
            var col = x.AsSpan(j * n, n);
            double mean = means[j];
            var g = xs[j] = GC.AllocateUninitializedArray<double>(n);
            for (int k = 0; k < n; k++)
            {
                g[k] = col[ord[k]] - mean;
            }
        }

        return Walk(t, ev, xs, eta, stratum, gt, ord, p, events, efron);
    }

    /// <summary>The walk itself, on the design columns already gathered into the order <paramref name="ord"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[] U, double[] Imat, double[] Schoen) Walk(
        double[] t, bool[] ev, double[][] x, double[] eta, int[] stratum, double[] gt, int[] ord, int p, int events, bool efron)
    {
        // Gather every input into the walk's order once, column by column (each source column stays in cache while it
        // is permuted), so that the walk reads memory in sequence instead of p + 5 cache misses per row.
        int n = ord.Length;
        t = Gather(t, ord);
        ev = Gather(ev, ord);
        eta = Gather(eta, ord);
        stratum = Gather(stratum, ord);
        gt = Gather(gt, ord);

        int q = 2 * p;
        var u = new double[q];
        var imat = new double[q * q];
        var schoen = new double[(long)events * p];
        var sumX = new double[p];
        // x x′ sums row-major with rows padded to p4 columns, so that a row's lower triangle is added four at a time
        // (the padding cells, above the diagonal, are never read).
        int p4 = (p + 3) & ~3;
        var sumXX = new double[p * p4];
        var deadX = new double[p];
        var deadXX = new double[p * p4];
        var xi = new double[p4];
        var mean = new double[p];
        double denom = 0;
        int row = events;
        int current = -1;
        int ip = n - 1;
        while (ip >= 0)
        {
            int person = ip;
            if (stratum[person] != current)
            {
                current = stratum[person];
                denom = 0;
                Array.Clear(sumX);
                Array.Clear(sumXX);
            }

            double dtime = t[person];
            double w = gt[person];
            int ndead = 0;
            double deadRisk = 0;
            Array.Clear(deadX);
            Array.Clear(deadXX);
            for (; ip >= 0; ip--)
            {
                person = ip;
                if (t[person] != dtime || stratum[person] != current)
                {
                    break;
                }

                double r = Math.Exp(eta[person]);
                for (int j = 0; j < p; j++)
                {
                    xi[j] = x[j][person];
                }

                if (ev[person])
                {
                    ndead++;
                    deadRisk += r;
                    row--;
                    xi.AsSpan(0, p).CopyTo(schoen.AsSpan(row * p, p));
                    AddRisk(deadX, deadXX, xi, r, p, p4);
                    for (int j = 0; j < p; j++)
                    {
                        u[j] += xi[j];
                        u[j + p] += w * xi[j];
                    }
                }
                else
                {
                    denom += r;
                    AddRisk(sumX, sumXX, xi, r, p, p4);
                }
            }

            if (ndead == 0)
            {
                continue;
            }

            EventTime(sumX, sumXX, deadX, deadXX, denom, deadRisk, ndead, w, efron, p, p4, u, imat, mean);
            for (int k = 0; k < ndead; k++)
            {
                var res = schoen.AsSpan((row + k) * p, p);
                for (int a = 0; a < p; a++)
                {
                    res[a] -= mean[a];
                }
            }

            denom += deadRisk;
            for (int a = 0; a < p; a++)
            {
                sumX[a] += deadX[a];
            }

            Add(sumXX, deadXX);
        }

        Symmetrise(imat, p);
        return (u, imat, schoen);
    }

    /// <summary>
    /// One event time's terms: with the risk-set sums of the rest (denom = Σr, sumX = Σr·x, sumXX = Σr·x x′ lower
    /// triangle, rows of p4) and of its d deaths (deadRisk, deadX, deadXX), adds Efron's (or Breslow's) −Σ_k m_k to U
    /// (and −w·Σ_k m_k to its time half) and Σ_k [V_k] to the three blocks of the information; writes the mean of the
    /// d means (the x̄(t) of the Schoenfeld residuals) into <paramref name="mean"/>.
    /// </summary>
    private static void EventTime(
        ReadOnlySpan<double> sumX, ReadOnlySpan<double> sumXX, ReadOnlySpan<double> deadX, ReadOnlySpan<double> deadXX,
        double denom, double deadRisk, int ndead, double w, bool efron, int p, int p4, double[] u, double[] imat, Span<double> mean)
    {
        int q = 2 * p;
        // The scalar sums over the d Efron terms (one Breslow term with weight d).
        int steps = efron ? ndead : 1;
        double weight = efron ? 1.0 : ndead;
        double sa = 0, sb = 0, saa = 0, sab = 0, sbb = 0, ua = 0, ub = 0;
        for (int k = 0; k < steps; k++)
        {
            double f = efron ? (k + 1) / (double)ndead : 1;
            double a = 1 / (denom + (deadRisk * f));
            double b = f * a;
            ua += a;
            ub += b;
            sa += weight * a;
            sb += weight * b;
            saa += weight * a * a;
            sab += weight * a * b;
            sbb += weight * b * b;
        }

        for (int a = 0; a < p; a++)
        {
            double ma = (sumX[a] * sa) + (deadX[a] * sb);
            mean[a] = ((sumX[a] * ua) + (deadX[a] * ub)) / steps;
            u[a] -= ma;
            u[a + p] -= w * ma;
            for (int b = 0; b <= a; b++)
            {
                double v = (sumXX[(a * p4) + b] * sa) + (deadXX[(a * p4) + b] * sb)
                           - ((sumX[a] * sumX[b] * saa) + (((sumX[a] * deadX[b]) + (deadX[a] * sumX[b])) * sab) + (deadX[a] * deadX[b] * sbb));
                imat[(a * q) + b] += v;
                imat[(a * q) + b + p] += v * w;
                imat[((a + p) * q) + b + p] += v * w * w;
            }
        }
    }

    /// <summary>Symmetrises the 2p × 2p information, whose blocks were filled on and below the diagonal.</summary>
    private static void Symmetrise(double[] imat, int p)
    {
        int q = 2 * p;
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double v0 = imat[(a * q) + b];
                double v1 = imat[(a * q) + b + p];
                double v2 = imat[((a + p) * q) + b + p];
                imat[(b * q) + a] = v0;
                imat[((a + p) * q) + b] = v1;
                imat[(b * q) + a + p] = v1;
                imat[((b + p) * q) + a] = v1;
                imat[((b + p) * q) + a + p] = v2;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Gather<T>(T[] source, int[] ord)
    {
        var result = new T[ord.Length];
        for (int k = 0; k < ord.Length; k++)
        {
            result[k] = source[ord[k]];
        }

        return result;
    }

    /// <summary>sum += r·x; the lower triangle of sumSq += r·x x′, each row's cells b ≤ a four at a time (the products
    /// and sums of each cell are those of the scalar loop: a vector multiply, then a vector add).</summary>
    private static void AddRisk(Span<double> sum, Span<double> sumSq, ReadOnlySpan<double> xi, double r, int p, int p4)
    {
        var xv = MemoryMarshal.Cast<double, Vector256<double>>(xi[..p4]);
        for (int a = 0; a < p; a++)
        {
            double rx = r * xi[a];
            sum[a] += rx;
            var rowSq = MemoryMarshal.Cast<double, Vector256<double>>(sumSq.Slice(a * p4, p4));
            var rxv = Vector256.Create(rx);
            for (int b = 0; b <= a >> 2; b++)
            {
                rowSq[b] += rxv * xv[b];
            }
        }
    }

    /// <summary>a += b, element by element.</summary>
    private static void Add(Span<double> a, ReadOnlySpan<double> b)
    {
        var av = MemoryMarshal.Cast<double, Vector256<double>>(a);
        var bv = MemoryMarshal.Cast<double, Vector256<double>>(b);
        for (int k = 0; k < av.Length; k++)
        {
            av[k] += bv[k];
        }

        for (int k = av.Length * 4; k < a.Length; k++)
        {
            a[k] += b[k];
        }
    }
}
