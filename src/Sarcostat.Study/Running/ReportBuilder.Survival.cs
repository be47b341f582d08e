using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;

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
        var rows = new List<TableRow>();
        bool notEstimable = false;
        foreach (var e in endpoints)
        {
            var data = Data(e.Endpoint);
            var km = Km(e.Endpoint);
            var label = $"{e.DisplayLabel} ({e.DisplayAbbreviation})";
            if (km is null)
            {
                rows.Add(new TableRow([Cell(label), Cell("0", 0), Cell("0", 0), Cell(JournalFormat.NotAvailable), Cell(JournalFormat.NotAvailable)]));
                continue;
            }

            var (landmark, ne) = LandmarkCell(km, withCi: true, 1);
            notEstimable |= ne;
            rows.Add(new TableRow(
            [
                Cell(label),
                Cell(JournalFormat.Count(data.Count), data.Count),
                Cell(JournalFormat.Count(data.Events), data.Events),
                Cell(Fmt.MedianWithInterval(km.Median.Estimate, km.Median.Lower, km.Median.Upper), km.Median.Estimate) with { Lower = km.Median.Lower, Upper = km.Median.Upper },
                landmark,
            ]));
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
        notes.AddRange(spec.Footnotes);
        return new TableItem(spec.Id, spec.Title, columns, rows, notes);
    }

    private KaplanMeierFigure KaplanMeierFigure(KaplanMeierFigureSpec spec)
    {
        var endpoint = EndpointOf(spec.Endpoint);
        var data = Data(endpoint.Endpoint);
        var curves = new List<(string Label, KaplanMeierFit Fit)>();
        string? annotation = null;
        if (spec.By is null)
        {
            if (Km(endpoint.Endpoint) is { } fit)
            {
                curves.Add((string.Create(CultureInfo.InvariantCulture, $"All patients (n = {fit.N})"), fit));
            }
        }
        else
        {
            var v = Var(spec.By);
            var present = v.Levels(data.Patients).Where(l => data.Patients.Any(p => v.Level(p) == l)).ToList();
            if (present.Count > 0)
            {
                var factor = FactorOf(v, data.Patients, present);
                var groups = KaplanMeier.FitByGroup(data.Time, data.Event, factor, _m.KaplanMeier);
                for (int i = 0; i < present.Count; i++)
                {
                    curves.Add((string.Create(CultureInfo.InvariantCulture, $"{v.LabelOf(present[i])} (n = {groups.Fits[i].N})"), groups.Fits[i]));
                }

                if (spec.ShowP && present.Count >= 2)
                {
                    var (result, problem) = EngineCalls.LogRankTest(data.Time, data.Event, factor);
                    annotation = result is null ? null : "Log-rank " + Fmt.PInline(result.P, _p.Alpha);
                    if (problem is not null)
                    {
                        Warn("test-not-run", $"{NameOf(spec.Id)}: {problem}", spec.Id);
                    }
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
        return new KaplanMeierFigure(
            spec.Id,
            spec.Title,
            caption,
            spec.XLabel ?? $"{VariableCatalog.Capitalise(Unit)} after the first pulmonary metastasectomy",
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
