namespace Sarcostat.Survival.Tests;

public class TimeOrderTests
{
    [Theory]
    [InlineData(10, false)]
    [InlineData(100_000, false)]
    [InlineData(100_000, true)]
    [InlineData(50, true)]
    public void Order_is_sorted_and_stable_for_every_sort_path(int n, bool wholeDays)
    {
        var rng = new Random(20261122);
        var time = new double[n];
        for (int i = 0; i < n; i++)
        {
            time[i] = wholeDays ? rng.Next(0, 3650) : Math.Round(rng.NextDouble() * 100 - 5, 3);
        }

        time[0] = -0.0;
        var order = TimeOrder.Ascending(time);
        order.Should().HaveCount(n);
        order.Distinct().Should().HaveCount(n);
        for (int k = 1; k < n; k++)
        {
            double a = time[order[k - 1]], b = time[order[k]];
            (a <= b).Should().BeTrue($"position {k}: {a} then {b}");
            if (a == b)
            {
                (order[k - 1] < order[k]).Should().BeTrue("equal times keep input order");
            }
        }
    }
}
