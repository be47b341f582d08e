using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace Sarcostat.Survival.Cox;

/// <summary>The time scale on which the proportional-hazards test correlates the Schoenfeld residuals (R <c>cox.zph(transform)</c>).</summary>
public enum ZphTransform
{
    /// <summary>1 − S(t−), the left-continuous Kaplan-Meier estimate of the whole sample (R's default <c>"km"</c>).</summary>
    Km,

    /// <summary>The time itself (R <c>"identity"</c>).</summary>
    Identity,

    /// <summary>The rank of the time among all observations, ties averaged (R <c>"rank"</c>).</summary>
    Rank,

    /// <summary>The natural logarithm of the time (R <c>"log"</c>).</summary>
    Log,
}

/// <summary>One row of the proportional-hazards test table (R <c>cox.zph(fit)$table</c>).</summary>
/// <param name="Term">The covariate's name, or <c>"GLOBAL"</c> for the test of all covariates together.</param>
/// <param name="ChiSquare">The score statistic.</param>
/// <param name="Df">Its degrees of freedom: 1 for a numeric covariate, levels − 1 for a factor, p for GLOBAL.</param>
/// <param name="P">P(χ²(df) ≥ statistic).</param>
public sealed record ZphTest(string Term, double ChiSquare, int Df, double P);

/// <summary>
/// The result of the proportional-hazards test of a Cox fit: the test per covariate and globally, and the scaled
/// Schoenfeld residuals with the (transformed) event times for a plot of β(t).
/// </summary>
/// <remarks>R: <c>z &lt;- cox.zph(fit, transform)</c>: <c>z$table</c>, <c>z$y</c>, <c>z$x</c>, <c>z$time</c>, <c>z$var</c>.</remarks>
public sealed class CoxZphResult
{
    private readonly ScaledResidualTable? _residuals;
    private double?[][]? _scaledResiduals;

    internal CoxZphResult(
        ZphTransform transform, IReadOnlyList<ZphTest> tests, ZphTest global, IReadOnlyList<double> time,
        IReadOnlyList<double> transformedTime, IReadOnlyList<int> stratum, ScaledResidualTable scaledResiduals, double[][] variance)
        : this(transform, tests, global, time, transformedTime, stratum, (double?[][]?)null, variance)
    {
        _residuals = scaledResiduals;
    }

    internal CoxZphResult(
        ZphTransform transform, IReadOnlyList<ZphTest> tests, ZphTest global, IReadOnlyList<double> time,
        IReadOnlyList<double> transformedTime, IReadOnlyList<int> stratum, double?[][]? scaledResiduals, double[][] variance)
    {
        Transform = transform;
        Tests = tests;
        Global = global;
        Time = time;
        TransformedTime = transformedTime;
        Stratum = stratum;
        _scaledResiduals = scaledResiduals;
        Variance = variance;
    }

    /// <summary>The time transform used.</summary>
    public ZphTransform Transform { get; }

    /// <summary>One test per covariate, in the order of the covariates (R <c>z$table</c> without the last row).</summary>
    public IReadOnlyList<ZphTest> Tests { get; }

    /// <summary>The global test on all terms (R <c>z$table["GLOBAL", ]</c>).</summary>
    public ZphTest Global { get; }

    /// <summary>Event time of each residual row, by stratum then time (R <c>z$time</c>).</summary>
    public IReadOnlyList<double> Time { get; }

    /// <summary>Transformed event time of each residual row, the x axis of the plot (R <c>z$x</c>).</summary>
    public IReadOnlyList<double> TransformedTime { get; }

    /// <summary>Dense stratum index (0-based, level order) of each residual row; all 0 without strata.</summary>
    public IReadOnlyList<int> Stratum { get; }

    /// <summary>
    /// Scaled Schoenfeld residuals, one row per event and one column per covariate (R <c>z$y</c>): β + V⁻¹r for a numeric
    /// covariate, 1 + (scaled linear combination) for a factor. Null where a covariate is constant within the event's stratum.
    /// </summary>
    /// <remarks>Built on first use from a flat table: a test alone (the tests, no plot or residual output) never
    /// allocates one array per event (728,000 of them for 10⁶ registry rows).</remarks>
    public double?[][] ScaledResiduals =>
        LazyInitializer.EnsureInitialized(ref _scaledResiduals, () => _residuals!.ToJagged());

