using System.Text.Json;
using static Sarcostat.Survival.Tests.KaplanMeier.KaplanMeierGolden;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Survival.Tests.KaplanMeier;

/// <summary>Kaplan-Meier fits compared with R survival 3.5.3 (golden files from tools/reference/km.R).</summary>
public class KaplanMeierGoldenTests
{
    [Theory]
    // R: survfit(Surv(time, status) ~ 1, data = lung, conf.type = "log")
    [InlineData("lung_log")]
    // R: survfit(Surv(time, status) ~ 1, data = lung, conf.type = "log-log")
    [InlineData("lung_log-log")]
    // R: survfit(Surv(time, status) ~ 1, data = lung, conf.type = "plain")
    [InlineData("lung_plain")]
    // R: survfit(Surv(time, status) ~ 1, data = lung, conf.int = 0.90)
    [InlineData("lung_log_90")]
    // R: survfit(Surv(time, status) ~ sex, data = lung)
    [InlineData("lung_by_sex")]
    // R: survfit(Surv(time, status) ~ sex, data = lung, conf.type = "log-log")
    [InlineData("lung_by_sex_loglog")]
    // R: survfit(Surv(time, status) ~ celltype, data = veteran)
    [InlineData("veteran_by_celltype")]
    // R: survfit(Surv(futime, fustat) ~ rx, data = ovarian)
    [InlineData("ovarian_by_rx")]
    // R: survfit(Surv(futime, fustat) ~ 1, data = ovarian, conf.type = "plain")
    [InlineData("ovarian_plain")]
    public void Curve_median_and_readings_match_R_on_datasets(string name)
    {
        var c = Case("km_datasets", name);
        foreach (var median in new[] { MedianInterval.R, MedianInterval.Spss })
        {
            var fits = FitDataset(c, Options(c, median));
            var strata = c.GetProperty("strata").EnumerateArray().ToArray();
            fits.Should().HaveCount(strata.Length);
            var at = Golden.Numbers(c.GetProperty("at"));
            for (int k = 0; k < strata.Length; k++)
            {
                string label = $"{c.GetProperty("r_call").GetString()} [stratum {k + 1}]";
                if (median == MedianInterval.R)
                {
                    Stratum(strata[k], fits[k], at, label);
                }
                else
                {
                    Spss(strata[k], fits[k], label);
                }
            }
        }
    }

    [Theory]
    // R: survfit(Surv(time, status) ~ 1, conf.type = ct) for ct in log, log-log, plain, on the inputs in km_edge.json:
    // all censored (median not reached, no limits)
    [InlineData("all_censored")]
    // a single event among censorings
    [InlineData("single_event")]
    // n = 3, last observation an event
    [InlineData("n3")]
    // heavy ties: 24 observations on 5 distinct times
    [InlineData("heavy_ties")]
    // events and censorings at the same times (a censoring at an event time is at risk there)
    [InlineData("tied_event_censor")]
    // an event at the last time: S drops to 0, std.err NaN, limits NA
    [InlineData("last_is_event")]
    // S = 0.5 on a segment in the middle: median is the segment's midpoint
    [InlineData("flat_half_middle")]
    // S = 0.5 up to the last time: print(fit) gives the segment start (quantile() would give the midpoint to the end)
    [InlineData("flat_half_to_end")]
    // events and censorings at time 0 (no added time-0 row)
    [InlineData("events_at_zero")]
    // censorings before the first event: log-log limits NA while S = 1, readings before them use R's time-0 row
    [InlineData("late_entry_censor_first")]
    // a 20-patient curve read at 12, 36, 60 and 120 (beyond the last observation)
    [InlineData("long_curve")]
    // ties at every time and two events emptying the risk set at the last time: S = 0, fit$std.err Inf, the
    // Nelson-Aalen cumhaz jumps by 2/2 (std.chaz by 2/2^2)
    [InlineData("ties_last_event")]
    public void Edge_cases_match_R_for_every_interval_type(string name)
    {
        foreach (var type in new[] { "log", "log-log", "plain" })
        {
            var c = Case("km_edge", name, type);
            CompareSingle(c);
        }
    }

