using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Svg;

/// <summary>
/// Draws a scatter plot with a smooth line (scaled Schoenfeld residuals against time, as R's
/// <c>plot(cox.zph(fit))</c>): open circles, the smooth as a solid line, its band (when given) as two dashed lines in the
/// same colour (R's <c>lty = 1:2</c>), nice linear ticks on both axes.
/// </summary>
/// <remarks>Non-finite points are left out (they cannot be placed); the axes cover the points, the smooth and the band.</remarks>
internal static class ScatterSvg
{
    private const double Width = 400;
    private const double Left = 56;
    private const double Right = Width - 14;
    private const double Top = 12;
    private const double PlotHeight = 230;

    public static string Render(ScatterFigure figure, bool includeNamespace)
    {
        if (figure.X.Count != figure.Y.Count)
        {
            throw new ArgumentException($"Scatter figure '{figure.Id}': {figure.X.Count} x values but {figure.Y.Count} y values.", nameof(figure));
        }

        if (figure.SmoothX.Count != figure.SmoothY.Count)
        {
            throw new ArgumentException($"Scatter figure '{figure.Id}': {figure.SmoothX.Count} smooth x values but {figure.SmoothY.Count} smooth y values.", nameof(figure));
        }

        if ((figure.BandLower is null) != (figure.BandUpper is null))
        {
            throw new ArgumentException($"Scatter figure '{figure.Id}': a band needs both a lower and an upper line.", nameof(figure));
        }

        if (figure.BandLower is { } lowerY && figure.BandUpper is { } upperY
            && (lowerY.Count != figure.SmoothX.Count || upperY.Count != figure.SmoothX.Count))
        {
            throw new ArgumentException($"Scatter figure '{figure.Id}': {figure.SmoothX.Count} smooth x values but {lowerY.Count} lower and {upperY.Count} upper band values.", nameof(figure));
        }

        var points = Finite(figure.X, figure.Y);
        var smooth = Finite(figure.SmoothX, figure.SmoothY);
        var lower = figure.BandLower is null ? [] : Finite(figure.SmoothX, figure.BandLower);
        var upper = figure.BandUpper is null ? [] : Finite(figure.SmoothX, figure.BandUpper);
        var all = points.Concat(smooth).Concat(lower).Concat(upper).ToList();
        var (xTicks, xDecimals) = all.Count == 0 ? Ticks.Linear(0, 1) : Ticks.Linear(all.Min(p => p.First), all.Max(p => p.First));
        var (yTicks, yDecimals) = all.Count == 0 ? Ticks.Linear(0, 1) : Ticks.Linear(all.Min(p => p.Second), all.Max(p => p.Second));
        var bottom = Top + PlotHeight;
        var x = new LinearScale(xTicks[0], xTicks[^1], Left, Right);
        var y = new LinearScale(yTicks[0], yTicks[^1], bottom, Top);
        var height = bottom + 44;

        var svg = new SvgBuilder(Width, height, figure.Title, "scatter", includeNamespace);
        svg.OpenGroup("axes");
        svg.Line("axis x-axis", Left, bottom, Right, bottom);
        svg.Line("axis y-axis", Left, bottom, Left, Top);
        foreach (var t in xTicks)
        {
            svg.Line("x-tick", x.Map(t), bottom, x.Map(t), bottom + FigureStyle.TickLength);
            svg.Text("x-tick-label", x.Map(t), bottom + FigureStyle.TickLength + 12, Markup.Label(t, xDecimals), "middle");
        }

        foreach (var t in yTicks)
        {
            svg.Line("y-tick", Left - FigureStyle.TickLength, y.Map(t), Left, y.Map(t));
            svg.Text("y-tick-label", Left - FigureStyle.TickLength - 3, y.Map(t) + 4.2, Markup.Label(t, yDecimals), "end");
        }

        svg.Text("x-label", (Left + Right) / 2, bottom + 36, figure.XLabel, "middle", TextMeasure.FitFontSize(figure.XLabel, FigureStyle.LabelFontSize, Right - Left));
        svg.Text("y-label", 15, (Top + bottom) / 2, figure.YLabel, "middle", TextMeasure.FitFontSize(figure.YLabel, FigureStyle.LabelFontSize, PlotHeight + 20), rotate: -90);
        svg.CloseGroup();

        svg.OpenGroup("points");
        foreach (var (px, py) in points)
        {
            svg.Circle("point", x.Map(px), y.Map(py), 2.2, "none", "#555555", 0.8);
        }

        svg.CloseGroup();

        if (smooth.Count > 1)
        {
            svg.StrokePath("smooth", Polyline(smooth, x, y), FigureStyle.Colour(0), FigureStyle.CurveWidth);
        }

        foreach (var (cls, line) in new[] { ("band band-upper", upper), ("band band-lower", lower) })
        {
            if (line.Count > 1)
            {
                svg.StrokePath(cls, Polyline(line, x, y), FigureStyle.Colour(0), FigureStyle.CurveWidth, FigureStyle.Dash(1));
            }
        }

        if (!string.IsNullOrWhiteSpace(figure.Annotation))
        {
            svg.Text("annotation", Right - 4, Top + 12, figure.Annotation, "end");
        }

        return svg.Finish();
    }

    private static List<(double First, double Second)> Finite(IReadOnlyList<double> xs, IReadOnlyList<double> ys) =>
        xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();

    /// <summary>The points joined by straight segments, in x order.</summary>
    private static string Polyline(List<(double First, double Second)> line, LinearScale x, LinearScale y)
    {
        var path = new PathData();
        foreach (var (px, py) in line.OrderBy(p => p.First))
        {
            if (path.IsEmpty)
            {
                path.MoveTo(x.Map(px), y.Map(py));
            }
            else
            {
                path.LineTo(x.Map(px), y.Map(py));
            }
        }

        return path.ToString();
    }
}
