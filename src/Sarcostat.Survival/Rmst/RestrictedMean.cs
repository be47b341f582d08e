using System.Globalization;
using MathNet.Numerics.Distributions;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Survival.Rmst;

/// <summary>
/// Restricted mean survival time (RMST): the area under the Kaplan-Meier curve from 0 to an end time τ, with its
/// standard error, per group; and, for two groups, their difference and ratio with confidence intervals and p-values.
/// </summary>
/// <remarks>
/// R: <c>summary(survfit(...), rmean = τ)$table</c> columns <c>rmean</c> and <c>se(rmean)</c> (<c>survival:::survmean</c>;
/// <c>print(fit, rmean = τ)</c> shows the same); without τ, <c>rmean = "common"</c>. The contrast follows survRM2's
/// <c>rmst2</c> (Uno et al. 2014). Cost O(m) per curve of m steps.
/// </remarks>
public static class RestrictedMean
{
    /// <summary>The restricted mean of one curve up to <paramref name="tau"/>.</summary>
    /// <param name="fit">A Kaplan-Meier fit.</param>
    /// <param name="tau">The end time: finite and &gt; 0. It may lie beyond the last observed time: the curve is then
    /// carried forward (as R does) and <see cref="RmstEstimate.BeyondLastTime"/> is set.</param>
    /// <param name="confidenceLevel">Level of the normal interval mean ± z·SE, in (0, 1).</param>
    /// <remarks>
    /// With the curve's distinct times t_1 &lt; … &lt; t_m ≤ τ, Ŝ its values and t_0 = 0, Ŝ(t_0) = 1:
    /// μ̂(τ) = Σ_{i=1}^{m+1} (t_i − t_{i−1})·Ŝ(t_{i−1}) with t_{m+1} = τ, and
    /// Var μ̂(τ) = Σ_{j=1}^{m} A_j²·d_j / (n_j (n_j − d_j)), A_j = ∫_{t_j}^{τ} Ŝ(u) du, the term 0 where n_j = d_j.
    /// R: <c>survival:::survmean</c> (<c>pfun</c>, start time 0) and survRM2's <c>rmst1</c>, which agree.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="fit"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is not finite or not &gt; 0; the level is
    /// outside (0, 1).</exception>
    /// <exception cref="ArgumentException">The fit has no observations.</exception>
    public static RmstEstimate Estimate(KaplanMeierFit fit, double tau, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(fit);
        CheckTau(tau);
        CheckLevel(confidenceLevel);
        if (fit.Columns.Count == 0)
        {
            throw new ArgumentException($"The curve{Who(fit)} has no observations: its restricted mean is not defined.", nameof(fit));
        }

        return Compute(fit, tau, KaplanMeierEstimator.Z(confidenceLevel));
    }

    /// <summary>
    /// The restricted means of a response's Kaplan-Meier curves (one per level of its group, or one curve when it has
    /// none) up to one common end time, and, for exactly two groups, their difference and ratio: the Kaplan-Meier fits
    /// of <paramref name="response"/> passed to <see cref="ByGroup(IReadOnlyList{KaplanMeierFit}, double?, double)"/>.
    /// </summary>
    /// <param name="response">Time, status and optional group, checked.</param>
    /// <param name="tau">The common end time (finite, &gt; 0); null for R's <c>rmean = "common"</c>.</param>
    /// <param name="options">The curves' options (their <see cref="KaplanMeierOptions.ConfidenceLevel"/> is the level
    /// of every interval); null for R's defaults.</param>
    /// <remarks>R: <c>summary(survfit(Surv(t, d) ~ g), rmean = tau)$table</c>; survRM2 <c>rmst2</c> for the contrast.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is not finite or not &gt; 0; an option is out of range.</exception>
    /// <exception cref="ArgumentException">The response has no rows, or no curve has an observation.</exception>
    public static RmstSummary ByGroup(SurvivalResponse response, double? tau = null, KaplanMeierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        options ??= new KaplanMeierOptions();
        IReadOnlyList<KaplanMeierFit> fits = response.Group is null
            ? [KaplanMeier.Fit(response, options)]
            : KaplanMeier.FitByGroup(response, options).Fits;
        return ByGroup(fits, tau, options.ConfidenceLevel);
    }

