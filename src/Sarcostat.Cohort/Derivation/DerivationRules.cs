namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// The derivation rules, one pure function per derived quantity: a patient (and options) in, a value or the reason
/// it cannot be derived out. No clock: the only date that is not the patient's own is
/// <see cref="DerivationOptions.AnalysisDate"/>. docs/endpoints.md states each rule.
/// </summary>
/// <remarks>
/// Times are whole-day differences between dates (<see cref="DateOnly.DayNumber"/>), then converted once by
/// <see cref="TimeUnits.FromDays"/>: months = days / 30.4375, years = days / 365.25.
/// </remarks>
public static class DerivationRules
{
    /// <summary>
    /// Age at the first PM in years: (first PM date − birth date) in whole days / 365.25 when both dates are known,
    /// otherwise the age_at_pm field as given.
    /// </summary>
    /// <remarks>
    /// The 365.25-day year puts a patient on the birthday itself slightly below the whole age (65 calendar years
    /// with 16 leap days are 23,741 days = 64.9993 years), so a cut at 65 takes the 65th birthday as "&lt;65"; the
    /// next day is "&gt;=65" (23,742 / 365.25 = 65.0021).
    /// </remarks>
    public static DerivedNumber AgeAtPm(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var pm = patient.FirstMetastasectomyDate;
        if (patient.BirthDate is { } birth && pm is { } first)
        {
            return birth > first
                ? DerivedNumber.Missing(Reasons.BirthAfterPm)
                : DerivedNumber.Of((first.DayNumber - birth.DayNumber) / TimeUnits.YearDays);
        }

        if (patient.AgeAtPm is { } given)
        {
            return DerivedNumber.Of(given);
        }

        return DerivedNumber.Missing(patient.BirthDate is null ? Reasons.NoAge : Reasons.BirthDateWithoutPm);
    }

    /// <summary>
    /// Disease-free interval in months: (lung_met_date − primary_surgery_date) in whole days / 30.4375; 0 when
    /// synchronous, and 0 (not negative) when the metastasis was found before the primary surgery.
    /// </summary>
    /// <remarks>
    /// synchronous = yes gives 0 whatever the dates say (validation reports <c>synchronous-with-dfi</c> when they
    /// disagree). A metastasis found on or before the day of the primary surgery is synchronous by definition, so a
    /// negative difference is 0 whether or not the synchronous field says so. The month is always days / 30.4375
    /// here, whatever the endpoints' time unit, because the papers' cut point (12 months) is in months.
    /// </remarks>
    public static DerivedNumber DfiMonths(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (patient.Synchronous == true)
        {
            return DerivedNumber.Of(0);
        }

        if (patient.PrimarySurgeryDate is not { } primary)
        {
            return DerivedNumber.Missing(Reasons.NoPrimarySurgeryDate);
        }

        if (patient.LungMetastasisDate is not { } lung)
        {
            return DerivedNumber.Missing(Reasons.NoLungMetastasisDate);
        }

        int days = lung.DayNumber - primary.DayNumber;
        return DerivedNumber.Of(days <= 0 ? 0 : TimeUnits.FromDays(days, TimeUnit.Months));
    }

    /// <summary>
    /// Follow-up time from the first PM to death (dead) or last contact (alive), capped at the analysis date, in the
    /// options' unit. It is the time of overall survival, so it is missing exactly when OS cannot be derived.
    /// </summary>
    public static DerivedNumber FollowUp(Patient patient, DerivationOptions? options = null)
    {
        var os = DeriveEndpoint(patient, Endpoint.OverallSurvival, options);
        return os.Outcome is { } o ? DerivedNumber.Of(o.Time) : DerivedNumber.Missing(os.Reason!);
    }

    /// <summary>
    /// One endpoint of one patient as (time from the first PM, event), or the reason it cannot be derived.
    /// </summary>
    /// <remarks>
    /// Contract. Needs a first PM date and a consistent vital status: dead with a death date not before the first PM,
    /// or alive with no death date and a last contact not before the first PM. Then:
    /// OS event = death; DSS event = death from sarcoma (another cause, and by default an unknown one, censored at
    /// death; with <see cref="UnknownCauseOfDeath.Event"/> an unknown cause is an event; competing flag 0/1/2; with
    /// <see cref="DssDefinition.AnyCause"/> every death, as OS); DFS event = the earlier of recurrence and death; PFS event = the earlier of
    /// progression and death. Without an event the patient is censored at death (DSS) or last contact. With an
    /// analysis date, an event after it is not counted and the patient is censored at the analysis date, and
    /// follow-up beyond it is cut there. Time 0 (event on the day of the PM) is allowed; negative times never occur.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An undefined endpoint.</exception>
    public static EndpointResult DeriveEndpoint(Patient patient, Endpoint endpoint, DerivationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        options ??= new DerivationOptions();
        if (!Enum.IsDefined(endpoint))
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Unknown endpoint.");
        }

