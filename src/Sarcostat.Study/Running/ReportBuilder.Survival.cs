using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.Rmst;

namespace Sarcostat.Study.Running;

/// <summary>Survival estimates table, Kaplan-Meier figures and the selection flow diagram.</summary>
internal sealed partial class ReportBuilder
{
    private TableItem SurvivalTable(SurvivalTableSpec spec)
    {
        var endpoints = spec.Endpoints.Count > 0 ? spec.Endpoints.Select(EndpointOf).ToList() : _p.Endpoints.ToList();
        var columns = new List<string>
        {
            "Endpoint",
            "n",
            "Events",
            $"Median, {Unit} (95% CI)",
            $"{LandmarkLabel} survival, % (95% CI)",
        };
        string level = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "%";
        int rmstColumn = columns.Count;
        if (spec.RestrictedMeanTime is { } tau)
        {
            columns.Add($"RMST to {JournalFormat.Number(tau, Decimals(tau))} {Unit}, {Unit} ({level} CI)");
        }

        bool showCif = spec.CumulativeIncidence && endpoints.Any(e => e.Endpoint == Endpoint.DiseaseSpecificSurvival);
        if (showCif)
        {
            columns.Add($"{LandmarkLabel} cumulative incidence of sarcoma death, % ({level} CI)");
        }

        var rows = new List<TableRow>();
        var marks = new List<FootnoteMark>();
        bool notEstimable = false;
        var beyondFollowUp = new List<(int Row, int Column)>();   // RMST cells whose curve ends before tau
        foreach (var e in endpoints)
        {
            var data = Data(e.Endpoint);
            var km = Km(e.Endpoint);
            var label = $"{e.DisplayLabel} ({e.DisplayAbbreviation})";
            if (km is null)
            {
                rows.Add(new TableRow([Cell(label), Cell("0", 0), Cell("0", 0), .. Enumerable.Repeat(Cell(JournalFormat.NotAvailable), columns.Count - 3)]));
                continue;
            }

            var (landmark, ne) = LandmarkCell(km, withCi: true, 1);
            notEstimable |= ne;
            var cells = new List<TableCell>
            {
                Cell(label),
                Cell(JournalFormat.Count(data.Count), data.Count),
                Cell(JournalFormat.Count(data.Events), data.Events),
                Cell(Fmt.MedianWithInterval(km.Median.Estimate, km.Median.Lower, km.Median.Upper), km.Median.Estimate) with { Lower = km.Median.Lower, Upper = km.Median.Upper },
                landmark,
            };
            if (spec.RestrictedMeanTime is { } t)
            {
                // R: print(survfit(Surv(time, status) ~ 1), rmean = t): the area under the curve up to t, normal CI.
                var rmst = _study.RestrictedMean(e.Endpoint, t)!;
                if (rmst.BeyondLastTime)
                {
                    beyondFollowUp.Add((rows.Count, cells.Count));
                }

                cells.Add(Cell($"{JournalFormat.Number(rmst.Mean, 1)} ({Fmt.Interval(rmst.Lower, rmst.Upper, 1)})", rmst.Mean) with { Lower = rmst.Lower, Upper = rmst.Upper });
            }

            if (showCif)
            {
                cells.Add(e.Endpoint == Endpoint.DiseaseSpecificSurvival ? CumulativeIncidenceCell(data) : Cell(JournalFormat.Dash));
            }

            rows.Add(new TableRow(cells));
        }

        var notes = new List<string>
        {
            $"Kaplan-Meier estimates; survival CI {CiTypeDescription(_m.ConfidenceType)}; median CI {MedianDescription(_m.MedianInterval)}. NR, not reached.",
        };
        if (notEstimable)
        {
            notes.Add($"NE, not estimable: no patient was followed for {JournalFormat.Number(_p.Landmark, 0)} {Unit}.");
        }

        notes.AddRange(endpoints.Select(e => Data(e.Endpoint).Definition));
        if (spec.RestrictedMeanTime is { } restricted)
        {
            notes.Add($"RMST, restricted mean survival time: the mean time alive (or free of the endpoint's event) within the first {JournalFormat.Number(restricted, Decimals(restricted))} {Unit}, the area under the Kaplan-Meier curve up to that time, with its {level} normal CI (R print(survfit(...), rmean = {JournalFormat.Number(restricted, Decimals(restricted))})).");
            marks.Add(new FootnoteMark(notes.Count - 1, -1, rmstColumn));
            if (beyondFollowUp.Count > 0)
            {
                notes.Add($"Follow-up ends before {JournalFormat.Number(restricted, Decimals(restricted))} {Unit}: the curve's last value is carried forward to that time, as R does.");
                marks.AddRange(beyondFollowUp.Select(x => new FootnoteMark(notes.Count - 1, x.Row, x.Column)));
            }
        }

        if (showCif)
        {
            notes.Add($"Cumulative incidence of sarcoma death with deaths from other causes as competing events (Aalen-Johansen estimate, variance as R cmprsk::cuminc, {level} CI on the log-log scale), beside the Kaplan-Meier estimate of DSS, which censors deaths from other causes.");
            marks.Add(new FootnoteMark(notes.Count - 1, -1, columns.Count - 1));
        }

        notes.AddRange(spec.Footnotes);
        return new TableItem(spec.Id, spec.Title, columns, rows, notes) { Marks = marks };
    }

