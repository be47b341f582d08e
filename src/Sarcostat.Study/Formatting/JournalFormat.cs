using System.Globalization;

namespace Sarcostat.Study.Formatting;

/// <summary>
/// How numbers are printed in report tables and sentences, as clinical journals print them (docs/protocol.md,
/// "Formatting"). Invariant culture throughout; rounding is of the exact binary value to the nearest decimal, as R's
/// <c>sprintf("%.2f")</c> rounds (2.675 is stored as 2.67499... and prints "2.67").
/// </summary>
/// <remarks>
/// An instance prints in one <see cref="ReportFormat"/> (decimals, p style, dash, mean-SD style); the constants are
/// the same in every format. <see cref="Default"/> is the style of both papers.
/// </remarks>
/// <param name="format">The journal style.</param>
public sealed class JournalFormat(ReportFormat format)
{
    /// <summary>The default style (<see cref="ReportFormat.Default"/>).</summary>
    public static readonly JournalFormat Default = new(ReportFormat.Default);

    /// <summary>The style this instance prints in.</summary>
    public ReportFormat Format { get; } = format ?? throw new ArgumentNullException(nameof(format));

    /// <summary>Text of a value that cannot be estimated (e.g. survival beyond the last follow-up).</summary>
    public const string NotEstimable = "NE";

    /// <summary>Text of a median (or limit) not reached because the curve stays above 0.5.</summary>
    public const string NotReached = "NR";

    /// <summary>Text of a missing statistic (a test that could not be run).</summary>
    public const string NotAvailable = "NA";

    /// <summary>Text of an empty cell where a statistic has no meaning (a reference level's CI).</summary>
    public const string Dash = "-";

    /// <summary>A number with <paramref name="decimals"/> decimals; "NA" when not finite; never "-0.0".</summary>
    /// <param name="value">The value.</param>
    /// <param name="decimals">Decimals, 0-6.</param>
    public static string Number(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (double.IsNaN(value))
        {
            return NotAvailable;
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Inf" : "-Inf";
        }

        var text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.StartsWith('-') && text.Trim('-', '0', '.').Length == 0 ? text[1..] : text;
    }

    /// <summary>A count.</summary>
    public static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A count with its noun, singular for one: "1 patient", "0 patients", "2 events". <paramref name="plural"/> when
    /// the noun does not take an "s" ("1 child", "2 children").
    /// </summary>
    /// <param name="n">The count.</param>
    /// <param name="noun">The singular noun.</param>
    /// <param name="plural">The plural noun; <paramref name="noun"/> + "s" when null.</param>
    public static string CountOf(int n, string noun, string? plural = null) =>
        n == 1 ? "1 " + noun : $"{Count(n)} {plural ?? noun + "s"}";

    /// <summary>A percentage without its sign, e.g. "57.6".</summary>
    /// <param name="percent">The percentage (0-100).</param>
    /// <param name="decimals">Decimals (1 by default in tables).</param>
    public static string Percent(double percent, int decimals = 1) => Number(percent, decimals);

    /// <summary>"38 (57.6%)" or, without the sign, "38 (57.6)"; "0 (0.0%)" for a zero count.</summary>
    /// <param name="count">The count.</param>
    /// <param name="percent">Its percentage, or null when the denominator is 0 (then the count alone is printed).</param>
    /// <param name="decimals">Decimals of the percentage.</param>
    /// <param name="sign">Print "%".</param>
    public static string CountPercent(int count, double? percent, int decimals = 1, bool sign = true) =>
        percent is not { } p ? Count(count) : $"{Count(count)} ({Percent(p, decimals)}{(sign ? "%" : string.Empty)})";

    /// <summary>
    /// A hazard ratio with <see cref="ReportFormat.HazardRatioDecimals"/> decimals ("0.27", "12.16" with 2); below half
    /// the last decimal "&lt;0.01" (with 2), "&gt;999" when it would print 1000 or more, "Inf" when infinite, "NA" when not
    /// a number.
    /// </summary>
    public string HazardRatio(double hr)
    {
        var decimals = Format.HazardRatioDecimals;
        var smallest = Math.Pow(10, -decimals);
        if (double.IsNaN(hr))
        {
            return NotAvailable;
        }

        if (double.IsPositiveInfinity(hr))
        {
            return "Inf";
        }

        if (hr < smallest / 2)
        {
            return "<" + Number(smallest, decimals);
        }

        var text = Number(hr, decimals);
        return double.Parse(text, CultureInfo.InvariantCulture) >= 1000 ? ">999" : text;
    }

    /// <summary>
    /// An interval "1.12-5.18" (the format's dash, no spaces), each limit as <see cref="HazardRatio"/> prints it; "lo to
    /// hi" when a limit is negative (mean differences), so that the minus sign stays readable.
    /// </summary>
    public string HazardRatioInterval(double lower, double upper) => Join(HazardRatio(lower), HazardRatio(upper), lower, upper);

