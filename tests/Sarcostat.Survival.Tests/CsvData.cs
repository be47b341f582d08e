using System.Globalization;

namespace Sarcostat.Survival.Tests;

/// <summary>
/// A minimal reader for the reference datasets (comma-separated, header row, "NA" for missing).
/// The product's own CSV import lives in the CLI and Import projects; tests of the engine must not depend on it.
/// </summary>
public sealed class CsvData
{
    private readonly Dictionary<string, string[]> _columns;

    private CsvData(Dictionary<string, string[]> columns, int rows)
    {
        _columns = columns;
        Rows = rows;
    }

    /// <summary>Number of data rows.</summary>
    public int Rows { get; }

    /// <summary>Reads data/NAME.csv.</summary>
    public static CsvData Load(string name)
    {
        var lines = File.ReadAllLines(Golden.DataPath(name)).Where(l => l.Length > 0).ToArray();
        var header = Split(lines[0]);
        var cols = header.ToDictionary(h => h, _ => new string[lines.Length - 1], StringComparer.Ordinal);
        for (int r = 1; r < lines.Length; r++)
        {
            var cells = Split(lines[r]);
            for (int c = 0; c < header.Length; c++)
            {
                cols[header[c]][r - 1] = cells[c];
            }
        }

        return new CsvData(cols, lines.Length - 1);
    }

    /// <summary>A numeric column; "NA" or empty becomes NaN.</summary>
    public double[] Numeric(string column) =>
        _columns[column].Select(v => v is "NA" or "" ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>A 0/1 (or 1/2, as in lung's status) event column mapped to bool: the larger code is the event.</summary>
    public bool[] Event(string column, double eventCode = 1) => Numeric(column).Select(v => v == eventCode).ToArray();

    /// <summary>A text column; "NA" or empty becomes null.</summary>
    public string?[] Text(string column) => _columns[column].Select(v => v is "NA" or "" ? null : v).ToArray();

    private static string[] Split(string line) =>
        line.Split(',').Select(s => s.Trim().Trim('"')).ToArray();
}
