using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests;

/// <summary>A factor's level order set by the user (R's <c>factor(x, levels = ...)</c>), issue 15.</summary>
public class FactorLevelsTests
{
    private static readonly Factor Rx = Factor.FromValues("rx", ["Obs", "Lev", "Lev+5FU", null, "Obs", "Lev+5FU"]);

    [Fact]
    public void The_default_order_is_byte_order_and_a_given_order_recodes_every_observation()
    {
        Rx.Levels.Should().Equal("Lev", "Lev+5FU", "Obs");
        var r = Rx.WithLevels(["Obs", "Lev", "Lev+5FU"]);
        r.Levels.Should().Equal("Obs", "Lev", "Lev+5FU");
        r.Codes.Should().Equal(0, 1, 2, -1, 0, 2);
        Enumerable.Range(0, Rx.Count).Select(i => Rx.Codes[i] < 0 ? null : Rx.Levels[Rx.Codes[i]])
            .Should().Equal(Enumerable.Range(0, r.Count).Select(i => r.Codes[i] < 0 ? null : r.Levels[r.Codes[i]]), "the values do not change");
    }

    [Fact]
    public void Numeric_levels_equal_as_numbers_keep_one_order_whatever_order_they_are_met_in()
    {
        // 24 levels (past List.Sort's insertion-sort size), each number written twice ("3" and "3.0").
        var values = Enumerable.Range(1, 12).SelectMany(k => new[] { k.ToString(System.Globalization.CultureInfo.InvariantCulture), k + ".0" }).ToList();
        var expected = values.ToList();
        for (var seed = 0; seed < 5; seed++)
        {
            var rng = new Random(seed);
            var shuffled = values.OrderBy(_ => rng.Next()).ToList();
            Factor.FromValues("x", shuffled).Levels.Should().Equal(expected, "numbers first, then the text, ordinal");
        }
    }

    [Theory]
    [InlineData(new[] { "Obs", "Lev" }, "'Lev+5FU' is missing from the order")]
    [InlineData(new[] { "Obs", "Lev", "Lev+5FU", "lev" }, "'lev' is not a level")]
    [InlineData(new[] { "Obs", "Lev", "Lev+5FU", "Obs" }, "'Obs' is named twice")]
    public void An_order_that_does_not_name_each_level_once_is_refused(string[] order, string message) =>
        FluentActions.Invoking(() => Rx.WithLevels(order)).Should().Throw<ArgumentException>().Which.Message.Should().Contain(message);

    [Fact]
    public void The_first_level_is_the_reference_of_a_cox_model()
    {
        // Reordering the levels changes only which level is the reference: the Cox log-likelihood is the same, and
        // the HR of Lev against Obs is the inverse of Obs against Lev.
        double[] time = [5, 8, 3, 9, 12, 4, 7, 10, 6, 11, 2, 13];
        bool[] status = [true, true, true, false, true, true, false, true, true, true, true, false];
        var g = Factor.FromValues("g", ["Obs", "Lev", "Obs", "Lev", "Obs", "Lev", "Obs", "Lev", "Obs", "Lev", "Obs", "Lev"]);
        var a = CoxRegression.Fit(time, status, [new CategoricalCovariate(g)]);
        var b = CoxRegression.Fit(time, status, [new CategoricalCovariate(g.WithLevels(["Obs", "Lev"]))]);
        b.LogLik.Should().BeApproximately(a.LogLik, 1e-10);
        b.Terms[0].HazardRatio.Should().BeApproximately(1 / a.Terms[0].HazardRatio, 1e-9);
    }
}
