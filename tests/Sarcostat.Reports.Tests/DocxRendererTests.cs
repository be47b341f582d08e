using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Sarcostat.Reports.Docx;
using Sarcostat.Study.Results;
using TableCell = DocumentFormat.OpenXml.Wordprocessing.TableCell;
using TableRow = DocumentFormat.OpenXml.Wordprocessing.TableRow;

namespace Sarcostat.Reports.Tests;

public class DocxRendererTests
{
    private static readonly StudyReport Report = SampleReports.Small();

    private static byte[] Render(StudyReport report)
    {
        using var stream = new MemoryStream();
        DocxRenderer.Write(report, stream);
        return stream.ToArray();
    }

    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), isEditable: false);

    private static string ParagraphText(OpenXmlElement e) =>
        string.Concat(e.Descendants<OpenXmlLeafTextElement>().Select(t => t is Text text ? text.Text : string.Empty));

    [Theory]
    [InlineData(FileFormatVersions.Office2007)]
    [InlineData(FileFormatVersions.Office2019)]
    public void The_document_validates_without_errors(FileFormatVersions version)
    {
        using var document = Open(Render(Report));
        var errors = new OpenXmlValidator(version).Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        errors.Should().BeEmpty();
    }

    [Fact]
    public void Every_table_reads_back_with_its_cell_texts()
    {
        using var document = Open(Render(Report));
        var tables = document.MainDocumentPart!.Document.Body!.Elements<Table>().ToList();
        var expected = Report.Tables.ToList();
        tables.Should().HaveCount(expected.Count);
        for (var t = 0; t < tables.Count; t++)
        {
            var rows = tables[t].Elements<TableRow>().ToList();
            rows.Should().HaveCount(expected[t].Rows.Count + 1);
            rows[0].Elements<TableCell>().Select(ParagraphText).Should().Equal(expected[t].Columns);
            for (var r = 0; r < expected[t].Rows.Count; r++)
            {
                var cells = expected[t].Rows[r].Cells.Select(c => c.Text).Concat(Enumerable.Repeat(string.Empty, expected[t].Columns.Count - expected[t].Rows[r].Cells.Count));
                rows[r + 1].Elements<TableCell>().Select(ParagraphText).Should().Equal(cells);
            }
        }
    }

    [Fact]
    public void Tables_have_three_rules_and_a_bold_header_row_repeated_on_each_page()
    {
        using var document = Open(Render(Report));
        var table = document.MainDocumentPart!.Document.Body!.Elements<Table>().First();
        var borders = table.GetFirstChild<TableProperties>()!.GetFirstChild<TableBorders>()!;
        borders.TopBorder!.Val!.Value.Should().Be(BorderValues.Single);
        borders.BottomBorder!.Val!.Value.Should().Be(BorderValues.Single);
        borders.InsideHorizontalBorder!.Val!.Value.Should().Be(BorderValues.Nil);
        borders.InsideVerticalBorder!.Val!.Value.Should().Be(BorderValues.Nil);

        var header = table.Elements<TableRow>().First();
        header.TableRowProperties!.GetFirstChild<TableHeader>().Should().NotBeNull();
        foreach (var cell in header.Elements<TableCell>())
        {
            cell.TableCellProperties!.TableCellBorders!.BottomBorder!.Val!.Value.Should().Be(BorderValues.Single);
            cell.Descendants<Run>().Should().OnlyContain(run => run.RunProperties != null && run.RunProperties.Bold != null);
        }

        table.Elements<TableRow>().Skip(1).SelectMany(r => r.Descendants<TableCellBorders>()).Should().BeEmpty("only the header row has the middle rule");
    }

    [Fact]
    public void Level_rows_are_indented_by_their_depth()
    {
        using var document = Open(Render(Report));
        var rows = document.MainDocumentPart!.Document.Body!.Elements<Table>().First().Elements<TableRow>().ToList();
        string? Indent(int row) => rows[row].Elements<TableCell>().First().Descendants<Indentation>().SingleOrDefault()?.Left?.Value;
        Indent(1).Should().BeNull("Sex is a variable heading");
        Indent(2).Should().Be("284");
        Indent(9).Should().Be("568", "the liposarcoma sub-type sits two levels in");
    }

    [Fact]
    public void Footnotes_follow_their_table_in_the_small_note_style()
    {
        using var document = Open(Render(Report));
        var table = document.MainDocumentPart!.Document.Body!.Elements<Table>().First();
        var next = table.ElementsAfter().OfType<Paragraph>().Take(2).ToList();
        next.Select(ParagraphText).Should().Equal(Report.Tables.First().Footnotes);
        next.Should().OnlyContain(p => p.ParagraphProperties!.ParagraphStyleId!.Val!.Value == "TableNote");
        var noteSize = document.MainDocumentPart.StyleDefinitionsPart!.Styles!.Elements<Style>().Single(s => s.StyleId == "TableNote")
            .StyleRunProperties!.FontSize!.Val!.Value;
        noteSize.Should().Be("16", "8 pt");
    }

    [Fact]
    public void Captions_come_before_their_tables_and_are_kept_with_them()
    {
        using var document = Open(Render(Report));
        var table = document.MainDocumentPart!.Document.Body!.Elements<Table>().Last();
        var before = table.ElementsBefore().OfType<Paragraph>().Reverse().Take(2).Select(ParagraphText).ToList();
        before.Should().Contain(Report.Tables.Last().Title);
        before.Should().Contain("See warning 1 at the end.");
    }

    [Fact]
    public void Each_figure_has_its_caption_and_the_name_of_its_svg_file()
    {
        using var document = Open(Render(Report));
        var texts = document.MainDocumentPart!.Document.Body!.Elements<Paragraph>().Select(ParagraphText).ToList();
        foreach (var figure in Report.Figures)
        {
            texts.Should().Contain(figure.Title + " " + figure.Caption);
            texts.Should().Contain($"Figure file: figures/{figure.Id}.svg");
        }
    }

    [Fact]
    public void Provenance_and_warnings_are_in_the_document()
    {
        using var document = Open(Render(Report));
        var texts = document.MainDocumentPart!.Document.Body!.Elements<Paragraph>().Select(ParagraphText).ToList();
        texts[0].Should().Be(Report.Title);
        texts.Should().Contain("Protocol SHA-256: " + Report.Provenance.ProtocolSha256);
        texts.Should().Contain("Data: cohort.csv, SHA-256 " + Report.Provenance.DataSha256[0].Value);
        texts.Should().Contain("Convention: SPSS").And.Contain("Ties: Breslow (SPSS)").And.Contain("Date: 2025-03-14");
        texts.Should().Contain(t => t.StartsWith("1. [events-per-variable] ", StringComparison.Ordinal) && t.EndsWith("(" + Report.Tables.Last().Title + ")", StringComparison.Ordinal));
        texts.Should().Contain(t => t.StartsWith("3. [dss-definition] ", StringComparison.Ordinal) && t.EndsWith("(whole report)", StringComparison.Ordinal));
    }

    [Fact]
    public void Writing_twice_gives_identical_bytes_with_entries_dated_the_report_date()
    {
        var first = Render(SampleReports.Small());
        Thread.Sleep(2100); // zip times have a two-second resolution: make a clock-dependent stamp visible
        var second = Render(SampleReports.Small());
        second.Should().Equal(first);

        using var zip = new ZipArchive(new MemoryStream(first), ZipArchiveMode.Read);
        zip.Entries.Should().OnlyContain(e => e.LastWriteTime.DateTime == new DateTime(2025, 3, 14));
    }

    [Fact]
    public void Control_characters_in_text_do_not_break_the_document()
    {
        var report = Report with { Title = "Bad\u0001title\u000b" };
        using var document = Open(Render(report));
        ParagraphText(document.MainDocumentPart!.Document.Body!.Elements<Paragraph>().First()).Should().Be("Badtitle");
    }
}
