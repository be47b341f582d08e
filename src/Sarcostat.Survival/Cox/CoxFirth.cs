using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// Firth-penalised Cox proportional hazards regression (Heinze &amp; Schemper 2001): maximises the penalised log partial
/// likelihood l*(β) = l(β) + ½ log|I(β)|, which stays finite under monotone likelihood (e.g. a factor level with no
/// events), with profile penalised-likelihood confidence intervals.
/// </summary>
/// <remarks>
/// Reference: G. Heinze and M. Schemper (2001), A solution to the problem of monotone likelihood in Cox regression,
/// Biometrics 57:114-119; and Statistics in Medicine 21:2409. R: <c>coxphf(Surv(time, status) ~ x, data)</c> (package
/// coxphf; Breslow ties). Golden values: tools/reference/firth.R (hand-computed from the formulas). See
/// docs/statistics/firth.md.
/// </remarks>
public static class CoxFirth
{
    /// <summary>
    /// Pivot tolerance of the factorisations inside the fit: only non-positive pivots count as singular, because far out
    /// on a profile (β of a monotone term near −50) the information of that term is legitimately ~e^β times the others'.
    /// The design check at β = 0 uses R's toler.chol.
    /// </summary>
    internal const double PivotTolerance = 1e-300;

    private const double LimitSearchBound = 50;

    /// <summary>
    /// Fits a Firth-penalised Cox model on named covariates (Breslow ties). Rows with a missing covariate or stratum are
    /// dropped and counted, as in <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.
    /// </summary>
    /// <param name="time">Follow-up time per row; finite.</param>
    /// <param name="status">True for an event.</param>
    /// <param name="covariates">At least one covariate (numeric: one term; categorical: a dummy per non-reference level).</param>
    /// <param name="strata">Optional stratification variable (separate risk sets, common β).</param>
    /// <param name="options">Settings; defaults as coxphf (tighter convergence).</param>
    /// <returns>The penalised fit with profile confidence limits and penalised likelihood-ratio tests.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, non-finite times, infinite covariate values,
    /// duplicate term names.</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <remarks>R: <c>coxphf(Surv(time, status) ~ covariates, data, alpha = 1 − level)</c>; Newton-Raphson on the modified
    /// score U*_r = U_r + ½ tr(I⁻¹ ∂I/∂β_r) with I as the Hessian, step capped at <see cref="CoxFirthOptions.MaxStep"/>
    /// and halved while l* decreases.</remarks>
    public static CoxFirthFit Fit(
        IReadOnlyList<double> time,
        IReadOnlyList<bool> status,
        IReadOnlyList<Covariate> covariates,
        Factor? strata = null,
        CoxFirthOptions? options = null)
    {
        options ??= new CoxFirthOptions();
        options.Validate();
        return Fit(SurvivalResponse.Create(time, status, null, strata), covariates, options);
    }

    /// <summary>
    /// Fits a Firth-penalised Cox model of a survival response on named covariates (Breslow ties). Rows are dropped
    /// and counted as in <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.
    /// </summary>
    /// <param name="response">Time and status, optional strata, checked.</param>
    /// <param name="covariates">At least one covariate, one value per row of the response's input.</param>
    /// <param name="options">Settings; defaults as coxphf (tighter convergence).</param>
    /// <returns>The penalised fit with profile confidence limits and penalised likelihood-ratio tests.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, infinite covariate values, duplicate term names.</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <remarks>R: <c>coxphf(Surv(time, status) ~ covariates, data, alpha = 1 − level)</c>.</remarks>
    public static CoxFirthFit Fit(SurvivalResponse response, IReadOnlyList<Covariate> covariates, CoxFirthOptions? options = null)
    {
        options ??= new CoxFirthOptions();
        options.Validate();
        var design = CoxRegression.Prepare(response, covariates, out _);
        return FitCore(design, options);
    }

