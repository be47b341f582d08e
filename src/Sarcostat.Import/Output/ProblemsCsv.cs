using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Files.Output;

namespace Sarcostat.Import.Output;

/// <summary>
/// Writes problems as CSV (<c>--problems out.csv</c>) with the columns
/// <c>file,row,column,rule,severity,found,expected,hint,study_id</c>: severity is <c>error</c> or <c>warning</c>, an
/// empty cell means none (a file-level problem has no row). Written by the one CSV writer,
/// <see cref="CsvOutput"/>: a found value such as <c>=HYPERLINK(...)</c> is written with a leading single quote so that a
/// spreadsheet shows it instead of running it (negative numbers stay numbers).
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
        CsvOutput.WriteRecord(writer, Columns);
        foreach (var p in problems)
        {
            CsvOutput.WriteRecord(writer,
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

    /// <summary>
    /// Writes the problems to a file (UTF-8 without BOM) through <see cref="AtomicOutput"/>: a failure leaves nothing
    /// half-written.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="problems">The problems.</param>
    /// <param name="overwrite">Replace an existing file (<c>--force</c>); otherwise an existing file is refused.</param>
    /// <exception cref="OutputException">The path is refused (a folder, an existing file without <paramref name="overwrite"/>) or cannot be written.</exception>
    public static void WriteFile(string path, IEnumerable<CohortProblem> problems, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(problems);
        var list = problems.ToList();
        AtomicOutput.WriteFile(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, CsvOutput.Utf8);
            Write(writer, list);
        }, overwrite);
    }
}
