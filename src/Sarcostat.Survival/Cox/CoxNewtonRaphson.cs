namespace Sarcostat.Survival.Cox;

/// <summary>What R's coxfit6 returns, mapped back to the original covariate scale.</summary>
internal sealed record CoxIterationResult(
    double[] Beta,
    double[] Score,
    double[] Variance,
    double LogLikNull,
    double LogLik,
    double ScoreTest,
    int Iterations,
    bool RanOut,
    double[] InitialInformation,
    int InitialRank,
    double MaxLinearPredictor);

/// <summary>
/// Newton-Raphson maximisation of the Cox partial likelihood with R's rules.
/// </summary>
/// <remarks>
/// <para>Contract: input is a prepared <see cref="ICoxLikelihoodKernel"/> (scaled covariates) and validated options. Output is
/// the state R's coxfit6 ends in, on the original scale. It never throws for statistical trouble; the caller inspects
/// the ranks, the iteration count and the score for warnings and design errors.</para>
/// <para>Rules (R: C routine coxfit6 behind <c>survival:::coxph.fit</c>): start at β = 0; the score test there is
/// U′I⁻¹U with I factored by the tolerant Cholesky (pivot &lt; toler.chol·max diag → column dropped). Each iteration
/// evaluates the likelihood at the proposed β; it has converged when everything is finite and
/// |1 − loglik_best / loglik_new| ≤ eps (even in the middle of step-halving). Otherwise a worse or non-finite likelihood
/// halves the step towards the last accepted β (the k-th consecutive time: β_new = (β_new + k·β)/(k + 1)); a better
/// one is accepted and the next Newton step I⁻¹U is taken. When the iterations run out the count is iter.max + 1; with
/// iter.max &gt; 1 the likelihood, score and information are recomputed at the last accepted β and — as in R — only the
/// reciprocal diagonal of that information is returned as the variance (R inverts the un-factored matrix).</para>
/// </remarks>
internal static class CoxNewtonRaphson
{
    public static CoxIterationResult Run(ICoxLikelihoodKernel likelihood, int p, CoxOptions options)
    {
        int maxIter = options.MaxIterations;
        double eps = options.Epsilon;
        double toler = options.TolerChol;
        var beta = new double[p];
        var newBeta = new double[p];
        var u = new double[p];
        var imat = new double[p * p];
        var scale = likelihood.Scale;

        double loglik0 = likelihood.Evaluate(beta, u, imat);
        var initialInformation = (double[])imat.Clone();
        var step = (double[])u.Clone();
        int initialRank = CoxCholesky.Decompose(imat, p, toler);
        CoxCholesky.Solve(imat, p, step);
        double scoreTest = 0;
        for (int i = 0; i < p; i++)
        {
            scoreTest += u[i] * step[i];
        }

        // A rank-deficient information at β = 0 (collinear or uninformative terms) is a design error for the caller:
        // stop here rather than iterate with the redundant columns held at zero as R does.
        if (maxIter == 0 || !double.IsFinite(loglik0) || initialRank != p)
        {
            return Finish(likelihood, beta, u, CoxCholesky.Inverse(imat, p), loglik0, loglik0, scoreTest, 0, false, initialInformation, initialRank, scale);
        }

        double best = loglik0;
        for (int i = 0; i < p; i++)
        {
            newBeta[i] = beta[i] + step[i];
        }

        int halving = 0;
        for (int iter = 1; iter <= maxIter; iter++)
        {
            double newLik = likelihood.Evaluate(newBeta, u, imat);
            CoxCholesky.Decompose(imat, p, toler);
            bool finite = double.IsFinite(newLik);
            for (int i = 0; i < p && finite; i++)
            {
                finite = double.IsFinite(u[i]);
            }

            for (int i = 0; i < p * p && finite; i++)
            {
                finite = double.IsFinite(imat[i]);
            }

            if (finite && Math.Abs(1 - (best / newLik)) <= eps)
            {
                return Finish(likelihood, newBeta, u, CoxCholesky.Inverse(imat, p), loglik0, newLik, scoreTest, iter, false, initialInformation, initialRank, scale);
            }

            if (!finite || newLik < best)
            {
                halving++;
                for (int i = 0; i < p; i++)
                {
                    newBeta[i] = (newBeta[i] + (halving * beta[i])) / (halving + 1.0);
                }
            }
            else
            {
                halving = 0;
                best = newLik;
                CoxCholesky.Solve(imat, p, u);
                for (int i = 0; i < p; i++)
                {
                    beta[i] = newBeta[i];
                    newBeta[i] += u[i];
                }
            }
        }

        // Ran out of iterations.
        double[] variance;
        if (maxIter > 1)
        {
            best = likelihood.Evaluate(beta, u, imat);

            // R inverts the freshly computed, un-factored information: the result is diag(1 / I_jj).
            variance = new double[p * p];
            for (int i = 0; i < p; i++)
            {
                double d = imat[(i * p) + i];
                variance[(i * p) + i] = d > 0 ? 1 / d : 0;
            }
        }
        else
        {
            variance = CoxCholesky.Inverse(imat, p);
        }

        return Finish(likelihood, beta, u, variance, loglik0, best, scoreTest, maxIter + 1, true, initialInformation, initialRank, scale);
    }

    private static CoxIterationResult Finish(
        ICoxLikelihoodKernel likelihood,
        double[] scaledBeta,
        double[] u,
        double[] inverse,
        double loglik0,
        double loglik,
        double scoreTest,
        int iterations,
        bool ranOut,
        double[] initialInformation,
        int initialRank,
        double[] scale)
    {
        var (beta, score, variance) = Unscale(scaledBeta, u, inverse, scale);
        double maxLp = likelihood.MaxLinearPredictor(scaledBeta);
        return new CoxIterationResult(beta, score, variance, loglik0, loglik, scoreTest, iterations, ranOut, initialInformation, initialRank, maxLp);
    }

    /// <summary>
    /// β, U and the variance of the scaled design mapped back to the covariates' own scale: β_j = β̃_j·s_j,
    /// U_j = Ũ_j / s_j, V_jk = Ṽ_jk·s_j·s_k (the centring-and-scaling of R's coxfit6/coxexact undone).
    /// </summary>
    internal static (double[] Beta, double[] Score, double[] Variance) Unscale(double[] scaledBeta, double[] u, double[] inverse, double[] scale)
    {
        int p = scale.Length;
        var beta = new double[p];
        var score = new double[p];
        var variance = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            beta[i] = scaledBeta[i] * scale[i];
            score[i] = u[i] / scale[i];
            for (int j = 0; j < p; j++)
            {
                variance[(i * p) + j] = inverse[(i * p) + j] * scale[i] * scale[j];
            }
        }

        return (beta, score, variance);
    }
}
