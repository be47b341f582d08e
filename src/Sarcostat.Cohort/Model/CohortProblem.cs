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
    /// One line, ending with the rule code in brackets: <c>patients.xlsx row 214, column "first_pm_date": found
    /// "31/02/2021"; expected a date (dd/MM/yyyy per mapping). Check day/month order. [not-a-date]</c>
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
        var found = Found is null ? string.Empty : $"found \"{Shown(Found)}\"; ";
        var line = $"{where}: {level}{found}expected {Expected}.";
        line = Hint is null ? line : $"{line} {Hint}";
        return $"{line} [{Rule}]";
    }

    /// <summary>The most of a found value a message shows.</summary>
    public const int MaxShown = 40;

    /// <summary>
    /// A value as a message shows it: control characters (terminal escape sequences, NUL, line breaks) as visible
    /// escapes such as <c>\u001B</c> (<see cref="Files.Output.SafeText.Escape"/>), and a value longer than <see cref="MaxShown"/> characters cut with its length
    /// (a huge cell is never echoed whole).
    /// </summary>
    public static string Shown(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var cut = value.Length <= MaxShown ? value : value[..(MaxShown - 3)];
        var sb = new System.Text.StringBuilder(Files.Output.SafeText.Escape(cut));
        if (value.Length > MaxShown)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"... ({value.Length:N0} characters)"));
        }

        return sb.ToString();
    }
}
