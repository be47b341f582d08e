namespace Sarcostat.Cohort.Derivation;

/// <summary>The unit of endpoint and follow-up times. Every time is first a whole number of days between two dates.</summary>
public enum TimeUnit
{
    /// <summary>Months = days / <see cref="DataDictionary.MonthDays"/> (30.4375 = 365.25 / 12). The default.</summary>
    Months = 0,

    /// <summary>Days, as the whole-day difference between the dates.</summary>
    Days = 1,

    /// <summary>Years = days / 365.25.</summary>
    Years = 2,
}

/// <summary>Conversions from whole days to a <see cref="TimeUnit"/>: the one place where the month convention is applied.</summary>
public static class TimeUnits
{
    /// <summary>Days per year (Julian year): years = days / 365.25. Also the divisor of the age at metastasectomy.</summary>
    public const double YearDays = 365.25;

    /// <summary>Days per month, from the data dictionary (<c>month_days</c>, 30.4375 = 365.25 / 12).</summary>
    public static double MonthDays => DataDictionary.Default.MonthDays;

    /// <summary>Converts a number of days to <paramref name="unit"/>.</summary>
    /// <param name="days">Days (may be negative only for programmer checks; derivations never produce negative times).</param>
    /// <param name="unit">Target unit.</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined unit.</exception>
    public static double FromDays(double days, TimeUnit unit) => unit switch
    {
        TimeUnit.Months => days / MonthDays,
        TimeUnit.Days => days,
        TimeUnit.Years => days / YearDays,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };

    /// <summary>The unit's name in lower case, as reports print it: "months", "days", "years".</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined unit.</exception>
    public static string Name(TimeUnit unit) => unit switch
    {
        TimeUnit.Months => "months",
        TimeUnit.Days => "days",
        TimeUnit.Years => "years",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };
}
