using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.CompetingRisks;

/// <summary>
/// The Fine-Gray proportional subdistribution hazards model (Fine &amp; Gray 1999, JASA 94:496), as
/// <c>cmprsk::crr</c> (cmprsk 2.2) fits it: fixed covariates, one censoring group, Breslow handling of tied failures.
/// </summary>
/// <remarks>
/// <para>
/// Log pseudo-likelihood (Fine &amp; Gray eq. 5, with inverse-probability-of-censoring weights):
/// l(β) = Σ_k [Σ_{i fails of the cause at t_k} βᵀxᵢ − d_k log S⁰(t_k)], S⁰(t) = Σ_j w_j(t) exp(βᵀx_j), where
/// w_j(t) = 1 while T_j ≥ t, w_j(t) = Ĝ(t−)/Ĝ(T_j−) after a competing event at T_j &lt; t, and 0 after a censoring or an
/// event of the cause. Ĝ is the Kaplan-Meier estimate of the censoring distribution (censorings as events), read just
/// before each time (crr's <c>approx(..., xout = ftime * (1 - 100 * eps))</c>; at time 0 it is Ĝ(0)).
/// Score U = Σ_k [Σ xᵢ − d_k x̄(t_k)], information I = Σ_k d_k [S²/S⁰ − x̄x̄ᵀ], x̄ = S¹/S⁰.
/// </para>
/// <para>
/// Newton-Raphson from β = 0 with crr's backtracking (halve the step while l does not rise by at least
/// 10⁻⁴·stepᵀU, at most 20 times) and its convergence rule (<see cref="FineGrayOptions.GradientTolerance"/>, 1e-6).
/// </para>
/// <para>
/// Variance: the sandwich I⁻¹(Σᵢ (ηᵢ + ψᵢ)(ηᵢ + ψᵢ)ᵀ)I⁻¹ of Fine &amp; Gray sec. 3 (crr's <c>crrvv</c>), where ηᵢ is
/// subject i's score residual ∫(xᵢ − x̄(s)) wᵢ(s) dM̂ᵢ(s) and ψᵢ = ∫ q(u)/π(u) dM̂ᵢᶜ(u) accounts for estimating Ĝ:
/// q(u) = Σ_{t_k ≥ u} (d_k/S⁰(t_k)) Σ_{j competing, T_j &lt; u} (Ĝ(t_k−)/Ĝ(T_j−)) e^{βᵀx_j}(x_j − x̄(t_k)), π(u) the
/// number at risk and M̂ᶜ the censoring martingale. All sums are accumulated in one pass each (O(n·p²)), where crr
/// loops over pairs; covariates are centred first, which changes neither l nor its derivatives.
/// </para>
/// <para>Times are compared exactly (crr merges no near-ties).</para>
/// </remarks>
public static class FineGray
{
    /// <summary>
    /// Fits the model for the cause <paramref name="failLevel"/>; every status other than it and
    /// <paramref name="censorLevel"/> is a competing event. Rows with a missing status or covariate are left out and
    /// counted (R's <c>na.omit</c>).
    /// </summary>
    /// <param name="time">Follow-up time per row: finite, ≥ 0.</param>
    /// <param name="status">Status per row (code −1 = missing).</param>
    /// <param name="failLevel">The cause of interest (R <c>failcode</c>).</param>
    /// <param name="censorLevel">The censoring level (R <c>cencode</c>).</param>
    /// <param name="covariates">At least one covariate: numeric ones give one term, categorical ones a dummy per
    /// non-reference level (as in <see cref="CoxRegression"/>; R <c>model.matrix(~ ...)[, -1]</c> as <c>cov1</c>).</param>
    /// <param name="options">Settings; defaults are crr's.</param>
    /// <exception cref="ArgumentException">Null or mismatched inputs, a negative or non-finite time, an infinite
    /// covariate value, the same level as cause and censoring, duplicate term names.</exception>
    /// <exception cref="CompetingRisksException"><c>competing-risks-no-data</c>, <c>competing-risks-no-events</c>
    /// (no event of the cause among the complete cases), <c>fine-gray-design</c> (a constant covariate, a singular
    /// information matrix).</exception>
    public static FineGrayFit Fit(
        IReadOnlyList<double> time,
        Factor status,
        string failLevel,
        string censorLevel,
        IReadOnlyList<Covariate> covariates,
        FineGrayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(failLevel);
        options ??= new FineGrayOptions();
        options.Validate();
        int censorCode = CompetingRisksInput.Check(time, status, censorLevel);
        if (failLevel == censorLevel)
        {
            throw new ArgumentException($"The cause of interest and the censoring level are both '{failLevel}'.", nameof(failLevel));
        }

        if (covariates.Count == 0)
        {
            throw new ArgumentException("A Fine-Gray model needs at least one covariate.", nameof(covariates));
        }

        int failCode = -1;
        for (int l = 0; l < status.Levels.Count; l++)
        {
            if (status.Levels[l] == failLevel)
            {
                failCode = l;
            }
        }

        // Rows with a status; then the Cox design's complete cases and treatment coding.
        var known = Enumerable.Range(0, time.Count).Where(i => status.Codes[i] >= 0).ToArray();
        var subTime = known.Select(i => time[i]).ToArray();
        var subFail = known.Select(i => status.Codes[i] == failCode).ToArray();
        var subCovs = covariates.Select(c => Subset(c, known, time.Count)).ToList();
        CoxDesign design;
        try
        {
            design = CoxDesign.Build(subTime, subFail, subCovs, null);
        }
        catch (CoxDesignException e)
        {
            throw new CompetingRisksException("fine-gray-design", e.Message);
        }

        var names = design.Terms.Select(t => t.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"Duplicate term names: {string.Join(", ", names)}.", nameof(covariates));
        }

