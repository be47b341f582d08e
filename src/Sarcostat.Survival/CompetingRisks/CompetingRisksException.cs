namespace Sarcostat.Survival.CompetingRisks;

/// <summary>
/// The data cannot support a competing-risks analysis. <see cref="Code"/> says why:
/// <list type="bullet">
/// <item><c>competing-risks-no-data</c>: no row is left once rows with a missing time, status, group, stratum or
/// covariate are left out;</item>
/// <item><c>competing-risks-no-events</c>: no event of any cause (<see cref="CumulativeIncidence"/>), or no event of the
/// cause of interest among the complete cases (<see cref="FineGray"/>);</item>
/// <item><c>fine-gray-design</c>: a covariate is constant among the complete cases, or the information matrix of the
/// Fine-Gray model is singular (collinear terms), so no coefficient can be estimated.</item>
/// </list>
/// </summary>
public sealed class CompetingRisksException : AnalysisDataException
{
    private readonly string _code;

    /// <summary>Creates the exception with the generic code <c>competing-risks-no-data</c>.</summary>
    public CompetingRisksException()
        : this("competing-risks-no-data", "No data are left for the competing-risks analysis.")
    {
    }

    /// <summary>Creates the exception with the generic code <c>competing-risks-no-data</c>.</summary>
    /// <param name="message">A sentence for a person.</param>
    public CompetingRisksException(string message)
        : this("competing-risks-no-data", message)
    {
    }

    /// <summary>Creates the exception with the generic code <c>competing-risks-no-data</c> and a cause.</summary>
    /// <param name="message">A sentence for a person.</param>
    /// <param name="innerException">The cause.</param>
    public CompetingRisksException(string message, Exception innerException)
        : base(message, innerException)
    {
        _code = "competing-risks-no-data";
    }

    /// <summary>Creates the exception with a code.</summary>
    /// <param name="code">One of the codes listed on the class.</param>
    /// <param name="message">A sentence for a person (no data values that could identify a patient).</param>
    public CompetingRisksException(string code, string message)
        : base(message)
    {
        _code = code ?? throw new ArgumentNullException(nameof(code));
    }

    /// <inheritdoc />
    public override string Code => _code;
}