        if (patient.FirstMetastasectomyDate is not { } pm)
        {
            return EndpointResult.NotDerivable(Reasons.NoMetastasectomy);
        }

        var cut = options.AnalysisDate;
        if (cut is { } c && c < pm)
        {
            return EndpointResult.NotDerivable(Reasons.FirstPmAfterAnalysisDate);
        }

        // The end of observation: death for the dead, last contact for the living.
        DateOnly end;
        bool dead;
        switch (patient.VitalStatus)
        {
            case null:
                return EndpointResult.NotDerivable(Reasons.VitalStatusMissing);
            case Codes.VitalStatus.Dead:
                if (patient.DeathDate is not { } death)
                {
                    return EndpointResult.NotDerivable(Reasons.DeadWithoutDate);
                }

                if (death < pm)
                {
                    return EndpointResult.NotDerivable(Reasons.DeathBeforePm);
                }

                // The last contact is not used for the dead: death ends follow-up.
                (end, dead) = (death, true);
                break;
            case Codes.VitalStatus.Alive:
                if (patient.DeathDate is not null)
                {
                    return EndpointResult.NotDerivable(Reasons.DeathDateButAlive);
                }

                if (patient.LastContactDate is not { } last)
                {
                    return EndpointResult.NotDerivable(Reasons.NoLastContact);
                }

                if (last < pm)
                {
                    return EndpointResult.NotDerivable(Reasons.LastContactBeforePm);
                }

                (end, dead) = (last, false);
                break;
            default:
                return EndpointResult.NotDerivable(Reasons.VitalStatusNotACode);
        }

        // The endpoint's event date (null: no event), and for DSS the competing flag of a death.
        DateOnly? eventDate = null;
        int competing = 0;
        switch (endpoint)
        {
            case Endpoint.OverallSurvival:
                eventDate = dead ? end : null;
                break;
            case Endpoint.DiseaseSpecificSurvival when options.DssDefinition == DssDefinition.AnyCause:
                // The paper's "DSS": every death is an event (flag 1), whatever its cause, recorded or not.
                (eventDate, competing) = dead ? (end, 1) : ((DateOnly?)null, 0);
                break;
            case Endpoint.DiseaseSpecificSurvival:
                if (dead && (cut is null || end <= cut))
                {
                    switch (patient.CauseOfDeath)
                    {
                        case Codes.CauseOfDeath.Sarcoma:
                            (eventDate, competing) = (end, 1);
                            break;
                        case Codes.CauseOfDeath.Other:
                            competing = 2;
                            break;
                        case Codes.CauseOfDeath.Unknown when options.UnknownCause == UnknownCauseOfDeath.CensorAtDeath:
                            competing = 2;
                            break;
                        case Codes.CauseOfDeath.Unknown when options.UnknownCause == UnknownCauseOfDeath.Event:
                            (eventDate, competing) = (end, 1);
                            break;
                        case Codes.CauseOfDeath.Unknown:
                            return EndpointResult.NotDerivable(Reasons.CauseUnknown);
                        case null:
                            return EndpointResult.NotDerivable(Reasons.DeadWithoutCause);
                        default:
                            return EndpointResult.NotDerivable(Reasons.CauseNotACode);
                    }
                }

                break;
            case Endpoint.DiseaseFreeSurvival:
                {
                    var r = FirstOfEventOrDeath(patient.RecurrenceDate, pm, dead, end, Reasons.RecurrenceBeforePm, Reasons.RecurrenceAfterDeath);
                    if (r.Reason is not null)
                    {
                        return EndpointResult.NotDerivable(r.Reason);
                    }

                    eventDate = r.Date;
                    break;
                }

            default: // ProgressionFreeSurvival
                {
                    var r = FirstOfEventOrDeath(patient.ProgressionDate, pm, dead, end, Reasons.ProgressionBeforePm, Reasons.ProgressionAfterDeath);
                    if (r.Reason is not null)
                    {
                        return EndpointResult.NotDerivable(r.Reason);
                    }

                    eventDate = r.Date;
                    break;
                }
        }

        bool isDss = endpoint == Endpoint.DiseaseSpecificSurvival;
        if (eventDate is { } e && (cut is null || e <= cut))
        {
            return EndpointResult.Of(Outcome(pm, e, 1, isDss ? competing : null, options.TimeUnit));
        }

        // No event (or an event after the cut-off): censored at the end of observation, cut at the analysis date.
        // An event after the cut-off proves follow-up beyond it, so the censoring is at the cut-off.
        var censor = eventDate is not null ? cut!.Value : cut is { } k && end > k ? k : end;
        if (isDss && censor < end)
        {
            competing = 0; // alive at the cut-off: no death yet, competing or not
        }

