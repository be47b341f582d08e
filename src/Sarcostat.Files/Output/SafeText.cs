using System.Globalization;
using System.Text;

namespace Sarcostat.Files.Output;

/// <summary>
/// Text from a user's files made safe to print on a terminal: a label can hold an escape sequence (ESC [ 31 m, a
/// cursor move, a title change) or a bidirectional override that makes a line read differently from what it says.
/// </summary>
public static class SafeText
{
    /// <summary>
    /// <paramref name="value"/> with every control character (C0 including tab and line breaks, DEL, C1), the line
    /// and paragraph separators and the bidirectional formatting characters written as a visible escape such as
    /// <c>\u001B</c>; every other character is kept.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(Unsafe))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 16);
        foreach (var ch in value)
        {
            AppendEscaped(sb, ch, keepLineBreaks: false);
        }

        return sb.ToString();
    }

    /// <summary>Whether <paramref name="ch"/> is written as an escape by <see cref="Escape"/>.</summary>
    public static bool IsUnsafe(char ch) => Unsafe.Contains(ch);

    /// <summary>Appends <paramref name="ch"/>, or its escape when it is unsafe (tab, CR and LF kept when <paramref name="keepLineBreaks"/>).</summary>
    internal static void AppendEscaped(StringBuilder sb, char ch, bool keepLineBreaks)
    {
        if (IsUnsafe(ch) && !(keepLineBreaks && ch is '\n' or '\r' or '\t'))
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"\\u{(int)ch:X4}"));
        }
        else
        {
            sb.Append(ch);
        }
    }

    // C0, DEL and C1 controls (char.IsControl), U+2028/2029, and the bidirectional marks, embeddings, overrides and
    // isolates (Unicode's "Trojan Source" characters).
    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(i => (char)i))
        + string.Concat(Enumerable.Range(0x7F, 0x21).Select(i => (char)i))
        + "\u061C\u200E\u200F\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
}

/// <summary>
/// A <see cref="TextWriter"/> for a terminal that writes unsafe characters (see <see cref="SafeText"/>) as visible
/// escapes, keeping tab, CR and LF: the last line of defence when a message quotes a label, a column name or a file
/// name from the user's data.
/// </summary>
public sealed class SafeTextWriter(TextWriter inner) : TextWriter(CultureInfo.InvariantCulture)
{
    private readonly TextWriter _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public override Encoding Encoding => _inner.Encoding;

    /// <inheritdoc/>
    public override IFormatProvider FormatProvider => _inner.FormatProvider;

    /// <inheritdoc/>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => _inner.NewLine;
        set => _inner.NewLine = value;
    }

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (SafeText.IsUnsafe(value) && value is not ('\n' or '\r' or '\t'))
        {
            var sb = new StringBuilder(6);
            SafeText.AppendEscaped(sb, value, keepLineBreaks: true);
            _inner.Write(sb.ToString());
        }
        else
        {
            _inner.Write(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        var sb = new StringBuilder(value.Length);
        foreach (var ch in value)
        {
            SafeText.AppendEscaped(sb, ch, keepLineBreaks: true);
        }

        _inner.Write(sb.ToString());
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        _inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine() => _inner.WriteLine();

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();
}
