namespace Sarcostat.Survival.CountingProcess;

/// <summary>
/// A (start, stop] row has a start and a stop time so close that R's time fix (aeqSurv, timefix = TRUE) merges them,
/// leaving an interval of length zero (R stops with "aeqSurv exception, an interval has effective length 0").
/// </summary>
public sealed class ZeroLengthIntervalException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "cox-zero-length-interval";

    /// <summary>Creates the exception.</summary>
    public ZeroLengthIntervalException()
        : base("A (start, stop] row has an effective length of zero after merging near-equal times.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ZeroLengthIntervalException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ZeroLengthIntervalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the row (0-based, among the rows given to the fit).</summary>
    /// <param name="row">Index of the row in the input.</param>
    public ZeroLengthIntervalException(int row)
        : base($"Row {row}: its start and stop times differ by less than R's time-fix tolerance and merge into an interval of length zero; correct the times or use exact times (TimeFix.Exact, --timefix exact).")
    {
        Row = row;
    }

    /// <summary>The row (0-based index into the fit's input), or −1.</summary>
    public int Row { get; } = -1;
}
