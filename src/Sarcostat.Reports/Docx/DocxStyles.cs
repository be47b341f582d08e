using DocumentFormat.OpenXml.Wordprocessing;

namespace Sarcostat.Reports.Docx;

/// <summary>The paragraph styles of the Word report (Arial; body 11 pt, tables 9 pt, table notes 8 pt).</summary>
internal static class DocxStyles
{
    public const string Normal = "Normal";
    public const string Title = "Title";
    public const string Heading1 = "Heading1";
    public const string Heading2 = "Heading2";
    public const string Caption = "Caption";
    public const string TableText = "TableText";
    public const string TableNote = "TableNote";
    public const string FigureFile = "FigureFile";
    public const string Provenance = "Provenance";
    public const string Flag = "WarningFlag";
    public const string Warning = "WarningItem";

    /// <summary>The styles part content.</summary>
    public static Styles Build()
    {
        var styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial", EastAsia = "Arial" },
                    new FontSize { Val = "22" },
                    new FontSizeComplexScript { Val = "22" },
                    new Languages { Val = "en-GB" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { After = "120", Line = "264", LineRule = LineSpacingRuleValues.Auto }))));

        styles.Append(new Style(
            new StyleName { Val = "Normal" },
            new PrimaryStyle())
        { Type = StyleValues.Paragraph, StyleId = Normal, Default = true });

        styles.Append(ParagraphStyle(Title, "Title", keepNext: true, before: 0, after: 240, size: 32, bold: true));
        styles.Append(ParagraphStyle(Heading1, "heading 1", keepNext: true, before: 360, after: 120, size: 28, bold: true, outline: 0));
        styles.Append(ParagraphStyle(Heading2, "heading 2", keepNext: true, before: 240, after: 80, size: 24, bold: true, outline: 1));
        styles.Append(ParagraphStyle(Caption, "caption", keepNext: true, before: 240, after: 80, size: 20));
        styles.Append(ParagraphStyle(TableText, "Table Text", keepNext: false, before: 20, after: 20, size: 18, line: 240));
        styles.Append(ParagraphStyle(TableNote, "Table Note", keepNext: false, before: 40, after: 0, size: 16, line: 240));
        styles.Append(ParagraphStyle(FigureFile, "Figure File", keepNext: false, before: 0, after: 240, size: 18, italic: true));
        styles.Append(ParagraphStyle(Provenance, "Provenance", keepNext: false, before: 0, after: 20, size: 18, line: 240));
        styles.Append(ParagraphStyle(Flag, "Warning Flag", keepNext: true, before: 0, after: 60, size: 18, italic: true));
        styles.Append(ParagraphStyle(Warning, "Warning Item", keepNext: false, before: 0, after: 80, size: 20));
        return styles;
    }

    private static Style ParagraphStyle(string id, string name, bool keepNext, int before, int after, int size, bool bold = false, bool italic = false, int? outline = null, int line = 264)
    {
        var paragraph = new StyleParagraphProperties();
        if (keepNext)
        {
            paragraph.Append(new KeepNext());
        }

        paragraph.Append(new SpacingBetweenLines
        {
            Before = before.ToString(System.Globalization.CultureInfo.InvariantCulture),
            After = after.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Line = line.ToString(System.Globalization.CultureInfo.InvariantCulture),
            LineRule = LineSpacingRuleValues.Auto,
        });
        if (outline is { } level)
        {
            paragraph.Append(new OutlineLevel { Val = level });
        }

        var run = new StyleRunProperties();
        if (bold)
        {
            run.Append(new Bold());
        }

        if (italic)
        {
            run.Append(new Italic());
        }

        run.Append(new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        run.Append(new FontSizeComplexScript { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        return new Style(
            new StyleName { Val = name },
            new BasedOn { Val = Normal },
            new NextParagraphStyle { Val = Normal },
            new PrimaryStyle(),
            paragraph,
            run)
        { Type = StyleValues.Paragraph, StyleId = id, CustomStyle = id is TableText or TableNote or FigureFile or Provenance or Flag or Warning };
    }
}
