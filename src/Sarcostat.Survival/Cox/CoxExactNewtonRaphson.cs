namespace Sarcostat.Survival.Cox;

/// <summary>
/// Newton-Raphson maximisation of the exact partial likelihood (<see cref="CoxExactLikelihood"/>) with the rules of
/// R's C routine coxexact, which differ from coxfit6's (<see cref="CoxNewtonRaphson"/>), so the iteration counts agree
/// with R.
/// </summary>
/// <remarks>
/// <para>Rules (R: coxexact behind <c>survival:::coxexact.fit</c>): start at β = 0; score test U′I⁻¹U there with the
/// tolerant Cholesky. Each iteration evaluates the likelihood at the proposed β; it has converged when everything is
/// finite, no step halving is under way and |1 − loglik_best / loglik_new| ≤ eps. On the last allowed iteration it
/// stops without a further step. Otherwise a worse or non-finite likelihood halves the step (β = (β_old + β)/2); a
/// better one is accepted and the Newton step I⁻¹U taken. When the iterations run out the count is iter.max (not
/// iter.max + 1 as coxfit6); with iter.max &gt; 1 the likelihood, score and information are recomputed at the last
/// accepted β and the variance is diag(1/I_jj) (R inverts the un-factored matrix); with iter.max = 1 the values at the
/// proposed β stand.</para>
/// <para>Output: the same <see cref="CoxIterationResult"/> as the coxfit6 driver, on the original scale.</para>
/// </remarks>
internal static class CoxExactNewtonRaphson
{
    public static CoxIterationResult Run(CoxExactLikelihood likelihood, int p, CoxOptions options)
    {
        int maxIter = options.MaxIterations;
        double eps = options.Epsilon;
        double toler = options.TolerChol;
        var beta = new double[p];
        var oldBeta = new double[p];
        var u = new double[p];
        var imat = new double[p * p];

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

        // A rank-deficient information at β = 0 is a design error for the caller (as in CoxNewtonRaphson).
        if (maxIter == 0 || !double.IsFinite(loglik0) || initialRank != p)
        {
            return Finish(likelihood, beta, u, CoxCholesky.Inverse(imat, p), loglik0, loglik0, scoreTest, 0, false, initialInformation, initialRank);
        }

        double best = loglik0;
        for (int i = 0; i < p; i++)
        {
            oldBeta[i] = beta[i];
            beta[i] += step[i];
        }

        bool halving = false;
        double newLik = loglik0;
        for (int iter = 1; iter <= maxIter; iter++)
        {
            newLik = likelihood.Evaluate(beta, u, imat);
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

            if (finite && !halving && Math.Abs(1 - (best / newLik)) <= eps)
            {
                return Finish(likelihood, beta, u, CoxCholesky.Inverse(imat, p), loglik0, newLik, scoreTest, iter, false, initialInformation, initialRank);
            }

            if (iter == maxIter)
            {
                break;
            }

            if (!finite || newLik < best)
            {
                halving = true;
                for (int i = 0; i < p; i++)
                {
                    beta[i] = (oldBeta[i] + beta[i]) / 2;
                }
            }
            else
            {
                halving = false;
                best = newLik;
                CoxCholesky.Solve(imat, p, u);
                for (int i = 0; i < p; i++)
                {
                    oldBeta[i] = beta[i];
                    beta[i] += u[i];
                }
            }
        }

        // Ran out of iterations.
        double[] variance;
        if (maxIter > 1)
        {
            Array.Copy(oldBeta, beta, p);
            newLik = likelihood.Evaluate(beta, u, imat);

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

        return Finish(likelihood, beta, u, variance, loglik0, newLik, scoreTest, maxIter, true, initialInformation, initialRank);
    }

    private static CoxIterationResult Finish(
        CoxExactLikelihood likelihood,
        double[] scaledBeta,
        double[] u,
        double[] inverse,
        double loglik0,
        double loglik,
        double scoreTest,
        int iterations,
        bool ranOut,
        double[] initialInformation,
        int initialRank)
    {
        var scale = likelihood.Scale;
        var (beta, score, variance) = CoxNewtonRaphson.Unscale(scaledBeta, u, inverse, scale);
        double maxLp = likelihood.MaxLinearPredictor(scaledBeta);
        return new CoxIterationResult(beta, score, variance, loglik0, loglik, scoreTest, iterations, ranOut, initialInformation, initialRank, maxLp);
    }
}
