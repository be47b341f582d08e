namespace Sarcostat.Survival.RankTests;

/// <summary>The quadratic form bᵀ V⁻ b through a Cholesky (LDLᵀ) decomposition that skips singular pivots.</summary>
/// <remarks>
/// R: <c>survival:::coxph.wtest</c> (its <c>cholesky2</c>/<c>chsolve2</c>). For a nonsingular V this equals
/// <c>sum(solve(V, b) * b)</c>, which is what <c>survdiff</c> computes. A pivot below
/// <c>tolerance · max|V_ii|</c> is treated as zero: its row and column are dropped (a generalised inverse) and the
/// rank counts the pivots kept.
/// </remarks>
internal static class GeneralizedInverse
{
    /// <summary>R's <c>toler.chol</c> default in <c>coxph.wtest</c>.</summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>
    /// Contract: <paramref name="v"/> is symmetric positive semi-definite, m × m, and not modified;
    /// <paramref name="b"/> has m entries. Returns bᵀ V⁻ b and the rank of V (number of pivots kept).
    /// </summary>
    public static double QuadraticForm(double[][] v, double[] b, out int rank, double tolerance = DefaultTolerance)
    {
        int m = b.Length;
        var a = new double[m][];
        double eps = 0;
        for (int i = 0; i < m; i++)
        {
            a[i] = (double[])v[i].Clone();
            eps = Math.Max(eps, Math.Abs(a[i][i]));
        }

        eps *= tolerance;

        // LDLᵀ in the lower triangle: a[i][i] = D_i (0 when dropped), a[j][i] = L_ji for j > i.
        rank = 0;
        for (int i = 0; i < m; i++)
        {
            double pivot = a[i][i];
            if (!double.IsFinite(pivot) || pivot <= eps)
            {
                a[i][i] = 0;
                for (int j = i + 1; j < m; j++)
                {
                    a[j][i] = 0;
                }

                continue;
            }

            rank++;
            for (int j = i + 1; j < m; j++)
            {
                double l = a[j][i] / pivot;
                a[j][i] = l;
                a[j][j] -= l * l * pivot;
                for (int r = j + 1; r < m; r++)
                {
                    a[r][j] -= l * a[r][i];
                }
            }
        }

        // Solve L D Lᵀ x = b, with x_i = 0 for dropped pivots.
        var x = (double[])b.Clone();
        for (int i = 0; i < m; i++)
        {
            double s = x[i];
            for (int j = 0; j < i; j++)
            {
                s -= a[i][j] * x[j];
            }

            x[i] = s;
        }

        for (int i = 0; i < m; i++)
        {
            x[i] = a[i][i] == 0 ? 0 : x[i] / a[i][i];
        }

        for (int i = m - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int j = i + 1; j < m; j++)
            {
                s -= a[j][i] * x[j];
            }

            x[i] = s;
        }

        double q = 0;
        for (int i = 0; i < m; i++)
        {
            q += x[i] * b[i];
        }

        return q;
    }
}
