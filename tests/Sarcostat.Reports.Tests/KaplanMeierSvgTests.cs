using System.Globalization;
using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class KaplanMeierSvgTests
{
    private static readonly KaplanMeierFigure Figure = SampleReports.SmallKaplanMeier();
    private static readonly XElementCache Svg = new(SvgRenderer.Render(Figure));

    [Fact]
    public void Svg_is_well_formed_xml_with_an_svg_root_sized_in_millimetres()
    {
        Svg.Root.Name.Should().Be(SvgRead.Ns + "svg");
        ((string)Svg.Root.Attribute("width")!).Should().Be("85mm");
        ((string)Svg.Root.Attribute("font-family")!).Should().Be("'Liberation Sans', Arial, Helvetica, sans-serif");
        Svg.Root.Element(SvgRead.Ns + "title")!.Value.Should().Be(Figure.Title);
    }

    [Fact]
    public void Each_curve_is_one_path_with_its_own_colour_and_dash_pattern()
    {
        var curves = Svg.Root.ByClass("km-curve").ToList();
        curves.Should().HaveCount(2);
        curves.Select(c => c.Label()).Should().Equal(Figure.Curves.Select(c => c.Label));
        curves.Select(c => (string?)c.Attribute("stroke")).Should().OnlyHaveUniqueItems();
        curves.Select(c => (string?)c.Attribute("stroke-dasharray") ?? "solid").Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void One_censor_mark_per_distinct_censor_time_within_the_axis()
    {
        // Curve A is censored at 8, 30, 30 and 70 (beyond the 60-month axis): marks at 8 and 30.
        var groups = Svg.Root.ByClass("km-group").ToList();
        groups[0].ByClass("censor").Should().HaveCount(2);
        groups[1].ByClass("censor").Should().HaveCount(2);
    }

    [Fact]
    public void Censor_marks_sit_on_the_curve_at_their_time()
    {
        var axis = Axis.Read(Svg.Root);
        var marks = Svg.Root.ByClass("km-group").First().ByClass("censor").ToList();

        // The mark is "M x-h,y H x+h M x,y-h V y+h": its first point gives y, the second move gives x.
        var first = marks[0].PathCommands();
        var x = first[2].Args[0];
        var y = first[0].Args[1];
        x.Should().BeApproximately(axis.X(8), 0.011);
        y.Should().BeApproximately(axis.Y(5.0 / 6), 0.011);

        var second = marks[1].PathCommands();
        second[2].Args[0].Should().BeApproximately(axis.X(30), 0.011);
        second[0].Args[1].Should().BeApproximately(axis.Y(0.625), 0.011);
    }

    [Fact]
    public void Tick_labels_are_the_figure_ticks_and_survival_from_0_to_1()
    {
        Svg.Root.ByClass("x-tick-label").Select(t => t.Value).Should().Equal("0", "12", "24", "36", "48", "60");
        Svg.Root.ByClass("y-tick-label").Select(t => t.Value).Should().Equal("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
        Svg.Root.ByClass("x-label").Single().Value.Should().Be("Months after first metastasectomy");
        Svg.Root.ByClass("y-label").Single().Value.Should().Be("Disease-specific survival");
    }

    [Fact]
    public void Numbers_at_risk_are_text_under_the_axis_at_the_tick_positions()
    {
        var tickX = Svg.Root.ByClass("x-tick-label").Select(t => t.Num("x")).ToList();
        var xLabelY = Svg.Root.ByClass("x-label").Single().Num("y");
        var rows = Svg.Root.ByClass("at-risk-row").ToList();
        rows.Should().HaveCount(2);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Label().Should().Be(Figure.Curves[i].Label);
            rows[i].ByClass("at-risk-label").Single().Value.Should().Be(Figure.Curves[i].Label);
            var numbers = rows[i].ByClass("at-risk").ToList();
            numbers.Select(n => int.Parse(n.Value, CultureInfo.InvariantCulture)).Should().Equal(Figure.Curves[i].AtRisk);
            numbers.Select(n => n.Num("x")).Should().Equal(tickX);
            numbers.Should().OnlyContain(n => (string?)n.Attribute("text-anchor") == "middle");
            numbers.Select(n => n.Num("y")).Distinct().Should().ContainSingle().Which.Should().BeGreaterThan(xLabelY);
        }
    }

    [Fact]
    public void Curves_are_non_increasing_steps_that_end_at_the_last_observation_or_the_axis()
    {
        var axis = Axis.Read(Svg.Root);
        var curves = Svg.Root.ByClass("km-curve").ToList();
        foreach (var curve in curves)
        {
            var commands = curve.PathCommands();
            commands[0].Command.Should().Be("M");
            commands.Skip(1).Select(c => c.Command).Should().OnlyContain(c => c == "H" || c == "V");
            var ys = commands.Where(c => c.Command == "V").Select(c => c.Args[0]).ToList();
            ys.Should().BeInAscendingOrder("survival never rises, and SVG y grows downwards");
        }

        // Curve A's last censoring (70) is beyond the axis: cut at 60. Curve B ends at its last censoring, 50.
        curves[0].PathCommands()[^1].Args[0].Should().BeApproximately(axis.X(60), 0.011);
        curves[1].PathCommands()[^1].Args[0].Should().BeApproximately(axis.X(50), 0.011);
    }

    [Fact]
    public void Confidence_band_is_drawn_only_when_asked_and_under_the_curves()
    {
        Svg.Root.ByClass("ci-band").Should().HaveCount(2);
        var order = Svg.Root.Descendants().Select(e => (string?)e.Attribute("class")).ToList();
        order.LastIndexOf("ci-band").Should().BeLessThan(order.IndexOf("km-curve"));

        var without = SvgRead.Parse(SvgRenderer.Render(SampleReports.SmallKaplanMeier(band: false)));
        without.ByClass("ci-band").Should().BeEmpty();
    }

    [Fact]
    public void Legend_names_every_curve_and_shows_the_annotation()
    {
        Svg.Root.ByClass("legend-label").Select(t => t.Value).Should().Equal(Figure.Curves.Select(c => c.Label));
        Svg.Root.ByClass("annotation").Single().Value.Should().Be("Log-rank p = 0.012");
    }

    [Fact]
    public void The_legend_sits_in_a_free_corner_of_the_plot_when_there_is_one()
    {
        var yAxis = Svg.Root.ByClass("y-axis").Single();
        var legend = Svg.Root.ByClass("legend").Single();
        legend.ByClass("outside").Should().BeEmpty();
        legend.ByClass("legend-label").Should().OnlyContain(t => t.Num("y") > yAxis.Num("y2") && t.Num("y") < yAxis.Num("y1"));
    }

    [Fact]
    public void The_legend_moves_above_the_plot_when_curves_cross_every_corner()
    {
        // One curve drops early through the top-left corner, one runs at 0.9 through the top-right, one at 0.05 along the bottom.
        var template = Figure.Curves[1];
        KaplanMeierCurve Curve(string label, double dropAt, double level) =>
            template with { Label = label, Points = [new(0, 1, null, null), new(dropAt, level, null, null)], CensorTimes = [60] };
        var curves = new List<KaplanMeierCurve> { Curve("Early drop", 5, 0.6), Curve("High", 2, 0.9), Curve("Low", 1, 0.05) };
        var root = SvgRead.Parse(SvgRenderer.Render(Figure with { Curves = curves, ShowConfidenceBand = false }));
        var plotTop = root.ByClass("y-axis").Single().Num("y2");
        var legend = root.ByClass("legend").Single();
        legend.ByClass("outside").Should().ContainSingle();
        legend.ByClass("legend-label").Concat(legend.ByClass("annotation")).Should().OnlyContain(t => t.Num("y") < plotTop);
    }

    [Fact]
    public void A_single_curve_has_no_legend_but_keeps_its_at_risk_row()
    {
        var single = SampleReports.SmallKaplanMeier() with { Curves = [SampleReports.SmallKaplanMeier().Curves[0]], Annotation = null };
        var root = SvgRead.Parse(SvgRenderer.Render(single));
        root.ByClass("legend").Should().BeEmpty();
        root.ByClass("at-risk-row").Should().ContainSingle();
    }

    [Fact]
    public void Labels_with_markup_characters_are_escaped()
    {
        var text = SvgRenderer.Render(Figure);
        text.Should().Contain("DFI &lt; 12 months (n = 5)").And.NotContain("DFI < 12");
        Svg.Root.ByClass("legend-label").Select(t => t.Value).Should().Contain("DFI < 12 months (n = 5)");
    }

    [Fact]
    public void Long_curve_labels_move_above_their_at_risk_numbers()
    {
        var curves = Figure.Curves.Select(c => c with { Label = c.Label + ", treated with preoperative chemotherapy" }).ToList();
        var root = SvgRead.Parse(SvgRenderer.Render(Figure with { Curves = curves }));
        foreach (var row in root.ByClass("at-risk-row"))
        {
            var label = row.ByClass("at-risk-label").Single();
            row.ByClass("at-risk").Should().OnlyContain(n => n.Num("y") > label.Num("y"));
        }
    }

    [Fact]
    public void A_long_axis_title_is_set_smaller_to_fit_beside_the_plot()
    {
        var root = SvgRead.Parse(SvgRenderer.Render(Figure with { YLabel = "Disease-specific survival after first metastasectomy" }));
        var label = root.ByClass("y-label").Single();
        var size = label.Num("font-size");
        size.Should().BeLessThan(13);
        var yAxis = root.ByClass("y-axis").Single();
        TextMeasure.Width(label.Value, size).Should().BeLessThanOrEqualTo(yAxis.Num("y1") - yAxis.Num("y2") + 20);
        root.ByClass("x-label").Single().Num("font-size").Should().Be(13, "the short x title keeps its size");
    }

    [Fact]
    public void Rendering_twice_gives_identical_text()
    {
        SvgRenderer.Render(SampleReports.SmallKaplanMeier()).Should().Be(SvgRenderer.Render(SampleReports.SmallKaplanMeier()));
    }

    [Fact]
    public void Numbers_at_risk_not_one_per_tick_are_refused_with_the_figure_named()
    {
        var bad = Figure with { Curves = [Figure.Curves[0] with { AtRisk = [6, 4] }] };
        var act = () => SvgRenderer.Render(bad);
        act.Should().Throw<ArgumentException>().WithMessage("*figure-2*2 numbers at risk for 6 ticks*");
    }

    [Fact]
    public void Fewer_than_two_ticks_are_refused()
    {
        var act = () => SvgRenderer.Render(Figure with { Ticks = [0] });
        act.Should().Throw<ArgumentException>().WithMessage("*at least two*");
    }

    /// <summary>The data-to-drawing mapping, read back from the tick marks.</summary>
    [Fact]
    public void A_percent_axis_labels_survival_from_0_to_100()
    {
        var svg = SvgRead.Parse(SvgRenderer.Render(Figure with { PercentAxis = true }));
        svg.ByClass("y-tick-label").Select(t => t.Value).Should().Equal("0", "20", "40", "60", "80", "100");
        Svg.Root.ByClass("y-tick-label").Select(t => t.Value).Should().Equal("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
    }

    [Fact]
    public void Landmark_and_median_marks_are_dotted_lines_to_the_curve_with_their_labels()
    {
        // Curve B: S = 0.6 from 10 to 40, 0.3 after; its median is 40. Curve A: S(36) = 0.625.
        var curves = Figure.Curves.ToList();
        curves[0] = curves[0] with { Marks = [new CurveMark(CurveMarkKind.Landmark, 36, 0.625, "62.5%")] };
        curves[1] = curves[1] with { Marks = [new CurveMark(CurveMarkKind.Median, 40, 0.5, "median 40.0"), new CurveMark(CurveMarkKind.Landmark, 70, 0.3, "beyond the axis")] };
        var svg = SvgRead.Parse(SvgRenderer.Render(Figure with { Curves = curves }));
        var axis = Axis.Read(svg);

        var landmark = svg.ByClass("landmark-mark").Should().ContainSingle().Subject;
        landmark.Label().Should().Be(curves[0].Label);
        ((string?)landmark.Attribute("stroke-dasharray")).Should().NotBeNullOrEmpty();
        var l = landmark.PathCommands();
        // M x(36),y(0) V y(0.625) H left
        l[0].Args[0].Should().BeApproximately(axis.X(36), 0.011);
        l[0].Args[1].Should().BeApproximately(axis.Y(0), 0.011);
        l[1].Args[0].Should().BeApproximately(axis.Y(0.625), 0.011);
        l[2].Args[0].Should().BeApproximately(axis.X(0), 0.011);

        var median = svg.ByClass("median-mark").Should().ContainSingle().Subject;
        var m = median.PathCommands();
        // M left,y(0.5) H x(40) V y(0)
        m[0].Args[1].Should().BeApproximately(axis.Y(0.5), 0.011);
        m[1].Args[0].Should().BeApproximately(axis.X(40), 0.011);
        m[2].Args[0].Should().BeApproximately(axis.Y(0), 0.011);

        svg.ByClass("mark-label").Select(t => t.Value).Should().Equal("62.5%", "median 40.0");
        Svg.Root.ByClass("reading-marks").Should().BeEmpty("a figure without marks draws none");
    }

    private sealed record Axis(double X0, double XPerMonth, double Y0, double YPerUnit)
    {
        public double X(double t) => X0 + (t * XPerMonth);

        public double Y(double s) => Y0 + (s * YPerUnit);

        public static Axis Read(System.Xml.Linq.XElement root)
        {
            var x = root.ByClass("x-tick").Select(t => t.Num("x1")).ToList();
            var y = root.ByClass("y-tick").Select(t => t.Num("y1")).ToList();
            return new Axis(x[0], (x[^1] - x[0]) / 60, y[0], y[^1] - y[0]);
        }
    }
}

/// <summary>A parsed SVG kept with its text.</summary>
internal sealed class XElementCache(string text)
{
    public string Text { get; } = text;

    public System.Xml.Linq.XElement Root { get; } = SvgRead.Parse(text);
}
