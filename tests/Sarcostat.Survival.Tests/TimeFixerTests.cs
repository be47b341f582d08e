namespace Sarcostat.Survival.Tests;

public class TimeFixerTests
{
    [Fact]
    public void Near_ties_map_to_the_smallest_member_of_their_run_as_aeqSurv()
    {
        // R: survival::aeqSurv(Surv(c(3, 1, 1 + 1e-12, 2, 1 + 2e-12, 2 + 1e-6), rep(1, 6)))[, 1]
        //    -> 3 1 1 2 1 2.000001 (1e-6 / mean(|y|) = 5e-7 > sqrt(eps) = 1.49e-8: not tied)
        double[] time = [3, 1, 1 + 1e-12, 2, 1 + 2e-12, 2 + 1e-6];
        TimeFixer.Apply(time).Should().Equal(3, 1, 1, 2, 1, 2 + 1e-6);
    }

    [Fact]
    public void Days_converted_to_months_tie_again_after_merging()
    {
        // 30.4375 days is one month; 365.25 / 12 * k and k * 30.4375 / 30.4375 agree only up to round-off.
        // d * 12 / 365.25 equals d / 30.4375 exactly, so the second form divides first: d / 365.25 * 12.
        var time = Enumerable.Range(1, 400).Select(d => d / 30.4375).Concat(Enumerable.Range(1, 400).Select(d => d / 365.25 * 12)).ToArray();
        Enumerable.Range(0, 400).Count(d => time[d] != time[d + 400]).Should().BeGreaterThan(50, "the two forms must differ in the last bits for the test to test the merge");
        var fixedTime = TimeFixer.Apply(time);
        for (int d = 0; d < 400; d++)
        {
            fixedTime[d].Should().Be(fixedTime[d + 400], $"day {d + 1}");
        }
    }

    [Fact]
    public void The_ordered_overload_agrees_with_the_plain_one_and_exact_leaves_times_alone()
    {
        var rng = new Random(7);
        var time = Enumerable.Range(0, 5000).Select(_ => Math.Round(rng.NextDouble() * 50, 2) * (1 + (rng.Next(3) - 1) * 1e-15)).ToArray();
        var viaOrder = TimeFixer.Apply(time, TimeOrder.Ascending(time));
        var sorted = (double[])time.Clone();
        Array.Sort(sorted);
        // Reference: the definition, on the sorted distinct values.
        var y = sorted.Distinct().ToArray();
        double mean = y.Average(Math.Abs), tol = Math.Sqrt(2.220446049250313e-16);
        var cut = new Dictionary<double, double>();
        double c = y[0];
        for (int k = 0; k < y.Length; k++)
        {
            if (k > 0 && !(y[k] - y[k - 1] <= tol || (y[k] - y[k - 1]) / mean <= tol))
            {
                c = y[k];
            }

            cut[y[k]] = c;
        }

        viaOrder.Should().Equal(time.Select(t => cut[t]));
        TimeFixer.Apply(time).Should().Equal(viaOrder);
        TimeFixer.Apply(time, TimeFix.Exact).Should().BeSameAs(time);
    }

    [Fact]
    public void Sorted_times_without_near_ties_are_left_alone()
    {
        double[] t = [1, 2, 2, 3, 10];
        TimeFixer.ApplySortedInPlace(t).Should().BeFalse();
        t.Should().Equal(1, 2, 2, 3, 10);
    }

    [Fact]
    public void Large_times_merge_on_the_relative_rule()
    {
        // R: aeqSurv(Surv(c(1e9, 1e9 + 10, 1e9 + 20), rep(1, 3)))[, 1] -> 1e9 1e9 1e9
        // mean |y| = 1e9: neighbours 10 apart are within sqrt(eps) = 1.49e-8 relative, so all collapse onto the first.
        double[] t = [1e9, 1e9 + 10, 1e9 + 20];
        TimeFixer.ApplySortedInPlace(t).Should().BeTrue();
        t.Should().Equal(1e9, 1e9, 1e9);
        TimeFixer.Apply([1e9 + 20, 1e9, 1e9 + 10]).Should().Equal(1e9, 1e9, 1e9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_copying_merge_equals_the_in_place_merge_and_counts_the_distinct_times(int kind)
    {
        // kind 0: months with near-ties; 1: no near-ties; 2: one value; 3: the first pair already near-tied.
        var rng = new Random(11 + kind);
        var time = kind switch
        {
            0 => Enumerable.Range(0, 3000).Select(_ => rng.Next(2) == 0 ? rng.Next(1, 2000) / 30.4375 : rng.Next(1, 2000) / 365.25 * 12).ToArray(),
            1 => Enumerable.Range(0, 3000).Select(_ => rng.NextDouble() * 100).ToArray(),
            2 => [4.5, 4.5, 4.5],
            _ => [1, 1 + 1e-12, 1 + 1e-12, 2, 3, 3 + 1e-13],
        };
        Array.Sort(time);
        var inPlace = (double[])time.Clone();
        bool changed = TimeFixer.ApplySortedInPlace(inPlace);
        var merged = TimeFixer.MergeSorted(time, out int distinct);
        merged.Should().Equal(inPlace);
        (merged != time).Should().Be(changed, "a copy exactly when something merges");
        distinct.Should().Be(inPlace.Distinct().Count());
        if (kind == 0 || kind == 3)
        {
            changed.Should().BeTrue("the case must exercise the merge");
        }
    }
}
