using System.Globalization;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Svg;

/// <summary>
/// Draws a Kaplan-Meier figure: step curves (colour and dash per curve), censor marks, optional pointwise CI band,
/// axes with the figure's x ticks, legend and annotation placed where the curves leave room, and the
/// number-at-risk table under the x axis at the same ticks.
/// </summary>
/// <remarks>
/// Contract: <see cref="KaplanMeierFigure.Ticks"/> has at least two finite, strictly increasing values; the axis
/// runs from the first to the last tick and curves are cut there. Each curve's <c>Points</c> start at the time
/// origin (survival 1) and hold every time where S(t) changes; a curve is drawn to its last point or last censor
/// time, whichever is later. <c>AtRisk</c> is empty (no row) or has one count per tick. Censor marks: one "+" per
/// distinct censor time on the axis, at S(t) (after any death at the same time), as R's <c>plot.survfit</c>.
/// </remarks>
internal static class KaplanMeierSvg
{
    private const double Width = 400;
    private const double Top = 12;
    private const double PlotHeight = 230;
    private const double RightMargin = 14;
    private const double MinLeft = 50;
    private const double RowHeight = 15;
    private const double SampleLength = 20;
    private const double CensorHalf = 3.2;
    private const double MaxLabelColumn = 150;

    public static string Render(KaplanMeierFigure figure, bool includeNamespace)
    {
        Validate(figure);
        var fs = FigureStyle.FontSize;
        var ticks = figure.Ticks;
        var curves = figure.Curves;
        var hasAtRisk = curves.Any(c => c.AtRisk.Count > 0);

        // Number-at-risk row labels: beside the numbers when they fit in a left column, else on a line above them.
        var labelWidths = curves.Select(c => SampleLength + 5 + TextMeasure.Width(c.Label, fs)).ToList();
        var maxLabel = labelWidths.Count == 0 ? 0 : labelWidths.Max();
        var labelsBeside = !hasAtRisk || maxLabel + 22 <= MaxLabelColumn;
        var left = labelsBeside && hasAtRisk ? Math.Max(MinLeft, maxLabel + 22) : MinLeft;
        var right = Width - RightMargin;
        var x = new LinearScale(ticks[0], ticks[^1], left, right);

        // The legend goes inside the plot when a corner is free of curves, else above the plot.
        var legend = PlanLegend(figure, x, new LinearScale(0, 1, Top + PlotHeight, Top), left, right);
        var top = legend is { Outside: true } ? Top + legend.Height + 8 : Top;
        var bottom = top + PlotHeight;
        var y = new LinearScale(0, 1, bottom, top);

        var atRiskTitleY = bottom + 58;
        var rowStep = labelsBeside ? RowHeight : 2 * RowHeight;
        var height = hasAtRisk ? atRiskTitleY + (curves.Count * rowStep) + 8 : bottom + 44;

        var svg = new SvgBuilder(Width, height, figure.Title, "kaplan-meier", includeNamespace);

        // Bands first so every curve is drawn over every band.
        for (var i = 0; i < curves.Count; i++)
        {
            if (figure.ShowConfidenceBand)
            {
                var band = BandPath(curves[i], x, y);
                if (!band.IsEmpty)
                {
                    svg.FillPath("ci-band", band.ToString(), FigureStyle.Colour(i), 0.15, curves[i].Label);
                }
            }
        }

        DrawAxes(svg, figure, x, y, left, right, bottom);

        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            svg.OpenGroup("km-group", curve.Label);
            svg.StrokePath("km-curve", CurvePath(curve, x, y).ToString(), FigureStyle.Colour(i), FigureStyle.CurveWidth, FigureStyle.Dash(i), curve.Label);
            var sorted = Sorted(curve);
            foreach (var t in CensorTimesOnAxis(curve, x))
            {
                var cx = x.Map(t);
                var cy = y.Map(SurvivalAt(sorted, t));
                var mark = new PathData().MoveTo(cx - CensorHalf, cy).HorizontalTo(cx + CensorHalf).MoveTo(cx, cy - CensorHalf).VerticalTo(cy + CensorHalf);
                svg.StrokePath("censor", mark.ToString(), FigureStyle.Colour(i), 1.1);
            }

            svg.CloseGroup();
        }

