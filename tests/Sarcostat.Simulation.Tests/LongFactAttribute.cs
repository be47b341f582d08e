using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

/// <summary>
/// A fact that runs only when the environment variable SARCOSTAT_LONG_TESTS is "1" (and is also tagged
/// Category=Long): the default <c>dotnet test</c> skips it with a message saying how to run it.
/// Run: <c>SARCOSTAT_LONG_TESTS=1 dotnet test tests/Sarcostat.Cohort.Tests --filter Category=Long</c>.
/// </summary>
public sealed class LongFactAttribute : FactAttribute
{
    public const string Variable = "SARCOSTAT_LONG_TESTS";

    public LongFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Long test: set {Variable}=1 to run (see docs/simulation.md).";
        }
    }
}
