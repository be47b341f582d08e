using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Tests.Running;

/// <summary>A protocol's <c>format</c> reaches every cell it governs, and the numbers behind the cells do not change.</summary>
public class FormatReportTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly IReadOnlyList<Patient> Patients = TestCohort.Build(160, 11);

    [Fact]
    public void Three_decimal_hazard_ratios_en_dashes_and_mean_sd_in_parentheses_reach_the_tables()
    {
        var shipped = ProtocolLoader.Shipped("chang2024");
        var styled = shipped with
        {
            Format = new ReportFormat { HazardRatioDecimals = 3, Dash = RangeDash.EnDash, MeanSd = MeanSdStyle.Parentheses },
        };
        var plain = StudyRunner.Run(shipped, Patients, Context);
        var report = StudyRunner.Run(styled, Patients, Context);

        var hrCells = 0;
        foreach (var table in report.Tables.Where(t => t.Columns.Contains("HR")))
        {
            var before = plain.Tables.Single(t => t.Id == table.Id);
            int hr = table.Columns.ToList().IndexOf("HR");
            int ci = table.Columns.ToList().IndexOf("95% CI");
            for (int r = 0; r < table.Rows.Count; r++)
            {
                var cells = table.Rows[r].Cells;
                if (hr < cells.Count && cells[hr].Value is { } v && cells[hr].Text != "1")
                {
                    cells[hr].Text.Should().Be(v.ToString("F3", CultureInfo.InvariantCulture), $"{table.Id} row {r}");
                    before.Rows[r].Cells[hr].Value.Should().Be(v, "the format changes the text, never the number");
                    hrCells++;
                }

                if (ci >= 0 && ci < cells.Count && cells[ci].Text.Length > 0 && cells[ci].Text.Contains('.', StringComparison.Ordinal))
                {
                    cells[ci].Text.Should().Contain("\u2013").And.NotContain("-", $"{table.Id} row {r}: {cells[ci].Text}");
                }
            }
        }

        hrCells.Should().BeGreaterThan(5);
        var descriptive = report.Tables.Where(t => t.Footnotes.Any(n => n.StartsWith("Mean (SD)", StringComparison.Ordinal))).ToList();
        descriptive.Should().NotBeEmpty("the footnote names the style");
        // Labels are the protocol's own words ("Age (years), mean ± SD"); the summaries are printed in the style.
        report.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells.Skip(1)).Should().NotContain(c => c.Text.Contains('±', StringComparison.Ordinal));
        report.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells.Skip(1)).Should().Contain(c => System.Text.RegularExpressions.Regex.IsMatch(c.Text, @"^\d+\.\d \(\d+\.\d\)$"), "mean (SD)");
    }
}
