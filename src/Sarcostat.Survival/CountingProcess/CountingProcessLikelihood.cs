namespace Sarcostat.Survival.CountingProcess;

/// <summary>
/// The Cox partial likelihood for (start, stop] data with case weights and Efron or Breslow ties, its score, information
/// and the per-row score residuals: the mathematics of R's <c>agfit4</c> and <c>agscore3</c> (survival 3.5), written
/// as one backward sweep over the distinct event times of each stratum.
/// </summary>
/// <remarks>
/// <para>Risk set at an event time t of a stratum: the rows with start &lt; t ≤ stop. Sweeping t downwards, rows enter
/// when their stop time is reached and leave once t ≤ start, so the weighted sums S0 = Σ w·r, S1 = Σ w·r·x and
/// S2 = Σ w·r·x·x′ (r = exp(η)) are kept by adding and subtracting: O(n log n) for the two sorts (done once) plus
/// O(n·p²) per evaluation. The sums are reset to exact zeros whenever the risk set empties, which bounds the
/// cancellation of the subtractions.</para>
/// <para>Efron (d events at t, event weights summing to W, mean weight W/d, event sums E0, E1, E2): for k = 0..d−1 the
/// denominator is S0 − (k/d)E0 and likewise for S1, S2; the log likelihood gains Σ_events w·η − (W/d)·Σ_k log den_k,
/// the score Σ_events w·x − (W/d)·Σ_k S1_k/den_k, the information (W/d)·Σ_k (S2_k/den_k − S1_k S1_k′/den_k²).
/// Breslow is the case k = 0 only, with weight W.</para>
/// <para>Covariates are centred (a constant shift of η cancels in the partial likelihood) to keep exp(η) in range.</para>
/// </remarks>
internal sealed class CountingProcessLikelihood
{
    private readonly double[] _start;
    private readonly double[] _stop;
    private readonly bool[] _status;
    private readonly double[] _weight;
    private readonly double[] _x; // centred, column-major n × p
    private readonly int _n;
    private readonly int _p;
    private readonly bool _efron;
    private readonly int[] _byStop;   // stratum ascending, stop descending, events first among equal stops
    private readonly int[] _byStart;  // stratum ascending, start descending
    private readonly int[] _stratumEndStop;  // exclusive end of each stratum in _byStop
    private readonly int[] _stratumEndStart; // and in _byStart

    public CountingProcessLikelihood(
        double[] start, double[] stop, bool[] status, double[] weight, double[] x, int p, int[] stratum, int strata, bool efron, double[] means)
    {
        _start = start;
        _stop = stop;
        _status = status;
        _weight = weight;
        _n = stop.Length;
        _p = p;
        _efron = efron;
        _x = new double[_n * p];
        for (int j = 0; j < p; j++)
        {
            for (int i = 0; i < _n; i++)
            {
                _x[(j * _n) + i] = x[(j * _n) + i] - means[j];
            }
        }

        _byStop = Enumerable.Range(0, _n)
            .OrderBy(i => stratum[i]).ThenByDescending(i => stop[i]).ThenByDescending(i => status[i]).ToArray();
        _byStart = Enumerable.Range(0, _n).OrderBy(i => stratum[i]).ThenByDescending(i => start[i]).ToArray();
        _stratumEndStop = Ends(_byStop, stratum, strata);
        _stratumEndStart = Ends(_byStart, stratum, strata);
    }

    private static int[] Ends(int[] order, int[] stratum, int strata)
    {
        var ends = new int[strata];
        int k = 0;
        for (int s = 0; s < strata; s++)
        {
            while (k < order.Length && stratum[order[k]] == s)
            {
                k++;
            }

            ends[s] = k;
        }

        return ends;
    }

    /// <summary>Per event time: its time, stratum and the hazard pieces the score residuals need.</summary>
    private sealed record EventTime(double Time, double H, double[] HX, double HDeath, double[] HXDeath, double[] XBarDeath);

    /// <summary>Log partial likelihood at β; fills the score u (p) and information imat (p × p, row-major).</summary>
    public double Evaluate(double[] beta, double[] u, double[] imat) => Sweep(beta, u, imat, null);

    /// <summary>
    /// Per-row score residuals at β (unweighted, n × p row-major), R <c>residuals(fit, type = "score")</c>:
    /// for row i, Σ over event times t in (start_i, stop_i] of dN_i(t)(x_i − x̄(t)) − r_i (x_i − x̄(t)) dΛ(t), with
    /// Efron's averaging over the sub-steps of a tied event time (an event row at t is in the k-th sub-step's risk set
    /// with weight 1 − k/d).
    /// </summary>
    public double[] ScoreResiduals(double[] beta)
    {
        int n = _n, p = _p;
        var events = new List<EventTime>[_stratumEndStop.Length];
        Sweep(beta, new double[p], new double[p * p], events);
        var eta = LinearPredictor(beta);
        var resid = new double[n * p];
        int begin = 0;
        for (int s = 0; s < events.Length; s++)
        {
            var list = events[s];
            list.Reverse(); // ascending time
            int m = list.Count;
            var times = new double[m];
            var cumH = new double[m + 1];
            var cumHX = new double[(m + 1) * p];
            for (int e = 0; e < m; e++)
            {
                times[e] = list[e].Time;
                cumH[e + 1] = cumH[e] + list[e].H;
                for (int j = 0; j < p; j++)
                {
                    cumHX[((e + 1) * p) + j] = cumHX[(e * p) + j] + list[e].HX[j];
                }
            }

            for (int k = begin; k < _stratumEndStop[s]; k++)
            {
                int i = _byStop[k];
                double r = Math.Exp(eta[i]);
                int hi = CountAtOrBelow(times, _stop[i]);
                int lo = CountAtOrBelow(times, _start[i]);
                for (int j = 0; j < p; j++)
                {
                    double xi = _x[(j * n) + i];
                    resid[(i * p) + j] = -r * ((xi * (cumH[hi] - cumH[lo])) - (cumHX[(hi * p) + j] - cumHX[(lo * p) + j]));
                }

                if (_status[i])
                {
                    // An event row sits at its own stop time, the last event time at or below it.
                    var et = list[hi - 1];
                    for (int j = 0; j < p; j++)
                    {
                        double xi = _x[(j * n) + i];
                        resid[(i * p) + j] += xi - et.XBarDeath[j] + (r * ((xi * (et.H - et.HDeath)) - (et.HX[j] - et.HXDeath[j])));
                    }
                }
            }

            begin = _stratumEndStop[s];
        }

        return resid;
    }