    /// <summary>
    /// The restricted means of several curves up to one common end time, and, when there are exactly two curves, their
    /// difference and ratio (second curve against the first).
    /// </summary>
    /// <param name="fits">The curves, e.g. <see cref="KaplanMeierGroups.Fits"/>; the first is the reference of the contrast.
    /// A curve without observations is left out with an <c>empty-group</c> warning.</param>
    /// <param name="tau">The common end time (finite, &gt; 0); null for R's <c>rmean = "common"</c>: the largest observed
    /// time of all curves.</param>
    /// <param name="confidenceLevel">Level of every interval, in (0, 1).</param>
    /// <remarks>R: <c>summary(survfit(Surv(t, d) ~ g), rmean = tau)$table</c> (or <c>rmean = "common"</c>);
    /// survRM2 <c>rmst2(t, d, arm, tau)</c> for the contrast.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="fits"/> or one of its curves is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is not finite or not &gt; 0; the level is
    /// outside (0, 1).</exception>
    /// <exception cref="ArgumentException">No curve has an observation.</exception>
    public static RmstSummary ByGroup(IReadOnlyList<KaplanMeierFit> fits, double? tau = null, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(fits);
        if (tau is double given)
        {
            CheckTau(given);
        }

        CheckLevel(confidenceLevel);
        var warnings = new List<AnalysisWarning>();
        var used = new List<KaplanMeierFit>();
        foreach (var fit in fits)
        {
            ArgumentNullException.ThrowIfNull(fit, nameof(fits));
            if (fit.Columns.Count == 0)
            {
                warnings.Add(new AnalysisWarning("empty-group", $"The curve{Who(fit)} has no observations and is left out of the restricted means."));
            }
            else
            {
                used.Add(fit);
            }
        }

        if (used.Count == 0)
        {
            throw new ArgumentException("No curve has an observation: the restricted mean is not defined.", nameof(fits));
        }

        // R's survmean, rmean = "common": the largest of the curves' last times (censored or not).
        double end = tau ?? used.Max(f => f.Columns.Time(f.Columns.Count - 1));
        double z = KaplanMeierEstimator.Z(confidenceLevel);
        var estimates = used.Select(f => Compute(f, end, z)).ToList();
        foreach (var e in estimates.Where(e => e.BeyondLastTime))
        {
            warnings.Add(new AnalysisWarning(
                "rmst-beyond-follow-up",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The curve{Who(e.Group)} is observed up to t = {e.LastTime:G6} only; its last value is carried forward to tau = {end:G6}, as R's survmean does (survRM2 requires tau to be no later than the last observed time of each group).")));
        }

        RmstContrast? contrast = estimates.Count == 2 ? Contrast(estimates[0], estimates[1], z, warnings) : null;
        return new RmstSummary(end, tau is null, confidenceLevel, estimates, contrast, warnings);
    }

    /// <summary>
    /// The difference and ratio of two restricted means (<paramref name="other"/> against <paramref name="reference"/>),
    /// by survRM2's method: the difference with SE √(se₁² + se₂²), the ratio on the log scale with the delta-method SE
    /// √(se₁²/μ₁² + se₂²/μ₂²); normal intervals and two-sided p-values.
    /// </summary>
    /// <param name="reference">The reference group's restricted mean (μ₁).</param>
    /// <param name="other">The other group's restricted mean (μ₂), at the same τ.</param>
    /// <param name="confidenceLevel">Level of the intervals, in (0, 1).</param>
    /// <remarks>R: survRM2 <c>rmst2(time, status, arm, tau)$unadjusted.result</c>, rows "RMST (arm=1)-(arm=0)" and
    /// "RMST (arm=1)/(arm=0)" with arm 1 = <paramref name="other"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The two estimates have different end times.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1).</exception>
    public static RmstContrast Compare(RmstEstimate reference, RmstEstimate other, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        CheckLevel(confidenceLevel);
        if (reference.Tau != other.Tau)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Restricted means up to different end times ({reference.Tau}, {other.Tau}) cannot be compared."),
                nameof(other));
        }

        return Contrast(reference, other, KaplanMeierEstimator.Z(confidenceLevel), []);
    }

