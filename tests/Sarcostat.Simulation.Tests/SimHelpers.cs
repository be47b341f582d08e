using Sarcostat.Simulation;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

/// <summary>Shared pieces of the simulation tests: cached large cohorts, endpoints from records, tolerance checks.</summary>
internal static class SimHelpers
{
    public const double MonthDays = 30.4375;

    private static readonly Lazy<SimulatedCohort> LargeChang = new(() => CohortSimulator.Simulate(SimulationSpecs.Chang2024, 20000, 2024));
    private static readonly Lazy<SimulatedCohort> LargeNakayama = new(() => CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 20000, 2022));

    /// <summary>20,000 patients like paper 000 (seed 2024), shared by the marginal tests.</summary>
    public static SimulatedCohort Chang20000 => LargeChang.Value;

    /// <summary>20,000 patients like paper 001 (seed 2022).</summary>
    public static SimulatedCohort Nakayama20000 => LargeNakayama.Value;

    /// <summary>Months from the first metastasectomy to the last contact, and death (any cause).</summary>
    public static (double[] Time, bool[] Status) OverallSurvival(IReadOnlyList<Patient> patients) =>
        (patients.Select(FollowUpMonths).ToArray(), patients.Select(p => p.VitalStatus == "dead").ToArray());

    /// <summary>As <see cref="OverallSurvival"/>, with only deaths from sarcoma as events.</summary>
    public static (double[] Time, bool[] Status) DiseaseSpecificSurvival(IReadOnlyList<Patient> patients) =>
        (patients.Select(FollowUpMonths).ToArray(), patients.Select(p => p.VitalStatus == "dead" && p.CauseOfDeath == "sarcoma").ToArray());

    public static double FollowUpMonths(Patient p) => (p.LastContactDate!.Value.DayNumber - p.FirstMetastasectomyDate!.Value.DayNumber) / MonthDays;

    public static double DfiMonths(Patient p) =>
        p.Synchronous == true ? 0 : (p.LungMetastasisDate!.Value.DayNumber - p.PrimarySurgeryDate!.Value.DayNumber) / MonthDays;

    public static double AgeAtPm(Patient p) => (p.FirstMetastasectomyDate!.Value.DayNumber - p.BirthDate!.Value.DayNumber) / 365.25;

    /// <summary>
    /// Asserts that a sample proportion is within 4.5 standard errors of the expected one: |p̂ − p| ≤ 4.5 √(p(1 − p)/n).
    /// With a fixed seed the test is deterministic; 4.5 SE means a correct generator fails a check with probability 7e-6.
    /// </summary>
    public static void ShouldBeNearProportion(int count, int n, double expected, string what)
    {
        double actual = (double)count / n;
        double tolerance = 4.5 * Math.Sqrt(expected * (1 - expected) / n);
        actual.Should().BeApproximately(expected, tolerance, $"{what}: {count}/{n} = {actual:0.0000}, expected {expected:0.0000} +- {tolerance:0.0000}");
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    public static double Sd(IReadOnlyCollection<double> values)
    {
        double m = values.Average();
        return Math.Sqrt(values.Sum(x => (x - m) * (x - m)) / (values.Count - 1));
    }

    /// <summary>A fresh folder name under the system temp folder (not created).</summary>
    public static string TempFolder(string name) =>
        Path.Combine(Path.GetTempPath(), "sarcostat-sim-tests", $"{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
}
