using System.Globalization;
using System.Text;

namespace Sarcostat.Reports;

/// <summary>
/// Escaping and number formatting shared by the text renderers (SVG, HTML). Every number that reaches an output
/// file goes through <see cref="Number"/> so that the same report gives the same bytes on every machine.
/// </summary>
internal static class Markup
{
    /// <summary>
    /// Escapes text for XML/HTML element content and attribute values (both quote kinds), and drops characters
    /// that XML 1.0 forbids (control characters other than tab, line feed, carriage return; lone surrogates),
    /// which would make the SVG unparseable.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (IsXmlChar(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Removes characters XML 1.0 forbids (for text handed to the OpenXML SDK, which would otherwise throw on save).</summary>
    public static string XmlSafe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsXmlChar(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool IsXmlChar(char c) =>
        c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);

    /// <summary>
    /// A coordinate or length with at most two decimals, invariant culture, no trailing zeros and never "-0"
    /// (0.01 unit = 0.002 mm at print size: finer digits only cost bytes and invite platform differences).
    /// </summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A drawn coordinate must be finite.");
        }

        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            return "0";
        }

        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A data value (axis tick, count) as a label: up to <paramref name="decimals"/> decimals, trailing zeros
    /// trimmed, negative values with the typographic minus sign (U+2212) as journals print them.
    /// </summary>
    public static string Label(double value, int decimals = 2)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            return "0";
        }

        var format = decimals == 0 ? "0" : "0." + new string('#', decimals);
        var text = Math.Abs(rounded).ToString(format, CultureInfo.InvariantCulture);
        return rounded < 0 ? "\u2212" + text : text;
    }
}
