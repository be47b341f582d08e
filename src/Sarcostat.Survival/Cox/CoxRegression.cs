using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// Cox proportional hazards regression for right-censored data, with Efron, Breslow or exact ties and optional strata,
/// matching R's <c>coxph</c> (survival 3.5-3).
/// </summary>
/// <remarks>
/// R: <c>coxph(Surv(time, status) ~ x1 + x2 + strata(s), data, ties = "efron")</c> and <c>summary()</c> of it.
/// Newton-Raphson from β = 0 with R's convergence, step-halving and singularity rules (see docs/statistics/cox.md).
/// </remarks>
public static class CoxRegression
{
    /// <summary>
    /// Fits a Cox model on named covariates. Rows with a missing covariate (NaN, factor code −1) or a missing stratum
    /// are dropped and counted (R's default <c>na.omit</c>).
    /// </summary>
    /// <param name="time">Follow-up time per row; must be finite.</param>
    /// <param name="status">True for an event, false for a censored row.</param>
    /// <param name="covariates">At least one covariate, each with one value per row. Numeric covariates give one term,
    /// categorical ones a dummy per non-reference level.</param>
    /// <param name="strata">Optional stratification variable: separate baseline hazards (risk sets), common β.</param>
    /// <param name="options">Settings; defaults are R's.</param>
    /// <returns>The fit, with warnings for monotone likelihood or non-convergence.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, non-finite times or infinite covariate values,
    /// duplicate term names (programmer errors).</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <exception cref="ExactComputationLimitException">Exact ties (<see cref="TieMethod.Exact"/>) on so many tied
    /// deaths and rows that one iteration would exceed the work budget.</exception>
    /// <remarks>R: <c>coxph(Surv(time, status) ~ covariates + strata(strata), ties = options.Ties)</c>.</remarks>
    public static CoxFit Fit(
        IReadOnlyList<double> time,
        IReadOnlyList<bool> status,
        IReadOnlyList<Covariate> covariates,
        Factor? strata = null,
        CoxOptions? options = null)
    {
        options ??= new CoxOptions();
        options.Validate();
        return Fit(SurvivalResponse.Create(time, status, null, strata), covariates, options);
    }

    /// <summary>
    /// Fits a Cox model of a survival response on named covariates. Rows the response left out (missing time, status
    /// or stratum) and rows with a missing covariate (NaN, factor code −1) are dropped and counted together in
    /// <see cref="CoxFit.NDropped"/> (R's default <c>na.omit</c>). The response's strata, if any, stratify the model;
    /// its group, if any, is not used (give it as a covariate).
    /// </summary>
    /// <param name="response">Time and status, optional strata (separate baseline hazards, common β), checked.</param>
    /// <param name="covariates">At least one covariate, each with one value per row of the response's input
    /// (<see cref="SurvivalResponse.Count"/>). Numeric covariates give one term, categorical ones a dummy per
    /// non-reference level.</param>
    /// <param name="options">Settings; defaults are R's.</param>
    /// <returns>The fit, with warnings for monotone likelihood or non-convergence; it keeps its complete cases, so
    /// <c>fit.Zph()</c> and <c>fit.Concordance()</c> need nothing else.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, infinite covariate values, duplicate term names
    /// (programmer errors).</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <exception cref="ExactComputationLimitException">Exact ties on so many tied deaths and rows that one iteration
    /// would exceed the work budget.</exception>
    /// <remarks>R: <c>coxph(Surv(time, status) ~ covariates + strata(s), ties = options.Ties)</c>.</remarks>
    public static CoxFit Fit(SurvivalResponse response, IReadOnlyList<Covariate> covariates, CoxOptions? options = null)
    {
        options ??= new CoxOptions();
        options.Validate();
        var d = Prepare(response, covariates, out var kept);
        var fit = FitCore(d.Time, d.Status, d.X, d.P, d.Terms, d.Strata, options, d.NDropped, d.EventsDropped);
        fit.Inputs = kept;
        fit.Design = d;
        return fit;
    }

