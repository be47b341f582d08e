using Sarcostat.Files.Output;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Csv;

/// <summary>
/// Writes the analysed cohort (<c>cohort.csv</c>: one row per analysed patient) and its data dictionary
/// (<c>cohort-dictionary.csv</c>: <c>name</c>, <c>meaning</c>, <c>unit</c>, <c>levels</c>, one row per column of
/// cohort.csv), with the one CSV writer, <see cref="CsvOutput"/> (injection guard on, CRLF as the table CSVs).
/// </summary>
public static class CohortCsvRenderer
{
    /// <summary>The header of the data dictionary.</summary>
    public static IReadOnlyList<string> DictionaryHeader { get; } = ["name", "meaning", "unit", "levels"];

    /// <summary>Writes the cohort: a header of column names, then one record per patient.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A row has not one value per column.</exception>
    public static void WriteCohort(CohortExport cohort, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(writer);
        CsvOutput.WriteRecord(writer, cohort.Columns.Select(c => c.Name), "\r\n");
        foreach (var row in cohort.Rows)
        {
            if (row.Count != cohort.Columns.Count)
            {
                throw new ArgumentException($"A cohort row has {row.Count} values for {cohort.Columns.Count} columns.", nameof(cohort));
            }

            CsvOutput.WriteRecord(writer, row, "\r\n");
        }
    }

    /// <summary>Writes the data dictionary: one record per column of the cohort.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteDictionary(CohortExport cohort, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(writer);
        CsvOutput.WriteRecord(writer, DictionaryHeader, "\r\n");
        foreach (var c in cohort.Columns)
        {
            CsvOutput.WriteRecord(writer, [c.Name, c.Meaning, c.Unit, c.Levels], "\r\n");
        }
    }
}
