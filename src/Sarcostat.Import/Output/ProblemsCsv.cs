using System.Globalization;
using CsvHelper;
using Sarcostat.Cohort;

namespace Sarcostat.Import.Output;

/// <summary>
/// Writes problems as CSV (<c>--problems out.csv</c>) with the columns
/// <c>file,row,column,rule,severity,found,expected,hint,study_id</c>: severity is <c>error</c> or <c>warning</c>, an
/// empty cell means none (a file-level problem has no row).
/// </summary>
public static class ProblemsCsv
{
    /// <summary>The header, in order.</summary>
    public static readonly IReadOnlyList<string> Columns = ["file", "row", "column", "rule", "severity", "found", "expected", "hint", "study_id"];

    /// <summary>Writes the header and one record per problem to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, IEnumerable<CohortProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(problems);
        using var csv = CsvWriter.Create(writer, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        csv.WriteRecord(Columns.ToArray());
        foreach (var p in problems)
        {
            csv.WriteRecord(
            [
                p.File,
                p.Row?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                p.Column ?? string.Empty,
                p.Rule,
                p.Severity == Severity.Error ? "error" : "warning",
                p.Found ?? string.Empty,
                p.Expected,
                p.Hint ?? string.Empty,
                p.StudyId ?? string.Empty,
            ]);
        }
    }

    /// <summary>Writes the problems to a file (UTF-8, through a temporary file: a failure leaves nothing half-written).</summary>
    public static void WriteFile(string path, IEnumerable<CohortProblem> problems)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(problems);
        var list = problems.ToList();
        AtomicFile.Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false));
            Write(writer, list);
        });
    }
}
