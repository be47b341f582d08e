using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Reading;

/// <summary>How one source column is read into a field.</summary>
/// <param name="Index">Column position in the header (0-based).</param>
/// <param name="Name">The header cell.</param>
/// <param name="Field">The field it fills.</param>
/// <param name="Factor">Unit conversion factor to the field's unit (1 when none).</param>
/// <param name="FromUnit">The unit of the source values when converted, else null.</param>
/// <param name="DateFormat">The date format (date fields).</param>
/// <param name="Pseudonymise">The cell is identifying: it is replaced by its salted pseudonym and never kept.</param>
internal sealed record ColumnSpec(int Index, string Name, FieldDefinition Field, double Factor, string? FromUnit, string DateFormat, bool Pseudonymise);

/// <summary>A table after reading: its columns, its non-blank rows parsed into typed values.</summary>
internal sealed class ParsedTable
{
    private readonly Dictionary<string, int> _columnIndex = new(StringComparer.Ordinal);

    public ParsedTable(string file, SourceMapping mapping, CohortTable table, IReadOnlyList<string> header, IReadOnlyList<ColumnSpec> columns)
    {
        File = file;
        Mapping = mapping;
        Table = table;
        Columns = columns;
        for (var i = 0; i < header.Count; i++)
        {
            _columnIndex.TryAdd(header[i], i);
        }

        foreach (var c in columns)
        {
            FieldColumns.TryAdd(c.Field.Name, c.Name);
        }
    }

    /// <summary>File name as problems show it (with [sheet] for workbooks).</summary>
    public string File { get; }

    public SourceMapping Mapping { get; }

    public CohortTable Table { get; }

    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>Field to the source column it is read from.</summary>
    public Dictionary<string, string> FieldColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>The parsed rows (blank rows are not rows).</summary>
    public List<RowRecord> Rows { get; } = [];

    /// <summary>Non-blank data rows read.</summary>
    public int RowsRead { get; set; }

    /// <summary>The table lacks a column it cannot do without (its key, or pm_date for procedures): every row is rejected.</summary>
    public bool Unusable { get; set; }

    public bool HasColumn(string field) => FieldColumns.ContainsKey(field);

    /// <summary>The cell of <paramref name="field"/> in row <paramref name="row"/>: its source column, or the field name when the table has none.</summary>
    public SourceLocation Locate(int row, string field) =>
        new(File, row, FieldColumns.TryGetValue(field, out var column) ? column : field, Mapping.Source);

    /// <summary>Header position of a column, for sorting problems (columns not in the header sort last).</summary>
    public int ColumnIndex(string? column) =>
        column is not null && _columnIndex.TryGetValue(column, out var i) ? i : int.MaxValue;
}

/// <summary>One data row: its key and typed values, and the fields whose cells were reported.</summary>
internal sealed class RowRecord(ParsedTable table, int row)
{
    public ParsedTable Table { get; } = table;

    public int Row { get; } = row;

    /// <summary>The key value (after pseudonymisation), or null when missing or unreadable.</summary>
    public string? Key { get; set; }

    /// <summary>Field values that parsed and passed their range.</summary>
    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields whose cell had a value that failed (a problem was reported): unknown for every later rule.</summary>
    public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);

    /// <summary>Set at the end: an error points at this row (or its table is unusable).</summary>
    public bool Rejected { get; set; }

    public SourceLocation Locate(string field) => Table.Locate(Row, field);

    /// <summary>The source database of the row: the mapping's name, or a canonical file's <c>source</c> column.</summary>
    public string? Source => Table.Mapping.Source ?? (Values.TryGetValue("source", out var s) ? s as string : null);
}
