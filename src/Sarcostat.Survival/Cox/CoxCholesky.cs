namespace Sarcostat.Survival.Cox;

/// <summary>
/// Cholesky decomposition with a pivot tolerance, for symmetric non-negative definite matrices, with R survival's
/// semantics: a column whose pivot falls below <c>toler × max(diagonal)</c> is declared redundant, its pivot set to 0,
/// and solves and inverses treat it as absent (zero solution, zero row and column in the inverse).
/// </summary>
/// <remarks>
/// Decomposition A = F·D·F′ with F unit lower triangular and D diagonal, stored in place: D on the diagonal, F below it.
/// R: survival's C routines cholesky2, chsolve2 and chinv2 (written here from the algebra, not copied).
/// Matrices are small (p × p, p the number of terms) and stored row-major in a flat array.
/// </remarks>
internal static class CoxCholesky
{
    /// <summary>
    /// Factors the symmetric matrix <paramref name="a"/> (n × n, row-major; only the upper triangle and diagonal are read)
    /// in place. Returns the rank, negated when a pivot is clearly negative (the matrix is not non-negative definite),
    /// or 0 when no diagonal element is positive.
    /// </summary>
    public static int Decompose(Span<double> a, int n, double toler)
    {
        double largest = 0;
        for (int i = 0; i < n; i++)
        {
            if (a[(i * n) + i] > largest)
            {
                largest = a[(i * n) + i];
            }

            for (int j = i + 1; j < n; j++)
            {
                a[(j * n) + i] = a[(i * n) + j]; // work in the lower triangle
            }
        }

        if (largest == 0)
        {
            return 0;
        }

        double threshold = largest * toler;
        int rank = 0;
        int sign = 1;
        for (int i = 0; i < n; i++)
        {
            double pivot = a[(i * n) + i];
            if (double.IsNaN(pivot) || double.IsInfinity(pivot) || pivot < threshold)
            {
                a[(i * n) + i] = 0;
                if (pivot < -8 * threshold)
                {
                    sign = -1;
                }

                for (int j = i + 1; j < n; j++)
                {
                    a[(j * n) + i] = 0; // a redundant column takes no part in the factor
                }

                continue;
            }

            rank++;
            for (int j = i + 1; j < n; j++)
            {
                double f = a[(j * n) + i] / pivot;
                a[(j * n) + i] = f;
                a[(j * n) + j] -= f * f * pivot;
                for (int k = j + 1; k < n; k++)
                {
                    a[(k * n) + j] -= f * a[(k * n) + i];
                }
            }
        }

        return rank * sign;
    }

    /// <summary>Solves A·x = y in place given the factor from <see cref="Decompose"/>; redundant columns get x = 0.</summary>
    public static void Solve(ReadOnlySpan<double> f, int n, Span<double> y)
    {
        // F·z = y (forward), then D·F′·x = z (backward).
        for (int i = 0; i < n; i++)
        {
            double t = y[i];
            for (int j = 0; j < i; j++)
            {
                t -= y[j] * f[(i * n) + j];
            }

            y[i] = t;
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double d = f[(i * n) + i];
            if (d == 0)
            {
                y[i] = 0;
                continue;
            }

            double t = y[i] / d;
            for (int j = i + 1; j < n; j++)
            {
                t -= y[j] * f[(j * n) + i];
            }

            y[i] = t;
        }
    }

    /// <summary>
    /// Returns the inverse (n × n, row-major, symmetric) of the matrix factored by <see cref="Decompose"/>; rows and columns
    /// of redundant columns are zero (a generalised inverse, as R's chinv2).
    /// </summary>
    public static double[] Inverse(ReadOnlySpan<double> factor, int n)
    {
        // Invert F (unit lower triangular) column by column: G = F⁻¹, also unit lower triangular.
        var g = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            g[(i * n) + i] = 1;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double t = 0;
                for (int k = i; k < j; k++)
                {
                    t -= factor[(j * n) + k] * g[(k * n) + i];
                }

                g[(j * n) + i] = t;
            }
        }

        // A⁻ = G′·D⁻·G with D⁻ the reciprocal of the non-zero pivots (0 for redundant ones).
        var dinv = new double[n];
        for (int k = 0; k < n; k++)
        {
            double d = factor[(k * n) + k];
            dinv[k] = d > 0 ? 1 / d : 0;
        }

        var inv = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            if (dinv[i] == 0)
            {
                continue;
            }

            for (int j = i; j < n; j++)
            {
                if (dinv[j] == 0)
                {
                    continue;
                }

                double t = 0;
                for (int k = j; k < n; k++)
                {
                    t += g[(k * n) + i] * dinv[k] * g[(k * n) + j];
                }

                inv[(i * n) + j] = t;
                inv[(j * n) + i] = t;
            }
        }

        return inv;
    }
}
