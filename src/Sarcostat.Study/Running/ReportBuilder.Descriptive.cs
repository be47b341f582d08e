using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Study.Running;

/// <summary>Descriptive and group-comparison tables.</summary>
internal sealed partial class ReportBuilder
{
    private TableItem Descriptive(DescriptiveTableSpec spec)
    {
        var patients = _cohort.Patients;
        int total = patients.Count;
        var rows = new List<TableRow>();
        var used = new HashSet<SummaryKind>();
        bool missingShown = false;
        foreach (var row in spec.Rows)
        {
            if (row.Summary == SummaryKind.MedianSurvival)
            {
                var endpoint = EndpointOf(row.Endpoint!);
                var km = Km(endpoint.Endpoint);
                var label = row.Label ?? $"Median {Lower(endpoint.DisplayLabel)}, {Unit} (95% CI)";
                rows.Add(km is null
                    ? new TableRow([Cell(label), Cell(JournalFormat.NotAvailable)], row.Indent)
                    : new TableRow([Cell(label), Cell(Fmt.MedianWithInterval(km.Median.Estimate, km.Median.Lower, km.Median.Upper), km.Median.Estimate) with { Lower = km.Median.Lower, Upper = km.Median.Upper }], row.Indent));
                used.Add(SummaryKind.MedianSurvival);
                continue;
            }

            if (row.Variable is null)
            {
                rows.Add(new TableRow([Cell(row.Heading!), Empty], row.Indent, IsHeading: true));
                continue;
            }

            var v = Var(row.Variable);
            var kind = row.Summary == SummaryKind.Auto ? (v.IsCategorical ? SummaryKind.Counts : SummaryKind.MeanSd) : row.Summary;
            used.Add(kind);
            if (kind == SummaryKind.Counts)
            {
                missingShown |= CountRows(rows, v, row, patients, total, spec.PercentOf, spec.PercentDecimals, spec.PercentSign);
            }
            else
            {
                var values = patients.Select(v.Number).ToArray();
                var summary = Descriptives.Numeric(values);
                int decimals = row.Decimals ?? 1;
                rows.Add(new TableRow([Cell(row.Label ?? v.LabelWithUnit), NumericCell(summary, kind, decimals)], row.Indent));
                if (summary.Missing > 0)
                {
                    missingShown = true;
                    rows.Add(new TableRow(
                        [Cell(_p.MissingLabel), Cell(JournalFormat.CountPercent(summary.Missing, Percent(summary.Missing, total), spec.PercentDecimals, spec.PercentSign), summary.Missing)],
                        row.Indent + 1));
                }
            }
        }

        var columns = new[] { spec.Columns[0], spec.Columns[1].Replace("{n}", JournalFormat.Count(total), StringComparison.Ordinal) };
        var notes = new List<string>();
        if (used.Contains(SummaryKind.Counts))
        {
            notes.Add(spec.PercentOf == PercentBase.All
                ? string.Create(CultureInfo.InvariantCulture, $"Counts are n (%) of all {Of(total, "patient")}") + (missingShown ? "; missing values are counted in a separate row." : ".")
                : "Counts are n (%) of the patients with a known value" + (missingShown ? "; missing values are counted in a separate row." : "."));
        }
        else if (missingShown)
        {
            notes.Add("Missing values are counted in a separate row.");
        }

        notes.AddRange(SummaryNotes(used));
        notes.AddRange(spec.Footnotes);
        return new TableItem(spec.Id, spec.Title, columns, rows, notes);
    }

    private IEnumerable<string> SummaryNotes(HashSet<SummaryKind> used)
    {
        if (used.Contains(SummaryKind.MeanSd) || used.Contains(SummaryKind.MeanSdRange))
        {
            yield return Fmt.MeanSdName + (used.Contains(SummaryKind.MeanSdRange) ? " (range)" : string.Empty) + "; SD, standard deviation.";
        }

        if (used.Contains(SummaryKind.MedianRange))
        {
            yield return "Median (range: minimum-maximum).";
        }

        if (used.Contains(SummaryKind.MedianIqr))
        {
            yield return "Median (IQR: first-third quartile, R's type 7 quantiles).";
        }

        if (used.Contains(SummaryKind.MedianSurvival))
        {
            yield return $"Median survival by the Kaplan-Meier method with its 95% CI ({MedianDescription(_m.MedianInterval)}); NR, not reached.";
        }
    }

