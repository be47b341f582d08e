using System.Globalization;
using MathNet.Numerics.Distributions;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.CountingProcess;

/// <summary>
/// Cox proportional hazards regression on counting-process (start, stop] data, with case weights and the robust
/// (sandwich) variance clustered on a subject, matching R's <c>coxph</c> (survival 3.5-3). This is how time-dependent
/// covariates are analysed: a patient contributes one row per interval over which the covariates are constant.
/// </summary>
/// <remarks>
/// <para>R: <c>coxph(Surv(start, stop, event) ~ x + strata(s) + cluster(id), weights = w, ties = "efron")</c>. With start
/// = 0 for every row and unit weights the fit equals <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>'s.</para>
/// <para>Newton-Raphson from β = 0 with R's rules (eps 1e-9, iter.max 20, step halving; as R's agfit4). The robust
/// variance is R's: dfbeta residuals (weighted score residuals times the inverse information) summed within clusters,
/// V = D′D (<c>residuals(fit, "dfbeta", collapse = id, weighted = TRUE)</c>, <c>crossprod</c>). See
/// docs/statistics/cox-counting-process.md.</para>
/// </remarks>
public static class CountingProcessCox
{
    /// <summary>Fits the model. Rows with a missing covariate or stratum are dropped and counted (R's <c>na.omit</c>).</summary>
    /// <param name="start">Start of each row's interval; finite.</param>
    /// <param name="stop">End of the interval (the event or censoring time); finite and greater than start.</param>
    /// <param name="status">True when the row ends in an event at its stop time.</param>
    /// <param name="covariates">At least one covariate, one value per row (values constant over the row's interval).</param>
    /// <param name="strata">Optional stratification variable.</param>
    /// <param name="weights">Optional case weights, finite and &gt; 0 (R's <c>weights</c>); null = 1 for every row.</param>
    /// <param name="cluster">Optional cluster (subject) per row; gives the robust variance summed within clusters
    /// (R <c>cluster(id)</c>). A missing cluster (code −1) is an argument error.</param>
    /// <param name="robust">Whether to compute the robust variance (without a cluster each row is its own cluster). Null
    /// = R's default: robust when a cluster is given or a case weight is not an integer.</param>
    /// <param name="options">Settings (Efron or Breslow ties, convergence, time fix, confidence level); defaults are R's.</param>
    /// <exception cref="ArgumentException">Mismatched lengths, non-finite times, start ≥ stop, invalid weights, a missing
    /// cluster, an unsupported tie method (programmer errors: callers validate user data first).</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <exception cref="ZeroLengthIntervalException">R's time fix merges a row's start and stop times.</exception>
    public static CountingProcessCoxFit Fit(
        IReadOnlyList<double> start,
        IReadOnlyList<double> stop,
        IReadOnlyList<bool> status,
        IReadOnlyList<Covariate> covariates,
        Factor? strata = null,
        IReadOnlyList<double>? weights = null,
        Factor? cluster = null,
        bool? robust = null,
        CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stop);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(covariates);
        options ??= new CoxOptions();
        options.Validate();
        if (options.Ties is not (TieMethod.Efron or TieMethod.Breslow))
        {
            throw new ArgumentException($"Tie method {options.Ties} is not supported for (start, stop] data; use Efron or Breslow.", nameof(options));
        }

        if (covariates.Count == 0)
        {
            throw new ArgumentException("A Cox model needs at least one covariate.", nameof(covariates));
        }

