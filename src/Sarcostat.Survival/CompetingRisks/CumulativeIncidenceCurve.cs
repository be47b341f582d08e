using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Sarcostat.Survival.CompetingRisks;

/// <summary>A jump of a cumulative incidence curve: at an event time of the cause, the estimate and its variance from then on.</summary>
/// <param name="Time">An event time of the cause in the group.</param>
/// <param name="Estimate">F(t), the cumulative incidence of the cause up to and including <paramref name="Time"/>.</param>
/// <param name="Variance">Its variance (cmprsk's formula, see <see cref="CumulativeIncidence"/>).</param>
public sealed record CumulativeIncidenceStep(double Time, double Estimate, double Variance);

/// <summary>The cumulative incidence of a cause at a chosen time, with its pointwise confidence interval.</summary>
/// <param name="Time">The time asked for.</param>
/// <param name="Estimate">F(t); NaN beyond the group's last follow-up time (R <c>timepoints</c> gives NA there).</param>
/// <param name="Variance">Var F(t) (R <c>timepoints(fit, t)$var</c>).</param>
/// <param name="StdErr">√Var.</param>
/// <param name="Lower">Lower limit of the pointwise interval.</param>
/// <param name="Upper">Upper limit.</param>
public sealed record CumulativeIncidencePoint(double Time, double Estimate, double Variance, double StdErr, double Lower, double Upper);

/// <summary>
/// The cumulative incidence function of one cause in one group (Aalen-Johansen estimator), as a step function that
/// jumps at the cause's event times. R: one component of <c>cmprsk::cuminc</c>'s result (named "group cause").
/// </summary>
public sealed class CumulativeIncidenceCurve
{
    private readonly double _z;

    internal CumulativeIncidenceCurve(
        string cause, string? group, int n, int events, int competingEvents, int censored, double lastTime,
        IReadOnlyList<CumulativeIncidenceStep> steps, CumulativeIncidenceOptions options)
    {
        Cause = cause;
        Group = group;
        N = n;
        Events = events;
        CompetingEvents = competingEvents;
        Censored = censored;
        LastTime = lastTime;
        Steps = steps;
        ConfidenceLevel = options.ConfidenceLevel;
        Interval = options.Interval;
        _z = Normal.InvCDF(0, 1, 1 - ((1 - options.ConfidenceLevel) / 2));
    }

    /// <summary>The cause (a level of the status variable).</summary>
    public string Cause { get; }

    /// <summary>The group (a level of the grouping variable), or null without groups.</summary>
    public string? Group { get; }

    /// <summary>Rows in the group.</summary>
    public int N { get; }

    /// <summary>Events of this cause in the group.</summary>
    public int Events { get; }

    /// <summary>Events of the other causes in the group.</summary>
    public int CompetingEvents { get; }

    /// <summary>Censored rows in the group.</summary>
    public int Censored { get; }

    /// <summary>The group's largest time (event or censoring): the curve is defined up to here.</summary>
    public double LastTime { get; }

    /// <summary>The jumps, in ascending time; before the first, F = 0 with variance 0.</summary>
    public IReadOnlyList<CumulativeIncidenceStep> Steps { get; }

    /// <summary>Confidence level of <see cref="At"/>'s intervals.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Scale of <see cref="At"/>'s intervals.</summary>
    public CumulativeIncidenceInterval Interval { get; }

    /// <summary>
    /// The estimate, variance and pointwise interval at each time: the last jump at or before it (right-continuous);
    /// 0 before the first jump; NaN for a time below 0 or beyond <see cref="LastTime"/>, as R's <c>timepoints</c>.
    /// </summary>
    /// <param name="times">Times, in any order.</param>
    public IReadOnlyList<CumulativeIncidencePoint> At(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var result = new CumulativeIncidencePoint[times.Count];
        for (int i = 0; i < times.Count; i++)
        {
            double t = times[i];
            double f = double.NaN, v = double.NaN;
            if (t >= 0 && t <= LastTime)
            {
                f = 0;
                v = 0;
                int lo = 0, hi = Steps.Count - 1, found = -1;
                while (lo <= hi)
                {
                    int mid = (lo + hi) >>> 1;
                    if (Steps[mid].Time <= t)
                    {
                        found = mid;
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid - 1;
                    }
                }

                if (found >= 0)
                {
                    f = Steps[found].Estimate;
                    v = Steps[found].Variance;
                }
            }

            var (lower, upper) = Limits(f, v);
            result[i] = new CumulativeIncidencePoint(t, f, v, Math.Sqrt(v), lower, upper);
        }

        return result;
    }

    /// <summary>
    /// Pointwise limits. Log-log: g = log(−log F) has se(g) = se(F)/|F log F| (delta method), so the limits
    /// F^exp(±z·se(g)); plain: F ± z·se clipped to [0, 1]. At F = 0, F = 1 or se = 0 the log-log interval is the point.
    /// </summary>
    private (double Lower, double Upper) Limits(double f, double v)
    {
        if (double.IsNaN(f))
        {
            return (double.NaN, double.NaN);
        }

        double se = Math.Sqrt(v);
        if (Interval == CumulativeIncidenceInterval.Plain)
        {
            return (Math.Max(0, f - (_z * se)), Math.Min(1, f + (_z * se)));
        }

        if (!(f > 0 && f < 1 && se > 0))
        {
            return (f, f);
        }

        double a = _z * se / Math.Abs(f * Math.Log(f));
        return (Math.Pow(f, Math.Exp(a)), Math.Pow(f, Math.Exp(-a)));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"CumulativeIncidenceCurve(cause={Cause}, group={Group ?? "all"}, n={N}, events={Events})");
}
