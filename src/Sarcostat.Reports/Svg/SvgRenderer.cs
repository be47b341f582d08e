using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Svg;

/// <summary>
/// Renders a report figure as a standalone SVG document, hand-written (no plotting library): journal look (black
/// axes, no gridlines, Okabe-Ito colours with a dash pattern per curve so the figure survives greyscale print),
/// sized for print (a Kaplan-Meier plot is 85 mm wide, one journal column) and byte-identical for the same input.
/// </summary>
public static class SvgRenderer
{
    /// <summary>Renders <paramref name="figure"/> as an SVG document (root element with the SVG namespace, UTF-8 text).</summary>
    /// <param name="figure">A <see cref="KaplanMeierFigure"/>, <see cref="ForestFigure"/>, <see cref="FlowFigure"/> or <see cref="ScatterFigure"/>.</param>
    /// <returns>The SVG markup, ending with a line feed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="figure"/> is null.</exception>
    /// <exception cref="ArgumentException">The figure's data cannot be drawn (e.g. fewer than two x ticks, numbers at risk not one per tick), or its type is unknown.</exception>
    public static string Render(FigureItem figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return Render(figure, includeNamespace: true);
    }

    /// <summary>Renders for a standalone file (<paramref name="includeNamespace"/> true) or for inlining in HTML (false: HTML5 needs no namespace).</summary>
    internal static string Render(FigureItem figure, bool includeNamespace) => figure switch
    {
        KaplanMeierFigure km => KaplanMeierSvg.Render(km, includeNamespace),
        ForestFigure forest => ForestSvg.Render(forest, includeNamespace),
        FlowFigure flow => FlowSvg.Render(flow, includeNamespace),
        ScatterFigure scatter => ScatterSvg.Render(scatter, includeNamespace),
        _ => throw new ArgumentException($"Figure '{figure.Id}' is a {figure.GetType().Name}, which has no SVG renderer.", nameof(figure)),
    };
}