    /// <summary>
    /// The cumulative incidence figure of a DSS endpoint, drawn as rising step curves on the Kaplan-Meier axes: overall,
    /// one curve per cause (sarcoma death, death from other causes); by a factor, the sarcoma-death curve of each level
    /// with Gray's test. R: <c>cmprsk::cuminc(time, status, group, cencode = 0)</c>, <c>plot.cuminc</c>.
    /// </summary>
    private KaplanMeierFigure CumulativeIncidenceFigure(CumulativeIncidenceFigureSpec spec)
    {
        var endpoint = EndpointOf(spec.Endpoint);
        var data = Data(endpoint.Endpoint);
        var curves = new List<(string Label, CumulativeIncidenceCurve Curve)>();
        string? annotation = null;
        ResolvedVariable? v = spec.By is null ? null : Var(spec.By);
        var (result, _, issue) = _study.CumulativeIncidence(endpoint.Endpoint, spec.By);
        if (issue is not null)
        {
            Warn(issue.Code, $"Cumulative incidence ({Endpoints.Abbreviation(endpoint.Endpoint)}): {issue.Detail}");
        }

        bool byGroup = spec.By is not null;
        var byValues = byGroup ? (CategoricalVariable)_study.Variable(spec.By!, data) : null;
        if (result is not null)
        {
            if (!byGroup)
            {
                foreach (var c in result.Curves)
                {
                    var label = c.Cause == "1" ? "Death from sarcoma" : "Death from other causes";
                    curves.Add(($"{label} ({Of(c.Events, "death")})", c));
                }
            }
            else
            {
                foreach (var c in result.Curves.Where(c => c.Cause == "1"))
                {
                    curves.Add(($"{v!.LabelOf(c.Group!)} (n = {c.N})", c));
                }

                if (spec.ShowP && result.Tests.FirstOrDefault(t => t.Cause == "1") is { } gray && double.IsFinite(gray.P))
                {
                    annotation = "Gray's test " + Fmt.PInline(gray.P, _p.Alpha);
                }
            }
        }

        double maxTime = data.Count == 0 ? 0 : data.Time.Max();
        var ticks = spec.Ticks.Count > 0 ? spec.Ticks.ToList() : AutoTicks(maxTime, null, _p.TimeUnit);
        var plotted = new List<KaplanMeierCurve>();
        foreach (var (label, curve) in curves)
        {
            var points = new List<CurvePoint> { new(0, 0, 0, 0) };
            var at = curve.At(curve.Steps.Select(s => s.Time).ToList());
            points.AddRange(at.Select(p => new CurvePoint(p.Time, p.Estimate, p.Lower, p.Upper)));
            if (curve.LastTime > points[^1].Time)
            {
                // Flat after the last event up to the group's last follow-up, as cmprsk's plot draws it.
                points.Add(points[^1] with { Time = curve.LastTime });
            }

            var group = curve.Group;
            var atRisk = ticks.Select(t => Enumerable.Range(0, data.Count).Count(i => data.Time[i] >= t && (group is null || byValues!.Values[i] == group))).ToList();
            plotted.Add(new KaplanMeierCurve(label, points, [], atRisk));
        }

        int sarcoma = data.CompetingStatus?.Count(s => s == 1) ?? data.Events;
        int other = data.CompetingStatus?.Count(s => s == 2) ?? 0;
        var caption = spec.Caption
            ?? $"Cumulative incidence of death from sarcoma with deaths from other causes as competing events (Aalen-Johansen estimate, R cmprsk::cuminc; {Of(data.Count, "patient")}, {Of(sarcoma, "death")} from sarcoma, {Of(other, "death")} from other causes). Unlike 1 minus the Kaplan-Meier estimate of {endpoint.DisplayAbbreviation}, it does not treat deaths from other causes as if those patients could still die of sarcoma."
            + (annotation is null ? string.Empty : " Gray's test compares the groups' cumulative incidence of sarcoma death.");
        return new KaplanMeierFigure(
            spec.Id,
            spec.Title,
            caption,
            $"{VariableCatalog.Capitalise(Unit)} after the first pulmonary metastasectomy",
            "Cumulative incidence",
            ticks,
            plotted,
            false,
            annotation);
    }