    private TableCell NumericCell(NumericSummary s, SummaryKind kind, int decimals)
    {
        if (s.N == 0)
        {
            return Cell(JournalFormat.NotAvailable);
        }

        string Num(double? x) => x is { } d ? JournalFormat.Number(d, decimals) : JournalFormat.NotAvailable;
        string MeanSd() => Fmt.MeanSd(Num(s.Mean), s.SD is null ? null : Num(s.SD));
        string Range(double? lo, double? hi) => lo is { } l && hi is { } h ? Fmt.Interval(l, h, decimals) : JournalFormat.NotAvailable;
        return kind switch
        {
            SummaryKind.MeanSd => Cell(MeanSd(), s.Mean),
            SummaryKind.MedianRange => Cell($"{Num(s.Median)} ({Range(s.Min, s.Max)})", s.Median),
            SummaryKind.MedianIqr => Cell($"{Num(s.Median)} ({Range(s.Q1, s.Q3)})", s.Median),
            _ => Cell($"{MeanSd()} ({Range(s.Min, s.Max)})", s.Mean),
        };
    }

    private static double? Percent(int count, int denominator) => denominator == 0 ? null : 100.0 * count / denominator;

    /// <summary>Adds the rows of a counted variable; returns true when a missing row was added.</summary>
    private bool CountRows(
        List<TableRow> rows, ResolvedVariable v, DescriptiveRowSpec row, IReadOnlyList<DerivedPatient> patients, int total, PercentBase percentOf, int decimals, bool sign)
    {
        var levels = v.Levels(patients);
        var counts = levels.ToDictionary(l => l, _ => 0, StringComparer.Ordinal);
        var sourceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        int missing = 0;
        foreach (var p in patients)
        {
            var level = v.Level(p);
            if (level is null)
            {
                missing++;
                continue;
            }

            counts[level]++;
            if (v.SourceLevel(p) is { } source)
            {
                sourceCounts[source] = sourceCounts.GetValueOrDefault(source) + 1;
            }
        }

        int known = total - missing;
        int denominator = percentOf == PercentBase.All ? total : known;
        IEnumerable<string> shown = row.Show.Count > 0 ? levels.Where(row.Show.Contains) : levels;
        if (row.SortByCount)
        {
            shown = shown.Select((l, i) => (l, i)).OrderByDescending(x => counts[x.l]).ThenBy(x => x.i).Select(x => x.l);
        }

        var shownList = shown.ToList();
        string Text(int n) => JournalFormat.CountPercent(n, Percent(n, denominator), decimals, sign);
        var label = row.Label ?? v.Label;
        int levelIndent = row.Show.Count == 1 || row.ShowHeading ? row.Indent + 1 : row.Indent;
        if (row.Show.Count == 1)
        {
            var only = shownList.Count == 1 ? shownList[0] : row.Show[0];
            int n = counts.GetValueOrDefault(only);
            rows.Add(new TableRow([Cell(label), Cell(Text(n), n)], row.Indent));
        }
        else
        {
            if (row.ShowHeading)
            {
                rows.Add(new TableRow([Cell(label), Empty], row.Indent, IsHeading: true));
            }

            foreach (var level in shownList)
            {
                int n = counts[level];
                rows.Add(new TableRow([Cell(v.LabelOf(level)), Cell(Text(n), n)], levelIndent));
                if (!row.Breakdown)
                {
                    continue;
                }

                var sources = v.SourceValuesOf(level);
                var listed = row.BreakdownValues.Count > 0 ? sources.Where(row.BreakdownValues.Contains).ToList() : sources.ToList();
                if (row.BreakdownValues.Count == 0 && listed.Count < 2)
                {
                    continue;
                }

                foreach (var source in listed)
                {
                    int k = sourceCounts.GetValueOrDefault(source);
                    if (k > 0 || row.BreakdownValues.Count > 0)
                    {
                        rows.Add(new TableRow([Cell(v.SourceLabelOf(source)), Cell(Text(k), k)], levelIndent + 1));
                    }
                }
            }
        }

        if (missing > 0)
        {
            rows.Add(new TableRow([Cell(_p.MissingLabel), Cell(JournalFormat.CountPercent(missing, Percent(missing, total), decimals, sign), missing)], levelIndent));
            return true;
        }

        return false;
    }

