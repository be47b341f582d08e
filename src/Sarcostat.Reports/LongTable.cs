using Sarcostat.Study.Results;

namespace Sarcostat.Reports;

/// <summary>
/// A table in the long layout that the CSV and Excel exports share: <c>variable</c>, <c>level</c>, <c>indent</c>, then
/// every table column after the first with its text, followed where the column has numbers by
/// "<i>heading</i> (value)" (the estimate at full precision) and, where it has intervals, "(lower)" and "(upper)".
/// </summary>
/// <remarks>
/// A row with indent 0 has its first-cell text in <c>variable</c> and an empty <c>level</c>; an indented row has its
/// own text in <c>level</c> and the text of the nearest row above it with indent 0 in <c>variable</c>. Every row is
/// kept, heading rows included, in table order.
/// </remarks>
internal sealed class LongTable
{
    private LongTable(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<LongCell>> rows)
    {
        Header = header;
        Rows = rows;
    }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>One list of cells per table row, one cell per header column.</summary>
    public IReadOnlyList<IReadOnlyList<LongCell>> Rows { get; }

    /// <summary>Lays out <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">A row has more cells than the table has columns.</exception>
    public static LongTable Of(TableItem table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Columns.Count;
        var hasValue = new bool[columns];
        var hasInterval = new bool[columns];
        for (var r = 0; r < table.Rows.Count; r++)
        {
            for (var c = 1; c < columns; c++)
            {
                var cell = TableShape.Cell(table, r, c);
                hasValue[c] |= cell?.Value is not null;
                hasInterval[c] |= cell?.Lower is not null || cell?.Upper is not null;
            }
        }

        var header = new List<string> { "variable", "level", "indent" };
        for (var c = 1; c < columns; c++)
        {
            header.Add(table.Columns[c]);
            if (hasValue[c])
            {
                header.Add(table.Columns[c] + " (value)");
            }

            if (hasInterval[c])
            {
                header.Add(table.Columns[c] + " (lower)");
                header.Add(table.Columns[c] + " (upper)");
            }
        }

        var rows = new List<IReadOnlyList<LongCell>>(table.Rows.Count);
        var variable = string.Empty;
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var texts = TableShape.Cells(table, r);
            var first = columns > 0 ? texts[0] : string.Empty;
            var indent = Math.Max(0, row.Indent);
            if (indent == 0)
            {
                variable = first;
            }

            var record = new List<LongCell>
            {
                LongCell.OfText(variable),
                LongCell.OfText(indent == 0 ? string.Empty : first),
                LongCell.OfNumber(indent),
            };
            for (var c = 1; c < columns; c++)
            {
                var cell = TableShape.Cell(table, r, c);
                record.Add(LongCell.OfText(texts[c]));
                if (hasValue[c])
                {
                    record.Add(LongCell.OfNumber(cell?.Value));
                }

                if (hasInterval[c])
                {
                    record.Add(LongCell.OfNumber(cell?.Lower));
                    record.Add(LongCell.OfNumber(cell?.Upper));
                }
            }

            rows.Add(record);
        }

        return new LongTable(header, rows);
    }
}

/// <summary>A cell of the long layout: a text, or a number (null: empty).</summary>
/// <param name="Text">The text, for a text cell.</param>
/// <param name="Number">The number, for a number cell.</param>
/// <param name="IsNumber">Whether this is a number cell (an empty number cell has no number).</param>
internal readonly record struct LongCell(string? Text, double? Number, bool IsNumber)
{
    public static LongCell OfText(string text) => new(text, null, false);

    public static LongCell OfNumber(double? number) => new(null, number, true);
}
