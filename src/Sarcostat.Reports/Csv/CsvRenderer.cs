using System.Globalization;
using Sarcostat.Files.Output;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Csv;

/// <summary>
/// Writes one table as CSV (RFC 4180) in a long layout a statistician can re-import: the row structure that the
/// journal layout shows by indentation becomes columns.
/// </summary>
/// <remarks>
/// <para>Columns: <c>variable</c>, <c>level</c>, <c>indent</c>, then every table column after the first with its
/// heading and its cell texts exactly as shown; a column in which any cell carries a number gets a companion column
/// "<i>heading</i> (value)" with that number at full precision (round-trip format, invariant culture; "Inf",
/// "-Inf", "NA" for non-finite values; empty when the cell has none), and a column with intervals gets "(lower)" and
/// "(upper)" (the long layout of <see cref="LongTable"/>, shared with the Excel workbook).</para>
/// <para>A row with indent 0 has its first-cell text in <c>variable</c> and an empty <c>level</c>; an indented row
/// has its own text in <c>level</c> and the text of the nearest row above it with indent 0 in <c>variable</c>.
/// <c>indent</c> keeps the depth, so nested levels (e.g. a liposarcoma sub-type) stay recognisable. Every row is
/// written, heading rows included, in table order. Footnotes are not part of the CSV (they are in the HTML and
/// Word reports).</para>
/// <para>Records are written by the one CSV writer, <see cref="CsvOutput"/>: fields are quoted when they contain a
/// comma, a quote, a line break or leading/trailing white space; quotes are doubled; a cell that a spreadsheet would
/// run as a formula (starting with =, +, -, @, tab or CR, and not a number) gets a leading single quote (OWASP's
/// CSV-injection rule; "-1.5", "-Inf" and the placeholder "-" stay as they are); records end with CRLF. The writer's
/// encoding is the caller's (ReportWriter writes UTF-8 with a byte-order mark, so that Excel reads it as UTF-8).</para>
/// </remarks>
public static class CsvRenderer
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/>.</summary>
    /// <param name="table">The table.</param>
    /// <param name="writer">Destination; not closed.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A row has more cells than the table has columns.</exception>
    public static void Write(TableItem table, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(writer);

        var layout = LongTable.Of(table);
        WriteRecord(writer, layout.Header);
        foreach (var row in layout.Rows)
        {
            WriteRecord(writer, row.Select(c => c.IsNumber ? FormatValue(c.Number) : c.Text ?? string.Empty).ToList());
        }
    }

    /// <summary>A raw value for re-import: round-trip precision; R's spellings for non-finite values.</summary>
    internal static string FormatValue(double? value) => value switch
    {
        null => string.Empty,
        { } v when double.IsNaN(v) => "NA",
        { } v when double.IsPositiveInfinity(v) => "Inf",
        { } v when double.IsNegativeInfinity(v) => "-Inf",
        { } v => v.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void WriteRecord(TextWriter writer, IReadOnlyList<string> fields) => CsvOutput.WriteRecord(writer, fields, "\r\n");
}
