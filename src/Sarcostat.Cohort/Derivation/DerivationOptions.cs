namespace Sarcostat.Cohort.Derivation;

/// <summary>How a death of unknown cause enters disease-specific survival.</summary>
public enum UnknownCauseOfDeath
{
    /// <summary>
    /// Censored at death, as a death from another cause (the default). In the competing-risk flag it is a competing
    /// death (2): the patient is no longer at risk of dying of sarcoma.
    /// </summary>
    CensorAtDeath = 0,

    /// <summary>DSS cannot be derived for the patient: listed as underivable, left out of DSS analyses.</summary>
    NotDerivable = 1,

    /// <summary>
    /// Counted as a death from sarcoma: a DSS event at death (competing-risk flag 1). The other convention of the
    /// literature: most patients who die after metastasectomy die of their sarcoma.
    /// </summary>
    Event = 2,
}

/// <summary>What the endpoint called DSS counts as its event.</summary>
public enum DssDefinition
{
    /// <summary>Death from sarcoma, as the name says (the default); other deaths are censored at death.</summary>
    CauseSpecific = 0,

    /// <summary>
    /// Death from any cause, as some papers define their "DSS" (e.g. Nakayama 2022): the endpoint then equals overall
    /// survival, and needs no cause of death. Offered to reproduce such a paper; the report says how it differs.
    /// </summary>
    AnyCause = 1,
}

/// <summary>Options of <see cref="CohortDerivation.Derive"/>. The defaults need no clock and no choice.</summary>
public sealed record DerivationOptions
{
    /// <summary>Unit of endpoint times and follow-up (months by default: days / 30.4375).</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Months;

    /// <summary>
    /// Data cut-off. When set, events after this date are not counted and follow-up ends at it: a patient still
    /// followed after the cut-off (or who had the event after it) is censored at the cut-off. Null: every recorded
    /// date is used. There is never an implicit "today".
    /// </summary>
    public DateOnly? AnalysisDate { get; init; }

    /// <summary>How a death of unknown cause enters DSS (censored at death by default).</summary>
    public UnknownCauseOfDeath UnknownCause { get; init; } = UnknownCauseOfDeath.CensorAtDeath;

    /// <summary>What DSS counts as its event (death from sarcoma by default; see <see cref="Derivation.DssDefinition"/>).</summary>
    public DssDefinition DssDefinition { get; init; } = DssDefinition.CauseSpecific;

    /// <summary>
    /// The dichotomised variables to derive, each addressable by its <see cref="CutPoint.Name"/>. By default the
    /// papers' presets (<see cref="CutPoints.Presets"/>); set an empty list for none.
    /// </summary>
    public IReadOnlyList<CutPoint> CutPoints { get; init; } = Derivation.CutPoints.Presets;
}
