using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

/// <summary>
/// A product-limit (Kaplan-Meier) estimate written out in the test project, independent of the engine: enough to
/// check a simulated cohort's survival at a time point and its median.
/// </summary>
internal static class Km
{
    /// <summary>Ŝ(t) = Π over event times tᵢ ≤ t of (1 − dᵢ / nᵢ); censorings at tᵢ count as at risk at tᵢ.</summary>
    public static double SurvivalAt(IReadOnlyList<double> time, IReadOnlyList<bool> status, double t)
    {
        double s = 1;
        foreach (var (ti, d, atRisk) in Steps(time, status))
        {
            if (ti > t)
            {
                break;
            }

            s *= 1 - (double)d / atRisk;
        }

        return s;
    }

    /// <summary>The smallest event time with Ŝ ≤ 0.5, or NaN.</summary>
    public static double Median(IReadOnlyList<double> time, IReadOnlyList<bool> status)
    {
        double s = 1;
        foreach (var (ti, d, atRisk) in Steps(time, status))
        {
            s *= 1 - (double)d / atRisk;
            if (s <= 0.5)
            {
                return ti;
            }
        }

        return double.NaN;
    }

    private static IEnumerable<(double Time, int Deaths, int AtRisk)> Steps(IReadOnlyList<double> time, IReadOnlyList<bool> status)
    {
        var order = Enumerable.Range(0, time.Count).OrderBy(i => time[i]).ToArray();
        int atRisk = order.Length;
        int k = 0;
        while (k < order.Length)
        {
            double t = time[order[k]];
            int deaths = 0;
            int leaving = 0;
            while (k < order.Length && time[order[k]] == t)
            {
                deaths += status[order[k]] ? 1 : 0;
                leaving++;
                k++;
            }

            if (deaths > 0)
            {
                yield return (t, deaths, atRisk);
            }

            atRisk -= leaving;
        }
    }
}