    [Theory]
    // R: survfit(Surv(time, status) ~ 1, conf.type = ct, timefix = TRUE) on months = days / 30.4375 or days / 365.25 * 12
    [InlineData(true)]
    // R: survfit(Surv(time, status) ~ 1, conf.type = ct, timefix = FALSE) on the same months
    [InlineData(false)]
    public void Near_tied_month_times_match_R_with_and_without_timefix(bool timefix)
    {
        foreach (var type in new[] { "log", "log-log", "plain" })
        {
            CompareSingle(Case("km_edge", "near_ties", type, timefix));
        }
    }

    [Fact]
    public void Timefix_changes_the_near_tied_curve_as_it_does_in_R()
    {
        // R: survfit(Surv(time, status) ~ 1, timefix = TRUE) vs timefix = FALSE: different numbers of distinct times
        var merged = Case("km_edge", "near_ties", "log", true);
        var exact = Case("km_edge", "near_ties", "log", false);
        var time = ExactTimes(merged.GetProperty("time"));
        var status = Status(merged.GetProperty("status"));
        var fitMerged = Survival.Curves.KaplanMeier.Fit(time, status);
        var fitExact = Survival.Curves.KaplanMeier.Fit(time, status, new KaplanMeierOptions { TimeFix = TimeFix.Exact });
        int rMerged = Golden.Numbers(merged.GetProperty("strata")[0].GetProperty("steps").GetProperty("time")).Length;
        int rExact = Golden.Numbers(exact.GetProperty("strata")[0].GetProperty("steps").GetProperty("time")).Length;
        rExact.Should().BeGreaterThan(rMerged, "the golden case must be one where timefix matters");
        fitMerged.Steps.Should().HaveCount(rMerged);
        fitExact.Steps.Should().HaveCount(rExact);
    }

    [Fact]
    public void By_group_with_a_group_without_events_and_a_missing_group_matches_R()
    {
        // R: survfit(Surv(time, status) ~ g, conf.type = ct), g = factor(.., levels = c("c", "a", "b")), one NA
        foreach (var type in new[] { "log", "log-log", "plain" })
        {
            var c = Case("km_edge", "group_without_events", type);
            var time = ExactTimes(c.GetProperty("time"));
            var status = Status(c.GetProperty("status"));
            var levels = Golden.Strings(c.GetProperty("levels"));
            var codes = Golden.Strings(c.GetProperty("group")).Select(v => Array.IndexOf(levels, v)).ToArray();
            var group = Factor.FromCodes("g", codes, levels);
            var at = Golden.Numbers(c.GetProperty("at"));
            var strata = c.GetProperty("strata").EnumerateArray().ToArray();

            var byGroup = Survival.Curves.KaplanMeier.FitByGroup(time, status, group, Options(c));
            byGroup.Fits.Select(f => f.Group).Should().Equal(levels);
            byGroup.Dropped.Should().Equal(12);
            byGroup.Warnings.Select(w => w.Code).Should().Contain("missing-group");
            byGroup["b"].Warnings.Select(w => w.Code).Should().Contain("no-events");
            var spss = Survival.Curves.KaplanMeier.FitByGroup(time, status, group, Options(c, MedianInterval.Spss));
            for (int k = 0; k < strata.Length; k++)
            {
                Stratum(strata[k], byGroup.Fits[k], at, $"{c.GetProperty("r_call").GetString()} [{levels[k]}]");
                Spss(strata[k], spss.Fits[k], $"SPSS [{levels[k]}]");
            }
        }
    }

    [Fact]
    public void Median_follows_print_not_quantile_when_survival_rests_at_half_until_the_end()
    {
        // R: print(survfit(Surv(c(1, 2, 3, 4), c(1, 1, 0, 0)) ~ 1)) median 2; quantile(fit, 0.5) gives 3
        var c = Case("km_edge", "flat_half_to_end", "log");
        var stratum = c.GetProperty("strata")[0];
        double printMedian = Golden.Number(stratum.GetProperty("median").GetProperty("estimate"));
        double quantileMedian = Golden.Number(stratum.GetProperty("quant").GetProperty("estimate"));
        quantileMedian.Should().NotBe(printMedian, "this case documents where the two R rules differ");
        var fit = Survival.Curves.KaplanMeier.Fit(ExactTimes(c.GetProperty("time")), Status(c.GetProperty("status")));
        fit.Median.Estimate.Should().Be(printMedian);
    }

