using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// Everything the simulator needs to generate a cohort like a published one: the marginal distributions of its tables,
/// the generating Cox model and its survival target, the accrual window, the data cut-off and the censoring. A null
/// model means the paper does not report the field, and the field is left empty. docs/simulation.md lists every number
/// of the two built-in specs (<see cref="SimulationSpecs"/>) with the table it comes from.
/// </summary>
public sealed record SimulationSpec
{
    /// <summary>Short name (<c>chang2024</c>), used by <c>sarcostat simulate --like</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The paper the spec follows (citation).</summary>
    public required string Paper { get; init; }

    /// <summary>The paper's cohort size, the default n.</summary>
    public required int DefaultSize { get; init; }

    /// <summary>Prefix of the generated study ids (<c>CH</c> gives <c>CH-0001</c>).</summary>
    public required string StudyIdPrefix { get; init; }

    /// <summary>Which endpoint the Cox model generates.</summary>
    public required SimulatedEndpoint Endpoint { get; init; }

    // ------------------------------------------------------------------ follow-up

    /// <summary>First possible date of the first metastasectomy (accrual is uniform over the window).</summary>
    public required DateOnly AccrualStart { get; init; }

    /// <summary>Last possible date of the first metastasectomy.</summary>
    public required DateOnly AccrualEnd { get; init; }

    /// <summary>The data cut-off: administrative censoring date, an explicit value (never "today").</summary>
    public required DateOnly DataCutoff { get; init; }

    /// <summary>Annual probability of loss to follow-up (exponential; rate = −ln(1 − p) / 12 per month).</summary>
    public required double LossToFollowUpPerYear { get; init; }

    /// <summary>Overall survival: share of the deaths labelled cause "other" (the rest "sarcoma").</summary>
    public double OtherCauseShareOfDeaths { get; init; }

    /// <summary>Disease-specific survival: 5-year risk of death from another cause, an independent competing process.</summary>
    public double OtherCauseFiveYearRisk { get; init; }

    /// <summary>Recurrence after metastasectomy: its cumulative hazard is this multiple of the patient's death hazard.</summary>
    public double RecurrenceHazardMultiple { get; init; } = 2.5;

    // ------------------------------------------------------------------ survival model

    /// <summary>The generating Cox model's terms (0/1 covariates) and hazard ratios.</summary>
    public required IReadOnlyList<SimulatedTerm> Terms { get; init; }

    /// <summary>The marginal survival the baseline is tuned to.</summary>
    public required SurvivalTarget Target { get; init; }

    // ------------------------------------------------------------------ patient

    /// <summary>sex.</summary>
    public required Categorical<string> Sex { get; init; }

    /// <summary>Age at the first metastasectomy, years (gives birth_date).</summary>
    public required TruncatedNormal Age { get; init; }

    /// <summary>ecog; null outcome = missing.</summary>
    public Categorical<int?>? Ecog { get; init; }

    /// <summary>smoking; null outcome = missing.</summary>
    public Categorical<string?>? Smoking { get; init; }

    /// <summary>diabetes and hypertension, jointly.</summary>
    public Categorical<Comorbidity>? Comorbidities { get; init; }

    /// <summary>P(other_cancer = yes).</summary>
    public double? OtherCancer { get; init; }

    /// <summary>comorbidity_note for a patient with another cancer (the paper's list), drawn uniformly.</summary>
    public IReadOnlyList<string> OtherCancerNotes { get; init; } = [];

    // ------------------------------------------------------------------ primary tumour

    /// <summary>histology (WHO 5th edition codes).</summary>
    public required Categorical<string> Histology { get; init; }

    /// <summary>Histology codes that are bone sarcomas (tissue = bone); every other is soft_tissue.</summary>
    public IReadOnlyList<string> BoneHistologies { get; init; } = [];

    /// <summary>primary_site.</summary>
    public required Categorical<string> PrimarySite { get; init; }

    /// <summary>primary_size_cm, rounded to 0.1 cm and truncated to [1, 40].</summary>
    public LogNormal? PrimarySizeCm { get; init; }

    /// <summary>P(local_recurrence_at_pm = yes).</summary>
    public double? LocalRecurrenceAtPm { get; init; }

    // ------------------------------------------------------------------ lung metastasis

    /// <summary>The disease-free interval (gives primary_surgery_date, lung_met_date, synchronous).</summary>
    public required DfiModel Dfi { get; init; }

    /// <summary>Days from lung metastasis detection to the first metastasectomy.</summary>
    public required RoundedLogNormal DetectionToPmDays { get; init; }

    /// <summary>nodules.</summary>
    public required NoduleModel Nodules { get; init; }

    /// <summary>P(laterality = bilateral); only patients with multiple nodules can be bilateral.</summary>
    public required double BilateralShare { get; init; }

    /// <summary>largest_nodule_mm (whole millimetres).</summary>
    public required RoundedLogNormal LargestNoduleMm { get; init; }

    // ------------------------------------------------------------------ metastasectomy

    /// <summary>P(a second, staged contralateral metastasectomy | bilateral); otherwise one bilateral session.</summary>
    public required double StagedShareOfBilateral { get; init; }

    /// <summary>Days from the first to the staged second metastasectomy, drawn uniformly in [Min, Max].</summary>
    public (int Min, int Max) StagedGapDays { get; init; } = (14, 90);

    /// <summary>approach, per procedure.</summary>
    public required Categorical<string> Approach { get; init; }

    /// <summary>resection, per procedure.</summary>
    public required Categorical<string> Resection { get; init; }

    /// <summary>P(anaesthesia = non_intubated); null leaves anaesthesia empty.</summary>
    public double? NonIntubatedShare { get; init; }

    /// <summary>margin, per procedure; null outcome = missing.</summary>
    public required Categorical<string?> Margin { get; init; }

    /// <summary>P(complete_resection = yes); null derives it from the margin (R0 = yes, R1/R2 = no, unknown/missing = empty).</summary>
    public double? CompleteResectionShare { get; init; }

    /// <summary>hospital_stay_days, per procedure.</summary>
    public required RoundedLogNormal HospitalStayDays { get; init; }

    /// <summary>icu_stay_days, per procedure.</summary>
    public IcuStayModel? IcuStayDays { get; init; }

    /// <summary>complication and clavien_dindo, per procedure.</summary>
    public required Categorical<Complication> Complications { get; init; }

    // ------------------------------------------------------------------ systemic therapy

    /// <summary>chemotherapy (none, pre, post, both).</summary>
    public Categorical<string>? Chemotherapy { get; init; }
}
