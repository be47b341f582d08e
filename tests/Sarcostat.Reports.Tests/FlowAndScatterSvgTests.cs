using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class FlowSvgTests
{
    private static readonly XElementCache Svg = new(SvgRenderer.Render(SampleReports.Flow()));

    [Fact]
    public void Paper_001_flow_shows_every_count_of_its_selection()
    {
        // Paper 001, section 3.1: 95 identified; 26 excluded by primary site (13 + 1 + 9 + 3); 3 operated elsewhere; 66 analysed.
        var main = Svg.Root.ByClass("flow-step").Select(g => string.Join(" ", g.ByClass("flow-text").Select(t => t.Value))).ToList();
        main.Should().HaveCount(3);
        main[0].Should().Contain("(n = 95)");
        main[1].Should().Contain("(n = 69)");
        main[2].Should().Be("Analysed (n = 66)");

        var side = Svg.Root.ByClass("flow-step").Select(g => string.Join(" ", g.ByClass("flow-exclusion-text").Select(t => t.Value))).Where(s => s.Length > 0).ToList();
        side.Should().Equal("Excluded: primary site (n = 26)", "Excluded: initial PM at another hospital (n = 3)");
        Svg.Root.ByClass("flow-breakdown").Select(t => t.Value).Should().Equal(
            "Parenchymal organs (n = 13)", "Mediastinum (n = 1)", "Retroperitoneum (n = 9)", "Head and neck (n = 3)");
    }

    [Fact]
    public void Boxes_run_top_to_bottom_with_exclusions_beside_the_gap_they_leave_from()
    {
        var boxes = Svg.Root.ByClass("flow-box").Select(Box.Of).ToList();
        var sides = Svg.Root.ByClass("flow-exclusion").Select(Box.Of).ToList();
        boxes.Should().HaveCount(3);
        sides.Should().HaveCount(2);
        for (var i = 0; i + 1 < boxes.Count; i++)
        {
            boxes[i].Bottom.Should().BeLessThan(boxes[i + 1].Top);
            sides[i].Left.Should().BeGreaterThan(boxes[i].Right);
            sides[i].Top.Should().BeGreaterThan(boxes[i].Bottom);
            sides[i].Bottom.Should().BeLessThan(boxes[i + 1].Top);
        }

        Svg.Root.ByClass("arrowhead").Should().HaveCount(4, "two arrows down the column and one into each exclusion box");
    }

    [Fact]
    public void Every_text_line_fits_inside_its_box()
    {
        var long_ = new FlowFigure("figure-1", "Figure 1.", string.Empty, [
            new FlowBox("Patients with pulmonary metastases from bone or soft tissue sarcoma treated at the hospital and its branches", 341,
                new FlowExclusion("Excluded: pathology report incompatible with sarcoma malignancy", 231, [new("Pathology report missing or incomplete", 120)])),
            new FlowBox("Primary sarcoma with pulmonary metastases underwent pulmonary metastasectomy", 110, null),
        ]);
        var root = SvgRead.Parse(SvgRenderer.Render(long_));
        foreach (var (rectClass, textClasses) in new[] { ("flow-box", new[] { "flow-text" }), ("flow-exclusion", new[] { "flow-exclusion-text", "flow-breakdown" }) })
        {
            foreach (var step in root.ByClass("flow-step"))
            {
                var rect = step.ByClass(rectClass).SingleOrDefault();
                if (rect is null)
                {
                    continue;
                }

                var box = Box.Of(rect);
                foreach (var text in textClasses.SelectMany(c => step.ByClass(c)))
                {
                    var width = TextMeasure.Width(text.Value, 12);
                    var x = text.Num("x");
                    var (from, to) = (string?)text.Attribute("text-anchor") == "middle" ? (x - (width / 2), x + (width / 2)) : (x, x + width);
                    from.Should().BeGreaterThanOrEqualTo(box.Left, text.Value);
                    to.Should().BeLessThanOrEqualTo(box.Right, text.Value);
                    text.Num("y").Should().BeInRange(box.Top, box.Bottom, text.Value);
                }
            }
        }
    }

    [Fact]
    public void A_count_already_in_the_text_is_not_repeated()
    {
        var figure = new FlowFigure("figure-1", "Figure 1.", string.Empty, [new FlowBox("Analysed (n = 66)", 66, null)]);
        SvgRead.Parse(SvgRenderer.Render(figure)).ByClass("flow-text").Single().Value.Should().Be("Analysed (n = 66)");
    }

    private sealed record Box(double Left, double Top, double Right, double Bottom)
    {
        public static Box Of(System.Xml.Linq.XElement rect) =>
            new(rect.Num("x"), rect.Num("y"), rect.Num("x") + rect.Num("width"), rect.Num("y") + rect.Num("height"));
    }
}

public class ScatterSvgTests
{
    [Fact]
    public void Every_finite_point_is_a_circle_and_the_smooth_one_line()
    {
        var figure = SampleReports.Schoenfeld();
        var withGap = figure with { X = [.. figure.X, double.NaN], Y = [.. figure.Y, 1] };
        var root = SvgRead.Parse(SvgRenderer.Render(withGap));
        root.ByClass("point").Should().HaveCount(figure.X.Count);
        root.ByClass("smooth").Should().ContainSingle();
        root.ByClass("annotation").Single().Value.Should().Be("PH test p = 0.41");
    }

    [Fact]
    public void Points_lie_within_the_axes()
    {
        var root = SvgRead.Parse(SvgRenderer.Render(SampleReports.Schoenfeld()));
        var xAxis = root.ByClass("x-axis").Single();
        var yAxis = root.ByClass("y-axis").Single();
        foreach (var p in root.ByClass("point"))
        {
            p.Num("cx").Should().BeInRange(xAxis.Num("x1"), xAxis.Num("x2"));
            p.Num("cy").Should().BeInRange(yAxis.Num("y2"), yAxis.Num("y1"));
        }
    }

    [Fact]
    public void Unequal_x_and_y_lengths_are_refused()
    {
        var figure = SampleReports.Schoenfeld() with { Y = [1, 2] };
        var act = () => SvgRenderer.Render(figure);
        act.Should().Throw<ArgumentException>().WithMessage("*figure-5*40 x values but 2 y values*");
    }
}
