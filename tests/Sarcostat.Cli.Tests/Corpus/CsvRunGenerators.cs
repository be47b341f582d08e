using System.Globalization;
using System.Text;

namespace Sarcostat.Cli.Tests.Corpus;

/// <summary>
/// Bad cells deep inside long files (tests/corpus/csv/run-*): thousands of plain records before and after them, so
/// that the columnar reader's fast path (runs of plain records parsed column by column, crossing the 64 KB buffer)
/// meets them in the middle of a run and must hand them to the record path with their row and column.
/// </summary>
public static class CsvRunGenerators
{
    private static void Write(string folder, int rows, string newline, Func<int, string?> special)
    {
        var sb = new StringBuilder("t,e,g,x").Append(newline);
        for (int row = 2; row < rows + 2; row++)
        {
            var line = special(row) ?? string.Create(CultureInfo.InvariantCulture,
                $"{(row % 365) + 1},{row % 2},{(row % 7 == 0 ? "\"b\"" : "a")},{row * 0.125}");
            sb.Append(line).Append(newline);
        }

        File.WriteAllText(Path.Combine(folder, "data.csv"), sb.ToString());
    }

    /// <summary>Text, a negative time and an event of 2 at rows 2501, 3001 and 4001 of 5,000 CRLF rows.</summary>
    [CorpusGenerator("csv-run-bad-values")]
    public static void BadValues(string folder) =>
        Write(folder, 5000, "\r\n", row => row switch
        {
            2501 => "abc,1,a,1.5",
            3001 => "-2,0,a,1.5",
            4001 => "7,2,\"b\",1.5",
            _ => null,
        });

    /// <summary>An ESC in column g at row 3500, then a legal quoted cell with a separator and a doubled quote, then a row with an extra cell at row 4500.</summary>
    [CorpusGenerator("csv-run-control-and-extra-cell")]
    public static void ControlAndExtraCell(string folder) =>
        Write(folder, 5000, "\n", row => row switch
        {
            3500 => "5,1,a\u001B,2.5",
            4200 => "5,1,\"x, \"\"y\"\"\",2.5",
            4500 => "5,1,a,2.5,9",
            _ => null,
        });

    /// <summary>A missing group at row 1200 (left out and counted) and a stray quote in x at row 4800 of 5,000 rows.</summary>
    [CorpusGenerator("csv-run-stray-quote")]
    public static void StrayQuote(string folder) =>
        Write(folder, 5000, "\n", row => row switch
        {
            1200 => "5,1,,2.5",
            4800 => "5,1,a,2\"5",
            _ => null,
        });
}
