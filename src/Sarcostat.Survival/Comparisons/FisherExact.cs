using System.Globalization;
using MathNet.Numerics;

namespace Sarcostat.Survival.Comparisons;

/// <summary>Result of Fisher's exact test on an r × c table.</summary>
public sealed class FisherExactResult
{
    internal FisherExactResult(double p, int rows, int columns, int n, double? oddsRatio, double? lower, double? upper, double confidenceLevel)
    {
        P = p;
        Rows = rows;
        Columns = columns;
        N = n;
        OddsRatio = oddsRatio;
        Lower = lower;
        Upper = upper;
        ConfidenceLevel = confidenceLevel;
    }

    /// <summary>Two-sided p-value.</summary>
    public double P { get; }

    /// <summary>Number of rows of the table as given.</summary>
    public int Rows { get; }

    /// <summary>Number of columns of the table as given.</summary>
    public int Columns { get; }

    /// <summary>Total count.</summary>
    public int N { get; }

    /// <summary>
    /// 2 × 2 only: conditional maximum-likelihood estimate of the odds ratio (x11·x22)/(x12·x21) (R's
    /// <c>estimate</c>); 0 or +∞ at the edges of the support; null for larger tables.
    /// </summary>
    public double? OddsRatio { get; }

    /// <summary>2 × 2 only: lower limit of the exact conditional confidence interval of the odds ratio (may be 0).</summary>
    public double? Lower { get; }

    /// <summary>2 × 2 only: upper limit of the exact conditional confidence interval (may be +∞).</summary>
    public double? Upper { get; }

    /// <summary>Confidence level of <see cref="Lower"/>–<see cref="Upper"/>.</summary>
    public double ConfidenceLevel { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"FisherExactResult({Rows}x{Columns}, n={N}, p={P:G6}{(OddsRatio is { } or ? $", OR={or:G6} [{Lower:G6}, {Upper:G6}]" : string.Empty)})");
}

