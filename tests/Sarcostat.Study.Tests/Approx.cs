using System.Globalization;
using Xunit.Sdk;

namespace Sarcostat.Study.Tests;

/// <summary>
/// The tolerance helper of these tests: compares numbers and prints expected, actual and the difference. The report's
/// numbers come from the same engine calls on the same arrays as the tests' own, so they must agree to rounding
/// (<see cref="SameComputation"/>); a looser tolerance would hide a different computation.
/// </summary>
internal static class Approx
{
    /// <summary>The same engine call on the same data, possibly with the rows or levels in another order.</summary>
    public const double SameComputation = 1e-12;

    public static void Equal(double expected, double? actual, string what, double rel = SameComputation)
    {
        if (actual is not { } a)
        {
            throw new XunitException($"{what}: expected {expected.ToString("R", CultureInfo.InvariantCulture)}, actual null");
        }

        if (expected.Equals(a))
        {
            return;
        }

        double diff = Math.Abs(expected - a);
        if (!double.IsNaN(diff) && diff <= rel * Math.Max(Math.Abs(expected), 1e-300))
        {
            return;
        }

        throw new XunitException(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: expected {expected:R}, actual {a:R}, difference {a - expected:R} (tolerance rel {rel:E1})"));
    }
}
