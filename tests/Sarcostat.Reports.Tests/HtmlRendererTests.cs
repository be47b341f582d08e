using System.Xml;
using System.Xml.Linq;
using Sarcostat.Reports.Html;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class HtmlRendererTests
{
    private static readonly StudyReport Report = SampleReports.Small();
    private static readonly string Html = HtmlRenderer.Render(Report);
    private static readonly XElement Root = ParseXml(Html);

    /// <summary>The renderer writes polyglot markup: an XML reader (DTD ignored) reads it.</summary>
    internal static XElement ParseXml(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader).Root!;
    }

    private static XElement ById(string id) => Root.Descendants().Single(e => (string?)e.Attribute("id") == id);

    [Fact]
    public void Html_is_one_document_that_an_xml_reader_can_parse()
    {
        Html.Should().StartWith("<!DOCTYPE html>\n<html lang=\"en\">");
        Root.Name.LocalName.Should().Be("html");
        Root.Element("head")!.Element("title")!.Value.Should().Be(Report.Title);
    }

    [Fact]
    public void Every_table_cell_is_in_the_html_table_of_its_item()
    {
        foreach (var table in Report.Tables)
        {
            var element = ById(table.Id).Descendants("table").Single();
            element.Descendants("th").Select(th => th.Value).Should().Equal(table.Columns);
            var rows = element.Element("tbody")!.Elements("tr").ToList();
            rows.Should().HaveCount(table.Rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                var expected = table.Rows[r].Cells.Select(c => c.Text).Concat(Enumerable.Repeat(string.Empty, table.Columns.Count - table.Rows[r].Cells.Count));
                rows[r].Elements("td").Select(td => td.Value).Should().Equal(expected);
            }
        }
    }

    [Fact]
    public void Level_rows_are_indented_and_heading_rows_marked()
    {
        var rows = ById("table-2").Descendants("tr").Skip(1).ToList();
        rows[0].Attribute("class")!.Value.Should().Be("group");
        rows[1].Elements("td").First().Attribute("class")!.Value.Should().Be("label indent-1");
        rows.Single(r => r.Elements("td").First().Value.StartsWith("Dedifferentiated", StringComparison.Ordinal))
            .Elements("td").First().Attribute("class")!.Value.Should().Be("label indent-2");
    }

    [Fact]
    public void Tables_have_their_caption_above_and_footnotes_below()
    {
        var block = ById("table-2");
        var children = block.Elements().ToList();
        children.First().Value.Should().Be(Report.Tables.First().Title);
        children.Last().Elements("p").Select(p => p.Value).Should().Equal(Report.Tables.First().Footnotes);
    }

    [Fact]
    public void Every_figure_is_inline_svg_with_its_caption()
    {
        foreach (var figure in Report.Figures)
        {
            var element = ById(figure.Id);
            element.Name.LocalName.Should().Be("figure");
            element.Elements("svg").Should().ContainSingle();
            element.Element("figcaption")!.Value.Should().Be(figure.Title + " " + figure.Caption);
        }

        Root.Descendants("svg").Should().HaveCount(Report.Figures.Count());
    }

    [Fact]
    public void The_residual_plot_keeps_its_smooth_and_dashed_band_inline()
    {
        var svg = ById("figure-5").Element("svg")!;
        static IEnumerable<XElement> Classed(XElement root, string cls) =>
            root.Descendants().Where(e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cls));
        Classed(svg, "smooth").Should().ContainSingle();
        Classed(svg, "band").Should().HaveCount(2).And.OnlyContain(e => e.Attribute("stroke-dasharray") != null);
    }

    [Fact]
    public void The_page_needs_nothing_from_outside()
    {
        Html.Should().NotContain("http", "no link, namespace or resource may point to the network");
        Html.Should().NotContainAny("<script", "<link", "<img", "<iframe", "src=", "url(", "@import");
    }

    [Fact]
    public void Text_is_escaped()
    {
        Html.Should().Contain("<title>Pulmonary metastasectomy for STS of the trunk wall and extremities &lt;demo&gt;</title>");
        Html.Should().Contain("<td class=\"label indent-1\">&lt;12 months</td>");
        Html.Should().Contain("from the first metastasectomy &amp; censored");
        Html.Should().NotContain("<12 months").And.NotContain("<demo>");
    }

    [Fact]
    public void The_header_states_provenance_and_methods()
    {
        var header = Root.Descendants("header").Single().Value;
        var p = Report.Provenance;
        header.Should().Contain("Sarcostat 0.1.0").And.Contain(p.ProtocolName).And.Contain(p.ProtocolSha256)
            .And.Contain("cohort.csv").And.Contain(p.DataSha256[0].Value).And.Contain("2025-03-14").And.Contain("SPSS");
        foreach (var (name, value) in p.Methods)
        {
            header.Should().Contain(name).And.Contain(value);
        }
    }

    [Fact]
    public void Contents_link_to_every_section_table_and_figure_and_each_target_exists()
    {
        var links = Root.Descendants("nav").Single().Descendants("a").Select(a => a.Attribute("href")!.Value.TrimStart('#')).ToList();
        links.Should().Contain(Report.Tables.Select(t => t.Id)).And.Contain(Report.Figures.Select(f => f.Id)).And.Contain("warnings");
        var ids = Root.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().Contain(links);
    }

    [Fact]
    public void Every_warning_is_listed_and_its_item_carries_a_link_to_it()
    {
        var list = ById("warnings").Descendants("li").ToList();
        list.Should().HaveCount(Report.Warnings.Count);
        list[0].Value.Should().Contain("events-per-variable").And.Contain(Report.Warnings[0].Message).And.Contain("Table 3.");
        list[0].Descendants("a").Single().Attribute("href")!.Value.Should().Be("#table-3");
        list[2].Value.Should().Contain("(whole report)");

        ById("table-3").Descendants("a").Single(a => a.Attribute("class")?.Value == "warning-flag").Attribute("href")!.Value.Should().Be("#warning-1");
        ById("figure-3").Descendants("a").Single(a => a.Attribute("class")?.Value == "warning-flag").Attribute("href")!.Value.Should().Be("#warning-2");
        ById("table-2").Descendants("a").Should().BeEmpty();
    }

    [Fact]
    public void A_report_without_warnings_says_so()
    {
        var html = HtmlRenderer.Render(Report with { Warnings = [] });
        ParseXml(html).Descendants().Single(e => (string?)e.Attribute("id") == "warnings").Value.Should().Contain("No warnings.");
    }

    [Fact]
    public void Print_rules_keep_tables_and_figures_whole()
    {
        Html.Should().Contain("@media print").And.Contain(".table-block, figure.report-figure, .text-block p { break-inside: avoid;")
            .And.Contain("thead { display: table-header-group; }");
    }

    [Fact]
    public void Rendering_the_same_report_twice_gives_identical_text()
    {
        HtmlRenderer.Render(SampleReports.Small()).Should().Be(HtmlRenderer.Render(SampleReports.Small()));
    }

    [Fact]
    public void A_row_with_more_cells_than_columns_is_refused()
    {
        var table = SampleReports.Table3() with { Rows = [new TableRow(["a", "b", "c", "d", "e"])] };
        var report = Report with { Sections = [new ReportSection("s", "S", [table])] };
        var act = () => HtmlRenderer.Render(report);
        act.Should().Throw<ArgumentException>().WithMessage("*table-3*row 1 has 5 cells*4 columns*");
    }
}
