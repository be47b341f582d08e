namespace Sarcostat.Survival;

/// <summary>
/// A value of a survival response that is present but cannot be used (<see cref="SurvivalResponse"/>). <see cref="Code"/> says which:
/// <list type="bullet">
/// <item><c>invalid-time</c>: a time that is negative, NaN or infinite (a negative time usually means dates in the wrong
/// order);</item>
/// <item><c>invalid-status</c>: a status other than 0 (censored) or 1 (event).</item>
/// </list>
/// The message names the row (0-based index into the input) and the value; <see cref="Row"/> holds the index.
/// </summary>
public sealed class SurvivalResponseException : AnalysisDataException
{
    private readonly string _code;

    /// <summary>Creates the exception with the generic code <c>invalid-survival-response</c>.</summary>
    public SurvivalResponseException()
        : this("invalid-survival-response", "A value of the survival response cannot be used.", null)
    {
    }

    /// <summary>Creates the exception with the generic code <c>invalid-survival-response</c>.</summary>
    /// <param name="message">A sentence for a person.</param>
    public SurvivalResponseException(string message)
        : this("invalid-survival-response", message, null)
    {
    }

    /// <summary>Creates the exception with the generic code <c>invalid-survival-response</c> and a cause.</summary>
    /// <param name="message">A sentence for a person.</param>
    /// <param name="innerException">The cause.</param>
    public SurvivalResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
        _code = "invalid-survival-response";
    }

    /// <summary>Creates the exception with a code and the row it is about.</summary>
    /// <param name="code">One of the codes listed on the class.</param>
    /// <param name="message">A sentence for a person naming the row and the value.</param>
    /// <param name="row">The row's 0-based index in the input, or null.</param>
    public SurvivalResponseException(string code, string message, int? row)
        : base(message)
    {
        _code = code ?? throw new ArgumentNullException(nameof(code));
        Row = row;
    }

    /// <summary>The 0-based index of the row in the input, when the trouble is one row's.</summary>
    public int? Row { get; }

    /// <inheritdoc />
    public override string Code => _code;
}
