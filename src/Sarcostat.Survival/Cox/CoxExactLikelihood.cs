using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The exact Cox partial likelihood for tied event times (R <c>coxph(ties = "exact")</c>, the conditional logistic
/// likelihood), its score vector and information matrix, for right-censored data with strata.
/// </summary>
/// <remarks>
/// <para>Mathematics. Let r_i = exp(η_i), η_i = x_i′β. At a death time with d deaths D and risk set R (n rows), the
/// contribution to the log likelihood is Σ_D η_i − log B, with B = Σ over the size-d subsets S of R of Π_{i∈S} r_i
/// (the elementary symmetric polynomial e_d of the r's). Gail, Lubin &amp; Rubinstein (1981): over the risk-set members
/// in any order, B(j, k) = B(j, k−1) + r_k·B(j−1, k−1), B(0, k) = 1, B(j, k) = 0 for j &gt; k. Differentiating
/// (∂r_k/∂β_a = r_k x_ka) gives the recursions of the first and second derivatives B_a and B_ab:
///   B_a(j, k) = B_a(j, k−1) + r_k [x_ka B(j−1, k−1) + B_a(j−1, k−1)],
///   B_ab(j, k) = B_ab(j, k−1) + r_k [x_ka x_kb B(j−1, k−1) + x_ka B_b(j−1, k−1) + x_kb B_a(j−1, k−1) + B_ab(j−1, k−1)].
/// The score is Σ_D x_i − B_a/B and the information Σ_t [B_ab/B − (B_a/B)(B_b/B)].</para>
/// <para>Scaling. The code carries A(j, k) = B(j, k) / (C(k, j)·c^j) (and likewise the derivatives), the average over
/// the j-subsets of the first k rows of the product of r/c, so the recursion becomes the convex combination
/// A(j, k) = ((k−j)/k)·A(j, k−1) + (j/k)·(r_k/c)·A(j−1, k−1). c is the mean of r over the current risk set: the
/// arrays are rescaled by (c_old/c_new)^j whenever a death time enlarges the risk set, so by Maclaurin's inequality
/// A(j, k) ≤ 1 and B never overflows (R's coxexact does not scale and overflows first). Then
/// log B = log A(d, n) + log C(n, d) + d·log c. Only the lower end is open: when the deaths at one time far
/// outnumber the rows of high risk and β is extreme, A(d, n) can underflow to 0; the likelihood is then non-finite and
/// the Newton-Raphson driver halves the step, as R does on its (earlier) overflow.</para>
/// <para>Cost. Rows are visited once per evaluation, from the largest time down in each stratum (risk sets are nested,
/// so one pass serves every death time, as R's memoised coxd0/coxd1/coxd2); each row updates (d_max + 1)(1 + p +
/// p(p+1)/2) numbers, d_max the most deaths at a later death time of its stratum. The cost per evaluation is at most
/// Σ_strata n_s·d_max,s·(1 + p + p(p+1)/2); a design beyond <see cref="Budget"/> is refused with
/// <see cref="ExactComputationLimitException"/> before any work.</para>
/// <para>Centring and scaling are R's coxexact.fit: every column is centred on its mean and divided by its standard
/// deviation (<c>scale(x)</c>), except columns whose values all lie in {−1, 0, 1}, left alone (<c>nocenter</c>).
/// Near-tied times are merged first as R's <c>aeqSurv</c> (timefix).</para>
/// <para>R: survival's C routine coxexact behind <c>survival:::coxexact.fit</c> (same likelihood, different but
/// exact-in-arithmetic summation).</para>
/// </remarks>
internal sealed class CoxExactLikelihood
{
    /// <summary>Largest work per evaluation (multiply-adds: Σ_strata rows × most tied deaths × (1 + p + p(p+1)/2)).</summary>
    public const long Budget = 400_000_000;

    private readonly int _n;
    private readonly int _p;
    private readonly int _m;             // numbers per j: 1 + p + p(p+1)/2
    private readonly double[] _x;        // row-major n × p, sorted by stratum then time descending, centred and scaled
    private readonly int[] _stratumStart; // rows of stratum s: [_stratumStart[s], _stratumStart[s+1])
    private readonly int[] _groupEnd;    // a time group: rows [previous end, end) within its stratum, one entry per distinct time
    private readonly int[] _groupDeaths; // deaths in the group
    private readonly int[] _groupStratum;
    private readonly int[] _groupJMax;   // most deaths at this or a later group of the stratum (pass order)
    private readonly double[] _logChoose; // log C(n, d) of the group (0 without deaths)
    private readonly double[] _deathSum; // Σ over all deaths of x (scaled), length p
    private readonly bool[] _death;
    private readonly double[] _r;
    private readonly double[] _a;        // (d_max + 1) × _m work array
    private readonly double[] _xx;       // x_a x_b of the current row, packed upper triangle

    /// <summary>Prepares the likelihood; <paramref name="x"/> is n × p column-major in the caller's row order.</summary>
    /// <exception cref="ExactComputationLimitException">The computation would exceed <see cref="Budget"/>.</exception>
    public CoxExactLikelihood(double[] time, bool[] status, double[] x, int p, int[]? stratum, int strata, TimeFix timeFix)
    {
        int n = time.Length;
        _n = n;
        _p = p;
        _m = 1 + p + (p * (p + 1) / 2);
        var fixedTime = TimeFixer.Apply(time, timeFix);

        // Order: stratum, then time descending (R: order(strata, -time)); within a time the order does not matter.
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (i, j) =>
        {
            int si = stratum is null ? 0 : stratum[i], sj = stratum is null ? 0 : stratum[j];
            if (si != sj)
            {
                return si.CompareTo(sj);
            }

            int byTime = fixedTime[j].CompareTo(fixedTime[i]);
            return byTime != 0 ? byTime : i.CompareTo(j);
        });

        // Centre and scale as coxexact.fit: scale(x), i.e. (x − mean)/sd (sd with n − 1); {−1, 0, 1} columns untouched.
        Means = new double[p];
        Scale = new double[p];
        _x = new double[n * p];
        for (int j = 0; j < p; j++)
        {
            var col = x.AsSpan(j * n, n);
            bool zeroOne = true;
            double sum = 0;
            foreach (var v in col)
            {
                zeroOne &= v == 0 || v == 1 || v == -1;
                sum += v;
            }

            double mean = 0, scale = 1;
            if (!zeroOne)
            {
                mean = sum / n;
                double ss = 0;
                foreach (var v in col)
                {
                    ss += (v - mean) * (v - mean);
                }

                double sd = Math.Sqrt(ss / (n - 1));
                scale = sd > 0 ? 1 / sd : 1;
            }

            Means[j] = mean;
            Scale[j] = scale;
            for (int i = 0; i < n; i++)
            {
                _x[(i * p) + j] = zeroOne ? col[order[i]] : (col[order[i]] - mean) * scale;
            }
        }

        _death = new bool[n];
        _deathSum = new double[p];
        var sortedStratum = new int[n];
        var sortedTime = new double[n];
        for (int i = 0; i < n; i++)
        {
            _death[i] = status[order[i]];
            sortedStratum[i] = stratum is null ? 0 : stratum[order[i]];
            sortedTime[i] = fixedTime[order[i]];
            if (_death[i])
            {
                for (int j = 0; j < p; j++)
                {
                    _deathSum[j] += _x[(i * p) + j];
                }
            }
        }

        _stratumStart = new int[strata + 1];
        var ends = new List<int>();
        var deaths = new List<int>();
        var groupStratum = new List<int>();
        int row = 0;
        for (int s = 0; s < strata; s++)
        {
            _stratumStart[s] = row;
            while (row < n && sortedStratum[row] == s)
            {
                int e = row, d = 0;
                while (e < n && sortedStratum[e] == s && sortedTime[e] == sortedTime[row])
                {
                    d += _death[e] ? 1 : 0;
                    e++;
                }

                ends.Add(e);
                deaths.Add(d);
                groupStratum.Add(s);
                row = e;
            }
        }

        _stratumStart[strata] = n;
        _groupEnd = ends.ToArray();
        _groupDeaths = deaths.ToArray();
        _groupStratum = groupStratum.ToArray();
        int groups = _groupEnd.Length;
        _groupJMax = new int[groups];
        _logChoose = new double[groups];
        int dMax = 0;
        long work = 0;
        for (int g = groups - 1; g >= 0; g--)
        {
            bool lastOfStratum = g == groups - 1 || _groupStratum[g + 1] != _groupStratum[g];
            int later = lastOfStratum ? 0 : _groupJMax[g + 1];
            _groupJMax[g] = Math.Max(later, _groupDeaths[g]);
            dMax = Math.Max(dMax, _groupJMax[g]);
            int start = g == 0 || _groupStratum[g - 1] != _groupStratum[g] ? _stratumStart[_groupStratum[g]] : _groupEnd[g - 1];
            work += (long)(_groupEnd[g] - start) * _groupJMax[g] * _m;
            int d = _groupDeaths[g], risk = _groupEnd[g] - _stratumStart[_groupStratum[g]];
            double lc = 0;
            for (int q = 0; q < d; q++)
            {
                lc += Math.Log((double)(risk - q) / (q + 1));   // log C(risk, d) = Σ_q log((risk − q)/(q + 1))
            }

            _logChoose[g] = lc;
        }

        if (work > Budget)
        {
            throw new ExactComputationLimitException(
                $"The exact partial likelihood (ties = \"exact\") would take about {work:N0} operations per iteration " +
                $"(rows in the risk sets × tied deaths, up to {dMax} deaths at one time, × {_m} derivative terms), " +
                $"more than the limit of {Budget:N0}. Use Efron's approximation (the R default), which is close when " +
                "tied deaths are few relative to the risk set.");
        }

        _r = new double[n];
        _a = new double[(dMax + 1) * _m];
        _xx = new double[_m];
    }

    /// <summary>Centring constants per column (R <c>fit$means</c>).</summary>
    public double[] Means { get; }

    /// <summary>Scale factor per column: scaled = (x − mean)·scale (1/sd, or 1 for {−1, 0, 1} columns).</summary>
    public double[] Scale { get; }

    /// <summary>
    /// Evaluates the exact log partial likelihood at <paramref name="beta"/> (scaled covariates), writing the score into
    /// <paramref name="score"/> (length p) and the information into <paramref name="information"/> (p × p, row-major,
    /// both triangles).
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> beta, Span<double> score, Span<double> information)
    {
        int p = _p, m = _m;
        information.Clear();
        double loglik = 0;
        for (int j = 0; j < p; j++)
        {
            score[j] = _deathSum[j];
        }

        for (int i = 0; i < _n; i++)
        {
            double eta = 0;
            for (int j = 0; j < p; j++)
            {
                eta += _x[(i * p) + j] * beta[j];
            }

            _r[i] = Math.Exp(eta);
            if (_death[i])
            {
                loglik += eta;
            }
        }

        var a = _a.AsSpan();
        var xx = _xx.AsSpan();
        var d1 = new double[p];
        int group = 0;
        for (int s = 0; s + 1 < _stratumStart.Length; s++)
        {
            int first = _stratumStart[s];
            a.Clear();
            a[0] = 1;                 // A(0, k) = 1: the empty product; its derivatives are 0
            double c = 1, rSum = 0;
            int row = first;
            for (; group < _groupEnd.Length && _groupStratum[group] == s; group++)
            {
                int end = _groupEnd[group], jMax = _groupJMax[group];
                if (jMax == 0)
                {
                    break;            // no death at this or a later (smaller) time of the stratum
                }

                // Rescale to the mean of r over the risk set after this group: A(j) ← A(j)·(c/c′)^j.
                for (int i = row; i < end; i++)
                {
                    rSum += _r[i];
                }

                double cNew = rSum / (end - first);
                double f = c / cNew, fj = 1;
                for (int j = 1; j <= jMax; j++)
                {
                    fj *= f;
                    var aj = a.Slice(j * m, m);
                    for (int q = 0; q < m; q++)
                    {
                        aj[q] *= fj;
                    }
                }

                c = cNew;
                for (; row < end; row++)
                {
                    Absorb(row, row - first + 1, _r[row] / c, jMax, a, xx);
                }

                int d = _groupDeaths[group];
                if (d == 0)
                {
                    continue;
                }

                var ad = a.Slice(d * m, m);
                double b = ad[0];
                loglik -= Math.Log(b) + _logChoose[group] + (d * Math.Log(c));
                for (int u = 0; u < p; u++)
                {
                    d1[u] = ad[1 + u] / b;
                    score[u] -= d1[u];
                }

                int k = 1 + p;
                for (int u = 0; u < p; u++)
                {
                    for (int v = u; v < p; v++, k++)
                    {
                        double add = (ad[k] / b) - (d1[u] * d1[v]);
                        information[(u * p) + v] += add;
                        if (v != u)
                        {
                            information[(v * p) + u] += add;
                        }
                    }
                }
            }

            while (group < _groupEnd.Length && _groupStratum[group] == s)
            {
                group++;
            }
        }

        return loglik;
    }

    /// <summary>The largest centred linear predictor over the rows (scaled β).</summary>
    public double MaxLinearPredictor(ReadOnlySpan<double> beta)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < _n; i++)
        {
            double eta = 0;
            for (int j = 0; j < _p; j++)
            {
                eta += _x[(i * _p) + j] * beta[j];
            }

            max = Math.Max(max, eta);
        }

        return max;
    }

    /// <summary>
    /// Adds the k-th risk-set member (scaled risk score <paramref name="rk"/>) to the averaged recursions, in place from
    /// j = min(k, jMax) down to 1 so that A(j−1) still holds the previous column:
    /// A(j) ← ((k−j)/k)·A(j) + (j/k)·r·[A(j−1) with x-terms], for the value, the first and the second derivatives.
    /// </summary>
    private void Absorb(int row, int k, double rk, int jMax, Span<double> a, Span<double> xx)
    {
        int p = _p, m = _m;
        var xr = _x.AsSpan(row * p, p);
        int q0 = 1 + p;
        for (int u = 0; u < p; u++)
        {
            for (int v = u; v < p; v++)
            {
                xx[q0++] = xr[u] * xr[v];
            }
        }

        for (int j = Math.Min(k, jMax); j >= 1; j--)
        {
            double w0 = (double)(k - j) / k, w1 = (double)j / k * rk;
            var cur = a.Slice(j * m, m);
            var prev = a.Slice((j - 1) * m, m);
            double b = prev[0];
            int q = 1 + p;
            for (int u = 0; u < p; u++)
            {
                for (int v = u; v < p; v++, q++)
                {
                    cur[q] = (w0 * cur[q]) + (w1 * (prev[q] + (xr[u] * prev[1 + v]) + (xr[v] * prev[1 + u]) + (xx[q] * b)));
                }
            }

            for (int u = 0; u < p; u++)
            {
                cur[1 + u] = (w0 * cur[1 + u]) + (w1 * (prev[1 + u] + (xr[u] * b)));
            }

            cur[0] = (w0 * cur[0]) + (w1 * b);
        }
    }
}
