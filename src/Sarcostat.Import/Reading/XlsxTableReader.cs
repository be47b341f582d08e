using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace Sarcostat.Import.Reading;

/// <summary>
/// One sheet of a workbook (.xlsx, .xlsm or .xls) read with ExcelDataReader. Cells come typed: a cell formatted as a
/// date is a DateTime, a number a double, a boolean a bool, text a string.
/// </summary>
internal sealed class XlsxTableReader : ITableReader
{
    private readonly FileStream _stream;
    private readonly IExcelDataReader _reader;

    static XlsxTableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private XlsxTableReader(FileStream stream, IExcelDataReader reader, IReadOnlyList<string> header)
    {
        _stream = stream;
        _reader = reader;
        Header = header;
    }

    public IReadOnlyList<string> Header { get; }

    public int Row => _reader.Depth + 1;

    /// <summary>The names of the sheets of a workbook, in workbook order.</summary>
    /// <exception cref="WorkbookException">The file breaks a rule of <see cref="WorkbookGuard"/> (checked here, before ExcelDataReader opens it).</exception>
    public static IReadOnlyList<string> SheetNames(string path)
    {
        WorkbookGuard.Check(path);
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateReader(stream);
        var names = new List<string>();
        do
        {
            names.Add(reader.Name ?? string.Empty);
        }
        while (reader.NextResult());
        return names;
    }

    /// <summary>Opens sheet <paramref name="sheet"/> (0-based) and reads its header row.</summary>
    public static XlsxTableReader Open(string path, int sheet)
    {
        var stream = File.OpenRead(path);
        try
        {
            var reader = ExcelReaderFactory.CreateReader(stream);
            for (var i = 0; i < sheet; i++)
            {
                reader.NextResult();
            }

            var header = new List<string>();
            if (reader.Read())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    header.Add(Text(Limited(reader.GetValue(c), 1, null)));
                }
            }

            while (header.Count > 0 && header[^1].Length == 0)
            {
                header.RemoveAt(header.Count - 1);
            }

            return new XlsxTableReader(stream, reader, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <exception cref="WorkbookException">The sheet has more than <see cref="WorkbookGuard.MaxRows"/> rows.</exception>
    public bool Read()
    {
        if (!_reader.Read())
        {
            return false;
        }

        return Row > WorkbookGuard.MaxRows
            ? throw new WorkbookException(WorkbookGuard.TooManyRows, string.Create(CultureInfo.InvariantCulture, $"at most {WorkbookGuard.MaxRows:N0} rows (Excel's limit)"),
                "The sheet has more rows than Excel allows; it was not written by Excel. Split it, or export it as CSV.", Row)
            : true;
    }

    /// <exception cref="WorkbookException">The cell is longer than <see cref="WorkbookGuard.MaxCellChars"/> characters.</exception>
    public object? Get(int column) => column < _reader.FieldCount ? Limited(_reader.GetValue(column), Row, column < Header.Count ? Header[column] : null) : null;

    /// <summary>The value, unless it is text beyond Excel's cell limit (then a located error that never echoes it).</summary>
    private static object? Limited(object? value, int row, string? column) =>
        value is string { Length: > WorkbookGuard.MaxCellChars } s
            ? throw new WorkbookException(WorkbookGuard.CellTooLong, string.Create(CultureInfo.InvariantCulture, $"at most {WorkbookGuard.MaxCellChars:N0} characters in a cell (Excel's limit)"),
                string.Create(CultureInfo.InvariantCulture, $"The cell holds {s.Length:N0} characters (not shown); Excel cannot hold such a cell, so the file was not written by Excel. The rest of the sheet was not read."), row, column)
            : value;

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s.Trim(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => value.ToString()?.Trim() ?? string.Empty,
    };
}
