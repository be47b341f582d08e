using System.Globalization;

namespace Sarcostat.Survival.CompetingRisks;

/// <summary>
/// Checks a competing-risks response (time, status with a censoring level) and keeps the rows where it and every
/// extra factor are present (R's <c>na.omit</c>, as <c>cuminc</c> and <c>crr</c> apply it).
/// </summary>
internal static class CompetingRisksInput
{
    /// <summary>
    /// The censoring level's code in <paramref name="status"/>, or −1 when that level does not occur (no censoring).
    /// Throws ArgumentException for null or mismatched inputs, a time that is not finite or negative.
    /// </summary>
    public static int Check(IReadOnlyList<double> time, Factor status, string censorLevel, params Factor?[] others)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(censorLevel);
        if (status.Count != time.Count)
        {
            throw new ArgumentException($"status has {status.Count} values but time has {time.Count}; they must have the same length.", nameof(status));
        }

        foreach (var f in others)
        {
            if (f is not null && f.Count != time.Count)
            {
                throw new ArgumentException($"'{f.Name}' has {f.Count} values but time has {time.Count}; they must have the same length.", nameof(others));
            }
        }

        for (int i = 0; i < time.Count; i++)
        {
            double t = time[i];
            if (!double.IsFinite(t) || t < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] = {t}; times must be finite numbers >= 0."), nameof(time));
            }
        }

        for (int l = 0; l < status.Levels.Count; l++)
        {
            if (status.Levels[l] == censorLevel)
            {
                return l;
            }
        }

        return -1;
    }
}
