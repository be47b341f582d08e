namespace Sarcostat.Reports.Svg;

/// <summary>
/// The journal look shared by all figures: one unit of the drawing is 0.2125 mm at print size, so a 400-unit wide
/// figure is 85 mm (a single journal column) and 12-unit text prints at 7.2 pt.
/// </summary>
internal static class FigureStyle
{
    /// <summary>Millimetres per drawing unit at print size.</summary>
    public const double MillimetresPerUnit = 0.2125;

    /// <summary>
    /// Font stack of the SVG: Liberation Sans (shipped, and drawn into every PNG and PDF by FigureExport), then the
    /// metric-compatible Arial and Helvetica, so that an SVG viewer without Liberation Sans lays text out alike.
    /// </summary>
    public const string FontFamily = "'Liberation Sans', Arial, Helvetica, sans-serif";

    /// <summary>Tick labels, legend, at-risk numbers.</summary>
    public const double FontSize = 12;

    /// <summary>Axis titles.</summary>
    public const double LabelFontSize = 13;

    /// <summary>Text, axes and ticks.</summary>
    public const string Ink = "#000000";

    /// <summary>Axis and tick stroke width (0.2 mm).</summary>
    public const double AxisWidth = 1;

    /// <summary>Curve stroke width (0.34 mm, about 1 pt).</summary>
    public const double CurveWidth = 1.6;

    /// <summary>Tick length.</summary>
    public const double TickLength = 4;

    /// <summary>
    /// Okabe-Ito colour-blind-safe palette, in use order (yellow left out: too pale on white paper).
    /// </summary>
    public static readonly string[] Colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9"];

    /// <summary>
    /// Dash patterns, one per curve, so curves stay distinct in greyscale print: solid, dashed, dotted, dash-dot,
    /// long dash, dash-dot-dot, sparse dots.
    /// </summary>
    public static readonly string[] Dashes = ["", "6 3", "1.6 2.4", "8 3 2 3", "12 4", "6 2 1.6 2 1.6 2", "1.6 5"];

    /// <summary>Colour of curve <paramref name="index"/> (cycles past the palette).</summary>
    public static string Colour(int index) => Colours[index % Colours.Length];

    /// <summary>Dash pattern of curve <paramref name="index"/> (empty for solid).</summary>
    public static string Dash(int index) => Dashes[index % Dashes.Length];
}
