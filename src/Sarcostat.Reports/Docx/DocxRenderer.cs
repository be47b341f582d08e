using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Sarcostat.Reports.Figures;
using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;
using static Sarcostat.Reports.Markup;
using WordCell = DocumentFormat.OpenXml.Wordprocessing.TableCell;
using WordRow = DocumentFormat.OpenXml.Wordprocessing.TableRow;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Sarcostat.Reports.Docx;

/// <summary>
/// Writes a <see cref="StudyReport"/> as a Word document (.docx, OpenXML SDK): title, provenance block, section
/// headings, Methods/Results paragraphs, tables as journals lay them out, figures embedded as pictures with their
/// captions, page numbers, and an appendix with the provenance and the warnings.
/// </summary>
/// <remarks>
/// <para>Tables: caption above (kept with the table), three horizontal rules (above and below the header row, at
/// the bottom; 1.5 pt / 0.75 pt / 1.5 pt), the header row bold and repeated on every page, rows that do not split
/// across pages, indented level rows, footnotes under the table in 8 pt.</para>
/// <para>Figures are embedded as 300 dpi PNG pictures (<see cref="FigureExport"/>, drawn from the same SVG as the
/// figure files) at their print size, one journal column (85 mm) for a Kaplan-Meier plot, never wider than the text;
/// the caption follows the picture, as journals print figure legends. The provenance block and the warnings are in an
/// appendix after the results; every page carries its number in the footer.</para>
/// <para>Determinism: every relationship id is fixed and every zip entry carries the same timestamp (the report's
/// date, 00:00), so equal reports give equal bytes. No document properties part (creation time, author) is
/// written.</para>
/// </remarks>
public static class DocxRenderer
{
    // A4 portrait, 2.5 cm margins, in twentieths of a point.
    private const int PageWidth = 11906;
    private const int PageHeight = 16838;
    private const int Margin = 1418;
    private const int TextWidth = PageWidth - (2 * Margin);
    private const int IndentPerLevel = 284;

    /// <summary>Writes <paramref name="report"/> as a .docx package to <paramref name="output"/>.</summary>
    /// <param name="report">The report.</param>
    /// <param name="output">A writable stream; written from its current position and left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A table row has more cells than the table has columns.</exception>
    public static void Write(StudyReport report, Stream output) => Write(report, output, figurePng: null);

    /// <summary>As <see cref="Write(StudyReport, Stream)"/>, taking each figure's 300 dpi PNG from <paramref name="figurePng"/> (the report writer passes the images it already drew).</summary>
    internal static void Write(StudyReport report, Stream output, Func<FigureItem, byte[]>? figurePng)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        figurePng ??= f => FigureExport.Png(SvgRenderer.Render(f), 300);

        using var package = new MemoryStream();
        using (var document = WordprocessingDocument.Create(package, WordprocessingDocumentType.Document))
        {
            var main = document.AddNewPart<MainDocumentPart>("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "rIdDocument");
            var styles = main.AddNewPart<StyleDefinitionsPart>("rIdStyles");
            styles.Styles = DocxStyles.Build();
            var settings = main.AddNewPart<DocumentSettingsPart>("rIdSettings");
            settings.Settings = new Settings(
                new Compatibility(new CompatibilitySetting
                {
                    Name = CompatSettingNameValues.CompatibilityMode,
                    Uri = "http://schemas.microsoft.com/office/word",
                    Val = "15",
                }));
            var footer = main.AddNewPart<FooterPart>("rIdFooter");
            footer.Footer = PageNumberFooter();
            main.Document = new Document(BuildBody(report, main, figurePng));
        }

        ZipNormaliser.Copy(package, output, report.Provenance.GeneratedOn);
    }

