using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival.Comparisons;

/// <summary>Which two-sample t-test was run.</summary>
public enum TTestMethod
{
    /// <summary>Student's test with pooled variance. R <c>t.test(x, y, var.equal = TRUE)</c>: "Two Sample t-test".</summary>
    Student = 0,

    /// <summary>Welch's test with Satterthwaite degrees of freedom. R <c>t.test(x, y)</c>, the R default: "Welch Two Sample t-test".</summary>
    Welch = 1,
}

/// <summary>Result of a two-sample t-test of equal means (two-sided), difference = mean(x) − mean(y).</summary>
public sealed class TTestResult
{
    internal TTestResult(TTestMethod method, double t, double df, double p, double meanX, double meanY, double lower, double upper, double stdError, double confidenceLevel, int nx, int ny, int missingX, int missingY)
    {
        Method = method;
        T = t;
        DegreesOfFreedom = df;
        P = p;
        MeanX = meanX;
        MeanY = meanY;
        Lower = lower;
        Upper = upper;
        StdError = stdError;
        ConfidenceLevel = confidenceLevel;
        NX = nx;
        NY = ny;
        MissingX = missingX;
        MissingY = missingY;
    }

    /// <summary>Student (pooled variance) or Welch.</summary>
    public TTestMethod Method { get; }

    /// <summary>t = (mean(x) − mean(y)) / SE.</summary>
    public double T { get; }

    /// <summary>Degrees of freedom: nx + ny − 2 (Student) or Welch–Satterthwaite (fractional).</summary>
    public double DegreesOfFreedom { get; }

    /// <summary>Two-sided p-value, 2·P(T_df ≤ −|t|).</summary>
    public double P { get; }

    /// <summary>Mean of the non-missing x.</summary>
    public double MeanX { get; }

    /// <summary>Mean of the non-missing y.</summary>
    public double MeanY { get; }

    /// <summary>mean(x) − mean(y).</summary>
    public double Difference => MeanX - MeanY;

    /// <summary>Lower confidence limit of the difference.</summary>
    public double Lower { get; }

    /// <summary>Upper confidence limit of the difference.</summary>
    public double Upper { get; }

    /// <summary>Standard error of the difference (R's <c>stderr</c>).</summary>
    public double StdError { get; }

    /// <summary>Confidence level of the interval.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Non-missing observations in x.</summary>
    public int NX { get; }

    /// <summary>Non-missing observations in y.</summary>
    public int NY { get; }

    /// <summary>NaN (missing) values dropped from x.</summary>
    public int MissingX { get; }

    /// <summary>NaN (missing) values dropped from y.</summary>
    public int MissingY { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TTestResult({Method}, nx={NX}, ny={NY}, t={T:G6}, df={DegreesOfFreedom:G6}, p={P:G6})");
}

/// <summary>Two-sample t-tests of equal means, as R's <c>t.test</c> (two-sided, μ = 0).</summary>
public static class TTest
{
    /// <summary>Student's two-sample t-test with pooled variance.</summary>
    /// <param name="x">First sample; NaN values are missing and dropped (counted in the result).</param>
    /// <param name="y">Second sample; NaN values are missing and dropped.</param>
    /// <param name="confidenceLevel">Level of the interval for mean(x) − mean(y), in (0, 1).</param>
    /// <exception cref="ArgumentNullException">A sample is null.</exception>
    /// <exception cref="InsufficientDataException">A group is empty, or nx + ny &lt; 3 (R: "not enough 'x' observations", "not enough observations").</exception>
    /// <exception cref="DegenerateDataException">SE &lt; 10·ε·max(|mean x|, |mean y|) (R: "data are essentially constant").</exception>
    /// <exception cref="NotRepresentableException">A result (difference, confidence limit) overflows a double even after exact rescaling.</exception>
    /// <remarks>
    /// s²_p = [(nx − 1)s²_x + (ny − 1)s²_y] / (nx + ny − 2) (a group of one contributes no variance term, as R);
    /// SE = √(s²_p (1/nx + 1/ny)); t = (x̄ − ȳ)/SE; df = nx + ny − 2; p = 2·F_t(−|t|; df);
    /// CI = (t ∓ q)·SE with q = F_t⁻¹(1 − α/2; df).
    /// R: <c>t.test(x, y, var.equal = TRUE)</c>.
    /// </remarks>
    public static TTestResult Student(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidenceLevel = 0.95) =>
        Run(x, y, confidenceLevel, pooled: true);

