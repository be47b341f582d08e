using System.Text.Json;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Survival.Tests.KaplanMeier;

/// <summary>Identities, closed-form checks, warnings and bad input of <see cref="Survival.Curves.KaplanMeier"/>.</summary>
public class KaplanMeierBehaviourTests
{
    private static (double[] Time, bool[] Status, string?[] Sex) Lung()
    {
        var data = CsvData.Load("lung");
        return (data.Numeric("time"), data.Event("status"), data.Text("sex"));
    }

    [Fact]
    public void Row_order_changes_nothing()
    {
        var (time, status, _) = Lung();
        var rng = new Random(7);
        var perm = Enumerable.Range(0, time.Length).OrderBy(_ => rng.Next()).ToArray();
        var a = Survival.Curves.KaplanMeier.Fit(time, status);
        var b = Survival.Curves.KaplanMeier.Fit(perm.Select(i => time[i]).ToArray(), perm.Select(i => status[i]).ToArray());
        b.Steps.Should().Equal(a.Steps);
        b.Median.Should().Be(a.Median);
    }

    [Fact]
    public void Relabelling_and_reordering_levels_only_relabels_and_reorders_the_fits()
    {
        var (time, status, sex) = Lung();
        var original = Survival.Curves.KaplanMeier.FitByGroup(time, status, Factor.FromValues("sex", sex));
        var renamed = sex.Select(s => s == "1" ? "male" : "female").ToArray();
        var relabelled = Survival.Curves.KaplanMeier.FitByGroup(time, status, Factor.FromValues("sex", renamed, reference: "male"));
        relabelled.Fits.Select(f => f.Group).Should().Equal("male", "female");
        relabelled.Fits[0].Steps.Should().Equal(original["1"].Steps);
        relabelled.Fits[1].Steps.Should().Equal(original["2"].Steps);
        relabelled.Fits[1].Median.Should().Be(original["2"].Median);
    }

