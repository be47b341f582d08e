using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival.Comparisons;

/// <summary>How the p-value of the Wilcoxon–Mann–Whitney test is obtained.</summary>
public enum MannWhitneyMethod
{
    /// <summary>
    /// R's rule (<c>exact = NULL</c>): exact when both samples have fewer than 50 observations and there are no ties,
    /// otherwise the normal approximation. Never reported as the method used.
    /// </summary>
    Auto = 0,

    /// <summary>The exact null distribution of W (R <c>exact = TRUE</c>); ties force the normal approximation with a warning, as R.</summary>
    Exact = 1,

    /// <summary>Normal approximation with continuity correction and tie-corrected variance (R <c>exact = FALSE, correct = TRUE</c>).</summary>
    NormalApproximation = 2,
}

/// <summary>Result of the Wilcoxon rank-sum (Mann–Whitney) test, two-sided.</summary>
public sealed class MannWhitneyResult
{
    internal MannWhitneyResult(double w, double p, MannWhitneyMethod method, double? z, bool hasTies, int nx, int ny, int missingX, int missingY, IReadOnlyList<AnalysisWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        W = w;
        P = p;
        Method = method;
        Z = z;
        HasTies = hasTies;
        NX = nx;
        NY = ny;
        MissingX = missingX;
        MissingY = missingY;
        Warnings = warnings;
    }

    /// <summary>W = (sum of the ranks of x in the pooled sample) − nx(nx + 1)/2 (R's statistic "W").</summary>
    public double W { get; }

    /// <summary>Two-sided p-value.</summary>
    public double P { get; }

    /// <summary>The method used: <see cref="MannWhitneyMethod.Exact"/> or <see cref="MannWhitneyMethod.NormalApproximation"/>.</summary>
    public MannWhitneyMethod Method { get; }

    /// <summary>The continuity-corrected normal deviate (normal approximation only; null for the exact test).</summary>
    public double? Z { get; }

    /// <summary>
    /// The tie-corrected standard deviation of W under the null hypothesis,
    /// σ = √((nx·ny/12)·[(nx + ny + 1) − Σ(t³ − t)/((nx + ny)(nx + ny − 1))]), whatever the method (R's <c>SIGMA</c> in
    /// <c>wilcox.test.default</c>); 0 when every value is tied.
    /// </summary>
    public double Sigma { get; init; }

    /// <summary>The continuity-corrected normal deviate (W − nx·ny/2 − sign·0.5)/σ, whatever the method (R's <c>z</c>); NaN when σ is 0.</summary>
    public double NormalZ { get; init; }

    /// <summary>Whether the pooled sample has tied values.</summary>
    public bool HasTies { get; }

    /// <summary>Non-missing observations in x.</summary>
    public int NX { get; }

    /// <summary>Non-missing observations in y.</summary>
    public int NY { get; }

    /// <summary>NaN (missing) values dropped from x.</summary>
    public int MissingX { get; }

    /// <summary>NaN (missing) values dropped from y.</summary>
    public int MissingY { get; }

    /// <summary>R's warnings, e.g. <c>ties-no-exact</c> ("cannot compute exact p-value with ties").</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"MannWhitneyResult({Method}, nx={NX}, ny={NY}, W={W:G6}, p={P:G6})");
}

/// <summary>The Wilcoxon rank-sum (Mann–Whitney U) test of two independent samples, as R's <c>wilcox.test(x, y)</c>.</summary>
public static class MannWhitney
{
    /// <summary>Largest m·n·(tail length) the exact distribution may cost before <see cref="ExactComputationLimitException"/>.</summary>
    private const long ExactBudget = 2_000_000_000;

