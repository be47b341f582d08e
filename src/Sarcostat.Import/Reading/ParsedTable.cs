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
internal sealed record ColumnSpec(int Index, string Name, FieldDefinition Field, double Factor, string? FromUnit, string DateFormat, bool Pseudonymise)
{
    /// <summary>The repeated group (<c>repeat:</c>) this column belongs to, by position in the index list; -1 for none.</summary>
    public int Group { get; init; } = -1;

    /// <summary>The value an empty cell means (<c>blank:</c>), typed; null when an empty cell is missing.</summary>
    public object? Blank { get; init; }

    /// <summary>The decimal separator of numbers typed as text.</summary>
    public char DecimalSeparator { get; init; } = '.';
}

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
            if (c.Group < 0)
            {
                FieldColumns.TryAdd(c.Field.Name, c.Name);
            }
            else
            {
                if (!GroupColumns.TryGetValue(c.Group, out var group))
                {
                    GroupColumns[c.Group] = group = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                group.TryAdd(c.Field.Name, c.Name);
            }
        }
    }

    /// <summary>Per repeated group (<c>repeat:</c>, by position): field to the source column it is read from.</summary>
    public Dictionary<int, Dictionary<string, string>> GroupColumns { get; } = [];

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

    /// <summary>Rows the source delivered that an amendment drops (a duplicate): not read, but part of what was delivered.</summary>
    public int RowsDropped { get; set; }

    /// <summary>The table lacks a column it cannot do without (its key, or pm_date for procedures): every row is rejected.</summary>
    public bool Unusable { get; set; }

    public bool HasColumn(string field) => FieldColumns.ContainsKey(field);

    /// <summary>Whether repeated group <paramref name="group"/> (or the row itself, -1) has a column for <paramref name="field"/>.</summary>
    public bool HasColumn(string field, int group) =>
        group < 0 ? HasColumn(field) : GroupColumns.TryGetValue(group, out var g) && g.ContainsKey(field);

    /// <summary>The cell of <paramref name="field"/> in row <paramref name="row"/>: its source column, or the field name when the table has none.</summary>
    public SourceLocation Locate(int row, string field) =>
        new(File, row, FieldColumns.TryGetValue(field, out var column) ? column : field, Mapping.Source);

    /// <summary>
    /// The cell of <paramref name="field"/> of repeated group <paramref name="group"/> in row <paramref name="row"/>: the
    /// group's column, else the group's date column (a field the group has no column for is about that procedure).
    /// </summary>
    public SourceLocation Locate(int row, string field, int group)
    {
        if (group < 0 || !GroupColumns.TryGetValue(group, out var columns))
        {
            return Locate(row, field);
        }

        var column = columns.TryGetValue(field, out var c) ? c : columns.TryGetValue("pm_date", out var d) ? d : field;
        return new SourceLocation(File, row, column, Mapping.Source);
    }

    /// <summary>Header position of a column, for sorting problems (columns not in the header sort last).</summary>
    public int ColumnIndex(string? column) =>
        column is not null && _columnIndex.TryGetValue(column, out var i) ? i : int.MaxValue;
}

/// <summary>
/// One data row: its key and typed values, and the fields whose cells were reported. A repeated group of a row
/// (<c>repeat:</c>) is a RowRecord too, with the row's number and its own <see cref="Group"/>, values and columns.
/// </summary>
internal sealed class RowRecord(ParsedTable table, int row, int group = -1)
{
    public ParsedTable Table { get; } = table;

    public int Row { get; } = row;

    /// <summary>The repeated group this record is (by position in <c>repeat.index</c>), or -1 for the row itself.</summary>
    public int Group { get; } = group;

    /// <summary>The filled repeated groups of this row, in index order (blank groups are not kept).</summary>
    public List<RowRecord> Groups { get; } = [];

    /// <summary>Whether this record's table (or group) has a column for <paramref name="field"/>.</summary>
    public bool HasColumn(string field) => Table.HasColumn(field, Group);

    /// <summary>The key value (after pseudonymisation), or null when missing or unreadable.</summary>
    public string? Key { get; set; }

    /// <summary>Field values that parsed and passed their range.</summary>
    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields whose cell had a value that failed (a problem was reported): unknown for every later rule.</summary>
    public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);

    /// <summary>Set at the end: an error points at this row (or its table is unusable).</summary>
    public bool Rejected { get; set; }

    public SourceLocation Locate(string field) => Table.Locate(Row, field, Group);

    /// <summary>The source database of the row: the mapping's name, or a canonical file's <c>source</c> column.</summary>
    public string? Source => Table.Mapping.Source ?? (Values.TryGetValue("source", out var s) ? s as string : null);
}
