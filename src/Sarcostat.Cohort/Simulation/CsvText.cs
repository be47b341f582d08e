using System.Globalization;
using System.Text;

namespace Sarcostat.Cohort.Simulation;

/// <summary>
/// Writes the simulator's tables: comma-separated, RFC 4180 quoting, "\n" line ends, UTF-8 without BOM, and field
/// values in the canonical format (ISO or a mapping's date format, yes/no, numbers with a dot, empty = missing).
/// </summary>
internal static class CsvText
{
    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        Line(sb, header);
        foreach (var row in rows)
        {
            Line(sb, row);
        }

        return sb.ToString();
    }

    /// <summary>A value in canonical text: null -> empty, dates in <paramref name="dateFormat"/>, booleans yes/no, numbers invariant.</summary>
    public static string Format(object? value, string dateFormat) => value switch
    {
        null => string.Empty,
        DateOnly d => d.ToString(dateFormat, CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new ArgumentException($"No canonical text for a {value.GetType().Name}.", nameof(value)),
    };

    private static void Line(StringBuilder sb, IReadOnlyList<string> cells)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            string c = cells[i];
            bool quote = c.Length > 0 && (c.Contains(',', StringComparison.Ordinal) || c.Contains('"', StringComparison.Ordinal)
                || c.Contains('\n', StringComparison.Ordinal) || c.Contains('\r', StringComparison.Ordinal) || c[0] == ' ' || c[^1] == ' ');
            sb.Append(quote ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c);
        }

        sb.Append('\n');
    }
}