    /// <summary>
    /// Contract: complete, finite data from <see cref="CoxRegression.Prepare(SurvivalResponse, IReadOnlyList{Covariate}, out CoxFitInputs)"/>. Checks the design (events, constant and
    /// collinear columns), maximises l*, computes the profile limits and tests, and assembles the result.
    /// </summary>
    private static CoxFirthFit FitCore(CoxRegression.PreparedDesign design, CoxFirthOptions options)
    {
        int n = design.Time.Length;
        int p = design.P;
        int events = design.Status.Count(s => s);
        if (events == 0)
        {
            throw new CoxNoEventsException(n, design.NDropped);
        }

        CoxRegression.CheckConstantColumns(design.X, n, p, design.Terms);
        var (strata, _) = CoxRegression.DenseCodes(design.Strata, n);
        var lik = new FirthLikelihood(design.Time, design.Status, design.X, p, strata, options.TimeFix);

        double toler = new CoxOptions().TolerChol;
        var zero = new double[p];
        var at0 = lik.Evaluate(zero, false);
        var info0 = (double[])at0.Information.Clone();
        if (CoxCholesky.Decompose(info0, p, toler) != p)
        {
            throw CoxRegression.Collinear(at0.Information, p, toler, design.Terms);
        }

        var warnings = new List<AnalysisWarning>();
        var all = Enumerable.Range(0, p).ToArray();
        var fit = Maximise(lik, zero, all, options);
        if (!fit.Converged)
        {
            warnings.Add(new AnalysisWarning(
                "not-converged",
                string.Create(CultureInfo.InvariantCulture, $"The Firth fit ran out of iterations ({options.MaxIterations}) and did not converge; the estimates are not reliable.")));
        }

        var beta = fit.Beta;
        var atHat = lik.Evaluate(beta, false);
        var factor = (double[])atHat.Information.Clone();
        CoxCholesky.Decompose(factor, p, toler);
        var variance = CoxCholesky.Inverse(factor, p);

        double q = ChiSquared.InvCDF(1, options.ConfidenceLevel);
        var table = new CoxFirthTerm[p];
        bool profileTrouble = false;
        for (int r = 0; r < p; r++)
        {
            var others = all.Where(j => j != r).ToArray();
            double Profile(double b)
            {
                var start = (double[])beta.Clone();
                start[r] = b;
                if (others.Length == 0)
                {
                    return lik.Penalized(start);
                }

                var inner = Maximise(lik, start, others, options);
                profileTrouble |= !inner.Converged;
                return inner.PenalizedLogLik;
            }

            double se = Math.Sqrt(variance[(r * p) + r]);
            double F(double b) => (2 * (fit.PenalizedLogLik - Profile(b))) - q;
            double? lower = Limit(F, beta[r], -se, options.Epsilon);
            double? upper = Limit(F, beta[r], se, options.Epsilon);
            double chi = Math.Max(0, 2 * (fit.PenalizedLogLik - Profile(0)));
            if (lower is null || upper is null)
            {
                warnings.Add(new AnalysisWarning(
                    "profile-limit-not-found",
                    string.Create(CultureInfo.InvariantCulture, $"The {(lower is null ? upper is null ? "lower and upper" : "lower" : "upper")} profile-likelihood {(lower is null && upper is null ? "limits" : "limit")} of term '{design.Terms[r].Name}' could not be found (beyond |β| = {LimitSearchBound} or where the information is numerically singular); it is reported as not estimable.")));
            }

            table[r] = new CoxFirthTerm(
                design.Terms[r].Name,
                design.Terms[r].Covariate,
                design.Terms[r].Level,
                beta[r],
                Math.Exp(beta[r]),
                se,
                beta[r] / se,
                lower is null ? null : Math.Exp(lower.Value),
                upper is null ? null : Math.Exp(upper.Value),
                chi,
                CoxRegression.ChiSquareUpper(chi, 1));
        }

        if (profileTrouble)
        {
            warnings.Add(new AnalysisWarning("not-converged", "A profile-likelihood maximisation ran out of iterations; the confidence limits may be inaccurate."));
        }

        double pl0 = lik.Penalized(zero);
        double lr = Math.Max(0, 2 * (fit.PenalizedLogLik - pl0));
        var varianceRows = new double[p][];
        for (int j = 0; j < p; j++)
        {
            varianceRows[j] = variance.AsSpan(j * p, p).ToArray();
        }

        return new CoxFirthFit(
            table,
            varianceRows,
            pl0,
            fit.PenalizedLogLik,
            at0.LogLik,
            atHat.LogLik,
            new TestStatistic(lr, p, CoxRegression.ChiSquareUpper(lr, p)),
            fit.Iterations,
            fit.Converged,
            n,
            events,
            design.NDropped,
            design.EventsDropped,
            options,
            warnings);
    }

