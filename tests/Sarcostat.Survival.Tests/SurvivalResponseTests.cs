using System.Globalization;
using static Sarcostat.Survival.Tests.KaplanMeier.KaplanMeierGolden;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival.Tests;

/// <summary>
/// <see cref="SurvivalResponse"/>: Kaplan-Meier and log-rank on a response give the numbers of the array overloads
/// bit for bit (log-rank: the response's shared sort against the unsorted accumulation of the array overload), on the golden datasets and on random data with ties, near-ties, empty levels and missing groups; and
/// the Kaplan-Meier walk and its median agree with a from-scratch reference.
/// </summary>
public class SurvivalResponseTests
{
    private static readonly double[] ReadAt = [0, 1, 5.5, 30, 100, 365, 1000, 1e6];

    public static TheoryData<string, string, string> GoldenDatasets() => new()
    {
        // R: survfit(Surv(time, status) ~ sex, data = lung); survdiff(Surv(time, status) ~ sex, data = lung)
        { "lung", "time", "status" },
        // R: survfit(Surv(time, status) ~ celltype, data = veteran); survdiff(Surv(time, status) ~ celltype, data = veteran)
        { "veteran", "time", "status" },
        // R: survfit(Surv(futime, fustat) ~ rx, data = ovarian); survdiff(Surv(futime, fustat) ~ rx, data = ovarian)
        { "ovarian", "futime", "fustat" },
    };

    [Theory]
    [MemberData(nameof(GoldenDatasets))]
    public void Prepared_fits_and_tests_equal_the_unprepared_ones_on_the_golden_datasets(string dataset, string timeColumn, string statusColumn)
    {
        var d = CsvData.Load(dataset);
        var time = d.Numeric(timeColumn);
        var status = d.Event(statusColumn);
        string column = dataset switch { "lung" => "sex", "veteran" => "celltype", _ => "rx" };
        var group = Factor.FromValues(column, d.Text(column));
        var data = SurvivalResponse.Create(time, status, group);
        CompareEverything(time, status, group, data, dataset);
    }

