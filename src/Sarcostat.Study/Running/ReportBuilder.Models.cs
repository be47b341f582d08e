using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Running;

/// <summary>The p-value a univariate table shows for a variable (the basis of the multivariate selection rule).</summary>
/// <param name="Variable">The variable.</param>
/// <param name="P">Its p-value, or null when the test could not be run.</param>
internal sealed record UnivariateEntry(ResolvedVariable Variable, double? P)
{
    /// <summary>The factor's log-rank p, when the table ran the test.</summary>
    public double? LogRankP { get; init; }

    /// <summary>The univariate Cox model's Wald p (single term) or, for a factor of more than two levels, its likelihood-ratio p.</summary>
    public double? WaldP { get; init; }

    /// <summary>The univariate Cox model's likelihood-ratio p of the factor as a whole.</summary>
    public double? LikelihoodRatioP { get; init; }
}

/// <summary>A univariate table and the p-value of each of its variables.</summary>
internal sealed record UnivariateResult(TableItem Table, IReadOnlyList<UnivariateEntry> Entries);

/// <summary>A Cox model of the analysis step with the report's view of its variables (labels, level names).</summary>
/// <param name="Result">The analysis step's model.</param>
/// <param name="Terms">Its terms, each with the study variable it came from.</param>
internal sealed record ReportModel(CoxModelResult Result, IReadOnlyList<ReportTerm> Terms)
{
    public CoxFit? Fit => Result.Fit;

    public string? Problem => Result.Problem;

    public IReadOnlyList<Covariate> Covariates => Result.Covariates;

    public CoxTerm? Term(ReportTerm term, string? level) => Result.Term(term.Variable.Name, level);

    /// <summary>The likelihood-ratio test of the variable as a whole (R drop1), or null.</summary>
    public TestStatistic? FactorTest(ReportTerm term) => Result.FactorTest(term.Variable.Name);
}

/// <summary>A term of a <see cref="ReportModel"/>: the study variable and how it entered the model.</summary>
internal sealed record ReportTerm(ResolvedVariable Variable, ModelTerm Term)
{
    public IReadOnlyList<string> Levels => Term.Levels;

    public IReadOnlyDictionary<string, int> Counts => Term.Counts;

    public string? Reference => Term.Reference;
}

/// <summary>A multivariate table, its model and the variables the selection rule chose.</summary>
internal sealed record MultivariateResult(TableItem Table, ReportModel? Model, EndpointSpec Endpoint, IReadOnlyList<ResolvedVariable> Selected);

