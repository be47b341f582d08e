using System.Globalization;

namespace Sarcostat.Cohort;

/// <summary>How serious a data problem is.</summary>
public enum Severity
{
    /// <summary>Blocks analysis: the value is wrong or a required value is missing.</summary>
    Error,

    /// <summary>Does not block analysis but should be looked at (a recommended field missing, an unusual value).</summary>
    Warning,
}

/// <summary>
/// A problem in a user's data: where (file, row, column), which rule, what was found, what was expected, how serious,
/// and a fix when one is known. Never carries identifying values: rows and study ids only.
/// </summary>
/// <param name="File">Source file name.</param>
/// <param name="Row">Spreadsheet row (header = 1), or null for a file-level problem.</param>
/// <param name="Column">Source column (or field) name, or null.</param>
/// <param name="Rule">Stable rule code, e.g. <c>date-order</c>, <c>unknown-code</c>, <c>not-a-number</c>.</param>
/// <param name="Found">The value found, or null.</param>
/// <param name="Expected">What was expected, as a phrase.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Hint">A fix, when one is known.</param>
/// <param name="StudyId">The patient's study id, when known.</param>
public sealed record CohortProblem(
    string File,
    int? Row,
    string? Column,
    string Rule,
    string? Found,
    string Expected,
    Severity Severity = Severity.Error,
    string? Hint = null,
    string? StudyId = null)
{
    /// <summary>
    /// One line: <c>patients.xlsx row 214, column "first_pm_date": found "31/02/2021"; expected a date (dd/MM/yyyy per mapping). Check day/month order.</c>
    /// </summary>
    public override string ToString()
    {
        var where = File;
        if (Row is not null)
        {
            where += string.Create(CultureInfo.InvariantCulture, $" row {Row}");
        }

        if (Column is not null)
        {
            where += (Row is null ? " " : ", ") + $"column \"{Column}\"";
        }

        var level = Severity == Severity.Warning ? "warning: " : string.Empty;
        var found = Found is null ? string.Empty : $"found \"{(Found.Length <= 40 ? Found : Found[..37] + "...")}\"; ";
        var line = $"{where}: {level}{found}expected {Expected}.";
        return Hint is null ? line : $"{line} {Hint}";
    }
}