        int n = design.Rows.Length, p = names.Count;
        if (n == 0)
        {
            throw new CompetingRisksException("competing-risks-no-data",
                string.Create(CultureInfo.InvariantCulture, $"No complete case is left for the Fine-Gray model ({time.Count} rows, all with a missing status or covariate)."));
        }

        // Sort by time; kind 1 = the cause, 2 = another cause, 0 = censored.
        var rowStatus = design.Rows.Select(k => status.Codes[known[k]]).ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        var keys = (double[])design.Time.Clone();
        Array.Sort(keys, order);
        var data = new Data(n, p)
        {
            Time = keys,
        };
        int events = 0, competing = 0, censored = 0;
        for (int r = 0; r < n; r++)
        {
            int c = rowStatus[order[r]];
            data.Kind[r] = c == failCode ? 1 : c == censorCode ? 0 : 2;
            switch (data.Kind[r])
            {
                case 1: events++; break;
                case 2: competing++; break;
                default: censored++; break;
            }
        }

        if (events == 0)
        {
            throw new CompetingRisksException("competing-risks-no-events", string.Create(CultureInfo.InvariantCulture,
                $"None of the {n} complete cases has an event of the cause '{failLevel}'; no subdistribution hazard ratio can be estimated."));
        }

        for (int j = 0; j < p; j++)
        {
            var col = design.Columns[j];
            double mean = 0;
            for (int r = 0; r < n; r++)
            {
                mean += col[r];
            }

            mean /= n;
            bool constant = true;
            for (int r = 0; r < n; r++)
            {
                data.X[r, j] = col[order[r]] - mean;
                constant &= col[order[r]] == col[order[0]];
            }

            if (constant)
            {
                var term = design.Terms[j];
                throw new CompetingRisksException("fine-gray-design", term.Level is null
                    ? string.Create(CultureInfo.InvariantCulture, $"Covariate '{term.Name}' is constant among the {n} complete cases; its coefficient cannot be estimated.")
                    : string.Create(CultureInfo.InvariantCulture, $"Level '{term.Level}' of covariate '{term.Covariate}' (term '{term.Name}') {(col[0] == 0 ? "does not occur" : "is the only level")} among the {n} complete cases."));
            }
        }

