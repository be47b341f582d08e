using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival.Tests.LogRank;

/// <summary>Identities the test must satisfy whatever R says: invariances and agreement between code paths.</summary>
public class LogRankPropertyTests
{
    private static (double[] Time, bool[] Status, string?[] Sex, string?[] Ecog) Lung()
    {
        var d = CsvData.Load("lung");
        return (d.Numeric("time"), d.Event("status"), d.Text("sex"), d.Text("ph.ecog"));
    }

    private static void SameTest(LogRankResult expected, LogRankResult actual, double rel = 1e-12, bool sameRows = true)
    {
        Approx.Equal(expected.ChiSquare, actual.ChiSquare, rel, "chisq");
        actual.DegreesOfFreedom.Should().Be(expected.DegreesOfFreedom);
        Approx.Equal(expected.P, actual.P, rel, "p");
        actual.N.Should().Be(expected.N);
        if (sameRows)
        {
            actual.NDropped.Should().Be(expected.NDropped);
        }
    }

    [Fact]
    public void Row_order_changes_nothing()
    {
        var (time, status, sex, ecog) = Lung();
        var r0 = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("sex", sex), Factor.FromValues("ph.ecog", ecog), new LogRankOptions { Rho = 1 });
        var perm = Enumerable.Range(0, time.Length).OrderBy(_ => Guid.NewGuid()).ToArray();
        var r1 = Survival.RankTests.LogRank.Test(
            perm.Select(i => time[i]).ToArray(),
            perm.Select(i => status[i]).ToArray(),
            Factor.FromValues("sex", perm.Select(i => sex[i]).ToArray()),
            Factor.FromValues("ph.ecog", perm.Select(i => ecog[i]).ToArray()),
            new LogRankOptions { Rho = 1 });
        SameTest(r0, r1);
        for (int g = 0; g < r0.Groups.Count; g++)
        {
            Approx.Equal(r0.Groups[g].Observed, r1.Groups[g].Observed, 1e-12, "observed");
            Approx.Equal(r0.Groups[g].Expected, r1.Groups[g].Expected, 1e-12, "expected");
        }
    }

    [Fact]
    public void Relabelling_and_reordering_the_groups_changes_only_the_row_order()
    {
        var d = CsvData.Load("veteran");
        var time = d.Numeric("time");
        var status = d.Event("status");
        var cell = d.Text("celltype");
        var r0 = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("celltype", cell));
        var renamed = cell.Select(c => "z_" + c).ToArray();
        var r1 = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("celltype", renamed, reference: "z_squamous"));
        SameTest(r0, r1, 1e-10);
        r1.Groups[0].Level.Should().Be("z_squamous");
        var squamous0 = r0.Groups.Single(g => g.Level == "squamous");
        Approx.Equal(squamous0.Expected, r1.Groups[0].Expected, 1e-12, "expected of squamous");
        Approx.Equal(r0.Variance[3][3], r1.Variance[0][0], 1e-12, "V of squamous");
    }

    [Fact]
    public void Rescaling_time_changes_nothing()
    {
        var (time, status, sex, _) = Lung();
        var g = Factor.FromValues("sex", sex);
        var r0 = Survival.RankTests.LogRank.Test(time, status, g);
        var r1 = Survival.RankTests.LogRank.Test(time.Select(t => t / 30.4375).ToArray(), status, g);
        var r2 = Survival.RankTests.LogRank.Test(time.Select(t => (t * 1000) - 5).ToArray(), status, g);
        SameTest(r0, r1);
        SameTest(r0, r2);
    }

    [Fact]
    public void Observed_minus_expected_sums_to_zero_and_variance_rows_sum_to_zero()
    {
        var d = CsvData.Load("veteran");
        var r = Survival.RankTests.LogRank.Test(d.Numeric("time"), d.Event("status"), Factor.FromValues("celltype", d.Text("celltype")), options: new LogRankOptions { Rho = 1 });
        Math.Abs(r.Groups.Sum(g => g.Observed - g.Expected)).Should().BeLessThan(1e-10);
        foreach (var row in r.Variance)
        {
            Math.Abs(row.Sum()).Should().BeLessThan(1e-10);
        }

        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                r.Variance[i][j].Should().Be(r.Variance[j][i]);
            }
        }
    }

    [Fact]
    public void One_stratum_equals_no_strata()
    {
        var (time, status, sex, _) = Lung();
        var g = Factor.FromValues("sex", sex);
        var r0 = Survival.RankTests.LogRank.Test(time, status, g);
        var r1 = Survival.RankTests.LogRank.Test(time, status, g, Factor.FromValues("all", Enumerable.Repeat<string?>("x", time.Length).ToArray()));
        SameTest(r0, r1, 0);
        r1.Stratified.Should().BeTrue();
        r1.StrataCount.Should().Be(1);
    }

    [Fact]
    public void A_stratified_test_sums_the_per_stratum_tables()
    {
        var (time, status, sex, ecog) = Lung();
        var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("sex", sex), Factor.FromValues("ph.ecog", ecog));
        var o = new double[2];
        var e = new double[2];
        var v = 0.0;
        foreach (var level in new[] { "0", "1", "2" }) // stratum "3" has one subject, a man: one group only
        {
            var rows = Enumerable.Range(0, time.Length).Where(i => ecog[i] == level).ToArray();
            var part = Survival.RankTests.LogRank.Test(rows.Select(i => time[i]).ToArray(), rows.Select(i => status[i]).ToArray(), Factor.FromValues("sex", rows.Select(i => sex[i]).ToArray()));
            o[0] += part.Groups[0].Observed;
            o[1] += part.Groups[1].Observed;
            e[0] += part.Groups[0].Expected;
            e[1] += part.Groups[1].Expected;
            v += part.Variance[0][0];
        }

        // The one-subject stratum: an event with n = 1 adds 1 to O and E of its group.
        int lone = Enumerable.Range(0, time.Length).Single(i => ecog[i] == "3");
        int loneGroup = sex[lone] == "1" ? 0 : 1;
        o[loneGroup] += status[lone] ? 1 : 0;
        e[loneGroup] += status[lone] ? 1 : 0;
        Approx.Equal(o, r.Groups.Select(g => g.Observed).ToArray(), 1e-12, "observed");
        Approx.Equal(e, r.Groups.Select(g => g.Expected).ToArray(), 1e-12, "expected");
        Approx.Equal(v, r.Variance[0][0], 1e-12, "variance");
        Approx.Equal((o[1] - e[1]) * (o[1] - e[1]) / v, r.ChiSquare, 1e-12, "chisq");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Whole_and_fractional_times_take_different_routes_to_the_same_result(double rho)
    {
        // Whole-day times are tallied in a histogram; shifted by 0.5 they are sorted and walked. Ties are unchanged.
        var (time, status, sex, ecog) = Lung();
        var options = new LogRankOptions { Rho = rho };
        var g = Factor.FromValues("sex", sex);
        var s = Factor.FromValues("ph.ecog", ecog);
        var whole = Survival.RankTests.LogRank.Test(time, status, g, s, options);
        var shifted = Survival.RankTests.LogRank.Test(time.Select(t => t + 0.5).ToArray(), status, g, s, options);
        SameTest(whole, shifted);
        for (int i = 0; i < 2; i++)
        {
            Approx.Equal(whole.Groups[i].Observed, shifted.Groups[i].Observed, 1e-12, "observed");
            Approx.Equal(whole.Groups[i].Expected, shifted.Groups[i].Expected, 1e-12, "expected");
            Approx.Equal(whole.Variance[i], shifted.Variance[i], 1e-12, "variance");
        }
    }

    [Fact]
    public void Whole_times_spread_wider_than_the_histogram_allows_are_sorted_instead()
    {
        var rng = new Random(11);
        int n = 200;
        var time = Enumerable.Range(0, n).Select(_ => (double)rng.Next(0, 5_000_000)).ToArray();
        time[5] = time[6]; // one tie
        var status = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.6).ToArray();
        var group = Factor.FromValues("g", Enumerable.Range(0, n).Select(i => (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        var wide = Survival.RankTests.LogRank.Test(time, status, group);
        var fractional = Survival.RankTests.LogRank.Test(time.Select(t => t + 0.25).ToArray(), status, group);
        SameTest(wide, fractional);
    }

    [Fact]
    public void Huge_whole_times_are_near_tie_merged_as_R_would()
    {
        // Around 1e8, neighbours 1 apart differ by 1e-8 relative, under R's tolerance 1.49e-8: aeqSurv merges them all.
        double[] time = [1e8, 1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4, 1e8 + 5];
        bool[] status = [true, false, true, true, false, true];
        var group = Factor.FromValues("g", ["a", "b", "a", "b", "a", "b"]);
        var r = Survival.RankTests.LogRank.Test(time, status, group);
        var merged = Survival.RankTests.LogRank.Test(TimeFixer.Apply(time), status, group, options: new LogRankOptions { TimeFix = TimeFix.Exact });
        TimeFixer.Apply(time).Distinct().Should().HaveCount(1);
        SameTest(merged, r, 0);
        var exact = Survival.RankTests.LogRank.Test(time, status, group, options: new LogRankOptions { TimeFix = TimeFix.Exact });
        exact.ChiSquare.Should().NotBe(r.ChiSquare);
    }

    [Fact]
    public void Lists_and_arrays_give_the_same_result()
    {
        var (time, status, sex, ecog) = Lung();
        var r0 = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("sex", sex), Factor.FromValues("ph.ecog", ecog));
        var r1 = Survival.RankTests.LogRank.Test(time.ToList(), status.ToList(), Factor.FromValues("sex", sex), Factor.FromValues("ph.ecog", ecog));
        SameTest(r0, r1, 0);
    }

    [Fact]
    public void A_level_emptied_by_dropping_is_left_out_and_reported()
    {
        // Level "c" only occurs where the stratum is missing.
        var r = Survival.RankTests.LogRank.Test(
            [1.0, 2, 3, 4, 5, 6],
            [true, true, true, false, true, true],
            Factor.FromValues("g", ["a", "b", "a", "b", "c", "b"]),
            Factor.FromValues("st", ["s", "s", "s", "s", null, "s"]));
        r.Groups.Select(g => g.Level).Should().Equal("a", "b");
        r.NDropped.Should().Be(1);
        r.Warnings.Select(w => w.Code).Should().Contain("empty-group-level");
        var direct = Survival.RankTests.LogRank.Test([1.0, 2, 3, 4, 6], [true, true, true, false, true], Factor.FromValues("g", ["a", "b", "a", "b", "b"]));
        SameTest(direct, r, 0, sameRows: false);
    }

    [Fact]
    public void Large_continuous_and_whole_day_inputs_agree_with_a_direct_computation()
    {
        // Exercises the radix-sort and counting-sort paths of TimeOrder with a reference O(n·D) computation.
        var rng = new Random(7);
        foreach (bool whole in new[] { true, false })
        {
            int n = 40_000;
            var time = new double[n];
            var status = new bool[n];
            var group = new string?[n];
            for (int i = 0; i < n; i++)
            {
                int g = rng.Next(3);
                group[i] = g == 0 ? null : g.ToString(System.Globalization.CultureInfo.InvariantCulture);
                double t = -Math.Log(1 - rng.NextDouble()) * (g == 2 ? 300 : 400);
                time[i] = whole ? Math.Ceiling(t) : t;
                status[i] = rng.NextDouble() < 0.7;
            }

            var r = Survival.RankTests.LogRank.Test(time, status, Factor.FromValues("g", group), options: new LogRankOptions { Rho = 1 });
            // Continuous times of this size hold near-ties that R merges: the reference sees TimeFixer's output.
            var (o, e, v) = Reference(TimeFixer.Apply(time), status, group, rho: 1);
            Approx.Equal(o, r.Groups[1].Observed, 1e-9, "observed");
            Approx.Equal(e, r.Groups[1].Expected, 1e-9, "expected");
            Approx.Equal(v, r.Variance[1][1], 1e-9, "variance");
        }
    }

    /// <summary>Two-group G^rho sums for group "2", straight from the definition, with LINQ and no shared code.</summary>
    private static (double O, double E, double V) Reference(double[] time, bool[] status, string?[] group, double rho)
    {
        var rows = Enumerable.Range(0, time.Length).Where(i => group[i] is not null).ToArray();
        var times = rows.Where(i => status[i]).Select(i => time[i]).Distinct().Order().ToArray();
        var sorted = rows.OrderBy(i => time[i]).ToArray();
        double o = 0, e = 0, v = 0, s = 1;
        int at = 0;
        int n = sorted.Length, n2 = sorted.Count(i => group[i] == "2");
        foreach (double t in times)
        {
            while (time[sorted[at]] < t)
            {
                n--;
                if (group[sorted[at]] == "2")
                {
                    n2--;
                }

                at++;
            }

            int d = 0, d2 = 0;
            for (int j = at; j < sorted.Length && time[sorted[j]] == t; j++)
            {
                if (status[sorted[j]])
                {
                    d++;
                    d2 += group[sorted[j]] == "2" ? 1 : 0;
                }
            }

            double w = Math.Pow(s, rho);
            o += w * d2;
            e += w * d * n2 / n;
            if (n > 1)
            {
                v += w * w * d * (n - d) / (n - 1.0) * n2 / n * (n - n2) / n;
            }

            s *= (n - d) / (double)n;
        }

        return (o, e, v);
    }
}
