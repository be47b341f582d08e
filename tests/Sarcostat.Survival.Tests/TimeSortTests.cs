namespace Sarcostat.Survival.Tests;

/// <summary>
/// <see cref="TimeSort"/> against a plain comparison sort, on every route (counting per (time, payload), counting sort,
/// radix sort with its recursion and insertion finish) and on awkward values.
/// </summary>
public class TimeSortTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string kind in new[] { "continuous", "days", "wide-days", "clustered", "duplicates", "signed", "extreme", "two-values" })
        {
            foreach (int n in new[] { 0, 1, 2, 31, 33, 1000, 70_000, 300_000 })
            {
                data.Add(kind, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sorted_times_and_the_payloads_of_each_time_match_a_comparison_sort(string kind, int n)
    {
        var rng = new Random(20261122 + n);
        var time = Draw(kind, n, rng);
        var status = new bool[n];
        var group = new int[n];
        for (int i = 0; i < n; i++)
        {
            status[i] = rng.NextDouble() < 0.7;
            group[i] = rng.NextDouble() < 0.05 ? -1 : rng.Next(3);
        }

        var (sorted, payload) = TimeSort.Sort(new TimeSort.GroupStatus(time, status, group, 3));
        var kept = Enumerable.Range(0, n).Where(i => group[i] >= 0).ToArray();
        AssertSameAsComparisonSort(kept.Select(i => time[i]).ToArray(), kept.Select(i => (group[i] << 1) | (status[i] ? 1 : 0)).ToArray(), sorted, payload);

        var (byIndex, index) = TimeSort.Sort(new TimeSort.Indexed(time));
        AssertSameAsComparisonSort(time, Enumerable.Range(0, n).ToArray(), byIndex, index);
    }

    [Fact]
    public void Minus_zero_sorts_with_zero_and_comes_back_as_zero()
    {
        double[] time = [1.5, -0.0, 0.0, -2.25, -0.0];
        var (sorted, payload) = TimeSort.Sort(new TimeSort.Indexed(time));
        sorted.Should().Equal(-2.25, 0.0, 0.0, 0.0, 1.5);
        sorted.Skip(1).Take(3).Should().OnlyContain(t => !double.IsNegative(t));
        payload[0].Should().Be(3);
        payload.Skip(1).Take(3).Should().BeEquivalentTo([1, 2, 4]);
    }

    private static double[] Draw(string kind, int n, Random rng)
    {
        var time = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            time[i] = kind switch
            {
                "continuous" => -Math.Log(1 - u) * 400,
                "days" => Math.Ceiling(-Math.Log(1 - u) * 400),
                "wide-days" => Math.Floor(u * 1e12),                     // whole numbers, range far wider than n: radix route
                "clustered" => 1000 + (u * 1e-9),                       // all within one part in 10^12: deep recursion
                "duplicates" => Math.Round(u * 50, 1) + 0.25,           // ~500 values, not whole: radix route with ties
                "signed" => (u - 0.5) * 200,                            // negatives and positives
                "extreme" => (i % 4) switch { 0 => 1e300 * u, 1 => 5e-324 * rng.Next(100), 2 => -1e-300 * u, _ => u },
                _ => i % 2 == 0 ? 0.5 : 7.25,
            };
        }

        return time;
    }

    private static void AssertSameAsComparisonSort(double[] time, int[] payload, double[] sorted, int[] sortedPayload)
    {
        int n = time.Length;
        var expected = time.Select(t => t == 0 ? 0.0 : t).Order().ToArray();
        sorted.Should().HaveCount(n);
        sortedPayload.Should().HaveCount(n);
        for (int i = 0; i < n; i++)
        {
            if (BitConverter.DoubleToInt64Bits(sorted[i]) != BitConverter.DoubleToInt64Bits(expected[i]))
            {
                throw new Xunit.Sdk.XunitException($"position {i}: expected {expected[i]:R}, found {sorted[i]:R}");
            }
        }

        // Within equal times the order is free: compare the payloads time by time as multisets.
        var expectedRuns = time.Select((t, i) => (Key: t == 0 ? 0.0 : t, Payload: payload[i]))
            .GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Select(r => r.Payload).Order().ToArray());
        int k = 0;
        while (k < n)
        {
            int j = k;
            while (j < n && sorted[j] == sorted[k])
            {
                j++;
            }

            sortedPayload[k..j].Order().Should().Equal(expectedRuns[sorted[k]], $"the payloads at time {sorted[k]:R}");
            k = j;
        }
    }
}