    /// <summary>
    /// The cumulative incidence of sarcoma death at the landmark, % with CI, deaths from other causes competing
    /// (R: <c>cmprsk::timepoints(cuminc(time, status, cencode = 0), landmark)</c>, status 1 sarcoma, 2 other).
    /// </summary>
    private TableCell CumulativeIncidenceCell(EndpointData data)
    {
        var (result, _, issue) = _study.CumulativeIncidence(data.Endpoint);
        if (issue is not null)
        {
            Warn(issue.Code, $"Cumulative incidence ({Endpoints.Abbreviation(data.Endpoint)}): {issue.Detail}");
        }

        if (result is null)
        {
            return Cell(JournalFormat.NotAvailable);
        }

        var curve = result.Curves.FirstOrDefault(c => c.Cause == "1");
        if (curve is null)
        {
            return Cell("0.0", 0);
        }

        var p = curve.At([_p.Landmark])[0];
        if (double.IsNaN(p.Estimate))
        {
            return Cell(JournalFormat.NotEstimable);
        }

        var text = $"{JournalFormat.Percent(100 * p.Estimate, 1)} ({Fmt.Interval(100 * p.Lower, 100 * p.Upper, 1)})";
        return Cell(text, 100 * p.Estimate) with { Lower = 100 * p.Lower, Upper = 100 * p.Upper };
    }

    private KaplanMeierFigure KaplanMeierFigure(KaplanMeierFigureSpec spec)
    {
        var endpoint = EndpointOf(spec.Endpoint);
        var data = Data(endpoint.Endpoint, spec.LandmarkTime);
        var curves = new List<(string Label, KaplanMeierFit Fit)>();
        string? annotation = null;
        if (spec.By is null)
        {
            if (_study.Survival(endpoint.Endpoint, spec.LandmarkTime) is { } fit)
            {
                curves.Add((string.Create(CultureInfo.InvariantCulture, $"All patients (n = {fit.N})"), fit));
            }
        }
        else
        {
            // The analysis step: curves per level with patients and the log-rank test between them.
            var v = Var(spec.By);
            var groups = _study.SurvivalBy(endpoint.Endpoint, spec.By, spec.LandmarkTime);
            for (int i = 0; i < groups.Levels.Count; i++)
            {
                curves.Add((string.Create(CultureInfo.InvariantCulture, $"{v.LabelOf(groups.Levels[i])} (n = {groups.Curves[i].N})"), groups.Curves[i]));
            }

            if (spec.ShowP && groups.Levels.Count >= 2)
            {
                annotation = groups.LogRank is { } test ? "Log-rank " + Fmt.PInline(test.P, _p.Alpha) : null;
                foreach (var issue in groups.Issues)
                {
                    Warn(issue.Code, issue.Code == "test-not-run" ? $"{NameOf(spec.Id)}: {issue.Detail}" : $"{NameOf(spec.Id)} ({v.Label}, log-rank test): {issue.Detail}", spec.Id);
                }
            }
        }

        foreach (var (label, fit) in curves)
        {
            foreach (var w in fit.Warnings)
            {
                Warn(w.Code, $"{NameOf(spec.Id)} ({label}): {w.Message}", spec.Id);
            }
        }

        double maxTime = data.Count == 0 ? 0 : data.Time.Max();
        var ticks = spec.Ticks.Count > 0 ? spec.Ticks.ToList() : AutoTicks(spec.MaxTime ?? maxTime, spec.TickStep, _p.TimeUnit);
        var plotted = curves.Select(c => new KaplanMeierCurve(c.Label, Points(c.Fit), CensorTimes(c.Fit), c.Fit.At(ticks).Select(p => p.NRisk).ToList())
        {
            Marks = Marks(spec, c.Fit),
        }).ToList();
        var caption = spec.Caption ?? KmCaption(spec, endpoint, data);
        if (spec.Caption is null && LandmarkNote(spec.LandmarkTime, endpoint.Endpoint) is { } landmarkNote)
        {
            caption += " " + landmarkNote;
        }

        return new KaplanMeierFigure(
            spec.Id,
            spec.Title,
            caption,
            spec.XLabel ?? (spec.LandmarkTime is { } l ? $"{VariableCatalog.Capitalise(Unit)} after the landmark ({JournalFormat.Number(l, Decimals(l))} {Unit} after the first pulmonary metastasectomy)" : $"{VariableCatalog.Capitalise(Unit)} after the first pulmonary metastasectomy"),
            spec.YLabel ?? endpoint.DisplayLabel,
            ticks,
            plotted,
            spec.ConfidenceBand,
            annotation)
        {
            PercentAxis = spec.PercentAxis,
        };
    }