    [Fact]
    public void Prepared_fits_equal_the_unprepared_ones_with_a_missing_group_and_a_group_without_events()
    {
        // R: survfit(Surv(time, status) ~ g), g = factor(.., levels = c("c", "a", "b")), one NA (km_edge.json)
        var c = Case("km_edge", "group_without_events", "log");
        var time = ExactTimes(c.GetProperty("time"));
        var status = Status(c.GetProperty("status"));
        var levels = Golden.Strings(c.GetProperty("levels"));
        var codes = Golden.Strings(c.GetProperty("group")).Select(v => Array.IndexOf(levels, v)).ToArray();
        var group = Factor.FromCodes("g", codes, levels);
        var data = SurvivalResponse.Create(time, status, group);
        data.Dropped.Should().ContainSingle().Which.Reason.Should().Be(DropReason.MissingGroup);
        data.Dropped[0].Rows.Should().Equal(12);
        data.Count.Should().Be(time.Length);
        data.Kept.Should().Be(time.Length - 1);
        CompareEverything(time, status, group, data, "group_without_events");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Prepared_fits_equal_the_unprepared_ones_on_near_tied_months(bool timefix)
    {
        // R: survfit(Surv(time, status) ~ g, timefix = ...) on months = days / 30.4375 or days / 365.25 * 12 (km_edge.json),
        // split into two groups at random.
        var c = Case("km_edge", "near_ties", "log", timefix);
        var time = ExactTimes(c.GetProperty("time"));
        var status = Status(c.GetProperty("status"));
        var rng = new Random(5);
        var group = Factor.FromCodes("g", time.Select(_ => rng.Next(2)).ToArray(), ["x", "y"]);
        CompareEverything(time, status, group, SurvivalResponse.Create(time, status, group), $"near_ties timefix={timefix}");
    }

    public static TheoryData<string, int> RandomCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string kind in new[] { "continuous", "days", "months", "heavy-ties" })
        {
            foreach (int n in new[] { 40, 3000, 60_000 })
            {
                data.Add(kind, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Prepared_fits_and_tests_equal_the_unprepared_ones_on_random_data(string kind, int n)
    {
        var (time, status, group) = Draw(kind, n, seed: 20261122 + n);
        CompareEverything(time, status, group, SurvivalResponse.Create(time, status, group), $"{kind} n={n}");
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Each_curve_and_its_median_equal_a_from_scratch_reference(string kind, int n)
    {
        var (time, status, group) = Draw(kind, n, seed: 17 + n);
        var data = SurvivalResponse.Create(time, status, group);
        foreach (var fix in new[] { TimeFix.R, TimeFix.Exact })
        {
            foreach (var type in new[] { ConfidenceIntervalType.Log, ConfidenceIntervalType.LogLog, ConfidenceIntervalType.Plain })
            {
                var options = new KaplanMeierOptions { ConfidenceType = type, TimeFix = fix };
                var fits = Survival.Curves.KaplanMeier.FitByGroup(data, options).Fits;
                for (int level = 0; level < group.Levels.Count; level++)
                {
                    Reference(time, status, group, level, options, fits[level], $"{kind} n={n} {fix} {type} level {level}");
                }
            }
        }
    }

    [Fact]
    public void One_prepared_data_serves_both_time_rules_in_any_order()
    {
        var (time, status, group) = Draw("months", 5000, seed: 3);
        var data = SurvivalResponse.Create(time, status, group);
        foreach (var fix in new[] { TimeFix.Exact, TimeFix.R, TimeFix.Exact, TimeFix.R })
        {
            var km = new KaplanMeierOptions { TimeFix = fix };
            Same(Survival.Curves.KaplanMeier.FitByGroup(time, status, group, km), Survival.Curves.KaplanMeier.FitByGroup(data, km), $"{fix}");
            var lr = new LogRankOptions { TimeFix = fix };
            Same(Survival.RankTests.LogRank.Test(time, status, group, options: lr), Survival.RankTests.LogRank.Test(data, lr), $"{fix}");
        }

        Survival.Curves.KaplanMeier.FitByGroup(data, new KaplanMeierOptions { TimeFix = TimeFix.R }).Fits.Sum(f => f.Steps.Count)
            .Should().BeLessThan(Survival.Curves.KaplanMeier.FitByGroup(data, new KaplanMeierOptions { TimeFix = TimeFix.Exact }).Fits.Sum(f => f.Steps.Count),
                "the case must be one where the merge changes the curves");
    }

    [Fact]
    public void Create_checks_its_input()
    {
        var group = Factor.FromCodes("g", [0, 1, 0], ["a", "b"]);
        FluentActions.Invoking(() => SurvivalResponse.Create(null!, [true, true, true], group)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => SurvivalResponse.Create([1, 2, 3], (bool[])null!, group)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => SurvivalResponse.Create([1, 2], [true, true, true], group))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("status");
        FluentActions.Invoking(() => SurvivalResponse.Create([1, 2, 3], [true, true, true], Factor.FromCodes("g", [0, 1], ["a", "b"])))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("group");
        FluentActions.Invoking(() => SurvivalResponse.Create([1, 2, 3], [true, true, true], null, Factor.FromCodes("s", [0], ["a"])))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("strata");
    }

    [Theory]
    [InlineData(double.NaN, "time[1] = NaN is not a finite, non-negative time.")]
    [InlineData(double.PositiveInfinity, "time[1] = Infinity is not a finite, non-negative time.")]
    [InlineData(-2.5, "time[1] = -2.5 is not a finite, non-negative time.")]
    public void A_time_that_is_present_but_unusable_is_data_trouble_naming_its_row_and_value(double bad, string message)
    {
        var ex = FluentActions.Invoking(() => SurvivalResponse.Create([1, bad, 3], [true, true, false]))
            .Should().Throw<SurvivalResponseException>().Which;
        ex.Message.Should().Be(message);
        ex.Code.Should().Be("invalid-time");
        ex.Row.Should().Be(1);
        ex.Should().BeAssignableTo<AnalysisDataException>();

        var nullable = FluentActions.Invoking(() => SurvivalResponse.FromValues([1, null, bad], [1, 0, 1]))
            .Should().Throw<SurvivalResponseException>().Which;
        nullable.Code.Should().Be("invalid-time");
        nullable.Row.Should().Be(2);
        nullable.Message.Should().StartWith("time[2] = ");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void A_status_other_than_0_or_1_is_data_trouble_naming_its_row_and_value(int bad)
    {
        var ex = FluentActions.Invoking(() => SurvivalResponse.FromValues([1.0, 2, 3, 4], [1, 0, null, bad]))
            .Should().Throw<SurvivalResponseException>().Which;
        ex.Code.Should().Be("invalid-status");
        ex.Row.Should().Be(3);
        ex.Message.Should().Be(string.Create(CultureInfo.InvariantCulture, $"status[3] = {bad} is not 0 (censored) or 1 (event)."));
    }

    [Fact]
    public void Rows_with_a_missing_part_are_left_out_and_counted_under_the_first_missing_part()
    {
        // Row: 0 complete, 1 no time, 2 no status, 3 no group, 4 no stratum, 5 no time and no group (counted as time),
        // 6 no group and no stratum (counted as group), 7 complete event, 8 no stratum (an event).
        double?[] time = [1, null, 3, 4, 5, null, 7, 8, 9];
        int?[] status = [1, 0, null, 1, 0, 1, 0, 1, 1];
        var group = Factor.FromCodes("arm", [0, 1, 0, -1, 1, -1, -1, 1, 0], ["a", "b"]);
        var strata = Factor.FromCodes("site", [0, 0, 1, 1, -1, 0, -1, 1, -1], ["x", "y"]);
        var r = SurvivalResponse.FromValues(time, status, group, strata);

        r.Count.Should().Be(9);
        r.Kept.Should().Be(2);
        r.DroppedCount.Should().Be(7);
        r.Rows.Should().Equal(0, 7);
        r.Time.Should().Equal(1, 8);
        r.Status.Should().Equal(true, true);
        r.Events.Should().Be(2);
        r.Group!.Codes.Should().Equal(0, 1);
        r.Group.Levels.Should().Equal("a", "b");
        r.Strata!.Codes.Should().Equal(0, 1);
        r.Dropped.Select(d => (d.Reason, d.Variable, string.Join(",", d.Rows))).Should().Equal(
            (DropReason.MissingTime, "time", "1,5"),
            (DropReason.MissingStatus, "status", "2"),
            (DropReason.MissingGroup, "arm", "3,6"),
            (DropReason.MissingStratum, "site", "4,8"));

        // Events among the rows left out whose status is known: row 3 (missing group) and row 8 (missing stratum).
        r.EventsDropped.Should().Be(2);
        r.ToString().Should().Be("SurvivalResponse(n=9, kept=2, events=2, group=arm, strata=site, dropped: 2 missing time, 1 missing status, 2 missing arm, 2 missing site)");
    }

    [Fact]
    public void A_complete_response_keeps_every_row_and_references_the_arrays()
    {
        double[] time = [3, 1, 2];
        bool[] status = [true, false, true];
        var r = SurvivalResponse.Create(time, status);
        r.Kept.Should().Be(3);
        r.Dropped.Should().BeEmpty();
        r.Rows.Should().Equal(0, 1, 2);
        r.Time.Should().BeSameAs(time);
        r.ToString().Should().Be("SurvivalResponse(n=3, kept=3, events=2)");
    }

    [Fact]
    public void Kaplan_Meier_on_a_response_rejects_empty_data_and_a_response_without_a_group_as_a_defect()
    {
        var group = Factor.FromCodes("g", [0, 1, 0, 1], ["a", "b"]);
        double[] time = [3, 1, 2, 4];
        bool[] status = [true, false, true, true];
        var data = SurvivalResponse.Create(time, status, group);
        FluentActions.Invoking(() => Survival.Curves.KaplanMeier.FitByGroup((SurvivalResponse)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Survival.Curves.KaplanMeier.FitByGroup(data, new KaplanMeierOptions { ConfidenceLevel = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>();
        var empty = SurvivalResponse.Create([], [], Factor.FromCodes("g", [], ["a", "b"]));
        FluentActions.Invoking(() => Survival.Curves.KaplanMeier.FitByGroup(empty)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("response");
        FluentActions.Invoking(() => Survival.Curves.KaplanMeier.FitByGroup(SurvivalResponse.Create(time, status)))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("response");
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(SurvivalResponse.Create(time, status)))
            .Should().Throw<ArgumentException>().Which.ParamName.Should().Be("response");
        var allDropped = SurvivalResponse.FromValues([1.0, null], [null, 1]);
        FluentActions.Invoking(() => Survival.Curves.KaplanMeier.Fit(allDropped))
            .Should().Throw<SurvivalResponseException>().WithMessage("All 2 observations were left out (1 missing time, 1 missing status)*");
    }

    [Fact]
    public void The_array_overloads_reject_a_negative_time_as_data_trouble()
    {
        // Every array overload builds a response, so a negative time (dates in the wrong order) stops each the same way.
        var group = Factor.FromCodes("g", [0, 1, 0, 1], ["a", "b"]);
        double[] time = [3, 1, -2, 4];
        bool[] status = [true, false, true, true];
        var x = new Survival.Cox.NumericCovariate("x", [1, 2, 3, 5]);
        Action[] calls =
        [
            () => Survival.Curves.KaplanMeier.Fit(time, status),
            () => Survival.Curves.KaplanMeier.FitByGroup(time, status, group),
            () => Survival.Curves.KaplanMeier.FollowUp(time, status),
            () => Survival.RankTests.LogRank.Test(time, status, group),
            () => Survival.Cox.CoxRegression.Fit(time, status, [x]),
            () => Survival.Cox.CoxCovariateTests.Test(time, status, [x]),
            () => Survival.Cox.CoxFirth.Fit(time, status, [x]),
        ];
        foreach (var call in calls)
        {
            call.Should().Throw<SurvivalResponseException>().WithMessage("time[2] = -2 is not a finite, non-negative time.");
        }
    }

    [Fact]
    public void Log_rank_on_prepared_data_with_one_usable_group_fails_as_the_unprepared_overload()
    {
        var group = Factor.FromCodes("g", [0, 0, -1, 0], ["a", "b"]);
        double[] time = [3, 1, 2, 4];
        bool[] status = [true, false, true, true];
        var expected = FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(time, status, group)).Should().Throw<InsufficientGroupsException>().Which;
        var actual = FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(SurvivalResponse.Create(time, status, group)))
            .Should().Throw<InsufficientGroupsException>().Which;
        actual.Message.Should().Be(expected.Message);
        actual.RowsDropped.Should().Be(1);
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(SurvivalResponse.Create(time, status, group), new LogRankOptions { Rho = double.NaN }))
            .Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ToString_gives_the_sizes()
    {
        var data = SurvivalResponse.Create([1, 2, 3], [true, false, true], Factor.FromCodes("arm", [0, -1, 1], ["a", "b"]));
        data.ToString().Should().Be("SurvivalResponse(n=3, kept=2, events=2, group=arm, dropped: 1 missing arm)");
    }

    /// <summary>
    /// Random survival data: three groups used out of four levels (one empty), 3 % missing group, ~70 % events.
    /// continuous: all distinct; days: whole days; months: days / 30.4375 or days / 365.25 · 12 (near-ties);
    /// heavy-ties: 12 distinct times.
    /// </summary>
    private static (double[] Time, bool[] Status, Factor Group) Draw(string kind, int n, int seed)
    {
        var rng = new Random(seed);
        var time = new double[n];
        var status = new bool[n];
        var codes = new int[n];
        for (int i = 0; i < n; i++)
        {
            int g = rng.NextDouble() < 0.03 ? -1 : new[] { 0, 1, 3 }[rng.Next(3)];
            double t = -Math.Log(1 - rng.NextDouble()) * (g == 1 ? 300 : 400);
            double c = rng.NextDouble() * 1500;
            double y = Math.Min(t, c);
            time[i] = kind switch
            {
                "continuous" => y,
                "days" => Math.Max(1, Math.Ceiling(y)),
                "months" => rng.Next(2) == 0 ? Math.Max(1, Math.Ceiling(y)) / 30.4375 : Math.Max(1, Math.Ceiling(y)) / 365.25 * 12,
                _ => Math.Ceiling(y / 125) * 125,
            };
            status[i] = t <= c;
            codes[i] = g;
        }

        return (time, status, Factor.FromCodes("arm", codes, ["A", "B", "empty", "D"]));
    }

    /// <summary>Every Kaplan-Meier option combination and log-rank with ρ = 0 and 1, unprepared against prepared.</summary>
    private static void CompareEverything(double[] time, bool[] status, Factor group, SurvivalResponse data, string label)
    {
        foreach (var fix in new[] { TimeFix.R, TimeFix.Exact })
        {
            foreach (var type in new[] { ConfidenceIntervalType.Log, ConfidenceIntervalType.LogLog, ConfidenceIntervalType.Plain })
            {
                foreach (var median in new[] { MedianInterval.R, MedianInterval.Spss })
                {
                    var options = new KaplanMeierOptions { ConfidenceType = type, MedianInterval = median, TimeFix = fix };
                    Same(Survival.Curves.KaplanMeier.FitByGroup(time, status, group, options), Survival.Curves.KaplanMeier.FitByGroup(data, options), $"{label} {fix} {type} {median}");
                }
            }

            if (group.Codes.Where(c => c >= 0).Distinct().Count() >= 2)
            {
                foreach (double rho in new[] { 0.0, 1.0 })
                {
                    var options = new LogRankOptions { Rho = rho, TimeFix = fix };
                    Same(Survival.RankTests.LogRank.Test(time, status, group, options: options), Survival.RankTests.LogRank.Test(data, options), $"{label} {fix} rho={rho}");
                }
            }
        }
    }

    private static void Same(KaplanMeierGroups expected, KaplanMeierGroups actual, string label)
    {
        actual.GroupName.Should().Be(expected.GroupName, label);
        actual.Dropped.Should().Equal(expected.Dropped, label);
        actual.Warnings.Should().Equal(expected.Warnings, label);
        actual.Fits.Should().HaveCount(expected.Fits.Count, label);
        for (int g = 0; g < expected.Fits.Count; g++)
        {
            Same(expected.Fits[g], actual.Fits[g], $"{label} [{expected.Fits[g].Group}]");
        }
    }

    private static void Same(KaplanMeierFit expected, KaplanMeierFit actual, string label)
    {
        actual.ToString().Should().Be(expected.ToString(), label);
        actual.Warnings.Should().Equal(expected.Warnings, label);
        actual.Steps.Should().HaveCount(expected.Steps.Count, label);
        for (int k = 0; k < expected.Steps.Count; k++)
        {
            Same(expected.Steps[k], actual.Steps[k], $"{label} step {k}");
        }

        var e = expected.Median;
        var a = actual.Median;
        a.Method.Should().Be(e.Method, label);
        Bits(e.Estimate, a.Estimate, $"{label} median");
        Bits(e.Lower, a.Lower, $"{label} median lower");
        Bits(e.Upper, a.Upper, $"{label} median upper");
        Bits(e.StandardError, a.StandardError, $"{label} median SE");
        var ea = expected.At(ReadAt);
        var aa = actual.At(ReadAt);
        for (int q = 0; q < ReadAt.Length; q++)
        {
            aa[q].NRisk.Should().Be(ea[q].NRisk);
            aa[q].NEvent.Should().Be(ea[q].NEvent);
            aa[q].NCensor.Should().Be(ea[q].NCensor);
            aa[q].BeyondLastObservation.Should().Be(ea[q].BeyondLastObservation);
            Bits(ea[q].Survival, aa[q].Survival, $"{label} at {ReadAt[q]} surv");
            Bits(ea[q].StdErr, aa[q].StdErr, $"{label} at {ReadAt[q]} se");
            Bits(ea[q].Lower, aa[q].Lower, $"{label} at {ReadAt[q]} lower");
            Bits(ea[q].Upper, aa[q].Upper, $"{label} at {ReadAt[q]} upper");
        }
    }

    private static void Same(KaplanMeierStep expected, KaplanMeierStep actual, string label)
    {
        Bits(expected.Time, actual.Time, $"{label} time");
        actual.NRisk.Should().Be(expected.NRisk, label);
        actual.NEvent.Should().Be(expected.NEvent, label);
        actual.NCensor.Should().Be(expected.NCensor, label);
        Bits(expected.Survival, actual.Survival, $"{label} surv");
        Bits(expected.StdErr, actual.StdErr, $"{label} std.err");
        Bits(expected.StdErrLogSurvival, actual.StdErrLogSurvival, $"{label} std.err of log S");
        Bits(expected.CumulativeHazard, actual.CumulativeHazard, $"{label} cumhaz");
        Bits(expected.CumulativeHazardStdErr, actual.CumulativeHazardStdErr, $"{label} std.chaz");
        Bits(expected.Lower, actual.Lower, $"{label} lower");
        Bits(expected.Upper, actual.Upper, $"{label} upper");
    }

    private static void Same(LogRankResult expected, LogRankResult actual, string label)
    {
        actual.ToString().Should().Be(expected.ToString(), label);
        actual.Groups.Should().HaveCount(expected.Groups.Count, label);
        for (int g = 0; g < expected.Groups.Count; g++)
        {
            var e = expected.Groups[g];
            var a = actual.Groups[g];
            a.Level.Should().Be(e.Level, label);
            a.N.Should().Be(e.N, label);
            a.Events.Should().Be(e.Events, label);
            Bits(e.Observed, a.Observed, $"{label} O[{g}]");
            Bits(e.Expected, a.Expected, $"{label} E[{g}]");
            Bits(e.OMinusESquaredOverE, a.OMinusESquaredOverE, $"{label} (O-E)^2/E[{g}]");
            Bits(e.OMinusESquaredOverV, a.OMinusESquaredOverV, $"{label} (O-E)^2/V[{g}]");
            for (int h = 0; h < expected.Groups.Count; h++)
            {
                Bits(expected.Variance[g][h], actual.Variance[g][h], $"{label} V[{g},{h}]");
            }
        }

        Bits(expected.ChiSquare, actual.ChiSquare, $"{label} chisq");
        actual.DegreesOfFreedom.Should().Be(expected.DegreesOfFreedom, label);
        Bits(expected.P, actual.P, $"{label} p");
        actual.N.Should().Be(expected.N, label);
        actual.NDropped.Should().Be(expected.NDropped, label);
        actual.Stratified.Should().Be(expected.Stratified, label);
        actual.StrataCount.Should().Be(expected.StrataCount, label);
        actual.Warnings.Should().Equal(expected.Warnings, label);
    }

    /// <summary>
    /// The curve of one level computed from scratch: the kept rows' times merged by <see cref="TimeFixer.Apply(double[], TimeFix)"/>,
    /// the level's rows grouped by time with LINQ, the product-limit and Greenwood sums with the engine's arithmetic;
    /// the median by R's minmin scanned over every step (no shortcut).
    /// </summary>
    private static void Reference(double[] time, bool[] status, Factor group, int level, KaplanMeierOptions options, KaplanMeierFit fit, string label)
    {
        var kept = Enumerable.Range(0, time.Length).Where(i => group.Codes[i] >= 0).ToArray();
        var merged = TimeFixer.Apply(kept.Select(i => time[i]).ToArray(), options.TimeFix);
        var rows = kept.Select((i, k) => (Time: merged[k], Event: status[i], Level: group.Codes[i])).Where(r => r.Level == level).ToArray();
        var byTime = rows.GroupBy(r => r.Time).OrderBy(g => g.Key).ToArray();
        fit.Steps.Should().HaveCount(byTime.Length, label);
        double z = KaplanMeierEstimator.Z(options.ConfidenceLevel);
        int atRisk = rows.Length;
        double s = 1, v = 0;
        for (int k = 0; k < byTime.Length; k++)
        {
            int d = byTime[k].Count(r => r.Event), c = byTime[k].Count(r => !r.Event);
            if (d > 0)
            {
                s *= (double)(atRisk - d) / atRisk;
                v += d == atRisk ? double.PositiveInfinity : d / ((double)atRisk * (atRisk - d));
            }

            double sigma = Math.Sqrt(v);
            var step = fit.Steps[k];
            string at = $"{label} step {k}";
            Bits(byTime[k].Key, step.Time, $"{at} time");
            step.NRisk.Should().Be(atRisk, at);
            step.NEvent.Should().Be(d, at);
            step.NCensor.Should().Be(c, at);
            Bits(s, step.Survival, $"{at} surv");
            Bits(sigma, step.StdErrLogSurvival, $"{at} sigma");
            Bits(double.IsFinite(s * sigma) ? s * sigma : null, step.StdErr, $"{at} std.err");
            var (lower, upper) = KaplanMeierEstimator.Limits(s, sigma, options.ConfidenceType, z);
            Bits(lower, step.Lower, $"{at} lower");
            Bits(upper, step.Upper, $"{at} upper");
            atRisk -= d + c;
        }

        Bits(MinMin(fit.Steps, x => x.Survival), fit.Median.Estimate, $"{label} median");
        Bits(MinMin(fit.Steps, x => x.Lower), fit.Median.Lower, $"{label} median lower");
        Bits(MinMin(fit.Steps, x => x.Upper), fit.Median.Upper, $"{label} median upper");
    }

    /// <summary>R: <c>minmin(y, x)</c> of <c>survival:::survmean</c>, every step scanned.</summary>
    private static double? MinMin(IReadOnlyList<KaplanMeierStep> steps, Func<KaplanMeierStep, double?> curve)
    {
        double tol = Math.Sqrt(2.220446049250313e-16);
        for (int k = 0; k < steps.Count; k++)
        {
            if (curve(steps[k]) is not double y || !(y < 0.5 + tol))
            {
                continue;
            }

            if (Math.Abs(y - 0.5) < tol)
            {
                for (int j = k + 1; j < steps.Count; j++)
                {
                    if (curve(steps[j]) is double yj && yj < y)
                    {
                        return (steps[k].Time + steps[j].Time) / 2;
                    }
                }
            }

            return steps[k].Time;
        }

        return null;
    }

    private static void Bits(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            actual.Should().Be(expected, what);
            return;
        }

        if (BitConverter.DoubleToInt64Bits(expected.Value) != BitConverter.DoubleToInt64Bits(actual.Value))
        {
            throw new Xunit.Sdk.XunitException(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: expected {expected.Value:R}, found {actual.Value:R} (difference {actual.Value - expected.Value:R})"));
        }
    }
}
