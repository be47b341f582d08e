using System.Runtime.CompilerServices;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// <see cref="CoxZphKernel"/> for times that are whole numbers in a narrow range (days, the registry case): the same
/// U, information and Schoenfeld residuals, from sums per (stratum, day, status) bin instead of a copy of the design
/// sorted by time.
/// </summary>
/// <remarks>
/// At an event time every quantity of the walk is a sum over rows of that time (the deaths, the censored rows) or over
/// later times (the risk set): Σr, Σr·x and Σr·x x′ per bin are all it reads. So one sequential pass over the design in
/// its own row order fills the bins (centring each value as it is read), a walk over the bins backwards in time adds
/// each event time's terms exactly as <see cref="CoxZphKernel"/> does (<see cref="CoxZphKernel.EventTime"/>), and a
/// second sequential pass writes each event's residual x − x̄(t) at its place in (stratum, time, row) order (a counting
/// sort of the events by bin). No n-row copy of the design (96 MB at 10⁶ × 12) and no gather through a random
/// permutation. The sums are added in another order than the sorted walk's: results agree to rounding.
/// </remarks>
internal static class CoxZphBinnedKernel
{
    /// <summary>
    /// Contract as <see cref="CoxZphKernel.AccumulateCentring"/> (the n × p design column-major, not centred; dense
    /// stratum codes 0..strataCount−1; gt a function of the time), or null when the times are not whole numbers or the
    /// bins would be many (more than n/4 bins, or bin sums larger than half the design and 8 MB); <paramref name="force"/>
    /// (tests) allows up to 4n bins.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] U, double[] Imat, double[] Schoen)? TryAccumulate(
        double[] t, bool[] ev, double[] x, double[] means, double[] eta, int[] stratum, int strataCount, double[] gt,
        int p, int events, bool efron, bool force = false)
    {
        int n = t.Length;
        if (n == 0 || !CoxLikelihoodKernel.WholeTimeRange(t, out double min, out double max))
        {
            return null;
        }

        int p4 = (p + 3) & ~3;
        int per = 4 + p4 + (p * p4);  // per code: Σr (and padding), Σr·x, Σr·x x′ (lower triangle, rows of p4)
        double range = max - min + 1;
        double bins0 = range * strataCount;
        double cells = bins0 * 2 * per;
        if (force ? bins0 > 4.0 * n : bins0 > n / 4.0 || cells > Math.Max((double)n * p / 2, 1 << 20))
        {
            return null;
        }

        if (cells > Array.MaxLength / 2)
        {
            return null;
        }

        int r = (int)range;
        int bins = r * strataCount;
        var table = new double[2 * bins * per];  // code 2·bin + status
        var deadSum = new double[bins * p];      // Σx over the deaths of a bin (the score's first term)
        var deaths = new int[bins];
        var binW = new double[bins];
        var xi = new double[p4];

        // Pass 1, rows in their own order: the bin sums.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < p; j++)
            {
                xi[j] = x[(j * n) + i] - means[j];
            }

            double rr = Math.Exp(eta[i]);
            int bin = (stratum[i] * r) + (int)(t[i] - min);
            var slot = table.AsSpan(((2 * bin) + (ev[i] ? 1 : 0)) * per, per);
            slot[0] += rr;
            CoxZphKernel.AddRisk(slot.Slice(4, p4), slot.Slice(4 + p4, p * p4), xi, rr, p, p4);
            if (ev[i])
            {
                deaths[bin]++;
                binW[bin] = gt[i];
                var ds = deadSum.AsSpan(bin * p, p);
                for (int j = 0; j < p; j++)
                {
                    ds[j] += xi[j];
                }
            }
        }

        // The walk, each stratum backwards in time.
        int q = 2 * p;
        var u = new double[q];
        var imat = new double[q * q];
        var sumX = new double[p4];
        var sumXX = new double[p * p4];
        var binMean = new double[bins * p];
        for (int s = 0; s < strataCount; s++)
        {
            double denom = 0;
            Array.Clear(sumX);
            Array.Clear(sumXX);
            for (int bin = (s * r) + r - 1; bin >= s * r; bin--)
            {
                var censored = table.AsSpan(2 * bin * per, per);
                denom += censored[0];
                CoxZphKernel.Add(sumX, censored.Slice(4, p4));
                CoxZphKernel.Add(sumXX, censored.Slice(4 + p4, p * p4));
                int nd = deaths[bin];
                if (nd == 0)
                {
                    continue;
                }

                var dead = table.AsSpan(((2 * bin) + 1) * per, per);
                double w = binW[bin];
                var ds = deadSum.AsSpan(bin * p, p);
                for (int j = 0; j < p; j++)
                {
                    u[j] += ds[j];
                    u[j + p] += w * ds[j];
                }

                CoxZphKernel.EventTime(
                    sumX, sumXX, dead.Slice(4, p4), dead.Slice(4 + p4, p * p4), denom, dead[0], nd, w, efron, p, p4, u, imat,
                    binMean.AsSpan(bin * p, p));
                denom += dead[0];
                CoxZphKernel.Add(sumX, dead.Slice(4, p4));
                CoxZphKernel.Add(sumXX, dead.Slice(4 + p4, p * p4));
            }
        }

        CoxZphKernel.Symmetrise(imat, p);

        // Pass 2: each event's residual at its row of the (stratum, time, row) order, i.e. bins in order, rows in order.
        var next = new int[bins];
        for (int b = 0, at = 0; b < bins; b++)
        {
            next[b] = at;
            at += deaths[b];
        }

        var schoen = new double[(long)events * p];
        for (int i = 0; i < n; i++)
        {
            if (!ev[i])
            {
                continue;
            }

            int bin = (stratum[i] * r) + (int)(t[i] - min);
            var res = schoen.AsSpan(next[bin]++ * p, p);
            var mean = binMean.AsSpan(bin * p, p);
            for (int j = 0; j < p; j++)
            {
                res[j] = (x[(j * n) + i] - means[j]) - mean[j];
            }
        }

        return (u, imat, schoen);
    }
}