    /// <summary>
    /// The reading marks of one curve: S(t) at each landmark the curve reaches (R <c>summary(fit, times = t)</c>; not
    /// past the last observation), labelled as the survival tables print it, and the median where reached
    /// (R <c>print(fit)</c>'s median), labelled with its time.
    /// </summary>
    private List<CurveMark> Marks(KaplanMeierFigureSpec spec, KaplanMeierFit fit)
    {
        var marks = new List<CurveMark>();
        foreach (var t in spec.Landmarks)
        {
            var point = fit.At(t);
            if (!point.BeyondLastObservation)
            {
                var percent = JournalFormat.Percent(100 * point.Survival, Fmt.Format.SurvivalDecimals);
                marks.Add(new CurveMark(CurveMarkKind.Landmark, t, point.Survival, spec.PercentAxis ? percent + "%" : JournalFormat.Number(point.Survival, Fmt.Format.SurvivalDecimals + 2)));
            }
        }

        if (spec.MarkMedian && fit.Median.Estimate is { } median)
        {
            marks.Add(new CurveMark(CurveMarkKind.Median, median, 0.5, "median " + Fmt.Time(median)));
        }

        return marks;
    }

    private string KmCaption(KaplanMeierFigureSpec spec, EndpointSpec endpoint, EndpointData data)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"Kaplan-Meier estimate of {Lower(endpoint.DisplayLabel)} ({Of(data.Count, "patient")}, {Of(data.Events, "event")})");
        if (spec.By is not null)
        {
            text += $" by {Lower(Var(spec.By).Label)}";
        }

        text += ". Tick marks: censored observations; numbers at risk under the time axis.";
        if (spec.Landmarks.Count > 0 || spec.MarkMedian)
        {
            var read = new List<string>();
            if (spec.Landmarks.Count > 0)
            {
                read.Add("survival at " + string.Join(" and ", spec.Landmarks.Select(t => JournalFormat.Number(t, t == Math.Floor(t) ? 0 : 1))) + " " + Unit);
            }

            if (spec.MarkMedian)
            {
                read.Add("the median survival");
            }

            text += " Dotted lines: " + string.Join("; ", read) + ".";
        }
        if (spec.ConfidenceBand)
        {
            text += $" Shaded band: pointwise {JournalFormat.Number(100 * _m.ConfidenceLevel, 0)}% CI ({CiTypeDescription(_m.ConfidenceType)}).";
        }

        return text + " " + data.Definition;
    }

    /// <summary>The step function: time 0, then every event time (where S and its CI change).</summary>
    private static List<CurvePoint> Points(KaplanMeierFit fit)
    {
        var points = new List<CurvePoint> { new(0, 1, 1, 1) };
        foreach (var step in fit.Steps)
        {
            if (step.NEvent > 0)
            {
                points.Add(new CurvePoint(step.Time, step.Survival, step.Lower, step.Upper));
            }
        }

        return points;
    }

    private static List<double> CensorTimes(KaplanMeierFit fit) => fit.Steps.Where(s => s.NCensor > 0).Select(s => s.Time).ToList();

    /// <summary>
    /// Ticks 0, step, 2·step, ... up to the first at or beyond <paramref name="max"/>; the step is the smallest of the
    /// unit's usual steps (months: 3, 6, 12, 24, 36, 60, 120) giving at most 10 intervals.
    /// </summary>
    internal static List<double> AutoTicks(double max, double? step, TimeUnit unit)
    {
        double[] candidates = unit switch
        {
            TimeUnit.Months => [3, 6, 12, 24, 36, 60, 120, 240],
            TimeUnit.Years => [0.5, 1, 2, 5, 10, 20],
            _ => [30, 90, 180, 365, 730, 1825, 3650],
        };
        double s = step ?? candidates.FirstOrDefault(c => Math.Ceiling(max / c) <= 10, candidates[^1]);
        int k = Math.Max(1, (int)Math.Ceiling(max / s - 1e-9));
        return Enumerable.Range(0, k + 1).Select(i => i * s).ToList();
    }

    private FlowFigure Flow(FlowFigureSpec spec)
    {
        var flow = _selection.Flow;
        var sel = _p.Selection;
        var boxes = new List<FlowBox>();
        var startText = sel.StartLabel;
        var sources = sel.ShowSources ? SourceBoxes() : [];
        if (sources.Count > 0)
        {
            startText += MergeText(sources);
        }

        // Steps before the protocol's own are the exclusions by amendment (reasons by count, always shown).
        int listed = flow.Steps.Count - sel.Steps.Count;
        for (int i = 0; i < flow.Steps.Count; i++)
        {
            var step = flow.Steps[i];
            var stepSpec = i < listed ? null : sel.Steps[i - listed];
            var text = i == 0 ? startText : i <= listed ? "Remaining" : sel.Steps[i - listed - 1].Remaining ?? "Remaining";
            IReadOnlyList<KeyValuePair<string, int>> breakdown = stepSpec is null
                ? step.Breakdown.Select(b => new KeyValuePair<string, int>(b.Value, b.Count)).ToList()
                : stepSpec.ShowBreakdown
                ? step.Breakdown.Select(b => new KeyValuePair<string, int>(BreakdownLabel(stepSpec, b.Value), b.Count)).ToList()
                : [];
            boxes.Add(new FlowBox(text, step.Before, new FlowExclusion(step.Label, step.Excluded, breakdown)));
        }

        var finalText = sel.FinalLabel;
        boxes.Add(new FlowBox(flow.Steps.Count == 0 ? (sel.ShowSources ? startText : finalText) : finalText, flow.Final, null));
        var caption = spec.Caption ?? string.Create(
            CultureInfo.InvariantCulture,
            $"Patient selection: {Of(flow.Start, "patient")} identified, {flow.TotalExcluded} excluded in {Of(flow.Steps.Count, "step")}, {flow.Final} analysed.");
        foreach (var step in flow.Steps.Where(s => s.Missing > 0))
        {
            caption += string.Create(
                CultureInfo.InvariantCulture,
                $" Step {step.Number}: {Of(step.Missing, "patient")} with '{step.Rule.Field}' missing {Were(step.Missing)} {(step.Rule.WhenMissing == Cohort.Selection.MissingValuePolicy.Keep ? "kept" : "excluded")}.");
        }

        return new FlowFigure(spec.Id, spec.Title, caption, boxes) { Sources = sources };
    }

    /// <summary>
    /// One box per source database: the patient records it delivered (the importer's count, before duplicates were
    /// dropped and the sources merged), as paper 000's Figure 1 draws them; without the importer's count, the patients
    /// whose records came from it.
    /// </summary>
    private List<FlowSource> SourceBoxes()
    {
        if (_context.SourceRecords.Count > 0)
        {
            return _context.SourceRecords.Select(kv => new FlowSource(
                kv.Key + " database, records delivered",
                kv.Value)).ToList();
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int unknown = 0;
        foreach (var p in _allPatients)
        {
            var names = (p.Source ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Length == 0)
            {
                unknown++;
            }

            foreach (var s in names)
            {
                counts[s] = counts.GetValueOrDefault(s) + 1;
            }
        }

        if (counts.Count == 0)
        {
            return [];
        }

        var boxes = counts.Select(kv => new FlowSource(kv.Key + " database", kv.Value)).ToList();
        if (unknown > 0)
        {
            boxes.Add(new FlowSource("source not recorded", unknown));
        }

        return boxes;
    }

    /// <summary>What the merge did, for the first box: patients in several sources, duplicate rows dropped by amendment.</summary>
    private string MergeText(List<FlowSource> sources)
    {
        int several = _allPatients.Count(p => (p.Source ?? string.Empty).Contains(',', StringComparison.Ordinal));
        int dropped = _context.Amendments.Count(a => a.Kind == Cohort.AmendmentKind.Drop);
        var parts = new List<string>();
        if (sources.Count > 1)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{several} in more than one source"));
        }

        if (dropped > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{dropped} duplicate {(dropped == 1 ? "row" : "rows")} removed"));
        }

        return parts.Count == 0 ? string.Empty : " (" + string.Join("; ", parts) + ")";
    }

    private string BreakdownLabel(SelectionStepSpec step, string value)
    {
        var declared = step.BreakdownLabels.FirstOrDefault(l => l.Value == value);
        if (declared is not null)
        {
            return declared.Label;
        }

        return _catalog.Info(step.Rule.Field)?.Universe?.FirstOrDefault(u => u.Value == value)?.Label ?? value;
    }
}
