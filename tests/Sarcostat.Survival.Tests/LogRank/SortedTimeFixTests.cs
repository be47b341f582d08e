namespace Sarcostat.Survival.Tests.LogRank;

public class SortedTimeFixTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Merging_sorted_times_equals_TimeFixer_bit_for_bit(int seed)
    {
        var rng = new Random(seed);
        int n = 5000;
        var time = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = rng.Next(-20, 400) / 30.4375;
            // Round-off sized perturbations, chains of near-ties, exact duplicates, zeros.
            time[i] = rng.Next(4) switch
            {
                0 => t,
                1 => t * (1 + (rng.Next(-3, 4) * 1e-12)),
                2 => t + (rng.Next(0, 5) * 5e-9),
                _ => 0.0,
            };
        }

        var expected = TimeFixer.Apply(time, TimeFix.R);
        var sorted = (double[])time.Clone();
        Array.Sort(sorted);
        var expectedSorted = (double[])expected.Clone();
        Array.Sort(expectedSorted);
        SortedTimeFix.ApplyInPlace(sorted).Should().Be(!ReferenceEquals(expected, time));
        sorted.Should().Equal(expectedSorted);
    }

    [Fact]
    public void Times_without_near_ties_are_left_alone()
    {
        double[] t = [1, 2, 2, 3, 10];
        SortedTimeFix.ApplyInPlace(t).Should().BeFalse();
        t.Should().Equal(1, 2, 2, 3, 10);
    }

    [Fact]
    public void Large_times_merge_on_the_relative_rule()
    {
        // mean |y| = 1e9: neighbours 10 apart are within 1.49e-8 relative, so the three collapse onto the first.
        double[] t = [1e9, 1e9 + 10, 1e9 + 20];
        SortedTimeFix.ApplyInPlace(t).Should().BeTrue();
        t.Should().Equal(1e9, 1e9, 1e9);
        TimeFixer.Apply([1e9, 1e9 + 10, 1e9 + 20]).Should().Equal(1e9, 1e9, 1e9);
    }
}
