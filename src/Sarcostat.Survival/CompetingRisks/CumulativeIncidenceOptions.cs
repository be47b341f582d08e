namespace Sarcostat.Survival.CompetingRisks;

/// <summary>How the pointwise confidence interval of a cumulative incidence F(t) is built from its variance.</summary>
public enum CumulativeIncidenceInterval
{
    /// <summary>
    /// On log(−log F) (default; Choudhury 2002, Stata's stcompet): F^exp(±z·se/|F·log F|), always inside (0, 1).
    /// </summary>
    LogLog,

    /// <summary>F ± z·se, clipped to [0, 1] (symmetric; may be poor near 0).</summary>
    Plain,
}

/// <summary>Settings of <see cref="CumulativeIncidence.Estimate"/>.</summary>
public sealed record CumulativeIncidenceOptions
{
    /// <summary>Two-sided confidence level of the pointwise intervals, in (0, 1). Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>The scale of the pointwise intervals. Default <see cref="CumulativeIncidenceInterval.LogLog"/>.</summary>
    public CumulativeIncidenceInterval Interval { get; init; } = CumulativeIncidenceInterval.LogLog;

    /// <summary>
    /// The power ρ of Gray's test weight (1 − F(t−))^ρ; R <c>cuminc(rho = 0)</c>, the default: equal weights.
    /// </summary>
    public double Rho { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a level outside (0, 1) or a non-finite ρ.</summary>
    internal void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must lie in (0, 1).");
        }

        if (!double.IsFinite(Rho))
        {
            throw new ArgumentOutOfRangeException(nameof(Rho), Rho, "rho must be finite.");
        }
    }
}
