using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// The built-in specs: cohorts like the two source papers. Every number is a count or percentage from the table named
/// next to it, or an assumption marked "assumed" where the paper is silent; docs/simulation.md tabulates them.
/// </summary>
public static class SimulationSpecs
{
    /// <summary>
    /// Chang et al., Front. Surg. 2024 (paper 000): 110 patients, NTUH and branches, Feb 2007 – Dec 2020, bone and
    /// soft-tissue sarcoma; overall survival with the multivariate hazard ratios of Table 6 and 5-year OS 62.9%.
    /// </summary>
    public static SimulationSpec Chang2024 { get; } = new()
    {
        Name = "chang2024",
        Paper = "Chang et al. Outcomes of pulmonary metastasectomy for primary sarcoma with pulmonary metastases. "
            + "Front. Surg. 2024 (doi 10.3389/fsurg.2024.1470784)",
        DefaultSize = 110,
        StudyIdPrefix = "CH",
        Endpoint = SimulatedEndpoint.OverallSurvival,

        // Methods 2.1/2.2: metastasectomies February 2007 to November 2020, data to December 2020.
        AccrualStart = new DateOnly(2007, 2, 1),
        AccrualEnd = new DateOnly(2020, 11, 30),
        DataCutoff = new DateOnly(2020, 12, 31),
        LossToFollowUpPerYear = 0.03, // assumed
        OtherCauseShareOfDeaths = 0.10, // assumed: OS counts every death; 1 in 10 labelled "other"

        // Table 6 (multivariate Cox, OS).
        Terms =
        [
            new SimulatedTerm("dfi_12_months_or_more", TermKind.DfiAtLeastCut, 0.267, "Table 6",
                "Disease-free interval > 12 months (vs < 12 months)"),
            new SimulatedTerm("local_recurrence_at_pm", TermKind.LocalRecurrence, 1.901, "Table 6",
                "Sarcoma local recurrence at the time of lung metastasectomy (present vs absent)"),
            new SimulatedTerm("multiple_nodules", TermKind.MultipleNodules, 1.841, "Table 6",
                "Number of metastatic nodules ≥ 2 (vs 1)"),
        ],
        Target = new SurvivalTarget(60, 0.629), // Results 3.2 and Figure 2: 5-year OS 62.9%

        // Table 2.
        Sex = Categorical.Of(("male", 54.0), ("female", 56.0)),
        Age = TruncatedNormal.FromMoments(48.5, 17.3, 18, 90), // mean 48.5 (SD 17.3); eligibility >= 18; 90 assumed
        Ecog = Categorical.Of<int?>((0, 78.0), (1, 26.0), (2, 5.0), (3, 1.0)),
        Smoking = Categorical.Of<string?>(("current", 20.0), ("never", 89.0), (null, 1.0)), // smoker 20, non-smoker 89 (109 known)
        Comorbidities = Categorical.Of(                                          // DM 14, HTN 29, both 9 (Table 2 and footnote)
            (new Comorbidity(false, false), 76.0),
            (new Comorbidity(true, false), 5.0),
            (new Comorbidity(false, true), 20.0),
            (new Comorbidity(true, true), 9.0)),
        OtherCancer = 8.0 / 110,
        OtherCancerNotes =
        [
            "lung adenocarcinoma", "acute myeloid leukaemia", "nasopharyngeal carcinoma", "meningioma",
            "renal cell carcinoma", "colon adenocarcinoma", "breast cancer", "urothelial carcinoma",
        ],

        // Table 7 (histology; spindle cell, solitary fibrous tumour, Kaposi and "other" -> other).
        Histology = Categorical.Of(
            ("leiomyosarcoma", 26.0),
            ("osteosarcoma", 22.0),
            ("liposarcoma_nos", 13.0),
            ("ups", 7.0),
            ("angiosarcoma", 4.0),
            ("synovial_sarcoma", 4.0),
            ("chondrosarcoma", 3.0),
            ("rhabdomyosarcoma", 3.0),
            ("epithelioid_sarcoma", 3.0),
            ("fibrosarcoma", 2.0),
            ("myxofibrosarcoma", 2.0),
            ("alveolar_soft_part_sarcoma", 2.0),
            ("mpnst", 2.0),
            ("other", 3.0 + 2.0 + 1.0 + 11.0)),
        BoneHistologies = ["osteosarcoma", "chondrosarcoma"],
        PrimarySite = Categorical.Of(("trunk_wall", 61.0), ("extremity", 49.0)), // Table 5: trunk 61, extremities 49

        // Table 3.
        LocalRecurrenceAtPm = 41.0 / 110,
        Dfi = new DfiModel(
            SynchronousShare: 0.10, // assumed
            MedianMonths: 6.6,      // Table 3: 6.6 [0-131.6]
            CutMonths: 12,
            ShareBelowCut: 84.0 / 110, // Table 5: < 12 months 84, > 12 months 26
            MinMonths: 1,
            MaxMonths: 131.6),
        DetectionToPmDays = new RoundedLogNormal(LogNormal.FromMedianAndShareBelow(45, 90, 0.8), 7, 365), // assumed
        Nodules = new NoduleModel(SolitaryShare: 39.0 / 110, MeanExtraWhenMultiple: 1.5, Max: 30), // 1: 39, >= 2: 71; count assumed
        BilateralShare = 52.0 / 110, // unilateral 58, bilateral 52
        LargestNoduleMm = RoundedLogNormal.FromMeanSd(31.7, 31.5, 1, 300), // 3.17 +- 3.15 cm, whole mm

        // Table 4.
        StagedShareOfBilateral = 26.0 / 52, // sequential metastasectomy for bilateral metastasis 26
        Approach = Categorical.Of(("vats", 92.0 - 38.0), ("uniportal_vats", 38.0), ("thoracotomy", 17.0), ("sternotomy", 1.0)),
        Resection = Categorical.Of(("wedge", 84.0), ("segmentectomy", 9.0), ("lobectomy", 16.0), ("bilobectomy", 1.0)), // sublobar 93 split 9:1 (assumed)
        NonIntubatedShare = 10.0 / 110,
        Margin = Categorical.Of<string?>(("R0", 90.0), ("R1", 6.0), (null, 14.0)), // Table 3: negative 90, positive 6, loss data 14
        CompleteResectionShare = 61.0 / 110, // Table 3: complete resection of all nodules 61
        HospitalStayDays = RoundedLogNormal.FromMeanSd(8.5, 6.7, 2, 41), // 8.5 +- 6.7 (2-41)
        // ICU 1.1 +- 2.6 (0-20) days: none for 70% (assumed); the rest have the conditional mean 1.1 / 0.3 and
        // SD sqrt((2.6^2 + 1.1^2) / 0.3 - (1.1 / 0.3)^2), so that the whole has mean 1.1 and SD 2.6.
        IcuStayDays = new IcuStayModel(0.70, RoundedLogNormal.FromMeanSd(1.1 / 0.3, Math.Sqrt((2.6 * 2.6 + 1.1 * 1.1) / 0.3 - 1.1 / 0.3 * (1.1 / 0.3)), 1, 20)),
        Complications = Categorical.Of(
            (new Complication("none", "none"), 105.0),
            (new Complication("prolonged_air_leak", "IIIa"), 4.0), // severe morbidities 5: air leak 4, shock 1
            (new Complication("shock", "IVa"), 1.0)),
    };