        return EndpointResult.Of(Outcome(pm, censor, 0, isDss ? competing : null, options.TimeUnit));
    }

    /// <summary>
    /// The built-in categorical variables of a patient (<see cref="DerivedNames.Categories"/>), null where the value
    /// is missing. Procedure-based categories read the first metastasectomy.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Categories(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var first = patient.FirstMetastasectomy;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [DerivedNames.ResectionSublobar] = first?.Resection switch
            {
                Codes.Resection.Wedge or Codes.Resection.Segmentectomy => CategoryLabels.Sublobar,
                Codes.Resection.Lobectomy or Codes.Resection.Bilobectomy or Codes.Resection.Pneumonectomy => CategoryLabels.LobectomyOrLarger,
                _ => null,
            },
            [DerivedNames.ResectionAnatomical] = first?.Resection switch
            {
                Codes.Resection.Wedge => CategoryLabels.Partial,
                Codes.Resection.Segmentectomy or Codes.Resection.Lobectomy or Codes.Resection.Bilobectomy or Codes.Resection.Pneumonectomy => CategoryLabels.Anatomical,
                _ => null,
            },
            [DerivedNames.CurativeResection] = first?.Margin switch
            {
                Codes.Margin.R0 => CategoryLabels.Curative,
                Codes.Margin.R1 or Codes.Margin.R2 => CategoryLabels.NonCurative,
                _ => null,
            },
            [DerivedNames.HistologyUps] = patient.Histology switch
            {
                null => null,
                CategoryLabels.UpsCode => CategoryLabels.Ups,
                _ => CategoryLabels.NonUps,
            },
            [DerivedNames.TissueGroup] = patient.Tissue switch
            {
                CategoryLabels.BoneCode => CategoryLabels.Bone,
                CategoryLabels.SoftTissueCode => CategoryLabels.SoftTissue,
                _ => null,
            },
            [DerivedNames.NoduleGroup] = patient.Nodules switch
            {
                1 => CategoryLabels.Solitary,
                >= 2 => CategoryLabels.Multiple,
                _ => null,
            },
        };
    }

    private static (DateOnly? Date, string? Reason) FirstOfEventOrDeath(
        DateOnly? eventDate, DateOnly pm, bool dead, DateOnly end, string beforePm, string afterDeath)
    {
        if (eventDate is not { } d)
        {
            return (dead ? end : null, null);
        }

        if (d < pm)
        {
            return (null, beforePm);
        }

        if (dead && d > end)
        {
            return (null, afterDeath);
        }

        return (d, null);
    }

    private static EndpointOutcome Outcome(DateOnly pm, DateOnly endDate, int @event, int? competing, TimeUnit unit)
    {
        int days = endDate.DayNumber - pm.DayNumber;
        return new EndpointOutcome(days, TimeUnits.FromDays(days, unit), @event, endDate, competing);
    }
}

/// <summary>The values of the built-in categorical variables, and the dictionary codes they read.</summary>
public static class CategoryLabels
{
    /// <summary>resection_sublobar: wedge or segmentectomy.</summary>
    public const string Sublobar = "sublobar";

    /// <summary>resection_sublobar: lobectomy, bilobectomy or pneumonectomy.</summary>
    public const string LobectomyOrLarger = "lobectomy or larger";

    /// <summary>resection_anatomical: wedge ("partial" in paper 001).</summary>
    public const string Partial = "partial";

    /// <summary>resection_anatomical: segmentectomy or larger.</summary>
    public const string Anatomical = "anatomical";

    /// <summary>curative_resection: margin R0.</summary>
    public const string Curative = "curative";

    /// <summary>curative_resection: margin R1 or R2.</summary>
    public const string NonCurative = "non-curative";

    /// <summary>histology_ups: undifferentiated pleomorphic sarcoma.</summary>
    public const string Ups = "UPS";

    /// <summary>histology_ups: any other histology.</summary>
    public const string NonUps = "non-UPS";

    /// <summary>tissue_group: bone sarcoma.</summary>
    public const string Bone = "bone";

    /// <summary>tissue_group: soft-tissue sarcoma.</summary>
    public const string SoftTissue = "soft tissue";

    /// <summary>nodule_group: one nodule.</summary>
    public const string Solitary = "solitary";

    /// <summary>nodule_group: two or more nodules.</summary>
    public const string Multiple = "multiple";

    /// <summary>The histology code of UPS in the data dictionary.</summary>
    public const string UpsCode = "ups";

    /// <summary>The tissue code of bone.</summary>
    public const string BoneCode = "bone";

    /// <summary>The tissue code of soft tissue.</summary>
    public const string SoftTissueCode = "soft_tissue";
}
