using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival.Curves;

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
    /// Fits one curve per group in one pass over rows sorted by time.
    /// Contract: <paramref name="times"/> holds the rows' times ascending, after the near-tie rule; <paramref name="code"/>
    /// holds (group &lt;&lt; 1) | event per row in the same order, group in 0..labels.Length−1; <paramref name="sizes"/>
    /// the number of rows per group. Output: one fit per group, in group order. Cost O(n): each block of equal times
    /// adds one step to each group present in it (a single row, the rule for continuous times, takes a short path).
    /// </summary>
    // Called once per fit, so tiered compilation would run its loop as on-stack-replacement code: compile it fully at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static KaplanMeierFit[] Fit(SortedTimes times, int[] code, int[] sizes, string?[] labels, KaplanMeierOptions options)
    {
        var time = times.Time;
        int n = time.Length, groups = labels.Length;
        var builders = new CurveBuilder[groups];
        for (int g = 0; g < groups; g++)
        {
            // A group has at most as many distinct times as rows, and at most as many as all groups together.
            builders[g] = new CurveBuilder(sizes[g], Math.Min(sizes[g], times.Distinct), options);
        }

        var events = new int[groups];
        var censored = new int[groups];
        var present = new int[groups];
        int i = 0;
        while (i < n)
        {
            double t = time[i];
            if (i + 1 == n || time[i + 1] != t)
            {
                int c = code[i], e = c & 1;
                builders[c >> 1].Add(t, e, 1 - e);
                i++;
                continue;
            }

            int m = 0;
            for (; i < n && time[i] == t; i++)
            {
                int c = code[i], g = c >> 1;
                if (events[g] + censored[g] == 0)
                {
                    present[m++] = g;
                }

                if ((c & 1) != 0)
                {
                    events[g]++;
                }
                else
                {
                    censored[g]++;
                }
            }

            for (int j = 0; j < m; j++)
            {
                int g = present[j];
                builders[g].Add(t, events[g], censored[g]);
                events[g] = 0;
                censored[g] = 0;
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(double t, int d, int c)
        {
            if (d > 0)
            {
                _survival *= (double)(_atRisk - d) / _atRisk;
                _greenwood += d == _atRisk ? double.PositiveInfinity : d / ((double)_atRisk * (_atRisk - d));
            }

            _steps.Add(t, _atRisk, d, c, _survival, _greenwood);
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
    /// Pointwise confidence limits of S from σ = se(−log S) (<see cref="LowerLimit"/> and <see cref="UpperLimit"/> compute
    /// one of them with the same arithmetic).
    /// R: <c>survival:::survfit_confint(p, se, logse = TRUE, conf.type, conf.int)</c> with the usual lower limit:
    /// plain S ± z·σ·S clipped to [0, 1]; log exp(log S ± z·σ), upper capped at 1, NA where S = 0;
    /// log-log exp(−exp(log(−log S) ∓ z·σ / log S)), NA where S is 0 or 1. NaN and NA map to null.
    /// </summary>
    internal static (double? Lower, double? Upper) Limits(double s, double sigma, ConfidenceIntervalType type, double z) =>
        (LowerLimit(s, sigma, type, z), UpperLimit(s, sigma, type, z));

    /// <summary>The lower limit of <see cref="Limits"/>.</summary>
    internal static double? LowerLimit(double s, double sigma, ConfidenceIntervalType type, double z)
    {
        switch (type)
        {
            case ConfidenceIntervalType.Plain:
                return NotNaN(RMax(s - (sigma * s * z), 0));

            case ConfidenceIntervalType.Log:
                return s == 0 ? null : NotNaN(Math.Exp(Math.Log(s) - (z * sigma)));

            case ConfidenceIntervalType.LogLog:
            {
                if (s == 0 || s == 1)
                {
                    return null;
                }

                double half = z * sigma / Math.Log(s);
                return NotNaN(Math.Exp(-Math.Exp(Math.Log(-Math.Log(s)) - half)));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown confidence interval type.");
        }
    }

    /// <summary>The upper limit of <see cref="Limits"/>.</summary>
    internal static double? UpperLimit(double s, double sigma, ConfidenceIntervalType type, double z)
    {
        switch (type)
        {
            case ConfidenceIntervalType.Plain:
                return NotNaN(RMin(s + (sigma * s * z), 1));

            case ConfidenceIntervalType.Log:
                return s == 0 ? null : NotNaN(RMin(Math.Exp(Math.Log(s) + (z * sigma)), 1));

            case ConfidenceIntervalType.LogLog:
            {
                if (s == 0 || s == 1)
                {
                    return null;
                }

                double half = z * sigma / Math.Log(s);
                return NotNaN(Math.Exp(-Math.Exp(Math.Log(-Math.Log(s)) + half)));
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
    internal static MedianSurvival RMedian(KaplanMeierSteps steps)
    {
        int below = FirstBelowHalf(steps);
        return new MedianSurvival(
            FirstAtHalf(steps, k => steps.Survival(k), below),
            FirstAtHalf(steps, steps.Lower, LowerScanStart(steps, below)),
            // The upper limit is never below Ŝ, so it cannot reach 0.5 before Ŝ does: start its scan there.
            FirstAtHalf(steps, steps.Upper, below),
            MedianInterval.R,
            null);
    }

    /// <summary>
    /// R: <c>minmin(y, x)</c> in <c>survival:::survmean</c>, scanning from step <paramref name="from"/> (every earlier
    /// step must be known not to qualify). Missing values (null) are skipped, as R's <c>!is.na(y)</c>.
    /// </summary>
    internal static double? FirstAtHalf(KaplanMeierSteps steps, Func<int, double?> curve, int from = 0)
    {
        double tol = MedianTolerance;
        for (int k = from; k < steps.Count; k++)
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
                        return Midpoint.Of(steps.Time(k), steps.Time(j));
                    }
                }
            }

            return steps.Time(k);
        }

        return null;
    }

    /// <summary>
    /// The first step with Ŝ &lt; 0.5 + tol (the count of steps when there is none), by bisection: the stored Ŝ never
    /// increases from step to step (a running product of factors (n − d)/n ≤ 1, each product rounded), so the test
    /// is false up to some step and true from there on.
    /// </summary>
    private static int FirstBelowHalf(KaplanMeierSteps steps)
    {
        int lo = 0, hi = steps.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (steps.Survival(mid) < 0.5 + MedianTolerance)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>
    /// A step from which the scan of the lower limit curve for the median may start: every earlier step's lower limit
    /// is ≥ 0.5 + tol. Saves computing the limit (a log and an exp) at each of the millions of steps before the median of
    /// a large curve.
    /// </summary>
    /// <remarks>
    /// For log and plain intervals the lower limit, L(Ŝ, σ) = exp(log Ŝ − zσ) or max(Ŝ − zσŜ, 0), is non-increasing in
    /// Ŝ and non-decreasing in σ; the stored Ŝ never increases from step to step (a running product of factors ≤ 1,
    /// rounded) and σ never decreases (the root of a running sum of non-negative terms). So in exact arithmetic the
    /// limit is non-increasing in k, and the computed limit differs from it by a few units in 10⁻¹⁶ relative where it is
    /// near 0.5. A step whose computed limit is ≥ (0.5 + tol)(1 + 10⁻⁹) thus has every earlier computed limit ≥ 0.5 + tol,
    /// and a bisection for the last such step is safe; the scan from there is exact, as before. The bisection stays
    /// before the first step with Ŝ &lt; 0.5 + tol (where the limit, at most Ŝ up to rounding, cannot be that high), so
    /// Ŝ &gt; 0 and the limit is defined at every step it reads. Log-log limits are not monotone: scanned from 0.
    /// </remarks>
    private static int LowerScanStart(KaplanMeierSteps steps, int firstBelowHalf)
    {
        if (steps.Type == ConfidenceIntervalType.LogLog)
        {
            return 0;
        }

        int hi = firstBelowHalf;
        double safe = (0.5 + MedianTolerance) * (1 + 1e-9);
        int lo = -1;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (steps.Lower(mid) is double y && y >= safe)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo + 1;
    }

    /// <summary>
    /// SPSS's symmetric interval: median ± z·SE, SE = se{Ŝ(m)} / f, f = (Ŝ(u) − Ŝ(l)) / (l − u),
    /// u = max{t_j : Ŝ(t_j) ≥ 0.55}, l = min{t_j : Ŝ(t_j) ≤ 0.45} over event times t_j (t = 0 with Ŝ = 1 stands in for u
    /// when no event time qualifies); comparisons allow R's median tolerance. The estimate m is R's median.
    /// </summary>
    internal static MedianSurvival SpssMedian(
        KaplanMeierSteps steps, double z, string who, List<AnalysisWarning> warnings)
    {
        double? m = FirstAtHalf(steps, k => steps.Survival(k), FirstBelowHalf(steps));
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
