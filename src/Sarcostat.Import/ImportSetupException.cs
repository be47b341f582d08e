namespace Sarcostat.Import;

/// <summary>
/// What the user asked to read cannot be read as asked: a missing input, a mapping file that is not valid (each error
/// names the mapping file, the key and what was expected), a pseudonymising mapping without a salt. Problems in the
/// data itself are never thrown: they are collected as <see cref="Sarcostat.Cohort.CohortProblem"/>s.
/// </summary>
public sealed class ImportSetupException : Exception
{
    /// <summary>Creates the exception with every error found (all are collected before throwing).</summary>
    public ImportSetupException(IReadOnlyList<string> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with one error.</summary>
    public ImportSetupException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with no detail (serialisation and tooling only).</summary>
    public ImportSetupException()
        : this("The import could not be set up.")
    {
    }

    /// <summary>Creates the exception with one error and its cause.</summary>
    public ImportSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Every error, one line each.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Describe(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1 ? errors[0] : $"{errors.Count} errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
    }
}
