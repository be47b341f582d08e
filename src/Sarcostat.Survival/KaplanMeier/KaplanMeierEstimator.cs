using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival;

/// <summary>
/// The arithmetic behind <see cref="KaplanMeier"/>: one pass over sorted observations per curve, the pointwise
/// confidence limits, and the median rules.
/// </summary>
internal static class KaplanMeierEstimator
{
    /// <summary>R's tolerance for "S equals 0.5": <c>.Machine$double.eps^0.5</c>.</summary>
    internal static readonly double MedianTolerance = Math.Sqrt(2.220446049250313e-16);

    /// <summary>z = Φ⁻¹(1 − (1 − level) / 2). R: <c>qnorm(1 - (1 - conf.int) / 2)</c>.</summary>
    internal static double Z(double level) => Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));

    /// <summary>
    /// Builds one curve.
    /// Contract: <paramref name="time"/> holds finite, non-negative times (already near-tie merged);
    /// <paramref name="order"/>[start .. start + count) lists the curve's observations in ascending time.
    /// Output: a fit with one step per distinct time; never throws for valid input; count = 0 gives an empty fit.
    /// Cost: O(count).
    /// </summary>
    internal static KaplanMeierFit Build(
        double[] time, bool[] status, int[] order, int start, int count, string? group, KaplanMeierOptions options)
    {
        double z = Z(options.ConfidenceLevel);
        var steps = new List<KaplanMeierStep>();
        int atRisk = count, events = 0;
        double s = 1, greenwood = 0;
        int k = start, end = start + count;
        while (k < end)
        {
            double t = time[order[k]];
            int d = 0, c = 0;
            while (k < end && time[order[k]] == t)
            {
                if (status[order[k]])
                {
                    d++;
                }
                else
                {
                    c++;
                }

                k++;
            }

            if (d > 0)
            {
                s *= (double)(atRisk - d) / atRisk;
                greenwood += d == atRisk ? double.PositiveInfinity : d / ((double)atRisk * (atRisk - d));
            }

            double sigma = Math.Sqrt(greenwood);
            var (lower, upper) = Limits(s, sigma, options.ConfidenceType, z);
            steps.Add(new KaplanMeierStep(t, atRisk, d, c, s, Finite(s * sigma), Finite(sigma), lower, upper));
            atRisk -= d + c;
            events += d;
        }

        var warnings = new List<AnalysisWarning>();
        string who = group is null ? "The curve" : $"Group '{group}'";
        if (count == 0)
        {
            warnings.Add(new AnalysisWarning("empty-group", $"{who} has no observations; its curve is empty."));
        }
        else if (events == 0)
        {
            warnings.Add(new AnalysisWarning(
                "no-events",
                $"{who} has no events: survival stays at 1 and the median is not reached."));
        }

        if (steps.Count > 0 && steps[^1].Survival == 0)
        {
            warnings.Add(new AnalysisWarning(
                "survival-reaches-zero",
                string.Create(CultureInfo.InvariantCulture, $"{who} falls to 0 at t = {steps[^1].Time:G6} (the last observation is an event): its standard error and confidence limits are undefined there (NA in R).")));
        }

        var median = options.MedianInterval == MedianInterval.Spss
            ? SpssMedian(steps, z, who, warnings)
            : RMedian(steps);
        return new KaplanMeierFit(group, count, events, count - events, options, steps, median, warnings);
    }

    /// <summary>
    /// Pointwise confidence limits of S from σ = se(−log S).
    /// R: <c>survival:::survfit_confint(p, se, logse = TRUE, conf.type, conf.int)</c> with the usual lower limit:
    /// plain S ± z·σ·S clipped to [0, 1]; log exp(log S ± z·σ), upper capped at 1, NA where S = 0;
    /// log-log exp(−exp(log(−log S) ∓ z·σ / log S)), NA where S is 0 or 1. NaN and NA map to null.
    /// </summary>
    internal static (double? Lower, double? Upper) Limits(double s, double sigma, ConfidenceIntervalType type, double z)
    {
        switch (type)
        {
            case ConfidenceIntervalType.Plain:
            {
                double half = sigma * s * z;
                return (NotNaN(RMax(s - half, 0)), NotNaN(RMin(s + half, 1)));
            }

            case ConfidenceIntervalType.Log:
            {
                if (s == 0)
                {
                    return (null, null);
                }

                double half = z * sigma;
                return (NotNaN(Math.Exp(Math.Log(s) - half)), NotNaN(RMin(Math.Exp(Math.Log(s) + half), 1)));
            }

            case ConfidenceIntervalType.LogLog:
            {
                if (s == 0 || s == 1)
                {
                    return (null, null);
                }

                double half = z * sigma / Math.Log(s);
                double ll = Math.Log(-Math.Log(s));
                return (NotNaN(Math.Exp(-Math.Exp(ll - half))), NotNaN(Math.Exp(-Math.Exp(ll + half))));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown confidence interval type.");
        }
    }

    /// <summary>
    /// R's median and its interval as <c>print(fit)</c> shows them (<c>survival:::survmean</c>, inner <c>minmin</c>):
    /// the first curve time at which the curve is &lt; 0.5 + tol; if it is within tol of 0.5 and the curve later drops
    /// below that value, the midpoint of the two times. Applied to Ŝ, to the lower and to the upper limit curves.
    /// </summary>
    internal static MedianSurvival RMedian(IReadOnlyList<KaplanMeierStep> steps) => new(
        FirstAtHalf(steps, static x => x.Survival),
        FirstAtHalf(steps, static x => x.Lower),
        FirstAtHalf(steps, static x => x.Upper),
        MedianInterval.R,
        null);

    /// <summary>
    /// R: <c>minmin(y, x)</c> in <c>survival:::survmean</c>. Missing values (null) are skipped, as R's <c>!is.na(y)</c>.
    /// </summary>
    internal static double? FirstAtHalf(IReadOnlyList<KaplanMeierStep> steps, Func<KaplanMeierStep, double?> curve)
    {
        double tol = MedianTolerance;
        for (int k = 0; k < steps.Count; k++)
        {
            double? y = curve(steps[k]);
            if (y is not double y1 || !(y1 < 0.5 + tol))
            {
                continue;
            }

            if (Math.Abs(y1 - 0.5) < tol)
            {
                for (int j = k + 1; j < steps.Count; j++)
                {
                    if (curve(steps[j]) is double yj && yj < y1)
                    {
                        return (steps[k].Time + steps[j].Time) / 2;
                    }
                }
            }

            return steps[k].Time;
        }

        return null;
    }

    /// <summary>
    /// SPSS's symmetric interval: median ± z·SE, SE = se{Ŝ(m)} / f, f = (Ŝ(u) − Ŝ(l)) / (l − u),
    /// u = max{t_j : Ŝ(t_j) ≥ 0.55}, l = min{t_j : Ŝ(t_j) ≤ 0.45} over event times t_j (t = 0 with Ŝ = 1 stands in for u
    /// when no event time qualifies); comparisons allow R's median tolerance. The estimate m is R's median.
    /// </summary>
    internal static MedianSurvival SpssMedian(
        IReadOnlyList<KaplanMeierStep> steps, double z, string who, List<AnalysisWarning> warnings)
    {
        double? m = FirstAtHalf(steps, static x => x.Survival);
        if (m is not double median)
        {
            return new MedianSurvival(null, null, null, MedianInterval.Spss, null);
        }

        double tol = MedianTolerance;
        double u = 0, su = 1;
        double? l = null;
        double sl = double.NaN;
        double? seAtMedian = null;
        foreach (var step in steps)
        {
            if (step.Time <= median)
            {
                seAtMedian = step.StdErr;
            }

            if (step.NEvent == 0)
            {
                continue;
            }

            if (step.Survival >= 0.55 - tol)
            {
                u = step.Time;
                su = step.Survival;
            }

            if (l is null && step.Survival <= 0.45 + tol)
            {
                l = step.Time;
                sl = step.Survival;
            }
        }

        if (l is not double lt || seAtMedian is not double se)
        {
            warnings.Add(new AnalysisWarning(
                "median-se-not-estimable",
                l is null
                    ? $"{who}: the survival curve never falls to 0.45, so the SPSS (Collett) standard error of the median and its interval cannot be computed."
                    : $"{who}: the standard error of survival at the median is undefined (survival 0), so the SPSS interval cannot be computed."));
            return new MedianSurvival(median, null, null, MedianInterval.Spss, null);
        }

        double density = (su - sl) / (lt - u);
        double seMedian = se / density;
        double lower = median - (z * seMedian), upper = median + (z * seMedian);
        if (lower < 0)
        {
            warnings.Add(new AnalysisWarning(
                "median-ci-below-zero",
                string.Create(CultureInfo.InvariantCulture, $"{who}: the symmetric SPSS interval of the median starts below 0 ({lower:G6}); it is reported unclipped.")));
        }

        return new MedianSurvival(median, lower, upper, MedianInterval.Spss, seMedian);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static double? NotNaN(double v) => double.IsNaN(v) ? null : v;

    // R's pmax / pmin propagate NaN; Math.Max / Math.Min do too, but spell it out.
    private static double RMax(double a, double b) => double.IsNaN(a) ? double.NaN : Math.Max(a, b);

    private static double RMin(double a, double b) => double.IsNaN(a) ? double.NaN : Math.Min(a, b);
}
