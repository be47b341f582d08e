using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Svg;

/// <summary>
/// Draws a forest plot of hazard ratios: a label column, a log-scale plot with a line at 1, a square per estimate
/// with its CI whisker, and the right-hand text: one column of each row's text, or headed columns (n, HR, 95% CI, p)
/// when the figure names them, and "favours" labels under the axis pointing away from 1.
/// </summary>
/// <remarks>
/// The axis spans the 1-2-5 values around every estimate and finite limit, always includes 1, and is capped at
/// [0.01, 100] unless an estimate itself lies beyond (then at most [0.001, 1000]). A limit beyond the axis (an
/// infinite upper limit of a monotone likelihood, a lower limit of 0) ends in an arrow at the axis edge; an
/// estimate beyond the axis gets no square. Reference rows show their text (by default "1 (reference)") and
/// no marker.
/// </remarks>
internal static class ForestSvg
{
    private const double Top = 8;
    private const double RowHeight = 20;
    private const double PlotWidth = 250;
    private const double Square = 8;
    private const double Arrow = 5;

    public static string Render(ForestFigure figure, bool includeNamespace)
    {
        var fs = FigureStyle.FontSize;
        var rows = figure.Rows;
        var headed = figure.Columns.Count > 0;
        var top = headed ? Top + RowHeight : Top;
        var labelColumn = Math.Max(90, rows.Count == 0 ? 0 : rows.Max(r => TextMeasure.Width(r.Label, fs))) + 16;
        var plotLeft = 4 + labelColumn;
        var plotRight = plotLeft + PlotWidth;
        var textX = plotRight + 16;

        // Text columns: one unheaded column of each row's text, or one column per heading, each as wide as its
        // widest text (bold heading included), 12 units apart.
        var cells = headed
            ? rows.Select(r => figure.Columns.Select((_, c) => c < r.Cells.Count ? r.Cells[c] : string.Empty).ToList()).ToList()
            : rows.Select(r => new List<string> { RowText(r) }).ToList();
        var headings = headed ? figure.Columns : [string.Empty];
        var columnX = new List<double>();
        var at = textX;
        for (var c = 0; c < headings.Count; c++)
        {
            var widest = Math.Max(TextMeasure.Width(headings[c], fs, bold: true), cells.Count == 0 ? 0 : cells.Max(r => TextMeasure.Width(r[c], fs)));
            columnX.Add(at);
            at += Math.Max(headed ? 24 : 60, widest) + 12;
        }

        var width = at - 6;
        var axisY = top + (Math.Max(rows.Count, 1) * RowHeight) + 4;
        var favours = !string.IsNullOrWhiteSpace(figure.FavoursLower) || !string.IsNullOrWhiteSpace(figure.FavoursHigher);
        var height = axisY + 44 + (favours ? 16 : 0);

        var (min, max) = Domain(rows);
        var x = new LogScale(min, max, plotLeft, plotRight);
        var svg = new SvgBuilder(width, height, figure.Title, "forest", includeNamespace);

        if (headed)
        {
            svg.OpenGroup("column-headings");
            for (var c = 0; c < headings.Count; c++)
            {
                svg.Text("column-heading", columnX[c], Top + 12, headings[c], bold: true);
            }

            svg.CloseGroup();
        }

        svg.OpenGroup("axes");
        svg.Line("axis x-axis", plotLeft, axisY, plotRight, axisY);
        foreach (var tick in Ticks.Log(min, max))
        {
            var tx = x.Map(tick);
            svg.Line("x-tick", tx, axisY, tx, axisY + FigureStyle.TickLength);
            svg.Text("x-tick-label", tx, axisY + FigureStyle.TickLength + 12, Markup.Label(tick, 3), "middle");
        }

        svg.Text("x-label", (plotLeft + plotRight) / 2, axisY + 36, figure.EstimateLabel, "middle", TextMeasure.FitFontSize(figure.EstimateLabel, FigureStyle.LabelFontSize, PlotWidth + 60));
        svg.Line("reference-line", x.Map(1), top, x.Map(1), axisY, FigureStyle.Ink, 0.8);
        if (favours)
        {
            // "Favours" labels under the axis title, each pointing away from HR = 1 (journals' convention).
            var one = x.Map(1);
            if (!string.IsNullOrWhiteSpace(figure.FavoursLower))
            {
                svg.Text("favours favours-lower", one - 6, axisY + 52, "\u2190 " + figure.FavoursLower, "end");
            }

            if (!string.IsNullOrWhiteSpace(figure.FavoursHigher))
            {
                svg.Text("favours favours-higher", one + 6, axisY + 52, figure.FavoursHigher + " \u2192");
            }
        }

        svg.CloseGroup();

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var cy = top + ((i + 0.5) * RowHeight);
            svg.OpenGroup(row.IsReference ? "forest-row reference" : "forest-row", row.Label);
            svg.Text("row-label", 4, cy + 4.2, row.Label);
            for (var c = 0; c < headings.Count; c++)
            {
                svg.Text(headed ? "row-cell" : "row-text", columnX[c], cy + 4.2, cells[i][c]);
            }

            if (!row.IsReference)
            {
                DrawInterval(svg, row, x, cy);
            }

            svg.CloseGroup();
        }