    /// <summary>survmean's <c>pfun</c> for one curve: rectangles under the step function, and the variance from the
    /// areas beyond each time, summed from the last time backwards as R sums <c>cumsum(rev(rectangles[-1]))</c>.</summary>
    private static RmstEstimate Compute(KaplanMeierFit fit, double tau, double z)
    {
        var steps = fit.Columns;
        int m = steps.CountAtOrBefore(tau);
        double lastTime = steps.Time(steps.Count - 1);
        double mean, variance = 0;
        if (m == 0)
        {
            mean = tau;
        }
        else
        {
            // rectangles[0] = t_1·1; rectangles[i] = (t_{i+1} − t_i)·Ŝ(t_i); rectangles[m] = (τ − t_m)·Ŝ(t_m).
            var rectangles = new double[m + 1];
            double previous = 0, survival = 1;
            for (int i = 0; i < m; i++)
            {
                double t = steps.Time(i);
                rectangles[i] = (t - previous) * survival;
                previous = t;
                survival = steps.Survival(i);
            }

            rectangles[m] = (tau - previous) * survival;
            mean = 0;
            foreach (double r in rectangles)
            {
                mean += r;
            }

            double area = 0;
            for (int j = m - 1; j >= 0; j--)
            {
                area += rectangles[j + 1];
                int d = steps.NEvent(j), n = steps.NRisk(j);
                double h = n - d == 0 ? 0 : d / ((double)n * (n - d));
                variance += area * area * h;
            }
        }

        double se = Math.Sqrt(variance);
        return new RmstEstimate(fit.Group, tau, mean, se, mean - (z * se), mean + (z * se), lastTime, tau > lastTime);
    }

    private static RmstContrast Contrast(RmstEstimate reference, RmstEstimate other, double z, List<AnalysisWarning> warnings)
    {
        double m1 = reference.Mean, m2 = other.Mean, s1 = reference.StdErr, s2 = other.StdErr;
        double difference = m2 - m1;
        double differenceSe = Math.Sqrt((s1 * s1) + (s2 * s2));
        double? differenceP = null;
        if (differenceSe > 0)
        {
            differenceP = TwoSided(difference / differenceSe);
        }
        else
        {
            warnings.Add(new AnalysisWarning(
                "rmst-se-zero",
                "Both restricted means have standard error 0 (no event before tau), so the difference and the ratio have no p-value."));
        }

        double? ratio = null, logRatioSe = null, ratioLower = null, ratioUpper = null, ratioP = null;
        if (m1 > 0 && m2 > 0)
        {
            // survRM2: log(m2) − log(m1), se = sqrt(v2/m2/m2 + v1/m1/m1).
            double logRatio = Math.Log(m2) - Math.Log(m1);
            double lse = Math.Sqrt((s1 * s1 / m1 / m1) + (s2 * s2 / m2 / m2));
            ratio = Math.Exp(logRatio);
            logRatioSe = lse;
            ratioLower = Math.Exp(logRatio - (z * lse));
            ratioUpper = Math.Exp(logRatio + (z * lse));
            ratioP = lse > 0 ? TwoSided(logRatio / lse) : null;
        }
        else
        {
            warnings.Add(new AnalysisWarning(
                "rmst-ratio-not-estimable",
                "A restricted mean is 0 (every observation an event at time 0), so the ratio of restricted means is not defined."));
        }

        return new RmstContrast(
            reference.Group,
            other.Group,
            difference,
            differenceSe,
            difference - (z * differenceSe),
            difference + (z * differenceSe),
            differenceP,
            ratio,
            logRatioSe,
            ratioLower,
            ratioUpper,
            ratioP);
    }

    /// <summary>2·Φ(−|z|), R: <c>pnorm(-abs(z)) * 2</c>.</summary>
    private static double TwoSided(double zValue) => 2 * Normal.CDF(0, 1, -Math.Abs(zValue));

    private static void CheckTau(double tau)
    {
        if (!double.IsFinite(tau) || tau <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "The end time tau of a restricted mean must be a finite number > 0.");
        }
    }

    private static void CheckLevel(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        }
    }

    private static string Who(KaplanMeierFit fit) => Who(fit.Group);

    private static string Who(string? group) => group is null ? string.Empty : $" of group '{group}'";
}
