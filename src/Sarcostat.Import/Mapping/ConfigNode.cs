using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sarcostat.Import.Mapping;

/// <summary>A node of a mapping file, YAML or JSON alike: a scalar, a map (ordered) or a list, with its line when known.</summary>
internal abstract record ConfigNode(int? Line)
{
    /// <summary>A phrase naming the node's kind, for "expected a map; found a list".</summary>
    public abstract string Kind { get; }

    /// <summary>Parses YAML or JSON text (by the file's extension) into nodes; syntax errors become <see cref="ImportSetupException"/>.</summary>
    public static ConfigNode? Parse(string text, string fileName)
    {
        try
        {
            return ConfigText.IsJson(fileName) ? ParseJson(text) : ParseYaml(text);
        }
        catch (ConfigSyntaxException e)
        {
            throw new ImportSetupException(e.Describe(fileName), e);
        }
    }

    private static ConfigNode? ParseYaml(string text) => ConfigText.LoadYaml(text) is { } root ? FromYaml(root) : null;

    private static ConfigNode FromYaml(YamlNode node)
    {
        var line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<ConfigScalar, ConfigNode>>();
                foreach (var (k, v) in map.Children)
                {
                    var key = FromYaml(k) as ConfigScalar ?? new ConfigScalar("?", (int)k.Start.Line);
                    entries.Add(new(key, FromYaml(v)));
                }

                return new ConfigMap(entries, line);
            case YamlSequenceNode list:
                return new ConfigList(list.Children.Select(FromYaml).ToList(), line);
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(isNull ? null : scalar.Value, line);
            default:
                return new ConfigScalar(null, line);
        }
    }

    private static ConfigNode ParseJson(string text)
    {
        using var doc = ConfigText.ParseJson(text);
        return FromJson(doc.RootElement);
    }

    private static ConfigNode FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new ConfigMap(e.EnumerateObject().Select(p => new KeyValuePair<ConfigScalar, ConfigNode>(new ConfigScalar(p.Name, null), FromJson(p.Value))).ToList(), null),
        JsonValueKind.Array => new ConfigList(e.EnumerateArray().Select(FromJson).ToList(), null),
        JsonValueKind.String => new ConfigScalar(e.GetString(), null),
        JsonValueKind.Number => new ConfigScalar(e.GetRawText(), null),
        JsonValueKind.True => new ConfigScalar("yes", null),
        JsonValueKind.False => new ConfigScalar("no", null),
        _ => new ConfigScalar(null, null),
    };
}

/// <summary>A scalar; <see cref="Value"/> is null for YAML <c>~</c>/<c>null</c>/empty and JSON null.</summary>
internal sealed record ConfigScalar(string? Value, int? Line) : ConfigNode(Line)
{
    public override string Kind => Value is null ? "nothing" : "a value";

    public override string ToString() => Value ?? "null";
}

/// <summary>A map, in file order.</summary>
internal sealed record ConfigMap(IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Entries, int? Line) : ConfigNode(Line)
{
    public override string Kind => "a map";
}

/// <summary>A list.</summary>
internal sealed record ConfigList(IReadOnlyList<ConfigNode> Items, int? Line) : ConfigNode(Line)
{
    public override string Kind => "a list";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"list of {Items.Count}");
}
