using Sarcostat.Files.Output;

namespace Sarcostat.Files.Tests.Output;

public class CsvOutputTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("-", "-")]
    [InlineData("--", "'--")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("-3e-5", "-3e-5")]
    [InlineData("+2", "+2")]
    [InlineData("-.5", "-.5")]
    [InlineData("-Inf", "-Inf")]
    [InlineData("-1e", "'-1e")]
    [InlineData("-1.5 (−2.0, 0.3)", "'-1.5 (−2.0, 0.3)")]
    [InlineData("-0x10", "'-0x10")]
    [InlineData("- 1", "'- 1")]
    [InlineData("plain", "plain")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Cells_that_a_spreadsheet_would_run_get_a_leading_quote_and_numbers_do_not(string cell, string expected) =>
        CsvOutput.Neutralise(cell).Should().Be(expected);

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded", "\" padded\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("\t=1", "'\t=1")]
    public void Fields_are_quoted_when_they_hold_the_delimiter_a_quote_a_line_break_or_outer_space(string cell, string expected) =>
        CsvOutput.Field(cell).Should().Be(expected);

    [Fact]
    public void The_guard_can_be_turned_off_only_explicitly_for_generated_cells()
    {
        CsvOutput.Field("-", guard: false).Should().Be("-");
        CsvOutput.Field("=x", guard: false).Should().Be("=x");
        CsvOutput.Table(["a", "b"], [["=1", "-2"]], "\r\n").Should().Be("a,b\r\n'=1,-2\r\n");
    }

    [Fact]
    public void Terminal_escapes_and_bidirectional_overrides_are_shown_not_sent()
    {
        SafeText.Escape("\u001b[31mred\u001b[0m").Should().Be("\\u001B[31mred\\u001B[0m");
        SafeText.Escape("abc\u202Edef").Should().Be("abc\\u202Edef");
        SafeText.Escape("\u009b2J").Should().Be("\\u009B2J", "the one-character CSI of C1");
        SafeText.Escape("Élodie, 12 mm").Should().Be("Élodie, 12 mm");

        using var inner = new StringWriter();
        using var safe = new SafeTextWriter(inner);
        safe.Write("a\u001b[2Jb\tc");
        safe.WriteLine();
        safe.Write('\u0007');
        inner.ToString().Should().Be("a\\u001B[2Jb\tc" + Environment.NewLine + "\\u0007");
    }
}
