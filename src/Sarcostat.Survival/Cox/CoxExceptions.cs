namespace Sarcostat.Survival.Cox;

/// <summary>
/// The design matrix of a Cox model cannot be fitted: a covariate is constant among the complete cases, or terms are
/// collinear (where R would report a coefficient as NA). The message names the terms.
/// </summary>
public sealed class CoxDesignException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "cox-design";

    /// <summary>Creates the exception.</summary>
    public CoxDesignException()
        : this("The Cox model's design matrix cannot be fitted.", [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CoxDesignException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CoxDesignException(string message, Exception innerException)
        : base(message, innerException)
    {
        Terms = [];
    }

    /// <summary>Creates the exception naming the terms concerned.</summary>
    /// <param name="message">A sentence naming the terms.</param>
    /// <param name="terms">The terms (design columns) concerned.</param>
    public CoxDesignException(string message, IReadOnlyList<string> terms)
        : base(message)
    {
        Terms = terms ?? [];
    }

    /// <summary>The terms (design columns) concerned.</summary>
    public IReadOnlyList<string> Terms { get; }
}

/// <summary>
/// A Cox model has no event among the complete cases, so no coefficient can be estimated. (R fits it and reports every
/// coefficient as NA; the engine refuses instead.)
/// </summary>
public sealed class CoxNoEventsException : AnalysisDataException
{
    /// <inheritdoc/>
    public override string Code => "cox-no-events";

    /// <summary>Creates the exception.</summary>
    public CoxNoEventsException()
        : base("The Cox model has no events among the complete cases.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CoxNoEventsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CoxNoEventsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="completeCases"/> observations without an event.</summary>
    /// <param name="completeCases">Number of complete cases.</param>
    /// <param name="dropped">Number of rows dropped for missing values.</param>
    public CoxNoEventsException(int completeCases, int dropped)
        : base(completeCases == 0
            ? $"No complete case is left for the Cox model ({dropped} rows dropped for missing values)."
            : $"None of the {completeCases} complete cases of the Cox model has an event; no hazard ratio can be estimated.")
    {
        CompleteCases = completeCases;
        Dropped = dropped;
    }

    /// <summary>Number of complete cases (all censored).</summary>
    public int CompleteCases { get; }

    /// <summary>Number of rows dropped for missing values.</summary>
    public int Dropped { get; }
}