    [Theory]
    // R: survfit(Surv(time, 1 - status) ~ 1, data = lung); median(lung$time); range(lung$time)
    [InlineData("lung")]
    // R: survfit(Surv(futime, 1 - fustat) ~ 1, data = ovarian); median(futime); range(futime)
    [InlineData("ovarian")]
    // R: survfit(Surv(time, 1 - status) ~ 1, data = veteran, conf.type = "log-log"): median follow-up not reached
    [InlineData("veteran")]
    // R: survfit(Surv(time, 1 - status) ~ 1) on 8 hand-made observations in km_followup.json
    [InlineData("small")]
    public void Median_follow_up_matches_reverse_Kaplan_Meier_in_R(string name)
    {
        var c = Case("km_followup", name);
        double[] time;
        bool[] status;
        if (IsNull(c.GetProperty("dataset")))
        {
            time = ExactTimes(c.GetProperty("time"));
            status = Status(c.GetProperty("status"));
        }
        else
        {
            var data = CsvData.Load(c.GetProperty("dataset").GetString()!);
            time = data.Numeric(c.GetProperty("time_column").GetString()!);
            status = data.Event(c.GetProperty("status_column").GetString()!);
        }

        var fu = Survival.Curves.KaplanMeier.FollowUp(time, status, new KaplanMeierOptions { ConfidenceType = ConfType(c) });
        string label = c.GetProperty("r_call").GetString()!;
        fu.N.Should().Be(c.GetProperty("n").GetInt32());
        Nullable(Golden.Number(c.GetProperty("median")), fu.Median.Estimate, $"{label} median");
        Nullable(Golden.Number(c.GetProperty("lower")), fu.Median.Lower, $"{label} LCL");
        Nullable(Golden.Number(c.GetProperty("upper")), fu.Median.Upper, $"{label} UCL");
        Approx.Equal(Golden.Number(c.GetProperty("observed_median")), fu.ObservedMedian, Rel, $"{label} median(time)");
        Approx.Equal(Golden.Number(c.GetProperty("min")), fu.Minimum, Rel, $"{label} min");
        Approx.Equal(Golden.Number(c.GetProperty("max")), fu.Maximum, Rel, $"{label} max");
        fu.Reverse.Events.Should().Be(status.Count(s => !s));
        if (fu.Median.Estimate is null)
        {
            fu.Warnings.Should().NotBeEmpty();
        }
    }

    private static void CompareSingle(JsonElement c)
    {
        var time = ExactTimes(c.GetProperty("time"));
        var status = Status(c.GetProperty("status"));
        var at = Golden.Numbers(c.GetProperty("at"));
        var stratum = c.GetProperty("strata")[0];
        string label = c.GetProperty("r_call").GetString()!;
        Stratum(stratum, Survival.Curves.KaplanMeier.Fit(time, status, Options(c)), at, label);
        Spss(stratum, Survival.Curves.KaplanMeier.Fit(time, status, Options(c, MedianInterval.Spss)), label);
    }

    private static IReadOnlyList<KaplanMeierFit> FitDataset(JsonElement c, KaplanMeierOptions options)
    {
        var data = CsvData.Load(c.GetProperty("dataset").GetString()!);
        var time = data.Numeric(c.GetProperty("time").GetString()!);
        var status = data.Event(c.GetProperty("status").GetString()!);
        if (IsNull(c.GetProperty("group")))
        {
            return [Survival.Curves.KaplanMeier.Fit(time, status, options)];
        }

        string column = c.GetProperty("group").GetString()!;
        var group = Factor.FromValues(column, data.Text(column));
        return Survival.Curves.KaplanMeier.FitByGroup(time, status, group, options).Fits;
    }
}
