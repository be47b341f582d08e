using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Cli.Output;

/// <summary>
/// The JSON forms of results that carry per-row or per-event tables. The rule (docs/cli.md, "Per-row tables"): a
/// <c>--json</c> document holds every summary number the text output prints; a table with one row per distinct time
/// or per event (Kaplan-Meier and cumulative-incidence steps, cox.zph's scaled residuals) is written only when the
/// option that names it is given (<c>--steps</c>, <c>--residuals</c>), and is <c>null</c> otherwise ("not asked for").
/// </summary>
/// <remarks>
/// Why: at registry scale these tables dwarf the summary (cox.zph at 10⁶ rows: about 150 MB of residuals around a
/// few hundred bytes of tests) and writing them took longer than the analysis. The field names and their order are
/// those of the engine's result types, so a document written with the option is the one written before the rule.
/// </remarks>
internal static class JsonSummaries
{
    /// <summary>A Kaplan-Meier curve; <c>steps</c> only when <paramref name="steps"/>.</summary>
    public static object KaplanMeier(KaplanMeierFit fit, bool steps) => new
    {
        group = fit.Group,
        n = fit.N,
        events = fit.Events,
        censored = fit.Censored,
        options = fit.Options,
        steps = steps ? fit.Steps : null,
        median = fit.Median,
        warnings = fit.Warnings,
    };

    /// <summary>The follow-up summary; the reverse curve's steps only when <paramref name="steps"/>.</summary>
    public static object FollowUp(FollowUpSummary followUp, bool steps) => new
    {
        median = followUp.Median,
        reverse = KaplanMeier(followUp.Reverse, steps),
        n = followUp.N,
        observedMedian = followUp.ObservedMedian,
        minimum = followUp.Minimum,
        maximum = followUp.Maximum,
        warnings = followUp.Warnings,
    };

    /// <summary>A cumulative-incidence curve; <c>steps</c> only when <paramref name="steps"/>.</summary>
    public static object CumulativeIncidence(CumulativeIncidenceCurve curve, bool steps) => new
    {
        cause = curve.Cause,
        group = curve.Group,
        n = curve.N,
        events = curve.Events,
        competingEvents = curve.CompetingEvents,
        censored = curve.Censored,
        lastTime = curve.LastTime,
        steps = steps ? curve.Steps : null,
        confidenceLevel = curve.ConfidenceLevel,
        interval = curve.Interval,
    };

    /// <summary>
    /// The cox.zph result: transform, tests, global test, number of events and the scaling variance always; the
    /// per-event arrays (<c>time</c>, <c>transformedTime</c>, <c>stratum</c>, <c>scaledResiduals</c>) only when
    /// <paramref name="residuals"/>.
    /// </summary>
    public static object Zph(CoxZphResult zph, bool residuals) => new
    {
        transform = zph.Transform,
        tests = zph.Tests,
        global = zph.Global,
        events = zph.Time.Count,
        time = residuals ? zph.Time : null,
        transformedTime = residuals ? zph.TransformedTime : null,
        stratum = residuals ? zph.Stratum : null,
        scaledResiduals = residuals ? zph.ScaledResiduals : null,
        variance = zph.Variance,
    };
}