    /// <summary>
    /// The variance that scales the residuals, one row and column per covariate (R <c>z$var</c>, used by
    /// <c>plot.cox.zph</c> for the band of its smooth; see <see cref="CoxZph.Smooth"/>): V̄⁻¹, the inverse of the
    /// average information per event. Without strata or factors this is the number of events times the fit's variance
    /// (R: <c>z$var</c> equals <c>fit$var * fit$nevent</c>); a factor's columns are combined with weights β̂ first.
    /// </summary>
    /// <remarks>R: <c>cox.zph</c>'s <c>rval$var &lt;- solve(vmean)</c>.</remarks>
    public double[][] Variance { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CoxZphResult(events={Time.Count}, covariates={Tests.Count}, global p={Global.P:G4})");
}

/// <summary>
/// Grambsch-Therneau test of proportional hazards for a Cox fit: a score test, per covariate and globally, of the
/// time-varying coefficient β(t) = β + θ·g(t), with g the transformed time; and the scaled Schoenfeld residuals.
/// </summary>
/// <remarks>R: <c>cox.zph(fit, transform = "km", terms = TRUE, global = TRUE)</c> (survival 3.5-3); see
/// docs/statistics/model-checks.md.</remarks>
public static partial class CoxZph
{
    /// <summary>
    /// Tests proportional hazards for a fit of <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>: pass the same inputs and the fit.
    /// </summary>
    /// <param name="time">The fit's follow-up times.</param>
    /// <param name="status">The fit's event indicators.</param>
    /// <param name="covariates">The fit's covariates.</param>
    /// <param name="fit">The fit.</param>
    /// <param name="strata">The fit's strata, if any.</param>
    /// <param name="transform">The time scale g (default Kaplan-Meier, as R).</param>
    /// <returns>The test table and the scaled residuals.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, or inputs that do not give the fit's terms.</exception>
    /// <remarks>
    /// Score test at θ = 0 with β fixed at the estimate: U = Σ_events g̃(t)(x − x̄(t)), g̃ = g − mean of g over events;
    /// statistic U′ [I⁻¹]_θθ U from the 2p × 2p information (blocks I, I·g̃, I·g̃²) with zero score for β.
    /// R: <c>cox.zph(fit, transform)</c>.
    /// </remarks>
    public static CoxZphResult Test(
        IReadOnlyList<double> time,
        IReadOnlyList<bool> status,
        IReadOnlyList<Covariate> covariates,
        CoxFit fit,
        Factor? strata = null,
        ZphTransform transform = ZphTransform.Km)
    {
        if (!Enum.IsDefined(transform))
        {
            throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform.");
        }

        var d = CoxModelData.Build(time, status, covariates, strata, fit);
        return TestData(d, fit, transform);
    }

    /// <summary>
    /// The test on the fit's data (<see cref="CoxModelData"/>: the fit's own design, or one rebuilt from its inputs),
    /// as <see cref="Test(IReadOnlyList{double}, IReadOnlyList{bool}, IReadOnlyList{Covariate}, CoxFit, Factor?, ZphTransform)"/>.
    /// The design is read in place: centred while it is gathered into the walk's order, never copied whole.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static CoxZphResult TestData(CoxModelData d, CoxFit fit, ZphTransform transform)
    {
        if (!Enum.IsDefined(transform))
        {
            throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform.");
        }

        int n = d.N;
        int p = d.P;
        var t = d.Time;
        var ev = d.Status;
        var beta = fit.Terms.Select(x => x.Coef).ToArray();
        if (transform == ZphTransform.Log)
        {
            CheckPositive(t, TimeParameter);
        }

        var g = Transformed(d, transform);
        double gMean = 0;
        int events = 0;
        for (int i = 0; i < n; i++)
        {
            if (ev[i])
            {
                gMean += g[i];
                events++;
            }
        }

        gMean /= events;
        var gt = new double[n];
        for (int i = 0; i < n; i++)
        {
            gt[i] = g[i] - gMean;
        }

        // Order by stratum, then time, then row (R order(strata, time)).
        var ord = d.Order;

        var used = Used(d, p);

        // Centre the columns (numerical stability only; residuals and information are invariant): the means here, the
        // subtraction while the kernel gathers each column into the walk's order.
        var means = new double[p];
        for (int j = 0; j < p; j++)
        {
            double sum = 0;
            foreach (var v in d.X.AsSpan(j * n, n))
            {
                sum += v;
            }

            means[j] = sum / n;
        }

        var (u, imat, schoen) = CoxZphKernel.AccumulateCentring(t, ev, d.X, means, d.Eta, d.Stratum, gt, ord, p, events, fit.Ties == TieMethod.Efron);
        gt = null;

        // Score tests.
        int nterm = d.Assign.Length;
        var tests = new ZphTest[nterm];
        for (int k = 0; k < nterm; k++)
        {
            var jj = d.Assign[k];
            var idx = Enumerable.Range(0, p).Concat(jj.Select(j => j + p)).ToArray();
            double stat = Quadratic(imat, u, idx, p);
            tests[k] = new ZphTest(d.TermNames[k], stat, jj.Length, CoxRegression.ChiSquareUpper(stat, jj.Length));
        }

        double global = Quadratic(imat, u, Enumerable.Range(0, 2 * p).ToArray(), p);
        var globalTest = new ZphTest("GLOBAL", global, p, CoxRegression.ChiSquareUpper(global, p));

        var (scaled, vmean) = Scale(d, used, imat, schoen, beta, p, events);
        var variance = Matrix<double>.Build.DenseOfArray(vmean).Inverse().ToRowArrays();
        var eventTime = new double[events];
        var eventG = new double[events];
        var eventStratum = new int[events];
        int e = 0;
        foreach (var i in ord)
        {
            if (ev[i])
            {
                eventTime[e] = t[i];
                eventG[e] = g[i];
                eventStratum[e] = d.Stratum[i];
                e++;
            }
        }

        return new CoxZphResult(transform, tests, globalTest, eventTime, eventG, eventStratum, scaled, variance);
    }

