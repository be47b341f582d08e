using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

/// <summary>Two concordance results of the same data by two routes: the pair counts equal, C and its se to a tolerance.</summary>
internal static class SameConcordance
{
    public static void Check(ConcordanceResult expected, ConcordanceResult actual, double cTolerance, double seTolerance)
    {
        actual.Concordant.Should().Be(expected.Concordant);
        actual.Discordant.Should().Be(expected.Discordant);
        actual.TiedX.Should().Be(expected.TiedX);
        actual.TiedY.Should().Be(expected.TiedY);
        actual.TiedXY.Should().Be(expected.TiedXY);
        Approx.Equal(expected.C, actual.C, cTolerance, "C");
        Approx.Equal(expected.StdError, actual.StdError, seTolerance, "se");
    }
}
