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

/// <summary>Footnotes tied to the cells they explain, and counts with the right noun (issue 12).</summary>
public class FootnoteAndPluralTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    [Fact]
    public void The_missing_value_note_of_a_univariate_table_is_marked_on_exactly_the_factors_it_names()
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(160, 11), Context);
        var table = report.Tables.Single(t => t.Id == "table-5");
        int note = table.Footnotes.ToList().FindIndex(f => f.StartsWith("Patients with a missing value", StringComparison.Ordinal));
        note.Should().BeGreaterThanOrEqualTo(0);
        var marker = table.MarkerOf(note);
        marker.Should().NotBeNull();
        var marked = table.Marks.Where(m => m.Footnote == note).Select(m => table.Rows[m.Row].Cells[0].Text).ToList();
        marked.Should().NotBeEmpty();
        var named = table.Footnotes[note]["Patients with a missing value are left out of that factor's analysis: ".Length..^1]
            .Split(", ").Select(s => s[..s.LastIndexOf(' ')]).ToList();
        marked.Should().BeEquivalentTo(named);
        table.Marks.Should().OnlyContain(m => m.Footnote >= 0 && m.Footnote < table.Footnotes.Count && m.Row >= -1 && m.Row < table.Rows.Count && m.Column < table.Columns.Count);
    }

    [Fact]
    public void One_patient_is_singular_in_notes_and_captions()
    {
        // Every patient's approach known but one.
        var patients = TestCohort.Build(160, 11).Select((p, i) => p with { Procedures = [.. p.Procedures.Select(m => m with { Approach = i % 3 == 0 ? "thoracotomy" : "vats" })] }).ToList();
        int k = patients.FindIndex(p => p.Procedures.Count > 0);
        patients[k] = patients[k] with { Procedures = [.. patients[k].Procedures.Select(m => m with { Approach = null })] };
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), patients, Context);
        var texts = report.Tables.SelectMany(t => t.Footnotes)
            .Concat(report.Figures.Select(f => f.Caption))
            .Concat(report.Sections.SelectMany(s => s.Items).OfType<Results.TextItem>().SelectMany(t => t.Paragraphs))
            .Concat(report.Warnings.Select(w => w.Message))
            .ToList();
        texts.Should().Contain(t => t.Contains("1 patient with 'Approach method' missing is not included.", StringComparison.Ordinal));
        texts.Should().NotContain(t => System.Text.RegularExpressions.Regex.IsMatch(t, @"(^|[^\d.,])1 (patients|events|steps|terms|rows)\b"));
    }

    [Theory]
    [InlineData(0, "0 patients")]
    [InlineData(1, "1 patient")]
    [InlineData(2, "2 patients")]
    public void CountOf_uses_the_singular_for_one(int n, string expected) => JournalFormat.CountOf(n, "patient").Should().Be(expected);
}