    // ------------------------------------------------------------------ group comparison

    private TableItem Comparison(ComparisonTableSpec spec)
    {
        var by = Var(spec.By);
        var all = _cohort.Patients;
        var patients = all.Where(p => by.Level(p) is not null).ToList();
        var groups = by.Levels(patients).Where(l => patients.Any(p => by.Level(p) == l)).ToList();
        var members = groups.Select(g => patients.Where(p => by.Level(p) == g).ToList()).ToList();
        var columns = new List<string> { spec.VariableHeading };
        columns.AddRange(groups.Select((g, i) => string.Create(CultureInfo.InvariantCulture, $"{by.LabelOf(g)} (n = {members[i].Count})")));
        columns.Add("p");
        int width = columns.Count;
        var rows = new List<TableRow>();
        var notes = new List<string>();
        var tests = new SortedSet<string>(StringComparer.Ordinal);
        bool fallback = false;
        var fallbackCells = new List<(int Row, int Column)>();
        var groupFactor = FactorOf(by, patients, groups);
        if (groups.Count < 2)
        {
            Warn("comparison-groups", $"{spec.Id}: '{by.Label}' has {groups.Count} group(s) with patients; a comparison needs two or more.", spec.Id);
        }

        foreach (var row in spec.Rows)
        {
            if (row.Variable is null)
            {
                var heading = new List<TableCell> { Cell(row.Heading ?? string.Empty) };
                heading.AddRange(Enumerable.Repeat(Empty, width - 1));
                rows.Add(new TableRow(heading, row.Indent, IsHeading: true));
                continue;
            }

            var v = Var(row.Variable);
            var kind = row.Summary == SummaryKind.Auto ? (v.IsCategorical ? SummaryKind.Counts : SummaryKind.MeanSd) : row.Summary;
            var label = row.Label ?? (kind == SummaryKind.Counts ? v.Label : v.LabelWithUnit);
            if (kind == SummaryKind.Counts)
            {
                var levels = v.Levels(patients);
                if (row.Show.Count > 0)
                {
                    levels = levels.Where(row.Show.Contains).ToList();
                }

                var table = levels.Select(l => members.Select(m => m.Count(p => v.Level(p) == l)).ToArray()).ToArray();
                var missing = members.Select(m => m.Count(p => v.Level(p) is null)).ToArray();
                var test = row.Test ?? ComparisonTest.Fisher;
                var comparison = GroupComparison.Categorical(groupFactor, FactorOf(v, patients, [.. v.Levels(patients)]));
                var (p, problem, usedFallback) = CategoricalTest(comparison, test);
                fallback |= usedFallback;
                tests.Add(usedFallback || test == ComparisonTest.ChiSquare ? "chi-squared test" : "Fisher's exact test");
                if (problem is not null)
                {
                    Warn("comparison-test", $"{spec.Id} ({label}): {problem}", spec.Id);
                }

                var pCell = p is { } pv ? Cell(P(pv), pv) : Cell(JournalFormat.NotAvailable);
                if (usedFallback)
                {
                    fallbackCells.Add((rows.Count, width - 1));
                }

                var heading = new List<TableCell> { Cell(label) };
                heading.AddRange(Enumerable.Repeat(Empty, width - 2));
                heading.Add(pCell);
                rows.Add(new TableRow(heading, row.Indent, IsHeading: true));
                for (int l = 0; l < levels.Count; l++)
                {
                    var cells = new List<TableCell> { Cell(v.LabelOf(levels[l])) };
                    for (int g = 0; g < groups.Count; g++)
                    {
                        int n = table[l][g];
                        cells.Add(Cell(JournalFormat.CountPercent(n, Percent(n, members[g].Count), spec.PercentDecimals, spec.PercentSign), n));
                    }

                    cells.Add(Empty);
                    rows.Add(new TableRow(cells, row.Indent + 1));
                }

                if (missing.Any(m => m > 0))
                {
                    var cells = new List<TableCell> { Cell(_p.MissingLabel) };
                    for (int g = 0; g < groups.Count; g++)
                    {
                        cells.Add(Cell(JournalFormat.CountPercent(missing[g], Percent(missing[g], members[g].Count), spec.PercentDecimals, spec.PercentSign), missing[g]));
                    }

                    cells.Add(Empty);
                    rows.Add(new TableRow(cells, row.Indent + 1));
                }
            }
            else
            {
                var test = row.Test ?? ComparisonTest.Student;
                tests.Add(test == ComparisonTest.Welch ? "Welch's t-test" : "Student's t-test");
                // The engine's group comparison (the CLI's compare): summaries per group and the two-group tests.
                var comparison = GroupComparison.Numeric(groupFactor, v.Name, patients.Select(v.Number).ToArray());
                var cells = new List<TableCell> { Cell(label) };
                foreach (var summary in comparison.Groups)
                {
                    cells.Add(NumericCell(summary, kind, row.Decimals ?? 1));
                }

                double? p = null;
                if (groups.Count == 2)
                {
                    var result = test == ComparisonTest.Welch ? comparison.Welch : comparison.Student;
                    p = result?.P;
                    if (result is null)
                    {
                        var label2 = test == ComparisonTest.Welch ? "Welch t-test" : "Student t-test";
                        var why = comparison.Warnings.FirstOrDefault(w => w.Message.StartsWith(label2, StringComparison.Ordinal))?.Message ?? "the t-test could not be computed.";
                        Warn("comparison-test", $"{spec.Id} ({label}): {why}", spec.Id);
                    }
                }
                else if (groups.Count > 2)
                {
                    Warn("comparison-test", $"{spec.Id} ({label}): a t-test compares two groups, '{by.Label}' has {groups.Count}; no p is given.", spec.Id);
                }

                cells.Add(p is { } pv ? Cell(P(pv), pv) : Cell(JournalFormat.NotAvailable));
                rows.Add(new TableRow(cells, row.Indent));
                int missingValues = comparison.Groups.Sum(s => s.Missing);
                if (missingValues > 0)
                {
                    var missingCells = new List<TableCell> { Cell(_p.MissingLabel) };
                    for (int g = 0; g < comparison.Groups.Count; g++)
                    {
                        int k = comparison.Groups[g].Missing;
                        missingCells.Add(Cell(JournalFormat.Count(k), k));
                    }

                    missingCells.Add(Empty);
                    rows.Add(new TableRow(missingCells, row.Indent + 1));
                }
            }
        }

        var marks = new List<FootnoteMark>();
        notes.Add("p: " + string.Join(", ", tests) + "; two-sided. Categorical rows: n (% of the group's patients); numerical rows: " + Lower(Fmt.MeanSdName) + " unless stated.");
        marks.Add(new FootnoteMark(notes.Count - 1, -1, width - 1));
        if (fallback)
        {
            notes.Add("Pearson's chi-squared test: the table is too large for Fisher's exact test.");
            marks.AddRange(fallbackCells.Select(x => new FootnoteMark(notes.Count - 1, x.Row, x.Column)));
        }

        int noGroup = all.Count - patients.Count;
        if (noGroup > 0)
        {
            notes.Add($"{JournalFormat.CountOf(noGroup, "patient")} with '{by.Label}' missing {(noGroup == 1 ? "is" : "are")} not included.");
        }

        notes.AddRange(spec.Footnotes);
        return new TableItem(spec.Id, spec.Title, columns, rows, notes) { Marks = marks };
    }

    /// <summary>
    /// The p of a table of counts from the engine's group comparison (empty rows and columns left out first, as R
    /// does): Fisher's exact test, or Pearson's chi-squared test without continuity correction when the protocol asks
    /// for it or the table is too large for exact enumeration (the fallback).
    /// </summary>
    private static (double? P, string? Problem, bool Fallback) CategoricalTest(CategoricalComparison comparison, ComparisonTest test)
    {
        if (comparison.ChiSquareUncorrected is not { } chi)
        {
            int rows = comparison.Counts.Count(r => r.Sum() > 0);
            int columns = Enumerable.Range(0, comparison.ColumnLevels.Count).Count(j => comparison.Counts.Sum(r => r[j]) > 0);
            return (null, string.Create(CultureInfo.InvariantCulture, $"the test needs at least two levels and two groups with patients ({rows} and {columns} here)."), false);
        }

        if (test == ComparisonTest.ChiSquare)
        {
            return (chi.P, null, false);
        }

        return comparison.Fisher is { } fisher
            ? (fisher.P, null, false)
            : (chi.P, comparison.Warnings.First(w => w.Code == "fisher-too-large").Message, true);
    }
}
