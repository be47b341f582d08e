using System.Globalization;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Svg;

/// <summary>
/// Draws the patient-selection flow diagram: the source databases side by side at the top joined into the first box
/// (when the figure has sources), main boxes top to bottom joined by arrows, each exclusion as a side box (label and
/// count, then its breakdown) reached by an arrow from the line between two main boxes.
/// </summary>
/// <remarks>
/// A main box shows its text and "(n = count)"; the count is not repeated when the text already states it. An
/// exclusion after the last box hangs from a short line below it.
/// </remarks>
internal static class FlowSvg
{
    private const double Margin = 8;
    private const double MainWidth = 190;
    private const double SideGap = 40;
    private const double MinSideWidth = 150;
    private const double MaxSideWidth = 250;
    private const double Line = 15;
    private const double Padding = 8;
    private const double MinGap = 30;
    private const double ArrowHead = 5;
    private const double SourceWidth = 150;
    private const double SourceGap = 20;

    public static string Render(FlowFigure figure, bool includeNamespace)
    {
        var fs = FigureStyle.FontSize;
        var mainLines = figure.Boxes.Select(b => TextMeasure.Wrap(MainText(b), fs, MainWidth - (2 * Padding))).ToList();
        var sideTexts = figure.Boxes.Select(b => b.Excluded is null ? null : SideLines(b.Excluded)).ToList();
        var widest = sideTexts.Where(s => s is not null).SelectMany(s => s!).Select(l => TextMeasure.Width(l.Text, fs) + l.Indent).DefaultIfEmpty(0).Max();
        var sideWidth = Math.Clamp(widest + (2 * Padding), MinSideWidth, MaxSideWidth);
        var sideLines = sideTexts.Select(s => s is null ? null : WrapSide(s, fs, sideWidth - (2 * Padding))).ToList();
        var hasSide = sideLines.Any(s => s is not null);

        // Source databases (if any): a row of boxes above the first main box, the main column centred under the row.
        var sourceLines = figure.Sources.Select(src => TextMeasure.Wrap(MainText(src.Text, src.Count), fs, SourceWidth - (2 * Padding))).ToList();
        var rowWidth = figure.Sources.Count == 0 ? 0 : (figure.Sources.Count * SourceWidth) + ((figure.Sources.Count - 1) * SourceGap);
        var mainX = Margin + Math.Max(0, (rowWidth - MainWidth) / 2);
        var centreX = mainX + (MainWidth / 2);
        var sideX = mainX + MainWidth + SideGap;
        var width = Math.Max(hasSide ? sideX + sideWidth + Margin : mainX + MainWidth + Margin, Margin + rowWidth + Margin);
        var rowX = centreX - (rowWidth / 2);
        var sourceHeight = sourceLines.Count == 0 ? 0 : (sourceLines.Max(l => l.Count) * Line) + (2 * Padding) - 3;

        // Lay out top to bottom first to know the height.
        var boxes = new List<(double Y, double H)>();
        var sides = new List<(double Y, double H)?>();
        var y = Margin + (sourceLines.Count == 0 ? 0 : sourceHeight + MinGap);
        for (var i = 0; i < figure.Boxes.Count; i++)
        {
            var h = (mainLines[i].Count * Line) + (2 * Padding) - 3;
            boxes.Add((y, h));
            y += h;
            if (sideLines[i] is { } lines)
            {
                var sh = (lines.Count * Line) + (2 * Padding) - 3;
                var gap = Math.Max(MinGap, sh + 24);
                sides.Add((y + ((gap - sh) / 2), sh));
                y += gap;
            }
            else
            {
                sides.Add(null);
                y += i + 1 < figure.Boxes.Count ? MinGap : 0;
            }
        }

        var height = y + Margin;
        var svg = new SvgBuilder(width, height, figure.Title, "flow", includeNamespace);
        var ink = FigureStyle.Ink;

        if (sourceLines.Count > 0 && boxes.Count > 0)
        {
            // Each source joins a horizontal bar above the first box; one arrow goes down from the bar into it.
            var barY = Margin + sourceHeight + (MinGap / 2);
            svg.OpenGroup("flow-sources");
            for (var k = 0; k < sourceLines.Count; k++)
            {
                var sx = rowX + (k * (SourceWidth + SourceGap));
                svg.OpenGroup("flow-source", figure.Sources[k].Text);
                svg.Rect("flow-source-box", sx, Margin, SourceWidth, sourceHeight, "#ffffff", ink, FigureStyle.AxisWidth);
                var sb = Margin + Padding + 9;
                foreach (var line in sourceLines[k])
                {
                    svg.Text("flow-text", sx + (SourceWidth / 2), sb, line, "middle");
                    sb += Line;
                }

                svg.Line("connector", sx + (SourceWidth / 2), Margin + sourceHeight, sx + (SourceWidth / 2), barY, ink, FigureStyle.AxisWidth);
                svg.CloseGroup();
            }

            if (sourceLines.Count > 1)
            {
                svg.Line("connector merge-bar", rowX + (SourceWidth / 2), barY, rowX + rowWidth - (SourceWidth / 2), barY, ink, FigureStyle.AxisWidth);
            }

            svg.Line("connector", centreX, barY, centreX, boxes[0].Y - ArrowHead, ink, FigureStyle.AxisWidth);
            ArrowDown(svg, centreX, boxes[0].Y);
            svg.CloseGroup();
        }

        for (var i = 0; i < figure.Boxes.Count; i++)
        {
            var (by, bh) = boxes[i];
            svg.OpenGroup("flow-step", figure.Boxes[i].Text);
            svg.Rect("flow-box", mainX, by, MainWidth, bh, "#ffffff", ink, FigureStyle.AxisWidth);
            var baseline = by + Padding + 9;
            foreach (var line in mainLines[i])
            {
                svg.Text("flow-text", centreX, baseline, line, "middle");
                baseline += Line;
            }

            var bottom = by + bh;
            if (i + 1 < figure.Boxes.Count)
            {
                var nextTop = boxes[i + 1].Y;
                svg.Line("connector", centreX, bottom, centreX, nextTop - ArrowHead, ink, FigureStyle.AxisWidth);
                ArrowDown(svg, centreX, nextTop);
            }

            if (sides[i] is { } side)
            {
                var midY = side.Y + (side.H / 2);
                if (i + 1 >= figure.Boxes.Count)
                {
                    svg.Line("connector", centreX, bottom, centreX, midY, ink, FigureStyle.AxisWidth);
                }

                svg.Line("connector", centreX, midY, sideX - ArrowHead, midY, ink, FigureStyle.AxisWidth);
                ArrowRight(svg, sideX, midY);
                svg.Rect("flow-exclusion", sideX, side.Y, sideWidth, side.H, "#ffffff", ink, FigureStyle.AxisWidth);
                var sb = side.Y + Padding + 9;
                foreach (var (text, indent, breakdown) in sideLines[i]!)
                {
                    svg.Text(breakdown ? "flow-breakdown" : "flow-exclusion-text", sideX + Padding + indent, sb, text);
                    sb += Line;
                }
            }

            svg.CloseGroup();
        }

        return svg.Finish();
    }

