using System.Text.Json;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests.Comparisons;

public class DescriptivesTests
{
    private static readonly JsonElement Golden_ = Golden.Load("compare_descriptives");

    public static TheoryData<int> NumericCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Golden_.GetProperty("numeric").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    internal static void ShouldMatch(JsonElement c, NumericSummary s, string what)
    {
        s.N.Should().Be(c.GetProperty("n").GetInt32(), what);
        s.Missing.Should().Be(c.GetProperty("missing").GetInt32(), what);
        foreach (var (field, value) in new (string, double?)[]
        {
            ("mean", s.Mean), ("sd", s.SD), ("median", s.Median), ("q1", s.Q1), ("q3", s.Q3), ("min", s.Min), ("max", s.Max),
        })
        {
            double expected = Golden.Number(c.GetProperty(field));
            if (double.IsNaN(expected))
            {
                value.Should().BeNull($"{what} {field} is NA in R");
            }
            else
            {
                value.Should().NotBeNull($"{what} {field}");
                Approx.Equal(expected, value!.Value, Approx.NonIterative, $"{what} {field}");
            }
        }
    }

    // R: n, sum(is.na(x)), mean, sd, median, quantile(x, c(.25, .75), type = 7), min, max (na.rm) on hand-made data with
    // NA, an even count, one value, all missing, and lung age, wt.loss, meal.cal, time / 30.4375.
    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Numeric_summary_matches_R(int index)
    {
        var c = Golden_.GetProperty("numeric")[index];
        var summary = Descriptives.Numeric(Golden.Numbers(c.GetProperty("values")));
        ShouldMatch(c, summary, c.GetProperty("name").GetString()!);
    }

    [Fact]
    public void Hand_computed_type_7_quartiles()
    {
        // Sorted 1.5, 2.2, 2.2, 3.2, 4.4, 5.0, 7.7 (n = 7): h = 1 + 6p -> Q1 = x(2.5) = 2.2, Q3 = x(5.5) = 4.4 + 0.5·0.6 = 4.7.
        var s = Descriptives.Numeric([3.2, double.NaN, 1.5, 7.7, 2.2, double.NaN, 5.0, 4.4, 2.2]);
        s.Q1.Should().Be(2.2);
        Approx.Equal(4.7, s.Q3!.Value, 1e-15, "Q3");
        s.Median.Should().Be(3.2);
        s.Missing.Should().Be(2);
    }

    [Fact]
    public void Order_of_the_values_does_not_matter()
    {
        double[] values = [3.2, double.NaN, 1.5, 7.7, 2.2, 5.0, 4.4, 2.2];
        var a = Descriptives.Numeric(values);
        var b = Descriptives.Numeric(values.Reverse().ToArray());
        b.Median.Should().Be(a.Median);
        b.Q1.Should().Be(a.Q1);
        b.Q3.Should().Be(a.Q3);
        Approx.Equal(a.SD!.Value, b.SD!.Value, 1e-14, "SD");
    }

    [Fact]
    public void Mean_and_SD_are_the_same_bits_in_any_row_order()
    {
        // Sums of decimals depend on their order in the last bit, which can move a rounded table cell (x.xx5): the
        // registry's pooled cohort and the extract hold the same values in different orders.
        var rng = new Random(11);
        var values = Enumerable.Range(0, 40).Select(_ => Math.Round(rng.NextDouble() * 9, 1) + 0.1).ToArray();
        var first = Descriptives.Numeric(values);
        for (var seed = 0; seed < 50; seed++)
        {
            var order = new Random(seed);
            var shuffled = values.OrderBy(_ => order.Next()).ToArray();
            var again = Descriptives.Numeric(shuffled);
            again.Mean.Should().Be(first.Mean, $"permutation {seed}");
            again.SD.Should().Be(first.SD, $"permutation {seed}");
        }
    }

    [Fact]
    public void Empty_and_single_value_summaries_have_nulls()
    {
        var empty = Descriptives.Numeric([]);
        empty.N.Should().Be(0);
        empty.Mean.Should().BeNull();
        var one = Descriptives.Numeric([42.5]);
        one.SD.Should().BeNull();
        one.Mean.Should().Be(42.5);
        one.Q1.Should().Be(42.5);
    }

    // R: table(ph.ecog), 100 * prop.table(table(ph.ecog)), 100 * table(ph.ecog) / length(ph.ecog), sum(is.na(ph.ecog))
    [Fact]
    public void Categorical_counts_and_percents_match_R_on_lung_ecog()
    {
        var c = Golden_.GetProperty("categorical");
        var lung = CsvData.Load("lung");
        var summary = Descriptives.Categorical(Factor.FromValues("ph.ecog", lung.Text("ph.ecog")));
        summary.Levels.Select(l => l.Level).Should().Equal(Golden.Strings(c.GetProperty("levels")));
        summary.Levels.Select(l => l.Count).Should().Equal(c.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32()));
        Approx.Equal(Golden.Numbers(c.GetProperty("percent")), summary.Levels.Select(l => l.Percent!.Value).ToArray(), Approx.NonIterative, "percent");
        Approx.Equal(Golden.Numbers(c.GetProperty("percent_of_all")), summary.Levels.Select(l => l.PercentOfAll!.Value).ToArray(), Approx.NonIterative, "percent of all");
        summary.N.Should().Be(c.GetProperty("n").GetInt32());
        summary.Missing.Should().Be(c.GetProperty("missing").GetInt32());
        summary.Total.Should().Be(lung.Rows);
    }

    [Fact]
    public void Unused_levels_are_listed_with_zero_count()
    {
        var f = Factor.FromCodes("g", [0, 0, -1, 2], ["a", "b", "c"]);
        var s = Descriptives.Categorical(f);
        s.Levels.Select(l => l.Count).Should().Equal(2, 0, 1);
        Approx.Equal(200.0 / 3, s.Levels[0].Percent!.Value, 1e-15, "percent of non-missing");
        s.Levels[0].PercentOfAll.Should().Be(50);
    }

    [Fact]
    public void Null_inputs_are_rejected()
    {
        FluentActions.Invoking(() => Descriptives.Numeric(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Descriptives.Categorical(null!)).Should().Throw<ArgumentNullException>();
    }
}
