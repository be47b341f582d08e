using System.Globalization;
using System.Text;
using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;
using static Sarcostat.Reports.Markup;

namespace Sarcostat.Reports.Html;

/// <summary>
/// Renders a <see cref="StudyReport"/> as one self-contained HTML file: inline CSS and inline SVG figures, no
/// scripts and no external resources, so it reads offline and prints (A4, tables and figures kept whole).
/// </summary>
/// <remarks>
/// Layout: a header block (title, software version, protocol name and SHA-256, data file hashes, date,
/// convention, methods in force, warning count), a table of contents, the sections in order (tables as three-line
/// journal tables with indented level rows and footnotes; figures with captions), and a Warnings section listing
/// every warning with a link to the item it concerns; each concerned item carries a link back. All text is
/// escaped. The markup is also well-formed XML (void elements self-closed), so tools and tests can parse it with
/// an XML reader. The output depends only on the report (no clock, no random ids), so equal reports give equal
/// bytes.
/// </remarks>
public static class HtmlRenderer
{
    /// <summary>Renders <paramref name="report"/> as an HTML5 document.</summary>
    /// <param name="report">The report to render.</param>
    /// <returns>The document text (UTF-8 when written; the document declares it).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    /// <exception cref="ArgumentException">A table row has more cells than the table has columns, or a figure cannot be drawn.</exception>
    public static string Render(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var warningsByItem = WarningIndex.Build(report);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        html.Append(CultureInfo.InvariantCulture, $"<meta name=\"generator\" content=\"Sarcostat {Escape(report.Provenance.SoftwareVersion)}\" />\n");
        html.Append("<title>").Append(Escape(report.Title)).Append("</title>\n");
        html.Append("<style>\n").Append(Stylesheet.Css).Append("</style>\n</head>\n<body>\n");

        AppendHeader(html, report);
        AppendContents(html, report);

        html.Append("<main>\n");
        foreach (var section in report.Sections)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"report-section\" id=\"{SectionAnchor(section)}\">\n");
            html.Append("<h2>").Append(Escape(section.Title)).Append("</h2>\n");
            foreach (var item in section.Items)
            {
                switch (item)
                {
                    case TableItem table:
                        AppendTable(html, table, warningsByItem);
                        break;
                    case FigureItem figure:
                        AppendFigure(html, figure, warningsByItem);
                        break;
                    case TextItem text:
                        AppendText(html, text, warningsByItem);
                        break;
                    default:
                        throw new ArgumentException($"Report item '{item.Id}' is a {item.GetType().Name}, which has no HTML renderer.", nameof(report));
                }
            }