    /// <summary>Number of times ≤ t in an ascending array.</summary>
    private static int CountAtOrBelow(double[] times, double t)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private double[] LinearPredictor(double[] beta)
    {
        var eta = new double[_n];
        for (int j = 0; j < _p; j++)
        {
            double b = beta[j];
            if (b == 0)
            {
                continue;
            }

            for (int i = 0; i < _n; i++)
            {
                eta[i] += b * _x[(j * _n) + i];
            }
        }

        return eta;
    }

    /// <summary>Largest |η| at β (R's check for infinite coefficients after running out of iterations).</summary>
    public double MaxLinearPredictor(double[] beta)
    {
        double max = 0;
        foreach (var e in LinearPredictor(beta))
        {
            max = Math.Max(max, Math.Abs(e));
        }

        return max;
    }

    private double Sweep(double[] beta, double[] u, double[] imat, List<EventTime>[]? events)
    {
        int n = _n, p = _p;
        var eta = LinearPredictor(beta);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            r[i] = Math.Exp(eta[i]);
        }

        Array.Clear(u);
        Array.Clear(imat);
        double loglik = 0;
        var s1 = new double[p];
        var s2 = new double[p * p];
        var e1 = new double[p];
        var e2 = new double[p * p];
        var a = new double[p];
        var scratch = new double[p];
        int beginStop = 0, beginStart = 0;
        for (int s = 0; s < _stratumEndStop.Length; s++)
        {
            var list = events is null ? null : events[s] = [];
            double s0 = 0;
            int inRisk = 0;
            Array.Clear(s1);
            Array.Clear(s2);
            int i1 = beginStop, i2 = beginStart;
            int end1 = _stratumEndStop[s], end2 = _stratumEndStart[s];
            while (i1 < end1)
            {
                double t = _stop[_byStop[i1]];
                double e0 = 0, wd = 0;
                int d = 0;
                Array.Clear(e1);
                Array.Clear(e2);
                while (i1 < end1 && _stop[_byStop[i1]] == t)
                {
                    int i = _byStop[i1++];
                    double wr = _weight[i] * r[i];
                    s0 += wr;
                    inRisk++;
                    AddOuter(s1, s2, i, wr);
                    if (_status[i])
                    {
                        d++;
                        e0 += wr;
                        wd += _weight[i];
                        loglik += _weight[i] * eta[i];
                        AddOuter(e1, e2, i, wr);
                        for (int j = 0; j < p; j++)
                        {
                            u[j] += _weight[i] * _x[(j * n) + i];
                        }
                    }
                }

                if (d == 0)
                {
                    continue;
                }

                while (i2 < end2 && _start[_byStart[i2]] >= t)
                {
                    int i = _byStart[i2++];
                    double wr = _weight[i] * r[i];
                    s0 -= wr;
                    inRisk--;
                    AddOuter(s1, s2, i, -wr);
                }

                if (inRisk == 0)
                {
                    s0 = 0;
                    Array.Clear(s1);
                    Array.Clear(s2);
                }

                int steps = _efron ? d : 1;
                double meanWeight = wd / steps;
                double h = 0, hDeath = 0;
                bool keep = list is not null; // the residual pieces are only kept (and allocated) for ScoreResiduals
                var hx = keep ? new double[p] : scratch;
                var hxDeath = keep ? new double[p] : scratch;
                var xbarDeath = keep ? new double[p] : scratch;
                for (int k = 0; k < steps; k++)
                {
                    double f = _efron ? (double)k / d : 0;
                    double den = s0 - (f * e0);
                    loglik -= meanWeight * Math.Log(den);
                    double dh = meanWeight / den;
                    h += dh;
                    hDeath += (1 - f) * dh;
                    for (int j = 0; j < p; j++)
                    {
                        a[j] = (s1[j] - (f * e1[j])) / den;
                        u[j] -= meanWeight * a[j];
                        hx[j] += a[j] * dh;
                        hxDeath[j] += (1 - f) * a[j] * dh;
                        xbarDeath[j] += a[j] / steps;
                    }

                    for (int j = 0; j < p; j++)
                    {
                        for (int l = 0; l < p; l++)
                        {
                            imat[(j * p) + l] += meanWeight * (((s2[(j * p) + l] - (f * e2[(j * p) + l])) / den) - (a[j] * a[l]));
                        }
                    }
                }

                list?.Add(new EventTime(t, h, hx, hDeath, hxDeath, xbarDeath));
            }

            beginStop = end1;
            beginStart = end2;
        }

        return loglik;
    }

    private void AddOuter(double[] v, double[] m, int i, double wr)
    {
        int n = _n, p = _p;
        for (int j = 0; j < p; j++)
        {
            double xj = _x[(j * n) + i];
            v[j] += wr * xj;
            for (int l = 0; l < p; l++)
            {
                m[(j * p) + l] += wr * xj * _x[(l * n) + i];
            }
        }
    }
}