    /// <summary>The result of a (partial) maximisation of l*.</summary>
    private sealed record Maximum(double[] Beta, double PenalizedLogLik, int Iterations, bool Converged);

    /// <summary>
    /// Maximises l* over the coefficients in <paramref name="free"/>, the others held at their values in
    /// <paramref name="start"/>. Newton-Raphson on the modified score with the information (restricted to the free
    /// coefficients) as the Hessian, as coxphf; a step longer than MaxStep is shrunk; while l* decreases the step is
    /// halved, at most MaxStepHalvings times. Converged when the largest Newton step is at most Epsilon.
    /// </summary>
    private static Maximum Maximise(FirthLikelihood lik, double[] start, int[] free, CoxFirthOptions options)
    {
        int p = start.Length;
        int f = free.Length;
        var beta = (double[])start.Clone();
        var current = lik.Evaluate(beta, true);
        var sub = new double[f * f];
        var step = new double[f];
        for (int iter = 1; iter <= options.MaxIterations; iter++)
        {
            for (int a = 0; a < f; a++)
            {
                step[a] = current.PenalizedScore[free[a]];
                for (int b = 0; b < f; b++)
                {
                    sub[(a * f) + b] = current.Information[(free[a] * p) + free[b]];
                }
            }

            CoxCholesky.Decompose(sub, f, PivotTolerance);
            CoxCholesky.Solve(sub, f, step);
            double largest = 0;
            foreach (var s in step)
            {
                largest = Math.Max(largest, Math.Abs(s));
            }

            if (!double.IsFinite(largest))
            {
                return new Maximum(beta, current.PenalizedLogLik, iter, false);
            }

            if (largest <= options.Epsilon)
            {
                return new Maximum(beta, current.PenalizedLogLik, iter - 1, true);
            }

            double shrink = largest > options.MaxStep ? options.MaxStep / largest : 1;
            var candidate = (double[])beta.Clone();
            FirthEvaluation next = current;
            for (int h = 0; h <= options.MaxStepHalvings; h++)
            {
                for (int a = 0; a < f; a++)
                {
                    candidate[free[a]] = beta[free[a]] + (step[a] * shrink);
                }

                next = lik.Evaluate(candidate, true);
                if (double.IsFinite(next.PenalizedLogLik) && next.PenalizedLogLik >= current.PenalizedLogLik)
                {
                    break;
                }

                shrink /= 2;
            }

            beta = candidate;
            current = next;
        }

        return new Maximum(beta, current.PenalizedLogLik, options.MaxIterations, false);
    }

    /// <summary>
    /// The root of the decreasing-then-increasing profile deviance <paramref name="f"/> (negative at
    /// <paramref name="estimate"/>) on the side given by the sign of <paramref name="step"/>: steps outwards by |step|
    /// (doubling) until f ≥ 0, then the Illinois variant of regula falsi until the bracket is shorter than
    /// tolerance·max(1, |β|). Null when no sign change is found within |β| ≤ 50, or when the profile deviance is not
    /// finite on the way (the information numerically singular far out on a monotone side).
    /// </summary>
    private static double? Limit(Func<double, double> f, double estimate, double step, double tolerance)
    {
        if (!(Math.Abs(step) > 0) || !double.IsFinite(step))
        {
            step = Math.Sign(step) >= 0 ? 1 : -1;
        }

        double inner = estimate, fInner = f(estimate);
        double outer = estimate + step, fOuter = f(outer);
        while (!(fOuter >= 0))
        {
            // A non-finite deviance: far out on a monotone side the information is numerically singular (its
            // small eigenvalue is lost to cancellation), so the profile cannot be evaluated there: not found.
            if (!double.IsFinite(fOuter))
            {
                return null;
            }

            if (Math.Abs(outer) > LimitSearchBound)
            {
                return null;
            }

            inner = outer;
            fInner = fOuter;
            step *= 2;
            outer = estimate + step;
            fOuter = f(outer);
        }

        // Illinois: fInner < 0 <= fOuter.
        int side = 0;
        for (int k = 0; k < 200; k++)
        {
            double x = outer - (fOuter * (outer - inner) / (fOuter - fInner));
            if (!(x > Math.Min(inner, outer) && x < Math.Max(inner, outer)))
            {
                x = (inner + outer) / 2;
            }

            double fx = f(x);
            if (!double.IsFinite(fx))
            {
                return null;
            }

            if (fx == 0)
            {
                return x;
            }

            if (fx < 0)
            {
                inner = x;
                fInner = fx;
                if (side == -1)
                {
                    fOuter /= 2;
                }

                side = -1;
            }
            else
            {
                outer = x;
                fOuter = fx;
                if (side == 1)
                {
                    fInner /= 2;
                }

                side = 1;
            }

            if (Math.Abs(outer - inner) <= tolerance * Math.Max(1, Math.Abs(x)))
            {
                break;
            }
        }

        return inner - (fInner * (outer - inner) / (fOuter - fInner));
    }
}

