using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>One patient's value of a time-to-event endpoint.</summary>
/// <param name="Days">Whole days from the first PM to <paramref name="EndDate"/> (never negative).</param>
/// <param name="Time">The same span in the derivation's time unit.</param>
/// <param name="Event">1 for the event, 0 for a censoring.</param>
/// <param name="EndDate">Date of the event or of the censoring.</param>
/// <param name="CompetingEvent">
/// DSS only: 0 censored (alive at the end of follow-up), 1 death from sarcoma, 2 death from another (or, by default,
/// unknown) cause. Null for the other endpoints.
/// </param>
public sealed record EndpointOutcome(int Days, double Time, int Event, DateOnly EndDate, int? CompetingEvent = null)
{
    /// <summary>The event as a flag (true for 1).</summary>
    public bool IsEvent => Event == 1;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({Time:0.######}, {Event})");
}

/// <summary>
/// A patient for whom an endpoint cannot be derived, with the reason; counted and listed, never guessed.
/// </summary>
/// <param name="StudyId">The patient's study id.</param>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Reason">Why, as a stable phrase (see docs/endpoints.md), e.g. "dead without a cause of death".</param>
public sealed record UnderivablePatient(string StudyId, Endpoint Endpoint, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{StudyId}: {Endpoints.Abbreviation(Endpoint)} not derivable: {Reason}";
}

/// <summary>A derived number (age at PM, DFI, follow-up) that is missing for a patient, with the reason.</summary>
/// <param name="StudyId">The patient's study id.</param>
/// <param name="Variable">The derived variable's name (<see cref="DerivedNames"/>).</param>
/// <param name="Reason">Why, as a stable phrase, e.g. "no birth date and no age_at_pm".</param>
public sealed record MissingDerivedValue(string StudyId, string Variable, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{StudyId}: {Variable} missing: {Reason}";
}

/// <summary>A derived number, or the reason it is missing.</summary>
/// <param name="Value">The value, or null.</param>
/// <param name="Reason">Why the value is missing, or null when present.</param>
public readonly record struct DerivedNumber(double? Value, string? Reason)
{
    /// <summary>A present value.</summary>
    public static DerivedNumber Of(double value) => new(value, null);

    /// <summary>A missing value and why.</summary>
    public static DerivedNumber Missing(string reason) => new(null, reason);
}

/// <summary>An endpoint value, or the reason it cannot be derived.</summary>
/// <param name="Outcome">The (time, event), or null.</param>
/// <param name="Reason">Why it cannot be derived, or null when derived.</param>
public readonly record struct EndpointResult(EndpointOutcome? Outcome, string? Reason)
{
    /// <summary>A derived outcome.</summary>
    public static EndpointResult Of(EndpointOutcome outcome) => new(outcome, null);

    /// <summary>Not derivable, and why.</summary>
    public static EndpointResult NotDerivable(string reason) => new(null, reason);
}