            html.Append("</section>\n");
        }

        AppendWarnings(html, report, warningsByItem);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string SectionAnchor(ReportSection section) => "section-" + Escape(section.Id);

    private static void AppendHeader(StringBuilder html, StudyReport report)
    {
        var p = report.Provenance;
        html.Append("<header class=\"report-header\">\n<h1>").Append(Escape(report.Title)).Append("</h1>\n");
        html.Append("<dl class=\"provenance\">\n");
        Row(html, "Software", "Sarcostat " + p.SoftwareVersion);
        Row(html, "Protocol", p.ProtocolName);
        RowCode(html, "Protocol SHA-256", p.ProtocolSha256);
        if (p.DataSha256.Count == 0)
        {
            Row(html, "Data", "none recorded");
        }

        foreach (var (file, hash) in p.DataSha256)
        {
            html.Append("<dt>Data</dt><dd>").Append(Escape(file)).Append("<br /><code>").Append(Escape(hash)).Append("</code></dd>\n");
        }

        Row(html, "Date", p.GeneratedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row(html, "Convention", p.Convention);
        foreach (var (name, value) in p.Methods)
        {
            html.Append("<dt class=\"method\">").Append(Escape(name)).Append("</dt><dd>").Append(Escape(value)).Append("</dd>\n");
        }

        html.Append("<dt>Warnings</dt><dd>");
        if (report.Warnings.Count == 0)
        {
            html.Append("none");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"#warnings\">{report.Warnings.Count} (see Warnings)</a>");
        }

        html.Append("</dd>\n</dl>\n</header>\n");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(Escape(name)).Append("</dt><dd>").Append(Escape(value)).Append("</dd>\n");

    private static void RowCode(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(Escape(name)).Append("</dt><dd><code>").Append(Escape(value)).Append("</code></dd>\n");

    private static void AppendContents(StringBuilder html, StudyReport report)
    {
        html.Append("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
        foreach (var section in report.Sections)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{SectionAnchor(section)}\">{Escape(section.Title)}</a>");
            var items = section.Items.Where(i => i is TableItem or FigureItem).ToList();
            if (items.Count > 0)
            {
                html.Append("\n<ol>\n");
                foreach (var item in items)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{Escape(item.Id)}\">{Escape(item.Title)}</a></li>\n");
                }

                html.Append("</ol>\n");
            }

            html.Append("</li>\n");
        }

        html.Append("<li><a href=\"#warnings\">Warnings</a></li>\n</ol>\n</nav>\n");
    }

    private static void AppendFlags(StringBuilder html, string itemId, WarningIndex warnings)
    {
        var numbers = warnings.For(itemId);
        if (numbers.Count == 0)
        {
            return;
        }

        html.Append("<p class=\"item-warnings\">");
        for (var k = 0; k < numbers.Count; k++)
        {
            html.Append(k == 0 ? string.Empty : " ");
            html.Append(CultureInfo.InvariantCulture, $"<a class=\"warning-flag\" href=\"#warning-{numbers[k]}\">Warning {numbers[k]}</a>");
        }

        html.Append("</p>\n");
    }

    private static void AppendText(StringBuilder html, TextItem text, WarningIndex warnings)
    {
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"text-block\" id=\"{Escape(text.Id)}\">\n");
        if (!string.IsNullOrWhiteSpace(text.Title))
        {
            html.Append("<h3>").Append(Escape(text.Title)).Append("</h3>\n");
        }

        AppendFlags(html, text.Id, warnings);
        foreach (var paragraph in text.Paragraphs)
        {
            html.Append("<p>").Append(Escape(paragraph)).Append("</p>\n");
        }

        html.Append("</div>\n");
    }

    private static void AppendTable(StringBuilder html, TableItem table, WarningIndex warnings)
    {
        var columns = table.Columns.Count;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-block\" id=\"{Escape(table.Id)}\">\n");
        html.Append("<p class=\"caption\">").Append(Escape(table.Title)).Append("</p>\n");
        AppendFlags(html, table.Id, warnings);
        html.Append("<table class=\"journal\">\n<thead>\n<tr>");
        for (var c = 0; c < columns; c++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{Escape(table.Columns[c])}{Sup(table.MarkersAt(-1, c))}</th>");
        }

        html.Append("</tr>\n</thead>\n<tbody>\n");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var cells = TableShape.Cells(table, r);
            html.Append(row.IsHeading ? "<tr class=\"group\">" : "<tr>");
            for (var c = 0; c < columns; c++)
            {
                if (c == 0)
                {
                    var indent = Math.Clamp(row.Indent, 0, 4);
                    if (indent > 0)
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<td class=\"label indent-{indent}\">");
                    }
                    else
                    {
                        html.Append("<td class=\"label\">");
                    }
                }
                else
                {
                    html.Append("<td>");
                }

                html.Append(Escape(cells[c])).Append(Sup(table.MarkersAt(r, c))).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        if (table.Footnotes.Count > 0)
        {
            html.Append("<div class=\"table-notes\">\n");
            for (var k = 0; k < table.Footnotes.Count; k++)
            {
                var marker = table.MarkerOf(k);
                html.Append("<p>").Append(marker is null ? string.Empty : Sup([marker]) + " ").Append(Escape(table.Footnotes[k])).Append("</p>\n");
            }

            html.Append("</div>\n");
        }

        html.Append("</div>\n");
    }

    /// <summary>Footnote letters as one superscript ("<sup class="fn">a,b</sup>"), or nothing.</summary>
    private static string Sup(IReadOnlyList<string> markers) =>
        markers.Count == 0 ? string.Empty : $"<sup class=\"fn\">{Escape(string.Join(",", markers))}</sup>";

    private static void AppendFigure(StringBuilder html, FigureItem figure, WarningIndex warnings)
    {
        var kind = figure switch
        {
            KaplanMeierFigure => "kaplan-meier",
            ForestFigure => "forest",
            FlowFigure => "flow",
            ScatterFigure => "scatter",
            _ => "other",
        };
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"report-figure {kind}\" id=\"{Escape(figure.Id)}\">\n");
        html.Append(SvgRenderer.Render(figure, includeNamespace: false));
        html.Append("<figcaption><span class=\"figure-title\">").Append(Escape(figure.Title)).Append("</span>");
        if (!string.IsNullOrWhiteSpace(figure.Caption))
        {
            html.Append(' ').Append(Escape(figure.Caption));
        }

        html.Append("</figcaption>\n");
        AppendFlags(html, figure.Id, warnings);
        html.Append("</figure>\n");
    }

    private static void AppendWarnings(StringBuilder html, StudyReport report, WarningIndex warnings)
    {
        html.Append("<section class=\"report-section warnings\" id=\"warnings\">\n<h2>Warnings</h2>\n");
        if (report.Warnings.Count == 0)
        {
            html.Append("<p>No warnings.</p>\n</section>\n");
            return;
        }

        html.Append("<ol class=\"warning-list\">\n");
        for (var k = 0; k < report.Warnings.Count; k++)
        {
            var w = report.Warnings[k];
            html.Append(CultureInfo.InvariantCulture, $"<li id=\"warning-{k + 1}\"><span class=\"warning-code\">{Escape(w.Code)}</span> {Escape(w.Message)}");
            if (w.ItemId is null)
            {
                html.Append(" <span class=\"concerns\">(whole report)</span>");
            }
            else if (warnings.Title(w.ItemId) is { } title)
            {
                html.Append(CultureInfo.InvariantCulture, $" <span class=\"concerns\">(<a href=\"#{Escape(w.ItemId)}\">{Escape(title)}</a>)</span>");
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $" <span class=\"concerns\">(item &#8216;{Escape(w.ItemId)}&#8217;, not in this report)</span>");
            }

            html.Append("</li>\n");
        }

        html.Append("</ol>\n</section>\n");
    }
}