        data.Prepare();
        var warnings = new List<AnalysisWarning>();
        var beta = new double[p];
        Evaluation ev;
        bool converged = false;
        int iterations = 0;
        for (int ll = 0; ; ll++)
        {
            ev = data.Evaluate(beta, derivatives: true);
            double crit = 0;
            for (int j = 0; j < p; j++)
            {
                crit = Math.Max(crit, Math.Abs(ev.Score[j]) * Math.Max(Math.Abs(beta[j]), 1));
            }

            if (crit < Math.Max(Math.Abs(ev.LogLik), 1) * options.GradientTolerance)
            {
                converged = true;
                iterations = ll;
                break;
            }

            if (ll == options.MaxIterations)
            {
                iterations = ll;
                warnings.Add(new AnalysisWarning("not-converged", string.Create(CultureInfo.InvariantCulture,
                    $"The Fine-Gray model did not converge in {options.MaxIterations} Newton-Raphson steps (R crr: converged = FALSE); do not use its estimates.")));
                break;
            }

            var step = Solve(ev.Information, ev.Score, names);
            double slope = 0;
            for (int j = 0; j < p; j++)
            {
                slope += step[j] * ev.Score[j];
            }

            // crr minimises −l: accept when −l(β + step) ≤ −l(β) − 1e-4·stepᵀU, else halve (at most 20 times).
            var next = Add(beta, step);
            double fNext = -data.Evaluate(next, derivatives: false).LogLik;
            int halvings = 0;
            while (double.IsNaN(fNext) || fNext > -ev.LogLik - (1e-4 * slope))
            {
                halvings++;
                for (int j = 0; j < p; j++)
                {
                    step[j] *= 0.5;
                }

                next = Add(beta, step);
                fNext = -data.Evaluate(next, derivatives: false).LogLik;
                if (halvings > 20)
                {
                    break;
                }
            }

            if (halvings > 20)
            {
                iterations = ll;
                warnings.Add(new AnalysisWarning("not-converged",
                    "The Fine-Gray model's line search failed to increase the pseudo-likelihood (R crr: converged = FALSE); do not use its estimates."));
                break;
            }

            beta = next;
        }