    /// <summary>Runs the two-sided test.</summary>
    /// <param name="x">First sample; NaN values are missing and dropped (counted).</param>
    /// <param name="y">Second sample; NaN values are missing and dropped (counted).</param>
    /// <param name="method">How to compute the p-value; <see cref="MannWhitneyMethod.Auto"/> follows R.</param>
    /// <exception cref="ArgumentNullException">A sample is null.</exception>
    /// <exception cref="InsufficientDataException">A sample has no non-missing observation (R: "not enough (non-missing) 'x' observations").</exception>
    /// <exception cref="ExactComputationLimitException">Exact requested for samples so large that the distribution would take too long.</exception>
    /// <remarks>
    /// <para>
    /// Ranks are mid-ranks of the pooled sample; W = Σ rank(x_i) − nx(nx + 1)/2.
    /// Exact: the null distribution of W counts, for each w, the arrangements of nx x's and ny y's in which w (x, y)
    /// pairs have the y first: c(w; m, n) = c(w − n; m − 1, n) + c(w; m, n − 1) (R's cwilcox), total C(m + n, m).
    /// Two-sided p = min(1, 2·P(W ≥ w)) when w &gt; nx·ny/2, otherwise min(1, 2·P(W ≤ w)).
    /// </para>
    /// <para>
    /// Normal: z = (W − nx·ny/2 − sign(W − nx·ny/2)·0.5)/σ with
    /// σ² = (nx·ny/12)·[(nx + ny + 1) − Σ_k (t_k³ − t_k)/((nx + ny)(nx + ny − 1))] (t_k: sizes of the tie groups);
    /// p = 2·min(Φ(z), 1 − Φ(z)). When every value is tied σ = 0 and p is NaN (as R).
    /// </para>
    /// R: <c>wilcox.test(x, y)</c> (<c>exact = NULL, correct = TRUE</c>); <c>exact = TRUE</c> / <c>exact = FALSE</c> for the other methods.
    /// </remarks>
    public static MannWhitneyResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y, MannWhitneyMethod method = MannWhitneyMethod.Auto)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method.");
        }

        var xs = Sample.NonMissing(x, out int missingX);
        var ys = Sample.NonMissing(y, out int missingY);
        int nx = xs.Length, ny = ys.Length;
        if (nx < 1)
        {
            throw new InsufficientDataException("x", nx, 1, "Not enough (non-missing) 'x' observations: the Mann-Whitney test needs at least 1.");
        }

        if (ny < 1)
        {
            throw new InsufficientDataException("y", ny, 1, "Not enough 'y' observations: the Mann-Whitney test needs at least 1.");
        }

        var (rankSumX, tieTerm, hasTies) = Rank(xs, ys);
        double w = rankSumX - (nx * (nx + 1.0) / 2);
        bool exact = method switch
        {
            MannWhitneyMethod.Auto => nx < 50 && ny < 50,
            MannWhitneyMethod.Exact => true,
            _ => false,
        };

        var warnings = new List<AnalysisWarning>();
        double n = nx + ny;
        double sigma = Math.Sqrt((nx * (double)ny / 12) * ((n + 1) - (tieTerm / (n * (n - 1)))));
        double centred = w - (nx * (double)ny / 2);
        double z = (centred - (Math.Sign(centred) * 0.5)) / sigma;
        if (exact && !hasTies)
        {
            double p = ExactTwoSided(w, nx, ny);
            return new MannWhitneyResult(w, p, MannWhitneyMethod.Exact, null, hasTies, nx, ny, missingX, missingY, warnings) { Sigma = sigma, NormalZ = z };
        }

        if (exact)
        {
            warnings.Add(new AnalysisWarning("ties-no-exact", "Cannot compute exact p-value with ties: the normal approximation (with continuity and tie correction) is used."));
        }

        double pNormal = 2 * Math.Min(Normal.CDF(0, 1, z), Normal.CDF(0, 1, -z));
        if (double.IsNaN(pNormal))
        {
            warnings.Add(new AnalysisWarning("all-tied", "Every value is tied: the rank test is undefined (p is NaN, as R)."));
        }

        return new MannWhitneyResult(w, pNormal, MannWhitneyMethod.NormalApproximation, z, hasTies, nx, ny, missingX, missingY, warnings) { Sigma = sigma, NormalZ = z };
    }

    /// <summary>Sum of the mid-ranks of x in the pooled sample, Σ (t³ − t) over tie groups, and whether ties exist.</summary>
    private static (double RankSumX, double TieTerm, bool HasTies) Rank(double[] x, double[] y)
    {
        int n = x.Length + y.Length;
        var values = new double[n];
        var isX = new bool[n];
        x.CopyTo(values, 0);
        y.CopyTo(values, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            isX[i] = true;
        }

        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort((double[])values.Clone(), order);
        double rankSum = 0, tieTerm = 0;
        bool ties = false;
        int start = 0;
        while (start < n)
        {
            int end = start + 1;
            while (end < n && values[order[end]] == values[order[start]])
            {
                end++;
            }

            double t = end - start;
            double midRank = (start + 1 + end) / 2.0; // ranks start+1 .. end
            if (t > 1)
            {
                ties = true;
                tieTerm += (t * t * t) - t;
            }

            for (int k = start; k < end; k++)
            {
                if (isX[order[k]])
                {
                    rankSum += midRank;
                }
            }

            start = end;
        }

        return (rankSum, tieTerm, ties);
    }

    /// <summary>R's exact two-sided p-value: min(1, 2·tail), the tail on the side of w away from the centre.</summary>
    private static double ExactTwoSided(double w, int m, int n)
    {
        long mn = (long)m * n;
        long q = (long)w;
        // P(W ≥ w) = P(W ≤ mn − w) by symmetry of the null distribution.
        long lowerTailEnd = w > mn / 2.0 ? mn - q : q;
        double tail = WilcoxonDistribution.LowerTail(lowerTailEnd, m, n, ExactBudget);
        return Math.Min(2 * tail, 1);
    }
}

