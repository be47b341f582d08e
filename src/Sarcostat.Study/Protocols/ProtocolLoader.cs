using Sarcostat.Files.Config;

namespace Sarcostat.Study.Protocols;

/// <summary>
/// Loads study protocols from YAML or JSON text, from files, or from the protocols shipped with Sarcostat
/// (<c>chang2024</c>, <c>nakayama2022</c>), and checks them before anything runs (docs/protocol.md).
/// </summary>
public static class ProtocolLoader
{
    private const string ResourcePrefix = "Sarcostat.Study.Protocols.";

    /// <summary>The names of the shipped protocols, sorted.</summary>
    public static IReadOnlyList<string> ShippedNames { get; } = typeof(ProtocolLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".yaml".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Parses and checks a protocol: well-formed YAML or JSON, known keys, values of the right kind, and every name
    /// (fields, derived variables, levels, endpoints, item ids) known.
    /// </summary>
    /// <param name="text">The protocol text.</param>
    /// <param name="sourceName">The file name (for messages and provenance; its extension picks the format when <paramref name="format"/> is null).</param>
    /// <param name="format">The format, or null to take it from the extension (else: JSON when the text starts with '{').</param>
    /// <exception cref="ProtocolException">The protocol has problems; all of them are listed, each with file, line and key path.</exception>
    public static StudyProtocol Parse(string text, string sourceName, ProtocolFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var fmt = format ?? ProtocolReader.Detect(text, sourceName);
        ConfigNode root;
        try
        {
            root = ProtocolReader.Read(text, fmt);
        }
        catch (ProtocolSyntaxException e)
        {
            throw new ProtocolException([new ProtocolProblem(sourceName, string.Empty, e.Line, e.Message)]);
        }

        var (protocol, problems, lines) = ProtocolBinder.Bind(root, sourceName, text);
        if (problems.Count > 0 || protocol is null)
        {
            throw new ProtocolException(problems.Count > 0 ? problems : [new ProtocolProblem(sourceName, string.Empty, 0, "the protocol is empty")]);
        }

        var semantic = ProtocolValidator.Validate(protocol, lines);
        if (semantic.Count > 0)
        {
            throw new ProtocolException(semantic);
        }

        return protocol;
    }

    /// <summary>Reads and parses a protocol file (.yaml, .yml or .json).</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ProtocolException">The protocol has problems.</exception>
    public static StudyProtocol Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = File.ReadAllText(path);
        return Parse(text, Path.GetFileName(path));
    }

    /// <summary>A shipped protocol by name (<see cref="ShippedNames"/>).</summary>
    /// <exception cref="ArgumentException">No shipped protocol has this name.</exception>
    public static StudyProtocol Shipped(string name) => Parse(ShippedText(name), name + ".yaml", ProtocolFormat.Yaml);

    /// <summary>The YAML text of a shipped protocol (to show or copy as a starting point).</summary>
    /// <exception cref="ArgumentException">No shipped protocol has this name.</exception>
    public static string ShippedText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var stream = typeof(ProtocolLoader).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".yaml")
            ?? throw new ArgumentException(
                $"No shipped protocol is called '{name}'; the shipped protocols are {string.Join(", ", ShippedNames)}{ProtocolBinder.Suggest(name, ShippedNames)}.",
                nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A shipped protocol when <paramref name="nameOrPath"/> names one, else the protocol file at that path.</summary>
    /// <exception cref="FileNotFoundException">Neither a shipped protocol nor an existing file.</exception>
    /// <exception cref="ProtocolException">The protocol has problems.</exception>
    public static StudyProtocol Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (ShippedNames.Contains(nameOrPath, StringComparer.Ordinal))
        {
            return Shipped(nameOrPath);
        }

        if (!File.Exists(nameOrPath))
        {
            throw new FileNotFoundException(
                $"'{nameOrPath}' is neither a shipped protocol ({string.Join(", ", ShippedNames)}) nor a protocol file.", nameOrPath);
        }

        return Load(nameOrPath);
    }

    /// <summary>
    /// Checks a protocol built in code (or modified with <c>with</c>) as <see cref="Parse"/> checks a loaded one.
    /// </summary>
    /// <exception cref="ProtocolException">The protocol has problems.</exception>
    public static void Validate(StudyProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var problems = ProtocolValidator.Validate(protocol);
        if (problems.Count > 0)
        {
            throw new ProtocolException(problems);
        }
    }
}
