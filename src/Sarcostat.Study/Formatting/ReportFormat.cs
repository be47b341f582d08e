namespace Sarcostat.Study.Formatting;

/// <summary>How p-values below the smallest printable value are shown.</summary>
public enum PValueStyle
{
    /// <summary>"&lt;0.001" (with 3 decimals): the usual journal style. The default.</summary>
    Threshold = 0,

    /// <summary>The exact value with two significant digits in scientific notation, "2.1×10⁻⁵" (NEJM, Lancet for genetic studies).</summary>
    Exact = 1,
}

/// <summary>The dash between the limits of an interval or a range.</summary>
public enum RangeDash
{
    /// <summary>"1.12-5.18": a hyphen, as both papers print it. The default.</summary>
    Hyphen = 0,

    /// <summary>"1.12–5.18": an en dash (Chicago and most style guides).</summary>
    EnDash = 1,
}

/// <summary>How a mean and its standard deviation are printed.</summary>
public enum MeanSdStyle
{
    /// <summary>"52.3 ± 11.6". The default.</summary>
    PlusMinus = 0,

    /// <summary>"52.3 (11.6)": mean (SD).</summary>
    Parentheses = 1,
}

/// <summary>
/// The journal's number style of a report: a protocol's <c>format:</c> block, with per-table overrides
/// (docs/protocol.md, "format"). The defaults reproduce both papers' tables: hazard ratios with 2 decimals, p with 3
/// and "&lt;0.001", a hyphen between limits, survival and medians with 1 decimal, mean ± SD, percentages of all patients.
/// </summary>
public sealed record ReportFormat
{
    /// <summary>The defaults.</summary>
    public static readonly ReportFormat Default = new();

    /// <summary>Decimals of hazard ratios and their confidence limits (0-6).</summary>
    public int HazardRatioDecimals { get; init; } = 2;

    /// <summary>Decimals of p-values (2-6); the smallest printed p is 10^-decimals ("&lt;0.001" with 3).</summary>
    public int PDecimals { get; init; } = 3;

    /// <summary>How a p below 10^-<see cref="PDecimals"/> is shown.</summary>
    public PValueStyle PStyle { get; init; } = PValueStyle.Threshold;

    /// <summary>The dash between interval limits and range ends.</summary>
    public RangeDash Dash { get; init; } = RangeDash.Hyphen;

    /// <summary>Decimals of survival percentages (0-6).</summary>
    public int SurvivalDecimals { get; init; } = 1;

    /// <summary>Decimals of median survival times and their limits (0-6).</summary>
    public int MedianDecimals { get; init; } = 1;

    /// <summary>Decimals of percentages of counts in descriptive and comparison tables (0-6).</summary>
    public int PercentDecimals { get; init; } = 1;

    /// <summary>How mean and SD are printed.</summary>
    public MeanSdStyle MeanSd { get; init; } = MeanSdStyle.PlusMinus;

    /// <summary>Denominator of the percentages of descriptive and comparison tables (a table's own <c>percent_of</c> wins).</summary>
    public Protocols.PercentBase PercentOf { get; init; } = Protocols.PercentBase.All;

    /// <summary>The dash character.</summary>
    public string DashText => Dash == RangeDash.EnDash ? "\u2013" : "-";
}
