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
        before.Should().Contain("See warning 1 in the appendix.");
    }

    [Fact]
    public void Each_figure_is_an_embedded_picture_followed_by_its_caption()
    {
        using var document = Open(Render(Report));
        var main = document.MainDocumentPart!;
        var paragraphs = main.Document.Body!.Elements<Paragraph>().ToList();
        var figures = Report.Figures.ToList();
        var pictures = paragraphs.Where(p => p.Descendants<DocumentFormat.OpenXml.Drawing.Blip>().Any()).ToList();
        pictures.Should().HaveCount(figures.Count);
        main.ImageParts.Should().HaveCount(figures.Count);
        for (var k = 0; k < figures.Count; k++)
        {
            var blip = pictures[k].Descendants<DocumentFormat.OpenXml.Drawing.Blip>().Single();
            var part = (ImagePart)main.GetPartById(blip.Embed!.Value!);
            part.ContentType.Should().Be("image/png");
            using var stream = part.GetStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var expected = Sarcostat.Reports.Figures.FigureExport.Png(Sarcostat.Reports.Svg.SvgRenderer.Render(figures[k]), 300);
            copy.ToArray().Should().Equal(expected, "the picture is the 300 dpi PNG of the figure's SVG");

            pictures[k].ParagraphProperties!.KeepNext.Should().NotBeNull("a picture is kept with its caption");
            var caption = pictures[k].ElementsAfter().OfType<Paragraph>().First();
            ParagraphText(caption).Should().Be(figures[k].Title + " " + figures[k].Caption);
        }
    }

    [Fact]
    public void Pictures_have_the_figures_print_size_and_never_exceed_the_text_width()
    {
        using var document = Open(Render(Report));
        var extents = document.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.Extent>().ToList();
        var figures = Report.Figures.ToList();
        extents.Should().HaveCount(figures.Count);
        const double TextWidthEmu = (11906 - (2 * 1418)) * 635.0;
        for (var k = 0; k < figures.Count; k++)
        {
            // The SVG states its print size (width="85mm"); 1 mm = 36,000 EMU.
            var svg = Sarcostat.Reports.Svg.SvgRenderer.Render(figures[k]);
            var width = SvgSizeMillimetres(svg, "width");
            var height = SvgSizeMillimetres(svg, "height");
            var cx = (double)extents[k].Cx!.Value;
            var cy = (double)extents[k].Cy!.Value;
            cx.Should().BeLessThanOrEqualTo(TextWidthEmu);
            var expectedWidth = Math.Min(width * 36000, TextWidthEmu);
            cx.Should().BeApproximately(expectedWidth, expectedWidth * 0.01, figures[k].Id);
            (cy / cx).Should().BeApproximately(height / width, 0.01 * height / width, "the aspect ratio is kept");
        }
    }

    [Fact]
    public void Every_page_has_its_number_in_the_footer_and_provenance_is_an_appendix_after_the_results()
    {
        using var document = Open(Render(Report));
        var main = document.MainDocumentPart!;
        var footer = main.FooterParts.Should().ContainSingle().Subject;
        footer.Footer!.Descendants<FieldCode>().Select(f => f.Text.Trim()).Should().Contain("PAGE");
        var section = main.Document.Body!.Elements<SectionProperties>().Single();
        section.Elements<FooterReference>().Single().Id!.Value.Should().Be(main.GetIdOfPart(footer));

        var texts = main.Document.Body!.Elements<Paragraph>().Select(ParagraphText).ToList();
        var appendix = texts.IndexOf("Appendix: provenance and warnings");
        appendix.Should().BePositive();
        texts.FindIndex(t => t.StartsWith("Protocol SHA-256: ", StringComparison.Ordinal)).Should().BeGreaterThan(appendix);
        texts.IndexOf("Warnings").Should().BeGreaterThan(appendix);
        var lastFigureCaption = texts.FindLastIndex(t => Report.Figures.Any(f => t == f.Title + " " + f.Caption));
        appendix.Should().BeGreaterThan(lastFigureCaption, "the provenance comes after every result");
    }

    private static double SvgSizeMillimetres(string svg, string attribute)
    {
        var match = System.Text.RegularExpressions.Regex.Match(svg, "<svg[^>]* " + attribute + "=\"([0-9.]+)mm\"");
        match.Success.Should().BeTrue();
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
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