    [Fact]
    public void One_group_gives_the_same_curve_as_a_single_fit()
    {
        var (time, status, _) = Lung();
        var single = Survival.Curves.KaplanMeier.Fit(time, status);
        var group = Factor.FromValues("all", Enumerable.Repeat<string?>("x", time.Length).ToArray());
        var byGroup = Survival.Curves.KaplanMeier.FitByGroup(time, status, group);
        byGroup.Fits.Should().ContainSingle();
        byGroup.Fits[0].Steps.Should().Equal(single.Steps);
        byGroup.Dropped.Should().BeEmpty();
        byGroup.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Censoring_at_an_event_time_is_at_risk_at_that_time()
    {
        // By hand: 3 at risk at t = 2, one event: S = 2/3; Greenwood se(-log S) = sqrt(1 / (3 * 2)).
        var fit = Survival.Curves.KaplanMeier.Fit([2, 2, 2, 5], [true, false, false, true]);
        var step = fit.Steps[0];
        step.NRisk.Should().Be(4);
        step.NEvent.Should().Be(1);
        step.NCensor.Should().Be(2);
        Approx.Equal(3.0 / 4.0, step.Survival, Approx.ClosedForm, "S(2)");
        Approx.Equal(Math.Sqrt(1.0 / (4 * 3)), step.StdErrLogSurvival, Approx.ClosedForm, "se(log S)");
        Approx.Equal(1.0 / 4, step.CumulativeHazard, Approx.ClosedForm, "Nelson-Aalen 1/4");
        Approx.Equal(Math.Sqrt(1.0 / 16), step.CumulativeHazardStdErr, Approx.ClosedForm, "Nelson-Aalen SE sqrt(1/4^2)");
        Approx.Equal(1.0 / 4 + 1.0, fit.Steps[1].CumulativeHazard, Approx.ClosedForm, "Nelson-Aalen 1/4 + 1/1");
        Approx.Equal(0.75 * Math.Sqrt(1.0 / 12), step.StdErr!.Value, Approx.ClosedForm, "se(S)");
        fit.Steps[1].NRisk.Should().Be(1);
        fit.Steps[1].Survival.Should().Be(0);
    }

    [Fact]
    public void Confidence_level_uses_the_normal_quantile_of_R()
    {
        // R: qnorm(0.975) = 1.959963984540054, qnorm(0.95) = 1.6448536269514722
        Approx.Equal(1.959963984540054, KaplanMeierEstimator.Z(0.95), 1e-14, "z(0.95)");
        Approx.Equal(1.6448536269514722, KaplanMeierEstimator.Z(0.90), 1e-14, "z(0.90)");
    }

    [Fact]
    public void Spss_interval_is_symmetric_about_the_median()
    {
        // Paper check: SPSS reports median ± 1.96·SE, so the interval's midpoint is the median.
        var (time, status, _) = Lung();
        var fit = Survival.Curves.KaplanMeier.Fit(time, status, new KaplanMeierOptions { MedianInterval = MedianInterval.Spss });
        var m = fit.Median;
        m.Method.Should().Be(MedianInterval.Spss);
        m.StandardError.Should().BePositive();
        Approx.Equal(m.Estimate!.Value, (m.Lower!.Value + m.Upper!.Value) / 2, Approx.ClosedForm, "midpoint");
        Approx.Equal(1.959963984540054 * m.StandardError!.Value, m.Upper!.Value - m.Estimate!.Value, 1e-12, "half width");
        // The estimate itself is R's median, whatever the interval rule.
        fit.Median.Estimate.Should().Be(Survival.Curves.KaplanMeier.Fit(time, status).Median.Estimate);
    }

    [Fact]
    public void Readings_come_back_in_ascending_time_and_count_events_since_the_previous_time()
    {
        var (time, status, _) = Lung();
        var fit = Survival.Curves.KaplanMeier.Fit(time, status);
        var points = fit.At([730, 365, 365, 180]);
        points.Select(p => p.Time).Should().Equal(180, 365, 365, 730);
        points[2].NEvent.Should().Be(0, "a repeated time counts no further events");
        points.Sum(p => p.NEvent).Should().Be(fit.At(730).NEvent, "the intervals add up to the events up to 730");
        fit.At(365).Should().Be(points[1] with { NEvent = fit.At(365).NEvent, NCensor = fit.At(365).NCensor });
        var beyond = fit.At(5000);
        beyond.BeyondLastObservation.Should().BeTrue();
        beyond.NRisk.Should().Be(0);
        beyond.Survival.Should().Be(fit.Steps[^1].Survival);
        fit.At(0).Survival.Should().Be(1);
        fit.At(0).NRisk.Should().Be(time.Length);
    }

    [Fact]
    public void Warnings_name_the_trouble()
    {
        var zero = Survival.Curves.KaplanMeier.Fit([1, 2, 3], [true, false, true]);
        zero.Warnings.Select(w => w.Code).Should().Contain("survival-reaches-zero");
        zero.Steps[^1].Lower.Should().BeNull();
        zero.Steps[^1].StdErr.Should().BeNull();
        zero.Steps[^1].StdErrLogSurvival.Should().Be(double.PositiveInfinity, "R's fit$std.err is Inf where the risk set empties");

        var none = Survival.Curves.KaplanMeier.Fit([1, 2, 3], [false, false, false]);
        none.Warnings.Select(w => w.Code).Should().Equal("no-events");
        none.Median.Estimate.Should().BeNull();

        var flat = Survival.Curves.KaplanMeier.Fit([1, 2, 3, 4], [true, true, false, false], new KaplanMeierOptions { MedianInterval = MedianInterval.Spss });
        flat.Median.Estimate.Should().Be(2);
        flat.Median.StandardError.Should().BeNull();
        flat.Warnings.Select(w => w.Code).Should().Contain("median-se-not-estimable");

        var allEvents = Survival.Curves.KaplanMeier.FollowUp([1, 2, 3], [true, true, true]);
        allEvents.Median.Estimate.Should().BeNull();
        allEvents.Warnings.Select(w => w.Code).Should().Equal("no-censoring");
        allEvents.ObservedMedian.Should().Be(2);
    }

    [Fact]
    public void A_level_without_observations_gives_an_empty_fit_with_a_warning()
    {
        var group = Factor.FromCodes("g", [0, 0, -1, 0], ["a", "unused"]);
        var fits = Survival.Curves.KaplanMeier.FitByGroup([1, 2, 3, 4], [true, false, true, true], group);
        fits.Dropped.Should().Equal(2);
        var empty = fits["unused"];
        empty.N.Should().Be(0);
        empty.Steps.Should().BeEmpty();
        empty.Median.Estimate.Should().BeNull();
        empty.Warnings.Select(w => w.Code).Should().Equal("empty-group");
        empty.At(3).Survival.Should().Be(1);
        fits["a"].N.Should().Be(3);
        fits.ToString().Should().Be("KaplanMeierGroups(g, groups=2, n=3, dropped=1)");
        var act = () => fits["b"];
        act.Should().Throw<KeyNotFoundException>();
    }

    private static readonly JsonSerializerOptions NamedLiterals = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [Fact]
    public void Results_serialise_to_json_even_where_R_gives_NA_or_Inf()
    {
        // The last event empties the risk set: se(log S) is +Inf as in R, so a serialiser must be told how to write
        // non-finite numbers (the CLI writes "Inf", docs/cli.md); NA (undefined SE of S, limits) is null.
        var fit = Survival.Curves.KaplanMeier.Fit([1, 2, 2, 4, 5, 7], [true, false, true, true, false, true]);
        var json = JsonSerializer.Serialize(fit, NamedLiterals);
        json.Should().Contain("\"Steps\"").And.Contain("\"Median\"").And.Contain("\"StdErrLogSurvival\":\"Infinity\"").And.Contain("\"StdErr\":null");
        JsonSerializer.Serialize(Survival.Curves.KaplanMeier.FollowUp([1, 2, 3], [true, false, false]), NamedLiterals).Should().Contain("ObservedMedian");
    }

    [Fact]
    public void ToString_reports_the_size()
    {
        var (time, status, sex) = Lung();
        Survival.Curves.KaplanMeier.Fit(time, status).ToString().Should().Be("KaplanMeierFit(n=228, events=165, censored=63)");
        Survival.Curves.KaplanMeier.FitByGroup(time, status, Factor.FromValues("sex", sex)).Fits[1].ToString()
            .Should().Be("KaplanMeierFit(group=2, n=90, events=53, censored=37)");
        Survival.Curves.KaplanMeier.FollowUp(time, status).ToString().Should().StartWith("FollowUpSummary(n=228, median=MedianSurvival(588 [511, 1010], R)");
    }

    [Fact]
    public void Large_input_is_handled_in_linear_time()
    {
        // 1,000,000 whole-day times: one counting sort and one pass. A quadratic step would not finish.
        int n = 1_000_000;
        var rng = new Random(11);
        var time = new double[n];
        var status = new bool[n];
        for (int i = 0; i < n; i++)
        {
            time[i] = rng.Next(0, 3650);
            status[i] = rng.NextDouble() < 0.6;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var fit = Survival.Curves.KaplanMeier.Fit(time, status);
        watch.Stop();
        fit.N.Should().Be(n);
        fit.Steps.Sum(s => s.NEvent + s.NCensor).Should().Be(n);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(-1.0, "time[2] = -1")]
    [InlineData(double.NaN, "time[2] = NaN")]
    [InlineData(double.PositiveInfinity, "time[2] = Infinity")]
    public void Negative_or_non_finite_time_is_rejected_with_its_index_and_value(double bad, string message)
    {
        var act = () => Survival.Curves.KaplanMeier.Fit([1, 2, bad], [true, false, true]);
        act.Should().Throw<SurvivalResponseException>().Where(e => e.Code == "invalid-time" && e.Row == 2 && e.Message.Contains(message, StringComparison.Ordinal));
        var fu = () => Survival.Curves.KaplanMeier.FollowUp([1, 2, bad], [true, false, true]);
        fu.Should().Throw<SurvivalResponseException>().Where(e => e.Row == 2);
    }

    [Fact]
    public void Bad_shapes_and_options_are_rejected()
    {
        var lengths = () => Survival.Curves.KaplanMeier.Fit([1, 2, 3], [true, false]);
        lengths.Should().Throw<ArgumentException>().Where(e => e.ParamName == "status" && e.Message.Contains("2 values", StringComparison.Ordinal));
        var empty = () => Survival.Curves.KaplanMeier.Fit([], []);
        empty.Should().Throw<ArgumentException>().Where(e => e.ParamName == "time");
        var nullTime = () => Survival.Curves.KaplanMeier.Fit(null!, [true]);
        nullTime.Should().Throw<ArgumentNullException>();
        var group = () => Survival.Curves.KaplanMeier.FitByGroup([1, 2], [true, false], Factor.FromValues("g", ["a"]));
        group.Should().Throw<ArgumentException>().Where(e => e.ParamName == "group");
        var level = () => Survival.Curves.KaplanMeier.Fit([1, 2], [true, false], new KaplanMeierOptions { ConfidenceLevel = 1 });
        level.Should().Throw<ArgumentOutOfRangeException>();
        var at = () => Survival.Curves.KaplanMeier.Fit([1, 2], [true, false]).At([3, -1]);
        at.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.Message.Contains("times[1] = -1", StringComparison.Ordinal));
        var atNaN = () => Survival.Curves.KaplanMeier.Fit([1, 2], [true, false]).At(double.NaN);
        atNaN.Should().Throw<ArgumentOutOfRangeException>();
    }
}