    /// <summary>An interval of plain numbers with <paramref name="decimals"/> decimals: "29.4-66.6" (or "-1.2 to 0.5").</summary>
    public string Interval(double lower, double upper, int decimals) => Join(Number(lower, decimals), Number(upper, decimals), lower, upper);

    /// <summary>"2.41 (1.12-5.18)".</summary>
    public string HazardRatioWithInterval(double hr, double lower, double upper) => $"{HazardRatio(hr)} ({HazardRatioInterval(lower, upper)})";

    /// <summary>"52.3 ± 11.6" or "52.3 (11.6)" as the format says; the mean alone when the SD is missing.</summary>
    public string MeanSd(string mean, string? sd) =>
        sd is null ? mean : Format.MeanSd == MeanSdStyle.Parentheses ? $"{mean} ({sd})" : $"{mean} ± {sd}";

    /// <summary>The name of the mean-SD style for footnotes: "Mean ± SD" or "Mean (SD)".</summary>
    public string MeanSdName => Format.MeanSd == MeanSdStyle.Parentheses ? "Mean (SD)" : "Mean ± SD";

    /// <summary>
    /// A two-sided p-value with <see cref="ReportFormat.PDecimals"/> decimals ("0.024", "0.350" with 3); below
    /// 10^-decimals "&lt;0.001" (threshold style) or two significant digits "2.1×10⁻⁵" (exact style); "NA" when not a
    /// number. A p below <paramref name="alpha"/> that would round up to it ("0.050") gets one more decimal ("0.0496"),
    /// so that the text never contradicts the significance call.
    /// </summary>
    /// <param name="p">The p-value.</param>
    /// <param name="alpha">The significance level.</param>
    public string P(double p, double alpha = 0.05)
    {
        if (double.IsNaN(p))
        {
            return NotAvailable;
        }

        var decimals = Format.PDecimals;
        var smallest = Math.Pow(10, -decimals);
        if (p < smallest)
        {
            return Format.PStyle == PValueStyle.Exact && p > 0 ? Scientific(p) : "<" + Number(smallest, decimals);
        }

        var text = Number(p, decimals);
        return p < alpha && text == Number(alpha, decimals) ? Number(p, decimals + 1) : text;
    }

    /// <summary>"p = 0.024" or "p &lt; 0.001", for sentences and plot annotations.</summary>
    public string PInline(double p, double alpha = 0.05)
    {
        var text = P(p, alpha);
        return text.StartsWith('<') ? "p < " + text[1..] : "p = " + text;
    }

    /// <summary>A median survival time or limit, with <see cref="ReportFormat.MedianDecimals"/> decimals ("48.0").</summary>
    public string Time(double t) => Number(t, Format.MedianDecimals);

    /// <summary>"2.1×10⁻⁵": two significant digits and a superscript power of ten (0 &lt; <paramref name="p"/> &lt; 1).</summary>
    private static string Scientific(double p)
    {
        var exponent = (int)Math.Floor(Math.Log10(p));
        var mantissa = p / Math.Pow(10, exponent);
        if (Math.Round(mantissa, 1) >= 10)
        {
            exponent++;
            mantissa /= 10;
        }

        const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var power = string.Concat(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).Select(d => Superscripts[d - '0']));
        return $"{Number(mantissa, 1)}×10{(exponent < 0 ? "⁻" : string.Empty)}{power}";
    }

    /// <summary>
    /// A median survival time with its interval: "48.0 (29.4-66.6)"; "NR" when not reached; a missing limit prints
    /// "NR" (upper limit not reached) or "NE".
    /// </summary>
    public string MedianWithInterval(double? median, double? lower, double? upper)
    {
        if (median is not { } m)
        {
            return NotReached;
        }

        var lo = lower is { } l ? Time(l) : NotEstimable;
        var hi = upper is { } u ? Time(u) : NotReached;
        return $"{Time(m)} ({lo}{Format.DashText}{hi})";
    }

    /// <summary>A survival probability (0-1) as a percentage with its interval: "62.9 (52.1-75.9)".</summary>
    public string SurvivalWithInterval(double survival, double? lower, double? upper, int decimals = 1)
    {
        var s = Percent(100 * survival, decimals);
        if (lower is not { } l || upper is not { } u)
        {
            return s;
        }

        return $"{s} ({Percent(100 * l, decimals)}{Format.DashText}{Percent(100 * u, decimals)})";
    }

    private string Join(string lower, string upper, double lo, double hi) =>
        lo < 0 || hi < 0 ? $"{lower} to {upper}" : $"{lower}{Format.DashText}{upper}";
}
