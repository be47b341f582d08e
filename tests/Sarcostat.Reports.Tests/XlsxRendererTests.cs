using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Sarcostat.Reports.Xlsx;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class XlsxRendererTests
{
    private static byte[] Render(StudyReport report)
    {
        using var stream = new MemoryStream();
        XlsxRenderer.Write(report, stream);
        return stream.ToArray();
    }

    /// <summary>A sheet read back as rows of cells: a number cell as its double, a text cell as its string.</summary>
    private static List<Dictionary<string, object>> Read(SpreadsheetDocument document, string sheetName)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Descendants<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var rows = new List<Dictionary<string, object>>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var cells = new Dictionary<string, object>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = new string(cell.CellReference!.Value!.TakeWhile(char.IsLetter).ToArray());
                cells[column] = cell.DataType?.Value == CellValues.Number
                    ? double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)
                    : cell.InlineString!.InnerText;
            }

            rows.Add(cells);
        }

        return rows;
    }

    [Fact]
    public void The_workbook_validates_and_has_a_contents_sheet_then_one_sheet_per_table()
    {
        var report = SampleReports.Small();
        using var document = SpreadsheetDocument.Open(new MemoryStream(Render(report)), false);
        new OpenXmlValidator().Validate(document).Select(e => e.Description).Should().BeEmpty();
        var names = document.WorkbookPart!.Workbook.Descendants<Sheet>().Select(s => s.Name!.Value).ToList();
        names.Should().Equal(["Contents", .. report.Tables.Select(t => t.Id)]);
        var contents = Read(document, "Contents");
        contents.Skip(1).Select(r => r["B"]).Should().Equal(report.Tables.Select(t => (object)t.Title));
    }

    [Fact]
    public void Every_estimate_is_a_number_beside_its_text_with_its_confidence_limits()
    {
        var table = SampleReports.Table3();
        var report = SampleReports.Small();
        using var document = SpreadsheetDocument.Open(new MemoryStream(Render(report)), false);
        var rows = Read(document, "table-3");
        var header = rows[0].OrderBy(kv => kv.Key.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (string)kv.Value).ToList();
        header.Should().Equal("variable", "level", "indent", "HR", "HR (value)", "95% CI", "95% CI (lower)", "95% CI (upper)", "p", "p (value)");
        rows.Should().HaveCount(table.Rows.Count + 1);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var cells = table.Rows[r].Cells;
            var got = rows[r + 1];
            got["A"].Should().Be(cells[0].Text);
            got["D"].Should().Be(cells[1].Text);
            got["E"].Should().Be(cells[1].Value!.Value, "the HR as a number");
            got["F"].Should().Be(cells[2].Text);
            got["G"].Should().Be(cells[2].Lower!.Value, "the lower limit as a number");
            got["H"].Should().Be(cells[2].Upper!.Value);
            got["J"].Should().Be(cells[3].Value!.Value);
        }
    }

    [Fact]
    public void Text_that_looks_like_a_formula_stays_text_and_non_finite_numbers_are_r_spellings()
    {
        var table = new TableItem("table-9", "Table 9.", ["Variable", "HR"],
        [
            new TableRow(["=HYPERLINK(\"http://x\")", new TableCell("Inf", double.PositiveInfinity)]),
            new TableRow(["@SUM(1)", new TableCell("NA", double.NaN)]),
        ], []);
        var report = SampleReports.Small() with { Sections = [new ReportSection("s", "S", [table])] };
        var bytes = Render(report);
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        document.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<CellFormula>()).Should().BeEmpty("no cell is a formula");
        var rows = Read(document, "table-9");
        rows[1]["A"].Should().Be("=HYPERLINK(\"http://x\")");
        rows[1]["E"].Should().Be("Inf", "HR (value)");
        rows[2]["E"].Should().Be("NA");
    }

    [Fact]
    public void The_same_report_gives_the_same_bytes()
    {
        Render(SampleReports.Small()).Should().Equal(Render(SampleReports.Small()));
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Column_names_are_excels(int index, string name) => XlsxRenderer.ColumnName(index).Should().Be(name);
}
