using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import;

/// <summary>
/// A recommended field that a source does not have at all (no column for it) is one warning per file and field, not
/// one per row: the rows are not wrong, the extract lacks the column.
/// </summary>
internal static class AbsentColumns
{
    /// <summary>
    /// Replaces, in place, the <c>missing-recommended</c> warnings whose column is not in their table's header by one
    /// file-level warning per file and field, where the first of them was.
    /// </summary>
    public static void Collapse(List<CohortProblem> problems, IReadOnlyList<ParsedTable> tables)
    {
        var byFile = new Dictionary<string, ParsedTable>(StringComparer.Ordinal);
        foreach (var t in tables)
        {
            byFile.TryAdd(t.File, t);
        }

        bool Absent(CohortProblem p) =>
            p.Rule == RuleCodes.MissingRecommended && p.Row is not null && p.Column is not null
            && byFile.TryGetValue(p.File, out var table) && table.ColumnIndex(p.Column) == int.MaxValue;

        var counts = problems.Where(Absent).GroupBy(p => (p.File, p.Column!)).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0)
        {
            return;
        }

        var done = new HashSet<(string, string)>();
        var kept = new List<CohortProblem>(problems.Count);
        foreach (var p in problems)
        {
            if (!Absent(p))
            {
                kept.Add(p);
                continue;
            }

            var key = (p.File, p.Column!);
            if (done.Add(key))
            {
                var n = counts[key];
                kept.Add(p with
                {
                    Row = null,
                    Found = null,
                    StudyId = null,
                    Expected = $"a column for {p.Column} (recommended)",
                    Hint = string.Create(CultureInfo.InvariantCulture,
                        $"The source has no such column ({n} {(n == 1 ? "record" : "records")}). Map one under columns:, or ignore the rule with a reason (severity:)."),
                });
            }
        }

        problems.Clear();
        problems.AddRange(kept);
    }
}
