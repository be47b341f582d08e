using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
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
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet's messages carry the position twice ("(Line: 3, Col: 5, Idx: 20) - (Line: ...): text").
            var message = e.InnerException?.Message ?? e.Message;
            int colon = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && colon >= 0)
            {
                message = message[(colon + 3)..];
            }

            throw new ProtocolSyntaxException("not well-formed YAML: " + message, (int)e.Start.Line);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16 throws this (instead of a YamlException) when the text ends inside a flow collection.
            throw new ProtocolSyntaxException("not well-formed YAML: the text ends inside a [...] list or {...} mapping; a closing bracket is missing", 0);
        }

        if (stream.Documents.Count == 0)
        {
            throw new ProtocolSyntaxException("the file is empty", 0);
        }

        if (stream.Documents.Count > 1)
        {
            throw new ProtocolSyntaxException("the file holds more than one YAML document; a protocol is one document", (int)stream.Documents[1].RootNode.Start.Line);
        }

        return Convert(stream.Documents[0].RootNode, string.Empty);
    }

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
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return Convert(doc.RootElement, string.Empty);
        }
        catch (JsonException e)
        {
            var message = e.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            throw new ProtocolSyntaxException("not well-formed JSON: " + message, (int)(e.LineNumber ?? -1) + 1);
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