    private static Body BuildBody(StudyReport report, MainDocumentPart main, Func<FigureItem, byte[]> figurePng)
    {
        var body = new Body();
        var warnings = WarningIndex.Build(report);
        var pictures = 0;
        body.Append(Para(DocxStyles.Title, Run(report.Title)));

        foreach (var section in report.Sections)
        {
            body.Append(Para(DocxStyles.Heading1, Run(section.Title)));
            foreach (var item in section.Items)
            {
                switch (item)
                {
                    case TextItem text:
                        if (!string.IsNullOrWhiteSpace(text.Title))
                        {
                            body.Append(Para(DocxStyles.Heading2, Run(text.Title)));
                        }

                        AppendFlags(body, text.Id, warnings);
                        foreach (var paragraph in text.Paragraphs)
                        {
                            body.Append(Para(null, Run(paragraph)));
                        }

                        break;
                    case TableItem table:
                        AppendTable(body, table, warnings);
                        break;
                    case FigureItem figure:
                        body.Append(Picture(main, figure, figurePng(figure), ++pictures));
                        body.Append(Para(DocxStyles.Caption, Run(figure.Title, bold: true), Run(string.IsNullOrWhiteSpace(figure.Caption) ? string.Empty : " " + figure.Caption)));
                        body.Append(Para(DocxStyles.FigureFile, Run("Figure files: figures/" + figure.Id + ".svg, .pdf, .png (300 dpi), -600dpi.png")));
                        AppendFlags(body, figure.Id, warnings);
                        break;
                    default:
                        throw new ArgumentException($"Report item '{item.Id}' is a {item.GetType().Name}, which has no Word renderer.", nameof(report));
                }
            }
        }

        body.Append(Para(DocxStyles.Heading1, Run("Appendix: provenance and warnings")));
        body.Append(Para(DocxStyles.Heading2, Run("Provenance")));
        AppendProvenance(body, report);
        AppendWarnings(body, report, warnings);
        body.Append(new SectionProperties(
            new FooterReference { Type = HeaderFooterValues.Default, Id = "rIdFooter" },
            new PageSize { Width = (UInt32Value)(uint)PageWidth, Height = (UInt32Value)(uint)PageHeight },
            new PageMargin { Top = Margin, Bottom = Margin, Left = (UInt32Value)(uint)Margin, Right = (UInt32Value)(uint)Margin, Header = 708U, Footer = 708U, Gutter = 0U }));
        return body;
    }

