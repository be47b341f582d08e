namespace Sarcostat.Survival;

/// <summary>The midpoint of two numbers without overflow (medians of huge times, issue 9).</summary>
internal static class Midpoint
{
    /// <summary>
    /// (a + b) / 2, the form R uses, whenever a + b is finite (then the two forms below are equal); otherwise
    /// a / 2 + b / 2, which cannot overflow: the median of 1e308 and 1.7e308 is 1.35e308, not infinity.
    /// </summary>
    public static double Of(double a, double b)
    {
        double sum = a + b;
        return double.IsFinite(sum) ? sum / 2 : (a / 2) + (b / 2);
    }
}
