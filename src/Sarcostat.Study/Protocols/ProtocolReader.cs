using System.Globalization;
using Sarcostat.Files.Config;

namespace Sarcostat.Study.Protocols;

/// <summary>A syntax error of the protocol text (the binder turns it into a <see cref="ProtocolProblem"/>).</summary>
internal sealed class ProtocolSyntaxException(string message, int line) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>Reads a protocol's YAML or JSON text into the shared <see cref="ConfigNode"/> tree.</summary>
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

    /// <summary>The protocol's tree (the shared <see cref="ConfigNode"/> of every configuration file), with key paths and YAML lines.</summary>
    /// <exception cref="ProtocolSyntaxException">The text is not well-formed, or empty.</exception>
    public static ConfigNode Read(string text, ProtocolFormat format)
    {
        ConfigNode? root;
        try
        {
            // The shared guarded parser: bounded size and depth, no aliases, no repeated keys, syntax errors with
            // line and column, as for mapping and amendments files.
            root = ConfigNode.Parse(text, format == ProtocolFormat.Json);
        }
        catch (ConfigSyntaxException e)
        {
            // A protocol problem has a line but no column: the column goes into the message.
            throw new ProtocolSyntaxException(e.Column > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.Reason} (column {e.Column})") : e.Reason, e.Line);
        }

        return root ?? throw new ProtocolSyntaxException("the file is empty", 0);
    }
}
