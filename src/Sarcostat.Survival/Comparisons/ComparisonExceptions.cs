namespace Sarcostat.Survival.Comparisons;

/// <summary>
/// A test cannot be computed because a group has too few non-missing observations
/// (R stops with e.g. "not enough 'x' observations").
/// </summary>
public sealed class InsufficientDataException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "too-few-observations";

    /// <summary>Creates the exception with a default message.</summary>
    public InsufficientDataException()
        : base("Not enough observations.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InsufficientDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InsufficientDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a named group.</summary>
    /// <param name="group">The group concerned: <c>"x"</c>, <c>"y"</c> (R's names) or a group level.</param>
    /// <param name="count">Its number of non-missing observations.</param>
    /// <param name="required">The number the test needs.</param>
    /// <param name="message">A sentence for a person.</param>
    public InsufficientDataException(string group, int count, int required, string message)
        : base(message)
    {
        Group = group;
        Count = count;
        Required = required;
    }

    /// <summary>The group concerned (<c>"x"</c>, <c>"y"</c>, or <c>"x and y"</c> when the total is too small); null when not set.</summary>
    public string? Group { get; }

    /// <summary>Number of non-missing observations the group has.</summary>
    public int Count { get; }

    /// <summary>Number of non-missing observations the test requires.</summary>
    public int Required { get; }
}

/// <summary>
/// A test statistic is undefined because the data have (essentially) no variation
/// (R's t.test stops with "data are essentially constant").
/// </summary>
public sealed class DegenerateDataException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "constant-data";

    /// <summary>Creates the exception with a default message.</summary>
    public DegenerateDataException()
        : base("Data are essentially constant.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DegenerateDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DegenerateDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// An exact computation (Fisher's test on a large r × c table, a forced exact Mann-Whitney distribution for large
/// samples) would exceed the work budget; it is refused instead of running for minutes or hours.
/// </summary>
public sealed class ExactComputationLimitException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "exact-limit";

    /// <summary>Creates the exception with a default message.</summary>
    public ExactComputationLimitException()
        : base("The exact computation is too large.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExactComputationLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ExactComputationLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A statistic cannot be represented as a finite double: the data are so large (or so small) that a result (a
/// difference of means, a confidence limit) overflows even after exact rescaling. Reported as "not computed" rather
/// than printed as infinity or NaN.
/// </summary>
public sealed class NotRepresentableException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "not-representable";

    /// <summary>Creates the exception with a default message.</summary>
    public NotRepresentableException()
        : base("The result is too large to be represented.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NotRepresentableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NotRepresentableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
