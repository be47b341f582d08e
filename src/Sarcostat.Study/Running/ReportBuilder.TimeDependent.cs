using System.Globalization;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.CountingProcess;

namespace Sarcostat.Study.Running;

/// <summary>A multivariate table with time-dependent exposures (protocol key <c>time_dependent</c>).</summary>
internal sealed partial class ReportBuilder
{
    /// <summary>
    /// The rows and notes of a multivariate table whose model has time-dependent exposures: the analysis step
    /// (<see cref="StudyCohort.TimeDependentCox"/>) laid out as the ordinary model table (baseline terms as the layout
    /// shows them), then one row per exposure; the notes give the R call, the (start, stop] rows, the patients exposed
    /// and what is not available for a counting-process model.
    /// </summary>
    private void TimeDependentModel(MultivariateTableSpec spec, EndpointSpec endpoint, IReadOnlyList<ResolvedVariable> selected, string rule, List<TableRow> rows, List<string> notes)
    {
        var columns = spec.EffectiveColumns;
        var result = _study.TimeDependentCox(endpoint.Endpoint, selected.Select(v => v.Name).ToList(), spec.TimeDependent);
        var standIn = new CoxModelResult(null, result.Terms, [], [], result.Problem, []);
        foreach (var issue in result.Issues)
        {
            switch (issue.Code)
            {
                case "exposure-not-estimable":
                    var label = spec.TimeDependent.First(e => e.Name == issue.Variable).DisplayLabel;
                    Warn("exposure-not-estimable", issue.Count == 0
                        ? $"{NameOf(spec.Id)} (multivariate model): no patient is exposed to '{label}' during follow-up; the time-dependent covariate cannot enter the model."
                        : $"{NameOf(spec.Id)} (multivariate model): every patient is exposed to '{label}' from time zero; the time-dependent covariate cannot enter the model.", spec.Id);
                    break;
                case "follow-up-not-split":
                    Warn("follow-up-not-split", string.Create(CultureInfo.InvariantCulture, $"{NameOf(spec.Id)} (multivariate model): {Of(issue.Count ?? 0, "patient")} left out: the follow-up cannot be split into (start, stop] rows ({issue.Detail})."), spec.Id);
                    break;
                default:
                    Warn(issue, spec.Id, "multivariate model", endpoint, standIn);
                    break;
            }
        }

        foreach (var term in result.Terms)
        {
            TimeDependentBaselineRows(rows, result, new ReportTerm(Var(term.Variable.Name), term), columns, spec.Layout);
        }

        foreach (var e in spec.TimeDependent)
        {
            var count = result.Exposures.First(x => x.Name == e.Name);
            var term = ToCoxTerm(result.Term(e.Name, null));
            rows.Add(new TableRow([Cell($"{e.DisplayLabel} (time-dependent): yes vs no"), .. columns.Select(c => TermCell(c.Kind, term, count.Exposed, isReference: false, null))]));
        }

        var ties = TiesName(_m.Ties);
        var formula = string.Join(" + ", result.Terms.Select(t => t.Variable.Name).Concat(result.Exposures.Where(x => x.InModel).Select(x => x.Name)));
        var tdc = string.Join(", ", spec.TimeDependent.Select(e => $"{e.Name} = tdc({e.At}_time)"));
        notes.Add($"{endpoint.DisplayAbbreviation}, {Lower(endpoint.DisplayLabel)}; HR, hazard ratio; CI, confidence interval. Multivariate Cox proportional hazards model ({ties} ties) with time-dependent covariates: each patient's follow-up from the first pulmonary metastasectomy is split into (start, stop] intervals at the exposure dates, the covariate being 0 before and 1 after; Wald CI and p with the model-based variance. As R: coxph(Surv(tstart, tstop, event) ~ {formula}, ties = \"{ties.ToLowerInvariant()}\", data = tmerge(d, d, id = id, event = event(time, status), {tdc})), where each *_time is the time from the first metastasectomy to that date in {Unit}.");
        foreach (var e in spec.TimeDependent)
        {
            var count = result.Exposures.First(x => x.Name == e.Name);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{e.DisplayLabel} (time-dependent): unexposed until {DateWords(e.At)}, exposed after it; n is the number of patients exposed during follow-up ({count.Exposed} of {result.Patients}). A date on or before the first metastasectomy counts as exposed from time zero (tmerge's rule; {Of(count.ExposedFromStart, "patient")}); a date on or after the end of follow-up, or none, as never exposed."));
        }

        notes.Add($"{rule}: {string.Join(", ", selected.Select(v => v.Label))}.");
        if (result.Fit is { } fit)
        {
            var left = new List<string>();
            if (result.Incomplete > 0)
            {
                left.Add($"{Of(result.Incomplete, "patient")} with a missing value");
            }

            if (result.Unsplit.Count > 0)
            {
                left.Add($"{Of(result.Unsplit.Count, "patient")} whose follow-up could not be split");
            }

            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Complete cases: n = {result.Patients} patients, events = {result.Events}, in {fit.N} (start, stop] rows")
                + (left.Count > 0 ? $" ({string.Join(" and ", left)} left out)." : ".")
                + $" Likelihood-ratio test of the model: {Fmt.PInline(fit.LikelihoodRatio.P, _p.Alpha)} ({fit.LikelihoodRatio.DegreesOfFreedom} df).");
            EventsPerVariable(fit.Events, fit.Terms.Count, spec.Id, notes);
        }
        else
        {
            notes.Add($"The model could not be fitted: {result.Problem}.");
        }

        notes.Add("The proportional-hazards test (cox.zph), Harrell's C, Firth's penalised fit and the likelihood-ratio tests of factors as a whole (drop1) are not available for a model with time-dependent covariates and are not shown.");
        var data = Data(endpoint.Endpoint);
        if (data.LeftOut.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{Of(data.LeftOut.Count, "patient")} without a derivable {endpoint.DisplayAbbreviation} {(data.LeftOut.Count == 1 ? "is" : "are")} not included."));
        }
    }

