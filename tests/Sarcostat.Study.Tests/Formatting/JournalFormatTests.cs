using Sarcostat.Study.Formatting;

namespace Sarcostat.Study.Tests.Formatting;

public class JournalFormatTests
{
    [Theory]
    [InlineData(0.024, "0.024")]
    [InlineData(0.35, "0.350")]
    [InlineData(0.0009999, "<0.001")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0496, "0.0496")] // would round to 0.050 while significant: one more decimal
    [InlineData(0.0504, "0.050")]
    [InlineData(0.9999, "1.000")]
    [InlineData(double.NaN, "NA")]
    public void P_values_follow_journal_rules(double p, string expected) => JournalFormat.Default.P(p).Should().Be(expected);

    [Theory]
    [InlineData(0.241, "0.24")]
    [InlineData(12.161, "12.16")]
    [InlineData(0.004, "<0.01")]
    [InlineData(1234.5, ">999")]
    [InlineData(double.PositiveInfinity, "Inf")]
    [InlineData(2.675, "2.67")] // the binary value is 2.67499..., as R's sprintf("%.2f") prints it
    public void Hazard_ratios_have_two_decimals(double hr, string expected) => JournalFormat.Default.HazardRatio(hr).Should().Be(expected);

    [Fact]
    public void Intervals_use_a_hyphen_and_words_for_negative_limits()
    {
        JournalFormat.Default.HazardRatioInterval(1.12, 5.18).Should().Be("1.12-5.18");
        JournalFormat.Default.HazardRatioWithInterval(2.41, 1.12, 5.18).Should().Be("2.41 (1.12-5.18)");
        JournalFormat.Default.Interval(-1.24, 0.5, 1).Should().Be("-1.2 to 0.5");
        JournalFormat.Default.Interval(29.4, 66.6, 1).Should().Be("29.4-66.6");
    }

    [Fact]
    public void Counts_and_percentages()
    {
        JournalFormat.CountPercent(38, 57.575, 0, sign: false).Should().Be("38 (58)");
        JournalFormat.CountPercent(41, 37.2727, 1).Should().Be("41 (37.3%)");
        JournalFormat.CountPercent(0, null).Should().Be("0");
        JournalFormat.Number(-0.0001, 2).Should().Be("0.00");
    }

    [Fact]
    public void Medians_not_reached_and_missing_limits()
    {
        JournalFormat.Default.MedianWithInterval(48, 29.4, 66.6).Should().Be("48.0 (29.4-66.6)");
        JournalFormat.Default.MedianWithInterval(null, null, null).Should().Be("NR");
        JournalFormat.Default.MedianWithInterval(48, 29.4, null).Should().Be("48.0 (29.4-NR)");
        JournalFormat.Default.SurvivalWithInterval(0.629, 0.521, 0.759).Should().Be("62.9 (52.1-75.9)");
        JournalFormat.Default.PInline(0.0004).Should().Be("p < 0.001");
        JournalFormat.Default.PInline(0.012).Should().Be("p = 0.012");
    }
}

public class ReportFormatTests
{
    private static JournalFormat With(ReportFormat f) => new(f);

    [Theory]
    [InlineData(0.241, "0.241")]
    [InlineData(12.1616, "12.162")]
    [InlineData(0.0004, "<0.001")]
    [InlineData(0.0005, "0.001")] // 0.0005 is stored just above 5e-4 and rounds up, as R's sprintf("%.3f")
    [InlineData(999.9996, ">999")]
    public void Hazard_ratios_take_the_formats_decimals(double hr, string expected) =>
        With(new ReportFormat { HazardRatioDecimals = 3 }).HazardRatio(hr).Should().Be(expected);

    [Fact]
    public void Three_decimal_hazard_ratio_intervals_as_both_papers_print_them()
    {
        var f = With(new ReportFormat { HazardRatioDecimals = 3 });
        f.HazardRatioWithInterval(2.4137, 1.1219, 5.1801).Should().Be("2.414 (1.122-5.180)");
    }

    [Theory]
    [InlineData(0.0000213, "2.1×10⁻⁵")]
    [InlineData(0.000996, "1.0×10⁻³")]
    [InlineData(0.00099, "9.9×10⁻⁴")]
    [InlineData(0.024, "0.024")]
    public void Exact_p_values_below_the_smallest_decimal_are_scientific(double p, string expected) =>
        With(new ReportFormat { PStyle = PValueStyle.Exact }).P(p).Should().Be(expected);

    [Theory]
    [InlineData(0.00004, "<0.0001")]
    [InlineData(0.02441, "0.0244")]
    [InlineData(0.04996, "0.04996")] // would round to alpha while significant: one more decimal
    public void P_decimals_set_the_threshold_too(double p, string expected) =>
        With(new ReportFormat { PDecimals = 4 }).P(p).Should().Be(expected);

    [Fact]
    public void The_en_dash_is_used_in_every_interval_and_range()
    {
        var f = With(new ReportFormat { Dash = RangeDash.EnDash });
        f.HazardRatioInterval(1.12, 5.18).Should().Be("1.12\u20135.18");
        f.Interval(29.4, 66.6, 1).Should().Be("29.4\u201366.6");
        f.MedianWithInterval(48, 29.4, 66.6).Should().Be("48.0 (29.4\u201366.6)");
        f.SurvivalWithInterval(0.629, 0.521, 0.759).Should().Be("62.9 (52.1\u201375.9)");
        f.Interval(-1.24, 0.5, 1).Should().Be("-1.2 to 0.5", "a negative limit keeps words, whatever the dash");
    }

    [Fact]
    public void Mean_and_sd_in_either_style_and_medians_with_their_decimals()
    {
        With(ReportFormat.Default).MeanSd("52.3", "11.6").Should().Be("52.3 ± 11.6");
        With(new ReportFormat { MeanSd = MeanSdStyle.Parentheses }).MeanSd("52.3", "11.6").Should().Be("52.3 (11.6)");
        With(new ReportFormat { MeanSd = MeanSdStyle.Parentheses }).MeanSdName.Should().Be("Mean (SD)");
        With(ReportFormat.Default).MeanSd("52.3", null).Should().Be("52.3");
        With(new ReportFormat { MedianDecimals = 0 }).MedianWithInterval(48.4, 29.4, null).Should().Be("48 (29-NR)");
    }
}
