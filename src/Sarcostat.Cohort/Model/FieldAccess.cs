namespace Sarcostat.Cohort;

/// <summary>
/// Reads and writes model properties by dictionary field name (<c>"primary_site"</c>), without reflection: the one
/// bridge between the data dictionary's names and the typed <see cref="Patient"/> and <see cref="Metastasectomy"/>.
/// Values are boxed as the field type implies: string (text, code), int (integer), double (number), DateOnly (date),
/// bool (boolean); null for missing.
/// </summary>
public static class FieldAccess
{
    /// <summary>The value of a patient field, or null when missing.</summary>
    /// <exception cref="ArgumentException">No such field in the patient record.</exception>
    public static object? Get(Patient p, string field)
    {
        ArgumentNullException.ThrowIfNull(p);
        return field switch
        {
            "study_id" => p.StudyId,
            "site" => p.Site,
            "source" => p.Source,
            "sex" => p.Sex,
            "birth_date" => p.BirthDate,
            "age_at_pm" => p.AgeAtPm,
            "ecog" => p.Ecog,
            "smoking" => p.Smoking,
            "diabetes" => p.Diabetes,
            "hypertension" => p.Hypertension,
            "other_cancer" => p.OtherCancer,
            "comorbidity_note" => p.ComorbidityNote,
            "histology" => p.Histology,
            "tissue" => p.Tissue,
            "grade" => p.Grade,
            "primary_site" => p.PrimarySite,
            "primary_size_cm" => p.PrimarySizeCm,
            "primary_surgery_date" => p.PrimarySurgeryDate,
            "primary_margin" => p.PrimaryMargin,
            "local_recurrence_at_pm" => p.LocalRecurrenceAtPm,
            "lung_met_date" => p.LungMetastasisDate,
            "synchronous" => p.Synchronous,
            "nodules" => p.Nodules,
            "laterality" => p.Laterality,
            "largest_nodule_mm" => p.LargestNoduleMm,
            "chemotherapy" => p.Chemotherapy,
            "recist" => p.Recist,
            "ctcae_grade" => p.CtcaeGrade,
            "last_contact_date" => p.LastContactDate,
            "vital_status" => p.VitalStatus,
            "death_date" => p.DeathDate,
            "cause_of_death" => p.CauseOfDeath,
            "recurrence_date" => p.RecurrenceDate,
            "progression_date" => p.ProgressionDate,
            _ => throw new ArgumentException($"'{field}' is not a field of the patient record.", nameof(field)),
        };
    }

    /// <summary>The names of the patient fields this accessor knows, in model order.</summary>
    public static IReadOnlyList<string> PatientFields { get; } =
    [
        "study_id",
        "site",
        "source",
        "sex",
        "birth_date",
        "age_at_pm",
        "ecog",
        "smoking",
        "diabetes",
        "hypertension",
        "other_cancer",
        "comorbidity_note",
        "histology",
        "tissue",
        "grade",
        "primary_site",
        "primary_size_cm",
        "primary_surgery_date",
        "primary_margin",
        "local_recurrence_at_pm",
        "lung_met_date",
        "synchronous",
        "nodules",
        "laterality",
        "largest_nodule_mm",
        "chemotherapy",
        "recist",
        "ctcae_grade",
        "last_contact_date",
        "vital_status",
        "death_date",
        "cause_of_death",
        "recurrence_date",
        "progression_date",
    ];

