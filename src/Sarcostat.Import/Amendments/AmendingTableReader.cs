using Sarcostat.Import.Reading;

namespace Sarcostat.Import.Amendments;

/// <summary>
/// A table reader that applies amendments on the way: a dropped row is skipped, an amended cell is checked against
/// its old value and handed on with its new value. Everything else is the inner reader's, untouched; a column that
/// is never asked for (a dropped identifying column) is still never read.
/// </summary>
internal sealed class AmendingTableReader(ITableReader inner, AmendmentSet.FileAmendments file, AmendmentSet set) : ITableReader
{
    public IReadOnlyList<string> Header => inner.Header;

    public int Row => inner.Row;

    /// <summary>Rows skipped because an amendment drops them (delivered by the source, then left out on purpose).</summary>
    public int Dropped { get; private set; }

    public bool Read()
    {
        while (inner.Read())
        {
            var row = inner.Row;
            file.LastRow = Math.Max(file.LastRow, row);
            if (file.Sets.ContainsKey(row) || file.Drops.ContainsKey(row))
            {
                file.RowsSeen.Add(row);
            }

            if (!set.Drops(file, row, inner.Get))
            {
                return true;
            }

            Dropped++;
        }

        return false;
    }

    public object? Get(int column)
    {
        file.ColumnsRead.Add(column);
        var raw = inner.Get(column);
        return file.ByCell.TryGetValue((inner.Row, column), out var t) ? set.Apply(t, raw, Header[column]) : raw;
    }

    /// <summary>Nothing: the inner reader belongs to whoever opened it.</summary>
    public void Dispose()
    {
    }
}
