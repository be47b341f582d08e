using System.Globalization;

namespace Sarcostat.Cli.Input;

/// <summary>
/// One problem in a user's input file: where it is, what was found and what was expected.
/// </summary>
/// <param name="File">File name as the user gave it.</param>
/// <param name="Row">Row number as a spreadsheet shows it (the header is row 1), or null for a whole-file problem.</param>
/// <param name="Column">Column name, or null.</param>
/// <param name="Value">The value found (shortened to 40 characters), or null.</param>
/// <param name="Expected">What was expected, as a phrase ("a number >= 0").</param>
/// <param name="Hint">A fix when one is known.</param>
internal sealed record InputProblem(string File, int? Row, string? Column, string? Value, string Expected, string? Hint = null)
{
    /// <summary>One line for a person: <c>lung.csv row 5, column "time": found "abc"; expected a number >= 0.</c></summary>
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

        var found = Value is null ? string.Empty : $"found \"{Shorten(Value)}\"; ";
        var line = $"{where}: {found}expected {Expected}.";
        return Hint is null ? line : $"{line} {Hint}";
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "...";
}

/// <summary>
/// Thrown when an input file has problems. Carries every problem found (collected, never stop-at-first).
/// The CLI prints them one per line and exits with <see cref="ExitCodes.InputProblem"/>.
/// </summary>
internal sealed class InputException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public InputException(IReadOnlyList<InputProblem> problems)
        : base(problems.Count == 1 ? problems[0].ToString() : $"{problems.Count} problems in the input; the first: {problems[0]}")
    {
        Problems = problems;
    }

    /// <summary>Creates the exception for a single problem.</summary>
    public InputException(InputProblem problem)
        : this([problem])
    {
    }

    /// <summary>The problems, in file order.</summary>
    public IReadOnlyList<InputProblem> Problems { get; }
}

/// <summary>Process exit codes of the <c>sarcostat</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success (statistical warnings may still have been printed).</summary>
    public const int Ok = 0;

    /// <summary>The input data has problems (file, row, column, value and expectation are printed), or the analysis cannot be done on it.</summary>
    public const int InputProblem = 1;

    /// <summary>The command line itself is wrong (unknown option, missing required option).</summary>
    public const int Usage = 2;
}
