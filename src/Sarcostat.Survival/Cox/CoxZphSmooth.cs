using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The smooth that R's <c>plot(cox.zph(fit))</c> draws through the scaled Schoenfeld residuals of one covariate: a
/// natural cubic spline fitted by least squares, evaluated at evenly spaced points, with its ±2 SE band.
/// </summary>
/// <remarks>
/// When the spline fit is singular (<see cref="IsSingular"/>, R warns "spline fit is singular, variable i skipped" and
/// draws nothing for that covariate) the four lists are empty and <see cref="Warning"/> says why.
/// R: the <c>pred.x</c>, <c>yhat</c>, <c>ylow</c> and <c>yup</c> of <c>survival:::plot.cox.zph</c>.
/// </remarks>
public sealed class CoxZphSmooth
{
    internal CoxZphSmooth(
        string term, int df, IReadOnlyList<double> x, IReadOnlyList<double> fit, IReadOnlyList<double> lower,
        IReadOnlyList<double> upper, AnalysisWarning? warning)
    {
        Term = term;
        Df = df;
        X = x;
        Fit = fit;
        Lower = lower;
        Upper = upper;
        Warning = warning;
    }

    /// <summary>The covariate, as in <see cref="CoxZphResult.Tests"/>.</summary>
    public string Term { get; }

    /// <summary>Degrees of freedom of the natural spline (R <c>plot(..., df)</c>).</summary>
    public int Df { get; }

    /// <summary>
    /// Whether the spline fit is singular (the design has rank &lt; <see cref="Df"/>, e.g. fewer than df distinct
    /// times): then there is no smooth and the lists are empty.
    /// </summary>
    public bool IsSingular => Warning is not null;

    /// <summary>
    /// Prediction points, evenly spaced from the smallest to the largest <see cref="CoxZphResult.TransformedTime"/> (R
    /// <c>pred.x</c>). On the transformed scale: for <see cref="ZphTransform.Log"/> R plots at exp(x).
    /// </summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The fitted spline at <see cref="X"/> (R <c>yhat</c>), an estimate of β(t).</summary>
    public IReadOnlyList<double> Fit { get; }

    /// <summary>Fit − 2 SE at <see cref="X"/> (R <c>ylow</c>).</summary>
    public IReadOnlyList<double> Lower { get; }

    /// <summary>Fit + 2 SE at <see cref="X"/> (R <c>yup</c>).</summary>
    public IReadOnlyList<double> Upper { get; }

    /// <summary>Code <c>"spline-singular"</c> when the fit is singular, else null.</summary>
    public AnalysisWarning? Warning { get; }

    /// <inheritdoc />
    public override string ToString() => IsSingular
        ? string.Create(CultureInfo.InvariantCulture, $"CoxZphSmooth({Term}, df={Df}, singular)")
        : string.Create(CultureInfo.InvariantCulture, $"CoxZphSmooth({Term}, df={Df}, points={X.Count})");
}

/// <content>The spline smooth of the residual plot.</content>
public static partial class CoxZph
{
    /// <summary>
    /// R's qr() tolerance: a column whose norm after removing the earlier columns is below this fraction of its own
    /// norm counts as dependent (LINPACK dqrdc2, <c>qr(x, tol = 1e-07)</c>).
    /// </summary>
    private const double RankTolerance = 1e-7;

