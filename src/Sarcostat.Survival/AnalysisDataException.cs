namespace Sarcostat.Survival;

/// <summary>
/// The base of every engine exception that means "the data cannot support this analysis" (no events, fewer than two
/// groups, a constant covariate, an exact computation too large, a result that overflows). It is a property of the
/// user's data, not a programming error: a front end shows <see cref="Exception.Message"/> with <see cref="Code"/> and
/// goes on with the other analyses. Argument errors (a null array, arrays of different lengths) stay
/// <see cref="ArgumentException"/>s and mean a defect in the caller. Warnings are never exceptions; they are records
/// beside the result.
/// </summary>
public abstract class AnalysisDataException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">A sentence for a person.</param>
    protected AnalysisDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">A sentence for a person.</param>
    /// <param name="innerException">The cause.</param>
    protected AnalysisDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// A stable kebab-case code for the kind of trouble (<c>cox-no-events</c>, <c>too-few-groups</c>, ...), listed in
    /// docs/statistics.md; front ends key warnings and tests on it, never on the message.
    /// </summary>
    public abstract string Code { get; }
}