    /// <summary>
    /// Nakayama et al., Cancers 2022 (paper 001): 66 patients, NCCH Tokyo, 2007 – 2021, soft-tissue sarcoma of the
    /// trunk wall and extremities; disease-specific survival with the hazard ratios of Table 3, 5-year DSS 45% and
    /// median 48 months.
    /// </summary>
    public static SimulationSpec Nakayama2022 { get; } = new()
    {
        Name = "nakayama2022",
        Paper = "Nakayama et al. Prognostic Factors of Pulmonary Metastasectomy for Soft Tissue Sarcomas Arising in the "
            + "Trunk Wall and Extremities. Cancers 2022, 14, 3329 (doi 10.3390/cancers14143329)",
        DefaultSize = 66,
        StudyIdPrefix = "NK",
        Endpoint = SimulatedEndpoint.DiseaseSpecificSurvival,

        // Methods: January 2007 to January 2021; cut-off assumed so that the median follow-up is near 28 months.
        AccrualStart = new DateOnly(2007, 1, 1),
        AccrualEnd = new DateOnly(2021, 1, 31),
        DataCutoff = new DateOnly(2022, 3, 31),
        LossToFollowUpPerYear = 0.05, // assumed
        OtherCauseFiveYearRisk = 0.05, // assumed: deaths from other causes, censored for DSS

        // Table 3 (multivariate Cox, DSS).
        Terms =
        [
            new SimulatedTerm("dfi_under_12_months", TermKind.DfiBelowCut, 3.544, "Table 3", "Disease-free interval < 12 months"),
            new SimulatedTerm("histology_ups", TermKind.Histology, 2.882, "Table 3", "Undifferentiated pleomorphic sarcoma") { Code = "ups" },
            new SimulatedTerm("multiple_nodules", TermKind.MultipleNodules, 1.195, "Table 3", "Number of lung metastases: multiple"),
            new SimulatedTerm("largest_nodule_20mm_or_more", TermKind.LargestNoduleAtLeast, 3.159, "Table 3", "Size of largest lung lesion ≥ 20 mm") { Cut = 20 },
            new SimulatedTerm("non_curative_resection", TermKind.NonCurativeResection, 12.161, "Table 3", "Non-curative resection (R1/R2)"),
        ],
        Target = new SurvivalTarget(60, 0.45, MedianMonths: 48), // Results 3.3: 5-year DSS 45%, median 48 months

        // Table 1.
        Sex = Categorical.Of(("male", 38.0), ("female", 28.0)),
        Age = new TruncatedNormal(49, 15, 17, 82), // median 49 (17-82); SD assumed
        Histology = Categorical.Of(
            ("synovial_sarcoma", 16.0),
            ("ups", 10.0),
            ("liposarcoma_dedifferentiated", 5.0),
            ("liposarcoma_pleomorphic", 3.0),
            ("liposarcoma_myxoid", 2.0),
            ("myxofibrosarcoma", 7.0),
            ("leiomyosarcoma", 6.0),
            ("dfsp", 5.0),
            ("ewing_sarcoma", 3.0),
            ("cic_rearranged_sarcoma", 2.0),
            ("mpnst", 2.0),
            ("bcor_altered_sarcoma", 1.0),
            ("epithelioid_sarcoma", 1.0),
            ("extraskeletal_osteosarcoma", 1.0),
            ("alveolar_soft_part_sarcoma", 1.0),
            ("angiosarcoma", 1.0)),
        PrimarySite = Categorical.Of(("trunk_wall", 34.0), ("extremity", 32.0)),
        PrimarySizeCm = LogNormal.FromMedianAndShareBelow(8, 10, 42.0 / 66), // Table 2: < 10 cm 42, >= 10 cm 24; median assumed

        Dfi = new DfiModel(
            SynchronousShare: 0.10, // assumed
            MedianMonths: 17,       // Table 1: 17 (0-105)
            CutMonths: 12,
            ShareBelowCut: 22.0 / 66, // Table 2: < 12 months 22, >= 12 months 44
            MinMonths: 1,
            MaxMonths: 105),
        DetectionToPmDays = new RoundedLogNormal(LogNormal.FromMedianAndShareBelow(45, 90, 0.8), 7, 365), // assumed
        Nodules = new NoduleModel(SolitaryShare: 39.0 / 66, MeanExtraWhenMultiple: 1.5, Max: 12), // solitary 39, multiple 27; 1 (1-12)
        BilateralShare = 8.0 / 66, // unilateral 58, bilateral 8
        LargestNoduleMm = new RoundedLogNormal(LogNormal.FromMedianAndShareBelow(15, 19.5, 48.0 / 66), 1, 60), // 15 (1-60); Table 2: < 20 mm 48

        // Results 3.2.
        StagedShareOfBilateral = 2.0 / 8, // two-stage PM in 2 patients
        Approach = Categorical.Of(("thoracotomy", 1.0)), // "minimally invasive open approach" with a thoracoscope
        Resection = Categorical.Of(("wedge", 54.0), ("segmentectomy", 7.0), ("lobectomy", 5.0)),
        Margin = Categorical.Of<string?>(("R0", 63.0), ("R2", 3.0)), // R0 63, R1 0, R2 3
        HospitalStayDays = new RoundedLogNormal(LogNormal.FromMedianAndShareBelow(3, 12.5, 0.99), 2, 13), // 3 (2-13)
        Complications = Categorical.Of(
            (new Complication("none", "none"), 64.0),
            (new Complication("prolonged_air_leak", "I"), 1.0),
            (new Complication("haemothorax", "II"), 1.0)),
        Chemotherapy = Categorical.Of(("none", 45.0), ("pre", 17.0), ("post", 1.0), ("both", 3.0)), // pre 20 and post 4 include both 3
    };

    /// <summary>Every built-in spec.</summary>
    public static IReadOnlyList<SimulationSpec> All { get; } = [Chang2024, Nakayama2022];

    /// <summary>The built-in spec called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static SimulationSpec? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