    /// <summary>
    /// The smooth of the scaled Schoenfeld residuals of covariate <paramref name="term"/> that R's
    /// <c>plot(cox.zph(fit))</c> draws: the least-squares natural cubic spline with <paramref name="df"/> degrees of
    /// freedom, evaluated at <paramref name="points"/> evenly spaced times, and its ±2 standard-error band.
    /// </summary>
    /// <param name="zph">A result of <see cref="Test"/>.</param>
    /// <param name="term">Index k of the covariate, 0 ≤ k &lt; <c>zph.Tests.Count</c>.</param>
    /// <param name="df">Degrees of freedom of the spline, df ≥ 2 (R's default 4): df − 2 interior knots.</param>
    /// <param name="points">Number m of prediction points, m ≥ 2 (R's <c>nsmo</c>, default 40).</param>
    /// <returns>The smooth, or a result with <see cref="CoxZphSmooth.IsSingular"/> set when the spline fit is singular.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="zph"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="term"/>, <paramref name="df"/> or <paramref name="points"/> out of range.</exception>
    /// <remarks>
    /// <para>
    /// Contract. x = <see cref="CoxZphResult.TransformedTime"/> (all events), y = the covariate's column of
    /// <see cref="CoxZphResult.ScaledResiduals"/>; only rows where y is not null enter the fit, but the grid and the knots
    /// use every x, as R does. The fit is on x as it is (for <see cref="ZphTransform.Log"/> that is log t; R exponentiates
    /// the x only when drawing; <see cref="ZphTransform.Km"/>, <see cref="ZphTransform.Identity"/> and
    /// <see cref="ZphTransform.Rank"/> are drawn as they are).
    /// </para>
    /// <para>
    /// Formula. Grid x*_i = a + i(b − a)/(m − 1), i = 0..m−1, with a = min x, b = max x. Knots: boundary a and b, interior
    /// the type-7 quantiles at j/(df − 1), j = 1..df−2, of the m grid points and the x together (R's
    /// <c>ns(c(pred.x, x), df, intercept = TRUE)</c>). Basis: any basis of that natural cubic spline space gives the same
    /// fit and band; this uses, on u = (x − a)/(b − a) so that the columns are of order 1, the truncated-power basis of the
    /// cubic splines with those knots restricted to f″(a) = f″(b) = 0 (for distinct knots the space of Hastie, Tibshirani
    /// and Friedman, The Elements of Statistical Learning, 2nd ed. (2009), eq. 5.4–5.5, p. 145; a repeated interior knot,
    /// when over a third of the times tie, lowers the continuity there as R's B-splines do). With X the n × df design and
    /// P the m × df basis at the grid, X = QR: β = R⁻¹Q′y, ŷ* = Pβ, s_i² = p_i′(X′X)⁻¹p_i with (X′X)⁻¹ = R⁻¹R⁻ᵀ,
    /// band ŷ*_i ± 2·sqrt(V_kk s_i²) with V = <see cref="CoxZphResult.Variance"/> (R <c>z$var</c>). See
    /// docs/statistics/model-checks.md.
    /// </para>
    /// <para>
    /// Singular fit: fewer than df distinct x among the used rows, a = b, an interior knot on a boundary (over a third of
    /// the times tied at the first or last; R's ns() then fails or is rank-deficient), or a column of X whose QR diagonal
    /// |R_jj| is below 1e-7 times the column's norm (R's <c>qr</c> tolerance; R tests it on its B-spline basis, this on
    /// the basis above, so only designs within a hair of singular could be judged differently).
    /// </para>
    /// <para>R: <c>plot(cox.zph(fit), df = 4, nsmo = 40)</c>, survival 3.5-3 <c>survival:::plot.cox.zph</c>.</para>
    /// </remarks>
    public static CoxZphSmooth Smooth(CoxZphResult zph, int term, int df = 4, int points = 40)
    {
        ArgumentNullException.ThrowIfNull(zph);
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term, zph.Tests.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);

        string name = zph.Tests[term].Term;
        var xAll = zph.TransformedTime;
        if (xAll.Count == 0)
        {
            return Singular(name, df, "there are no events");
        }

        double a = xAll.Min();
        double b = xAll.Max();
        var grid = Grid(a, b, points);
        var rows = Enumerable.Range(0, xAll.Count).Where(i => zph.ScaledResiduals[i][term] is not null).ToArray();
        int distinct = rows.Select(i => xAll[i]).Distinct().Count();
        if (distinct < df || !(b > a))
        {
            return Singular(name, df, string.Create(CultureInfo.InvariantCulture, $"its residuals lie at {distinct} distinct times, fewer than df = {df}"));
        }

        // Knots as R's ns(temp, df, intercept = TRUE): boundary = range(temp) = [a, b], interior = quantile(temp, j/(df−1)).
        var temp = grid.Concat(xAll).ToArray();
        Array.Sort(temp);
        double step = 1.0 / (df - 1);
        var knots = new double[df - 2];
        for (int j = 0; j < knots.Length; j++)
        {
            knots[j] = (Sample.QuantileType7(temp, (j + 1) * step) - a) / (b - a);
        }

        if (knots.Any(k => !(k > 0 && k < 1)))
        {
            // R's ns() stops with an error (knot at the upper boundary) or gives a rank-deficient basis (lower boundary).
            return Singular(name, df, "so many times are tied at the first or last time that a spline knot falls on the boundary");
        }

        var basis = NaturalSplineBasis(knots);
        var design = SplineRows(rows.Select(i => (xAll[i] - a) / (b - a)), knots, basis);
        var predict = SplineRows(grid.Select(g => (g - a) / (b - a)), knots, basis);
        var y = Vector<double>.Build.Dense(rows.Length, i => zph.ScaledResiduals[rows[i]][term]!.Value);

