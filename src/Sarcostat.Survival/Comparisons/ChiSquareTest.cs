using System.Globalization;
using MathNet.Numerics;

namespace Sarcostat.Survival.Comparisons;

/// <summary>Result of Pearson's chi-squared test of independence.</summary>
public sealed class ChiSquareResult
{
    internal ChiSquareResult(double statistic, int degreesOfFreedom, double p, double[][] expected, bool correctionApplied, int n, IReadOnlyList<AnalysisWarning> warnings)
    {
        Statistic = statistic;
        DegreesOfFreedom = degreesOfFreedom;
        P = p;
        Expected = expected;
        CorrectionApplied = correctionApplied;
        N = n;
        Warnings = warnings;
    }

    /// <summary>X² (NaN when a row or column sum is zero, as R).</summary>
    public double Statistic { get; }

    /// <summary>(rows − 1)(columns − 1), rows and columns of the table as given.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Upper-tail p-value of X² on the chi-squared distribution (NaN when the statistic is NaN).</summary>
    public double P { get; }

    /// <summary>Expected counts under independence, E_ij = R_i·C_j / n, rows × columns.</summary>
    public double[][] Expected { get; }

    /// <summary>Whether Yates' continuity correction was applied (2 × 2 tables with correction requested and a non-zero correction).</summary>
    public bool CorrectionApplied { get; }

    /// <summary>Total count.</summary>
    public int N { get; }

    /// <summary>R's warnings: <c>chi-square-approximation</c> when any expected count is below 5; <c>zero-margin</c>.</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ChiSquareResult({Expected.Length}x{(Expected.Length > 0 ? Expected[0].Length : 0)}, n={N}, X2={Statistic:G6}, df={DegreesOfFreedom}, p={P:G6}{(CorrectionApplied ? ", Yates" : string.Empty)})");
}

/// <summary>Pearson's chi-squared test of independence for an r × c table, as R's <c>chisq.test</c>.</summary>
public static class ChiSquareTest
{
    /// <summary>Runs the test on a table of counts (rows × columns).</summary>
    /// <param name="table">Counts, <c>table[row][column]</c>; rectangular, at least 2 × 2, non-negative, total &gt; 0.</param>
    /// <param name="yatesCorrection">Apply Yates' continuity correction to a 2 × 2 table (R's <c>correct = TRUE</c>, the default); ignored otherwise.</param>
    /// <exception cref="ArgumentException">Null, ragged or smaller than 2 × 2 table, a negative count, or all counts zero (R: "at least one entry of 'x' must be positive").</exception>
    /// <remarks>
    /// E_ij = R_i C_j / n; X² = Σ (|x_ij − E_ij| − Y)² / E_ij with Y = min(0.5, min_ij |x_ij − E_ij|) for a 2 × 2 table when
    /// corrected, else Y = 0; df = (r − 1)(c − 1); p = P(χ²_df ≥ X²) (upper regularised incomplete gamma, no
    /// cancellation). A zero row or column sum makes an expected count 0 and X² NaN (R returns NaN and p = NA); a
    /// <c>zero-margin</c> warning says so. Any E_ij &lt; 5 adds R's warning "Chi-squared approximation may be incorrect".
    /// R: <c>chisq.test(x, correct = TRUE)</c>.
    /// </remarks>
    public static ChiSquareResult Test(int[][] table, bool yatesCorrection = true)
    {
        var (rows, columns) = ContingencyTable.Validate(table, nameof(table));
        var (rowSums, colSums, n) = ContingencyTable.Margins(table, nameof(table));
        if (n == 0)
        {
            throw new ArgumentException("At least one entry of the table must be positive.", nameof(table));
        }

        var expected = new double[rows][];
        double minDeviation = double.PositiveInfinity;
        bool small = false;
        for (int i = 0; i < rows; i++)
        {
            expected[i] = new double[columns];
            for (int j = 0; j < columns; j++)
            {
                double e = (double)rowSums[i] * colSums[j] / n;
                expected[i][j] = e;
                minDeviation = Math.Min(minDeviation, Math.Abs(table[i][j] - e));
                small |= e < 5;
            }
        }

        double yates = yatesCorrection && rows == 2 && columns == 2 ? Math.Min(0.5, minDeviation) : 0.0;
        double statistic = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double dev = Math.Abs(table[i][j] - expected[i][j]) - yates;
                statistic += dev * dev / expected[i][j];
            }
        }

        int df = (rows - 1) * (columns - 1);
        double p = double.IsNaN(statistic) ? double.NaN : SpecialFunctions.GammaUpperRegularized(df / 2.0, statistic / 2.0);
        var warnings = new List<AnalysisWarning>();
        if (rowSums.Contains(0) || colSums.Contains(0))
        {
            warnings.Add(new AnalysisWarning(
                "zero-margin",
                "A row or column of the table has no observations: expected counts of 0 make the chi-squared statistic undefined (NaN, as R); drop the empty level."));
        }

        if (small)
        {
            warnings.Add(new AnalysisWarning(
                "chi-square-approximation",
                "Chi-squared approximation may be incorrect: an expected count is below 5; prefer Fisher's exact test."));
        }

        return new ChiSquareResult(statistic, df, p, expected, yates > 0, n, warnings);
    }
}
