using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Sarcostat.Reports.Tests;

/// <summary>Reads rendered SVG back: elements by class, numeric attributes, path coordinates.</summary>
internal static partial class SvgRead
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XElement Parse(string svg) => XDocument.Parse(svg).Root!;

    public static IEnumerable<XElement> ByClass(this XElement root, string cls) =>
        root.DescendantsAndSelf().Where(e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cls));

    public static double Num(this XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    public static string? Label(this XElement e) => (string?)e.Attribute("data-label");

    /// <summary>The numbers of a path's d attribute, in order.</summary>
    public static double[] PathNumbers(this XElement path) =>
        NumberPattern().Matches((string)path.Attribute("d")!).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The path's commands with their arguments, e.g. ("M", [x, y]), ("H", [x]).</summary>
    public static List<(string Command, double[] Args)> PathCommands(this XElement path) =>
        CommandPattern().Matches((string)path.Attribute("d")!)
            .Select(m => (m.Groups[1].Value, NumberPattern().Matches(m.Groups[2].Value).Select(n => double.Parse(n.Value, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"([MLHVZ])([^MLHVZ]*)")]
    private static partial Regex CommandPattern();
}