    /// <summary>
    /// Builds a patient from field values (missing keys are null). Values must already have the field's type.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown field, a value of the wrong type, or a missing required field.</exception>
    public static Patient BuildPatient(IReadOnlyDictionary<string, object?> values, IReadOnlyList<Metastasectomy> procedures, IReadOnlyDictionary<string, SourceLocation> origins)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var key in values.Keys)
        {
            if (!PatientFields.Contains(key))
            {
                throw new ArgumentException($"'{key}' is not a field of the patient record.", nameof(values));
            }
        }

        return new Patient
        {
            StudyId = Value<string>(values, "study_id") ?? throw new ArgumentException("The study_id field is required.", nameof(values)),
            Site = Value<string>(values, "site"),
            Source = Value<string>(values, "source"),
            Sex = Value<string>(values, "sex"),
            BirthDate = Struct<DateOnly>(values, "birth_date"),
            AgeAtPm = Struct<double>(values, "age_at_pm"),
            Ecog = Struct<int>(values, "ecog"),
            Smoking = Value<string>(values, "smoking"),
            Diabetes = Struct<bool>(values, "diabetes"),
            Hypertension = Struct<bool>(values, "hypertension"),
            OtherCancer = Struct<bool>(values, "other_cancer"),
            ComorbidityNote = Value<string>(values, "comorbidity_note"),
            Histology = Value<string>(values, "histology"),
            Tissue = Value<string>(values, "tissue"),
            Grade = Value<string>(values, "grade"),
            PrimarySite = Value<string>(values, "primary_site"),
            PrimarySizeCm = Struct<double>(values, "primary_size_cm"),
            PrimarySurgeryDate = Struct<DateOnly>(values, "primary_surgery_date"),
            PrimaryMargin = Value<string>(values, "primary_margin"),
            LocalRecurrenceAtPm = Struct<bool>(values, "local_recurrence_at_pm"),
            LungMetastasisDate = Struct<DateOnly>(values, "lung_met_date"),
            Synchronous = Struct<bool>(values, "synchronous"),
            Nodules = Struct<int>(values, "nodules"),
            Laterality = Value<string>(values, "laterality"),
            LargestNoduleMm = Struct<double>(values, "largest_nodule_mm"),
            Chemotherapy = Value<string>(values, "chemotherapy"),
            Recist = Value<string>(values, "recist"),
            CtcaeGrade = Struct<int>(values, "ctcae_grade"),
            LastContactDate = Struct<DateOnly>(values, "last_contact_date"),
            VitalStatus = Value<string>(values, "vital_status"),
            DeathDate = Struct<DateOnly>(values, "death_date"),
            CauseOfDeath = Value<string>(values, "cause_of_death"),
            RecurrenceDate = Struct<DateOnly>(values, "recurrence_date"),
            ProgressionDate = Struct<DateOnly>(values, "progression_date"),
            Procedures = procedures ?? [],
            Origins = origins ?? new Dictionary<string, SourceLocation>(),
        };
    }

    /// <summary>The value of a metastasectomy field, or null when missing.</summary>
    /// <exception cref="ArgumentException">No such field in the metastasectomy record.</exception>
    public static object? Get(Metastasectomy m, string field)
    {
        ArgumentNullException.ThrowIfNull(m);
        return field switch
        {
            "pm_date" => m.Date,
            "indication" => m.Indication,
            "side" => m.Side,
            "approach" => m.Approach,
            "anaesthesia" => m.Anaesthesia,
            "resection" => m.Resection,
            "nodules_resected" => m.NodulesResected,
            "complete_resection" => m.CompleteResection,
            "margin" => m.Margin,
            "hospital_stay_days" => m.HospitalStayDays,
            "icu_stay_days" => m.IcuStayDays,
            "clavien_dindo" => m.ClavienDindo,
            "complication" => m.Complication,
            "mortality_30d" => m.Mortality30d,
            _ => throw new ArgumentException($"'{field}' is not a field of the metastasectomy record.", nameof(field)),
        };
    }

    /// <summary>The names of the metastasectomy fields this accessor knows, in model order.</summary>
    public static IReadOnlyList<string> MetastasectomyFields { get; } =
    [
        "pm_date",
        "indication",
        "side",
        "approach",
        "anaesthesia",
        "resection",
        "nodules_resected",
        "complete_resection",
        "margin",
        "hospital_stay_days",
        "icu_stay_days",
        "clavien_dindo",
        "complication",
        "mortality_30d",
    ];

    /// <summary>
    /// Builds a metastasectomy from field values (missing keys are null). Values must already have the field's type.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown field, a value of the wrong type, or a missing required field.</exception>
    public static Metastasectomy BuildMetastasectomy(IReadOnlyDictionary<string, object?> values, SourceLocation? origin)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var key in values.Keys)
        {
            if (!MetastasectomyFields.Contains(key))
            {
                throw new ArgumentException($"'{key}' is not a field of the metastasectomy record.", nameof(values));
            }
        }

        return new Metastasectomy
        {
            Date = Struct<DateOnly>(values, "pm_date") ?? throw new ArgumentException("The pm_date field is required.", nameof(values)),
            Indication = Value<string>(values, "indication"),
            Side = Value<string>(values, "side"),
            Approach = Value<string>(values, "approach"),
            Anaesthesia = Value<string>(values, "anaesthesia"),
            Resection = Value<string>(values, "resection"),
            NodulesResected = Struct<int>(values, "nodules_resected"),
            CompleteResection = Struct<bool>(values, "complete_resection"),
            Margin = Value<string>(values, "margin"),
            HospitalStayDays = Struct<int>(values, "hospital_stay_days"),
            IcuStayDays = Struct<double>(values, "icu_stay_days"),
            ClavienDindo = Value<string>(values, "clavien_dindo"),
            Complication = Value<string>(values, "complication"),
            Mortality30d = Struct<bool>(values, "mortality_30d"),
            Origin = origin,
        };
    }

    private static T? Value<T>(IReadOnlyDictionary<string, object?> values, string key)
        where T : class =>
        !values.TryGetValue(key, out var v) || v is null ? null
        : v as T ?? throw new ArgumentException($"Field '{key}' needs a {typeof(T).Name}, got {v.GetType().Name}.", nameof(values));

    private static T? Struct<T>(IReadOnlyDictionary<string, object?> values, string key)
        where T : struct =>
        !values.TryGetValue(key, out var v) || v is null ? null
        : v is T t ? t : throw new ArgumentException($"Field '{key}' needs a {typeof(T).Name}, got {v.GetType().Name}.", nameof(values));
}