/// <summary>Null distribution of the Mann–Whitney statistic W for samples of sizes m and n without ties.</summary>
internal static class WilcoxonDistribution
{
    /// <summary>
    /// P(W ≤ q). Counts arrangements by the recursion c(w; a, b) = c(w − b; a − 1, b) + c(w; a, b − 1) on polynomials
    /// truncated at degree q (only additions, so counts are exact until they exceed 2⁵³ and relatively accurate after),
    /// divided by the total count C(m + n, m).
    /// </summary>
    /// <remarks>
    /// Contract: 0 ≤ m, n; cost ≈ m·n·(q + 1) additions, refused beyond <paramref name="budget"/>
    /// with <see cref="ExactComputationLimitException"/>. Returns 0 for q &lt; 0 and 1 for q ≥ m·n.
    /// </remarks>
    public static double LowerTail(long q, int m, int n, long budget)
    {
        long mn = (long)m * n;
        if (q < 0)
        {
            return 0;
        }

        if (q >= mn)
        {
            return 1;
        }

        if ((long)m * n * (q + 1) > budget)
        {
            throw new ExactComputationLimitException(
                $"The exact Mann-Whitney distribution for samples of {m} and {n} is too large to compute; use the normal approximation.");
        }

        // The null distribution of W is the same for (m, n) and (n, m): keep the smaller as n (memory (n + 1)(q + 1)).
        var counts = m >= n ? Counts(m, n, (int)q) : Counts(n, m, (int)q);
        double below = 0;
        for (int k = 0; k <= q; k++)
        {
            below += counts[k];
        }

        double total = MathNet.Numerics.SpecialFunctions.Binomial(m + n, m);
        return below / total;
    }

    /// <summary>c(w; m, n) for w = 0..maxW: number of arrangements of m x's and n y's with W = w.</summary>
    internal static double[] Counts(int m, int n, int maxW)
    {
        // Outer loop over a (x's used) with, for each b (y's used), the truncated polynomial of c(·; a, b).
        int len = maxW + 1;
        var row = new double[n + 1][];
        for (int b = 0; b <= n; b++)
        {
            row[b] = new double[len];
            row[b][0] = 1; // a = 0: only the all-y arrangement, W = 0
        }

        for (int a = 1; a <= m; a++)
        {
            // c(w; a, 0) = [w = 0]; c(w; a, b) = c(w − b; a − 1, b) + c(w; a, b − 1), computed in place over b ascending:
            // row[b] still holds (a − 1, b) when read, row[b − 1] already holds (a, b − 1).
            for (int b = 1; b <= n; b++)
            {
                var current = row[b];
                var left = row[b - 1];
                for (int w = len - 1; w >= 0; w--)
                {
                    double shifted = w >= b ? current[w - b] : 0;
                    current[w] = shifted + left[w];
                }
            }
        }

        return row[n];
    }
}
