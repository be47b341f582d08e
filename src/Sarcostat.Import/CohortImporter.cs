using Sarcostat.Cohort;
using Sarcostat.Import.Amendments;
using Sarcostat.Import.Merge;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import;

/// <summary>
/// Imports a cohort: reads every source (CSV or workbook, through its mapping), merges the records of the same patient
/// across sources on the declared key, validates them with the domain rules, and reports every problem with file, row
/// and column. Identifying columns are dropped or replaced by salted pseudonyms and never reach the result.
/// </summary>
/// <remarks>The formats, the rules and what each problem points at are in docs/import.md.</remarks>
public static class CohortImporter
{
    /// <summary>Imports what <paramref name="request"/> names.</summary>
    /// <returns>The accepted patients, the rejected study ids, every problem (file order), and the row counts per table.</returns>
    /// <exception cref="ImportSetupException">An input is missing, a mapping is not valid, or a salt is needed and not given (all such errors together).</exception>
    public static ImportResult Import(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<CohortProblem>();
        var (plans, amendments) = AmendmentSetup.Plan(request, problems);
        var parser = new TableParser(request.Dictionary, request.Salt, problems, amendments);
        var tables = parser.ReadAll(plans);
        var patients = new CohortAssembler(request.Dictionary, problems, amendments).Assemble(tables);
        amendments?.Finish(tables, patients);
        AbsentColumns.Collapse(problems, tables);
        var severities = SeverityPolicy.Apply(problems, tables, plans);

        var rejectedRows = problems
            .Where(p => p.Severity == Severity.Error && p.Row > 1)
            .Select(p => (p.File, Row: p.Row!.Value))
            .ToHashSet();
        foreach (var row in tables.SelectMany(t => t.Rows))
        {
            row.Rejected = row.Table.Unusable || rejectedRows.Contains((row.Table.File, row.Row));
        }

        var counts = tables.Select(t =>
        {
            var rejected = t.Unusable ? t.RowsRead : t.Rows.Count(r => r.Rejected);
            return new TableCount(t.File, t.Table, t.RowsRead, t.RowsRead - rejected, rejected);
        }).ToList();

        var accepted = new List<Patient>();
        var rejectedIds = new List<string>();
        foreach (var p in patients)
        {
            if (p.Rows.Any(r => r.Rejected))
            {
                rejectedIds.Add(p.Patient.StudyId);
            }
            else
            {
                accepted.Add(p.Patient);
            }
        }

        return new ImportResult(accepted, rejectedIds, Order(problems, tables, plans), counts)
        {
            Amendments = amendments?.Applied ?? [],
            AmendmentsFile = request.Amendments,
            Severities = severities,
            SourceRecords = SourceRecords(tables),
            Pseudonymised = plans.Any(p => p.Mapping.Pseudonymises),
        };
    }

    /// <summary>
    /// Patient records per source database as delivered (every non-blank row of its patients tables, rows an amendment
    /// drops included, before sources are merged), for the flow's source boxes. A table whose mapping names no source counts by
    /// its rows' <c>source</c> column; rows without one are not counted.
    /// </summary>
    private static List<SourceRecordCount> SourceRecords(List<ParsedTable> tables)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string source, int n)
        {
            if (!counts.ContainsKey(source))
            {
                order.Add(source);
            }

            counts[source] = counts.GetValueOrDefault(source) + n;
        }

        foreach (var t in tables.Where(t => t.Table == CohortTable.Patients))
        {
            if (t.Mapping.Source is { } named)
            {
                Add(named, t.RowsRead + t.RowsDropped);
                continue;
            }

            foreach (var row in t.Rows)
            {
                if (row.Source is { Length: > 0 } s)
                {
                    Add(s, 1);
                }
            }
        }

        return order.Select(s => new SourceRecordCount(s, counts[s])).ToList();
    }

    /// <summary>File order: tables as read (a file's own problems with its first table), then row (file-level first), then column position.</summary>
    private static List<CohortProblem> Order(List<CohortProblem> problems, List<ParsedTable> tables, IReadOnlyList<FilePlan> plans)
    {
        var fileIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var byFile = new Dictionary<string, ParsedTable>(StringComparer.Ordinal);
        var position = 0;
        foreach (var plan in plans)
        {
            fileIndex.TryAdd(plan.Display, position);
            foreach (var t in tables.Where(t => t.File == plan.Display || t.File.StartsWith(plan.Display + "[", StringComparison.Ordinal)))
            {
                fileIndex.TryAdd(t.File, ++position);
                byFile.TryAdd(t.File, t);
            }

            position++;
        }

        return problems
            .Select((p, i) => (p, i))
            .OrderBy(x => fileIndex.TryGetValue(x.p.File, out var f) ? f : int.MaxValue)
            .ThenBy(x => x.p.Row ?? 0)
            .ThenBy(x => byFile.TryGetValue(x.p.File, out var t) ? t.ColumnIndex(x.p.Column) : int.MaxValue)
            .ThenBy(x => x.i)
            .Select(x => x.p)
            .ToList();
    }
}
