using System.Text.Json;
using Sarcostat.Reports.Json;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

/// <summary><c>results.json</c>: every cell of every table with its numbers at full precision.</summary>
public class JsonRendererTests
{
    private static double? Number(JsonElement cell, string name)
    {
        if (!cell.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String
            ? v.GetString() switch
            {
                "Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var s => throw new InvalidOperationException($"unexpected number text '{s}'"),
            }
            : v.GetDouble();
    }

    [Fact]
    public void Every_cell_of_every_table_reads_back_with_its_text_and_numbers()
    {
        var report = SampleReports.Small();
        using var doc = JsonDocument.Parse(JsonRenderer.Render(report));
        var root = doc.RootElement;
        root.GetProperty("format").GetString().Should().Be("sarcostat-results");
        root.GetProperty("title").GetString().Should().Be(report.Title);

        var tables = root.GetProperty("tables").EnumerateArray().ToList();
        tables.Select(t => t.GetProperty("id").GetString()).Should().Equal("table-2", "table-3");
        int cells = 0;
        foreach (var (table, json) in report.Tables.Zip(tables))
        {
            json.GetProperty("title").GetString().Should().Be(table.Title);
            json.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).Should().Equal(table.Columns);
            json.GetProperty("footnotes").EnumerateArray().Select(c => c.GetString()).Should().Equal(table.Footnotes);
            var rows = json.GetProperty("rows").EnumerateArray().ToList();
            rows.Should().HaveCount(table.Rows.Count);
            foreach (var (row, jrow) in table.Rows.Zip(rows))
            {
                jrow.GetProperty("indent").GetInt32().Should().Be(row.Indent);
                jrow.GetProperty("isHeading").GetBoolean().Should().Be(row.IsHeading);
                var jcells = jrow.GetProperty("cells").EnumerateArray().ToList();
                jcells.Should().HaveCount(row.Cells.Count);
                foreach (var (cell, jcell) in row.Cells.Zip(jcells))
                {
                    jcell.GetProperty("text").GetString().Should().Be(cell.Text);
                    Number(jcell, "value").Should().Be(cell.Value);
                    Number(jcell, "lower").Should().Be(cell.Lower);
                    Number(jcell, "upper").Should().Be(cell.Upper);
                    cells++;
                }
            }
        }

        cells.Should().Be(report.Tables.Sum(t => t.Rows.Sum(r => r.Cells.Count)));
        var ci = tables[1].GetProperty("rows")[0].GetProperty("cells")[2];
        ci.GetProperty("lower").GetDouble().Should().Be(1.422);
        ci.GetProperty("upper").GetDouble().Should().Be(8.832);
        ci.TryGetProperty("value", out _).Should().BeFalse("a key is absent when the cell has no such number");
    }

    [Fact]
    public void Provenance_warnings_and_figures_are_included()
    {
        var report = SampleReports.Small();
        using var doc = JsonDocument.Parse(JsonRenderer.Render(report));
        var root = doc.RootElement;
        var p = root.GetProperty("provenance");
        p.GetProperty("protocolName").GetString().Should().Be("nakayama2022");
        p.GetProperty("generatedOn").GetString().Should().Be("2025-03-14");
        p.GetProperty("convention").GetString().Should().Be("SPSS");
        p.GetProperty("data")[0].GetProperty("sha256").GetString().Should().Be(report.Provenance.DataSha256[0].Value);
        p.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()).Should().Equal("Ties", "Survival CI", "Median CI", "Tests");

        root.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString())
            .Should().Equal("events-per-variable", "infinite-estimate", "dss-definition");
        root.GetProperty("warnings")[0].GetProperty("itemId").GetString().Should().Be("table-3");
        root.GetProperty("warnings")[2].TryGetProperty("itemId", out _).Should().BeFalse();

        var figures = root.GetProperty("figures").EnumerateArray().ToList();
        figures.Select(f => f.GetProperty("id").GetString()).Should().Equal("figure-1", "figure-2", "figure-3", "figure-5");
        figures.Select(f => f.GetProperty("kind").GetString()).Should().Equal("flow", "kaplan-meier", "forest", "scatter");
        figures[1].GetProperty("title").GetString().Should().Be(SampleReports.SmallKaplanMeier().Title);
    }

    [Fact]
    public void Numbers_keep_full_precision_and_non_finite_ones_are_strings()
    {
        double third = 1.0 / 3, sum = 0.1 + 0.2;
        var table = new TableItem("t", "T", ["a", "b"], [
            new TableRow(["x", new TableCell("0.33", third) { Lower = double.NegativeInfinity, Upper = double.PositiveInfinity }]),
            new TableRow(["y", new TableCell("NA", double.NaN) { Lower = sum, Upper = 1e-300 }]),
            new TableRow(["z", new TableCell("0.012", 0.012) { Statistic = 6.3125, DegreesOfFreedom = 1 }]),
        ], []);
        var report = SampleReports.Small() with { Sections = [new ReportSection("s", "S", [table])] };
        var text = JsonRenderer.Render(report);
        text.Should().Contain("\"lower\": \"-Inf\"").And.Contain("\"upper\": \"Inf\"").And.Contain("\"value\": \"NaN\"");
        using var doc = JsonDocument.Parse(text);
        var rows = doc.RootElement.GetProperty("tables")[0].GetProperty("rows");
        rows[0].GetProperty("cells")[1].GetProperty("value").GetDouble().Should().Be(third, "exactly the same double");
        rows[1].GetProperty("cells")[1].GetProperty("lower").GetDouble().Should().Be(sum).And.NotBe(0.3);
        rows[1].GetProperty("cells")[1].GetProperty("upper").GetDouble().Should().Be(1e-300);
        rows[2].GetProperty("cells")[1].GetProperty("statistic").GetDouble().Should().Be(6.3125, "the log-rank chi-square of a univariate row");
        rows[2].GetProperty("cells")[1].GetProperty("df").GetInt32().Should().Be(1);
        rows[0].GetProperty("cells")[1].TryGetProperty("statistic", out _).Should().BeFalse();
    }

    [Fact]
    public void The_text_depends_only_on_the_report_and_keeps_non_ascii_text_readable()
    {
        var a = JsonRenderer.Render(SampleReports.Small());
        var b = JsonRenderer.Render(SampleReports.Small());
        b.Should().Be(a);
        a.Should().Contain("\u226512 months").And.NotContain("\r");
        var control = SampleReports.Small() with { Title = "a\u001Bb" };
        JsonRenderer.Render(control).Should().NotContain("\u001B").And.Contain("\\u001B");
    }
}