    private static void AppendProvenance(Body body, StudyReport report)
    {
        var p = report.Provenance;
        void Line(string name, string value) => body.Append(Para(DocxStyles.Provenance, Run(name + ": ", bold: true), Run(value)));
        Line("Software", "Sarcostat " + p.SoftwareVersion);
        Line("Protocol", p.ProtocolName);
        Line("Protocol SHA-256", p.ProtocolSha256);
        if (p.DataSha256.Count == 0)
        {
            Line("Data", "none recorded");
        }

        foreach (var (file, hash) in p.DataSha256)
        {
            Line("Data", file + ", SHA-256 " + hash);
        }

        Line("Date", p.GeneratedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Line("Convention", p.Convention);
        foreach (var (name, value) in p.Methods)
        {
            Line(name, value);
        }

        Line("Warnings", report.Warnings.Count == 0 ? "none" : report.Warnings.Count.ToString(CultureInfo.InvariantCulture) + " (listed below)");
    }

    private static void AppendFlags(Body body, string itemId, WarningIndex warnings)
    {
        var numbers = warnings.For(itemId);
        if (numbers.Count > 0)
        {
            var text = (numbers.Count == 1 ? "See warning " : "See warnings ") + string.Join(", ", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture))) + " in the appendix.";
            body.Append(Para(DocxStyles.Flag, Run(text)));
        }
    }

    private static void AppendTable(Body body, TableItem table, WarningIndex warnings)
    {
        body.Append(Para(DocxStyles.Caption, Run(table.Title, bold: true)));
        AppendFlags(body, table.Id, warnings);
        var columns = table.Columns.Count;
        if (columns == 0)
        {
            return;
        }

        var widths = ColumnWidths(table);
        var t = new Table();
        t.Append(new TableProperties(
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 12U, Space = 0U, Color = "000000" },
                new LeftBorder { Val = BorderValues.Nil },
                new BottomBorder { Val = BorderValues.Single, Size = 12U, Space = 0U, Color = "000000" },
                new RightBorder { Val = BorderValues.Nil },
                new InsideHorizontalBorder { Val = BorderValues.Nil },
                new InsideVerticalBorder { Val = BorderValues.Nil }),
            new TableLayout { Type = TableLayoutValues.Fixed },
            new TableCellMarginDefault(
                new TopMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                new TableCellLeftMargin { Width = 85, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                new TableCellRightMargin { Width = 85, Type = TableWidthValues.Dxa })));
        var grid = new TableGrid();
        foreach (var w in widths)
        {
            grid.Append(new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) });
        }

        t.Append(grid);

        var header = new WordRow(new TableRowProperties(new CantSplit(), new TableHeader()));
        for (var c = 0; c < columns; c++)
        {
            header.Append(Cell(table.Columns[c], widths[c], c == 0 ? JustificationValues.Left : JustificationValues.Center, indent: 0, bold: true, headerRule: true, table.MarkersAt(-1, c)));
        }

        t.Append(header);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var texts = TableShape.Cells(table, r);
            var tr = new WordRow(new TableRowProperties(new CantSplit()));
            for (var c = 0; c < columns; c++)
            {
                tr.Append(Cell(texts[c], widths[c], c == 0 ? JustificationValues.Left : JustificationValues.Center, indent: c == 0 ? Math.Clamp(row.Indent, 0, 4) : 0, bold: false, headerRule: false, table.MarkersAt(r, c)));
            }

            t.Append(tr);
        }

        body.Append(t);
        for (var k = 0; k < table.Footnotes.Count; k++)
        {
            body.Append(table.MarkerOf(k) is { } marker
                ? Para(DocxStyles.TableNote, Superscript(marker), Run(" " + table.Footnotes[k]))
                : Para(DocxStyles.TableNote, Run(table.Footnotes[k])));
        }

        if (table.Footnotes.Count == 0)
        {
            body.Append(Para(DocxStyles.TableNote));
        }
    }

    /// <summary>
    /// Column widths in twips summing to the text width: proportional to each column's longest text (estimated),
    /// the label column at least 30% and every column at least 8%.
    /// </summary>
    private static int[] ColumnWidths(TableItem table)
    {
        var columns = table.Columns.Count;
        var need = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            need[c] = Svg.TextMeasure.Width(table.Columns[c], 10, bold: true);
        }

        for (var r = 0; r < table.Rows.Count; r++)
        {
            var texts = TableShape.Cells(table, r);
            for (var c = 0; c < columns; c++)
            {
                var extra = c == 0 ? table.Rows[r].Indent * 6 : 0;
                need[c] = Math.Max(need[c], Math.Min(Svg.TextMeasure.Width(texts[c], 10) + extra, 260));
            }
        }

        var total = need.Sum();
        var share = need.Select(n => total <= 0 ? 1.0 / columns : n / total).ToArray();
        if (columns > 1)
        {
            share[0] = Math.Max(share[0], 0.30);
        }

        for (var c = 0; c < columns; c++)
        {
            share[c] = Math.Max(share[c], 0.08);
        }

        var sum = share.Sum();
        var widths = share.Select(s => (int)Math.Floor(s / sum * TextWidth)).ToArray();
        widths[0] += TextWidth - widths.Sum();
        return widths;
    }

    private static WordCell Cell(string text, int width, JustificationValues justification, int indent, bool bold, bool headerRule, IReadOnlyList<string> markers)
    {
        var properties = new TableCellProperties(new TableCellWidth { Width = width.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa });
        if (headerRule)
        {
            properties.Append(new TableCellBorders(new BottomBorder { Val = BorderValues.Single, Size = 6U, Space = 0U, Color = "000000" }));
            properties.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Bottom });
        }

        var paragraphProperties = new ParagraphProperties(new ParagraphStyleId { Val = DocxStyles.TableText });
        if (indent > 0)
        {
            paragraphProperties.Append(new Indentation { Left = (indent * IndentPerLevel).ToString(CultureInfo.InvariantCulture) });
        }

        paragraphProperties.Append(new Justification { Val = justification });
        var paragraph = new Paragraph(paragraphProperties, Run(text, bold));
        if (markers.Count > 0)
        {
            paragraph.Append(Superscript(string.Join(",", markers)));
        }

        return new WordCell(properties, paragraph);
    }

    private static void AppendWarnings(Body body, StudyReport report, WarningIndex warnings)
    {
        body.Append(Para(DocxStyles.Heading2, Run("Warnings")));
        if (report.Warnings.Count == 0)
        {
            body.Append(Para(null, Run("No warnings.")));
            return;
        }

        for (var k = 0; k < report.Warnings.Count; k++)
        {
            var w = report.Warnings[k];
            var concerns = w.ItemId is null
                ? " (whole report)"
                : warnings.Title(w.ItemId) is { } title ? " (" + title + ")" : " (item '" + w.ItemId + "', not in this report)";
            body.Append(Para(DocxStyles.Warning, Run((k + 1).ToString(CultureInfo.InvariantCulture) + ". ", bold: true), Run("[" + w.Code + "] ", italic: true), Run(w.Message + concerns)));
        }
    }

    /// <summary>
    /// A paragraph holding <paramref name="png"/> as an inline picture at the figure's print size (capped at the text
    /// width, aspect kept), kept with its caption on the next line. Relationship ids are fixed (rIdFigure1, ...) so
    /// that equal reports give equal bytes.
    /// </summary>
    private static Paragraph Picture(MainDocumentPart main, FigureItem figure, byte[] png, int number)
    {
        var relationship = "rIdFigure" + number.ToString(CultureInfo.InvariantCulture);
        var part = main.AddImagePart(ImagePartType.Png, relationship);
        using (var data = new MemoryStream(png, writable: false))
        {
            part.FeedData(data);
        }

        const long EmuPerMillimetre = 36000;
        const long EmuPerTwip = 635;
        var (widthMm, heightMm) = PngSizeMillimetres(png);
        var cx = (long)Math.Round(widthMm * EmuPerMillimetre);
        var cy = (long)Math.Round(heightMm * EmuPerMillimetre);
        var maxWidth = TextWidth * EmuPerTwip;
        if (cx > maxWidth)
        {
            cy = (long)Math.Round(cy * (double)maxWidth / cx);
            cx = maxWidth;
        }

        var name = figure.Id + ".png";
        var inline = new DW.Inline(
            new DW.Extent { Cx = cx, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new DW.DocProperties { Id = (UInt32Value)(uint)number, Name = "Figure " + number.ToString(CultureInfo.InvariantCulture), Description = XmlSafe(figure.Title) },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(
                        new PIC.NonVisualDrawingProperties { Id = (UInt32Value)0U, Name = name },
                        new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = relationship }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0U,
            DistanceFromBottom = 0U,
            DistanceFromLeft = 0U,
            DistanceFromRight = 0U,
        };
        return new Paragraph(
            new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "60" }, new Justification { Val = JustificationValues.Left }),
            new Run(new Drawing(inline)));
    }

    /// <summary>The print size a PNG declares: its pixel size over the resolution of its pHYs chunk (300 dpi when absent).</summary>
    private static (double Width, double Height) PngSizeMillimetres(byte[] png)
    {
        var width = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16));
        var height = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
        double perMetre = 300 / 0.0254;
        var at = 8;
        while (at + 8 <= png.Length)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("pHYs"u8) && png[at + 16] == 1)
            {
                perMetre = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8));
                break;
            }

            at += 12 + length;
        }

        return (width / perMetre * 1000, height / perMetre * 1000);
    }

    /// <summary>A footer with the page number, centred ("3"), as a PAGE field Word and LibreOffice update.</summary>
    private static Footer PageNumberFooter() =>
        new(new Paragraph(
            new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
            new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
            new Run(new FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
            new Run(new Text("1")),
            new Run(new FieldChar { FieldCharType = FieldCharValues.End })));

    private static Paragraph Para(string? style, params Run[] runs)
    {
        var paragraph = new Paragraph();
        if (style is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        foreach (var run in runs)
        {
            paragraph.Append(run);
        }

        return paragraph;
    }

    /// <summary>A footnote letter as a superscript run.</summary>
    private static Run Superscript(string text) =>
        new(new RunProperties(new VerticalTextAlignment { Val = VerticalPositionValues.Superscript }), new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve });

    private static Run Run(string text, bool bold = false, bool italic = false)
    {
        var run = new Run();
        if (bold || italic)
        {
            var properties = new RunProperties();
            if (bold)
            {
                properties.Append(new Bold());
            }

            if (italic)
            {
                properties.Append(new Italic());
            }

            run.Append(properties);
        }

        // Line breaks inside a text become Word line breaks; Word drops bare newlines.
        var lines = XmlSafe(text).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                run.Append(new Break());
            }

            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }

        return run;
    }
}
