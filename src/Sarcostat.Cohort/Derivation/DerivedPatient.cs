using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// One patient with the derived numbers, the endpoints that could be derived, and the categorical derived values
/// (built-in categories and cut points) by name. <see cref="Value"/> reads any of them, or any dictionary field, by name.
/// </summary>
public sealed record DerivedPatient
{
    /// <summary>The patient record the values were derived from.</summary>
    public required Patient Patient { get; init; }

    /// <summary>The patient's study id.</summary>
    public string StudyId => Patient.StudyId;

    /// <summary>The time origin: the date of the first metastasectomy, or null.</summary>
    public DateOnly? FirstPmDate => Patient.FirstMetastasectomyDate;

    /// <summary>Age at the first PM in years, or null (<see cref="DerivationRules.AgeAtPm"/>).</summary>
    public double? AgeAtPm { get; init; }

    /// <summary>Disease-free interval in months, or null (<see cref="DerivationRules.DfiMonths"/>).</summary>
    public double? DfiMonths { get; init; }

    /// <summary>Follow-up from the first PM in the derivation's time unit, or null (<see cref="DerivationRules.FollowUp"/>).</summary>
    public double? FollowUp { get; init; }

    /// <summary>The endpoints that could be derived; an endpoint absent here is listed as underivable in the cohort.</summary>
    public IReadOnlyDictionary<Endpoint, EndpointOutcome> Endpoints { get; init; } = new Dictionary<Endpoint, EndpointOutcome>();

    /// <summary>Categorical derived values by name (built-in categories, then cut points); null value = missing.</summary>
    public IReadOnlyDictionary<string, string?> Categories { get; init; } = new Dictionary<string, string?>();

    /// <summary>The patient's value of <paramref name="endpoint"/>, or null when it cannot be derived.</summary>
    public EndpointOutcome? Outcome(Endpoint endpoint) => Endpoints.TryGetValue(endpoint, out var o) ? o : null;

    /// <summary>
    /// The value called <paramref name="name"/>, boxed: an endpoint value (<c>os_time</c> double, <c>os_event</c>
    /// int, <c>dss_competing</c> int), a derived number (<c>age_at_pm</c>, <c>dfi_months</c>, <c>follow_up</c>:
    /// double), a categorical derived value (string), a patient field (<see cref="FieldAccess.Get(Patient, string)"/>),
    /// or a procedure field read from the first metastasectomy (<c>pm_date</c> is the first PM date). Null = missing.
    /// </summary>
    /// <exception cref="ArgumentException">No value has this name.</exception>
    public object? Value(string name) =>
        TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"'{name}' is neither a derived variable nor a field of the data dictionary.", nameof(name));

    /// <summary>Reads a value by name as <see cref="Value"/> does; false when no value has this name.</summary>
    public bool TryGetValue(string name, out object? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        value = null;
        foreach (var e in Derivation.Endpoints.All)
        {
            if (name == DerivedNames.TimeOf(e))
            {
                value = Outcome(e)?.Time;
                return true;
            }

            if (name == DerivedNames.EventOf(e))
            {
                value = Outcome(e)?.Event;
                return true;
            }
        }

        switch (name)
        {
            case DerivedNames.DssCompeting:
                value = Outcome(Endpoint.DiseaseSpecificSurvival)?.CompetingEvent;
                return true;
            case DerivedNames.AgeAtPm:
                value = AgeAtPm;
                return true;
            case DerivedNames.DfiMonths:
                value = DfiMonths;
                return true;
            case DerivedNames.FollowUp:
                value = FollowUp;
                return true;
            case DerivedNames.Metastasectomies:
                value = (double)Patient.Procedures.Count;
                return true;
            case "pm_date":
                value = FirstPmDate;
                return true;
        }

        if (Categories.TryGetValue(name, out var category))
        {
            value = category;
            return true;
        }

        if (FieldAccess.PatientFields.Contains(name))
        {
            value = FieldAccess.Get(Patient, name);
            return true;
        }

        if (FieldAccess.MetastasectomyFields.Contains(name))
        {
            var first = Patient.FirstMetastasectomy;
            value = first is null ? null : FieldAccess.Get(first, name);
            return true;
        }

        return false;
    }

    /// <summary>The study id and the endpoints, never identifying data: <c>DerivedPatient(P001, OS=(29.963039, 1))</c>.</summary>
    public override string ToString()
    {
        var parts = Derivation.Endpoints.All
            .Where(Endpoints.ContainsKey)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"{Derivation.Endpoints.Abbreviation(e)}={Endpoints[e]}"));
        return $"DerivedPatient({string.Join(", ", new[] { StudyId }.Concat(parts))})";
    }
}
