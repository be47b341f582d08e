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
        var json = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        try
        {
            return json ? ParseJson(text) : ParseYaml(text);
        }
        catch (YamlException e)
        {
            throw new ImportSetupException(FormattableString.Invariant($"{fileName} line {e.Start.Line}: not valid YAML: {e.Message}"), e);
        }
        catch (JsonException e)
        {
            throw new ImportSetupException($"{fileName} line {e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }

    private static ConfigNode? ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : FromYaml(stream.Documents[0].RootNode);
    }

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
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
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