    private static string MainText(FlowBox box) => MainText(box.Text, box.Count);

    private static string MainText(string text, int n)
    {
        var count = "n = " + n.ToString(CultureInfo.InvariantCulture);
        return text.Contains(count, StringComparison.Ordinal) ? text : $"{text} ({count})";
    }

    private static List<(string Text, double Indent)> SideLines(FlowExclusion exclusion)
    {
        var count = "n = " + exclusion.Count.ToString(CultureInfo.InvariantCulture);
        var lines = new List<(string, double)>
        {
            (exclusion.Label.Contains(count, StringComparison.Ordinal) ? exclusion.Label : $"{exclusion.Label} ({count})", 0),
        };
        foreach (var (label, n) in exclusion.Breakdown)
        {
            lines.Add(($"{label} (n = {n.ToString(CultureInfo.InvariantCulture)})", 10));
        }

        return lines;
    }

    private static List<(string Text, double Indent, bool Breakdown)> WrapSide(List<(string Text, double Indent)> lines, double fs, double width)
    {
        var wrapped = new List<(string, double, bool)>();
        foreach (var (text, indent) in lines)
        {
            var parts = TextMeasure.Wrap(text, fs, width - indent - 8);
            for (var k = 0; k < parts.Count; k++)
            {
                // Continuation lines hang a little further in.
                wrapped.Add((parts[k], indent + (k > 0 ? 8 : 0), indent > 0));
            }
        }

        return wrapped;
    }

    private static void ArrowDown(SvgBuilder svg, double x, double tipY) =>
        svg.FillPath("arrowhead", new PathData().MoveTo(x, tipY).LineTo(x - (ArrowHead * 0.7), tipY - ArrowHead - 1).LineTo(x + (ArrowHead * 0.7), tipY - ArrowHead - 1).Close().ToString(), FigureStyle.Ink);

    private static void ArrowRight(SvgBuilder svg, double tipX, double y) =>
        svg.FillPath("arrowhead", new PathData().MoveTo(tipX, y).LineTo(tipX - ArrowHead - 1, y - (ArrowHead * 0.7)).LineTo(tipX - ArrowHead - 1, y + (ArrowHead * 0.7)).Close().ToString(), FigureStyle.Ink);
}