    /// <summary>Welch's two-sample t-test (unequal variances), R's default.</summary>
    /// <param name="x">First sample; NaN values are missing and dropped (counted in the result).</param>
    /// <param name="y">Second sample; NaN values are missing and dropped.</param>
    /// <param name="confidenceLevel">Level of the interval for mean(x) − mean(y), in (0, 1).</param>
    /// <exception cref="ArgumentNullException">A sample is null.</exception>
    /// <exception cref="InsufficientDataException">A group has fewer than 2 non-missing observations (R: "not enough 'x' observations").</exception>
    /// <exception cref="DegenerateDataException">SE &lt; 10·ε·max(|mean x|, |mean y|) (R: "data are essentially constant").</exception>
    /// <exception cref="NotRepresentableException">A result (difference, confidence limit) overflows a double even after exact rescaling.</exception>
    /// <remarks>
    /// SE = √(s²_x/nx + s²_y/ny); t = (x̄ − ȳ)/SE; df = SE⁴ / [(s²_x/nx)²/(nx − 1) + (s²_y/ny)²/(ny − 1)];
    /// p = 2·F_t(−|t|; df); CI = (t ∓ q)·SE with q = F_t⁻¹(1 − α/2; df).
    /// R: <c>t.test(x, y)</c> (<c>var.equal = FALSE</c>).
    /// </remarks>
    public static TTestResult Welch(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidenceLevel = 0.95) =>
        Run(x, y, confidenceLevel, pooled: false);

    private static TTestResult Run(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidenceLevel, bool pooled)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie in (0, 1).");
        }

        var xs = Sample.NonMissing(x, out int missingX);
        var ys = Sample.NonMissing(y, out int missingY);
        int nx = xs.Length, ny = ys.Length;
        int needed = pooled ? 1 : 2;
        if (nx < needed)
        {
            throw new InsufficientDataException("x", nx, needed, $"Not enough 'x' observations: {nx} non-missing, the {(pooled ? "Student" : "Welch")} t-test needs at least {needed}.");
        }

        if (ny < needed)
        {
            throw new InsufficientDataException("y", ny, needed, $"Not enough 'y' observations: {ny} non-missing, the {(pooled ? "Student" : "Welch")} t-test needs at least {needed}.");
        }

        if (pooled && nx + ny < 3)
        {
            throw new InsufficientDataException("x and y", nx + ny, 3, $"Not enough observations: {nx} + {ny}; the Student t-test needs at least 3 in total.");
        }

        // Huge or tiny values are computed on data divided by an exact power of two (Sample.ScaleExponent), then the
        // location and spread results are multiplied back: t, df and p do not depend on the scale.
        int k = Sample.ScaleExponent(xs, ys);
        xs = Sample.Scaled(xs, k);
        ys = Sample.Scaled(ys, k);
        double mx = Sample.Mean(xs), my = Sample.Mean(ys);
        double vx = Sample.Variance(xs, mx), vy = Sample.Variance(ys, my);
        double df, stdError;
        if (pooled)
        {
            df = nx + ny - 2;
            double v = 0;
            if (nx > 1)
            {
                v += (nx - 1) * vx;
            }

            if (ny > 1)
            {
                v += (ny - 1) * vy;
            }

            v /= df;
            stdError = Math.Sqrt(v * ((1.0 / nx) + (1.0 / ny)));
        }
        else
        {
            double sx = Math.Sqrt(vx / nx), sy = Math.Sqrt(vy / ny);
            stdError = Math.Sqrt((sx * sx) + (sy * sy));
            df = Math.Pow(stdError, 4) / ((Math.Pow(sx, 4) / (nx - 1)) + (Math.Pow(sy, 4) / (ny - 1)));
        }

        if (stdError < 10 * 2.220446049250313e-16 * Math.Max(Math.Abs(mx), Math.Abs(my)) || stdError == 0)
        {
            throw new DegenerateDataException("Data are essentially constant: the standard error of the difference is zero, so t is undefined.");
        }

        double t = (mx - my) / stdError;
        double p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        double alpha = 1 - confidenceLevel;
        double q = Sample.StudentQuantile(1 - (alpha / 2), df);
        double lower = (t - q) * stdError;
        double upper = (t + q) * stdError;
        (mx, my, lower, upper, stdError) = (Math.ScaleB(mx, k), Math.ScaleB(my, k), Math.ScaleB(lower, k), Math.ScaleB(upper, k), Math.ScaleB(stdError, k));
        if (!double.IsFinite(t) || !double.IsFinite(df) || double.IsNaN(p) || !double.IsFinite(lower) || !double.IsFinite(upper)
            || !double.IsFinite(stdError) || !double.IsFinite(mx) || !double.IsFinite(my) || !double.IsFinite(mx - my))
        {
            throw new NotRepresentableException("The difference of the means or its confidence limits exceed the largest representable number.");
        }

        return new TTestResult(pooled ? TTestMethod.Student : TTestMethod.Welch, t, df, p, mx, my, lower, upper, stdError, confidenceLevel, nx, ny, missingX, missingY);
    }
}