        var info = Matrix<double>.Build.DenseOfArray(ev.Information);
        Matrix<double> inverse;
        try
        {
            inverse = info.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(p));
        }
        catch (ArgumentException)
        {
            throw Singular(names);
        }

        var meat = Matrix<double>.Build.DenseOfArray(data.Residuals(beta, ev));
        var variance = inverse * meat * inverse;
        double z = Normal.InvCDF(0, 1, 1 - ((1 - options.ConfidenceLevel) / 2));
        var terms = new FineGrayTerm[p];
        for (int j = 0; j < p; j++)
        {
            double se = Math.Sqrt(variance[j, j]);
            double zj = beta[j] / se;
            terms[j] = new FineGrayTerm(names[j], beta[j], Math.Exp(beta[j]), se, zj, 2 * Normal.CDF(0, 1, -Math.Abs(zj)),
                Math.Exp(beta[j] - (z * se)), Math.Exp(beta[j] + (z * se)));
        }

        double nullLik = data.Evaluate(new double[p], derivatives: false).LogLik;
        double lr = 2 * (ev.LogLik - nullLik);
        var lrTest = new TestStatistic(lr, p, lr >= 0 ? MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(p / 2.0, lr / 2) : double.NaN);
        return new FineGrayFit(
            terms, variance.ToRowArrays(), info.ToRowArrays(), ev.LogLik, nullLik, lrTest, converged, iterations, n,
            time.Count - n, events, competing, censored, failLevel, censorLevel, options, warnings);
    }

    private static double[] Add(double[] a, double[] b)
    {
        var r = new double[a.Length];
        for (int j = 0; j < a.Length; j++)
        {
            r[j] = a[j] + b[j];
        }

        return r;
    }

    private static double[] Solve(double[,] information, double[] score, List<string> names)
    {
        try
        {
            return Matrix<double>.Build.DenseOfArray(information).Cholesky().Solve(Vector<double>.Build.DenseOfArray(score)).ToArray();
        }
        catch (ArgumentException)
        {
            throw Singular(names);
        }
    }

    private static CompetingRisksException Singular(List<string> names) => new(
        "fine-gray-design",
        $"The information matrix of the Fine-Gray model is singular: the terms {string.Join(", ", names)} are collinear among the complete cases, or one has no events of the cause in a level.");

    private static Covariate Subset(Covariate covariate, int[] rows, int n) => covariate switch
    {
        NumericCovariate num when num.Values is not null && num.Values.Count == n => new NumericCovariate(num.Name, rows.Select(i => num.Values[i]).ToArray()),
        CategoricalCovariate cat when cat.Factor.Count == n => new CategoricalCovariate(
            Factor.FromCodes(cat.Factor.Name, rows.Select(i => cat.Factor.Codes[i]).ToArray(), [.. cat.Factor.Levels])),
        null => throw new ArgumentException("A covariate is null.", nameof(covariate)),
        _ => throw new ArgumentException($"Covariate '{covariate.Name}' has a number of values different from time's {n}.", nameof(covariate)),
    };

    /// <summary>l(β), U(β), I(β), and per failure block S⁰ and x̄ (for the residuals).</summary>
    private sealed class Evaluation(int blocks, int p)
    {
        public double LogLik { get; set; }

        public double[] Score { get; } = new double[p];

        public double[,] Information { get; } = new double[p, p];

        public double[] S0 { get; } = new double[blocks];

        public double[][] XBar { get; } = new double[blocks][];
    }

    /// <summary>The sorted, centred data and the censoring weights.</summary>
    private sealed class Data(int n, int p)
    {
        public double[] Time { get; init; } = [];

        public int[] Kind { get; } = new int[n];

        public double[,] X { get; } = new double[n, p];

        /// <summary>Ĝ(Tᵢ−) per row (Ĝ(0) at time 0), crr's <c>uuu</c>.</summary>
        public double[] G { get; } = new double[n];

        /// <summary>Start row of each distinct time of the cause, and its number of events d_k.</summary>
        private readonly List<(int Start, int Events)> _blocks = [];

        /// <summary>Start row of every distinct time, in order.</summary>
        private readonly List<int> _timeStarts = [];

        public void Prepare()
        {
            // Kaplan-Meier of the censoring distribution, read just before each time.
            double g = 1;
            int lo = 0;
            while (lo < n)
            {
                int hi = lo, cens = 0, fails = 0;
                while (hi < n && Time[hi] == Time[lo])
                {
                    cens += Kind[hi] == 0 ? 1 : 0;
                    fails += Kind[hi] == 1 ? 1 : 0;
                    hi++;
                }

                double after = g * (n - lo - cens) / (n - lo);
                double before = Time[lo] == 0 ? after : g;
                for (int r = lo; r < hi; r++)
                {
                    G[r] = before;
                }

                _timeStarts.Add(lo);
                if (fails > 0)
                {
                    _blocks.Add((lo, fails));
                }

                g = after;
                lo = hi;
            }
        }

        private int BlockEnd(int start)
        {
            int end = start;
            while (end < n && Time[end] == Time[start])
            {
                end++;
            }

            return end;
        }

        public Evaluation Evaluate(double[] beta, bool derivatives)
        {
            var ev = new Evaluation(_blocks.Count, p);
            var e = new double[n];
            var eta = new double[n];
            for (int r = 0; r < n; r++)
            {
                double s = 0;
                for (int j = 0; j < p; j++)
                {
                    s += X[r, j] * beta[j];
                }

                eta[r] = s;
                e[r] = Math.Exp(s);
            }

            // Suffix sums over rows r ≥ block start (weight 1) and prefix sums over competing rows before it (weight 1/Ĝ).
            var suf0 = new double[_blocks.Count];
            var suf1 = new double[_blocks.Count, p];
            var suf2 = new double[_blocks.Count, p, p];
            double a0 = 0;
            var a1 = new double[p];
            var a2 = new double[p, p];
            int b = _blocks.Count - 1;
            for (int r = n - 1; r >= 0 && b >= 0; r--)
            {
                a0 += e[r];
                if (derivatives)
                {
                    for (int j = 0; j < p; j++)
                    {
                        a1[j] += e[r] * X[r, j];
                        for (int k = 0; k <= j; k++)
                        {
                            a2[j, k] += e[r] * X[r, j] * X[r, k];
                        }
                    }
                }

                if (r == _blocks[b].Start)
                {
                    suf0[b] = a0;
                    if (derivatives)
                    {
                        for (int j = 0; j < p; j++)
                        {
                            suf1[b, j] = a1[j];
                            for (int k = 0; k <= j; k++)
                            {
                                suf2[b, j, k] = a2[j, k];
                            }
                        }
                    }

                    b--;
                }
            }

            double c0 = 0;
            var c1 = new double[p];
            var c2 = new double[p, p];
            int row = 0;
            double logLik = 0;
            for (b = 0; b < _blocks.Count; b++)
            {
                var (start, d) = _blocks[b];
                for (; row < start; row++)
                {
                    if (Kind[row] != 2)
                    {
                        continue;
                    }

                    double w = e[row] / G[row];
                    c0 += w;
                    if (derivatives)
                    {
                        for (int j = 0; j < p; j++)
                        {
                            c1[j] += w * X[row, j];
                            for (int k = 0; k <= j; k++)
                            {
                                c2[j, k] += w * X[row, j] * X[row, k];
                            }
                        }
                    }
                }

                double gk = G[start];
                double s0 = suf0[b] + (gk * c0);
                ev.S0[b] = s0;
                int end = BlockEnd(start);
                for (int r = start; r < end; r++)
                {
                    if (Kind[r] == 1)
                    {
                        logLik += eta[r];
                        if (derivatives)
                        {
                            for (int j = 0; j < p; j++)
                            {
                                ev.Score[j] += X[r, j];
                            }
                        }
                    }
                }

                logLik -= d * Math.Log(s0);
                if (derivatives)
                {
                    var xbar = new double[p];
                    for (int j = 0; j < p; j++)
                    {
                        xbar[j] = (suf1[b, j] + (gk * c1[j])) / s0;
                        ev.Score[j] -= d * xbar[j];
                    }

                    for (int j = 0; j < p; j++)
                    {
                        for (int k = 0; k <= j; k++)
                        {
                            double v = d * (((suf2[b, j, k] + (gk * c2[j, k])) / s0) - (xbar[j] * xbar[k]));
                            ev.Information[j, k] += v;
                            if (k != j)
                            {
                                ev.Information[k, j] += v;
                            }
                        }
                    }

                    ev.XBar[b] = xbar;
                }
            }

            ev.LogLik = logLik;
            return ev;
        }

        /// <summary>Σᵢ (ηᵢ + ψᵢ)(ηᵢ + ψᵢ)ᵀ at β (crr's <c>crrvv</c> second matrix), from the evaluation at β.</summary>
        public double[,] Residuals(double[] beta, Evaluation ev)
        {
            int nb = _blocks.Count;
            var e = new double[n];
            for (int r = 0; r < n; r++)
            {
                double s = 0;
                for (int j = 0; j < p; j++)
                {
                    s += X[r, j] * beta[j];
                }

                e[r] = Math.Exp(s);
            }

            var res = new double[n, p];

            // η: the d N part at the row's own failure, and the d Λ̂ parts before (weight 1) and after (Ĝ ratio) its time.
            // Prefix sums over blocks with t_k ≤ T: P0 = Σ d_k/S⁰_k, P1 = Σ (d_k/S⁰_k) x̄_k; suffix Q with Ĝ(t_k−) as well.
            var q0 = new double[nb + 1];
            var q1 = new double[nb + 1, p];
            for (int b = nb - 1; b >= 0; b--)
            {
                double ak = _blocks[b].Events / ev.S0[b] * G[_blocks[b].Start];
                q0[b] = q0[b + 1] + ak;
                for (int j = 0; j < p; j++)
                {
                    q1[b, j] = q1[b + 1, j] + (ak * ev.XBar[b][j]);
                }
            }

            double p0 = 0;
            var p1 = new double[p];
            int next = 0; // first block with t_k > T of the current row
            for (int r = 0; r < n; r++)
            {
                while (next < nb && Time[_blocks[next].Start] <= Time[r])
                {
                    double ak = _blocks[next].Events / ev.S0[next];
                    p0 += ak;
                    for (int j = 0; j < p; j++)
                    {
                        p1[j] += ak * ev.XBar[next][j];
                    }

                    next++;
                }

                for (int j = 0; j < p; j++)
                {
                    double v = -e[r] * ((X[r, j] * p0) - p1[j]);
                    if (Kind[r] == 2)
                    {
                        v -= e[r] * ((X[r, j] * q0[next]) - q1[next, j]) / G[r];
                    }
                    else if (Kind[r] == 1)
                    {
                        // its own block is next − 1 (t_k = T_r)
                        v += X[r, j] - ev.XBar[next - 1][j];
                    }

                    res[r, j] = v;
                }
            }

            // ψ: at each distinct time u with censorings, q(u) = A1(u)B0(u) − A0(u)B1(u), A over competing rows before u
            // (e/Ĝ and e·x/Ĝ), B over blocks t_k ≥ u (Ĝ(t_k−)d_k/S⁰_k and the same times x̄_k).
            double A0 = 0;
            var A1 = new double[p];
            var ss2 = new double[p];
            var q = new double[p];
            int rowA = 0, firstBlock = 0;
            foreach (int start in _timeStarts)
            {
                int end = BlockEnd(start);
                for (; rowA < start; rowA++)
                {
                    if (Kind[rowA] == 2)
                    {
                        double w = e[rowA] / G[rowA];
                        A0 += w;
                        for (int j = 0; j < p; j++)
                        {
                            A1[j] += w * X[rowA, j];
                        }
                    }
                }

                while (firstBlock < nb && _blocks[firstBlock].Start < start)
                {
                    firstBlock++;
                }

                int cens = 0;
                for (int r = start; r < end; r++)
                {
                    cens += Kind[r] == 0 ? 1 : 0;
                }

                double atRisk = n - start;
                if (cens > 0)
                {
                    for (int j = 0; j < p; j++)
                    {
                        q[j] = (A1[j] * q0[firstBlock]) - (A0 * q1[firstBlock, j]);
                        ss2[j] -= q[j] * cens / (atRisk * atRisk);
                    }
                }

                for (int r = start; r < end; r++)
                {
                    for (int j = 0; j < p; j++)
                    {
                        res[r, j] += ss2[j] + (Kind[r] == 0 ? q[j] / atRisk : 0);
                    }
                }
            }

            var meat = new double[p, p];
            for (int r = 0; r < n; r++)
            {
                for (int j = 0; j < p; j++)
                {
                    for (int k = 0; k < p; k++)
                    {
                        meat[j, k] += res[r, j] * res[r, k];
                    }
                }
            }

            return meat;
        }
    }
}