        int n = stop.Count;
        if (start.Count != n)
        {
            throw new ArgumentException($"start has {start.Count} values but stop has {n}.", nameof(start));
        }

        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(start[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"start[{i}] is {start[i]}; times must be finite numbers."), nameof(start));
            }

            if (double.IsFinite(stop[i]) && !(start[i] < stop[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {i}: start {start[i]} is not before stop {stop[i]}."), nameof(start));
            }
        }

        if (weights is not null)
        {
            if (weights.Count != n)
            {
                throw new ArgumentException($"weights has {weights.Count} values but stop has {n}.", nameof(weights));
            }

            for (int i = 0; i < n; i++)
            {
                if (!(weights[i] > 0) || !double.IsFinite(weights[i]))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"weights[{i}] is {weights[i]}; case weights must be finite and > 0."), nameof(weights));
                }
            }
        }

        if (cluster is not null)
        {
            if (cluster.Count != n)
            {
                throw new ArgumentException($"cluster has {cluster.Count} values but stop has {n}.", nameof(cluster));
            }

            for (int i = 0; i < n; i++)
            {
                if (cluster.Codes[i] < 0)
                {
                    throw new ArgumentException($"cluster is missing at row {i}.", nameof(cluster));
                }
            }
        }

        // The design (complete cases, dummies, term names) exactly as the right-censored fit builds it.
        var design = CoxDesign.Build(stop, status, covariates, strata);
        int m = design.Time.Length, p = design.Terms.Count;
        var rows = design.Rows;
        var x = new double[m * p];
        for (int j = 0; j < p; j++)
        {
            design.Columns[j].CopyTo(x, j * m);
        }

        var t1 = new double[m];
        var w = new double[m];
        var clusterCode = new int[m];
        for (int k = 0; k < m; k++)
        {
            t1[k] = start[rows[k]];
            w[k] = weights is null ? 1 : weights[rows[k]];
            clusterCode[k] = cluster is null ? k : cluster.Codes[rows[k]];
        }

        var t2 = design.Time;
        if (options.TimeFix == TimeFix.R)
        {
            // R's aeqSurv merges near-equal times over the start and stop columns together.
            var both = new double[2 * m];
            t1.CopyTo(both, 0);
            t2.CopyTo(both, m);
            var fixedTimes = TimeFixer.Apply(both);
            t1 = fixedTimes[..m];
            t2 = fixedTimes[m..];
            for (int k = 0; k < m; k++)
            {
                if (!(t1[k] < t2[k]))
                {
                    throw new ZeroLengthIntervalException(rows[k]);
                }
            }
        }

        var st = design.Status;
        int events = st.Count(e => e);
        int nDropped = n - m;
        if (events == 0)
        {
            throw new CoxNoEventsException(m, nDropped);
        }

        CoxRegression.CheckConstantColumns(x, m, p, design.Terms);
        var (codes, strataCount) = CoxRegression.DenseCodes(design.StrataCodes, m);
        codes ??= new int[m];

        // Centring values as R's agreg.fit: the weighted mean, 0 for a column with values in {−1, 0, 1}.
        var means = new double[p];
        double wsum = w.Sum();
        for (int j = 0; j < p; j++)
        {
            var col = x.AsSpan(j * m, m);
            bool zeroOne = true;
            double sum = 0;
            for (int k = 0; k < m; k++)
            {
                zeroOne &= col[k] is 0 or 1 or -1;
                sum += w[k] * col[k];
            }

            means[j] = zeroOne ? 0 : sum / wsum;
        }

        var likelihood = new CountingProcessLikelihood(t1, t2, st, w, x, p, codes, strataCount, options.Ties == TieMethod.Efron, means);
        var nr = Iterate(likelihood, p, options);
        if (nr.InitialRank != p)
        {
            throw CoxRegression.Collinear(nr.InitialInformation, p, options.TolerChol, design.Terms);
        }

        for (int j = 0; j < p; j++)
        {
            if (nr.Variance[(j * p) + j] == 0)
            {
                throw new CoxDesignException(
                    $"term '{design.Terms[j].Name}' is redundant at the estimate (R would report its coefficient as NA).", [design.Terms[j].Name]);
            }
        }

        if (robust == false && cluster is not null)
        {
            throw new ArgumentException("A cluster was given with robust = false; the cluster would be ignored.", nameof(robust));
        }

        bool isRobust = robust ?? (cluster is not null || w.Any(v => v != Math.Floor(v)));
        double[] variance = nr.Variance;
        TestStatistic? robustScore = null;
        int clusters = 0;
        if (isRobust)
        {
            var dense = DenseClusters(clusterCode, out clusters);

            // dfbeta = (w·score residuals)·Var, summed within clusters; V = D′D.
            var d = ClusterSums(likelihood.ScoreResiduals(nr.Beta), w, dense, clusters, p);
            var dfbeta = new double[clusters * p];
            for (int c = 0; c < clusters; c++)
            {
                for (int j = 0; j < p; j++)
                {
                    double sum = 0;
                    for (int l = 0; l < p; l++)
                    {
                        sum += d[(c * p) + l] * nr.Variance[(l * p) + j];
                    }

                    dfbeta[(c * p) + j] = sum;
                }
            }

            variance = CrossProduct(dfbeta, clusters, p);

            // Robust score test at β = 0 (R's rscore): U′(D₀′D₀)⁻¹U with D₀ the cluster sums of weighted score residuals.
            var d0 = ClusterSums(likelihood.ScoreResiduals(new double[p]), w, dense, clusters, p);
            var u0 = new double[p];
            for (int c = 0; c < clusters; c++)
            {
                for (int j = 0; j < p; j++)
                {
                    u0[j] += d0[(c * p) + j];
                }
            }

            var f = CrossProduct(d0, clusters, p);
            CoxCholesky.Decompose(f, p, options.TolerChol);
            var solved = (double[])u0.Clone();
            CoxCholesky.Solve(f, p, solved);
            double rs = 0;
            for (int j = 0; j < p; j++)
            {
                rs += u0[j] * solved[j];
            }

            robustScore = new TestStatistic(rs, p, CoxRegression.ChiSquareUpper(rs, p));
        }

        return Assemble(nr, likelihood, variance, isRobust, robustScore, clusters, design.Terms, m, events, nDropped, design.EventsDropped, options);
    }

    private static int[] DenseClusters(int[] codes, out int count)
    {
        var map = new Dictionary<int, int>();
        var dense = new int[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            if (!map.TryGetValue(codes[i], out int c))
            {
                c = map.Count;
                map[codes[i]] = c;
            }

            dense[i] = c;
        }

        count = map.Count;
        return dense;
    }

    private static double[] ClusterSums(double[] resid, double[] w, int[] cluster, int clusters, int p)
    {
        var d = new double[clusters * p];
        for (int i = 0; i < w.Length; i++)
        {
            for (int j = 0; j < p; j++)
            {
                d[(cluster[i] * p) + j] += w[i] * resid[(i * p) + j];
            }
        }

        return d;
    }

    private static double[] CrossProduct(double[] a, int rows, int p)
    {
        var v = new double[p * p];
        for (int c = 0; c < rows; c++)
        {
            for (int j = 0; j < p; j++)
            {
                for (int l = 0; l < p; l++)
                {
                    v[(j * p) + l] += a[(c * p) + j] * a[(c * p) + l];
                }
            }
        }

        return v;
    }

    private sealed record IterationResult(
        double[] Beta, double[] Score, double[] Variance, double LogLikNull, double LogLik, double ScoreTest,
        int Iterations, bool RanOut, double[] InitialInformation, int InitialRank);

    /// <summary>
    /// Newton-Raphson with R's coxfit6/agfit4 rules (the same as <see cref="CoxNewtonRaphson"/>): converged when
    /// |1 − loglik_best / loglik_new| ≤ eps; a worse or non-finite step is halved towards the last accepted β; when the
    /// iterations run out the count is iter.max + 1 and the variance is diag(1 / I_jj) at the last accepted β.
    /// </summary>
    private static IterationResult Iterate(CountingProcessLikelihood likelihood, int p, CoxOptions options)
    {
        int maxIter = options.MaxIterations;
        double toler = options.TolerChol;
        var beta = new double[p];
        var newBeta = new double[p];
        var u = new double[p];
        var imat = new double[p * p];
        double loglik0 = likelihood.Evaluate(beta, u, imat);
        var initialInformation = (double[])imat.Clone();
        var step = (double[])u.Clone();
        int rank = CoxCholesky.Decompose(imat, p, toler);
        CoxCholesky.Solve(imat, p, step);
        double scoreTest = 0;
        for (int j = 0; j < p; j++)
        {
            scoreTest += u[j] * step[j];
        }

        if (maxIter == 0 || !double.IsFinite(loglik0) || rank != p)
        {
            return new IterationResult(beta, u, CoxCholesky.Inverse(imat, p), loglik0, loglik0, scoreTest, 0, false, initialInformation, rank);
        }

        double best = loglik0;
        for (int j = 0; j < p; j++)
        {
            newBeta[j] = step[j];
        }

        int halving = 0;
        for (int iter = 1; iter <= maxIter; iter++)
        {
            double newLik = likelihood.Evaluate(newBeta, u, imat);
            CoxCholesky.Decompose(imat, p, toler);
            bool finite = double.IsFinite(newLik) && u.All(double.IsFinite) && imat.All(double.IsFinite);
            if (finite && Math.Abs(1 - (best / newLik)) <= options.Epsilon)
            {
                return new IterationResult(newBeta, u, CoxCholesky.Inverse(imat, p), loglik0, newLik, scoreTest, iter, false, initialInformation, rank);
            }

            if (!finite || newLik < best)
            {
                halving++;
                for (int j = 0; j < p; j++)
                {
                    newBeta[j] = (newBeta[j] + (halving * beta[j])) / (halving + 1.0);
                }
            }
            else
            {
                halving = 0;
                best = newLik;
                CoxCholesky.Solve(imat, p, u);
                for (int j = 0; j < p; j++)
                {
                    beta[j] = newBeta[j];
                    newBeta[j] += u[j];
                }
            }
        }

        double[] variance;
        if (maxIter > 1)
        {
            best = likelihood.Evaluate(beta, u, imat);
            variance = new double[p * p];
            for (int j = 0; j < p; j++)
            {
                double d = imat[(j * p) + j];
                variance[(j * p) + j] = d > 0 ? 1 / d : 0;
            }
        }
        else
        {
            variance = CoxCholesky.Inverse(imat, p);
        }

        return new IterationResult(beta, u, variance, loglik0, best, scoreTest, maxIter + 1, true, initialInformation, rank);
    }

    private static CountingProcessCoxFit Assemble(
        IterationResult nr,
        CountingProcessLikelihood likelihood,
        double[] variance,
        bool robust,
        TestStatistic? robustScore,
        int clusters,
        IReadOnlyList<TermInfo> terms,
        int n,
        int events,
        int nDropped,
        int eventsDropped,
        CoxOptions options)
    {
        int p = terms.Count;
        double zq = Normal.InvCDF(0, 1, (1 + options.ConfidenceLevel) / 2);
        var table = new CountingProcessCoxTerm[p];
        for (int j = 0; j < p; j++)
        {
            double b = nr.Beta[j];
            double naive = Math.Sqrt(nr.Variance[(j * p) + j]);
            double se = Math.Sqrt(variance[(j * p) + j]);
            double z = b / se;
            table[j] = new CountingProcessCoxTerm(
                terms[j].Name, terms[j].Covariate, terms[j].Level, b, Math.Exp(b), naive, robust ? se : null, z,
                CoxRegression.ChiSquareUpper(z * z, 1), Math.Exp(b - (zq * se)), Math.Exp(b + (zq * se)));
        }

        double lr = -2 * (nr.LogLikNull - nr.LogLik);
        double waldStat = CoxRegression.WaldTest(variance, nr.Beta, p, options.TolerChol);
        var warnings = new List<AnalysisWarning>();
        if (options.MaxIterations == 0)
        {
            warnings.Add(new AnalysisWarning("not-converged", "No iteration was requested (MaxIterations = 0): the coefficients are the starting values β = 0."));
        }
        else if (nr.RanOut)
        {
            warnings.Add(new AnalysisWarning(
                "not-converged",
                string.Create(CultureInfo.InvariantCulture, $"Ran out of iterations ({options.MaxIterations}) and did not converge; the estimates and standard errors are not reliable.")));
            if (likelihood.MaxLinearPredictor(nr.Beta) > 500)
            {
                warnings.Add(new AnalysisWarning("infinite-coefficients", "One or more coefficients may be infinite."));
            }
        }
        else if (options.MaxIterations > 1)
        {
            // R's check: |U′·Var| large relative to |β| flags a coefficient that may be infinite.
            var flagged = new List<string>();
            for (int j = 0; j < p; j++)
            {
                double sum = 0;
                for (int k = 0; k < p; k++)
                {
                    sum += nr.Score[k] * nr.Variance[(k * p) + j];
                }

                double inf = Math.Abs(sum);
                if (!double.IsFinite(nr.Score[j]) || (inf > options.Epsilon && inf > options.TolerInf * Math.Abs(nr.Beta[j])))
                {
                    flagged.Add(terms[j].Name);
                }
            }

            if (flagged.Count > 0)
            {
                warnings.Add(new AnalysisWarning(
                    "monotone-likelihood",
                    $"The log likelihood converged before {CoxRegression.JoinNames(flagged, "term", "terms")} did; the coefficient may be infinite " +
                    "(monotone likelihood). Its hazard ratio, standard error and Wald test are not meaningful."));
            }
        }

        return new CountingProcessCoxFit(
            table,
            ToJagged(variance, p),
            ToJagged(nr.Variance, p),
            nr.LogLikNull,
            nr.LogLik,
            nr.Iterations,
            !nr.RanOut && options.MaxIterations > 0,
            new TestStatistic(lr, p, CoxRegression.ChiSquareUpper(lr, p)),
            new TestStatistic(waldStat, p, CoxRegression.ChiSquareUpper(waldStat, p)),
            new TestStatistic(nr.ScoreTest, p, CoxRegression.ChiSquareUpper(nr.ScoreTest, p)),
            robustScore,
            robust,
            clusters,
            n,
            events,
            nDropped,
            eventsDropped,
            options,
            warnings);
    }

    private static double[][] ToJagged(double[] v, int p)
    {
        var r = new double[p][];
        for (int j = 0; j < p; j++)
        {
            r[j] = v.AsSpan(j * p, p).ToArray();
        }

        return r;
    }
}
