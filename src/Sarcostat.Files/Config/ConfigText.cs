using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sarcostat.Files.Config;

/// <summary>
/// The one guarded entry to YAML and JSON configuration text (mappings, protocols, amendments): parses it with bounded
/// size, nesting and no aliases, and turns every syntax error into a <see cref="ConfigSyntaxException"/> that names
/// the line and column, so that every loader reports malformed text the same way and no parser exception reaches the
/// user.
/// </summary>
/// <remarks>
/// Why aliases are refused: YAML aliases (<c>*name</c>) let a few hundred bytes describe an exponentially large tree
/// ("billion laughs"); YamlDotNet's representation model shares the aliased node, but every walk over the tree (ours
/// included) expands it. Configuration files of Sarcostat never need them, so an alias is a located error found
/// while scanning the parser's events, before any tree is built. Nesting is bounded because tree building recurses
/// (a stack overflow cannot be caught), and size because a configuration file is small.
/// </remarks>
public static class ConfigText
{
    /// <summary>The largest configuration file read, in characters (1 MiB; the shipped protocols are about 10 KB).</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>The deepest nesting of maps and lists accepted (the shipped protocols nest 6 deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>Whether a file name or format hint means JSON (<c>.json</c>), else YAML.</summary>
    public static bool IsJson(string fileName) => fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses YAML text into its first document's root node, or null when the text holds no document (empty or only
    /// comments).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="singleDocument">Refuse a second document (<c>---</c>) rather than ignore it.</param>
    /// <exception cref="ConfigSyntaxException">The text is not well-formed YAML, too large, too deep, binary, or uses aliases.</exception>
    public static YamlNode? LoadYaml(string text, bool singleDocument = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckText(text, "YAML");
        Scan(text, singleDocument);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Syntax(text, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Scan has already read every event, so this is a defect of the representation model on odd input
            // (YamlDotNet 16 throws InvalidOperationException when the text ends inside a flow collection).
            throw new ConfigSyntaxException(0, 0, "not well-formed YAML: " + Clean(e.Message));
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>Parses JSON text (comments and trailing commas allowed); the caller disposes the document.</summary>
    /// <exception cref="ConfigSyntaxException">The text is not well-formed JSON, too large, too deep or binary.</exception>
    public static JsonDocument ParseJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckText(text, "JSON");
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            var message = e.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            throw new ConfigSyntaxException((int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, "not well-formed JSON: " + message);
        }
    }

    private static void CheckText(string text, string format)
    {
        if (text.Length > MaxChars)
        {
            throw new ConfigSyntaxException(0, 0, string.Create(CultureInfo.InvariantCulture,
                $"the file has {text.Length:N0} characters; a {format} configuration file may have at most {MaxChars:N0}"));
        }

        // A NUL or another C0 control character (other than tab, line feed, carriage return) means a binary file
        // (a workbook given as a mapping, say): say so, rather than quote the parser's complaint about a character.
        for (int i = 0, line = 1, column = 1; i < text.Length; i++, column++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                column = 0;
            }
            else if (c < ' ' && c is not '\t' and not '\r')
            {
                throw new ConfigSyntaxException(line, column, string.Create(CultureInfo.InvariantCulture,
                    $"not {format} text: a control character (U+{(int)c:X4}) was found; is this a binary file, such as a workbook?"));
            }
        }
    }

    /// <summary>Reads every parser event once: aliases, nesting depth and extra documents are refused here, before any tree is built.</summary>
    private static void Scan(string text, bool singleDocument)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0, documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        throw new ConfigSyntaxException(Line(alias.Start), Column(alias.Start),
                            $"an alias (*{alias.Value}) is not supported here; write the values out (aliases can make a small file expand without bound)");
                    case MappingStart or SequenceStart:
                        if (++depth > MaxDepth)
                        {
                            throw new ConfigSyntaxException(Line(parser.Current.Start), Column(parser.Current.Start),
                                string.Create(CultureInfo.InvariantCulture, $"maps and lists are nested more than {MaxDepth} deep"));
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case DocumentStart start:
                        if (++documents > 1 && singleDocument)
                        {
                            throw new ConfigSyntaxException(Line(start.Start), Column(start.Start), "the file holds more than one YAML document (---); it must hold one");
                        }

                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw Syntax(text, e);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigSyntaxException(0, 0, "not well-formed YAML: " + Clean(e.Message) + "; a closing bracket may be missing");
        }
    }

    private static ConfigSyntaxException Syntax(string text, YamlException e)
    {
        // YamlDotNet's messages carry the position twice ("(Line: 3, Col: 5, Idx: 20) - (Line: ...): text"), and
        // a wrapping exception may hold the precise one.
        var at = e.InnerException as YamlException ?? e;
        var message = Clean(at.Message);
        var (line, column) = (Line(at.Start), Column(at.Start));
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTabIndent(text) is { } tab)
        {
            // For a tab used as indentation YamlDotNet points at the enclosing mapping (often line 1): point at the tab.
            (line, column) = tab;
        }

        return new ConfigSyntaxException(line, column, "not well-formed YAML: " + message);
    }

    /// <summary>The line and column of the first tab in a line's leading whitespace, if any.</summary>
    private static (int Line, int Column)? FirstTabIndent(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            for (int c = 0; c < lines[i].Length && lines[i][c] is ' ' or '\t'; c++)
            {
                if (lines[i][c] == '\t')
                {
                    return (i + 1, c + 1);
                }
            }
        }

        return null;
    }

    private static string Clean(string message)
    {
        int colon = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line", StringComparison.Ordinal) && colon >= 0)
        {
            message = message[(colon + 3)..];
        }

        return message.Trim().TrimEnd('.');
    }

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);
}

/// <summary>
/// Configuration text (YAML or JSON) that is not well-formed, too large, too deep, binary, or uses YAML aliases. Every
/// loader adds its file name; <see cref="Describe"/> gives the one message format.
/// </summary>
public sealed class ConfigSyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">1-based line, or 0 when unknown.</param>
    /// <param name="column">1-based column, or 0 when unknown.</param>
    /// <param name="reason">What is wrong, without the position.</param>
    public ConfigSyntaxException(int line, int column, string reason)
        : base(reason)
    {
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>Creates the exception with a message (tooling only).</summary>
    public ConfigSyntaxException()
        : this(0, 0, "not well-formed")
    {
    }

    /// <summary>Creates the exception with a message (tooling only).</summary>
    public ConfigSyntaxException(string message)
        : this(0, 0, message)
    {
    }

    /// <summary>Creates the exception with a message and cause (tooling only).</summary>
    public ConfigSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>1-based line, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>The position as text: <c>line 3, column 5</c>, <c>line 3</c>, or empty.</summary>
    public string Position => (Line, Column) switch
    {
        ( > 0, > 0) => string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}"),
        ( > 0, _) => string.Create(CultureInfo.InvariantCulture, $"line {Line}"),
        _ => string.Empty,
    };

    /// <summary>The one message format: <c>hospital_b.yaml line 3, column 5: not well-formed YAML: ...</c>.</summary>
    public string Describe(string fileName)
    {
        var end = Reason.EndsWith('.') || Reason.EndsWith('?') ? string.Empty : ".";
        return Position.Length == 0 ? $"{fileName}: {Reason}{end}" : $"{fileName} {Position}: {Reason}{end}";
    }
}
