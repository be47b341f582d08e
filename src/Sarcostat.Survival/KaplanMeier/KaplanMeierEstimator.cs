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
    /// Fits one curve per group in one pass over the data.
    /// Contract: <paramref name="time"/> finite and non-negative (validated by the caller); <paramref name="code"/>
    /// null for a single curve, else a group index in 0..labels.Length−1 per observation (no missing codes);
    /// <paramref name="sizes"/> the number of observations per group.
    /// Output: one fit per group, in group order. Cost: O(n + range) without any sort when every time is a whole
    /// number in a range no wider than 4n + 1024 and below 1/√ε (then no two distinct times can be near-tied, so
    /// R's time merging changes nothing); otherwise one <see cref="TimeOrder"/> sort, near-tie merging on the sorted
    /// copy, and one gather into per-group slices, then O(n).
    /// </summary>
    internal static KaplanMeierFit[] Fit(double[] time, bool[] status, int[]? code, int[] sizes, string?[] labels, KaplanMeierOptions options)
    {
        int n = time.Length, groups = labels.Length;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        bool whole = true;
        for (int i = 0; i < n; i++)
        {
            double t = time[i];
            min = Math.Min(min, t);
            max = Math.Max(max, t);
            whole &= t == Math.Floor(t);
        }

        bool histogram = n > 0 && whole && max - min <= (4.0 * n) + 1024 && max < 1 / MedianTolerance;
        var builders = new CurveBuilder[groups];
        for (int g = 0; g < groups; g++)
        {
            // Distinct times number at most the group's size, and at most the range on the histogram route.
            int capacity = histogram ? (int)Math.Min(sizes[g], max - min + 1) : sizes[g];
            builders[g] = new CurveBuilder(sizes[g], capacity, options);
        }

        if (histogram)
        {
            // Histogram route: events and censorings per (group, time); no sort, no merging needed.
            int range = (int)(max - min) + 1;
            var events = new int[groups * range];
            var censored = new int[groups * range];
            for (int i = 0; i < n; i++)
            {
                int at = ((code?[i] ?? 0) * range) + (int)(time[i] - min);
                if (status[i])
                {
                    events[at]++;
                }
                else
                {
                    censored[at]++;
                }
            }

            for (int g = 0; g < groups; g++)
            {
                int offset = g * range;
                for (int k = 0; k < range; k++)
                {
                    int d = events[offset + k], c = censored[offset + k];
                    if (d + c > 0)
                    {
                        builders[g].Add(min + k, d, c);
                    }
                }
            }
        }
        else if (n > 0)
        {
            // Sort route: one sort, merge near-ties on the sorted times (over all groups together, as R merges the
            // whole response before splitting), then a stable bucket pass into contiguous per-group slices.
            var order = TimeOrder.Ascending(time);
            var sorted = GC.AllocateUninitializedArray<double>(n);
            for (int k = 0; k < n; k++)
            {
                sorted[k] = time[order[k]];
            }

            if (options.TimeFix == TimeFix.R)
            {
                TimeFixer.ApplySortedInPlace(sorted);
            }

            var next = new int[groups + 1];
            for (int g = 0; g < groups; g++)
            {
                next[g + 1] = next[g] + sizes[g];
            }

            var sliceStart = (int[])next.Clone();
            var groupTime = GC.AllocateUninitializedArray<double>(n);
            var groupStatus = GC.AllocateUninitializedArray<bool>(n);
            for (int k = 0; k < n; k++)
            {
                int i = order[k];
                int at = next[code?[i] ?? 0]++;
                groupTime[at] = sorted[k];
                groupStatus[at] = status[i];
            }

            for (int g = 0; g < groups; g++)
            {
                int k = sliceStart[g], end = sliceStart[g + 1];
                while (k < end)
                {
                    double t = groupTime[k];
                    int d = 0, c = 0;
                    for (; k < end && groupTime[k] == t; k++)
                    {
                        if (groupStatus[k])
                        {
                            d++;
                        }
                        else
                        {
                            c++;
                        }
                    }

                    builders[g].Add(t, d, c);
                }
            }
        }

        var fits = new KaplanMeierFit[groups];
        for (int g = 0; g < groups; g++)
        {
            fits[g] = builders[g].Finish(labels[g]);
        }

        return fits;
    }

    /// <summary>
    /// Accumulates one curve from its distinct times in ascending order:
    /// Ŝ(t) = ∏ (1 − d_j / n_j), Greenwood σ²(t) = Σ d_j / (n_j (n_j − d_j)) (R: <c>survfit</c>, <c>std.err</c> of −log Ŝ).
    /// </summary>
    private sealed class CurveBuilder(int count, int capacity, KaplanMeierOptions options)
    {
        private readonly int _count = count;
        private readonly KaplanMeierSteps _steps = new(capacity, options.ConfidenceType, Z(options.ConfidenceLevel));
        private int _atRisk = count;
        private int _events;
        private double _survival = 1;
        private double _greenwood;

        public void Add(double t, int d, int c)
        {
            if (d > 0)
            {
                _survival *= (double)(_atRisk - d) / _atRisk;
                _greenwood += d == _atRisk ? double.PositiveInfinity : d / ((double)_atRisk * (_atRisk - d));
            }

            _steps.Add(t, _atRisk, d, c, _survival, Math.Sqrt(_greenwood));
            _atRisk -= d + c;
            _events += d;
        }

        public KaplanMeierFit Finish(string? group) => Complete(_steps, _count, _events, group, options);
    }

    /// <summary>Adds the median and the warnings to a finished curve.</summary>
    private static KaplanMeierFit Complete(KaplanMeierSteps steps, int count, int events, string? group, KaplanMeierOptions options)
    {
        double z = Z(options.ConfidenceLevel);
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

        if (steps.Count > 0 && steps.Survival(steps.Count - 1) == 0)
        {
            warnings.Add(new AnalysisWarning(
                "survival-reaches-zero",
                string.Create(CultureInfo.InvariantCulture, $"{who} falls to 0 at t = {steps.Time(steps.Count - 1):G6} (the last observation is an event): its standard error and confidence limits are undefined there (NA in R).")));
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
    internal static MedianSurvival RMedian(KaplanMeierSteps steps) => new(
        FirstAtHalf(steps, k => steps.Survival(k)),
        FirstAtHalf(steps, k => steps.Limits(k).Lower),
        FirstAtHalf(steps, k => steps.Limits(k).Upper),
        MedianInterval.R,
        null);

    /// <summary>
    /// R: <c>minmin(y, x)</c> in <c>survival:::survmean</c>. Missing values (null) are skipped, as R's <c>!is.na(y)</c>.
    /// </summary>
    internal static double? FirstAtHalf(KaplanMeierSteps steps, Func<int, double?> curve)
    {
        double tol = MedianTolerance;
        for (int k = 0; k < steps.Count; k++)
        {
            double? y = curve(k);
            if (y is not double y1 || !(y1 < 0.5 + tol))
            {
                continue;
            }

            if (Math.Abs(y1 - 0.5) < tol)
            {
                for (int j = k + 1; j < steps.Count; j++)
                {
                    if (curve(j) is double yj && yj < y1)
                    {
                        return (steps.Time(k) + steps.Time(j)) / 2;
                    }
                }
            }

            return steps.Time(k);
        }

        return null;
    }

    /// <summary>
    /// SPSS's symmetric interval: median ± z·SE, SE = se{Ŝ(m)} / f, f = (Ŝ(u) − Ŝ(l)) / (l − u),
    /// u = max{t_j : Ŝ(t_j) ≥ 0.55}, l = min{t_j : Ŝ(t_j) ≤ 0.45} over event times t_j (t = 0 with Ŝ = 1 stands in for u
    /// when no event time qualifies); comparisons allow R's median tolerance. The estimate m is R's median.
    /// </summary>
    internal static MedianSurvival SpssMedian(
        KaplanMeierSteps steps, double z, string who, List<AnalysisWarning> warnings)
    {
        double? m = FirstAtHalf(steps, k => steps.Survival(k));
        if (m is not double median)
        {
            return new MedianSurvival(null, null, null, MedianInterval.Spss, null);
        }

        double tol = MedianTolerance;
        double u = 0, su = 1;
        double? l = null;
        double sl = double.NaN;
        double? seAtMedian = null;
        for (int k = 0; k < steps.Count; k++)
        {
            double time = steps.Time(k), survival = steps.Survival(k);
            if (time <= median)
            {
                seAtMedian = steps.StdErr(k);
            }

            if (steps.NEvent(k) == 0)
            {
                continue;
            }

            if (survival >= 0.55 - tol)
            {
                u = time;
                su = survival;
            }

            if (l is null && survival <= 0.45 + tol)
            {
                l = time;
                sl = survival;
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

    private static double? NotNaN(double v) => double.IsNaN(v) ? null : v;

    // R's pmax / pmin propagate NaN; Math.Max / Math.Min do too, but spell it out.
    private static double RMax(double a, double b) => double.IsNaN(a) ? double.NaN : Math.Max(a, b);

    private static double RMin(double a, double b) => double.IsNaN(a) ? double.NaN : Math.Min(a, b);
}
