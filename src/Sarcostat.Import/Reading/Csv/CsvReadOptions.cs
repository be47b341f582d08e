namespace Sarcostat.Import.Reading.Csv;

/// <summary>Limits and choices of <see cref="CsvRecordReader"/>. The defaults suit any CSV a spreadsheet writes.</summary>
public sealed record CsvReadOptions
{
    /// <summary>The defaults.</summary>
    public static CsvReadOptions Default { get; } = new();

    /// <summary>
    /// The most bytes (UTF-8) one field may hold, quoted or not: 128 KiB by default. A spreadsheet cell holds at most
    /// 32,767 characters (Excel's limit), which is at most 96 KiB of UTF-8, so every cell a spreadsheet can write fits;
    /// a longer field is a quote left open that swallows the rows after it, or a file that is not a CSV. Over the limit
    /// is an error (<see cref="CsvRuleCodes.UnclosedQuote"/> for a quoted field, <see cref="CsvRuleCodes.FieldTooLong"/>
    /// for an unquoted one) and reading stops there.
    /// </summary>
    public int MaxFieldBytes { get; init; } = 128 * 1024;

    /// <summary>
    /// The most bytes one record (a row, with its quoted line breaks) may hold: 16 MiB by default, which bounds the
    /// reader's buffer. Over it is an error (<see cref="CsvRuleCodes.RecordTooLong"/>) and reading stops there.
    /// </summary>
    public int MaxRecordBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The first size of the pooled buffer (tests make it tiny to cross every boundary).</summary>
    internal int BufferBytes { get; init; } = 64 * 1024;

    /// <summary>The separator, or null (the default) to detect it among comma, semicolon, tab and pipe.</summary>
    public char? Separator { get; init; }
}

/// <summary>The rule codes of problems found while reading a CSV file (see docs/import.md, "The CSV reader").</summary>
public static class CsvRuleCodes
{
    /// <summary>A quoted field that is never closed (runs to the end of the file) or runs over the field limit; located where the quote opened. Reading stops.</summary>
    public const string UnclosedQuote = "unclosed-quote";

    /// <summary>Text after the closing quote of a field, as in <c>"ab"c</c> (the row is rejected).</summary>
    public const string TextAfterQuote = "text-after-quote";

    /// <summary>A quote inside a field that does not start with one, as in <c>ab"c</c> (the row is rejected).</summary>
    public const string StrayQuote = "stray-quote";

    /// <summary>A row with more or fewer cells than the header (the row is rejected).</summary>
    public const string CellCount = "cell-count";

    /// <summary>A NUL byte or another control character (other than tab, and line breaks inside quotes) in a field (the row is rejected).</summary>
    public const string ControlCharacter = "control-character";

    /// <summary>An unquoted field over the field limit. Reading stops.</summary>
    public const string FieldTooLong = "field-too-long";

    /// <summary>A record over the record limit. Reading stops.</summary>
    public const string RecordTooLong = "record-too-long";

    /// <summary>A field that is not valid UTF-8 in a file that otherwise is (a mix of encodings; the row is rejected).</summary>
    public const string InvalidUtf8 = "invalid-utf8";

    /// <summary>A file that is not valid UTF-8 and was read as Windows-1252 (warning). Same code as the cohort rule.</summary>
    public const string NotUtf8 = "not-utf8";
}
