using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// An endpoint whose data cannot carry it: a DSS without any cause of death recorded, deaths of unknown cause, a DFS
/// (PFS) without any recurrence (progression) date. Such an endpoint is computed all the same; the warning says what it
/// really measures.
/// </summary>
/// <param name="Endpoint">The endpoint concerned.</param>
/// <param name="Code">A stable code: <c>dss-without-cause</c>, <c>dss-unknown-cause</c>, <c>dfs-without-recurrence</c>,
/// <c>pfs-without-progression</c>.</param>
/// <param name="Deaths">Deaths among the patients checked (DSS codes).</param>
/// <param name="UnknownCause">Deaths of unknown cause (DSS codes).</param>
/// <param name="Field">The date field none of the patients has (DFS, PFS), or null.</param>
public sealed record EndpointDataWarning(Endpoint Endpoint, string Code, int Deaths, int UnknownCause, string? Field)
{
    /// <summary>The warning's text.</summary>
    /// <param name="name">What the endpoint is called where the warning is read ("DSS", or a protocol's "CSS").</param>
    /// <param name="unknownCause">How deaths of unknown cause enter DSS.</param>
    /// <param name="patients">Who was checked: "patient", or "analysed patient" in a report of the selected cohort.</param>
    public string Message(string name, UnknownCauseOfDeath unknownCause, string patients = "patient") => Code switch
    {
        "dss-without-cause" => string.Create(CultureInfo.InvariantCulture, $"{name} has no cause-of-death data behind it: none of the {Deaths} deaths has a cause (sarcoma or other) recorded, so every death is censored or left out. A \"{name}\" from such data measures nothing; record the cause of death, or analyse OS."),
        "dss-unknown-cause" => string.Create(CultureInfo.InvariantCulture, $"{name}: {UnknownCause} of {Deaths} deaths have an unknown cause and are ")
            + unknownCause switch
            {
                UnknownCauseOfDeath.CensorAtDeath => "censored at death (competing-risk flag 2).",
                UnknownCauseOfDeath.Event => "counted as deaths from sarcoma (events, competing-risk flag 1).",
                _ => $"left out of {name} analyses.",
            },
        _ => $"{name} has no {Field!.Replace('_', ' ')} data behind it: no {patients} has a {Field}, so {name} counts deaths only and equals overall survival.",
    };
}

/// <summary>Checks that the data behind DSS, DFS and PFS exist (shared by the derivation and the report).</summary>
public static class EndpointDataCheck
{
    /// <summary>
    /// The warnings for <paramref name="patients"/>: DSS when some died and none has a cause of death, or some deaths
    /// have an unknown cause; DFS (PFS) when no patient has a recurrence (progression) date.
    /// </summary>
    /// <param name="patients">The derived patients to check (the whole cohort, or the analysed one).</param>
    /// <param name="options">The derivation options; a DSS of any cause (<see cref="DssDefinition.AnyCause"/>)
    /// needs no cause of death, so it gets no DSS warning.</param>
    public static IReadOnlyList<EndpointDataWarning> Check(IReadOnlyCollection<DerivedPatient> patients, DerivationOptions? options = null)
    {
        bool causeSpecific = (options?.DssDefinition ?? DssDefinition.CauseSpecific) == DssDefinition.CauseSpecific;
        ArgumentNullException.ThrowIfNull(patients);
        var warnings = new List<EndpointDataWarning>();
        int deaths = 0, withCause = 0, unknown = 0;
        foreach (var p in patients)
        {
            if (p.Patient.VitalStatus != Codes.VitalStatus.Dead)
            {
                continue;
            }

            deaths++;
            switch (p.Patient.CauseOfDeath)
            {
                case Codes.CauseOfDeath.Sarcoma or Codes.CauseOfDeath.Other:
                    withCause++;
                    break;
                case Codes.CauseOfDeath.Unknown:
                    unknown++;
                    break;
            }
        }

        // A DSS of any cause gets no DSS warning: every death is an event, whatever its cause.
        if (causeSpecific && deaths > 0 && withCause == 0)
        {
            warnings.Add(new(Endpoint.DiseaseSpecificSurvival, "dss-without-cause", deaths, unknown, null));
        }
        else if (causeSpecific && unknown > 0)
        {
            warnings.Add(new(Endpoint.DiseaseSpecificSurvival, "dss-unknown-cause", deaths, unknown, null));
        }

        // DFS and PFS count recurrence (progression) or death: with no such date anywhere they are overall survival.
        if (patients.Count > 0 && patients.All(p => p.Patient.RecurrenceDate is null))
        {
            warnings.Add(new(Endpoint.DiseaseFreeSurvival, "dfs-without-recurrence", deaths, unknown, "recurrence_date"));
        }

        if (patients.Count > 0 && patients.All(p => p.Patient.ProgressionDate is null))
        {
            warnings.Add(new(Endpoint.ProgressionFreeSurvival, "pfs-without-progression", deaths, unknown, "progression_date"));
        }

        return warnings;
    }
}
