using MathNet.Numerics.LinearAlgebra;

namespace Sarcostat.Survival.CompetingRisks;

/// <summary>
/// Gray's (1988) k-sample test for cumulative incidence functions, with the score and variance of cmprsk's Fortran
/// routines <c>crstm</c>/<c>crst</c> (R: <c>cuminc(...)$Tests</c>).
/// </summary>
/// <remarks>
/// Within a stratum, at each distinct time, per group r with R_r at risk, S_r(t−) its all-cause Kaplan-Meier and
/// F_r(t−) its cumulative incidence of the cause: the weighted risk set ĥ_r = R_r/S_r(t−), R̃_r = R_r(1 − F_r(t−))/S_r(t−),
/// the pooled subdistribution hazard jump d₁/Σĥ and F(t) = F(t−) + d₁/Σĥ. The score of group r is
/// Σ_t (1 − F(t−))^ρ [d₁ᵣ − d₁·R̃_r/ΣR̃] (Gray 1988, eq. 2.3 with the weight of sec. 2); its variance is the
/// martingale-based estimator of Gray's sec. 2 (the sums v₃, v₂ and the running matrix c of crst). Scores and variances
/// of the first k − 1 groups are summed over strata; the statistic is s′V⁻¹s on k − 1 df.
/// </remarks>
internal static class GrayTestComputation
{
    /// <summary>
    /// Contract: <paramref name="t"/> ascending; kind 0 censored, 1 the cause, 2 another cause; groups 0..ng−1 (ng ≥ 2);
    /// strata 0..nst−1.
    /// </summary>
    public static GrayTest Test(double[] t, int[] kind, int[] group, int[] stratum, int ng, int nst, double rho, string cause, bool stratified)
    {
        int ng1 = ng - 1;
        var score = new double[ng1];
        var v = new double[ng1, ng1];
        for (int st = 0; st < nst; st++)
        {
            var idx = new List<int>();
            for (int k = 0; k < t.Length; k++)
            {
                if (stratum[k] == st)
                {
                    idx.Add(k);
                }
            }

            if (idx.Count > 0)
            {
                Stratum(t, kind, group, idx, ng, rho, score, v);
            }
        }

        var vm = Matrix<double>.Build.Dense(ng1, ng1, (i, j) => i >= j ? v[i, j] : v[j, i]);
        var sv = Vector<double>.Build.DenseOfArray(score);
        double stat = double.NaN;

        // R: stat = s' solve(V) s when qr(V) has full rank (tolerance 1e-7), else -1.
        if (FullRank(vm))
        {
            stat = sv * vm.Solve(sv);
        }

        // R reports 1 - pchisq(stat, df), which is 0 below 1e-16; the upper tail itself keeps small p-values.
        double p = double.IsNaN(stat) ? double.NaN : UpperTail(stat, ng1);
        return new GrayTest(cause, stat, ng1, p, stratified);
    }

    /// <summary>P(χ²(df) ≥ x) without cancellation in the far tail (R <c>1 - pchisq</c> agrees to its precision).</summary>
    private static double UpperTail(double x, int df) => MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(df / 2.0, x / 2);

