using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// The standard normal distribution's density, distribution function and quantile, for building the simulator's
/// marginal models (log-normal fits to a paper's median and percentages, truncated normals). Not an estimator: the
/// accuracy needed here is that of a sampling model (about 1e-7), not of a reported statistic.
/// </summary>
internal static class Gaussian
{
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>φ(z), the standard normal density.</summary>
    public static double Density(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    /// <summary>Φ(z) = ½ erfc(−z/√2).</summary>
    /// <remarks>
    /// erfc by the Chebyshev fit of Press et al., Numerical Recipes in C, 2nd ed., §6.2 (<c>erfcc</c>): fractional
    /// error below 1.2e-7 everywhere. Infinite arguments give 0 and 1.
    /// </remarks>
    public static double Cdf(double z)
    {
        if (double.IsNegativeInfinity(z))
        {
            return 0;
        }

        if (double.IsPositiveInfinity(z))
        {
            return 1;
        }

        return 0.5 * Erfc(-z / Math.Sqrt(2));
    }

    /// <summary>Φ⁻¹(p) for 0 &lt; p &lt; 1.</summary>
    /// <remarks>
    /// P. J. Acklam's rational approximation (2003), relative error below 1.15e-9; 0 and 1 give ∓∞.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">p outside [0, 1] or NaN.</exception>
    public static double Quantile(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        const double pLow = 0.02425;
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        if (p < pLow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        if (p > 1 - pLow)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        double r = p - 0.5;
        double s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }
}
