using System.Globalization;
using System.Text;
using static Sarcostat.Reports.Markup;

namespace Sarcostat.Reports.Svg;

/// <summary>
/// Writes SVG elements as text with fixed number formatting (two decimals), so output is byte-identical for the
/// same input. Elements carry a <c>class</c> naming what they show (curve, censor, at-risk, ...) for tests and
/// for readers restyling the figure; no ids are written, so several figures can be inlined in one HTML page.
/// </summary>
internal sealed class SvgBuilder
{
    private readonly StringBuilder _sb = new();

    /// <summary>Opens the root element: physical size in millimetres, the drawing in units via the viewBox.</summary>
    public SvgBuilder(double width, double height, string title, string kind, bool includeNamespace)
    {
        var widthMm = width * FigureStyle.MillimetresPerUnit;
        var heightMm = height * FigureStyle.MillimetresPerUnit;
        _sb.Append("<svg");
        if (includeNamespace)
        {
            _sb.Append(" xmlns=\"http://www.w3.org/2000/svg\"");
        }

        _sb.Append(CultureInfo.InvariantCulture, $" width=\"{Number(widthMm)}mm\" height=\"{Number(heightMm)}mm\"");
        _sb.Append(CultureInfo.InvariantCulture, $" viewBox=\"0 0 {Number(width)} {Number(height)}\"");
        _sb.Append(CultureInfo.InvariantCulture, $" class=\"figure {kind}\" role=\"img\"");
        _sb.Append(CultureInfo.InvariantCulture, $" font-family=\"{FigureStyle.FontFamily}\" font-size=\"{Number(FigureStyle.FontSize)}\"");
        _sb.Append(" fill=\"none\" stroke=\"none\">\n");
        _sb.Append("<title>").Append(Escape(title)).Append("</title>\n");
        _sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"background\" x=\"0\" y=\"0\" width=\"{Number(width)}\" height=\"{Number(height)}\" fill=\"#ffffff\"/>\n");
    }

    /// <summary>A straight line.</summary>
    public void Line(string cls, double x1, double y1, double x2, double y2, string stroke = FigureStyle.Ink, double width = FigureStyle.AxisWidth, string dash = "")
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<line class=\"{cls}\" x1=\"{Number(x1)}\" y1=\"{Number(y1)}\" x2=\"{Number(x2)}\" y2=\"{Number(y2)}\" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\"");
        AppendDash(dash);
        _sb.Append("/>\n");
    }

    /// <summary>A stroked path (no fill).</summary>
    public void StrokePath(string cls, string d, string stroke, double width, string dash = "", string? label = null)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<path class=\"{cls}\" d=\"{d}\" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\" stroke-linejoin=\"miter\" stroke-linecap=\"butt\"");
        AppendDash(dash);
        AppendLabel(label);
        _sb.Append("/>\n");
    }

    /// <summary>A filled path (no stroke).</summary>
    public void FillPath(string cls, string d, string fill, double opacity = 1, string? label = null)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<path class=\"{cls}\" d=\"{d}\" fill=\"{fill}\"");
        if (opacity < 1)
        {
            _sb.Append(CultureInfo.InvariantCulture, $" fill-opacity=\"{Number(opacity)}\"");
        }

        AppendLabel(label);
        _sb.Append("/>\n");
    }

    /// <summary>A rectangle.</summary>
    public void Rect(string cls, double x, double y, double width, double height, string fill, string stroke = "none", double strokeWidth = 0)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cls}\" x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(width)}\" height=\"{Number(height)}\" fill=\"{fill}\"");
        if (stroke != "none")
        {
            _sb.Append(CultureInfo.InvariantCulture, $" stroke=\"{stroke}\" stroke-width=\"{Number(strokeWidth)}\"");
        }

        _sb.Append("/>\n");
    }

    /// <summary>A circle.</summary>
    public void Circle(string cls, double cx, double cy, double r, string fill, string stroke, double strokeWidth)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"{cls}\" cx=\"{Number(cx)}\" cy=\"{Number(cy)}\" r=\"{Number(r)}\" fill=\"{fill}\"");
        if (stroke != "none")
        {
            _sb.Append(CultureInfo.InvariantCulture, $" stroke=\"{stroke}\" stroke-width=\"{Number(strokeWidth)}\"");
        }

        _sb.Append("/>\n");
    }

    /// <summary>
    /// Text at (x, y) (y is the baseline). <paramref name="anchor"/> is start, middle or end;
    /// <paramref name="rotate"/> turns the text about its anchor point (-90 for a y-axis title).
    /// </summary>
    public void Text(string cls, double x, double y, string text, string anchor = "start", double? size = null, bool bold = false, bool italic = false, double rotate = 0)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<text class=\"{cls}\" x=\"{Number(x)}\" y=\"{Number(y)}\"");
        if (anchor != "start")
        {
            _sb.Append(CultureInfo.InvariantCulture, $" text-anchor=\"{anchor}\"");
        }

        if (size is { } s)
        {
            _sb.Append(CultureInfo.InvariantCulture, $" font-size=\"{Number(s)}\"");
        }

        if (bold)
        {
            _sb.Append(" font-weight=\"bold\"");
        }

        if (italic)
        {
            _sb.Append(" font-style=\"italic\"");
        }

        if (rotate != 0)
        {
            _sb.Append(CultureInfo.InvariantCulture, $" transform=\"rotate({Number(rotate)} {Number(x)} {Number(y)})\"");
        }

        _sb.Append(" fill=\"").Append(FigureStyle.Ink).Append("\">").Append(Escape(text)).Append("</text>\n");
    }

    /// <summary>Opens a group (for one curve, one row, one box).</summary>
    public void OpenGroup(string cls, string? label = null)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<g class=\"{cls}\"");
        AppendLabel(label);
        _sb.Append(">\n");
    }

    /// <summary>Closes the last group.</summary>
    public void CloseGroup() => _sb.Append("</g>\n");

    /// <summary>Closes the root and returns the document.</summary>
    public string Finish() => _sb.Append("</svg>\n").ToString();

    private void AppendDash(string dash)
    {
        if (dash.Length > 0)
        {
            _sb.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        }
    }

    private void AppendLabel(string? label)
    {
        if (label is not null)
        {
            _sb.Append(" data-label=\"").Append(Escape(label)).Append('"');
        }
    }
}

/// <summary>Builds the <c>d</c> attribute of a path with fixed number formatting.</summary>
internal sealed class PathData
{
    private readonly StringBuilder _sb = new();

    /// <summary>True when nothing was added.</summary>
    public bool IsEmpty => _sb.Length == 0;

    /// <summary>Move to (x, y).</summary>
    public PathData MoveTo(double x, double y) => Add('M', x, y);

    /// <summary>Line to (x, y).</summary>
    public PathData LineTo(double x, double y) => Add('L', x, y);

    /// <summary>Horizontal line to x.</summary>
    public PathData HorizontalTo(double x) => Add('H', x);

    /// <summary>Vertical line to y.</summary>
    public PathData VerticalTo(double y) => Add('V', y);

    /// <summary>Close the sub-path.</summary>
    public PathData Close()
    {
        _sb.Append(_sb.Length == 0 ? "Z" : " Z");
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _sb.ToString();

    private PathData Add(char command, double a, double? b = null)
    {
        if (_sb.Length > 0)
        {
            _sb.Append(' ');
        }

        _sb.Append(command).Append(Number(a));
        if (b is { } y)
        {
            _sb.Append(',').Append(Number(y));
        }

        return this;
    }
}
