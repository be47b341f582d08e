using Sarcostat.Cohort;

namespace Sarcostat.Cli.Input;

/// <summary>
/// Problems in a user's input file, as the domain's <see cref="CohortProblem"/> (one line: file, row, column, value
/// found, what was expected, a hint), so that the CLI and the cohort import speak with one format.
/// </summary>
internal static class InputProblem
{
    /// <summary>Rule code of problems found by the CLI's own CSV reading.</summary>
    public const string Rule = "input";

    /// <summary>A problem: where it is (row null for a whole-file problem), what was found, what was expected.</summary>
    public static CohortProblem Of(string file, int? row, string? column, string? value, string expected, string? hint = null) =>
        new(file, row, column, Rule, value, expected, Severity.Error, hint);
}

/// <summary>
/// Thrown when an input file has problems. Carries every problem found (collected, never stop-at-first).
/// The CLI prints them one per line and exits with <see cref="ExitCodes.InputProblem"/>.
/// </summary>
internal sealed class InputException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public InputException(IReadOnlyList<CohortProblem> problems)
        : base(problems.Count == 1 ? problems[0].ToString() : $"{problems.Count} problems in the input; the first: {problems[0]}")
    {
        Problems = problems;
    }

    /// <summary>Creates the exception for a single problem.</summary>
    public InputException(CohortProblem problem)
        : this([problem])
    {
    }

    /// <summary>The problems, in file order.</summary>
    public IReadOnlyList<CohortProblem> Problems { get; }
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

    /// <summary>A defect in Sarcostat (an exception no command handled; BSD's EX_SOFTWARE). Never the answer to bad input.</summary>
    public const int InternalError = 70;
}
