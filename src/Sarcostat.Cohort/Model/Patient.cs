namespace Sarcostat.Cohort;

/// <summary>Where a value came from: a file and a spreadsheet row (the header is row 1), and the source database.</summary>
/// <param name="File">File name as given by the user.</param>
/// <param name="Row">Row number as a spreadsheet shows it.</param>
/// <param name="Column">Source column name, when known.</param>
/// <param name="Source">Source database (mapping) name, when known.</param>
public sealed record SourceLocation(string File, int Row, string? Column = null, string? Source = null);

/// <summary>
/// One patient of a cohort, in the dictionary's terms (field names in comments). Code fields hold the dictionary's
/// codes (see <see cref="Codes"/>); null means missing. Identifying values never reach this type.
/// </summary>
public sealed record Patient
{
    /// <summary>study_id: pseudonymous identifier.</summary>
    public required string StudyId { get; init; }

    /// <summary>site.</summary>
    public string? Site { get; init; }

    /// <summary>source: the source database(s), comma-joined after a merge.</summary>
    public string? Source { get; init; }

    /// <summary>sex: male | female.</summary>
    public string? Sex { get; init; }

    /// <summary>birth_date.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>age_at_pm (years), when given directly.</summary>
    public double? AgeAtPm { get; init; }

    /// <summary>ecog (0-4).</summary>
    public int? Ecog { get; init; }

    /// <summary>smoking: never | former | current.</summary>
    public string? Smoking { get; init; }

    /// <summary>diabetes.</summary>
    public bool? Diabetes { get; init; }

    /// <summary>hypertension.</summary>
    public bool? Hypertension { get; init; }

    /// <summary>other_cancer.</summary>
    public bool? OtherCancer { get; init; }

    /// <summary>comorbidity_note.</summary>
    public string? ComorbidityNote { get; init; }

    /// <summary>histology: WHO 5th-edition code.</summary>
    public string? Histology { get; init; }

    /// <summary>tissue: bone | soft_tissue.</summary>
    public string? Tissue { get; init; }

    /// <summary>grade: 1 | 2 | 3 | unknown.</summary>
    public string? Grade { get; init; }

    /// <summary>primary_site.</summary>
    public string? PrimarySite { get; init; }

    /// <summary>primary_size_cm.</summary>
    public double? PrimarySizeCm { get; init; }

    /// <summary>primary_surgery_date.</summary>
    public DateOnly? PrimarySurgeryDate { get; init; }

    /// <summary>primary_margin: R0 | R1 | R2 | unknown.</summary>
    public string? PrimaryMargin { get; init; }

    /// <summary>local_recurrence_at_pm.</summary>
    public bool? LocalRecurrenceAtPm { get; init; }

    /// <summary>lung_met_date: first detection of the lung metastasis.</summary>
    public DateOnly? LungMetastasisDate { get; init; }

    /// <summary>synchronous.</summary>
    public bool? Synchronous { get; init; }

    /// <summary>nodules at the first metastasectomy.</summary>
    public int? Nodules { get; init; }

    /// <summary>laterality: unilateral | bilateral.</summary>
    public string? Laterality { get; init; }

    /// <summary>largest_nodule_mm.</summary>
    public double? LargestNoduleMm { get; init; }

    /// <summary>chemotherapy: none | pre | post | both.</summary>
    public string? Chemotherapy { get; init; }

    /// <summary>recist: CR | PR | SD | PD.</summary>
    public string? Recist { get; init; }

    /// <summary>ctcae_grade (0-5).</summary>
    public int? CtcaeGrade { get; init; }

    /// <summary>last_contact_date.</summary>
    public DateOnly? LastContactDate { get; init; }

    /// <summary>vital_status: alive | dead.</summary>
    public string? VitalStatus { get; init; }

    /// <summary>death_date.</summary>
    public DateOnly? DeathDate { get; init; }

    /// <summary>cause_of_death: sarcoma | other | unknown.</summary>
    public string? CauseOfDeath { get; init; }

    /// <summary>recurrence_date: first recurrence after metastasectomy.</summary>
    public DateOnly? RecurrenceDate { get; init; }

    /// <summary>progression_date.</summary>
    public DateOnly? ProgressionDate { get; init; }

    /// <summary>The metastasectomies, in date order.</summary>
    public IReadOnlyList<Metastasectomy> Procedures { get; init; } = [];

    /// <summary>Where each field's value came from (field name -> location), for problem reports.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Origins { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>The date of the first metastasectomy: the time origin of every endpoint.</summary>
    public DateOnly? FirstMetastasectomyDate => Procedures.Count == 0 ? null : Procedures.Min(p => p.Date);

    /// <summary>The first metastasectomy, or null.</summary>
    public Metastasectomy? FirstMetastasectomy => Procedures.Count == 0 ? null : Procedures.MinBy(p => p.Date);

    /// <summary>Where a field of this patient came from, or null.</summary>
    public SourceLocation? Locate(string field) => Origins.TryGetValue(field, out var l) ? l : null;

    /// <summary>Never prints identifying data: the study id and the number of procedures only.</summary>
    public override string ToString() => $"Patient({StudyId}, procedures={Procedures.Count})";
}

/// <summary>One pulmonary metastasectomy (a row of the procedures table).</summary>
public sealed record Metastasectomy
{
    /// <summary>pm_date.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>indication: initial | staged | recurrence (why the metastasectomy was done).</summary>
    public string? Indication { get; init; }

    /// <summary>side: left | right | bilateral.</summary>
    public string? Side { get; init; }

    /// <summary>approach: vats | uniportal_vats | thoracotomy | sternotomy | robotic.</summary>
    public string? Approach { get; init; }

    /// <summary>anaesthesia: intubated | non_intubated.</summary>
    public string? Anaesthesia { get; init; }

    /// <summary>resection: wedge | segmentectomy | lobectomy | bilobectomy | pneumonectomy.</summary>
    public string? Resection { get; init; }

    /// <summary>nodules_resected.</summary>
    public int? NodulesResected { get; init; }

    /// <summary>complete_resection.</summary>
    public bool? CompleteResection { get; init; }

    /// <summary>margin: R0 | R1 | R2 | unknown.</summary>
    public string? Margin { get; init; }

    /// <summary>hospital_stay_days.</summary>
    public int? HospitalStayDays { get; init; }

    /// <summary>icu_stay_days.</summary>
    public double? IcuStayDays { get; init; }

    /// <summary>clavien_dindo: none | I | II | IIIa | IIIb | IVa | IVb | V.</summary>
    public string? ClavienDindo { get; init; }

    /// <summary>complication type.</summary>
    public string? Complication { get; init; }

    /// <summary>mortality_30d.</summary>
    public bool? Mortality30d { get; init; }

    /// <summary>Where this row came from.</summary>
    public SourceLocation? Origin { get; init; }

    /// <summary>Sublobar resection: wedge or segmentectomy.</summary>
    public bool? IsSublobar => Resection is null ? null : Resection is Codes.Resection.Wedge or Codes.Resection.Segmentectomy;

    /// <summary>Anatomical resection: segmentectomy or larger.</summary>
    public bool? IsAnatomical => Resection is null ? null : Resection != Codes.Resection.Wedge;
}