/// <summary>Fisher's exact test of independence in an r × c table of counts, as R's <c>fisher.test</c>.</summary>
public static class FisherExact
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Runs Fisher's exact test (two-sided) on a table of counts, rows × columns.
    /// </summary>
    /// <param name="table">Counts, <c>table[row][column]</c>; rectangular, at least 2 × 2, non-negative.</param>
    /// <param name="confidenceLevel">Level of the odds-ratio interval (2 × 2 only), in (0, 1).</param>
    /// <returns>The p-value, and for a 2 × 2 table the conditional MLE odds ratio and its exact interval.</returns>
    /// <exception cref="ArgumentException">The table is null, ragged, smaller than 2 × 2, or has a negative count.</exception>
    /// <exception cref="ExactComputationLimitException">An r × c table too large for exact enumeration (see remarks).</exception>
    /// <remarks>
    /// <para>
    /// Under independence with all margins fixed a table has hypergeometric probability
    /// P(x) = Π R_i! Π C_j! / (n! Π x_ij!). The two-sided p-value sums P over the tables at most as probable as the
    /// observed one. 2 × 2: as R, over the support lo..hi of x11 (lo = max(0, k − n2), hi = min(k, n1), n1 and n2 the
    /// column sums, k the first row sum) the tables with P ≤ P(observed)·(1 + 10⁻⁷). Larger tables: exact network
    /// enumeration (FEXACT's rule P ≤ P(observed)·e^τ, τ = 3.45254·10⁻⁷); rows or columns with a zero sum do not
    /// change the p-value. The enumeration is exact but bounded: tables needing more than 4·10⁸ steps (e.g. 5 × 5 with
    /// n in the several hundreds) raise <see cref="ExactComputationLimitException"/>. R needs an enlarged
    /// <c>workspace</c> for such tables too.
    /// </para>
    /// <para>
    /// 2 × 2 odds ratio: the conditional MLE, i.e. the ψ solving E_ψ[X11] = x11 under the noncentral hypergeometric
    /// distribution P_ψ(X11 = t) ∝ C(n1, t) C(n2, k − t) ψ^t; 0 when x11 = lo and +∞ when x11 = hi. Confidence limits:
    /// the ψ with P_ψ(X11 ≥ x11) = α/2 (lower; 0 when x11 = lo) and P_ψ(X11 ≤ x11) = α/2 (upper; +∞ when x11 = hi).
    /// Roots are found with R's <c>uniroot</c> algorithm and tolerance (2⁻¹³) on ψ in (0, 1] or on 1/ψ, exactly as R
    /// does, so the estimate and limits agree with R's printed values rather than with the exact roots (which may
    /// differ in the 4th–5th significant digit). A table with a zero row or column sum gives p = 1, OR = 0, CI [0, ∞) (as R).
    /// </para>
    /// R: <c>fisher.test(x, conf.level = 0.95)</c> (two-sided).
    /// </remarks>
    public static FisherExactResult Test(int[][] table, double confidenceLevel = 0.95)
    {
        var (rows, columns) = ContingencyTable.Validate(table, nameof(table));
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie in (0, 1).");
        }

        var (_, _, n) = ContingencyTable.Margins(table, nameof(table));
        if (rows == 2 && columns == 2)
        {
            return TwoByTwo(table, n, confidenceLevel);
        }

        double p = FisherNetwork.PValue(table);
        return new FisherExactResult(p, rows, columns, n, null, null, null, confidenceLevel);
    }

    private static FisherExactResult TwoByTwo(int[][] table, int total, double confidenceLevel)
    {
        var h = new NoncentralHypergeometric(
            x: table[0][0],
            m: table[0][0] + table[1][0],
            n: table[0][1] + table[1][1],
            k: table[0][0] + table[0][1]);

        // Two-sided p-value at ψ = 1: tables as or less probable than observed, relative tolerance 1e-7 (as R).
        var d = h.Density(1.0);
        double observed = d[h.X - h.Lo] * (1 + 1e-7);
        double p = 0;
        foreach (var di in d)
        {
            if (di <= observed)
            {
                p += di;
            }
        }

        double estimate = h.ConditionalMle();
        double alpha = (1 - confidenceLevel) / 2;
        double lower = h.LowerLimit(alpha);
        double upper = h.UpperLimit(alpha);
        return new FisherExactResult(p, 2, 2, total, estimate, lower, upper, confidenceLevel);
    }

    /// <summary>
    /// The noncentral hypergeometric distribution of X11 given the margins, with R's <c>fisher.test</c> helpers
    /// (dnhyper, mnhyper, pnhyper) and root finding.
    /// </summary>
    private sealed class NoncentralHypergeometric
    {
        private readonly double[] _logCentral; // log P_1(X11 = t), t = lo..hi

        public NoncentralHypergeometric(int x, int m, int n, int k)
        {
            X = x;
            Lo = Math.Max(0, k - n);
            Hi = Math.Min(k, m);
            _logCentral = new double[Hi - Lo + 1];
            double logTotal = SpecialFunctions.BinomialLn(m + n, k);
            for (int t = Lo; t <= Hi; t++)
            {
                _logCentral[t - Lo] = SpecialFunctions.BinomialLn(m, t) + SpecialFunctions.BinomialLn(n, k - t) - logTotal;
            }
        }

        public int X { get; }

        public int Lo { get; }

        public int Hi { get; }

        /// <summary>P_ψ(X11 = t), t = lo..hi (R's dnhyper).</summary>
        public double[] Density(double psi)
        {
            var d = new double[_logCentral.Length];
            double logPsi = Math.Log(psi);
            double max = double.NegativeInfinity;
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = _logCentral[i] + (logPsi * (Lo + i));
                max = Math.Max(max, d[i]);
            }

            double sum = 0;
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = Math.Exp(d[i] - max);
                sum += d[i];
            }

            for (int i = 0; i < d.Length; i++)
            {
                d[i] /= sum;
            }

            return d;
        }

        /// <summary>E_ψ[X11] (R's mnhyper).</summary>
        public double Mean(double psi)
        {
            if (psi == 0)
            {
                return Lo;
            }

            if (double.IsPositiveInfinity(psi))
            {
                return Hi;
            }

            var d = Density(psi);
            double mean = 0;
            for (int i = 0; i < d.Length; i++)
            {
                mean += (Lo + i) * d[i];
            }

            return mean;
        }

        /// <summary>P_ψ(X11 ≤ q) or, for the upper tail, P_ψ(X11 ≥ q) (R's pnhyper).</summary>
        public double Tail(int q, double psi, bool upper)
        {
            if (psi == 0)
            {
                return upper ? (q <= Lo ? 1 : 0) : (q >= Lo ? 1 : 0);
            }

            if (double.IsPositiveInfinity(psi))
            {
                return upper ? (q <= Hi ? 1 : 0) : (q >= Hi ? 1 : 0);
            }

            var d = Density(psi);
            double sum = 0;
            for (int i = 0; i < d.Length; i++)
            {
                int t = Lo + i;
                if (upper ? t >= q : t <= q)
                {
                    sum += d[i];
                }
            }

            return sum;
        }

        /// <summary>R's <c>mle(x)</c> inside fisher.test.</summary>
        public double ConditionalMle()
        {
            if (X == Lo)
            {
                return 0;
            }

            if (X == Hi)
            {
                return double.PositiveInfinity;
            }

            double mu = Mean(1);
            if (mu > X)
            {
                return RootFinder.Uniroot(t => Mean(t) - X, 0, 1);
            }

            if (mu < X)
            {
                return 1 / RootFinder.Uniroot(t => Mean(1 / t) - X, MachineEpsilon, 1);
            }

            return 1;
        }

        /// <summary>R's <c>ncp.U(x, alpha)</c>: the ψ with P_ψ(X11 ≤ x) = α.</summary>
        public double UpperLimit(double alpha)
        {
            if (X == Hi)
            {
                return double.PositiveInfinity;
            }

            double p = Tail(X, 1, upper: false);
            if (p < alpha)
            {
                return RootFinder.Uniroot(t => Tail(X, t, upper: false) - alpha, 0, 1);
            }

            if (p > alpha)
            {
                return 1 / RootFinder.Uniroot(t => Tail(X, 1 / t, upper: false) - alpha, MachineEpsilon, 1);
            }

            return 1;
        }

        /// <summary>R's <c>ncp.L(x, alpha)</c>: the ψ with P_ψ(X11 ≥ x) = α.</summary>
        public double LowerLimit(double alpha)
        {
            if (X == Lo)
            {
                return 0;
            }

            double p = Tail(X, 1, upper: true);
            if (p > alpha)
            {
                return RootFinder.Uniroot(t => Tail(X, t, upper: true) - alpha, 0, 1);
            }

            if (p < alpha)
            {
                return 1 / RootFinder.Uniroot(t => Tail(X, 1 / t, upper: true) - alpha, MachineEpsilon, 1);
            }

            return 1;
        }
    }
}
