using System.Globalization;

namespace Sarcostat.Study.Formatting;

/// <summary>
/// How numbers are printed in report tables and sentences, as clinical journals print them (docs/protocol.md,
/// "Formatting"). Invariant culture throughout; rounding is of the exact binary value to the nearest decimal, as R's
/// <c>sprintf("%.2f")</c> rounds (2.675 is stored as 2.67499... and prints "2.67").
/// </summary>
public static class JournalFormat
{
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
    /// A hazard ratio with 2 decimals ("0.27", "12.16"); "&lt;0.01" below 0.005, "&gt;999" at 999.995 and above, "Inf"
    /// when infinite, "NA" when not a number.
    /// </summary>
    public static string HazardRatio(double hr)
    {
        if (double.IsNaN(hr))
        {
            return NotAvailable;
        }

        if (double.IsPositiveInfinity(hr))
        {
            return "Inf";
        }

        if (hr < 0.005)
        {
            return "<0.01";
        }

        return hr >= 999.995 ? ">999" : Number(hr, 2);
    }

    /// <summary>
    /// An interval "1.12-5.18" (hyphen, no spaces), each limit as <see cref="HazardRatio"/> prints it; "lo to hi" when a
    /// limit is negative (mean differences), so that the minus sign stays readable.
    /// </summary>
    public static string HazardRatioInterval(double lower, double upper) => Join(HazardRatio(lower), HazardRatio(upper), lower, upper);

    /// <summary>An interval of plain numbers with <paramref name="decimals"/> decimals: "29.4-66.6" (or "-1.2 to 0.5").</summary>
    public static string Interval(double lower, double upper, int decimals) => Join(Number(lower, decimals), Number(upper, decimals), lower, upper);

    /// <summary>"2.41 (1.12-5.18)".</summary>
    public static string HazardRatioWithInterval(double hr, double lower, double upper) => $"{HazardRatio(hr)} ({HazardRatioInterval(lower, upper)})";

    /// <summary>
    /// A two-sided p-value: 3 decimals ("0.024", "0.350"), "&lt;0.001" below 0.001, "NA" when not a number. A p below
    /// <paramref name="alpha"/> that would round up to it ("0.050") gets a 4th decimal ("0.0496"), so that the text
    /// never contradicts the significance call.
    /// </summary>
    /// <param name="p">The p-value.</param>
    /// <param name="alpha">The significance level.</param>
    public static string P(double p, double alpha = 0.05)
    {
        if (double.IsNaN(p))
        {
            return NotAvailable;
        }

        if (p < 0.001)
        {
            return "<0.001";
        }

        var text = Number(p, 3);
        return p < alpha && text == Number(alpha, 3) ? Number(p, 4) : text;
    }

    /// <summary>"p = 0.024" or "p &lt; 0.001", for sentences and plot annotations.</summary>
    public static string PInline(double p, double alpha = 0.05)
    {
        var text = P(p, alpha);
        return text.StartsWith('<') ? "p < " + text[1..] : "p = " + text;
    }

    /// <summary>A time with 1 decimal ("48.0").</summary>
    public static string Time(double t) => Number(t, 1);

    /// <summary>
    /// A median survival time with its interval: "48.0 (29.4-66.6)"; "NR" when not reached; a missing limit prints
    /// "NR" (upper limit not reached) or "NE".
    /// </summary>
    public static string MedianWithInterval(double? median, double? lower, double? upper)
    {
        if (median is not { } m)
        {
            return NotReached;
        }

        var lo = lower is { } l ? Time(l) : NotEstimable;
        var hi = upper is { } u ? Time(u) : NotReached;
        return $"{Time(m)} ({lo}-{hi})";
    }

    /// <summary>A survival probability (0-1) as a percentage with its interval: "62.9 (52.1-75.9)".</summary>
    public static string SurvivalWithInterval(double survival, double? lower, double? upper, int decimals = 1)
    {
        var s = Percent(100 * survival, decimals);
        if (lower is not { } l || upper is not { } u)
        {
            return s;
        }

        return $"{s} ({Percent(100 * l, decimals)}-{Percent(100 * u, decimals)})";
    }

    private static string Join(string lower, string upper, double lo, double hi) =>
        lo < 0 || hi < 0 ? $"{lower} to {upper}" : $"{lower}-{upper}";
}