        return svg.Finish();
    }

    /// <summary>The right-hand text; a reference row without text reads "1 (reference)".</summary>
    private static string RowText(ForestRow row) =>
        row.IsReference && string.IsNullOrWhiteSpace(row.Text) ? "1 (reference)" : row.Text;

    private static void DrawInterval(SvgBuilder svg, ForestRow row, LogScale x, double cy)
    {
        var ink = FigureStyle.Ink;
        var est = row.Estimate is { } e && double.IsFinite(e) && e > 0 ? e : (double?)null;
        var lower = row.Lower;
        var upper = row.Upper;

        // A missing or non-positive lower limit runs off the left edge only when the upper limit exists (a CI with
        // one side known); a row with no limits at all draws just its square.
        var hasInterval = lower is not null || upper is not null;
        if (hasInterval)
        {
            var from = lower is { } lo && lo > 0 && !double.IsNaN(lo) ? lo : 0;
            var to = upper is { } hi && !double.IsNaN(hi) ? hi : double.PositiveInfinity;
            var leftOff = from < x.DomainMin;
            var rightOff = to > x.DomainMax;
            var x1 = leftOff ? x.Map(x.DomainMin) : x.Map(from);
            var x2 = rightOff ? x.Map(x.DomainMax) : x.Map(to);
            if (x2 > x1)
            {
                svg.Line("whisker", x1, cy, x2, cy, ink, 1.2);
            }

            if (leftOff && to >= x.DomainMin)
            {
                svg.FillPath("arrow", new PathData().MoveTo(x1 - Arrow, cy).LineTo(x1 + 1, cy - (Arrow * 0.7)).LineTo(x1 + 1, cy + (Arrow * 0.7)).Close().ToString(), ink);
            }

            if (rightOff && from <= x.DomainMax)
            {
                svg.FillPath("arrow", new PathData().MoveTo(x2 + Arrow, cy).LineTo(x2 - 1, cy - (Arrow * 0.7)).LineTo(x2 - 1, cy + (Arrow * 0.7)).Close().ToString(), ink);
            }
        }

        if (est is { } value && value >= x.DomainMin && value <= x.DomainMax)
        {
            var cx = x.Map(value);
            svg.Rect("estimate", cx - (Square / 2), cy - (Square / 2), Square, Square, ink);
        }
    }

    /// <summary>The axis range: 1-2-5 values around 1, the estimates and the finite positive limits, capped.</summary>
    internal static (double Min, double Max) Domain(IReadOnlyList<ForestRow> rows)
    {
        var estimates = rows.Where(r => !r.IsReference).Select(r => r.Estimate).OfType<double>().Where(v => double.IsFinite(v) && v > 0).ToList();
        var limits = rows.Where(r => !r.IsReference).SelectMany(r => new[] { r.Lower, r.Upper }).OfType<double>().Where(v => double.IsFinite(v) && v > 0).ToList();
        var all = estimates.Concat(limits).Append(1.0).ToList();
        var floorCap = Math.Max(0.001, Math.Min(0.01, estimates.Count == 0 ? 1 : Ticks.LogFloor(estimates.Min())));
        var ceilingCap = Math.Min(1000, Math.Max(100, estimates.Count == 0 ? 1 : Ticks.LogCeiling(estimates.Max())));
        var min = Math.Max(floorCap, Ticks.LogFloor(all.Min()));
        var max = Math.Min(ceilingCap, Ticks.LogCeiling(all.Max()));
        if (max <= 1)
        {
            max = 2;
        }

        if (min >= 1)
        {
            min = 0.5;
        }

        return (min, max);
    }
}
