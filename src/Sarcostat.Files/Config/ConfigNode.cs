using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sarcostat.Files.Config;

/// <summary>
/// A node of a configuration file (a source mapping, a protocol, an amendments file), YAML and JSON alike: a scalar,
/// a map in file order, or a list. Every node knows its key path from the root (<c>sections[1].items[0]</c>) and, for
/// YAML, its line, so that a loader's message can point at it. The one tree every loader walks; it is built by
/// <see cref="Parse"/> through the guarded parser (<see cref="ConfigText"/>).
/// </summary>
public abstract class ConfigNode
{
    private protected ConfigNode(string path, int? line)
    {
        Path = path;
        Line = line;
    }

    /// <summary>Key path from the root, e.g. <c>variables.dfi_12.reference</c> or <c>files[0]</c>; empty for the root.</summary>
    public string Path { get; }

    /// <summary>1-based line in the file, or null when unknown (JSON).</summary>
    public int? Line { get; }

    /// <summary>What kind of node this is, in words, for "expected a map, not a list": "a value", "nothing", "a map", "a list".</summary>
    public abstract string Kind { get; }

    /// <summary>The path of key <paramref name="key"/> under <paramref name="path"/>.</summary>
    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The path of item <paramref name="index"/> of the list at <paramref name="path"/>.</summary>
    public static string Item(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    /// <summary>
    /// Parses YAML or JSON text into its tree, or null when the text holds no document (empty, or only comments).
    /// JSON <c>true</c>/<c>false</c> become the scalars "yes"/"no" and numbers their text, so that every loader reads
    /// one kind of scalar. A key that is not a plain value, or a key twice in one map, is a syntax error.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="json">JSON (<see cref="ConfigText.IsJson"/> of the file name), else YAML.</param>
    /// <exception cref="ConfigSyntaxException">The text is not well-formed (with line and column), too large, too deep, binary, uses aliases, or repeats a key.</exception>
    public static ConfigNode? Parse(string text, bool json)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (json)
        {
            using var doc = ConfigText.ParseJson(text);
            return FromJson(doc.RootElement, string.Empty);
        }

        return ConfigText.LoadYaml(text) is { } root ? FromYaml(root, string.Empty) : null;
    }

    private static ConfigNode FromYaml(YamlNode node, string path)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlScalarNode s:
                bool plain = s.Style is ScalarStyle.Plain or ScalarStyle.Any;
                bool isNull = s.Value is null || (plain && s.Value is "" or "~" or "null" or "Null" or "NULL");
                return new ConfigScalar(path, line, isNull ? null : s.Value);
            case YamlSequenceNode seq:
                var items = new List<ConfigNode>(seq.Children.Count);
                for (int i = 0; i < seq.Children.Count; i++)
                {
                    items.Add(FromYaml(seq.Children[i], Item(path, i)));
                }

                return new ConfigList(path, line, items);
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<ConfigScalar, ConfigNode>>(map.Children.Count);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var kv in map.Children)
                {
                    int keyLine = (int)kv.Key.Start.Line;
                    if (kv.Key is not YamlScalarNode { Value: { } key })
                    {
                        throw new ConfigSyntaxException(keyLine, (int)kv.Key.Start.Column, $"{Where(path)}a key must be a plain value");
                    }

                    if (!seen.Add(key))
                    {
                        throw new ConfigSyntaxException(keyLine, (int)kv.Key.Start.Column, $"{Where(path)}the key '{key}' occurs twice");
                    }

                    var child = Child(path, key);
                    entries.Add(new(new ConfigScalar(child, keyLine, key), FromYaml(kv.Value, child)));
                }

                return new ConfigMap(path, line, entries);
            default:
                throw new ConfigSyntaxException(line, (int)node.Start.Column, $"{Where(path)}aliases and tags are not supported");
        }
    }

    private static ConfigNode FromJson(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<ConfigScalar, ConfigNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    if (!seen.Add(p.Name))
                    {
                        throw new ConfigSyntaxException(0, 0, $"{Where(path)}the key '{p.Name}' occurs twice");
                    }

                    var child = Child(path, p.Name);
                    entries.Add(new(new ConfigScalar(child, null, p.Name), FromJson(p.Value, child)));
                }

                return new ConfigMap(path, null, entries);
            case JsonValueKind.Array:
                var items = new List<ConfigNode>();
                int i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    items.Add(FromJson(item, Item(path, i++)));
                }

                return new ConfigList(path, null, items);
            case JsonValueKind.String:
                return new ConfigScalar(path, null, e.GetString());
            case JsonValueKind.True:
                return new ConfigScalar(path, null, "yes");
            case JsonValueKind.False:
                return new ConfigScalar(path, null, "no");
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return new ConfigScalar(path, null, null);
            default:
                return new ConfigScalar(path, null, e.GetRawText());
        }
    }

    private static string Where(string path) => path.Length == 0 ? string.Empty : path + ": ";
}

/// <summary>A scalar; <see cref="Value"/> is null for YAML <c>~</c>, <c>null</c> or nothing, and JSON <c>null</c>. A map's key is a scalar too.</summary>
public sealed class ConfigScalar : ConfigNode
{
    /// <summary>Creates a scalar (tests and loaders that synthesise a default node).</summary>
    /// <param name="path">Key path.</param>
    /// <param name="line">Line, or null.</param>
    /// <param name="value">The text, or null.</param>
    public ConfigScalar(string path, int? line, string? value)
        : base(path, line) => Value = value;

    /// <summary>The text, or null for a null value.</summary>
    public string? Value { get; }

    /// <inheritdoc/>
    public override string Kind => Value is null ? "nothing" : "a value";

    /// <inheritdoc/>
    public override string ToString() => Value ?? "null";
}

/// <summary>A map, in file order; keys are distinct.</summary>
public sealed class ConfigMap : ConfigNode
{
    /// <summary>Creates a map.</summary>
    /// <param name="path">Key path.</param>
    /// <param name="line">Line, or null.</param>
    /// <param name="entries">Key scalars (with their lines) and values, in file order.</param>
    public ConfigMap(string path, int? line, IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> entries)
        : base(path, line) => Entries = entries;

    /// <summary>Key scalars (with their lines) and values, in file order.</summary>
    public IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Entries { get; }

    /// <summary>The entries as (key text, value), in file order, for loaders that do not need the key's own line.</summary>
    public IEnumerable<(string Key, ConfigNode Value)> Pairs => Entries.Select(e => (e.Key.Value ?? string.Empty, e.Value));

    /// <inheritdoc/>
    public override string Kind => "a map";

    /// <summary>The value of <paramref name="key"/> (exact, case-sensitive), or null when absent.</summary>
    public ConfigNode? this[string key]
    {
        get
        {
            foreach (var kv in Entries)
            {
                if (string.Equals(kv.Key.Value, key, StringComparison.Ordinal))
                {
                    return kv.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Whether the map has <paramref name="key"/>.</summary>
    public bool Has(string key) => this[key] is not null;
}

/// <summary>A list.</summary>
public sealed class ConfigList : ConfigNode
{
    /// <summary>Creates a list.</summary>
    /// <param name="path">Key path.</param>
    /// <param name="line">Line, or null.</param>
    /// <param name="items">The items.</param>
    public ConfigList(string path, int? line, IReadOnlyList<ConfigNode> items)
        : base(path, line) => Items = items;

    /// <summary>The items in order.</summary>
    public IReadOnlyList<ConfigNode> Items { get; }

    /// <inheritdoc/>
    public override string Kind => "a list";

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"list of {Items.Count}");
}
