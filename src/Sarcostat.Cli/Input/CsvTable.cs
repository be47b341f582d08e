using System.Globalization;
using System.Text;
using Sarcostat.Cohort;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Cli.Input;

/// <summary>
/// A CSV file read whole into memory as text cells, with the spreadsheet row number of every record, and typed
/// column accessors that collect every problem (file, row, column, value, expectation) before failing.
/// </summary>
/// <remarks>
/// Read by <see cref="CsvRecordReader"/> (docs/import.md, "The CSV reader"): separator detected, UTF-8 (or
/// Windows-1252 with a warning), every malformed row an error. Empty cells and "NA" are missing.
/// </remarks>
internal sealed class CsvTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows;
    private readonly List<int> _rowNumbers;

    private CsvTable(string file, string[] header, List<string[]> rows, List<int> rowNumbers)
    {
        File = file;
        _header = header;
        _rows = rows;
        _rowNumbers = rowNumbers;
    }

    /// <summary>The file name, as given.</summary>
    public string File { get; }

    /// <summary>Number of data records.</summary>
    public int Count => _rows.Count;

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Columns => _header;

    /// <summary>Spreadsheet row number of record <paramref name="index"/> (the header is row 1).</summary>
    public int RowNumber(int index) => _rowNumbers[index];

    /// <summary>Warnings about the file as a whole (a file read as Windows-1252); the caller prints them.</summary>
    public IReadOnlyList<CohortProblem> Warnings { get; private init; } = [];

    /// <summary>Reads a CSV file through the one strict reader (<see cref="CsvRecordReader"/>).</summary>
    /// <exception cref="InputException">The file is missing or unreadable, has no header or no data row, a header
    /// problem, or any row the reader reports (unclosed quote, wrong cell count, control character, ...).</exception>
    public static CsvTable Read(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new InputException(InputProblem.Of(path, null, null, null, "an existing CSV file", "Check the path."));
        }

        try
        {
            using var csv = CsvRecordReader.Open(path, path);
            return ReadAll(csv, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(InputProblem.Of(path, null, null, null, "a readable CSV file", $"The file could not be read ({e.GetType().Name})."));
        }
    }

    private static CsvTable ReadAll(CsvRecordReader csv, string path)
    {
        var header = csv.Header.ToArray();
        if (header.Length == 0 || header.All(h => h.Length == 0))
        {
            if (csv.HasErrors)
            {
                throw new InputException(csv.Problems.Where(p => p.Severity == Severity.Error).ToList());
            }

            throw new InputException(InputProblem.Of(path, null, null, null, "a header row naming the columns, then one row per observation", "The file is empty."));
        }

        var problems = new List<CohortProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
            {
                problems.Add(InputProblem.Of(path, csv.HeaderRow, null, null, string.Create(CultureInfo.InvariantCulture, $"a name for column {c + 1}")));
            }
            else if (!seen.Add(header[c]))
            {
                problems.Add(InputProblem.Of(path, csv.HeaderRow, header[c], null, "each column name once", "Rename one of the two columns."));
            }
        }

        var rows = new List<string[]>();
        var numbers = new List<int>();
        while (csv.Read())
        {
            if (csv.IsMalformed)
            {
                continue;
            }

            var record = new string[header.Length];
            for (int c = 0; c < record.Length; c++)
            {
                record[c] = csv.GetString(c).Trim();
            }

            rows.Add(record);
            numbers.Add(csv.Row);
        }

        // The reader's problems (a located error for every row it could not read) come first, in file order.
        problems.InsertRange(0, csv.Problems.Where(p => p.Severity == Severity.Error));
        if (problems.Count > 0)
        {
            throw new InputException(problems.OrderBy(p => p.Row ?? 0).ToList());
        }

        if (rows.Count == 0)
        {
            throw new InputException(InputProblem.Of(path, null, null, null, "at least one data row below the header", "The file has a header only."));
        }

        return new CsvTable(path, header, rows, numbers) { Warnings = csv.Problems.Where(p => p.Severity == Severity.Warning).ToList() };
    }

    /// <summary>The index of a column; a problem naming the closest existing column when it is absent.</summary>
    public int ColumnIndex(string column, List<CohortProblem> problems)
    {
        int at = Array.IndexOf(_header, column);
        if (at >= 0)
        {
            return at;
        }

        var closest = _header.OrderBy(h => Cohort.Validation.CodeList.Distance(h.ToUpperInvariant(), column.ToUpperInvariant())).First();
        var hint = Cohort.Validation.CodeList.Distance(closest.ToUpperInvariant(), column.ToUpperInvariant()) <= Math.Max(2, column.Length / 3)
            ? $"Did you mean \"{closest}\"?"
            : $"Columns are: {string.Join(", ", _header)}.";
        problems.Add(InputProblem.Of(File, null, column, null, "this column in the header", hint));
        return -1;
    }

    /// <summary>The raw cell, or null when missing (empty or NA).</summary>
    public string? Cell(int index, int column)
    {
        var v = _rows[index][column];
        return IsMissing(v) ? null : v;
    }

    /// <summary>True for an empty cell or R's "NA".</summary>
    public static bool IsMissing(string? v) => string.IsNullOrWhiteSpace(v) || v == "NA";

    /// <summary>Parses a number as written in the file (invariant culture: a dot for decimals).</summary>
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