    /// <summary>The public entry's parameter that a non-positive time under the log transform is blamed on.</summary>
    private const string TimeParameter = "time";

    private static void CheckPositive(double[] t, string paramName)
    {
        for (int i = 0; i < t.Length; i++)
        {
            if (!(t[i] > 0))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] is {t[i]}; the log transform needs positive times."), paramName);
            }
        }
    }

    /// <summary>g(t) for every observation (R's <c>ttimes</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Transformed(CoxModelData d, ZphTransform transform)
    {
        var t = d.Time;
        var ev = d.Status;
        int n = t.Length;
        switch (transform)
        {
            case ZphTransform.Identity:
                return (double[])t.Clone();
            case ZphTransform.Log:
                return t.Select(v => Math.Log(v)).ToArray();
            case ZphTransform.Rank:
            {
                var order = d.AscendingTimeOrder();
                var r = new double[n];
                for (int a = 0; a < n;)
                {
                    int b = a;
                    while (b + 1 < n && t[order[b + 1]] == t[order[a]])
                    {
                        b++;
                    }

                    double avg = ((a + b) / 2.0) + 1;
                    for (int k = a; k <= b; k++)
                    {
                        r[order[k]] = avg;
                    }

                    a = b + 1;
                }

                return r;
            }

            default:
            {
                // 1 − S(t−) of the pooled Kaplan-Meier estimate.
                var order = d.AscendingTimeOrder();
                var r = new double[n];
                double s = 1;
                int atRisk = n;
                for (int a = 0; a < n;)
                {
                    int b = a;
                    int deaths = 0;
                    while (b < n && t[order[b]] == t[order[a]])
                    {
                        if (ev[order[b]])
                        {
                            deaths++;
                        }

                        r[order[b]] = 1 - s;
                        b++;
                    }

                    s *= (atRisk - deaths) / (double)atRisk;
                    atRisk -= b - a;
                    a = b;
                }

                return r;
            }
        }
    }

    /// <summary>
    /// used[s][j]: the events of stratum s when column j varies within it, else 0 (R's zph1 <c>used</c>). Whether a
    /// column varies within a stratum does not depend on the row order: one sequential pass per column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[][] Used(CoxModelData d, int p)
    {
        int ns = d.StrataCount, n = d.N;
        var stratum = d.Stratum;
        var deaths = new int[ns];
        for (int i = 0; i < n; i++)
        {
            deaths[stratum[i]] += d.Status[i] ? 1 : 0;
        }

        var used = new int[ns][];
        for (int s = 0; s < ns; s++)
        {
            used[s] = new int[p];
        }

        var first = new double[ns];
        var seen = new bool[ns];
        var varies = new bool[ns];
        for (int j = 0; j < p; j++)
        {
            var col = d.X.AsSpan(j * n, n);
            Array.Clear(seen);
            Array.Clear(varies);
            if (ns == 1)
            {
                double v0 = col[0];
                foreach (var v in col)
                {
                    if (v != v0)
                    {
                        varies[0] = true;
                        break;
                    }
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    int s = stratum[i];
                    if (!seen[s])
                    {
                        seen[s] = true;
                        first[s] = col[i];
                    }
                    else if (col[i] != first[s])
                    {
                        varies[s] = true;
                    }
                }
            }

            for (int s = 0; s < ns; s++)
            {
                used[s][j] = varies[s] ? deaths[s] : 0;
            }
        }

        return used;
    }

    /// <summary>
    /// The readable version of <see cref="CoxZphKernel.Accumulate"/>, kept to check the kernel against in the tests.
    /// Contract: centred columns x, linear predictor eta, centred time weights gt, ord sorted by (stratum, time).
    /// Walks each stratum backwards in time keeping the risk-set sums Σr, Σr·x, Σr·xx′ (r = exp(eta)); at each event
    /// time adds the Breslow or Efron terms to U (2p) and the 2p × 2p information, and stores x − x̄(t) as the Schoenfeld
    /// residual of each event (rows in ord order). Returns U, the information (row-major 2p × 2p) and the residuals.
    /// </summary>
    internal static (double[] U, double[] Imat, double[][] Schoen) AccumulateReference(
        double[] t, bool[] ev, double[][] x, double[] eta, int[] stratum, double[] gt, int[] ord, int p, int events, bool efron)
    {
        int q = 2 * p;
        var u = new double[q];
        var imat = new double[q * q];
        var schoen = new double[events][];
        var sumX = new double[p];
        var sumXX = new double[p * p];
        var deadX = new double[p];
        var deadXX = new double[p * p];
        var xi = new double[p];
        double denom = 0;
        int row = events;
        int current = -1;
        int ip = ord.Length - 1;
        while (ip >= 0)
        {
            int person = ord[ip];
            if (stratum[person] != current)
            {
                current = stratum[person];
                denom = 0;
                Array.Clear(sumX);
                Array.Clear(sumXX);
            }

            double dtime = t[person];
            double w = gt[person];
            int ndead = 0;
            double deadRisk = 0;
            Array.Clear(deadX);
            Array.Clear(deadXX);
            for (; ip >= 0; ip--)
            {
                person = ord[ip];
                if (t[person] != dtime || stratum[person] != current)
                {
                    break;
                }

                double r = Math.Exp(eta[person]);
                for (int j = 0; j < p; j++)
                {
                    xi[j] = x[j][person];
                }

                if (ev[person])
                {
                    ndead++;
                    deadRisk += r;
                    row--;
                    schoen[row] = (double[])xi.Clone();
                    AddRisk(deadX, deadXX, xi, r, p);
                    for (int j = 0; j < p; j++)
                    {
                        u[j] += xi[j];
                        u[j + p] += w * xi[j];
                    }
                }
                else
                {
                    denom += r;
                    AddRisk(sumX, sumXX, xi, r, p);
                }
            }

            if (ndead == 0)
            {
                continue;
            }

            // Efron: the d deaths enter with fractions 1/d, 2/d, ..., 1; Breslow: one term with all of them.
            int steps = efron ? ndead : 1;
            double weight = efron ? 1.0 : ndead;
            var meanOfMeans = new double[p];
            for (int k = 0; k < steps; k++)
            {
                double f = efron ? (k + 1) / (double)ndead : 1;
                double den = denom + (deadRisk * f);
                for (int a = 0; a < p; a++)
                {
                    double ma = (sumX[a] + (deadX[a] * f)) / den;
                    meanOfMeans[a] += ma / steps;
                    u[a] -= weight * ma;
                    u[a + p] -= w * weight * ma;
                    for (int b = 0; b <= a; b++)
                    {
                        double mb = (sumX[b] + (deadX[b] * f)) / den;
                        double v = weight * ((((sumXX[(a * p) + b] + (deadXX[(a * p) + b] * f)) / den)) - (ma * mb));
                        imat[(a * q) + b] += v;
                        imat[(a * q) + b + p] += v * w;
                        imat[((a + p) * q) + b + p] += v * w * w;
                    }
                }
            }

            for (int k = 0; k < ndead; k++)
            {
                for (int a = 0; a < p; a++)
                {
                    schoen[row + k][a] -= meanOfMeans[a];
                }
            }

            denom += deadRisk;
            for (int a = 0; a < p; a++)
            {
                sumX[a] += deadX[a];
                for (int b = 0; b <= a; b++)
                {
                    sumXX[(a * p) + b] += deadXX[(a * p) + b];
                }
            }
        }

        // Symmetrise: the blocks were filled on and below the diagonal (row a ≥ column b within each block).
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double v0 = imat[(a * q) + b];
                double v1 = imat[(a * q) + b + p];
                double v2 = imat[((a + p) * q) + b + p];
                imat[(b * q) + a] = v0;
                imat[((a + p) * q) + b] = v1;
                imat[(b * q) + a + p] = v1;
                imat[((b + p) * q) + a] = v1;
                imat[((b + p) * q) + a + p] = v2;
            }
        }

        return (u, imat, schoen);
    }

    private static void AddRisk(double[] sum, double[] sumSq, double[] xi, double r, int p)
    {
        for (int a = 0; a < p; a++)
        {
            sum[a] += r * xi[a];
            for (int b = 0; b <= a; b++)
            {
                sumSq[(a * p) + b] += r * xi[a] * xi[b];
            }
        }
    }

    /// <summary>u′ M⁻¹ u over the index set idx, with the β part of u (indices &lt; p) set to 0 as in R.</summary>
    private static double Quadratic(double[] imat, double[] u, int[] idx, int p)
    {
        int q = 2 * p;
        int k = idx.Length;
        var m = Matrix<double>.Build.Dense(k, k, (a, b) => imat[(idx[a] * q) + idx[b]]);
        var v = Vector<double>.Build.Dense(k, a => idx[a] < p ? 0 : u[idx[a]]);
        return m.Solve(v).DotProduct(v);
    }

    /// <summary>
    /// Scaled Schoenfeld residuals as R's <c>cox.zph</c>: divide the Schoenfeld residuals by the average information per
    /// event (I / events, per stratum where the covariate varies), add β (numeric) or 1 (factor, after combining its
    /// columns with weights β). Also returns V̄ itself (per term, R's <c>vmean</c> after combining), whose inverse is
    /// R's <c>z$var</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (ScaledResidualTable Residuals, double[,] Vmean) Scale(CoxModelData d, int[][] used, double[] imat, double[] schoen, double[] beta, int p, int events)
    {
        int q = 2 * p;
        int nterm = d.Assign.Length;
        int ns = used.Length;
        foreach (var cols in d.Assign.Where(a => a.Length > 1))
        {
            foreach (var us in used)
            {
                int max = cols.Max(j => us[j]);
                if (cols.Any(j => us[j] == 0))
                {
                    foreach (var j in cols)
                    {
                        us[j] = max;
                    }
                }
            }
        }

        var vmean = new double[p, p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                double wt = 0;
                foreach (var us in used)
                {
                    wt += Math.Min(us[a], us[b]);
                }

                vmean[a, b] = imat[(a * q) + b] / (wt == 0 ? 1 : wt);
            }
        }

        // Combine the columns of each term: weight 1 for a single column, β for the columns of a factor.
        bool combine = d.Assign.Any(a => a.Length > 1);
        var tmat = new double[p, nterm];
        for (int k = 0; k < nterm; k++)
        {
            foreach (var j in d.Assign[k])
            {
                tmat[j, k] = d.Assign[k].Length == 1 ? 1 : beta[j];
            }
        }

        double[] res;
        int rw;
        double[,] v;
        int[][] usedTerm;
        if (combine)
        {
            rw = nterm;
            // Compacted in place: row e of the combined table (nterm ≤ p values) goes to e·nterm, which lies before every
            // row of the Schoenfeld table not yet read (row e' > e starts at e'·p ≥ e·nterm + nterm); no second table.
            res = schoen;
            var src = new double[p];

            // Flat (column, weight) lists per term, so that the loop over 10⁶ events reads no 2-D array.
            var termStart = new int[nterm + 1];
            for (int k = 0; k < nterm; k++)
            {
                termStart[k + 1] = termStart[k] + d.Assign[k].Length;
            }

            var termColumn = new int[termStart[nterm]];
            var termWeight = new double[termStart[nterm]];
            for (int k = 0; k < nterm; k++)
            {
                for (int c = 0; c < d.Assign[k].Length; c++)
                {
                    termColumn[termStart[k] + c] = d.Assign[k][c];
                    termWeight[termStart[k] + c] = tmat[d.Assign[k][c], k];
                }
            }

            for (int e = 0; e < events; e++)
            {
                schoen.AsSpan(e * p, p).CopyTo(src);
                var dst = res.AsSpan(e * nterm, nterm);
                for (int k = 0; k < nterm; k++)
                {
                    double sum = 0;
                    for (int c = termStart[k]; c < termStart[k + 1]; c++)
                    {
                        sum += src[termColumn[c]] * termWeight[c];
                    }

                    dst[k] = sum;
                }
            }

            v = new double[nterm, nterm];
            for (int a = 0; a < nterm; a++)
            {
                for (int b = 0; b < nterm; b++)
                {
                    double sum = 0;
                    for (int i = 0; i < p; i++)
                    {
                        for (int j = 0; j < p; j++)
                        {
                            sum += tmat[i, a] * vmean[i, j] * tmat[j, b];
                        }
                    }

                    v[a, b] = sum;
                }
            }

            usedTerm = used.Select(us => d.Assign.Select(a => us[a[0]]).ToArray()).ToArray();
        }
        else
        {
            rw = p;
            res = schoen;
            v = vmean;
            usedTerm = used;
        }

        // The result, flat (events × nterm, row-major) in res itself: each row's right-hand side is copied before the row
        // is overwritten. A cell is null (a covariate constant within the event's stratum) where isNull is set.
        var isNull = new bool[(long)events * nterm];

        // Rows belong to strata in order, max(used[s]) rows per stratum (R's sgrp).
        int rowStart = 0;
        for (int s = 0; s < ns; s++)
        {
            int count = usedTerm[s].Max();
            var kset = Enumerable.Range(0, nterm).Where(k => usedTerm[s][k] > 0).ToArray();
            if (kset.Length > 0)
            {
                // One inverse per stratum, applied to every row (R solves the same system for all rows at once).
                var m = Matrix<double>.Build.Dense(kset.Length, kset.Length, (a, b) => v[kset[a], kset[b]]);
                var inv2 = m.Inverse().ToArray();
                int ks = kset.Length;
                var inv = new double[ks * ks];
                for (int a = 0; a < ks; a++)
                {
                    for (int b = 0; b < ks; b++)
                    {
                        inv[(a * ks) + b] = inv2[a, b];
                    }
                }

                var rhs = new double[ks];
                for (int e = rowStart; e < Math.Min(rowStart + count, events); e++)
                {
                    var row = res.AsSpan(e * rw, rw);
                    for (int a = 0; a < ks; a++)
                    {
                        rhs[a] = row[kset[a]];
                    }

                    var nulls = isNull.AsSpan(e * nterm, nterm);
                    nulls.Fill(true);
                    for (int a = 0; a < ks; a++)
                    {
                        var invRow = inv.AsSpan(a * ks, ks);
                        double sum = 0;
                        for (int b = 0; b < ks; b++)
                        {
                            sum += invRow[b] * rhs[b];
                        }

                        row[kset[a]] = sum;
                        nulls[kset[a]] = false;
                    }
                }
            }

            rowStart += count;
        }

        var shift = new double[nterm];
        for (int k = 0; k < nterm; k++)
        {
            shift[k] = d.Assign[k].Length == 1 ? beta[d.Assign[k][0]] : 1;
        }

        for (int e = 0; e < events; e++)
        {
            var row = res.AsSpan(e * rw, nterm);
            var nulls = isNull.AsSpan(e * nterm, nterm);
            for (int k = 0; k < nterm; k++)
            {
                if (!nulls[k])
                {
                    row[k] += shift[k];
                }
            }
        }

        return (new ScaledResidualTable(res, isNull, events, nterm), v);
    }
}

/// <summary>
/// Scaled Schoenfeld residuals as one flat row-major table (events × terms) and a null mask, instead of one array per
/// event. The values array may be longer than events × terms (the Schoenfeld table it was compacted in); the rest is unused.
/// </summary>
internal sealed class ScaledResidualTable(double[] values, bool[] isNull, int rows, int columns)
{
    /// <summary>Number of rows (events).</summary>
    public int Rows { get; } = rows;

    /// <summary>Number of columns (terms).</summary>
    public int Columns { get; } = columns;

    /// <summary>The residual of row <paramref name="row"/>, term <paramref name="column"/>, or null.</summary>
    public double? this[int row, int column] =>
        isNull[((long)row * Columns) + column] ? null : values[((long)row * Columns) + column];

    /// <summary>The public jagged form (R <c>z$y</c> row by row).</summary>
    public double?[][] ToJagged()
    {
        var result = new double?[Rows][];
        for (int e = 0; e < Rows; e++)
        {
            var row = result[e] = new double?[Columns];
            for (int k = 0; k < Columns; k++)
            {
                row[k] = this[e, k];
            }
        }

        return result;
    }
}
