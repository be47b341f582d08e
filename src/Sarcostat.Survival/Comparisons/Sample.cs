using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival.Comparisons;

/// <summary>Shared numeric helpers of the comparison tests: missing values, R's mean and variance, quantiles.</summary>
internal static class Sample
{
    /// <summary>The values that are not NaN (NaN is R's NA here), and how many were dropped.</summary>
    public static double[] NonMissing(IReadOnlyList<double> values, out int missing)
    {
        missing = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (double.IsNaN(values[i]))
            {
                missing++;
            }
        }

        var result = new double[values.Count - missing];
        int k = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                result[k++] = values[i];
            }
        }

        return result;
    }

    /// <summary>2^64: data within 2^±64 in magnitude are never rescaled.</summary>
    private const double TwoTo64 = 18446744073709551616.0;

    /// <summary>
    /// The power of two 2^k by which to divide samples before computing means, variances and t statistics: k = 0 for
    /// data within 2^±64 in magnitude (then every result is bit-identical to the unscaled computation), else the
    /// binary exponent of the largest magnitude. Dividing by 2^k is exact (except for values more than 2^1000 times
    /// smaller than the largest, which cannot change a sum dominated by it), means, standard errors and confidence
    /// limits scale by 2^k, and t and the Welch degrees of freedom are scale-invariant; so the scaled computation gives
    /// the same numbers without the overflow of SE⁴ (values near 1e80 give SE⁴ ≈ 1e320 = ∞ and df = NaN unscaled)
    /// or the underflow of tiny values.
    /// </summary>
    public static int ScaleExponent(params double[][] samples)
    {
        double max = 0;
        foreach (var sample in samples)
        {
            foreach (var v in sample)
            {
                max = Math.Max(max, Math.Abs(v));
            }
        }

        return max == 0 || !double.IsFinite(max) || (max < TwoTo64 && max > 1 / TwoTo64) ? 0 : Math.ILogB(max);
    }

    /// <summary>The values divided by 2^k (exact).</summary>
    public static double[] Scaled(double[] x, int k) => k == 0 ? x : Array.ConvertAll(x, v => Math.ScaleB(v, -k));

    /// <summary>
    /// Arithmetic mean with R's refinement: m = Σx/n, then m + Σ(x − m)/n (R's <c>mean</c> does this in long double;
    /// the second pass recovers most of the rounding of the first).
    /// </summary>
    public static double Mean(double[] x)
    {
        double sum = 0;
        foreach (var v in x)
        {
            sum += v;
        }

        double mean = sum / x.Length;
        if (double.IsFinite(mean))
        {
            double correction = 0;
            foreach (var v in x)
            {
                correction += v - mean;
            }

            mean += correction / x.Length;
        }

        return mean;
    }

    /// <summary>Sample variance Σ(x − m)²/(n − 1) about the given mean (two-pass, as R's <c>var</c>); NaN when n &lt; 2.</summary>
    public static double Variance(double[] x, double mean)
    {
        if (x.Length < 2)
        {
            return double.NaN;
        }

        double ss = 0;
        foreach (var v in x)
        {
            double d = v - mean;
            ss += d * d;
        }

        return ss / (x.Length - 1);
    }

    /// <summary>
    /// Quantile of type 7 (R's default) of ascending-sorted data: h = (n − 1)p, j = ⌊h⌋,
    /// Q = (1 − (h − j))·x_(j) + (h − j)·x_(j+1) (0-based order statistics), computed in R's form.
    /// </summary>
    public static double QuantileType7(double[] sorted, double p)
    {
        int n = sorted.Length;
        double index = (n - 1) * p;
        int lo = (int)Math.Floor(index);
        int hi = (int)Math.Ceiling(index);
        double q = sorted[lo];
        double h = index - lo;
        if (h > 0 && sorted[hi] != q)
        {
            q = ((1 - h) * q) + (h * sorted[hi]);
        }

        return q;
    }

    /// <summary>Median of ascending-sorted data as R's <c>median</c>: the middle value or the mean of the two middle values.</summary>
    public static double Median(double[] sorted)
    {
        int n = sorted.Length;
        int half = (n + 1) / 2;
        return n % 2 == 1 ? sorted[half - 1] : Midpoint.Of(sorted[half - 1], sorted[half]);
    }

    /// <summary>
    /// Quantile of Student's t distribution (R's <c>qt(p, df)</c>): MathNet's inverse, polished by Newton steps on
    /// MathNet's CDF and density so that it is accurate to a few ulps.
    /// </summary>
    public static double StudentQuantile(double p, double df)
    {
        double q = StudentT.InvCDF(0, 1, df, p);
        for (int i = 0; i < 3; i++)
        {
            double density = StudentT.PDF(0, 1, df, q);
            if (!(density > 0))
            {
                break;
            }

            // Work on the smaller tail for accuracy.
            double error = q > 0
                ? -(StudentT.CDF(0, 1, df, -q) - (1 - p))
                : StudentT.CDF(0, 1, df, q) - p;
            double step = error / density;
            q -= step;
            if (Math.Abs(step) <= 1e-16 * Math.Abs(q))
            {
                break;
            }
        }

        return q;
    }
}
