using System.Globalization;
using System.Text.Json;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.Rmst;

namespace Sarcostat.Survival.Tests.Rmst;

/// <summary>
/// Restricted mean survival time against R: <c>summary(survfit(...), rmean = tau)$table</c> (survmean) per group, and
/// survRM2's difference and ratio written out by hand in tools/reference/rmst.R (golden/rmst_cases.json).
/// </summary>
public class RestrictedMeanTests
{
    private const double Rel = Approx.NonIterative;
    private const double Abs = 1e-12;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.Load("rmst_cases").GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Restricted_means_difference_and_ratio_match_R(string name)
    {
        var c = Golden.Load("rmst_cases").GetProperty("cases").EnumerateArray().First(x => x.GetProperty("name").GetString() == name);
        string call = c.GetProperty("r_call").GetString()!;
        var fits = Fit(c.GetProperty("input"));
        var tauJson = c.GetProperty("tau");
        double? tau = tauJson.ValueKind == JsonValueKind.String ? null : tauJson.GetDouble();
        var summary = RestrictedMean.ByGroup(fits, tau, c.GetProperty("conf_int").GetDouble());

        summary.TauIsCommonLastTime.Should().Be(tau is null, call);
        var groups = c.GetProperty("groups").EnumerateArray().ToArray();
        summary.Groups.Should().HaveCount(groups.Length, call);
        for (int i = 0; i < groups.Length; i++)
        {
            var e = groups[i];
            var a = summary.Groups[i];
            string what = $"{call} [group {i + 1}]";
            if (e.GetProperty("group").ValueKind != JsonValueKind.Null)
            {
                a.Group.Should().Be(e.GetProperty("group").GetString(), what);
            }

            Approx.Equal(Golden.Number(e.GetProperty("tau")), a.Tau, Approx.ClosedForm, $"{what} end.time");
            Approx.Equal(Golden.Number(e.GetProperty("rmean")), a.Mean, Rel, $"{what} rmean", Abs);
            Approx.Equal(Golden.Number(e.GetProperty("se")), a.StdErr, Rel, $"{what} se(rmean)", Abs);
            Approx.Equal(Golden.Number(e.GetProperty("lower")), a.Lower, Rel, $"{what} lower", Abs);
            Approx.Equal(Golden.Number(e.GetProperty("upper")), a.Upper, Rel, $"{what} upper", Abs);
            Approx.Equal(Golden.Number(e.GetProperty("last_time")), a.LastTime, Approx.ClosedForm, $"{what} last time");
            a.BeyondLastTime.Should().Be(a.Tau > a.LastTime, what);
        }

        summary.Warnings.Count(w => w.Code == "rmst-beyond-follow-up").Should().Be(summary.Groups.Count(g => g.BeyondLastTime), call);
        var contrast = c.GetProperty("contrast");
        if (contrast.ValueKind == JsonValueKind.Null)
        {
            summary.Contrast.Should().BeNull(call);
            return;
        }

        var r = summary.Contrast!;
        if (contrast.GetProperty("reference").ValueKind == JsonValueKind.String)
        {
            r.Reference.Should().Be(contrast.GetProperty("reference").GetString(), call);
            r.Other.Should().Be(contrast.GetProperty("other").GetString(), call);
        }

        Approx.Equal(Golden.Number(contrast.GetProperty("difference")), r.Difference, Rel, $"{call} difference", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("difference_se")), r.DifferenceStdErr, Rel, $"{call} difference se", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("difference_lower")), r.DifferenceLower, Rel, $"{call} difference lower", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("difference_upper")), r.DifferenceUpper, Rel, $"{call} difference upper", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("difference_p")), r.DifferenceP!.Value, Rel, $"{call} difference p", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("ratio")), r.Ratio!.Value, Rel, $"{call} ratio", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("log_ratio_se")), r.LogRatioStdErr!.Value, Rel, $"{call} log ratio se", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("ratio_lower")), r.RatioLower!.Value, Rel, $"{call} ratio lower", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("ratio_upper")), r.RatioUpper!.Value, Rel, $"{call} ratio upper", Abs);
        Approx.Equal(Golden.Number(contrast.GetProperty("ratio_p")), r.RatioP!.Value, Rel, $"{call} ratio p", Abs);

        // Compare() on the two estimates is the same contrast.
        RestrictedMean.Compare(summary.Groups[0], summary.Groups[1], c.GetProperty("conf_int").GetDouble()).Should().Be(r, call);
    }

    [Fact]
    public void A_curve_by_hand_with_ties_and_a_censoring()
    {
        // t: 1 (d = 1 of n = 4), 2 (censored), 3 (d = 1 of n = 2). S: 3/4 from 1, 3/8 from 3. tau = 5:
        // area = 1·1 + (3 − 1)·3/4 + (5 − 3)·3/8 = 1 + 1.5 + 0.75 = 3.25;
        // var = A(1)²·1/(4·3) + A(3)²·1/(2·1), A(1) = 1.5 + 0.75 = 2.25, A(3) = 0.75: 5.0625/12 + 0.5625/2 = 0.703125.
        var fit = Survival.Curves.KaplanMeier.Fit([1, 2, 3, 4], [true, false, true, false]);
        var e = RestrictedMean.Estimate(fit, 5);
        Approx.Equal(3.25, e.Mean, Approx.ClosedForm, "rmst");
        Approx.Equal(Math.Sqrt(0.703125), e.StdErr, Approx.ClosedForm, "se");
        Approx.Equal(3.25 - (1.959963984540054 * Math.Sqrt(0.703125)), e.Lower, 1e-12, "lower");
        e.BeyondLastTime.Should().BeTrue("the last time is 4");

        // tau before the first time: the whole rectangle under S = 1, no variance.
        var early = RestrictedMean.Estimate(fit, 0.5);
        early.Mean.Should().Be(0.5);
        early.StdErr.Should().Be(0);
    }

    [Fact]
    public void Common_end_time_is_the_largest_observed_time_and_far_groups_are_flagged()
    {
        var group = Factor.FromValues("g", ["a", "a", "a", "b", "b", "b"]);
        var fits = Survival.Curves.KaplanMeier.FitByGroup([1, 2, 3, 1, 5, 8], [true, true, false, true, false, true], group).Fits;
        var summary = RestrictedMean.ByGroup(fits);
        summary.Tau.Should().Be(8);
        summary.TauIsCommonLastTime.Should().BeTrue();
        summary.Groups.Select(g => g.BeyondLastTime).Should().Equal(true, false);
        summary.Warnings.Select(w => w.Code).Should().Equal("rmst-beyond-follow-up");
        summary.Warnings[0].Message.Should().Contain("'a'");
    }

    [Fact]
    public void A_ratio_of_a_zero_mean_is_not_estimable_and_said_so()
    {
        // Group "a": every observation an event at time 0, so its restricted mean is 0.
        var group = Factor.FromValues("g", ["a", "a", "b", "b", "b"]);
        var fits = Survival.Curves.KaplanMeier.FitByGroup([0, 0, 1, 2, 3], [true, true, true, false, true], group).Fits;
        var summary = RestrictedMean.ByGroup(fits, 2);
        summary.Groups[0].Mean.Should().Be(0);
        summary.Contrast!.Ratio.Should().BeNull();
        summary.Contrast.RatioP.Should().BeNull();
        summary.Warnings.Select(w => w.Code).Should().Contain("rmst-ratio-not-estimable");
    }

    [Fact]
    public void No_event_before_tau_gives_no_p_value_with_a_warning()
    {
        var group = Factor.FromValues("g", ["a", "a", "b", "b"]);
        var fits = Survival.Curves.KaplanMeier.FitByGroup([5, 6, 7, 8], [true, true, true, false], group).Fits;
        var summary = RestrictedMean.ByGroup(fits, 4);
        summary.Contrast!.Difference.Should().Be(0);
        summary.Contrast.DifferenceP.Should().BeNull();
        summary.Contrast.RatioP.Should().BeNull();
        summary.Warnings.Select(w => w.Code).Should().Contain("rmst-se-zero");
    }

    [Fact]
    public void Bad_arguments_are_argument_errors()
    {
        var fit = Survival.Curves.KaplanMeier.Fit([1, 2], [true, false]);
        FluentActions.Invoking(() => RestrictedMean.Estimate(fit, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RestrictedMean.Estimate(fit, double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RestrictedMean.Estimate(fit, double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RestrictedMean.Estimate(fit, 1, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RestrictedMean.ByGroup([fit], -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => RestrictedMean.Compare(RestrictedMean.Estimate(fit, 1), RestrictedMean.Estimate(fit, 2)))
            .Should().Throw<ArgumentException>().WithMessage("*different end times*");
    }

    [Fact]
    public void An_empty_level_is_left_out_with_a_warning()
    {
        var group = Factor.FromCodes("g", [0, 0, 2, 2], ["a", "b", "c"]);
        var fits = Survival.Curves.KaplanMeier.FitByGroup([1, 2, 3, 4], [true, false, true, false], group).Fits;
        var summary = RestrictedMean.ByGroup(fits, 2);
        summary.Groups.Select(g => g.Group).Should().Equal("a", "c");
        summary.Warnings.Select(w => w.Code).Should().Contain("empty-group");
        summary.Contrast.Should().NotBeNull("two curves with observations remain");
    }

    private static IReadOnlyList<KaplanMeierFit> Fit(JsonElement input)
    {
        if (input.TryGetProperty("dataset", out var dataset))
        {
            var data = CsvData.Load(dataset.GetString()!);
            var time = data.Numeric(input.GetProperty("time").GetString()!);
            var status = data.Event(input.GetProperty("status").GetString()!);
            if (!input.TryGetProperty("group", out var g) || g.ValueKind == JsonValueKind.Null)
            {
                return [Survival.Curves.KaplanMeier.Fit(time, status)];
            }

            string column = g.GetString()!;
            return Survival.Curves.KaplanMeier.FitByGroup(time, status, Factor.FromValues(column, data.Text(column))).Fits;
        }

        var t = Golden.Strings(input.GetProperty("time")).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var d = Golden.Numbers(input.GetProperty("status")).Select(v => v == 1).ToArray();
        return Survival.Curves.KaplanMeier.FitByGroup(t, d, Factor.FromValues("g", Golden.Strings(input.GetProperty("group")))).Fits;
    }
}
