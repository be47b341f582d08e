using System.Globalization;

namespace Sarcostat.Study.Protocols;

/// <summary>One mistake in a protocol: where it is and what was expected.</summary>
/// <param name="Source">The protocol's file name (or <c>shipped:NAME</c>).</param>
/// <param name="Path">The key path, e.g. <c>sections[2].items[0].rows[3].variable</c>; empty for the whole document.</param>
/// <param name="Line">1-based line, or 0 when unknown (JSON, protocols built in code).</param>
/// <param name="Message">What is wrong and what was expected, with a suggestion when one is close.</param>
public sealed record ProtocolProblem(string Source, string Path, int Line, string Message)
{
    /// <summary><c>nakayama2022.yaml, line 42, variables.dfi_12.reference: '&lt;12' is not a level of 'dfi_12' ...</c></summary>
    public override string ToString()
    {
        var where = Source;
        if (Line > 0)
        {
            where += string.Create(CultureInfo.InvariantCulture, $", line {Line}");
        }

        if (Path.Length > 0)
        {
            where += ", " + Path;
        }

        return where + ": " + Message;
    }
}

/// <summary>
/// A protocol cannot be used: it is not well-formed, has unknown keys or values of the wrong kind, or names variables,
/// levels, endpoints or items that do not exist. Thrown before anything runs; every problem found is listed.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    /// <param name="problems">The problems, in document order.</param>
    public ProtocolException(IReadOnlyList<ProtocolProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ProtocolException()
        : this("The protocol cannot be used.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ProtocolException(string message)
        : base(message)
    {
        Problems = [new ProtocolProblem(string.Empty, string.Empty, 0, message)];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ProtocolProblem(string.Empty, string.Empty, 0, message)];
    }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<ProtocolProblem> Problems { get; } = [];

    private static string Describe(IReadOnlyList<ProtocolProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            return "The protocol cannot be used.";
        }

        var head = problems.Count == 1
            ? "The protocol cannot be used:"
            : string.Create(CultureInfo.InvariantCulture, $"The protocol cannot be used ({problems.Count} problems):");
        return head + "\n" + string.Join("\n", problems.Select(p => "  " + p));
    }
}