    /// <summary>
    /// The complete-case design of a response and covariates: the covariates restricted to the response's kept rows,
    /// then <see cref="Prepare(IReadOnlyList{double}, IReadOnlyList{bool}, IReadOnlyList{Covariate}, Factor?)"/>, with
    /// the response's dropped rows (and their known events) added to the design's. <paramref name="kept"/> is what the
    /// fit keeps for its checks.
    /// </summary>
    internal static PreparedDesign Prepare(SurvivalResponse response, IReadOnlyList<Covariate> covariates, out CoxFitInputs kept)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(covariates);
        var keptCovariates = ResponseCovariates.AtKeptRows(response, covariates);
        kept = new CoxFitInputs(response.Time, response.Status, keptCovariates, response.Strata);
        var d = Prepare(response.TimeArray, response.StatusArray, keptCovariates, response.Strata);
        return response.DroppedCount == 0
            ? d
            : d with { NDropped = d.NDropped + response.DroppedCount, EventsDropped = d.EventsDropped + response.EventsDropped };
    }

    /// <summary>
    /// The complete-case design of <see cref="Fit(IReadOnlyList{double}, IReadOnlyList{bool}, IReadOnlyList{Covariate}, Factor?, CoxOptions?)"/>'s
    /// inputs (<see cref="CoxDesign"/>), laid out column-major for the likelihood; shared by the fits and <see cref="CoxFirth.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxFirthOptions?)"/>.
    /// </summary>
    internal static PreparedDesign Prepare(IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, Factor? strata)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(covariates);
        if (covariates.Count == 0)
        {
            throw new ArgumentException("A Cox model needs at least one covariate.", nameof(covariates));
        }

        var design = CoxDesign.Build(time, status, covariates, strata);
        var terms = design.Terms;
        CheckDistinct(terms, nameof(covariates));
        int m = design.Time.Length, p = terms.Count;
        var x = new double[m * p];
        for (int j = 0; j < p; j++)
        {
            design.Columns[j].CopyTo(x, j * m);
        }

        return new PreparedDesign(design.Time, design.Status, x, p, terms, design.StrataCodes, time.Count - m, design.EventsDropped)
        {
            Assign = design.Assign,
        };
    }

    /// <summary>Throws <see cref="CoxDesignException"/> for a constant design column (R reports its coefficient as NA).</summary>
    internal static void CheckConstantColumns(double[] x, int n, int p, IReadOnlyList<TermInfo> terms)
    {
        for (int j = 0; j < p; j++)
        {
            var col = x.AsSpan(j * n, n);
            double first = col[0];
            bool constant = true;
            foreach (var v in col)
            {
                if (v != first)
                {
                    constant = false;
                    break;
                }
            }

            if (constant)
            {
                var term = terms[j];
                string message = term.Level is null
                    ? $"covariate '{term.Name}' is constant among the {n} complete cases."
                    : first == 0
                        ? $"level '{term.Level}' of covariate '{term.Covariate}' (term '{term.Name}') does not occur among the {n} complete cases."
                        : $"covariate '{term.Covariate}' takes only level '{term.Level}' among the {n} complete cases.";
                throw new CoxDesignException(message, [term.Name]);
            }
        }
    }

    /// <summary>
    /// Fits a Cox model on a design matrix already built (no missing values): the low-level entry for benchmarks and
    /// resampling.
    /// </summary>
    /// <param name="time">Follow-up time per row; must be finite.</param>
    /// <param name="status">True for an event.</param>
    /// <param name="xColumnMajor">The n × p design, column after column (value of row i, column j at j·n + i); finite.</param>
    /// <param name="p">Number of columns (terms), at least 1.</param>
    /// <param name="termNames">One distinct name per column.</param>
    /// <param name="strata">Optional stratum label per row (any integers).</param>
    /// <param name="options">Settings; defaults are R's.</param>
    /// <exception cref="ArgumentException">Null or mismatched inputs, non-finite values, duplicate names.</exception>
    /// <exception cref="CoxNoEventsException">No event.</exception>
    /// <exception cref="CoxDesignException">A constant column or collinear columns.</exception>
    /// <remarks>R: <c>coxph(Surv(time, status) ~ X + strata(strata))</c> with X a numeric matrix.</remarks>
    public static CoxFit FitMatrix(
        double[] time,
        bool[] status,
        double[] xColumnMajor,
        int p,
        IReadOnlyList<string> termNames,
        int[]? strata = null,
        CoxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(xColumnMajor);
        ArgumentNullException.ThrowIfNull(termNames);
        options ??= new CoxOptions();
        options.Validate();
        int n = time.Length;
        if (status.Length != n)
        {
            throw new ArgumentException($"status has {status.Length} values but time has {n}.", nameof(status));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(p, 1);
        if (termNames.Count != p)
        {
            throw new ArgumentException($"{termNames.Count} term names for {p} columns.", nameof(termNames));
        }

        if ((long)n * p != xColumnMajor.Length)
        {
            throw new ArgumentException($"xColumnMajor has {xColumnMajor.Length} values, expected n·p = {(long)n * p}.", nameof(xColumnMajor));
        }

        if (strata is not null && strata.Length != n)
        {
            throw new ArgumentException($"strata has {strata.Length} values but time has {n}.", nameof(strata));
        }

        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(time[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] is {time[i]}; times must be finite numbers."),
                    nameof(time));
            }
        }

        int k = FirstNonFinite(xColumnMajor);
        if (k >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"xColumnMajor[{k}] (row {k % Math.Max(n, 1)}, column {k / Math.Max(n, 1)}) is {xColumnMajor[k]}; the design must be finite."),
                nameof(xColumnMajor));
        }

        var terms = new List<TermInfo>(p);
        foreach (var name in termNames)
        {
            terms.Add(new TermInfo(name ?? throw new ArgumentException("A term name is null.", nameof(termNames)), name, null));
        }

        CheckDistinct(terms, nameof(termNames));
        return FitCore(time, status, xColumnMajor, p, terms, strata, options, 0, 0);
    }

    /// <summary>
    /// Common path: complete data, design built. Contract: arrays of matching lengths, finite values; strata any
    /// integers or null. Applies the time fix, checks the design, iterates, and assembles the result.
    /// </summary>
    internal static CoxFit FitCore(
        double[] time,
        bool[] status,
        double[] x,
        int p,
        IReadOnlyList<TermInfo> terms,
        int[]? strata,
        CoxOptions options,
        int nDropped,
        int eventsDropped)
    {
        int n = time.Length;
        int events = 0;
        foreach (var st in status)
        {
            if (st)
            {
                events++;
            }
        }

        if (events == 0)
        {
            throw new CoxNoEventsException(n, nDropped);
        }

        CheckConstantColumns(x, n, p, terms);

        var (stratumCodes, strataCount) = DenseCodes(strata, n);
        CoxIterationResult result;
        double[] means;
        if (options.Ties == TieMethod.Exact)
        {
            var exact = new CoxExactLikelihood(time, status, x, p, stratumCodes, strataCount, options.TimeFix);
            result = CoxExactNewtonRaphson.Run(exact, p, options);
            means = exact.Means;
        }
        else
        {
            var likelihood = CoxLikelihoodKernel.Create(time, status, x, p, stratumCodes, strataCount, options.Ties, options.TimeFix);
            result = CoxNewtonRaphson.Run(likelihood, p, options);
            means = likelihood.Means;
        }

        if (result.InitialRank != p)
        {
            throw Collinear(result.InitialInformation, p, options.TolerChol, terms);
        }

        for (int j = 0; j < p; j++)
        {
            if (result.Variance[(j * p) + j] == 0)
            {
                throw new CoxDesignException(
                    $"term '{terms[j].Name}' is redundant at the estimate (R would report its coefficient as NA).", [terms[j].Name]);
            }
        }

        return Assemble(result, means, p, terms, n, events, nDropped, eventsDropped, options);
    }

    private static CoxFit Assemble(
        CoxIterationResult result,
        double[] means,
        int p,
        IReadOnlyList<TermInfo> terms,
        int n,
        int events,
        int nDropped,
        int eventsDropped,
        CoxOptions options)
    {
        double zq = Normal.InvCDF(0, 1, (1 + options.ConfidenceLevel) / 2);
        var table = new CoxTerm[p];
        var variance = new double[p][];
        for (int j = 0; j < p; j++)
        {
            variance[j] = new double[p];
            for (int k = 0; k < p; k++)
            {
                variance[j][k] = result.Variance[(j * p) + k];
            }

            double b = result.Beta[j];
            double se = Math.Sqrt(result.Variance[(j * p) + j]);
            double z = b / se;
            table[j] = new CoxTerm(
                terms[j].Name,
                terms[j].Covariate,
                terms[j].Level,
                b,
                Math.Exp(b),
                se,
                z,
                ChiSquareUpper(z * z, 1),
                Math.Exp(b - (zq * se)),
                Math.Exp(b + (zq * se)));
        }

        double lr = -2 * (result.LogLikNull - result.LogLik);
        var likelihoodRatio = new TestStatistic(lr, p, ChiSquareUpper(lr, p));
        double waldStat = WaldTest(result.Variance, result.Beta, p, options.TolerChol);
        var wald = new TestStatistic(waldStat, p, ChiSquareUpper(waldStat, p));
        var score = new TestStatistic(result.ScoreTest, p, ChiSquareUpper(result.ScoreTest, p));

        var warnings = new List<AnalysisWarning>();
        if (options.MaxIterations == 0)
        {
            warnings.Add(new AnalysisWarning(
                "not-converged",
                "No iteration was requested (MaxIterations = 0): the coefficients are the starting values β = 0."));
        }
        else if (result.RanOut)
        {
            warnings.Add(new AnalysisWarning(
                "not-converged",
                string.Create(CultureInfo.InvariantCulture, $"Ran out of iterations ({options.MaxIterations}) and did not converge; the estimates and standard errors are not reliable.")));
        }

        if (options.MaxIterations > 1)
        {
            // R's infinite-coefficient check: infs = |U′·Var| with U the final score.
            var infs = new double[p];
            bool anyNonFinite = false;
            for (int j = 0; j < p; j++)
            {
                double sum = 0;
                for (int k = 0; k < p; k++)
                {
                    sum += result.Score[k] * result.Variance[(k * p) + j];
                }

                infs[j] = Math.Abs(sum);
                anyNonFinite |= !double.IsFinite(infs[j]);
            }

            if (result.RanOut)
            {
                if (result.MaxLinearPredictor > 500 || anyNonFinite)
                {
                    warnings.Add(new AnalysisWarning("infinite-coefficients", "One or more coefficients may be infinite."));
                }
            }
            else
            {
                var flagged = new List<string>();
                for (int j = 0; j < p; j++)
                {
                    bool inf = !double.IsFinite(result.Score[j])
                        || (infs[j] > options.Epsilon && infs[j] > options.TolerInf * Math.Abs(result.Beta[j]));
                    if (inf)
                    {
                        flagged.Add(terms[j].Name);
                    }
                }

                if (flagged.Count > 0)
                {
                    warnings.Add(new AnalysisWarning(
                        "monotone-likelihood",
                        $"The log likelihood converged before {JoinNames(flagged, "term", "terms")} did; the coefficient may be infinite " +
                        "(monotone likelihood: e.g. every event in one group). Its hazard ratio, standard error and Wald test are not meaningful; " +
                        "the likelihood-ratio and score tests remain valid."));
                }
            }
        }

        return new CoxFit(
            table,
            variance,
            (double[])means.Clone(),
            result.LogLikNull,
            result.LogLik,
            result.Iterations,
            !result.RanOut && options.MaxIterations > 0,
            likelihoodRatio,
            wald,
            score,
            n,
            events,
            nDropped,
            eventsDropped,
            options,
            warnings);
    }

    /// <summary>P(χ²(df) ≥ x), R <c>pchisq(x, df, lower.tail = FALSE)</c>; NaN for a NaN statistic.</summary>
    internal static double ChiSquareUpper(double x, int df)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        return df == 1 ? SpecialFunctions.Erfc(Math.Sqrt(x / 2)) : SpecialFunctions.GammaUpperRegularized(df / 2.0, x / 2);
    }

    /// <summary>
    /// The Wald statistic b′V⁻¹b with V factored by the tolerant Cholesky (redundant columns ignored).
    /// R: <c>coxph.wtest(fit$var, fit$coefficients, toler.chol)$test</c>.
    /// </summary>
    internal static double WaldTest(double[] variance, double[] beta, int p, double toler)
    {
        foreach (var v in variance)
        {
            if (!double.IsFinite(v))
            {
                return double.NaN;
            }
        }

        var f = (double[])variance.Clone();
        CoxCholesky.Decompose(f, p, toler);
        var solve = (double[])beta.Clone();
        CoxCholesky.Solve(f, p, solve);
        double sum = 0;
        for (int j = 0; j < p; j++)
        {
            sum += beta[j] * solve[j];
        }

        return sum;
    }

    /// <summary>
    /// Names the terms of the first redundant column of the information at β = 0 and the earlier columns it is a
    /// combination of (regression of that column on the earlier independent ones in the information metric).
    /// </summary>
    internal static CoxDesignException Collinear(double[] info, int p, double toler, IReadOnlyList<TermInfo> terms)
    {
        var f = (double[])info.Clone();
        CoxCholesky.Decompose(f, p, toler);
        int bad = -1;
        var independent = new List<int>();
        for (int j = 0; j < p; j++)
        {
            if (f[(j * p) + j] == 0)
            {
                bad = j;
                break;
            }

            independent.Add(j);
        }

        if (bad < 0)
        {
            return new CoxDesignException("The information matrix is not positive definite.", terms.Select(t => t.Name).ToArray());
        }

        double largest = 0;
        for (int j = 0; j < p; j++)
        {
            largest = Math.Max(largest, info[(j * p) + j]);
        }

        if (info[(bad * p) + bad] <= toler * largest || independent.Count == 0)
        {
            return new CoxDesignException(
                $"term '{terms[bad].Name}' does not vary within the risk sets at the event times; it carries no information.",
                [terms[bad].Name]);
        }

        // Solve I[S,S] c = I[S,bad].
        int q = independent.Count;
        var sub = new double[q * q];
        var rhs = new double[q];
        for (int a = 0; a < q; a++)
        {
            rhs[a] = info[(independent[a] * p) + bad];
            for (int b = 0; b < q; b++)
            {
                sub[(a * q) + b] = info[(independent[a] * p) + independent[b]];
            }
        }

        CoxCholesky.Decompose(sub, q, toler);
        CoxCholesky.Solve(sub, q, rhs);
        var involved = new List<string>();
        double sdBad = Math.Sqrt(info[(bad * p) + bad]);
        for (int a = 0; a < q; a++)
        {
            double contribution = Math.Abs(rhs[a]) * Math.Sqrt(info[(independent[a] * p) + independent[a]]);
            if (contribution > 1e-3 * sdBad)
            {
                involved.Add(terms[independent[a]].Name);
            }
        }

        involved.Add(terms[bad].Name);
        return new CoxDesignException(
            $"{JoinNames(involved, "term", "terms")} {(involved.Count == 1 ? "is" : "are")} collinear (the information matrix is singular; R would report the coefficient of '{terms[bad].Name}' as NA).",
            involved);
    }

    internal static string JoinNames(IReadOnlyList<string> names, string singular, string plural)
    {
        var quoted = names.Select(nm => $"'{nm}'").ToList();
        return quoted.Count switch
        {
            1 => $"{singular} {quoted[0]}",
            2 => $"{plural} {quoted[0]} and {quoted[1]}",
            _ => $"{plural} {string.Join(", ", quoted.Take(quoted.Count - 1))} and {quoted[^1]}",
        };
    }

    /// <summary>Index of the first NaN or infinite value, or −1 (a vectorised scan first: v·0 is NaN exactly then).</summary>
    private static int FirstNonFinite(double[] values)
    {
        var vectors = MemoryMarshal.Cast<double, Vector256<double>>(values.AsSpan());
        var acc = Vector256<double>.Zero;
        foreach (var v in vectors)
        {
            acc += v * Vector256<double>.Zero;
        }

        double total = Vector256.Sum(acc);
        for (int k = vectors.Length * 4; k < values.Length; k++)
        {
            total += values[k] * 0;
        }

        if (!double.IsNaN(total))
        {
            return -1;
        }

        for (int k = 0; k < values.Length; k++)
        {
            if (!double.IsFinite(values[k]))
            {
                return k;
            }
        }

        return -1;
    }

    internal static (int[]? Codes, int Count) DenseCodes(int[]? strata, int n)
    {
        if (strata is null)
        {
            return (null, 1);
        }

        var distinct = strata.Distinct().Order().ToArray();
        if (distinct.Length <= 1)
        {
            return (null, 1);
        }

        var map = new Dictionary<int, int>(distinct.Length);
        for (int k = 0; k < distinct.Length; k++)
        {
            map[distinct[k]] = k;
        }

        var codes = new int[n];
        for (int i = 0; i < n; i++)
        {
            codes[i] = map[strata[i]];
        }

        return (codes, distinct.Length);
    }

    /// <summary>Throws when two terms share a name (a programmer error: results could not be told apart).</summary>
    private static void CheckDistinct(IReadOnlyList<TermInfo> terms, string paramName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (!names.Add(term.Name))
            {
                throw new ArgumentException($"Two terms are named '{term.Name}'; term names must be distinct.", paramName);
            }
        }
    }

    /// <summary>A complete-case design: times, statuses, the n × p design column-major, terms, stratum codes (or null),
    /// and the count of dropped rows and their events.</summary>
    internal sealed record PreparedDesign(
        double[] Time, bool[] Status, double[] X, int P, IReadOnlyList<TermInfo> Terms, int[]? Strata, int NDropped, int EventsDropped)
    {
        /// <summary>Design columns per covariate, in covariate order (R <c>fit$assign</c>); null for a bare design matrix.</summary>
        public int[][]? Assign { get; init; }
    }
}