/// <summary>Univariate and multivariate survival tables, and the forest plot.</summary>
internal sealed partial class ReportBuilder
{
    private UnivariateResult Univariate(UnivariateTableSpec spec)
    {
        if (_univariate.TryGetValue(spec.Id, out var done))
        {
            return done;
        }

        var endpoint = EndpointOf(spec.Endpoint);
        var data = Data(endpoint.Endpoint, spec.LandmarkTime);
        var columns = spec.EffectiveColumns;
        var rows = new List<TableRow>();
        var entries = new List<UnivariateEntry>();
        var missingNotes = new List<string>();
        bool notEstimable = false, multiLevel = false;
        bool showsLogRank = columns.Any(c => c.Kind == ColumnKind.LogRankP) || (spec.Test == UnivariateTest.LogRank && columns.Any(c => c.Kind == ColumnKind.P));
        bool showsCox = columns.Any(c => c.Kind is ColumnKind.WaldP or ColumnKind.LikelihoodRatioP) || (spec.Test == UnivariateTest.Cox && columns.Any(c => c.Kind == ColumnKind.P));
        var disagreements = new List<string>();
        var missingRows = new List<int>();
        var disagreeRows = new List<int>();
        var notEstimableCells = new List<(int Row, int Column)>();

        // The analysis step: every variable of the table through the one univariate screen.
        var options = new UnivariateScreenOptions
        {
            LogRank = spec.Test == UnivariateTest.LogRank || columns.Any(c => c.Kind is ColumnKind.LogRankP or ColumnKind.LogRankChiSquare) || SelectsBy(spec.Id, SelectionTest.LogRank),
            CoxModels = spec.Test == UnivariateTest.Cox
                || columns.Any(c => c.Kind is ColumnKind.HazardRatio or ColumnKind.ConfidenceInterval or ColumnKind.HazardRatioCi or ColumnKind.WaldP or ColumnKind.LikelihoodRatioP)
                || SelectsBy(spec.Id, SelectionTest.Wald) || SelectsBy(spec.Id, SelectionTest.LikelihoodRatio),
            Curves = columns.Any(c => c.Kind is ColumnKind.Survival or ColumnKind.SurvivalCi or ColumnKind.Median),
            Cox = _m.Cox,
            KaplanMeier = _m.KaplanMeier,
        };
        var specRows = _p.RowsOf(spec).ToList();
        var screened = UnivariateScreen.Run(
            data.Response(),
            specRows.Where(r => r.Variable is not null).Select(r => _study.Variable(r.Variable!, data)).ToList(),
            options);
        int next = 0;

        // The layout step.
        foreach (var row in specRows)
        {
            if (row.Variable is null)
            {
                rows.Add(HeadingRow(row.Heading!, columns.Count, null, 0));
                continue;
            }

            var v = Var(row.Variable);
            var sr = screened[next++];
            var label = row.Label ?? (v.IsCategorical ? v.Label : v.LabelWithUnit);
            int factorRow = rows.Count;   // the factor's heading row, or its only/first row: where its footnote marks go
            foreach (var issue in sr.Issues)
            {
                Warn(issue, spec.Id, label, endpoint, sr.Cox);
            }

            if (sr.Missing > 0)
            {
                missingNotes.Add(string.Create(CultureInfo.InvariantCulture, $"{label} {sr.Missing}"));
                missingRows.Add(factorRow);
            }

            if (!v.IsCategorical)
            {
                var model = sr.Cox;
                var term = model?.Term(v.Name, null);
                var cells = new List<TableCell> { Cell(label) };
                foreach (var c in columns)
                {
                    cells.Add(c.Kind switch
                    {
                        ColumnKind.N => Cell(JournalFormat.Count(sr.Known.N), sr.Known.N),
                        ColumnKind.Events => Cell(JournalFormat.Count(sr.Known.Events), sr.Known.Events),
                        ColumnKind.HazardRatio => term is null ? Cell(JournalFormat.NotAvailable) : Cell(Fmt.HazardRatio(term.HazardRatio), term.HazardRatio),
                        ColumnKind.ConfidenceInterval => term is null ? Cell(JournalFormat.NotAvailable) : Cell(Fmt.HazardRatioInterval(term.Lower, term.Upper)) with { Lower = term.Lower, Upper = term.Upper },
                        ColumnKind.HazardRatioCi => term is null ? Cell(JournalFormat.NotAvailable) : Cell(Fmt.HazardRatioWithInterval(term.HazardRatio, term.Lower, term.Upper), term.HazardRatio) with { Lower = term.Lower, Upper = term.Upper },
                        ColumnKind.P or ColumnKind.WaldP => term is null ? Cell(JournalFormat.NotAvailable) : Cell(P(term.P), term.P),
                        ColumnKind.LikelihoodRatioP => PCell(sr.LikelihoodRatioP),
                        _ => Cell(JournalFormat.Dash),
                    });
                }

                rows.Add(new TableRow(cells));
                entries.Add(new UnivariateEntry(v, sr.CoxP) { WaldP = sr.CoxP, LikelihoodRatioP = sr.LikelihoodRatioP });
                continue;
            }

            var logRankTest = sr.LogRank;
            double? logRankP = sr.LogRankP;
            double? logRankChiSquare = logRankTest?.ChiSquare;
            var cox = sr.Cox;
            var mt = sr.Term;
            bool multi = sr.IsMultiLevel;
            multiLevel |= multi && spec.Test == UnivariateTest.Cox && columns.Any(c => c.Kind == ColumnKind.P);
            double? coxP = sr.CoxP;
            double? variableP = spec.Test == UnivariateTest.LogRank ? logRankP : coxP;
            double? factorP = sr.LikelihoodRatioP;   // one covariate: the factor as a whole
            entries.Add(new UnivariateEntry(v, variableP) { LogRankP = logRankP, WaldP = coxP, LikelihoodRatioP = factorP });
            if (showsLogRank && showsCox && logRankP is { } lp && factorP is { } fp && (lp < _p.Alpha) != (fp < _p.Alpha))
            {
                disagreements.Add($"{label} (log-rank {Fmt.PInline(lp, _p.Alpha)}; likelihood-ratio {Fmt.PInline(fp, _p.Alpha)})");
                disagreeRows.Add(factorRow);
            }

            // Rows: heading, then one per level.
            bool pOnHeading = spec.Test == UnivariateTest.Cox && multi && row.ShowHeading;
            if (row.ShowHeading)
            {
                rows.Add(HeadingRow(label, columns.Count, pOnHeading ? PCell(variableP) : null, 0, columns));
            }

            bool firstLevel = true;
            foreach (var summary in sr.Levels)
            {
                var level = summary.Level!;
                int n = summary.N;
                var curve = summary.Curve;
                var term = mt is not null && level != mt.Reference ? cox!.Term(v.Name, level) : null;
                bool isReference = mt is not null && level == mt.Reference;
                bool inModel = mt is not null && mt.Levels.Contains(level);
                var cells = new List<TableCell> { Cell(v.LabelOf(level)) };
                foreach (var c in columns)
                {
                    switch (c.Kind)
                    {
                        case ColumnKind.N:
                            cells.Add(Cell(JournalFormat.Count(n), n));
                            break;
                        case ColumnKind.Events:
                            cells.Add(Cell(JournalFormat.Count(summary.Events), summary.Events));
                            break;
                        case ColumnKind.Survival:
                        case ColumnKind.SurvivalCi:
                            var (cell, ne) = LandmarkCell(curve, c.Kind == ColumnKind.SurvivalCi, spec.PercentDecimals);
                            notEstimable |= ne;
                            if (ne)
                            {
                                notEstimableCells.Add((rows.Count, cells.Count));
                            }

                            cells.Add(cell);
                            break;
                        case ColumnKind.Median:
                            cells.Add(curve is null ? Cell(JournalFormat.Dash) : Cell(Fmt.MedianWithInterval(curve.Median.Estimate, curve.Median.Lower, curve.Median.Upper), curve.Median.Estimate) with { Lower = curve.Median.Lower, Upper = curve.Median.Upper });
                            break;
                        case ColumnKind.HazardRatio:
                            cells.Add(isReference ? Cell("1", 1) : term is null ? Cell(inModel || n == 0 ? JournalFormat.Dash : JournalFormat.NotAvailable) : Cell(Fmt.HazardRatio(term.HazardRatio), term.HazardRatio));
                            break;
                        case ColumnKind.ConfidenceInterval:
                            cells.Add(isReference || term is null ? Empty : Cell(Fmt.HazardRatioInterval(term.Lower, term.Upper)) with { Lower = term.Lower, Upper = term.Upper });
                            break;
                        case ColumnKind.HazardRatioCi:
                            cells.Add(isReference ? Cell("1 (reference)", 1) : term is null ? Cell(JournalFormat.Dash) : Cell(Fmt.HazardRatioWithInterval(term.HazardRatio, term.Lower, term.Upper), term.HazardRatio) with { Lower = term.Lower, Upper = term.Upper });
                            break;
                        case ColumnKind.P:
                            if (spec.Test == UnivariateTest.LogRank)
                            {
                                cells.Add(firstLevel ? LogRankCell(logRankP, logRankTest) : Empty);
                            }
                            else if (multi)
                            {
                                cells.Add(term is not null ? Cell(P(term.P), term.P) : !row.ShowHeading && firstLevel ? PCell(variableP) : Empty);
                            }
                            else
                            {
                                cells.Add(term is not null ? Cell(P(term.P), term.P) : Empty);
                            }

                            break;
                        case ColumnKind.LogRankP:
                            cells.Add(firstLevel ? LogRankCell(logRankP, logRankTest) : Empty);
                            break;
                        case ColumnKind.LogRankChiSquare:
                            cells.Add(!firstLevel ? Empty : logRankChiSquare is { } chi && double.IsFinite(chi) ? Cell(JournalFormat.Number(chi, 2), chi) : Cell(JournalFormat.NotAvailable));
                            break;
                        case ColumnKind.WaldP:
                            cells.Add(term is not null ? Cell(P(term.P), term.P) : Empty);
                            break;
                        case ColumnKind.LikelihoodRatioP:
                            cells.Add(firstLevel ? PCell(factorP) : Empty);
                            break;
                        default:
                            cells.Add(Cell(JournalFormat.Dash));
                            break;
                    }
                }

                rows.Add(new TableRow(cells, 1));
                firstLevel = false;
            }
        }

        var notes = new List<string>();
        var marks = new List<FootnoteMark>();
        int Heading(ColumnKind kind) => 1 + IndexOf(columns, c => c.Kind == kind);
        notes.Add(UnivariateMethodNote(spec, endpoint, multiLevel));
        if (disagreements.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"The log-rank test and the Cox likelihood-ratio test fall on different sides of p = {JournalFormat.Number(_p.Alpha, Math.Max(2, Decimals(_p.Alpha)))} for: {string.Join("; ", disagreements)}. Both test the same null hypothesis (equal survival across the levels) and usually agree closely; with few events they can differ."));
            marks.AddRange(disagreeRows.Select(r => new FootnoteMark(notes.Count - 1, r, 0)));
        }
        if (columns.Any(c => c.Kind == ColumnKind.LogRankChiSquare))
        {
            notes.Add("Log-rank \u03C7\u00B2: the log-rank chi-square statistic of the factor (levels - 1 degrees of freedom), as R survdiff; on the factor's first level row.");
            marks.Add(new FootnoteMark(notes.Count - 1, -1, Heading(ColumnKind.LogRankChiSquare)));
        }

        if (columns.Any(c => c.Kind is ColumnKind.Survival or ColumnKind.SurvivalCi))
        {
            notes.Add($"{LandmarkLabel} survival: Kaplan-Meier estimate at {JournalFormat.Number(_p.Landmark, 0)} {Unit}, %" + (columns.Any(c => c.Kind == ColumnKind.SurvivalCi) ? $" (95% CI, {CiTypeDescription(_m.ConfidenceType)})." : "."));
            marks.Add(new FootnoteMark(notes.Count - 1, -1, 1 + IndexOf(columns, c => c.Kind is ColumnKind.Survival or ColumnKind.SurvivalCi)));
        }

        if (notEstimable)
        {
            notes.Add($"NE, not estimable: no patient of the group was followed for {JournalFormat.Number(_p.Landmark, 0)} {Unit}.");
            marks.AddRange(notEstimableCells.Select(x => new FootnoteMark(notes.Count - 1, x.Row, x.Column)));
        }

        notes.Add(CohortNote(data, endpoint));
        if (missingNotes.Count > 0)
        {
            notes.Add("Patients with a missing value are left out of that factor's analysis: " + string.Join(", ", missingNotes) + ".");
            marks.AddRange(missingRows.Select(r => new FootnoteMark(notes.Count - 1, r, 0)));
        }

        if (LandmarkNote(spec.LandmarkTime, endpoint.Endpoint) is { } landmarkNote)
        {
            notes.Add(landmarkNote);
        }

        notes.AddRange(spec.Footnotes);
        var headers = new List<string> { spec.VariableHeading };
        headers.AddRange(columns.Select(ColumnHeading));
        var table = new TableItem(spec.Id, spec.Title, headers, rows, notes) { Marks = marks };
        var result = new UnivariateResult(table, entries);
        _univariate[spec.Id] = result;
        return result;
    }

    /// <summary>Whether a multivariate table selects its factors from table <paramref name="univariateId"/> by <paramref name="test"/> (so that the test is run even when no column shows it).</summary>
    private bool SelectsBy(string univariateId, SelectionTest test) =>
        _p.Items.OfType<MultivariateTableSpec>().Any(m => m.SelectFrom == univariateId && m.SelectBy == test);

    private string UnivariateMethodNote(UnivariateTableSpec spec, EndpointSpec endpoint, bool multiLevel)
    {
        var ties = TiesName(_m.Ties);
        bool hasP = spec.EffectiveColumns.Any(c => c.Kind == ColumnKind.P);
        var text = spec.Test == UnivariateTest.LogRank
            ? $"{endpoint.DisplayAbbreviation}, {Lower(endpoint.DisplayLabel)}." + (hasP ? " p: log-rank test." : string.Empty)
            : $"{endpoint.DisplayAbbreviation}, {Lower(endpoint.DisplayLabel)}; HR, hazard ratio; CI, confidence interval. Univariate Cox proportional hazards models ({ties} ties)" + (hasP ? "; p: Wald test." : ".");
        if (multiLevel)
        {
            text += " For factors with more than two levels the likelihood-ratio p of the factor is given on its heading row.";
        }

        var columns = spec.EffectiveColumns;
        if (spec.Test == UnivariateTest.LogRank && columns.Any(c => c.Kind is ColumnKind.HazardRatio or ColumnKind.HazardRatioCi or ColumnKind.WaldP or ColumnKind.LikelihoodRatioP))
        {
            text += $" HR and Cox p-values from univariate Cox models ({ties} ties).";
        }

        if (columns.Any(c => c.Kind == ColumnKind.LogRankP))
        {
            text += $" {ColumnHeading(columns.First(c => c.Kind == ColumnKind.LogRankP))}: log-rank test of the factor (R survdiff).";
        }

        if (columns.Any(c => c.Kind == ColumnKind.WaldP))
        {
            text += $" {ColumnHeading(columns.First(c => c.Kind == ColumnKind.WaldP))}: Wald test of each level against the reference.";
        }

        if (columns.Any(c => c.Kind == ColumnKind.LikelihoodRatioP))
        {
            text += $" {ColumnHeading(columns.First(c => c.Kind == ColumnKind.LikelihoodRatioP))}: likelihood-ratio test of the factor as a whole (all its levels at once) in its univariate Cox model.";
        }

        return text;
    }

    private (TableCell Cell, bool NotEstimable) LandmarkCell(KaplanMeierFit? curve, bool withCi, int decimals)
    {
        if (curve is null)
        {
            return (Cell(JournalFormat.Dash), false);
        }

        var point = curve.At(_p.Landmark);
        if (point.BeyondLastObservation && point.Survival > 0)
        {
            return (Cell(JournalFormat.NotEstimable), true);
        }

        var text = withCi
            ? Fmt.SurvivalWithInterval(point.Survival, point.Lower, point.Upper, decimals)
            : JournalFormat.Percent(100 * point.Survival, decimals);
        var cell = Cell(text, 100 * point.Survival);
        return (withCi ? cell with { Lower = 100 * point.Lower, Upper = 100 * point.Upper } : cell, false);
    }

    private TableCell PCell(double? p) => p is { } v ? Cell(P(v), v) : Cell(JournalFormat.NotAvailable);

    /// <summary>The log-rank p cell, carrying the chi-square and its degrees of freedom for results.json.</summary>
    private TableCell LogRankCell(double? p, LogRankResult? test) =>
        test is null ? PCell(p) : PCell(p) with { Statistic = test.ChiSquare, DegreesOfFreedom = test.DegreesOfFreedom };

    private static TableRow HeadingRow(string label, int columns, TableCell? p, int indent, IReadOnlyList<TableColumnSpec>? kinds = null)
    {
        var cells = new List<TableCell> { Cell(label) };
        for (int i = 0; i < columns; i++)
        {
            cells.Add(p is not null && kinds is not null && kinds[i].Kind == ColumnKind.P ? p : Empty);
        }

        return new TableRow(cells, indent, IsHeading: true);
    }

    private string ColumnHeading(TableColumnSpec c) => c.Heading ?? c.Kind switch
    {
        ColumnKind.N => "n",
        ColumnKind.Events => "Events",
        ColumnKind.Survival => $"{LandmarkLabel} survival (%)",
        ColumnKind.SurvivalCi => $"{LandmarkLabel} survival, % (95% CI)",
        ColumnKind.Median => $"Median, {Unit} (95% CI)",
        ColumnKind.HazardRatio => "HR",
        ColumnKind.LogRankP => "Log-rank p",
        ColumnKind.WaldP => "Wald p",
        ColumnKind.LikelihoodRatioP => "LR p",
        ColumnKind.LogRankChiSquare => "Log-rank \u03C7\u00B2",
        ColumnKind.ConfidenceInterval => JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "% CI",
        ColumnKind.HazardRatioCi => $"HR ({JournalFormat.Number(100 * _m.ConfidenceLevel, 0)}% CI)",
        _ => "p",
    };

    private static string CohortNote(EndpointData data, EndpointSpec endpoint)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Of(data.Count, "patient")}, {Of(data.Events, "event")} ({endpoint.DisplayAbbreviation}).");
        if (data.LeftOut.Count > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" {Of(data.LeftOut.Count, "patient")} without a derivable {endpoint.DisplayAbbreviation} {(data.LeftOut.Count == 1 ? "is" : "are")} not included.");
        }

        return text;
    }

    // ------------------------------------------------------------------ Cox design

    /// <summary>
    /// The Cox model of <paramref name="vars"/> on the complete cases (the analysis step:
    /// <see cref="CoxModelAnalysis.Fit(SurvivalResponse, IReadOnlyList{AnalysisVariable}, CoxOptions)"/>), its trouble turned into the report's warnings.
    /// </summary>
    private ReportModel FitCox(EndpointData data, IReadOnlyList<ResolvedVariable> vars, string itemId, string what, EndpointSpec endpoint)
    {
        var result = CoxModelAnalysis.Fit(data.Response(), vars.Select(v => _study.Variable(v.Name, data)).ToList(), _m.Cox);
        foreach (var issue in result.Issues)
        {
            Warn(issue, itemId, what, endpoint, result);
        }

        return new ReportModel(result, result.Terms.Select(t => new ReportTerm(Var(t.Variable.Name), t)).ToList());
    }

    /// <summary>
    /// An analysis issue as the report's warning: the item's short name and what was analysed, then the sentence in
    /// the report's words (labels, the endpoint's abbreviation). The code is the analysis step's.
    /// </summary>
    private void Warn(AnalysisIssue issue, string itemId, string what, EndpointSpec endpoint, CoxModelResult? model)
    {
        var v = issue.Variable is { } name ? Var(name) : null;
        var where = $"{NameOf(itemId)} ({what})";
        var text = (issue.Code, issue.Source) switch
        {
            ("no-events-in-group", _) => $"{where}: no {endpoint.DisplayAbbreviation} event among the {Of(issue.Count ?? 0, "patient")} with {v!.LabelOf(issue.Level!)}; its survival curve stays at 1 and a hazard ratio against it is infinite or zero.",
            ("not-estimable", AnalysisIssueSource.Data) => string.Create(CultureInfo.InvariantCulture, $"{where}: fewer than two levels have patients with {endpoint.DisplayAbbreviation} ({issue.Count} level(s)); the factor cannot be tested."),
            ("not-estimable", _) => string.Create(CultureInfo.InvariantCulture, $"{where}: '{v!.Label}' has {issue.Count} level(s) among the complete cases; it cannot enter the Cox model."),
            ("reference-absent", _) => $"{where}: the reference level '{v!.LabelOf(issue.Level!)}' of '{v.Label}' has no patient; '{v.LabelOf(model?.Terms.First(t => t.Variable.Name == v.Name).Reference ?? issue.Level!)}' is the reference instead.",
            ("test-not-run" or "model-not-fitted", _) => $"{where}: {issue.Detail}",
            (_, AnalysisIssueSource.CoxFactorTest) => $"{NameOf(itemId)} ({what}, likelihood-ratio test of '{issue.Variable}'): {issue.Detail}",
            (_, AnalysisIssueSource.LogRank) => $"{NameOf(itemId)} ({what}, log-rank test): {issue.Detail}",
            ("monotone-likelihood" or "infinite-coefficients", _) => $"{where}: {issue.Detail} The hazard ratio is unreliable (a level with few or no events); consider Firth's penalised Cox regression or merging levels.",
            _ => $"{where}: {issue.Detail ?? issue.Message}",
        };
        Warn(issue.Code, text, itemId);
    }

    // ------------------------------------------------------------------ multivariate

    private MultivariateResult Multivariate(MultivariateTableSpec spec)
    {
        if (_multivariate.TryGetValue(spec.Id, out var done))
        {
            return done;
        }

        var endpoint = EndpointOf(spec.Endpoint);
        var data = Data(endpoint.Endpoint, spec.LandmarkTime);
        double threshold = spec.Threshold ?? _p.Alpha;
        List<ResolvedVariable> selected;
        string rule;
        if (spec.SelectFrom is { } from)
        {
            var source = Univariate((UnivariateTableSpec)_p.Items.First(i => i.Id == from));
            double? Of(UnivariateEntry e) => spec.SelectBy switch
            {
                SelectionTest.LogRank => e.LogRankP,
                SelectionTest.Wald => e.WaldP,
                SelectionTest.LikelihoodRatio => e.LikelihoodRatioP,
                _ => e.P,
            };
            selected = source.Entries.Where(e => Of(e) < threshold).Select(e => e.Variable).DistinctBy(v => v.Name).ToList();
            var which = spec.SelectBy switch
            {
                SelectionTest.LogRank => "log-rank p",
                SelectionTest.Wald => "Wald p of the univariate Cox model",
                SelectionTest.LikelihoodRatio => "likelihood-ratio p of the univariate Cox model",
                _ => "p",
            };
            rule = $"Factors with {which} < {JournalFormat.Number(threshold, Math.Max(2, Decimals(threshold)))} in the univariate analysis ({NameOf(from)})";
        }
        else
        {
            selected = spec.Variables.Select(Var).ToList();
            rule = "Prespecified factors";
        }

        var columns = spec.EffectiveColumns;
        var headers = new List<string> { spec.VariableHeading };
        headers.AddRange(columns.Select(ColumnHeading));
        var rows = new List<TableRow>();
        var notes = new List<string>();
        var marks = new List<FootnoteMark>();
        ReportModel? model = null;
        if (selected.Count == 0)
        {
            notes.Add($"{rule}: none; no multivariate model was fitted.");
            Warn("multivariate-empty", $"{NameOf(spec.Id)}: no factor met the selection rule ({Lower(rule)}); no multivariate model was fitted.", spec.Id);
        }
        else if (spec.TimeDependent.Count > 0)
        {
            TimeDependentModel(spec, endpoint, selected, rule, rows, notes);
        }
        else
        {
            model = FitCox(data, selected, spec.Id, "multivariate model", endpoint);
            foreach (var term in model.Terms)
            {
                AddModelRows(rows, model, term, columns, spec.Layout);
            }

            var ties = TiesName(_m.Ties);
            notes.Add($"{endpoint.DisplayAbbreviation}, {Lower(endpoint.DisplayLabel)}; HR, hazard ratio; CI, confidence interval. Multivariate Cox proportional hazards model ({ties} ties); Wald CI and p.");
            if (FactorTestNote(spec, model) is { } factorNote)
            {
                notes.Add(factorNote);
                MarkFactorTests(spec, rows, notes.Count - 1, marks);
            }
            notes.Add($"{rule}: {string.Join(", ", selected.Select(v => v.Label))}.");
            if (model.Fit is { } fit)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"Complete cases: n = {fit.N}, events = {fit.Events}")
                    + (fit.NDropped > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({Of(fit.NDropped, "patient")} with a missing value left out, {fit.EventsDropped} of them with an event).") : ".")
                    + $" Likelihood-ratio test of the model: {Fmt.PInline(fit.LikelihoodRatio.P, _p.Alpha)} ({fit.LikelihoodRatio.DegreesOfFreedom} df).");
                EventsPerVariable(fit.Events, fit.Terms.Count, spec.Id, notes);
            }
            else
            {
                notes.Add($"The model could not be fitted: {model.Problem}.");
            }

            if (model.Fit is not null)
            {
                ModelChecks(spec, data, model, notes);
            }

            if (data.LeftOut.Count > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{Of(data.LeftOut.Count, "patient")} without a derivable {endpoint.DisplayAbbreviation} {(data.LeftOut.Count == 1 ? "is" : "are")} not included."));
            }
        }

        if (LandmarkNote(spec.LandmarkTime, endpoint.Endpoint) is { } landmarkNote)
        {
            notes.Add(landmarkNote);
        }

        notes.AddRange(spec.Footnotes);
        var result = new MultivariateResult(new TableItem(spec.Id, spec.Title, headers, rows, notes) { Marks = marks }, model, endpoint, selected);
        _multivariate[spec.Id] = result;
        return result;
    }

    /// <summary>
    /// What the table says of the likelihood-ratio tests of factors as a whole (R drop1): where they are (an LR column,
    /// the heading row of a factor of more than two levels), or, in a compact table without an LR column, their values.
    /// </summary>
    /// <summary>The events-per-variable note and warning of a model with fewer than 10 events per term (shared by every model table).</summary>
    private void EventsPerVariable(int events, int terms, string itemId, List<string> notes)
    {
        double epv = terms == 0 ? double.PositiveInfinity : (double)events / terms;
        if (epv < 10)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{Of(events, "event")} for {Of(terms, "term")}: {JournalFormat.Number(epv, 1)} events per variable, fewer than 10; the estimates may be unstable and optimistic.");
            notes.Add(text);
            Warn("events-per-variable", $"{NameOf(itemId)}: {text}", itemId);
        }
    }

    /// <summary>The index of the first column matching <paramref name="match"/>, or -1.</summary>
    private static int IndexOf(IReadOnlyList<TableColumnSpec> columns, Func<TableColumnSpec, bool> match)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            if (match(columns[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Ties the factor-test footnote to the likelihood-ratio column's heading, or to the p on each factor's heading row (levels layout).</summary>
    private static void MarkFactorTests(MultivariateTableSpec spec, List<TableRow> rows, int footnote, List<FootnoteMark> marks)
    {
        var columns = spec.EffectiveColumns;
        int lr = IndexOf(columns, c => c.Kind == ColumnKind.LikelihoodRatioP);
        if (lr >= 0)
        {
            marks.Add(new FootnoteMark(footnote, -1, 1 + lr));
            return;
        }

        int p = IndexOf(columns, c => c.Kind == ColumnKind.P);
        if (spec.Layout != MultivariateLayout.Levels || p < 0)
        {
            return;
        }

        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].IsHeading && rows[r].Cells.Count > 1 + p && rows[r].Cells[1 + p].Text.Length > 0)
            {
                marks.Add(new FootnoteMark(footnote, r, 1 + p));
            }
        }
    }

    private string? FactorTestNote(MultivariateTableSpec spec, ReportModel model)
    {
        var columns = spec.EffectiveColumns;
        var multi = model.Terms.Where(t => t.Variable.IsCategorical && t.Levels.Count > 2).ToList();
        const string Test = "likelihood-ratio test of the factor as a whole (the model without it, on the same patients; R drop1)";
        if (columns.Any(c => c.Kind == ColumnKind.LikelihoodRatioP))
        {
            return $"{ColumnHeading(columns.First(c => c.Kind == ColumnKind.LikelihoodRatioP))}: {Test}.";
        }

        if (multi.Count == 0 || model.Fit is null)
        {
            return null;
        }

        if (spec.Layout == MultivariateLayout.Levels && columns.Any(c => c.Kind == ColumnKind.P))
        {
            return $"For factors with more than two levels the p on the heading row is the {Test}.";
        }

        var values = multi.Select(t => model.FactorTest(t) is { } lr
            ? string.Create(CultureInfo.InvariantCulture, $"{t.Variable.Label} {Fmt.PInline(lr.P, _p.Alpha)} ({lr.DegreesOfFreedom} df)")
            : $"{t.Variable.Label} NA");
        return $"The {Test}: {string.Join("; ", values)}.";
    }

    // ------------------------------------------------------------------ model checks (issue 5)

    /// <summary>The significance level below which a proportional-hazards test is flagged (issue 5: p &lt; 0.05).</summary>
    private const double ProportionalHazardsAlpha = 0.05;

    /// <summary>
    /// The checks a reviewer asks of a fitted multivariate model: Harrell's C in the footnotes, the proportional-hazards
    /// test as a table after the model's table (with a warning per p &lt; 0.05), and, under monotone likelihood, the
    /// Firth-penalised fit as a further table.
    /// </summary>
    private void ModelChecks(MultivariateTableSpec spec, EndpointData data, ReportModel model, List<string> notes)
    {
        var fit = model.Fit!;
        var following = new List<ReportItem>();
        _following[spec.Id] = following;

        // The analysis step: concordance, cox.zph and, when asked, Firth's fit of the same model.
        bool monotone = fit.Warnings.Any(w => w.Code is "monotone-likelihood" or "infinite-coefficients");
        bool wantFirth = spec.Firth == FirthMode.Always || (monotone && spec.Firth == FirthMode.Auto);
        var checks = _study.ModelChecks(EndpointOf(spec.Endpoint).Endpoint, model.Result, wantFirth, spec.LandmarkTime);
        var c = checks.Concordance;
        notes.Add($"Harrell's C = {JournalFormat.Number(c.C, 2)} (SE {JournalFormat.Number(c.StdError, 2)}), as R concordance() on the fit.");

        var zph = checks.ProportionalHazards;
        following.Add(ProportionalHazardsTable(spec, model, zph));
        for (int k = 0; k < zph.Tests.Count; k++)
        {
            if (zph.Tests[k].P < ProportionalHazardsAlpha)
            {
                following.Add(ResidualFigure(spec, model, zph, k));
            }
        }

        if (wantFirth)
        {
            var (firth, problem) = (checks.Firth, checks.FirthProblem);
            if (firth is null)
            {
                Warn("firth-not-fitted", $"{NameOf(spec.Id)}: the Firth-penalised model could not be fitted: {problem}", spec.Id);
                notes.Add($"The likelihood is monotone (a hazard ratio is infinite or zero); the Firth-penalised model could not be fitted: {problem}");
            }
            else
            {
                following.Add(FirthTable(spec, model, firth, monotone));
                notes.Add(monotone
                    ? $"The likelihood is monotone (a hazard ratio is infinite or zero), so the rows above (ordinary maximum-likelihood Cox estimates) are unreliable; {NameOf(spec.Id)} (Firth) gives the Firth-penalised estimates of the same model."
                    : $"The rows above are ordinary maximum-likelihood Cox estimates; {NameOf(spec.Id)} (Firth) gives the Firth-penalised estimates of the same model, as the protocol asks (firth: always).");
            }
        }
    }

    private static string TermLabelOf(ReportModel model, string covariate, string? level)
    {
        var mt = model.Terms.FirstOrDefault(t => t.Variable.Name == covariate);
        if (mt is null)
        {
            return covariate;
        }

        var v = mt.Variable;
        return !v.IsCategorical ? v.LabelWithUnit
            : level is null ? v.Label
            : v.TermLabel(level, mt.Reference!, mt.Levels.Count == 2);
    }

    private TableItem ProportionalHazardsTable(MultivariateTableSpec spec, ReportModel model, CoxZphResult zph)
    {
        var rows = new List<TableRow>();
        foreach (var test in zph.Tests.Append(zph.Global))
        {
            bool global = test == zph.Global;
            var label = global ? "GLOBAL" : TermLabelOf(model, test.Term, null);
            rows.Add(new TableRow(
            [
                Cell(label),
                double.IsFinite(test.ChiSquare) ? Cell(JournalFormat.Number(test.ChiSquare, 2), test.ChiSquare) : Cell(JournalFormat.NotAvailable),
                Cell(JournalFormat.Count(test.Df), test.Df),
                double.IsFinite(test.P) ? Cell(P(test.P), test.P) : Cell(JournalFormat.NotAvailable),
            ]));
            if (test.P < ProportionalHazardsAlpha)
            {
                var what = global ? "the global test of all covariates" : $"'{label}'";
                Warn("proportional-hazards", string.Create(CultureInfo.InvariantCulture, $"{NameOf(spec.Id)} (multivariate model): the proportional-hazards test of {what} gives {Fmt.PInline(test.P, _p.Alpha)} (cox.zph, km transform); the hazard ratio may change over time."), spec.Id);
            }
        }

        var notes = new List<string>
        {
            $"Score test of a zero slope of the scaled Schoenfeld residuals against the Kaplan-Meier transform of time (R cox.zph(fit, transform = \"km\")), per covariate (all its terms together) and for the whole model (GLOBAL); p < {JournalFormat.Number(ProportionalHazardsAlpha, 2)} suggests non-proportional hazards.",
        };
        return new TableItem(
            spec.Id + "-ph",
            $"{NameOf(spec.Id)} (continued). Proportional-hazards test (scaled Schoenfeld residuals, R cox.zph, km transform)",
            ["Covariate", "Chi-square", "df", "p"],
            rows,
            notes);
    }

    /// <summary>
    /// The scaled Schoenfeld residuals of covariate <paramref name="k"/> against the Kaplan-Meier transform of time with
    /// the smooth R draws (<c>plot(cox.zph(fit)[k])</c>): the natural cubic spline with 4 df at 40 points and its ±2 SE
    /// band, from the engine's <see cref="CoxZph.Smooth"/>. When that spline fit is singular (R warns and skips the
    /// term) the points are drawn alone and the caption says so.
    /// </summary>
    private ScatterFigure ResidualFigure(MultivariateTableSpec spec, ReportModel model, CoxZphResult zph, int k)
    {
        var test = zph.Tests[k];
        var label = TermLabelOf(model, test.Term, null);
        var points = Enumerable.Range(0, zph.ScaledResiduals.Length)
            .Where(i => zph.ScaledResiduals[i][k] is not null)
            .Select(i => (X: zph.TransformedTime[i], Y: zph.ScaledResiduals[i][k]!.Value))
            .OrderBy(p => p.X)
            .ToList();
        var smooth = CoxZph.Smooth(zph, k);
        var line = smooth.IsSingular
            ? "No smooth is drawn: the natural cubic spline fit with 4 df is singular (too few distinct event times, or too many tied ones), and R's plot(cox.zph(fit)) skips it too."
            : "The solid line is a natural cubic spline with 4 df fitted to the residuals and the dashed lines its ±2 SE band, as R's plot(cox.zph(fit)).";
        var caption = $"Scaled Schoenfeld residuals of {label} in the multivariate model of {NameOf(spec.Id)}, one per event, against the Kaplan-Meier transform of time (R plot(cox.zph(fit)), transform = \"km\"). A flat trend is what proportional hazards predict. {line}";
        return new ScatterFigure(
            $"{spec.Id}-ph-{test.Term}",
            $"{NameOf(spec.Id)} (continued). Scaled Schoenfeld residuals of {label} against time",
            caption,
            "Kaplan-Meier transform of time, 1 − S(t−)",
            $"β(t) of {label}",
            points.Select(p => p.X).ToList(),
            points.Select(p => p.Y).ToList(),
            smooth.X,
            smooth.Fit,
            $"cox.zph {Fmt.PInline(test.P, _p.Alpha)}",
            smooth.IsSingular ? null : smooth.Lower,
            smooth.IsSingular ? null : smooth.Upper);
    }

    private TableItem FirthTable(MultivariateTableSpec spec, ReportModel model, CoxFirthFit firth, bool monotone)
    {
        string level = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "%";
        var rows = firth.Terms.Select(t => new TableRow(
        [
            Cell(TermLabelOf(model, t.Covariate, t.Level)),
            Cell(Fmt.HazardRatio(t.HazardRatio), t.HazardRatio),
            t.Lower is { } lo && t.Upper is { } hi ? Cell(Fmt.HazardRatioInterval(lo, hi)) with { Lower = lo, Upper = hi } : Cell(JournalFormat.NotAvailable),
            Cell(P(t.P), t.P),
        ])).ToList();
        var notes = new List<string>
        {
            (monotone
                ? $"Firth-penalised (monotone likelihood): the ordinary Cox fit of {NameOf(spec.Id)} has a monotone likelihood (a level with few or no events, so a hazard ratio is infinite or zero); "
                : $"Firth-penalised (requested by the protocol, firth: always; the ordinary fit of {NameOf(spec.Id)} is regular): ")
            + $"every row of this table comes from Firth's penalised Cox regression of the same model on the same patients (Heinze and Schemper 2001; R coxphf, Breslow ties), with {level} profile penalised-likelihood confidence intervals and penalised likelihood-ratio p. The rows of {NameOf(spec.Id)} itself are the ordinary maximum-likelihood estimates.",
            string.Create(CultureInfo.InvariantCulture, $"n = {firth.N}, events = {firth.Events}."),
        };
        if (firth.Terms.Any(t => t.Lower is null || t.Upper is null))
        {
            notes.Add("NA: a profile confidence limit was not found.");
        }

        foreach (var w in firth.Warnings)
        {
            Warn(w.Code, $"{NameOf(spec.Id)} (Firth-penalised model): {w.Message}", spec.Id);
        }

        return new TableItem(
            spec.Id + "-firth",
            monotone ? $"{NameOf(spec.Id)} (Firth). Firth-penalised (monotone likelihood) Cox model" : $"{NameOf(spec.Id)} (Firth). Firth-penalised Cox model",
            ["Term", "HR", $"{level} CI (profile)", "p"],
            rows,
            notes);
    }

    private static int Decimals(double x)
    {
        var text = x.ToString("0.######", CultureInfo.InvariantCulture);
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : text.Length - dot - 1;
    }

    private void AddModelRows(List<TableRow> rows, ReportModel model, ReportTerm mt, IReadOnlyList<TableColumnSpec> columns, MultivariateLayout layout)
    {
        var v = mt.Variable;
        var factorTest = model.FactorTest(mt);
        if (!v.IsCategorical)
        {
            var term = model.Term(mt, null);
            rows.Add(new TableRow([Cell(v.LabelWithUnit), .. columns.Select(c => TermCell(c.Kind, term, null, isReference: false, factorTest))]));
            return;
        }

        var ordered = OrderLike(mt.Levels, v);
        if (layout == MultivariateLayout.Compact)
        {
            bool first = true;
            foreach (var level in ordered.Where(l => l != mt.Reference))
            {
                var term = model.Term(mt, level);
                var label = v.TermLabel(level, mt.Reference!, mt.Levels.Count == 2);
                rows.Add(new TableRow([Cell(label), .. columns.Select(c => TermCell(c.Kind, term, mt.Counts.GetValueOrDefault(level), isReference: false, first ? factorTest : null))]));
                first = false;
            }

            return;
        }

        // Heading row: the factor's likelihood-ratio p (R drop1) in an LR column, and in the p column for a factor of
        // more than two levels, whose per-level Wald p-values do not test it as a whole.
        var heading = new List<TableCell> { Cell(v.Label) };
        foreach (var c in columns)
        {
            heading.Add(c.Kind == ColumnKind.LikelihoodRatioP || (c.Kind == ColumnKind.P && mt.Levels.Count > 2) ? PCell(factorTest?.P) : Empty);
        }

        rows.Add(new TableRow(heading, 0, IsHeading: true));
        foreach (var level in ordered)
        {
            bool isReference = level == mt.Reference;
            var term = isReference ? null : model.Term(mt, level);
            rows.Add(new TableRow([Cell(v.LabelOf(level)), .. columns.Select(c => TermCell(c.Kind, term, mt.Counts.GetValueOrDefault(level), isReference, null))], 1));
        }
    }

    /// <summary>The model's levels in the variable's display order (the reference keeps its place).</summary>
    private List<string> OrderLike(IReadOnlyList<string> modelLevels, ResolvedVariable v)
    {
        var display = v.Levels(_cohort.Patients);
        return display.Where(modelLevels.Contains).Concat(modelLevels.Where(l => !display.Contains(l))).ToList();
    }

    private TableCell TermCell(ColumnKind kind, CoxTerm? term, int? n, bool isReference, TestStatistic? factorTest) => kind switch
    {
        ColumnKind.LikelihoodRatioP => factorTest is null ? Empty : PCell(factorTest.P),
        ColumnKind.WaldP => isReference ? Empty : term is null ? Cell(JournalFormat.NotAvailable) : Cell(P(term.P), term.P),
        ColumnKind.N => n is { } k ? Cell(JournalFormat.Count(k), k) : Empty,
        ColumnKind.HazardRatio => isReference ? Cell("1", 1) : term is null ? Cell(JournalFormat.NotAvailable) : Cell(Fmt.HazardRatio(term.HazardRatio), term.HazardRatio),
        ColumnKind.ConfidenceInterval => isReference ? Empty : term is null ? Cell(JournalFormat.NotAvailable) : Cell(Fmt.HazardRatioInterval(term.Lower, term.Upper)) with { Lower = term.Lower, Upper = term.Upper },
        ColumnKind.HazardRatioCi => isReference ? Cell("1 (reference)", 1) : term is null ? Cell(JournalFormat.NotAvailable) : Cell(Fmt.HazardRatioWithInterval(term.HazardRatio, term.Lower, term.Upper), term.HazardRatio) with { Lower = term.Lower, Upper = term.Upper },
        ColumnKind.P => isReference ? Empty : term is null ? Cell(JournalFormat.NotAvailable) : Cell(P(term.P), term.P),
        _ => Cell(JournalFormat.Dash),
    };

    // ------------------------------------------------------------------ forest

    private ForestFigure Forest(ForestFigureSpec spec)
    {
        var mv = Multivariate((MultivariateTableSpec)_p.Items.First(i => i.Id == spec.Model));
        var rows = new List<ForestRow>();
        if (mv.Model is { Fit: not null } model)
        {
            foreach (var mt in model.Terms)
            {
                var v = mt.Variable;
                if (!v.IsCategorical)
                {
                    var term = model.Term(mt, null);
                    rows.Add(ForestRowOf(v.LabelWithUnit, term, model.Fit?.N));
                    continue;
                }

                var referenceN = mt.Counts.GetValueOrDefault(mt.Reference!);
                rows.Add(new ForestRow($"{v.Label}: {v.LabelOf(mt.Reference!)}", 1, null, null, "1 (reference)", IsReference: true)
                {
                    Cells = [JournalFormat.Count(referenceN), "1 (reference)", string.Empty, string.Empty],
                });
                foreach (var level in OrderLike(mt.Levels, v).Where(l => l != mt.Reference))
                {
                    rows.Add(ForestRowOf($"{v.Label}: {v.LabelOf(level)}", model.Term(mt, level), mt.Counts.GetValueOrDefault(level)));
                }
            }
        }

        var caption = spec.Caption ?? (mv.Model?.Fit is { } fit
            ? string.Create(CultureInfo.InvariantCulture, $"Hazard ratios with {JournalFormat.Number(100 * _m.ConfidenceLevel, 0)}% confidence intervals of the multivariate Cox model of {NameOf(spec.Model)} ({mv.Endpoint.DisplayAbbreviation}; n = {fit.N}, {Of(fit.Events, "event")}), log scale.")
            : $"No multivariate model was fitted for {NameOf(spec.Model)}.");
        var ci = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "% CI";
        return new ForestFigure(spec.Id, spec.Title, caption, rows, $"Hazard ratio ({ci})")
        {
            Columns = ["n", "HR", ci, "p"],
            FavoursLower = spec.FavoursLower,
            FavoursHigher = spec.FavoursHigher,
        };
    }

    /// <summary>A forest row: the right-hand text and the n, HR, CI and p columns (n: complete cases with the level, or all complete cases for a numeric covariate).</summary>
    private ForestRow ForestRowOf(string label, CoxTerm? term, int? n)
    {
        var count = n is { } k ? JournalFormat.Count(k) : string.Empty;
        return term is null
            ? new ForestRow(label, null, null, null, JournalFormat.NotAvailable) { Cells = [count, JournalFormat.NotAvailable, string.Empty, string.Empty] }
            : new ForestRow(label, term.HazardRatio, term.Lower, term.Upper, $"{Fmt.HazardRatioWithInterval(term.HazardRatio, term.Lower, term.Upper)}, {Fmt.PInline(term.P, _p.Alpha)}")
            {
                Cells = [count, Fmt.HazardRatio(term.HazardRatio), Fmt.HazardRatioInterval(term.Lower, term.Upper), P(term.P)],
            };
    }
}