    /// <summary>Full rank in the sense of R's <c>qr</c> (LINPACK dqrdc2, tolerance 1e-7 on the column norms).</summary>
    private static bool FullRank(Matrix<double> m)
    {
        var qr = m.QR();
        double max = 0;
        for (int j = 0; j < m.ColumnCount; j++)
        {
            max = Math.Max(max, m.Column(j).L2Norm());
        }

        for (int j = 0; j < m.ColumnCount; j++)
        {
            if (!(Math.Abs(qr.R[j, j]) > 1e-7 * max))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One stratum's contribution (crst), added to <paramref name="s"/> and the lower triangle of <paramref name="v"/>.</summary>
    private static void Stratum(double[] t, int[] kind, int[] group, List<int> idx, int ng, double rho, double[] s, double[,] v)
    {
        int ng1 = ng - 1;
        int n = idx.Count;
        var rs = new int[ng];
        foreach (int k in idx)
        {
            rs[group[k]]++;
        }

        var f1m = new double[ng];
        var f1 = new double[ng];
        var skmm = new double[ng];
        var skm = new double[ng];
        var v3 = new double[ng];
        var v2 = new double[ng1, ng];
        var c = new double[ng, ng];
        var a = new double[ng, ng];
        var vs = new double[ng1, ng1];
        var ss = new double[ng1];
        Array.Fill(skmm, 1.0);
        Array.Fill(skm, 1.0);
        double fm = 0, f = 0;
        var d = new int[3, ng];
        int lo = 0;
        while (lo < n)
        {
            double time = t[idx[lo]];
            int hi = lo;
            while (hi < n && t[idx[hi]] == time)
            {
                hi++;
            }

            Array.Clear(d);
            for (int k = lo; k < hi; k++)
            {
                d[kind[idx[k]], group[idx[k]]]++;
            }

            int nd1 = 0, nd2 = 0;
            for (int r = 0; r < ng; r++)
            {
                nd1 += d[1, r];
                nd2 += d[2, r];
            }

            if (nd1 > 0 || nd2 > 0)
            {
                double tr = 0, tq = 0;
                for (int r = 0; r < ng; r++)
                {
                    if (rs[r] <= 0)
                    {
                        continue;
                    }

                    int td = d[1, r] + d[2, r];
                    skm[r] = skmm[r] * (rs[r] - td) / rs[r];
                    f1[r] = f1m[r] + (skmm[r] * d[1, r] / rs[r]);
                    tr += rs[r] / skmm[r];
                    tq += rs[r] * (1 - f1m[r]) / skmm[r];
                }

                f = fm + (nd1 / tr);
                double fb = Math.Pow(1 - fm, rho);
                for (int i = 0; i < ng; i++)
                {
                    for (int j = i; j < ng; j++)
                    {
                        a[i, j] = 0;
                    }

                    if (rs[i] <= 0)
                    {
                        continue;
                    }

                    double t1 = rs[i] / skmm[i];
                    a[i, i] = fb * t1 * (1 - (t1 / tr));
                    if (a[i, i] != 0)
                    {
                        c[i, i] += a[i, i] * nd1 / (tr * (1 - fm));
                    }

                    for (int j = i + 1; j < ng; j++)
                    {
                        if (rs[j] <= 0)
                        {
                            continue;
                        }

                        a[i, j] = -fb * t1 * rs[j] / (skmm[j] * tr);
                        if (a[i, j] != 0)
                        {
                            c[i, j] += a[i, j] * nd1 / (tr * (1 - fm));
                        }
                    }
                }

                for (int i = 1; i < ng; i++)
                {
                    for (int j = 0; j < i; j++)
                    {
                        a[i, j] = a[j, i];
                        c[i, j] = c[j, i];
                    }
                }

                for (int i = 0; i < ng1; i++)
                {
                    if (rs[i] > 0)
                    {
                        ss[i] += fb * (d[1, i] - (nd1 * rs[i] * (1 - f1m[i]) / (skmm[i] * tq)));
                    }
                }

                if (nd1 > 0)
                {
                    for (int k = 0; k < ng; k++)
                    {
                        if (rs[k] <= 0)
                        {
                            continue;
                        }

                        double t4 = skm[k] > 0 ? 1 - ((1 - f) / skm[k]) : 1;
                        double t5 = nd1 > 1 ? 1 - ((nd1 - 1) / ((tr * skmm[k]) - 1)) : 1;
                        double t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
                        v3[k] += t4 * t4 * t3;
                        for (int i = 0; i < ng1; i++)
                        {
                            double t1 = a[i, k] - (t4 * c[i, k]);
                            v2[i, k] += t1 * t4 * t3;
                            for (int j = 0; j <= i; j++)
                            {
                                double t2 = a[j, k] - (t4 * c[j, k]);
                                vs[i, j] += t1 * t2 * t3;
                            }
                        }
                    }
                }

                if (nd2 > 0)
                {
                    for (int k = 0; k < ng; k++)
                    {
                        if (skm[k] <= 0 || d[2, k] <= 0)
                        {
                            continue;
                        }

                        double t4 = (1 - f) / skm[k];
                        double t5 = d[2, k] > 1 ? 1 - ((d[2, k] - 1.0) / (rs[k] - 1.0)) : 1;
                        double t6 = rs[k];
                        double t3 = t5 * (skmm[k] * skmm[k] * d[2, k]) / (t6 * t6);
                        v3[k] += t4 * t4 * t3;
                        for (int i = 0; i < ng1; i++)
                        {
                            double t1 = t4 * c[i, k];
                            v2[i, k] -= t1 * t4 * t3;
                            for (int j = 0; j <= i; j++)
                            {
                                double t2 = t4 * c[j, k];
                                vs[i, j] += t1 * t2 * t3;
                            }
                        }
                    }
                }
            }

            if (hi >= n)
            {
                break;
            }

            for (int k = lo; k < hi; k++)
            {
                rs[group[idx[k]]]--;
            }

            fm = f;
            Array.Copy(f1, f1m, ng);
            Array.Copy(skm, skmm, ng);
            lo = hi;
        }

        for (int i = 0; i < ng1; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                for (int k = 0; k < ng; k++)
                {
                    vs[i, j] += c[i, k] * c[j, k] * v3[k];
                    vs[i, j] += c[i, k] * v2[j, k];
                    vs[i, j] += c[j, k] * v2[i, k];
                }

                v[i, j] += vs[i, j];
            }

            s[i] += ss[i];
        }
    }
}
