namespace Sarcostat.Reports.Svg;

/// <summary>Maps data values to drawing units along one axis.</summary>
internal sealed class LinearScale(double domainMin, double domainMax, double rangeMin, double rangeMax)
{
    /// <summary>Lowest data value shown.</summary>
    public double DomainMin { get; } = domainMin;

    /// <summary>Highest data value shown.</summary>
    public double DomainMax { get; } = domainMax;

    /// <summary>The drawing coordinate of <paramref name="value"/>.</summary>
    public double Map(double value) =>
        DomainMax == DomainMin
            ? (rangeMin + rangeMax) / 2
            : rangeMin + ((value - DomainMin) / (DomainMax - DomainMin) * (rangeMax - rangeMin));
}

/// <summary>Maps positive data values to drawing units on a log axis (hazard ratios).</summary>
internal sealed class LogScale(double domainMin, double domainMax, double rangeMin, double rangeMax)
{
    /// <summary>Lowest value shown (positive).</summary>
    public double DomainMin { get; } = domainMin;

    /// <summary>Highest value shown.</summary>
    public double DomainMax { get; } = domainMax;

    /// <summary>The drawing coordinate of <paramref name="value"/> (positive, finite).</summary>
    public double Map(double value) =>
        rangeMin + ((Math.Log(value) - Math.Log(DomainMin)) / (Math.Log(DomainMax) - Math.Log(DomainMin)) * (rangeMax - rangeMin));
}

/// <summary>Tick choices for axes.</summary>
internal static class Ticks
{
    /// <summary>
    /// "Nice" linear ticks covering [min, max] with about <paramref name="target"/> intervals, a step of 1, 2, 2.5
    /// or 5 times a power of ten, and the decimals needed to label them.
    /// </summary>
    public static (IReadOnlyList<double> Values, int Decimals) Linear(double min, double max, int target = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            return ([0, 1], 0);
        }

        if (max < min)
        {
            (min, max) = (max, min);
        }

        if (max == min)
        {
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }

        var raw = (max - min) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        var step = nice * magnitude;
        var first = Math.Floor((min / step) + 1e-9) * step;
        var last = Math.Ceiling((max / step) - 1e-9) * step;
        var values = new List<double>();
        for (var i = 0; first + (i * step) <= last + (step * 1e-6); i++)
        {
            values.Add(Math.Round(first + (i * step), 10));
        }

        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        if (nice == 2.5)
        {
            decimals++;
        }

        return (values, decimals);
    }

    /// <summary>The 1-2-5 series on a log axis, from 0.001 to 1000.</summary>
    private static readonly double[] LogSeries = BuildLogSeries();

    /// <summary>Largest 1-2-5 value not above <paramref name="value"/> (clamped to the series).</summary>
    public static double LogFloor(double value)
    {
        var result = LogSeries[0];
        foreach (var v in LogSeries)
        {
            if (v <= value * (1 + 1e-9))
            {
                result = v;
            }
        }

        return result;
    }

    /// <summary>Smallest 1-2-5 value not below <paramref name="value"/> (clamped to the series).</summary>
    public static double LogCeiling(double value)
    {
        foreach (var v in LogSeries)
        {
            if (v >= value * (1 - 1e-9))
            {
                return v;
            }
        }

        return LogSeries[^1];
    }

    /// <summary>
    /// Log-axis ticks between <paramref name="min"/> and <paramref name="max"/> (both on the 1-2-5 series):
    /// 1, 2, 5 per decade for up to three decades, powers of ten only beyond that (labels would collide).
    /// </summary>
    public static IReadOnlyList<double> Log(double min, double max)
    {
        var decades = Math.Log10(max / min);
        return decades <= 3.0001
            ? LogSeries.Where(v => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)).ToList()
            : LogSeries.Where(v => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9) && IsPowerOfTen(v)).ToList();
    }

    private static bool IsPowerOfTen(double v)
    {
        var log = Math.Log10(v);
        return Math.Abs(log - Math.Round(log)) < 1e-9;
    }

    private static double[] BuildLogSeries()
    {
        var values = new List<double>();
        for (var exponent = -3; exponent <= 3; exponent++)
        {
            var p = Math.Pow(10, exponent);
            values.Add(Math.Round(p, 6));
            if (exponent < 3)
            {
                values.Add(Math.Round(2 * p, 6));
                values.Add(Math.Round(5 * p, 6));
            }
        }

        return [.. values];
    }
}
