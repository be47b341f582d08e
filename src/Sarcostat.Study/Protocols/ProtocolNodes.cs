using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using Sarcostat.Import.Mapping;
using YamlDotNet.RepresentationModel;

namespace Sarcostat.Study.Protocols;

/// <summary>
/// A protocol document as a plain tree (mappings keep their key order, scalars stay text), read from YAML or JSON.
/// Every node knows its key path (<c>sections[1].items[0].rows[3]</c>) and, for YAML, its line, so that the binder's
/// messages can point at it.
/// </summary>
internal abstract class ProtocolNode(string path, int line)
{
    /// <summary>Key path from the root, e.g. <c>variables.dfi_12.reference</c>; empty for the root.</summary>
    public string Path { get; } = path;

    /// <summary>1-based line in the file, or 0 when unknown (JSON).</summary>
    public int Line { get; } = line;

    /// <summary>What kind of node this is, in words ("a mapping", "a list", "a value").</summary>
    public abstract string Kind { get; }

    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Item(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");
}

internal sealed class ScalarNode(string path, int line, string? value) : ProtocolNode(path, line)
{
    /// <summary>The text, or null for a null value (YAML <c>null</c>, <c>~</c>, empty; JSON <c>null</c>).</summary>
    public string? Value { get; } = value;

    public override string Kind => Value is null ? "null" : "a value";
}

internal sealed class MappingNode(string path, int line, IReadOnlyList<KeyValuePair<string, ProtocolNode>> entries) : ProtocolNode(path, line)
{
    public IReadOnlyList<KeyValuePair<string, ProtocolNode>> Entries { get; } = entries;

    public override string Kind => "a mapping";

    public ProtocolNode? this[string key]
    {
        get
        {
            foreach (var kv in Entries)
            {
                if (string.Equals(kv.Key, key, StringComparison.Ordinal))
                {
                    return kv.Value;
                }
            }

            return null;
        }
    }

    public bool Has(string key) => this[key] is not null;
}

internal sealed class SequenceNode(string path, int line, IReadOnlyList<ProtocolNode> items) : ProtocolNode(path, line)
{
    public IReadOnlyList<ProtocolNode> Items { get; } = items;

    public override string Kind => "a list";
}

/// <summary>A syntax error of the protocol text (the binder turns it into a <see cref="ProtocolProblem"/>).</summary>
internal sealed class ProtocolSyntaxException(string message, int line) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>Reads YAML or JSON text into <see cref="ProtocolNode"/>s.</summary>
internal static class ProtocolReader
{
    public static ProtocolFormat Detect(string text, string sourceName)
    {
        if (sourceName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ProtocolFormat.Json;
        }

        if (sourceName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || sourceName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return ProtocolFormat.Yaml;
        }

        var first = text.TrimStart();
        return first.StartsWith('{') ? ProtocolFormat.Json : ProtocolFormat.Yaml;
    }

    /// <exception cref="ProtocolSyntaxException">The text is not well-formed.</exception>
    public static ProtocolNode Read(string text, ProtocolFormat format) =>
        format == ProtocolFormat.Json ? ReadJson(text) : ReadYaml(text);

    private static ProtocolNode ReadYaml(string text)
    {
        YamlNode? root;
        try
        {
            // The shared guarded parser (Sarcostat.Import.Mapping.ConfigText): bounded size and depth, no aliases,
            // syntax errors with line and column, as for mapping files.
            root = ConfigText.LoadYaml(text);
        }
        catch (ConfigSyntaxException e)
        {
            throw Syntax(e);
        }

        return root is null ? throw new ProtocolSyntaxException("the file is empty", 0) : Convert(root, string.Empty);
    }

    /// <summary>A protocol problem has a line but no column: the column goes into the message.</summary>
    private static ProtocolSyntaxException Syntax(ConfigSyntaxException e) =>
        new(e.Column > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.Reason} (column {e.Column})") : e.Reason, e.Line);

    private static ProtocolNode Convert(YamlNode node, string path)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlScalarNode s:
                bool plain = s.Style is ScalarStyle.Plain or ScalarStyle.Any;
                bool isNull = s.Value is null || (plain && s.Value is "" or "~" or "null" or "Null" or "NULL");
                return new ScalarNode(path, line, isNull ? null : s.Value);
            case YamlSequenceNode seq:
                var items = new List<ProtocolNode>(seq.Children.Count);
                for (int i = 0; i < seq.Children.Count; i++)
                {
                    items.Add(Convert(seq.Children[i], ProtocolNode.Item(path, i)));
                }

                return new SequenceNode(path, line, items);
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<string, ProtocolNode>>(map.Children.Count);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var kv in map.Children)
                {
                    if (kv.Key is not YamlScalarNode { Value: { } key })
                    {
                        throw new ProtocolSyntaxException($"{Where(path)}a key must be a plain value", (int)kv.Key.Start.Line);
                    }

                    if (!seen.Add(key))
                    {
                        throw new ProtocolSyntaxException($"{Where(path)}the key '{key}' occurs twice", (int)kv.Key.Start.Line);
                    }

                    entries.Add(new(key, Convert(kv.Value, ProtocolNode.Child(path, key))));
                }

                return new MappingNode(path, line, entries);
            default:
                throw new ProtocolSyntaxException($"{Where(path)}aliases and tags are not supported", line);
        }
    }

    private static string Where(string path) => path.Length == 0 ? string.Empty : path + ": ";

    private static ProtocolNode ReadJson(string text)
    {
        JsonDocument doc;
        try
        {
            doc = ConfigText.ParseJson(text);
        }
        catch (ConfigSyntaxException e)
        {
            throw Syntax(e);
        }

        using (doc)
        {
            return Convert(doc.RootElement, string.Empty);
        }
    }

    private static ProtocolNode Convert(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, ProtocolNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    if (!seen.Add(p.Name))
                    {
                        throw new ProtocolSyntaxException($"{Where(path)}the key '{p.Name}' occurs twice", 0);
                    }

                    entries.Add(new(p.Name, Convert(p.Value, ProtocolNode.Child(path, p.Name))));
                }

                return new MappingNode(path, 0, entries);
            case JsonValueKind.Array:
                var items = new List<ProtocolNode>();
                int i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    items.Add(Convert(item, ProtocolNode.Item(path, i++)));
                }

                return new SequenceNode(path, 0, items);
            case JsonValueKind.String:
                return new ScalarNode(path, 0, e.GetString());
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return new ScalarNode(path, 0, null);
            default:
                return new ScalarNode(path, 0, e.GetRawText());
        }
    }
}
