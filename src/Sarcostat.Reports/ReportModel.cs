using Sarcostat.Study.Results;

namespace Sarcostat.Reports;

/// <summary>Which warnings concern which item, numbered in report order (1-based) as every renderer shows them.</summary>
internal sealed class WarningIndex
{
    private readonly Dictionary<string, List<int>> _byItem = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _titles = new(StringComparer.Ordinal);

    private WarningIndex()
    {
    }

    /// <summary>Indexes the warnings and item titles of <paramref name="report"/>.</summary>
    public static WarningIndex Build(StudyReport report)
    {
        var index = new WarningIndex();
        foreach (var item in report.Sections.SelectMany(s => s.Items))
        {
            index._titles.TryAdd(item.Id, string.IsNullOrWhiteSpace(item.Title) ? item.Id : item.Title);
        }

        for (var k = 0; k < report.Warnings.Count; k++)
        {
            if (report.Warnings[k].ItemId is { } id)
            {
                if (!index._byItem.TryGetValue(id, out var list))
                {
                    list = [];
                    index._byItem[id] = list;
                }

                list.Add(k + 1);
            }
        }

        return index;
    }

    /// <summary>Numbers of the warnings concerning item <paramref name="itemId"/> (empty when none).</summary>
    public IReadOnlyList<int> For(string itemId) => _byItem.TryGetValue(itemId, out var list) ? list : [];

    /// <summary>The title of item <paramref name="itemId"/>, or null when the report has no such item.</summary>
    public string? Title(string itemId) => _titles.TryGetValue(itemId, out var title) ? title : null;
}

/// <summary>Table shape rules shared by the renderers.</summary>
internal static class TableShape
{
    /// <summary>
    /// The texts of row <paramref name="rowIndex"/>, one per column: a row with fewer cells than columns (a
    /// variable heading row often has only its label) is padded with empty cells; more cells than columns is a
    /// mistake in the table's construction and throws.
    /// </summary>
    public static string[] Cells(TableItem table, int rowIndex)
    {
        var row = table.Rows[rowIndex];
        if (row.Cells.Count > table.Columns.Count)
        {
            throw new ArgumentException(
                $"Table '{table.Id}' row {rowIndex + 1} has {row.Cells.Count} cells but the table has {table.Columns.Count} columns.",
                nameof(table));
        }

        var texts = new string[table.Columns.Count];
        for (var c = 0; c < texts.Length; c++)
        {
            texts[c] = c < row.Cells.Count ? row.Cells[c]?.Text ?? string.Empty : string.Empty;
        }

        return texts;
    }

    /// <summary>The cell behind <paramref name="column"/> of row <paramref name="rowIndex"/>, or null when padded.</summary>
    public static TableCell? Cell(TableItem table, int rowIndex, int column)
    {
        var row = table.Rows[rowIndex];
        return column < row.Cells.Count ? row.Cells[column] : null;
    }
}
