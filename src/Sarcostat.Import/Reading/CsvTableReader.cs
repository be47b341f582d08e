using System.Text;
using CsvHelper;

namespace Sarcostat.Import.Reading;

/// <summary>
/// A CSV table read with CsvHelper: separator detected among comma, semicolon, tab and pipe; UTF-8 with or without a
/// byte order mark (UTF-16 with its mark too). A file that is not valid UTF-8 is read as Windows-1252 and says so
/// (<see cref="NotUtf8"/>). Empty lines are kept as records so that row numbers are the spreadsheet's.
/// </summary>
internal sealed class CsvTableReader : ITableReader
{
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        SkipEmptyLines = false,
        IncludeValuesInExceptions = false,
    };

    private readonly CsvReader _csv;

    static CsvTableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private CsvTableReader(CsvReader csv, bool notUtf8)
    {
        _csv = csv;
        NotUtf8 = notUtf8;
        Header = (csv.Headers ?? []).Select(h => (h ?? string.Empty).Trim()).ToList();
    }

    /// <summary>The file had bytes that are not UTF-8 and was decoded as Windows-1252.</summary>
    public bool NotUtf8 { get; }

    public IReadOnlyList<string> Header { get; }

    public int Row => checked((int)_csv.RowNumber + 1);

    /// <summary>Opens a CSV file.</summary>
    public static CsvTableReader Open(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (HasUnicodeMark(bytes) || IsUtf8(bytes))
        {
            return new CsvTableReader(CsvReader.Create(bytes, Options), notUtf8: false);
        }

        var text = Encoding.GetEncoding(1252).GetString(bytes);
        return new CsvTableReader(CsvReader.FromText(text, Options), notUtf8: true);
    }

    public bool Read() => _csv.Read();

    public object? Get(int column) => column < _csv.FieldCount ? _csv.GetString(column) : null;

    public void Dispose() => _csv.Dispose();

    private static bool HasUnicodeMark(byte[] b) =>
        (b.Length >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        || (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF);

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