/// <summary>l, U, I at β, and with derivatives the penalised l*, the modified score U*.</summary>
internal sealed record FirthEvaluation(double LogLik, double[] Score, double[] Information, double PenalizedLogLik, double[] PenalizedScore);

/// <summary>
/// The Breslow log partial likelihood with its first three derivatives, for the Firth penalty.
/// </summary>
/// <remarks>
/// <para>Contract: complete finite data; dense stratum codes or null. Rows are sorted once (one stable time sort, near
/// ties merged as R's aeqSurv, then by stratum). Covariates are centred on their means (l, U, I unchanged).</para>
/// <para>Per distinct event time t with d deaths and risk set R (time ≥ t, same stratum), with r = exp(x′β) and
/// S0 = Σ_R r, m = Σ_R r x / S0, E2 = Σ_R r x x′ / S0, E3 = Σ_R r x⊗x⊗x / S0:
/// l = Σ_deaths x′β − Σ_t d log S0; U = Σ_deaths x − Σ_t d m; I = Σ_t d (E2 − m m′);
/// ∂I_jk/∂β_r = Σ_t d [E3_jkr − E2_jk m_r − E2_jr m_k − E2_kr m_j + 2 m_j m_k m_r] (the third central moment).
/// Then l* = l + ½ log|I| and U*_r = U_r + ½ tr(I⁻¹ ∂I/∂β_r). One backward pass over the sorted rows accumulates the
/// risk-set sums: O(n p³) per evaluation with derivatives, O(n p²) without.</para>
/// <para>R: coxph(ties = "breslow") for l, U, I (survival's coxfit6); the penalty as coxphf.</para>
/// </remarks>
internal sealed class FirthLikelihood
{
    private readonly int _n;
    private readonly int _p;
    private readonly double[] _x;      // row-major, sorted rows, centred
    private readonly double[] _time;   // sorted, fixed
    private readonly bool[] _status;   // sorted
    private readonly int[] _stratum;   // sorted
    private readonly double[] _deathSum;

    public FirthLikelihood(double[] time, bool[] status, double[] x, int p, int[]? stratum, TimeFix timeFix)
    {
        int n = time.Length;
        _n = n;
        _p = p;
        var ascending = TimeOrder.Ascending(time);
        var fixedTime = TimeFixer.Apply(time, ascending, timeFix);
        int[] order;
        if (stratum is null)
        {
            order = ascending;
        }
        else
        {
            // stable by stratum, keeping the time order within each
            order = ascending.OrderBy(i => stratum[i]).ToArray();
        }

        var means = new double[p];
        for (int j = 0; j < p; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                s += x[(j * n) + i];
            }

            means[j] = s / n;
        }

