using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Sarcostat.Reports.Docx;
using Sarcostat.Reports.Html;
using Sarcostat.Study.Results;
using TableCell = DocumentFormat.OpenXml.Wordprocessing.TableCell;
using TableRow = DocumentFormat.OpenXml.Wordprocessing.TableRow;

namespace Sarcostat.Reports.Tests;

/// <summary>Footnotes tied to cells carry the same superscript letter in the cell and before the note (issue 12).</summary>
public class FootnoteMarkTests
{
    /// <summary>Table 2 of the sample with its second note ("p: log-rank test.") tied to the p heading and a third tied to two rows.</summary>
    private static TableItem Marked()
    {
        var t = SampleReports.Table2();
        return t with
        {
            Footnotes = [.. t.Footnotes, "Patients with a missing value are left out: Sex 1, Disease-free interval 2."],
            Marks = [new FootnoteMark(1, -1, 3), new FootnoteMark(2, 0, 0), new FootnoteMark(2, 3, 0)],
        };
    }

    private static StudyReport Report() => SampleReports.Small() with
    {
        Sections = [new ReportSection("results", "Results", [Marked()])],
    };

    [Fact]
    public void Letters_follow_footnote_order_and_unmarked_notes_have_none()
    {
        var t = Marked();
        t.MarkerOf(0).Should().BeNull("the abbreviations are a general note");
        t.MarkerOf(1).Should().Be("a");
        t.MarkerOf(2).Should().Be("b");
        t.MarkersAt(-1, 3).Should().Equal("a");
        t.MarkersAt(0, 0).Should().Equal("b");
        t.MarkersAt(1, 0).Should().BeEmpty();
    }

    [Fact]
    public void Html_puts_the_letter_after_the_heading_and_cells_and_before_the_note()
    {
        var root = HtmlRendererTests.ParseXml(HtmlRenderer.Render(Report()));
        var block = root.Descendants().Single(e => (string?)e.Attribute("id") == "table-2");
        block.Descendants("th").Last().Elements("sup").Single().Value.Should().Be("a");
        var rows = block.Descendants("tbody").Single().Elements("tr").ToList();
        rows[0].Elements("td").First().Elements("sup").Single().Value.Should().Be("b");
        rows[3].Elements("td").First().Elements("sup").Single().Value.Should().Be("b");
        rows[1].Descendants("sup").Should().BeEmpty();
        var notes = block.Descendants("div").Single(d => (string?)d.Attribute("class") == "table-notes").Elements("p").ToList();
        notes[0].Elements("sup").Should().BeEmpty();
        notes[1].Elements("sup").Single().Value.Should().Be("a");
        notes[1].Value.Should().Be("a p: log-rank test.");
        notes[2].Elements("sup").Single().Value.Should().Be("b");
    }

    [Fact]
    public void Word_writes_the_letters_as_superscript_runs()
    {
        using var stream = new MemoryStream();
        DocxRenderer.Write(Report(), stream);
        using var document = WordprocessingDocument.Open(new MemoryStream(stream.ToArray()), isEditable: false);
        var body = document.MainDocumentPart!.Document.Body!;
        static bool IsSup(Run r) => r.RunProperties?.VerticalTextAlignment?.Val?.Value == VerticalPositionValues.Superscript;
        var table = body.Elements<Table>().Single();
        var header = table.Elements<TableRow>().First().Elements<TableCell>().ToList();
        header[3].Descendants<Run>().Where(IsSup).Select(r => r.InnerText).Should().Equal("a");
        header[0].Descendants<Run>().Where(IsSup).Should().BeEmpty();
        var firstRow = table.Elements<TableRow>().ElementAt(1).Elements<TableCell>().First();
        firstRow.Descendants<Run>().Where(IsSup).Select(r => r.InnerText).Should().Equal("b");
        var notes = table.ElementsAfter().OfType<Paragraph>().Take(3).ToList();
        notes[0].Descendants<Run>().Where(IsSup).Should().BeEmpty();
        notes[1].Descendants<Run>().Where(IsSup).Select(r => r.InnerText).Should().Equal("a");
        notes[2].Descendants<Run>().Where(IsSup).Select(r => r.InnerText).Should().Equal("b");
    }
}
