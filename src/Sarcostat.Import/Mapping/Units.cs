using Sarcostat.Cohort;

namespace Sarcostat.Import.Mapping;

/// <summary>
/// Unit conversions a mapping may ask for (<c>{field: largest_nodule_mm, unit: cm}</c>): lengths (mm, cm, m) and
/// durations (days, weeks, months, years; a month is <see cref="DataDictionary.MonthDays"/> days, a year 12 months).
/// </summary>
internal static class Units
{
    private static readonly Dictionary<string, (string Dimension, double Factor)> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mm"] = ("length", 1),
        ["cm"] = ("length", 10),
        ["m"] = ("length", 1000),
        ["d"] = ("time", 1),
        ["day"] = ("time", 1),
        ["days"] = ("time", 1),
        ["week"] = ("time", 7),
        ["weeks"] = ("time", 7),
        ["month"] = ("time", double.NaN),
        ["months"] = ("time", double.NaN),
        ["year"] = ("time", double.NaN),
        ["years"] = ("time", double.NaN),
        ["y"] = ("time", double.NaN),
    };

    /// <summary>The names a mapping may use, for error messages.</summary>
    public static string Names => "mm, cm, m, days, weeks, months, years";

    /// <summary>
    /// The factor that converts a value in <paramref name="from"/> to <paramref name="to"/> (value_to = value_from * factor),
    /// or null when the units are unknown or of different dimensions.
    /// </summary>
    public static double? Factor(string from, string to, double monthDays)
    {
        if (!Known.TryGetValue(from.Trim(), out var a) || !Known.TryGetValue(to.Trim(), out var b) || a.Dimension != b.Dimension)
        {
            return null;
        }

        return InBase(from.Trim(), a.Factor, monthDays) / InBase(to.Trim(), b.Factor, monthDays);
    }

    /// <summary>The names of the units of <paramref name="unit"/>'s dimension, for "expected a number with a unit of length (mm, cm, m)".</summary>
    public static string NamesLike(string unit) =>
        Known.TryGetValue(unit.Trim(), out var u) && u.Dimension == "length" ? "a unit of length (mm, cm, m)"
        : "a unit of time (days, weeks, months, years)";

    /// <summary>Whether <paramref name="unit"/> is a unit this class knows (of any dimension).</summary>
    public static bool IsKnown(string unit) => Known.ContainsKey(unit.Trim());

    private static double InBase(string unit, double factor, double monthDays) =>
        !double.IsNaN(factor) ? factor
        : unit.StartsWith('m') || unit.StartsWith('M') ? monthDays
        : 12 * monthDays;
}
