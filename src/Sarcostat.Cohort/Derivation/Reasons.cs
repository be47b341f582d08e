namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// The stable phrases that say why an endpoint or a derived number could not be derived (docs/endpoints.md lists
/// them). They name fields, never values: no dates, no identifying data.
/// </summary>
public static class Reasons
{
    /// <summary>No metastasectomy date: there is no time origin.</summary>
    public const string NoMetastasectomy = "no metastasectomy date";

    /// <summary>The first PM is after the analysis date (data cut-off).</summary>
    public const string FirstPmAfterAnalysisDate = "first PM after the analysis date";

    /// <summary>vital_status is missing.</summary>
    public const string VitalStatusMissing = "vital status missing";

    /// <summary>vital_status holds a value that is not a code (alive, dead).</summary>
    public const string VitalStatusNotACode = "vital status is neither alive nor dead";

    /// <summary>vital_status alive with a death_date.</summary>
    public const string DeathDateButAlive = "vital status alive but a death date is recorded";

    /// <summary>vital_status dead without a death_date.</summary>
    public const string DeadWithoutDate = "dead without a death date";

    /// <summary>death_date earlier than the first PM.</summary>
    public const string DeathBeforePm = "death before the first PM";

    /// <summary>Alive without a last_contact_date.</summary>
    public const string NoLastContact = "alive without a last contact date";

    /// <summary>last_contact_date earlier than the first PM (patient alive).</summary>
    public const string LastContactBeforePm = "last contact before the first PM";

    /// <summary>DSS: dead without a cause_of_death.</summary>
    public const string DeadWithoutCause = "dead without a cause of death";

    /// <summary>DSS: cause_of_death unknown, with <see cref="UnknownCauseOfDeath.NotDerivable"/>.</summary>
    public const string CauseUnknown = "cause of death unknown (option: unknown cause not derivable)";

    /// <summary>DSS: cause_of_death holds a value that is not a code.</summary>
    public const string CauseNotACode = "cause of death is neither sarcoma, other nor unknown";

    /// <summary>DFS: recurrence_date earlier than the first PM.</summary>
    public const string RecurrenceBeforePm = "recurrence before the first PM";

    /// <summary>DFS: recurrence_date after death_date.</summary>
    public const string RecurrenceAfterDeath = "recurrence after death";

    /// <summary>PFS: progression_date earlier than the first PM.</summary>
    public const string ProgressionBeforePm = "progression before the first PM";

    /// <summary>PFS: progression_date after death_date.</summary>
    public const string ProgressionAfterDeath = "progression after death";

    /// <summary>Age: neither birth_date nor age_at_pm.</summary>
    public const string NoAge = "no birth date and no age_at_pm";

    /// <summary>Age: a birth_date but no metastasectomy date (and no age_at_pm).</summary>
    public const string BirthDateWithoutPm = "birth date but no metastasectomy date";

    /// <summary>Age: birth_date after the first PM.</summary>
    public const string BirthAfterPm = "birth date after the first PM";

    /// <summary>DFI: not synchronous and primary_surgery_date missing.</summary>
    public const string NoPrimarySurgeryDate = "not synchronous and no primary surgery date";

    /// <summary>DFI: not synchronous and lung_met_date missing.</summary>
    public const string NoLungMetastasisDate = "not synchronous and no lung metastasis date";
}
