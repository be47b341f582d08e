using System.Globalization;

namespace Sarcostat.Survival.Curves;

/// <summary>
/// A fitted Kaplan-Meier curve: its steps, the median survival with its interval, and readings at chosen times.
/// </summary>
/// <remarks>R: <c>survfit(Surv(time, status) ~ 1)</c>; one stratum of <c>survfit(Surv(time, status) ~ group)</c>.</remarks>
public sealed class KaplanMeierFit
{
    private readonly KaplanMeierSteps _steps;
    private readonly Lazy<(int[] Events, int[] Censored)> _cumulative;

    internal KaplanMeierFit(
        string? group,
        int n,
        int events,
        int censored,
        KaplanMeierOptions options,
        KaplanMeierSteps steps,
        MedianSurvival median,
        List<AnalysisWarning> warnings)
    {
        Group = group;
        N = n;
        Events = events;
        Censored = censored;
        Options = options;
        _steps = steps;
        Median = median;
        Warnings = warnings.AsReadOnly();

        // Needed by At() only: made on its first call, not for every fit (10⁷ steps would cost 80 MB and a pass).
        _cumulative = new Lazy<(int[] Events, int[] Censored)>(() => Cumulate(steps));
    }

    /// <summary>The group's level label when fitted by <c>KaplanMeier.FitByGroup</c>; null for a single curve.</summary>
    public string? Group { get; }

    /// <summary>Number of observations.</summary>
    public int N { get; }

    /// <summary>Number of events.</summary>
    public int Events { get; }

    /// <summary>Number of censored observations.</summary>
    public int Censored { get; }

    /// <summary>The options the curve was fitted with.</summary>
    public KaplanMeierOptions Options { get; }

    /// <summary>One step per distinct observed time, events or censorings, in ascending time
    /// (R: <c>summary(fit, censored = TRUE)</c>).</summary>
    public IReadOnlyList<KaplanMeierStep> Steps => _steps;

    /// <summary>The steps by column, for estimators built on the curve (restricted mean) without a row object per step.</summary>
    internal KaplanMeierSteps Columns => _steps;

    /// <summary>Median survival with its interval by <see cref="KaplanMeierOptions.MedianInterval"/>.</summary>
    /// <remarks>R: the median, LCL and UCL columns of <c>print(fit)</c> (<c>summary(fit)$table</c>).</remarks>
    public MedianSurvival Median { get; }

    /// <summary>Statistical trouble met while fitting (no events, survival reaching 0, median SE not estimable).</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <summary>Reads the curve at one time; <see cref="KaplanMeierPoint.NEvent"/> counts all events up to <paramref name="t"/>.</summary>
    /// <param name="t">A finite, non-negative time.</param>
    /// <remarks>R: <c>summary(fit, times = t, extend = TRUE)</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The time is negative or not finite.</exception>
    public KaplanMeierPoint At(double t) => At([t])[0];

    /// <summary>
    /// Reads the curve at several times, returned in ascending order of time as R returns them; each point's
    /// <see cref="KaplanMeierPoint.NEvent"/> and <see cref="KaplanMeierPoint.NCensor"/> count the interval
    /// (previous requested time, this time].
    /// </summary>
    /// <param name="times">Finite, non-negative times; duplicates are kept (the second one counts no events).</param>
    /// <remarks>
    /// R: <c>summary(fit, times = times, extend = TRUE)</c>. Before the first curve time the reading is R's added
    /// time-0 row: S = 1, standard error 0, limits 1 (even for log-log), cumulative hazard and its SE 0. Cost O(k log k + k log m) for k times, m steps.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="times"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative or not finite (the message names its index).</exception>
    public IReadOnlyList<KaplanMeierPoint> At(IEnumerable<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var query = times.ToArray();
        for (int i = 0; i < query.Length; i++)
        {
            double t = query[i];
            if (!double.IsFinite(t) || t < 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(times),
                    t,
                    string.Create(CultureInfo.InvariantCulture, $"times[{i}] = {t} is not a finite, non-negative time."));
            }
        }

        Array.Sort(query);
        var (cumulativeEvents, cumulativeCensored) = _cumulative.Value;
        int m = _steps.Count;
        double last = m == 0 ? double.NegativeInfinity : _steps.Time(m - 1);
        var points = new KaplanMeierPoint[query.Length];
        int previousEvents = 0, previousCensored = 0;
        for (int q = 0; q < query.Length; q++)
        {
            double t = query[q];
            int atOrBefore = _steps.CountAtOrBefore(t);
            int before = _steps.CountBefore(t);
            int nRisk = before < m ? _steps.NRisk(before) : 0;
            int nEvent = cumulativeEvents[atOrBefore] - previousEvents;
            int nCensor = cumulativeCensored[atOrBefore] - previousCensored;
            previousEvents = cumulativeEvents[atOrBefore];
            previousCensored = cumulativeCensored[atOrBefore];
            bool beyond = t > last;
            if (atOrBefore == 0)
            {
                points[q] = new KaplanMeierPoint(t, nRisk, nEvent, nCensor, 1, 0, 1, 1, beyond, 0, 0);
            }
            else
            {
                int k = atOrBefore - 1;
                var (lower, upper) = _steps.Limits(k);
                var (hazard, hazardStdErr) = _steps.Hazard(k);
                points[q] = new KaplanMeierPoint(t, nRisk, nEvent, nCensor, _steps.Survival(k), _steps.StdErr(k), lower, upper, beyond, hazard, hazardStdErr);
            }
        }

        return points;
    }

    /// <inheritdoc />
    public override string ToString() => Group is null
        ? $"KaplanMeierFit(n={N}, events={Events}, censored={Censored})"
        : $"KaplanMeierFit(group={Group}, n={N}, events={Events}, censored={Censored})";

    /// <summary>Events and censorings up to and including each step (index k + 1 for step k; index 0 is 0).</summary>
    private static (int[] Events, int[] Censored) Cumulate(KaplanMeierSteps steps)
    {
        var events = new int[steps.Count + 1];
        var censored = new int[steps.Count + 1];
        for (int k = 0; k < steps.Count; k++)
        {
            events[k + 1] = events[k] + steps.NEvent(k);
            censored[k + 1] = censored[k] + steps.NCensor(k);
        }

        return (events, censored);
    }
}
