using Sarcostat.Cohort;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Import.Reading;

/// <summary>
/// A CSV table of the cohort import, read by the one strict reader (<see cref="CsvRecordReader"/>): separator
/// detected, UTF-8 or UTF-16 with a mark, Windows-1252 with a warning; every malformed row is returned with
/// <see cref="Malformed"/> set and its problem in <see cref="Problems"/>, so that the parser can reject it.
/// </summary>
internal sealed class CsvTableReader : ITableReader
{
    private readonly CsvRecordReader _csv;

    private CsvTableReader(CsvRecordReader csv) => _csv = csv;

    public IReadOnlyList<string> Header => _csv.Header;

    public int Row => _csv.Row;

    /// <summary>The current row has a structural problem (wrong cell count, a stray quote, a control character).</summary>
    public bool Malformed => _csv.IsMalformed;

    /// <summary>The reader's problems (errors and the not-UTF-8 warning), each with the file as shown.</summary>
    public IReadOnlyList<CohortProblem> Problems => _csv.Problems;

    /// <summary>Opens a CSV file; <paramref name="display"/> is the name problems show.</summary>
    public static CsvTableReader Open(string path, string display) => new(CsvRecordReader.Open(path, display));

    public bool Read() => _csv.Read();

    public object? Get(int column) => column < _csv.FieldCount ? _csv.GetString(column) : null;

    public void Dispose() => _csv.Dispose();
}
