namespace Sarcostat.Cli.Input;

/// <summary>
/// The command line is inconsistent in a way the parser cannot see (a column listed twice, a covariate that is also
/// the time column, --factor naming a column not among the covariates). Printed as one line and exit code
/// <see cref="ExitCodes.Usage"/>, before any file is read.
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception with every mistake found (one line each).</summary>
    public UsageException(IReadOnlyList<string> mistakes)
        : base(string.Join("; ", mistakes))
    {
        Mistakes = mistakes;
    }

    /// <summary>Creates the exception with one mistake.</summary>
    public UsageException(string message)
        : this([message])
    {
    }

    /// <summary>Each mistake, one line each.</summary>
    public IReadOnlyList<string> Mistakes { get; }
}

/// <summary>Checks of column lists given on the command line, collected into one <see cref="UsageException"/>.</summary>
internal sealed class ArgumentChecks
{
    private readonly List<string> _mistakes = [];

    /// <summary>Each name once in the list given to <paramref name="option"/> (a repeated covariate would make the model singular).</summary>
    public ArgumentChecks Distinct(string option, IEnumerable<string> names)
    {
        foreach (var name in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            _mistakes.Add($"{option} lists the column '{name}' more than once; list each column once");
        }

        return this;
    }

    /// <summary>No name of the list is one of the columns with another role (time, event, group).</summary>
    public ArgumentChecks NotAlso(string option, IEnumerable<string> names, params (string Option, string? Column)[] roles)
    {
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            foreach (var (other, column) in roles)
            {
                if (column is not null && string.Equals(name, column, StringComparison.Ordinal))
                {
                    _mistakes.Add($"{option} lists '{name}', which is also the {other} column; a column cannot be both");
                }
            }
        }

        return this;
    }

    /// <summary>Every name of <paramref name="names"/> is among <paramref name="within"/>.</summary>
    public ArgumentChecks Within(string option, IEnumerable<string> names, string withinOption, IReadOnlyCollection<string> within)
    {
        foreach (var name in names.Distinct(StringComparer.Ordinal).Where(n => !within.Contains(n, StringComparer.Ordinal)))
        {
            _mistakes.Add($"{option} names '{name}', which is not listed in {withinOption}; add it there or remove it here");
        }

        return this;
    }

    /// <summary>Adds a mistake when <paramref name="condition"/> holds.</summary>
    public ArgumentChecks Require(bool condition, string mistake)
    {
        if (!condition)
        {
            _mistakes.Add(mistake);
        }

        return this;
    }

    /// <summary>Throws the mistakes found, if any.</summary>
    /// <exception cref="UsageException">At least one mistake.</exception>
    public void ThrowIfAny()
    {
        if (_mistakes.Count > 0)
        {
            throw new UsageException(_mistakes);
        }
    }
}