        _x = new double[n * p];
        _time = new double[n];
        _status = new bool[n];
        _stratum = new int[n];
        _deathSum = new double[p];
        for (int k = 0; k < n; k++)
        {
            int o = order[k];
            _time[k] = fixedTime[o];
            _status[k] = status[o];
            _stratum[k] = stratum is null ? 0 : stratum[o];
            for (int j = 0; j < p; j++)
            {
                double v = x[(j * n) + o] - means[j];
                _x[(k * p) + j] = v;
                if (_status[k])
                {
                    _deathSum[j] += v;
                }
            }
        }
    }

    /// <summary>The penalised log likelihood l*(β) = l(β) + ½ log|I(β)| (−∞ when I is not positive definite).</summary>
    public double Penalized(double[] beta) => Evaluate(beta, false).PenalizedLogLik;

    /// <summary>
    /// l, U, I at <paramref name="beta"/> (original scale) and l*; with <paramref name="derivatives"/> also U*
    /// (otherwise U* is empty).
    /// </summary>
    public FirthEvaluation Evaluate(double[] beta, bool derivatives)
    {
        int n = _n, p = _p, p2 = p * p, p3 = p2 * p;
        var eta = new double[n];
        double shift = double.NegativeInfinity;
        double linearDeaths = 0;
        for (int k = 0; k < n; k++)
        {
            double e = 0;
            for (int j = 0; j < p; j++)
            {
                e += _x[(k * p) + j] * beta[j];
            }

            eta[k] = e;
            shift = Math.Max(shift, e);
            if (_status[k])
            {
                linearDeaths += e;
            }
        }

        var s1 = new double[p];
        var s2 = new double[p2];
        var s3 = derivatives ? new double[p3] : [];
        var m = new double[p];
        var e2 = new double[p2];
        var u = (double[])_deathSum.Clone();
        var info = new double[p2];
        var dInfo = derivatives ? new double[p3] : [];
        double loglik = linearDeaths;
        double s0 = 0;
        int i = n - 1;
        while (i >= 0)
        {
            if (i == n - 1 || _stratum[i] != _stratum[i + 1])
            {
                s0 = 0;
                Array.Clear(s1);
                Array.Clear(s2);
                Array.Clear(s3);
            }

            double t = _time[i];
            int stratum = _stratum[i];
            int deaths = 0;
            while (i >= 0 && _time[i] == t && _stratum[i] == stratum)
            {
                double r = Math.Exp(eta[i] - shift);
                var xi = _x.AsSpan(i * p, p);
                s0 += r;
                for (int a = 0; a < p; a++)
                {
                    double ra = r * xi[a];
                    s1[a] += ra;
                    for (int b = 0; b < p; b++)
                    {
                        double rab = ra * xi[b];
                        s2[(a * p) + b] += rab;
                        if (derivatives)
                        {
                            for (int c = 0; c < p; c++)
                            {
                                s3[(((a * p) + b) * p) + c] += rab * xi[c];
                            }
                        }
                    }
                }

                deaths += _status[i] ? 1 : 0;
                i--;
            }

            if (deaths == 0)
            {
                continue;
            }

            double d = deaths;
            loglik -= d * (Math.Log(s0) + shift);
            for (int a = 0; a < p; a++)
            {
                m[a] = s1[a] / s0;
                u[a] -= d * m[a];
            }

            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    e2[(a * p) + b] = s2[(a * p) + b] / s0;
                    info[(a * p) + b] += d * (e2[(a * p) + b] - (m[a] * m[b]));
                }
            }

            if (derivatives)
            {
                for (int a = 0; a < p; a++)
                {
                    for (int b = 0; b < p; b++)
                    {
                        for (int c = 0; c < p; c++)
                        {
                            double central = (s3[(((a * p) + b) * p) + c] / s0)
                                - (e2[(a * p) + b] * m[c]) - (e2[(a * p) + c] * m[b]) - (e2[(b * p) + c] * m[a])
                                + (2 * m[a] * m[b] * m[c]);
                            dInfo[(((a * p) + b) * p) + c] += d * central;
                        }
                    }
                }
            }
        }

        // ½ log|I| from the LDLᵀ factor; I⁻¹ for the trace.
        var factor = (double[])info.Clone();
        int rank = CoxCholesky.Decompose(factor, p, CoxFirth.PivotTolerance);
        double logDet = 0;
        for (int a = 0; a < p; a++)
        {
            logDet += Math.Log(factor[(a * p) + a]);
        }

        double penalized = rank == p ? loglik + (0.5 * logDet) : double.NegativeInfinity;
        double[] penalizedScore = [];
        if (derivatives)
        {
            var inverse = CoxCholesky.Inverse(factor, p);
            penalizedScore = new double[p];
            for (int c = 0; c < p; c++)
            {
                double trace = 0;
                for (int a = 0; a < p; a++)
                {
                    for (int b = 0; b < p; b++)
                    {
                        trace += inverse[(a * p) + b] * dInfo[(((a * p) + b) * p) + c];
                    }
                }

                penalizedScore[c] = u[c] + (0.5 * trace);
            }
        }

        return new FirthEvaluation(loglik, u, info, penalized, penalizedScore);
    }
}
