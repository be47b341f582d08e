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
    public static IReadOnlyList<string> SheetNames(string path)
    {
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
                    header.Add(Text(reader.GetValue(c)));
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

    public bool Read() => _reader.Read();

    public object? Get(int column) => column < _reader.FieldCount ? _reader.GetValue(column) : null;

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
