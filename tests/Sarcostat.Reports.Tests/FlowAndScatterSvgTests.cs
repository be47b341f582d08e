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
    public void Every_finite_point_is_a_circle_the_smooth_one_line_and_the_band_two()
    {
        var figure = SampleReports.Schoenfeld();
        var withGap = figure with { X = [.. figure.X, double.NaN], Y = [.. figure.Y, 1] };
        var root = SvgRead.Parse(SvgRenderer.Render(withGap));
        root.ByClass("point").Should().HaveCount(figure.X.Count);
        root.ByClass("smooth").Should().ContainSingle();
        root.ByClass("band").Should().HaveCount(2);
        root.ByClass("annotation").Single().Value.Should().Be("PH test p = 0.41");
    }

    [Fact]
    public void Points_smooth_and_band_lie_within_the_axes()
    {
        var root = SvgRead.Parse(SvgRenderer.Render(SampleReports.Schoenfeld()));
        var xAxis = root.ByClass("x-axis").Single();
        var yAxis = root.ByClass("y-axis").Single();
        foreach (var p in root.ByClass("point"))
        {
            p.Num("cx").Should().BeInRange(xAxis.Num("x1"), xAxis.Num("x2"));
            p.Num("cy").Should().BeInRange(yAxis.Num("y2"), yAxis.Num("y1"));
        }

        foreach (var line in root.ByClass("smooth").Concat(root.ByClass("band")))
        {
            foreach (var (_, args) in line.PathCommands())
            {
                args[0].Should().BeInRange(xAxis.Num("x1"), xAxis.Num("x2"));
                args[1].Should().BeInRange(yAxis.Num("y2"), yAxis.Num("y1"));
            }
        }
    }

    [Fact]
    public void The_band_is_two_dashed_lines_at_the_smooths_x_above_and_below_it_as_R_draws_it()
    {
        // R plot.cox.zph: lines(pred.x, yhat, lty = 1); lines(pred.x, yup, lty = 2); lines(pred.x, ylow, lty = 2)
        var figure = SampleReports.Schoenfeld();
        var root = SvgRead.Parse(SvgRenderer.Render(figure));
        var smooth = root.ByClass("smooth").Single();
        var upper = root.ByClass("band-upper").Single();
        var lower = root.ByClass("band-lower").Single();
        root.ByClass("band").Should().HaveCount(2);
        smooth.Attribute("stroke-dasharray").Should().BeNull("the smooth is solid");
        foreach (var band in new[] { upper, lower })
        {
            ((string?)band.Attribute("stroke-dasharray")).Should().NotBeNullOrEmpty("the band is dashed");
            ((string?)band.Attribute("stroke")).Should().Be((string?)smooth.Attribute("stroke"), "one colour, as R's col = 1");
            band.PathCommands().Select(c => c.Command).Should().Equal(new[] { "M" }.Concat(Enumerable.Repeat("L", figure.SmoothX.Count - 1)));
        }

        var s = smooth.PathCommands();
        var u = upper.PathCommands();
        var l = lower.PathCommands();
        for (int i = 0; i < s.Count; i++)
        {
            u[i].Args[0].Should().Be(s[i].Args[0]);
            l[i].Args[0].Should().Be(s[i].Args[0]);
            u[i].Args[1].Should().BeLessThan(s[i].Args[1], "the upper line is above the smooth (smaller y on screen)");
            l[i].Args[1].Should().BeGreaterThan(s[i].Args[1]);
        }
    }

    [Fact]
    public void Without_a_band_only_the_smooth_is_drawn()
    {
        var figure = SampleReports.Schoenfeld() with { BandLower = null, BandUpper = null };
        var root = SvgRead.Parse(SvgRenderer.Render(figure));
        root.ByClass("smooth").Should().ContainSingle();
        root.ByClass("band").Should().BeEmpty();
    }

    [Fact]
    public void Without_a_smooth_only_the_points_are_drawn()
    {
        // The report's choice when the spline fit is singular (R skips the curve).
        var figure = SampleReports.Schoenfeld() with { SmoothX = [], SmoothY = [], BandLower = null, BandUpper = null };
        var root = SvgRead.Parse(SvgRenderer.Render(figure));
        root.ByClass("point").Should().HaveCount(figure.X.Count);
        root.ByClass("smooth").Should().BeEmpty();
        root.ByClass("band").Should().BeEmpty();
    }

    [Fact]
    public void A_band_of_the_wrong_length_or_with_one_side_is_refused()
    {
        var figure = SampleReports.Schoenfeld();
        var shortBand = () => SvgRenderer.Render(figure with { BandLower = [1, 2] });
        shortBand.Should().Throw<ArgumentException>().WithMessage("*figure-5*21 smooth x values but 2 lower and 21 upper band values*");
        var oneSide = () => SvgRenderer.Render(figure with { BandUpper = null });
        oneSide.Should().Throw<ArgumentException>().WithMessage("*figure-5*both a lower and an upper line*");
    }

    [Fact]
    public void Unequal_x_and_y_lengths_are_refused()
    {
        var figure = SampleReports.Schoenfeld() with { Y = [1, 2] };
        var act = () => SvgRenderer.Render(figure);
        act.Should().Throw<ArgumentException>().WithMessage("*figure-5*40 x values but 2 y values*");
    }
}

public class FlowSourcesTests
{
    private static FlowFigure TwoHospitals() => SampleReports.Flow() with
    {
        Sources = [new FlowSource("Hospital A database", 60), new FlowSource("Hospital B database", 41)],
    };

    [Fact]
    public void Source_databases_are_boxes_side_by_side_above_the_first_box_joined_into_it()
    {
        var figure = TwoHospitals();
        var svg = SvgRead.Parse(SvgRenderer.Render(figure));
        var sources = svg.ByClass("flow-source").ToList();
        sources.Select(s => s.Label()).Should().Equal("Hospital A database", "Hospital B database");
        string.Join(" ", sources[0].ByClass("flow-text").Select(t => t.Value)).Should().Contain("(n = 60)");
        var boxes = sources.Select(s => s.ByClass("flow-source-box").Single()).ToList();
        boxes[0].Num("y").Should().Be(boxes[1].Num("y"), "one row");
        (boxes[0].Num("x") + boxes[0].Num("width")).Should().BeLessThan(boxes[1].Num("x"), "side by side, not overlapping");
        var first = svg.ByClass("flow-box").First();
        first.Num("y").Should().BeGreaterThan(boxes[0].Num("y") + boxes[0].Num("height"), "the first box is below the sources");
        svg.ByClass("merge-bar").Should().ContainSingle("two sources join one bar");
        // The first box is centred under the row of sources.
        var rowCentre = (boxes[0].Num("x") + boxes[1].Num("x") + boxes[1].Num("width")) / 2;
        (first.Num("x") + (first.Num("width") / 2)).Should().BeApproximately(rowCentre, 0.02);
        SvgRead.Parse(SvgRenderer.Render(SampleReports.Flow())).ByClass("flow-source").Should().BeEmpty();
    }
}
