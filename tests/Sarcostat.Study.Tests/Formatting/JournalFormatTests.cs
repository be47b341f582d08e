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
    public void P_values_follow_journal_rules(double p, string expected) => JournalFormat.P(p).Should().Be(expected);

    [Theory]
    [InlineData(0.241, "0.24")]
    [InlineData(12.161, "12.16")]
    [InlineData(0.004, "<0.01")]
    [InlineData(1234.5, ">999")]
    [InlineData(double.PositiveInfinity, "Inf")]
    [InlineData(2.675, "2.67")] // the binary value is 2.67499..., as R's sprintf("%.2f") prints it
    public void Hazard_ratios_have_two_decimals(double hr, string expected) => JournalFormat.HazardRatio(hr).Should().Be(expected);

    [Fact]
    public void Intervals_use_a_hyphen_and_words_for_negative_limits()
    {
        JournalFormat.HazardRatioInterval(1.12, 5.18).Should().Be("1.12-5.18");
        JournalFormat.HazardRatioWithInterval(2.41, 1.12, 5.18).Should().Be("2.41 (1.12-5.18)");
        JournalFormat.Interval(-1.24, 0.5, 1).Should().Be("-1.2 to 0.5");
        JournalFormat.Interval(29.4, 66.6, 1).Should().Be("29.4-66.6");
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
        JournalFormat.MedianWithInterval(48, 29.4, 66.6).Should().Be("48.0 (29.4-66.6)");
        JournalFormat.MedianWithInterval(null, null, null).Should().Be("NR");
        JournalFormat.MedianWithInterval(48, 29.4, null).Should().Be("48.0 (29.4-NR)");
        JournalFormat.SurvivalWithInterval(0.629, 0.521, 0.759).Should().Be("62.9 (52.1-75.9)");
        JournalFormat.PInline(0.0004).Should().Be("p < 0.001");
        JournalFormat.PInline(0.012).Should().Be("p = 0.012");
    }
}
