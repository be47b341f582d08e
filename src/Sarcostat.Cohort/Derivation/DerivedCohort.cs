using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// A cohort after derivation: one <see cref="DerivedPatient"/> per patient (input order), the patients for whom an
/// endpoint cannot be derived (with reasons), the derived numbers that are missing (with reasons), and warnings
/// about the endpoints' data. Built by <see cref="CohortDerivation.Derive"/>; <see cref="DataFor"/> gives one
/// endpoint's data (time, status and the patients in the same order), which the study turns into the engine's survival
/// response (the Cohort layer does not know the engine).
/// </summary>
public sealed class DerivedCohort
{
    private readonly Dictionary<string, DerivedPatient> _byId;

    /// <summary>Assembles a derived cohort (normally from <see cref="CohortDerivation.Derive"/>).</summary>
    /// <param name="patients">The derived patients, study ids unique.</param>
    /// <param name="underivable">Endpoints that could not be derived.</param>
    /// <param name="missingValues">Derived numbers that are missing.</param>
    /// <param name="options">The options they were derived with.</param>
    /// <param name="warnings">Warnings about the data behind the endpoints.</param>
    /// <exception cref="ArgumentException">A study id occurs twice.</exception>
    public DerivedCohort(
        IReadOnlyList<DerivedPatient> patients,
        IReadOnlyList<UnderivablePatient> underivable,
        IReadOnlyList<MissingDerivedValue> missingValues,
        DerivationOptions options,
        IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(underivable);
        ArgumentNullException.ThrowIfNull(missingValues);
        ArgumentNullException.ThrowIfNull(options);
        _byId = new Dictionary<string, DerivedPatient>(patients.Count, StringComparer.Ordinal);
        foreach (var p in patients)
        {
            if (!_byId.TryAdd(p.StudyId, p))
            {
                throw new ArgumentException($"Study id '{p.StudyId}' occurs twice; a cohort has one record per patient.", nameof(patients));
            }
        }

        Patients = patients;
        Underivable = underivable;
        MissingValues = missingValues;
        Options = options;
        Warnings = warnings ?? [];
        CategoryNames = [.. DerivedNames.Categories, .. options.CutPoints.Select(c => c.VariableName)];
    }

    /// <summary>The derived patients, in input order.</summary>
    public IReadOnlyList<DerivedPatient> Patients { get; }

    /// <summary>Every (patient, endpoint) that could not be derived, with the reason; patient order, then endpoint order.</summary>
    public IReadOnlyList<UnderivablePatient> Underivable { get; }

    /// <summary>Every derived number (age, DFI, follow-up) that is missing, with the reason.</summary>
    public IReadOnlyList<MissingDerivedValue> MissingValues { get; }

    /// <summary>The options of the derivation (time unit, analysis date, unknown cause, cut points).</summary>
    public DerivationOptions Options { get; }

    /// <summary>Warnings about the data behind the endpoints (e.g. a DSS with no cause of death recorded).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The names of the categorical derived values: built-in categories, then cut points.</summary>
    public IReadOnlyList<string> CategoryNames { get; }

    /// <summary>Number of patients.</summary>
    public int Count => Patients.Count;

    /// <summary>The patient with this study id, or null.</summary>
    public DerivedPatient? Find(string studyId) => _byId.TryGetValue(studyId, out var p) ? p : null;

    /// <summary>The patients for whom <paramref name="endpoint"/> cannot be derived, with reasons.</summary>
    public IReadOnlyList<UnderivablePatient> UnderivableFor(Endpoint endpoint) =>
        Underivable.Where(u => u.Endpoint == endpoint).ToList();

    /// <summary>Number of patients with a derived value of <paramref name="endpoint"/>.</summary>
    public int CountDerivable(Endpoint endpoint) => Patients.Count(p => p.Endpoints.ContainsKey(endpoint));

    /// <summary>
    /// The type of the value called <paramref name="name"/> (<see cref="DerivedPatient.Value"/>): derived numbers
    /// and endpoint values are <see cref="FieldType.Number"/>, categorical derived values <see cref="FieldType.Code"/>,
    /// fields their dictionary type; null when no value has this name.
    /// </summary>
    public FieldType? TypeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (DerivedNames.Numbers.Contains(name) || DerivedNames.EndpointValues.Contains(name))
        {
            return FieldType.Number;
        }

        if (CategoryNames.Contains(name))
        {
            return FieldType.Code;
        }

        if ((FieldAccess.PatientFields.Contains(name) || FieldAccess.MetastasectomyFields.Contains(name))
            && DataDictionary.Default.TryGet(name, out var field))
        {
            return field.Type;
        }

        return null;
    }

    /// <summary>
    /// The data of one endpoint: the patients for whom <paramref name="endpoint"/> could be derived, as parallel arrays
    /// in cohort order, with the patients left out (and why). (Formerly <c>ToSurvivalData</c>, a name that said the
    /// engine's type; it returns <see cref="EndpointData"/>.)
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined endpoint.</exception>
    public EndpointData DataFor(Endpoint endpoint)
    {
        if (!Enum.IsDefined(endpoint))
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "Unknown endpoint.");
        }

        var kept = Patients.Where(p => p.Endpoints.ContainsKey(endpoint)).ToList();
        var outcomes = kept.Select(p => p.Endpoints[endpoint]).ToList();
        bool dss = endpoint == Endpoint.DiseaseSpecificSurvival;
        return new EndpointData
        {
            Endpoint = endpoint,
            Unit = Options.TimeUnit,
            Definition = Endpoints.Definition(endpoint, Options),
            StudyIds = kept.Select(p => p.StudyId).ToList(),
            Patients = kept,
            Time = outcomes.Select(o => o.Time).ToArray(),
            Status = outcomes.Select(o => o.Event).ToArray(),
            Event = outcomes.Select(o => o.IsEvent).ToArray(),
            CompetingStatus = dss ? outcomes.Select(o => o.CompetingEvent ?? 0).ToArray() : null,
            LeftOut = UnderivableFor(endpoint),
        };
    }

    /// <summary>
    /// The cohort restricted to the patients <paramref name="keep"/> accepts (order kept); the underivable and
    /// missing-value lists are restricted to them too. Options and warnings are carried over.
    /// </summary>
    public DerivedCohort Subset(Func<DerivedPatient, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var kept = Patients.Where(keep).ToList();
        var ids = new HashSet<string>(kept.Select(p => p.StudyId), StringComparer.Ordinal);
        return new DerivedCohort(
            kept,
            Underivable.Where(u => ids.Contains(u.StudyId)).ToList(),
            MissingValues.Where(m => ids.Contains(m.StudyId)).ToList(),
            Options,
            Warnings);
    }

    /// <summary>The size and the derivable count per endpoint: <c>DerivedCohort(n=66, OS=66, DSS=64, DFS=66, PFS=66)</c>.</summary>
    public override string ToString()
    {
        var parts = Endpoints.All.Select(e => string.Create(CultureInfo.InvariantCulture, $"{Endpoints.Abbreviation(e)}={CountDerivable(e)}"));
        return string.Create(CultureInfo.InvariantCulture, $"DerivedCohort(n={Count}, {string.Join(", ", parts)})");
    }
}
