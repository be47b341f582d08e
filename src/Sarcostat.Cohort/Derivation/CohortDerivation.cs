using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>Derives the analysis variables and endpoints of a cohort (docs/endpoints.md).</summary>
public static class CohortDerivation
{
    /// <summary>
    /// Derives, for every patient, the age at PM, the disease-free interval, the follow-up time, the four endpoints,
    /// the built-in categories and the declared cut points; lists every endpoint that cannot be derived and every
    /// derived number that is missing, with the reason.
    /// </summary>
    /// <param name="patients">The cohort, one record per patient (study ids unique).</param>
    /// <param name="options">Options; null for the defaults (months, no cut-off, unknown cause censored, the papers' cut points).</param>
    /// <remarks>Pure: no clock, no I/O; O(n) in the number of patients times the number of cut points.</remarks>
    /// <exception cref="ArgumentException">
    /// A study id occurs twice; a cut point is incomplete, cuts a variable that is not numeric or does not exist, or
    /// its name is taken (by another cut point, a derived variable or a dictionary field).
    /// </exception>
    public static DerivedCohort Derive(IReadOnlyList<Patient> patients, DerivationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patients);
        options ??= new DerivationOptions();
        if (!Enum.IsDefined(options.TimeUnit))
        {
            throw new ArgumentException($"Time unit {options.TimeUnit} is not defined.", nameof(options));
        }

        ValidateCutPoints(options.CutPoints);

        var derived = new List<DerivedPatient>(patients.Count);
        var underivable = new List<UnderivablePatient>();
        var missing = new List<MissingDerivedValue>();
        foreach (var patient in patients)
        {
            ArgumentNullException.ThrowIfNull(patient, nameof(patients));
            var endpoints = new Dictionary<Endpoint, EndpointOutcome>();
            string? osReason = null;
            foreach (var e in Endpoints.All)
            {
                var r = DerivationRules.DeriveEndpoint(patient, e, options);
                if (r.Outcome is { } o)
                {
                    endpoints[e] = o;
                }
                else
                {
                    underivable.Add(new UnderivablePatient(patient.StudyId, e, r.Reason!));
                    osReason ??= e == Endpoint.OverallSurvival ? r.Reason : null;
                }
            }

            var age = DerivationRules.AgeAtPm(patient);
            var dfi = DerivationRules.DfiMonths(patient);
            var followUp = endpoints.TryGetValue(Endpoint.OverallSurvival, out var os)
                ? DerivedNumber.Of(os.Time)
                : DerivedNumber.Missing(osReason!); // follow-up is OS time: missing for the same reason
            Note(missing, patient.StudyId, DerivedNames.AgeAtPm, age);
            Note(missing, patient.StudyId, DerivedNames.DfiMonths, dfi);
            Note(missing, patient.StudyId, DerivedNames.FollowUp, followUp);

            var categories = new Dictionary<string, string?>(DerivationRules.Categories(patient), StringComparer.Ordinal);
            var partial = new DerivedPatient
            {
                Patient = patient,
                AgeAtPm = age.Value,
                DfiMonths = dfi.Value,
                FollowUp = followUp.Value,
                Endpoints = endpoints,
                Categories = categories,
            };
            foreach (var cut in options.CutPoints)
            {
                categories[cut.VariableName] = cut.Categorise(AsNumber(partial.Value(cut.Field), cut));
            }

            derived.Add(partial);
        }

        return new DerivedCohort(derived, underivable, missing, options, Warn(derived, options));
    }

    private static void Note(List<MissingDerivedValue> missing, string studyId, string variable, DerivedNumber value)
    {
        if (value.Reason is { } reason)
        {
            missing.Add(new MissingDerivedValue(studyId, variable, reason));
        }
    }

    private static double? AsNumber(object? value, CutPoint cut) => value switch
    {
        null => null,
        double d => d,
        int i => i,
        _ => throw new ArgumentException($"Cut point '{cut.VariableName}' cuts '{cut.Field}', which is not a number.", nameof(cut)),
    };

    private static void ValidateCutPoints(IReadOnlyList<CutPoint> cutPoints)
    {
        ArgumentNullException.ThrowIfNull(cutPoints);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cut in cutPoints)
        {
            ArgumentNullException.ThrowIfNull(cut, nameof(cutPoints));
            cut.Validate();
            var name = cut.VariableName;
            bool taken = DerivedNames.Categories.Contains(name) || DerivedNames.Numbers.Contains(name)
                || DerivedNames.EndpointValues.Contains(name) || DataDictionary.Default.TryGet(name, out _);
            if (taken || !names.Add(name))
            {
                throw new ArgumentException(
                    $"Cut point name '{name}' is already taken (by another cut point, a derived variable or a dictionary field); give it another Name.",
                    nameof(cutPoints));
            }

            bool numeric = DerivedNames.Numbers.Contains(cut.Field)
                || (DataDictionary.Default.TryGet(cut.Field, out var field) && field.Type is FieldType.Integer or FieldType.Number);
            if (!numeric)
            {
                throw new ArgumentException(
                    $"Cut point '{name}' cuts '{cut.Field}', which is not a numeric field or derived number "
                    + $"({string.Join(", ", DerivedNames.Numbers)}, or an integer or number field of the data dictionary).",
                    nameof(cutPoints));
            }
        }
    }

    private static List<string> Warn(List<DerivedPatient> derived, DerivationOptions options) =>
        EndpointDataCheck.Check(derived, options).Select(w => w.Message(Endpoints.Abbreviation(w.Endpoint), options.UnknownCause)).ToList();
}
