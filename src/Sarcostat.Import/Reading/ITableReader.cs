namespace Sarcostat.Import.Reading;

/// <summary>
/// One table of a source file (a CSV file, or one sheet of a workbook), read row by row. Cells are fetched one at a
/// time by column index, so a column that is never asked for (a dropped identifying column) is never read into the
/// import's data.
/// </summary>
internal interface ITableReader : IDisposable
{
    /// <summary>The header cells (row 1), trimmed.</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>The spreadsheet row of the current record (the header is row 1).</summary>
    int Row { get; }

    /// <summary>
    /// The current record is malformed (a CSV row with the wrong number of cells, a stray quote or a control
    /// character): its problem is reported by the reader and only its key is read, so that its patient is rejected.
    /// </summary>
    bool Malformed => false;

    /// <summary>Moves to the next record after the header; false at the end.</summary>
    bool Read();

    /// <summary>A cell of the current record: null, a string, or (from a workbook) a double, a DateTime or a bool.</summary>
    object? Get(int column);
}
