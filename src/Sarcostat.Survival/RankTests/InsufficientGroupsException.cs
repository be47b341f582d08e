using System.Globalization;

namespace Sarcostat.Survival.RankTests;

/// <summary>
/// The data give fewer than two groups to compare once rows with a missing group or stratum are left out.
/// This is a property of the user's data, not a programming error: a front end should show <see cref="Exception.Message"/>
/// (it names the group variable and the levels found) and go on with other analyses.
/// </summary>
/// <remarks>R: <c>survdiff</c> stops with "There is only 1 group" (from <c>survdiff.fit</c>).</remarks>
public sealed class InsufficientGroupsException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "too-few-groups";

    /// <summary>Creates the exception for the group variable <paramref name="groupName"/>.</summary>
    /// <param name="groupName">The group variable's name (<see cref="Factor.Name"/>).</param>
    /// <param name="levelsFound">The levels that have at least one usable observation (0 or 1 of them).</param>
    /// <param name="rowsDropped">Rows left out for a missing group or stratum.</param>
    public InsufficientGroupsException(string groupName, IReadOnlyList<string> levelsFound, int rowsDropped)
        : base(Describe(groupName, levelsFound, rowsDropped))
    {
        GroupName = groupName;
        LevelsFound = levelsFound;
        RowsDropped = rowsDropped;
    }

    /// <summary>Creates the exception with a message of the caller's own.</summary>
    public InsufficientGroupsException()
        : this("the log-rank test needs at least two groups")
    {
    }

    /// <summary>Creates the exception with a message of the caller's own.</summary>
    /// <param name="message">The message.</param>
    public InsufficientGroupsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message of the caller's own and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InsufficientGroupsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The group variable's name; empty when the exception was built from a message alone.</summary>
    public string GroupName { get; } = string.Empty;

    /// <summary>The levels with at least one usable observation (fewer than two).</summary>
    public IReadOnlyList<string> LevelsFound { get; } = [];

    /// <summary>Rows left out because their group or stratum was missing.</summary>
    public int RowsDropped { get; }

    private static string Describe(string groupName, IReadOnlyList<string> levels, int dropped)
    {
        ArgumentNullException.ThrowIfNull(levels);
        string after = dropped > 0
            ? string.Create(CultureInfo.InvariantCulture, $" after dropping {dropped} row(s) with a missing group or stratum")
            : string.Empty;
        string found = levels.Count switch
        {
            0 => "has no usable values",
            1 => $"has one level ('{levels[0]}')",
            _ => $"has levels {string.Join(", ", levels.Select(l => $"'{l}'"))}",
        };
        return $"Group variable '{groupName}' {found}{after}; the log-rank test needs at least two groups.";
    }
}
