using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class ForestSvgTests
{
    private static readonly ForestFigure Figure = SampleReports.Forest();
    private static readonly XElementCache Svg = new(SvgRenderer.Render(Figure));

    private static System.Xml.Linq.XElement Row(string label) => Svg.Root.ByClass("forest-row").Single(g => g.Label() == label);

    private static double TickX(string label) => Svg.Root.ByClass("x-tick-label").Single(t => t.Value == label).Num("x");

    [Fact]
    public void The_square_of_a_hazard_ratio_of_1_sits_on_the_reference_line()
    {
        var line = Svg.Root.ByClass("reference-line").Single();
        var square = Row("Multiple lung metastases").ByClass("estimate").Single();
        (square.Num("x") + (square.Num("width") / 2)).Should().BeApproximately(line.Num("x1"), 0.011);
        line.Num("x1").Should().BeApproximately(TickX("1"), 0.011);
    }

    [Fact]
    public void Ticks_follow_the_1_2_5_series_on_a_log_scale()
    {
        var labels = Svg.Root.ByClass("x-tick-label").Select(t => t.Value).ToList();
        labels.Should().Equal("0.5", "1", "2", "5", "10", "20");
        var perDecade = TickX("10") - TickX("1");
        (TickX("2") - TickX("1")).Should().BeApproximately(Math.Log10(2) * perDecade, 0.02);
        (TickX("1") - TickX("0.5")).Should().BeApproximately(Math.Log10(2) * perDecade, 0.02);
        (TickX("20") - TickX("5")).Should().BeApproximately(Math.Log10(4) * perDecade, 0.02);
    }

    [Fact]
    public void Estimates_are_placed_by_the_logarithm_of_the_hazard_ratio()
    {
        var square = Row("DFI < 12 months").ByClass("estimate").Single();
        var centre = square.Num("x") + (square.Num("width") / 2);
        var perDecade = TickX("10") - TickX("1");
        centre.Should().BeApproximately(TickX("1") + (Math.Log10(3.544) * perDecade), 0.02);
    }

    [Fact]
    public void The_reference_row_shows_its_text_and_no_marker()
    {
        var row = Row("DFI \u2265 12 months");
        row.ByClass("reference").Should().ContainSingle();
        row.ByClass("row-text").Single().Value.Should().Be("1 (reference)");
        row.ByClass("estimate").Should().BeEmpty();
        row.ByClass("whisker").Should().BeEmpty();
    }

    [Fact]
    public void A_reference_row_without_text_reads_1_reference()
    {
        var figure = Figure with { Rows = [new ForestRow("Male", null, null, null, string.Empty, IsReference: true), Figure.Rows[1]] };
        SvgRead.Parse(SvgRenderer.Render(figure)).ByClass("row-text").First().Value.Should().Be("1 (reference)");
    }

    [Fact]
    public void An_infinite_upper_limit_runs_to_the_axis_end_and_ends_in_an_arrow()
    {
        var axisEnd = Svg.Root.ByClass("x-axis").Single().Num("x2");
        var row = Row("Non-curative resection");
        row.ByClass("whisker").Single().Num("x2").Should().BeApproximately(axisEnd, 0.011);
        var arrow = row.ByClass("arrow").Should().ContainSingle().Subject;
        arrow.PathNumbers()[0].Should().BeGreaterThan(axisEnd, "the arrow points out of the axis");
        Row("UPS").ByClass("arrow").Should().BeEmpty();
    }

    [Fact]
    public void A_huge_upper_limit_is_cut_at_100_with_an_arrow()
    {
        var figure = Figure with { Rows = [new ForestRow("Rare subtype", 4, 0.8, 5000, "4.0 (0.8\u20135000)")] };
        var root = SvgRead.Parse(SvgRenderer.Render(figure));
        root.ByClass("x-tick-label").Last().Value.Should().Be("100");
        root.ByClass("arrow").Should().ContainSingle();
    }

    [Fact]
    public void The_axis_always_includes_1()
    {
        ForestSvg.Domain([new ForestRow("Protective", 0.3, 0.2, 0.6, "0.30")]).Should().Be((0.2, 2));
        ForestSvg.Domain([new ForestRow("Harmful", 3, 1.5, 6, "3.0")]).Should().Be((0.5, 10));
    }

    [Fact]
    public void Row_texts_form_the_right_hand_column()
    {
        var texts = Svg.Root.ByClass("row-text").ToList();
        texts.Select(t => t.Value).Should().Equal(Figure.Rows.Select(r => r.Text));
        texts.Select(t => t.Num("x")).Distinct().Should().ContainSingle().Which.Should().BeGreaterThan(Svg.Root.ByClass("x-axis").Single().Num("x2"));
    }
}

public class ForestColumnsTests
{
    private static ForestFigure Headed()
    {
        var plain = SampleReports.Forest();
        var rows = plain.Rows.Select((r, i) => r with { Cells = [(10 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), r.IsReference ? "1 (reference)" : "HR" + i, r.IsReference ? string.Empty : "CI" + i, r.IsReference ? string.Empty : "p" + i] }).ToList();
        return plain with { Rows = rows, Columns = ["n", "HR", "95% CI", "p"], FavoursLower = "Lower hazard", FavoursHigher = "Higher hazard" };
    }

    [Fact]
    public void Headed_columns_are_drawn_left_to_right_with_every_rows_cells_under_their_heading()
    {
        var figure = Headed();
        var svg = SvgRead.Parse(SvgRenderer.Render(figure));
        var headings = svg.ByClass("column-heading").ToList();
        headings.Select(h => h.Value).Should().Equal(figure.Columns);
        var xs = headings.Select(h => h.Num("x")).ToList();
        xs.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        ((string?)headings[0].Attribute("font-weight")).Should().Be("bold");

        var rows = svg.ByClass("forest-row").ToList();
        rows.Should().HaveCount(figure.Rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = rows[i].ByClass("row-cell").ToList();
            cells.Select(c => c.Value).Should().Equal(figure.Rows[i].Cells);
            cells.Select(c => c.Num("x")).Should().Equal(xs, "each cell sits under its heading");
            cells.Select(c => c.Num("y")).Should().OnlyContain(y => y > headings[0].Num("y"), "rows are below the headings");
        }

        svg.ByClass("row-text").Should().BeEmpty("the single text column is replaced by the headed ones");
    }

    [Fact]
    public void Favours_labels_point_away_from_one_on_each_side_of_it()
    {
        var svg = SvgRead.Parse(SvgRenderer.Render(Headed()));
        var one = svg.ByClass("reference-line").Single().Num("x1");
        var lower = svg.ByClass("favours-lower").Single();
        var higher = svg.ByClass("favours-higher").Single();
        lower.Value.Should().Be("\u2190 Lower hazard");
        ((string?)lower.Attribute("text-anchor")).Should().Be("end");
        lower.Num("x").Should().BeLessThan(one);
        higher.Value.Should().Be("Higher hazard \u2192");
        higher.Num("x").Should().BeGreaterThan(one);
        SvgRead.Parse(SvgRenderer.Render(SampleReports.Forest())).ByClass("favours").Should().BeEmpty("none unless the figure names them");
    }
}