    /// <summary>The rows of a baseline variable, as <see cref="AddModelRows"/> lays them out for the ordinary model (no factor test).</summary>
    private void TimeDependentBaselineRows(List<TableRow> rows, TimeDependentCoxResult result, ReportTerm mt, IReadOnlyList<TableColumnSpec> columns, MultivariateLayout layout)
    {
        var v = mt.Variable;
        if (!v.IsCategorical)
        {
            var term = ToCoxTerm(result.Term(v.Name, null));
            rows.Add(new TableRow([Cell(v.LabelWithUnit), .. columns.Select(c => TermCell(c.Kind, term, null, isReference: false, null))]));
            return;
        }

        var ordered = OrderLike(mt.Levels, v);
        if (layout == MultivariateLayout.Compact)
        {
            foreach (var level in ordered.Where(l => l != mt.Reference))
            {
                var term = ToCoxTerm(result.Term(v.Name, level));
                var label = v.TermLabel(level, mt.Reference!, mt.Levels.Count == 2);
                rows.Add(new TableRow([Cell(label), .. columns.Select(c => TermCell(c.Kind, term, mt.Counts.GetValueOrDefault(level), isReference: false, null))]));
            }

            return;
        }

        rows.Add(new TableRow([Cell(v.Label), .. columns.Select(_ => Empty)], 0, IsHeading: true));
        foreach (var level in ordered)
        {
            bool isReference = level == mt.Reference;
            var term = isReference ? null : ToCoxTerm(result.Term(v.Name, level));
            rows.Add(new TableRow([Cell(v.LabelOf(level)), .. columns.Select(c => TermCell(c.Kind, term, mt.Counts.GetValueOrDefault(level), isReference, null))], 1));
        }
    }

    /// <summary>A counting-process term as the model table's cells take it (model-based SE: the fit is not robust).</summary>
    private static CoxTerm? ToCoxTerm(CountingProcessCoxTerm? t) =>
        t is null ? null : new CoxTerm(t.Term, t.Covariate ?? t.Term, t.Level, t.Coef, t.HazardRatio, t.StdError, t.Z, t.P, t.Lower, t.Upper);

    private static string DateWords(string at) => at switch
    {
        "recurrence_date" => "the date of recurrence (recurrence_date)",
        "progression_date" => "the date of progression (progression_date)",
        _ => "the date of the second pulmonary metastasectomy (repeat_pm_date)",
    };
}