        var qr = design.QR(QRMethod.Thin);
        for (int j = 0; j < df; j++)
        {
            if (Math.Abs(qr.R[j, j]) < RankTolerance * design.Column(j).L2Norm())
            {
                return Singular(name, df, "the spline columns are linearly dependent at the residuals' times");
            }
        }

        var fit = predict * qr.Solve(y);

        // (X′X)⁻¹ = R⁻¹R⁻ᵀ, as R's backsolve(qr$qr[1:df, 1:df], diag(df)) %*% t(.).
        var rInverse = qr.R.Solve(Matrix<double>.Build.DenseIdentity(df));
        var xtxInverse = rInverse * rInverse.Transpose();
        double v = zph.Variance[term][term];
        var lower = new double[points];
        var upper = new double[points];
        for (int i = 0; i < points; i++)
        {
            var pi = predict.Row(i);
            double half = 2 * Math.Sqrt(v * (xtxInverse * pi).DotProduct(pi));
            lower[i] = fit[i] - half;
            upper[i] = fit[i] + half;
        }

        return new CoxZphSmooth(name, df, grid, fit.ToArray(), lower, upper, null);
    }

    private static CoxZphSmooth Singular(string term, int df, string why) => new(
        term, df, [], [], [], [],
        new AnalysisWarning("spline-singular", $"The spline fit of the residuals of '{term}' is singular ({why}); no smooth is drawn (R: \"spline fit is singular, variable skipped\")."));

    /// <summary>R's <c>seq(a, b, length = m)</c>: a + i·((b − a)/(m − 1)) inside, b exactly at the end.</summary>
    private static double[] Grid(double a, double b, int m)
    {
        var g = new double[m];
        double by = (b - a) / (m - 1);
        for (int i = 0; i < m - 1; i++)
        {
            g[i] = a + (i * by);
        }

        g[m - 1] = b;
        return g;
    }

    /// <summary>
    /// The natural cubic splines on [0, 1] with interior knots κ (sorted, inside (0, 1), repeats allowed): the
    /// truncated-power basis of all cubic splines with these knots, 1, u, u², u³ and (u − κ)³₊, …, (u − κ)^(4−m)₊ for a knot
    /// of multiplicity m (de Boor 2001, A Practical Guide to Splines, ch. VIII; ESL eq. 5.3), restricted to
    /// f″(0) = f″(1) = 0 by a basis of the null space of those two constraints (R's ns() imposes the same constraints on
    /// its B-spline basis). For distinct knots this spans the space of ESL eq. 5.4–5.5. Returns the (q + 2) × q matrix
    /// K, q = number of knots + 2, whose columns are the natural splines in the truncated-power coordinates.
    /// </summary>
    private static Matrix<double> NaturalSplineBasis(double[] knots)
    {
        var powers = TruncatedPowers(knots);
        int n = 4 + powers.Count;

        // Row 0: f″(0); row 1: f″(1). Only u², u³ and the truncated powers of degree ≥ 2 have a second derivative there.
        var constraints = Matrix<double>.Build.Dense(2, n);
        constraints[0, 2] = 2;
        constraints[1, 2] = 2;
        constraints[1, 3] = 6;
        for (int c = 0; c < powers.Count; c++)
        {
            var (knot, power) = powers[c];
            constraints[1, 4 + c] = power >= 2 ? power * (power - 1) * Math.Pow(1 - knot, power - 2) : 0;
        }

        var kernel = constraints.Kernel();
        return Matrix<double>.Build.DenseOfColumnVectors(kernel);
    }

    /// <summary>The truncated powers (κ, p) of the cubic splines with interior knots κ: p = 3, 2, … for repeats of a knot.</summary>
    private static List<(double Knot, int Power)> TruncatedPowers(double[] knots)
    {
        var powers = new List<(double, int)>();
        for (int j = 0; j < knots.Length; j++)
        {
            int repeat = 0;
            while (j - repeat - 1 >= 0 && knots[j - repeat - 1] == knots[j])
            {
                repeat++;
            }

            powers.Add((knots[j], 3 - repeat));
        }

        return powers;
    }

    /// <summary>Rows of the natural spline basis at the points u: the truncated-power values times K.</summary>
    private static Matrix<double> SplineRows(IEnumerable<double> u, double[] knots, Matrix<double> basis)
    {
        var powers = TruncatedPowers(knots);
        var values = u.ToArray();
        var full = Matrix<double>.Build.Dense(values.Length, 4 + powers.Count, (i, c) =>
        {
            double v = values[i];
            if (c < 4)
            {
                return Math.Pow(v, c);
            }

            var (knot, power) = powers[c - 4];
            return v >= knot ? Math.Pow(v - knot, power) : 0;
        });
        return full * basis;
    }
}
