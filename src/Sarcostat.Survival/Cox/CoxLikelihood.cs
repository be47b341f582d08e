namespace Sarcostat.Survival.Cox;

/// <summary>
/// The Cox log partial likelihood, score vector and information matrix written as the textbook defines them, risk set
/// by risk set: the version to read when checking a number. The fits use <see cref="CoxLikelihoodKernel"/>, which
/// computes the same three quantities in O(n·p²) per evaluation; tests compare the two on seeded data.
/// </summary>
/// <remarks>
/// <para>Mathematics (Therneau &amp; Grambsch 2000, §3.3; R: C routine coxfit6 behind <c>survival:::coxph.fit</c>).
/// With risk score r_i = exp(x_i′β), for each distinct death time t of a stratum let R be the risk set (rows of the
/// stratum with time ≥ t), D the d rows that die at t. Efron's approximation splits the tied deaths into d terms
/// k = 0..d−1 in which each dying row counts with weight (1 − k/d); Breslow's counts every row of R fully in all d
/// terms. For term k: den_k = Σ_{i∈R} c_ik r_i, a_k = Σ c_ik r_i x_i, C_k = Σ c_ik r_i x_i x_i′ with c_ik that weight.
/// Then
///   loglik = Σ_deaths x_i′β − Σ_t Σ_k log den_k,
///   U      = Σ_deaths x_i   − Σ_t Σ_k a_k / den_k,
///   I      = Σ_t Σ_k [C_k / den_k − (a_k / den_k)(a_k / den_k)′].</para>
/// <para>Contract: finite inputs, times already merged by the time fix if one is wanted, covariates used as given (no
/// centring: the kernel centres and scales internally and maps back). Cost O(n·deaths·p²): for tests and small data
/// only.</para>
/// </remarks>
internal static class CoxLikelihood
{
    /// <summary>Evaluates loglik, U and I at <paramref name="beta"/>.</summary>
    /// <param name="time">Follow-up times.</param>
    /// <param name="status">Event indicators.</param>
    /// <param name="x">The design, n × p column-major (row i, column j at j·n + i).</param>
    /// <param name="p">Number of columns.</param>
    /// <param name="stratum">Stratum code per row, or null for one stratum.</param>
    /// <param name="beta">Coefficients on the scale of <paramref name="x"/>.</param>
    /// <param name="ties">Breslow or Efron.</param>
    /// <returns>The log partial likelihood, the score vector and the information matrix (p × p).</returns>
    public static (double LogLik, double[] Score, double[,] Information) Evaluate(
        double[] time, bool[] status, double[] x, int p, int[]? stratum, double[] beta, TieMethod ties)
    {
        int n = time.Length;
        double X(int i, int j) => x[((long)j * n) + i];
        int S(int i) => stratum is null ? 0 : stratum[i];

        var r = new double[n];
        var score = new double[p];
        var info = new double[p, p];
        double loglik = 0;
        for (int i = 0; i < n; i++)
        {
            double eta = 0;
            for (int j = 0; j < p; j++)
            {
                eta += beta[j] * X(i, j);
            }

            r[i] = Math.Exp(eta);
            if (status[i])
            {
                loglik += eta;
                for (int j = 0; j < p; j++)
                {
                    score[j] += X(i, j);
                }
            }
        }

        // Each distinct (stratum, death time) once.
        var seen = new HashSet<(int Stratum, double Time)>();
        var a = new double[p];
        var c = new double[p, p];
        for (int death = 0; death < n; death++)
        {
            if (!status[death] || !seen.Add((S(death), time[death])))
            {
                continue;
            }

            int s = S(death);
            double t = time[death];
            int d = 0;
            for (int i = 0; i < n; i++)
            {
                if (S(i) == s && time[i] == t && status[i])
                {
                    d++;
                }
            }

            for (int k = 0; k < d; k++)
            {
                double deadWeight = ties == TieMethod.Efron ? 1 - ((double)k / d) : 1;
                double den = 0;
                Array.Clear(a);
                Array.Clear(c);
                for (int i = 0; i < n; i++)
                {
                    if (S(i) != s || time[i] < t)
                    {
                        continue;                                   // not at risk at t
                    }

                    bool dies = time[i] == t && status[i];
                    double w = r[i] * (dies ? deadWeight : 1);
                    den += w;
                    for (int j = 0; j < p; j++)
                    {
                        a[j] += w * X(i, j);
                        for (int q = 0; q < p; q++)
                        {
                            c[j, q] += w * X(i, j) * X(i, q);
                        }
                    }
                }

                loglik -= Math.Log(den);
                for (int j = 0; j < p; j++)
                {
                    score[j] -= a[j] / den;
                    for (int q = 0; q < p; q++)
                    {
                        info[j, q] += (c[j, q] / den) - (a[j] / den * (a[q] / den));
                    }
                }
            }
        }

        return (loglik, score, info);
    }
}
