namespace Sarcostat.Reports.Svg;

/// <summary>
/// Estimated text widths for laying out labels, boxes and columns without a font engine.
/// </summary>
/// <remarks>
/// Widths are Helvetica's advance widths (Adobe Core 14 AFM, in 1/1000 em) for printable ASCII; Arial and
/// Liberation Sans share these metrics, so the figures' font stack (Liberation Sans, Arial, Helvetica) renders at these
/// widths wherever one of them is installed. Other characters count as 0.6 em (CJK as 1 em). A small safety factor
/// covers the wider fallbacks (DejaVu Sans is about 8% wider).
/// </remarks>
internal static class TextMeasure
{
    private const double SafetyFactor = 1.06;

    // Advance widths of ' ' (32) to '~' (126).
    private static readonly int[] AsciiWidths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' .. '/'
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' .. '?'
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' .. 'O'
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' .. '_'
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' .. 'o'
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,      // 'p' .. '~'
    ];

    /// <summary>Estimated width of <paramref name="text"/> at <paramref name="fontSize"/> (same units as the size).</summary>
    public static double Width(string text, double fontSize, bool bold = false)
    {
        double units = 0;
        foreach (var c in text)
        {
            if (c >= ' ' && c <= '~')
            {
                units += AsciiWidths[c - ' '];
            }
            else if (char.IsLowSurrogate(c))
            {
                continue;
            }
            else if (c >= 0x2E80)
            {
                units += 1000;
            }
            else
            {
                units += 600;
            }
        }

        var width = units / 1000.0 * fontSize * SafetyFactor;
        return bold ? width * 1.07 : width;
    }

    /// <summary>
    /// The font size for <paramref name="text"/> to fit in <paramref name="maxWidth"/>: <paramref name="preferred"/>
    /// when it fits, else smaller, but never below 70% of it (past that, legibility matters more than overflow).
    /// </summary>
    public static double FitFontSize(string text, double preferred, double maxWidth)
    {
        var width = Width(text, preferred);
        return width <= maxWidth ? preferred : Math.Max(preferred * 0.7, Math.Floor(preferred * maxWidth / width * 10) / 10);
    }

    /// <summary>
    /// Greedy word wrap to lines no wider than <paramref name="maxWidth"/>. A single word longer than the width
    /// gets a line of its own (never cut).
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, double fontSize, double maxWidth)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var current = string.Empty;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && Width(candidate, fontSize) > maxWidth)
                {
                    lines.Add(current);
                    current = word;
                }
                else
                {
                    current = candidate;
                }
            }

            lines.Add(current);
        }

        return lines;
    }
}
