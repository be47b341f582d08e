using System.Globalization;
using System.Text;

namespace Sarcostat.Cli.Output;

/// <summary>
/// A plain-text table: a header, rows of cells, numbers right-aligned. Cells are shown through
/// <see cref="Files.Output.SafeText.Escape"/>: a label holding a terminal escape sequence, a tab or a line break
/// prints as visible escapes and cannot break the columns or the terminal.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with these column headings.</summary>
    public TextTable(params string[] header) => _header = header.Select(Files.Output.SafeText.Escape).ToArray();

    /// <summary>Adds a row (as many cells as headings).</summary>
    public TextTable Add(params string[] cells)
    {
        if (cells.Length != _header.Length)
        {
            throw new ArgumentException($"Expected {_header.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells.Select(Files.Output.SafeText.Escape).ToArray());
        return this;
    }

    /// <summary>Renders with two spaces between columns; the first column left-aligned, the others right-aligned.</summary>
    public override string ToString()
    {
        var width = new int[_header.Length];
        foreach (var r in _rows.Prepend(_header))
        {
            for (int c = 0; c < r.Length; c++)
            {
                width[c] = Math.Max(width[c], r[c].Length);
            }
        }

        var sb = new StringBuilder();
        foreach (var r in _rows.Prepend(_header))
        {
            for (int c = 0; c < r.Length; c++)
            {
                if (c > 0)
                {
                    sb.Append("  ");
                }

                sb.Append(c == 0 ? r[c].PadRight(width[c]) : r[c].PadLeft(width[c]));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}

/// <summary>Number formats for the readable output (JSON always carries full precision).</summary>
internal static class Fmt
{
    /// <summary>A number to <paramref name="decimals"/> decimals; "NA" for NaN or null; "Inf" for infinity.</summary>
    public static string N(double? x, int decimals = 4)
    {
        if (x is null || double.IsNaN(x.Value))
        {
            return "NA";
        }

        if (double.IsInfinity(x.Value))
        {
            return x.Value > 0 ? "Inf" : "-Inf";
        }

        return x.Value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A number to 6 significant digits.</summary>
    public static string G(double? x) =>
        x is null || double.IsNaN(x.Value) ? "NA" : x.Value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A p-value: 4 significant digits, "&lt;1e-16" below R's machine floor.</summary>
    public static string P(double p) =>
        double.IsNaN(p) ? "NA" : p < 1e-16 ? "<1e-16" : p.ToString(p < 1e-4 ? "0.00e+00" : "G4", CultureInfo.InvariantCulture);

    /// <summary>An integer.</summary>
    public static string I(int n) => n.ToString(CultureInfo.InvariantCulture);
}
