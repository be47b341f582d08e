using System.Globalization;
using System.Text;

namespace Sarcostat.Files.Output;

/// <summary>
/// The one CSV writer of every CSV output (report tables, the problems file, the template, the simulator's
/// tables): RFC 4180 quoting and OWASP's CSV-injection guard.
/// </summary>
/// <remarks>
/// <para>Quoting: a field is quoted when it holds the delimiter, a double quote, CR or LF, or starts or ends with
/// white space; quotes inside are doubled.</para>
/// <para>Injection guard (OWASP, "CSV Injection"): a spreadsheet opening the file runs a cell that starts with
/// <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> as a formula (<c>=HYPERLINK(...)</c>, <c>@SUM(...)</c>, DDE), and
/// some also after a leading tab or carriage return. Such a cell is written with a single quote in front, which
/// spreadsheets show as text. Two kinds of cell are kept as they are: a real number (<c>-1.5</c>, <c>-3e-5</c>,
/// <c>+2</c>, and R's <c>-Inf</c>), so that re-importing the file gives numbers, and a lone <c>-</c>, the
/// tables' placeholder for "no value", which no spreadsheet evaluates.</para>
/// <para>The encoding and byte-order mark are the caller's (every output today writes UTF-8 without a BOM).</para>
/// </remarks>
public static class CsvOutput
{
    /// <summary>The characters that make a spreadsheet evaluate a cell when they come first.</summary>
    public const string FormulaStarts = "=+-@\t\r";

    /// <summary>
    /// <paramref name="cell"/> made inert for spreadsheets: a single quote in front when it starts with one of
    /// <see cref="FormulaStarts"/> and is not a number (see the remarks of <see cref="CsvOutput"/>); otherwise unchanged.
    /// </summary>
    public static string Neutralise(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Length == 0 || !FormulaStarts.Contains(cell[0], StringComparison.Ordinal) || cell == "-" || IsNumber(cell))
        {
            return cell;
        }

        return "'" + cell;
    }

    /// <summary>
    /// Whether <paramref name="cell"/> is a plain decimal number: an optional sign, digits with an optional dot,
    /// an optional exponent (<c>-1.5</c>, <c>+2</c>, <c>-3e-5</c>, <c>.5</c>), or R's <c>Inf</c>/<c>-Inf</c>. No white space, no
    /// thousands separators, no hexadecimal.
    /// </summary>
    public static bool IsNumber(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var s = cell.AsSpan();
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            s = s[1..];
        }

        if (s.SequenceEqual("Inf"))
        {
            return true;
        }

        int i = 0;
        int digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            int expDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                expDigits++;
            }

            if (expDigits == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    /// <summary>One field as written: neutralised (unless <paramref name="guard"/> is false), then quoted when needed.</summary>
    public static string Field(string cell, char delimiter = ',', bool guard = true)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var text = guard ? Neutralise(cell) : cell;
        var needsQuotes = text.Length > 0
            && (text.Contains(delimiter, StringComparison.Ordinal) || text.AsSpan().IndexOfAny("\"\r\n") >= 0
                || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));
        return needsQuotes ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>Writes one record: the fields (see <see cref="Field"/>) separated by commas, then <paramref name="newLine"/>.</summary>
    /// <param name="writer">Destination; not closed.</param>
    /// <param name="cells">The cells, in column order.</param>
    /// <param name="newLine">The record terminator ("\n", or "\r\n" for the report tables).</param>
    /// <param name="guard">
    /// False only for cells the program generated itself and must write byte for byte (the simulator's planted
    /// errors, such as a lone "-" meaning missing or a negative size): never for a cell that came from a user's file.
    /// </param>
    public static void WriteRecord(TextWriter writer, IEnumerable<string> cells, string newLine = "\n", bool guard = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(cells);
        var line = new StringBuilder();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                line.Append(',');
            }

            first = false;
            line.Append(Field(cell ?? string.Empty, ',', guard));
        }

        line.Append(newLine);
        writer.Write(line.ToString());
    }

    /// <summary>A whole table (header, then rows) as text; see <see cref="WriteRecord"/>.</summary>
    public static string Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows, string newLine = "\n", bool guard = true)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteRecord(writer, header, newLine, guard);
        foreach (var row in rows)
        {
            WriteRecord(writer, row, newLine, guard);
        }

        return writer.ToString();
    }

    /// <summary>UTF-8 without a byte-order mark, the encoding of every CSV output.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
