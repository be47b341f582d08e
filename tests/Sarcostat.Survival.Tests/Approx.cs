using System.Globalization;
using Xunit.Sdk;

namespace Sarcostat.Survival.Tests;

/// <summary>
/// The one tolerance helper: compares numbers and prints expected, actual, and the difference.
/// Tolerances are stated per quantity at each call: closed form 1e-12, non-iterative vs R 1e-10, Cox 1e-6.
/// </summary>
public static class Approx
{
    /// <summary>Closed-form results computed by hand.</summary>
    public const double ClosedForm = 1e-12;

    /// <summary>Non-iterative statistics compared with R's output (printed with 17 significant digits).</summary>
    public const double NonIterative = 1e-10;

    /// <summary>Iterative fits (Cox Newton-Raphson) compared with R.</summary>
    public const double Iterative = 1e-6;

    /// <summary>
    /// Asserts |expected − actual| ≤ rel·max(|expected|, 1e-300) or ≤ abs (for values near zero).
    /// NaN equals NaN; infinities must match exactly.
    /// </summary>
    public static void Equal(double expected, double actual, double rel, string what, double abs = 0)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual))
        {
            return;
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            if (expected.Equals(actual))
            {
                return;
            }
        }
        else
        {
            double diff = Math.Abs(expected - actual);
            if (diff <= rel * Math.Abs(expected) || diff <= abs)
            {
                return;
            }
        }

        throw new XunitException(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: expected {expected:R}, actual {actual:R}, difference {actual - expected:R} (relative {(expected == 0 ? double.NaN : (actual - expected) / expected):E3}; tolerance rel {rel:E1}, abs {abs:E1})"));
    }

    /// <summary>Element-wise <see cref="Equal(double,double,double,string,double)"/> with matching lengths.</summary>
    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double rel, string what, double abs = 0)
    {
        if (expected.Count != actual.Count)
        {
            throw new XunitException($"{what}: expected {expected.Count} values, actual {actual.Count}");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i], rel, $"{what}[{i}]", abs);
        }
    }
}
