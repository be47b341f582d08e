namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// Names of the derived variables, by which a protocol, a cut point or a selection rule addresses them. A derived
/// name shadows a dictionary field of the same name (<c>age_at_pm</c>: the derived age, computed from the birth
/// date or taken from the field).
/// </summary>
public static class DerivedNames
{
    /// <summary>Age at the first PM in years (number).</summary>
    public const string AgeAtPm = "age_at_pm";

    /// <summary>Disease-free interval in months (number).</summary>
    public const string DfiMonths = "dfi_months";

    /// <summary>Follow-up time from the first PM, in the derivation's time unit (number).</summary>
    public const string FollowUp = "follow_up";

    /// <summary>
    /// Pulmonary metastasectomies recorded for the patient (number: the procedures table's rows, a staged bilateral
    /// resection and a repeat resection each counting one); 2 or more is paper 000's "sequential metastasectomy" and
    /// paper 001's "two-stage PM".
    /// </summary>
    public const string Metastasectomies = "metastasectomies";

    /// <summary>Extent of the first PM, paper 000: "sublobar" (wedge, segmentectomy) | "lobectomy or larger".</summary>
    public const string ResectionSublobar = "resection_sublobar";

    /// <summary>Type of the first PM, paper 001: "partial" (wedge) | "anatomical" (segmentectomy or larger).</summary>
    public const string ResectionAnatomical = "resection_anatomical";

    /// <summary>Margin of the first PM: "curative" (R0) | "non-curative" (R1, R2); unknown margin is missing.</summary>
    public const string CurativeResection = "curative_resection";

    /// <summary>Histology: "UPS" | "non-UPS".</summary>
    public const string HistologyUps = "histology_ups";

    /// <summary>Tissue of origin: "bone" | "soft tissue" (from the tissue field only).</summary>
    public const string TissueGroup = "tissue_group";

    /// <summary>Lung nodules at the first PM: "solitary" (1) | "multiple" (2 or more).</summary>
    public const string NoduleGroup = "nodule_group";

    /// <summary>The built-in categorical variables, in this order.</summary>
    public static IReadOnlyList<string> Categories { get; } =
        [ResectionSublobar, ResectionAnatomical, CurativeResection, HistologyUps, TissueGroup, NoduleGroup];

    /// <summary>The derived numbers other than endpoint values.</summary>
    public static IReadOnlyList<string> Numbers { get; } = [AgeAtPm, DfiMonths, FollowUp, Metastasectomies];

    /// <summary>The time of an endpoint: <c>os_time</c>, <c>dss_time</c>, <c>dfs_time</c>, <c>pfs_time</c> (number).</summary>
    public static string TimeOf(Endpoint endpoint) => Endpoints.Prefix(endpoint) + "_time";

    /// <summary>The event of an endpoint: <c>os_event</c>, ... (number, 0 or 1).</summary>
    public static string EventOf(Endpoint endpoint) => Endpoints.Prefix(endpoint) + "_event";

    /// <summary>DSS's competing-risk flag (number: 0 censored, 1 sarcoma death, 2 other death).</summary>
    public const string DssCompeting = "dss_competing";

    /// <summary>Every endpoint value name: the time and event of each endpoint, then <see cref="DssCompeting"/>.</summary>
    public static IReadOnlyList<string> EndpointValues { get; } =
        [.. Endpoints.All.SelectMany(e => new[] { TimeOf(e), EventOf(e) }), DssCompeting];
}