        DrawMarks(svg, figure, x, y, left, bottom);

        if (legend is not null)
        {
            DrawLegend(svg, figure, legend, legend.Outside ? 0 : top - Top);
        }

        if (hasAtRisk)
        {
            DrawAtRisk(svg, figure, x, atRiskTitleY, labelsBeside);
        }

        return svg.Finish();
    }

    private static void Validate(KaplanMeierFigure figure)
    {
        var ticks = figure.Ticks;
        if (ticks.Count < 2)
        {
            throw new ArgumentException($"Kaplan-Meier figure '{figure.Id}' has {ticks.Count} x tick(s); at least two are needed to span the time axis.", nameof(figure));
        }

        for (var i = 0; i < ticks.Count; i++)
        {
            if (!double.IsFinite(ticks[i]) || (i > 0 && ticks[i] <= ticks[i - 1]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Kaplan-Meier figure '{figure.Id}': x ticks must be finite and strictly increasing; tick {i + 1} is {ticks[i]}."),
                    nameof(figure));
            }
        }

        foreach (var curve in figure.Curves)
        {
            if (curve.AtRisk.Count != 0 && curve.AtRisk.Count != ticks.Count)
            {
                throw new ArgumentException(
                    $"Kaplan-Meier figure '{figure.Id}', curve '{curve.Label}': {curve.AtRisk.Count} numbers at risk for {ticks.Count} ticks; give one per tick (or none).",
                    nameof(figure));
            }

            if (curve.Points.Any(p => !double.IsFinite(p.Time) || !double.IsFinite(p.Survival)))
            {
                throw new ArgumentException($"Kaplan-Meier figure '{figure.Id}', curve '{curve.Label}': every point needs a finite time and survival.", nameof(figure));
            }
        }
    }

    private static void DrawAxes(SvgBuilder svg, KaplanMeierFigure figure, LinearScale x, LinearScale y, double left, double right, double bottom)
    {
        var tl = FigureStyle.TickLength;
        svg.OpenGroup("axes");
        svg.Line("axis x-axis", left, bottom, right, bottom);
        svg.Line("axis y-axis", left, bottom, left, y.Map(1));
        foreach (var tick in figure.Ticks)
        {
            var tx = x.Map(tick);
            svg.Line("x-tick", tx, bottom, tx, bottom + tl);
            svg.Text("x-tick-label", tx, bottom + tl + 12, Markup.Label(tick), "middle");
        }

        for (var k = 0; k <= 5; k++)
        {
            var v = k / 5.0;
            var ty = y.Map(v);
            svg.Line("y-tick", left - tl, ty, left, ty);
            var label = figure.PercentAxis ? (20 * k).ToString(CultureInfo.InvariantCulture) : v.ToString("0.0", CultureInfo.InvariantCulture);
            svg.Text("y-tick-label", left - tl - 3, ty + 4.2, label, "end");
        }

        svg.Text("x-label", (left + right) / 2, bottom + 36, figure.XLabel, "middle", TextMeasure.FitFontSize(figure.XLabel, FigureStyle.LabelFontSize, right - left));
        svg.Text("y-label", left - 35, (y.Map(0) + y.Map(1)) / 2, figure.YLabel, "middle", TextMeasure.FitFontSize(figure.YLabel, FigureStyle.LabelFontSize, PlotHeight + 20), rotate: -90);
        svg.CloseGroup();
    }

    /// <summary>Where the legend block (curve labels, then the annotation) goes, and at which font size.</summary>
    private sealed record LegendPlan(double X, double Y, double Height, double FontSize, bool ShowCurves, bool Outside);

    /// <summary>
    /// Plans the legend block: inside the plot in the corner crossed by the fewest curve samples (bottom-left,
    /// top-right, bottom-right, top-left; ties to the earlier), or, when every corner is crossed, above the plot.
    /// Null when there is nothing to show (one curve and no annotation).
    /// </summary>
    private static LegendPlan? PlanLegend(KaplanMeierFigure figure, LinearScale x, LinearScale y, double left, double right)
    {
        var fs = FigureStyle.FontSize;
        var showLegend = figure.Curves.Count > 1;
        var hasAnnotation = !string.IsNullOrWhiteSpace(figure.Annotation);
        if (!showLegend && !hasAnnotation)
        {
            return null;
        }

        var lines = (showLegend ? figure.Curves.Count : 0) + (hasAnnotation ? 1 : 0);
        var blockWidth = Math.Max(
            showLegend ? figure.Curves.Max(c => SampleLength + 6 + TextMeasure.Width(c.Label, fs)) : 0,
            hasAnnotation ? TextMeasure.Width(figure.Annotation!, fs) : 0);

        // Very long labels: a smaller legend font rather than a legend running out of the plot.
        var room = right - left - 16;
        if (blockWidth > room)
        {
            fs = Math.Max(FigureStyle.FontSize * 0.7, Math.Floor(FigureStyle.FontSize * room / blockWidth * 10) / 10);
            blockWidth *= fs / FigureStyle.FontSize;
        }

        var blockHeight = lines * RowHeight;
        var bottom = y.Map(0);
        var top = y.Map(1);
        var candidates = new (double X, double Y)[]
        {
            (left + 10, bottom - 8 - blockHeight),
            (right - 6 - blockWidth, top + 4),
            (right - 6 - blockWidth, bottom - 8 - blockHeight),
            (left + 10, top + 4),
        };
        var samples = SampleCurves(figure, x, y);
        var best = candidates[0];
        var bestScore = int.MaxValue;
        foreach (var c in candidates)
        {
            var score = samples.Count(p => p.X >= c.X - 3 && p.X <= c.X + blockWidth + 3 && p.Y >= c.Y - 3 && p.Y <= c.Y + blockHeight + 3);
            if (score < bestScore)
            {
                best = c;
                bestScore = score;
            }
        }

        return bestScore == 0
            ? new LegendPlan(best.X, best.Y, blockHeight, fs, showLegend, Outside: false)
            : new LegendPlan(left + 10, 4, blockHeight, fs, showLegend, Outside: true);
    }

    private static void DrawLegend(SvgBuilder svg, KaplanMeierFigure figure, LegendPlan plan, double shift)
    {
        var size = plan.FontSize < FigureStyle.FontSize ? plan.FontSize : (double?)null;
        svg.OpenGroup(plan.Outside ? "legend outside" : "legend");
        var baseline = plan.Y + shift + 11;
        if (plan.ShowCurves)
        {
            for (var i = 0; i < figure.Curves.Count; i++)
            {
                svg.Line("legend-sample", plan.X, baseline - 4, plan.X + SampleLength, baseline - 4, FigureStyle.Colour(i), FigureStyle.CurveWidth, FigureStyle.Dash(i));
                svg.Text("legend-label", plan.X + SampleLength + 6, baseline, figure.Curves[i].Label, size: size);
                baseline += RowHeight;
            }
        }

        if (!string.IsNullOrWhiteSpace(figure.Annotation))
        {
            svg.Text("annotation", plan.X, baseline, figure.Annotation, size: size);
        }

        svg.CloseGroup();
    }

    /// <summary>
    /// The reading marks of every curve, in its colour: a landmark is a dotted line up from the time axis to S(t) and
    /// across to the survival axis, labelled beside the curve; the median is a dotted line across from S = 0.5 to the
    /// curve and down to the time axis, labelled above the axis. Marks outside the time axis are not drawn.
    /// </summary>
    private static void DrawMarks(SvgBuilder svg, KaplanMeierFigure figure, LinearScale x, LinearScale y, double left, double bottom)
    {
        const string Dotted = "1.5 2";
        var any = false;
        for (var i = 0; i < figure.Curves.Count; i++)
        {
            foreach (var mark in figure.Curves[i].Marks)
            {
                if (!double.IsFinite(mark.Time) || mark.Time < x.DomainMin || mark.Time > x.DomainMax)
                {
                    continue;
                }

                if (!any)
                {
                    svg.OpenGroup("reading-marks");
                    any = true;
                }

                var mx = x.Map(mark.Time);
                var my = y.Map(Math.Clamp(mark.Survival, 0, 1));
                var colour = FigureStyle.Colour(i);
                if (mark.Kind == CurveMarkKind.Landmark)
                {
                    svg.StrokePath("landmark-mark", new PathData().MoveTo(mx, bottom).VerticalTo(my).HorizontalTo(left).ToString(), colour, 0.8, Dotted, figure.Curves[i].Label);
                    svg.Text("mark-label", mx + 3, my - 3, mark.Label);
                }
                else
                {
                    svg.StrokePath("median-mark", new PathData().MoveTo(left, my).HorizontalTo(mx).VerticalTo(bottom).ToString(), colour, 0.8, Dotted, figure.Curves[i].Label);
                    svg.Text("mark-label", mx + 3, bottom - 4, mark.Label);
                }
            }
        }

        if (any)
        {
            svg.CloseGroup();
        }
    }

    private static void DrawAtRisk(SvgBuilder svg, KaplanMeierFigure figure, LinearScale x, double titleY, bool labelsBeside)
    {
        svg.OpenGroup("at-risk-table");
        svg.Text("at-risk-title", 2, titleY, "Number at risk", size: FigureStyle.FontSize, bold: true);
        var baseline = titleY;
        for (var i = 0; i < figure.Curves.Count; i++)
        {
            var curve = figure.Curves[i];
            baseline += RowHeight;
            svg.OpenGroup("at-risk-row", curve.Label);
            svg.Line("legend-sample", 2, baseline - 4, 2 + SampleLength, baseline - 4, FigureStyle.Colour(i), FigureStyle.CurveWidth, FigureStyle.Dash(i));
            svg.Text("at-risk-label", 2 + SampleLength + 5, baseline, curve.Label);
            if (!labelsBeside)
            {
                baseline += RowHeight;
            }

            for (var k = 0; k < curve.AtRisk.Count; k++)
            {
                svg.Text("at-risk", x.Map(figure.Ticks[k]), baseline, curve.AtRisk[k].ToString(CultureInfo.InvariantCulture), "middle");
            }

            svg.CloseGroup();
        }

        svg.CloseGroup();
    }

    /// <summary>The step function S(t): the survival of the last point at or before t (1 before the first point).</summary>
    internal static double SurvivalAt(KaplanMeierCurve curve, double t) => SurvivalAt(Sorted(curve), t);

    private static double SurvivalAt(List<CurvePoint> sorted, double t)
    {
        // Binary search for the last point with Time <= t.
        int lo = 0, hi = sorted.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sorted[mid].Time <= t)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 1.0 : sorted[found].Survival;
    }

    /// <summary>Distinct censor times within the axis, ascending.</summary>
    internal static IReadOnlyList<double> CensorTimesOnAxis(KaplanMeierCurve curve, LinearScale x) =>
        curve.CensorTimes.Where(t => double.IsFinite(t) && t >= x.DomainMin && t <= x.DomainMax).Distinct().Order().ToList();

    private static List<CurvePoint> Sorted(KaplanMeierCurve curve) => curve.Points.OrderBy(p => p.Time).ToList();

    private static double CurveEnd(KaplanMeierCurve curve, LinearScale x)
    {
        var end = curve.Points.Count == 0 ? x.DomainMin : curve.Points.Max(p => p.Time);
        foreach (var t in curve.CensorTimes.Where(double.IsFinite))
        {
            end = Math.Max(end, t);
        }

        return Math.Min(end, x.DomainMax);
    }

    private static PathData CurvePath(KaplanMeierCurve curve, LinearScale x, LinearScale y)
    {
        var points = Sorted(curve);
        var start = points.Count == 0 ? x.DomainMin : Math.Max(points[0].Time, x.DomainMin);
        var end = Math.Max(CurveEnd(curve, x), start);
        var path = new PathData().MoveTo(x.Map(start), y.Map(SurvivalAt(points, start)));
        foreach (var p in points.Where(p => p.Time > start && p.Time <= end))
        {
            path.HorizontalTo(x.Map(p.Time)).VerticalTo(y.Map(p.Survival));
        }

        return path.HorizontalTo(x.Map(end));
    }

    /// <summary>
    /// The CI band as one closed polygon: the upper limit's steps forward, the lower limit's back. It stops where
    /// a limit is missing (R gives none once S(t) = 0).
    /// </summary>
    private static PathData BandPath(KaplanMeierCurve curve, LinearScale x, LinearScale y)
    {
        var points = Sorted(curve);
        var end = CurveEnd(curve, x);
        var upper = new List<(double X, double Y)>();
        var lower = new List<(double X, double Y)>();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (p.Lower is not { } lo || p.Upper is not { } hi || !double.IsFinite(lo) || !double.IsFinite(hi))
            {
                break;
            }

            var from = Math.Max(p.Time, x.DomainMin);
            var to = Math.Min(i + 1 < points.Count ? points[i + 1].Time : end, end);
            if (to <= from)
            {
                continue;
            }

            upper.Add((x.Map(from), y.Map(Math.Clamp(hi, 0, 1))));
            upper.Add((x.Map(to), y.Map(Math.Clamp(hi, 0, 1))));
            lower.Add((x.Map(from), y.Map(Math.Clamp(lo, 0, 1))));
            lower.Add((x.Map(to), y.Map(Math.Clamp(lo, 0, 1))));
        }

        var path = new PathData();
        if (upper.Count == 0)
        {
            return path;
        }

        path.MoveTo(upper[0].X, upper[0].Y);
        foreach (var (px, py) in upper.Skip(1))
        {
            path.LineTo(px, py);
        }

        for (var i = lower.Count - 1; i >= 0; i--)
        {
            path.LineTo(lower[i].X, lower[i].Y);
        }

        return path.Close();
    }

    /// <summary>Points along every drawn curve, every few units, for placing the legend where it hides nothing.</summary>
    private static List<(double X, double Y)> SampleCurves(KaplanMeierFigure figure, LinearScale x, LinearScale y)
    {
        const double step = 3;
        var samples = new List<(double X, double Y)>();
        foreach (var curve in figure.Curves)
        {
            var points = Sorted(curve);
            var start = points.Count == 0 ? x.DomainMin : Math.Max(points[0].Time, x.DomainMin);
            var end = CurveEnd(curve, x);
            var px = x.Map(start);
            var py = y.Map(SurvivalAt(points, start));
            void Walk(double toX, double toY)
            {
                var n = Math.Max(1, (int)Math.Ceiling(Math.Max(Math.Abs(toX - px), Math.Abs(toY - py)) / step));
                for (var k = 0; k <= n; k++)
                {
                    samples.Add((px + ((toX - px) * k / n), py + ((toY - py) * k / n)));
                }

                px = toX;
                py = toY;
            }

            foreach (var p in points.Where(p => p.Time > start && p.Time <= end))
            {
                Walk(x.Map(p.Time), py);
                Walk(px, y.Map(p.Survival));
            }

            Walk(x.Map(end), py);
        }

        return samples;
    }
}
