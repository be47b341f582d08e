using System.Runtime.CompilerServices;
using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;
using Sarcostat.Cohort;

namespace Sarcostat.Import.Reading.Csv;

/// <summary>
/// The one strict CSV reader of Sarcostat (engine commands and cohort import). Streams UTF-8 bytes through one pooled
/// buffer and exposes each record's fields as byte spans: no string is made unless a caller asks for a cell's text,
/// and numbers parse straight from the bytes (<see cref="TryGetDouble"/>).
/// </summary>
/// <remarks>
/// <para>Format: RFC 4180 quoting (a field may be quoted; a quote inside it is doubled); the separator is detected
/// among comma, semicolon, tab and pipe (or given; Excel's <c>sep=;</c> first line is honoured and is not a row);
/// CRLF, LF or CR line ends; UTF-8 with or without a byte order mark, UTF-16 with one. Text that is not valid UTF-8 is
/// read as Windows-1252 (transcoded to UTF-8 first) and a <see cref="CsvRuleCodes.NotUtf8"/> warning says so, unless
/// the file also holds valid multi-byte UTF-8: then it is read as UTF-8 and each field that is not valid UTF-8 is an
/// error (<see cref="CsvRuleCodes.InvalidUtf8"/>), since either reading would mangle some of its text.</para>
/// <para>Nothing is dropped silently. Every problem is a <see cref="CohortProblem"/> with the file, the spreadsheet
/// row (the header is row 1; blank lines are skipped but counted) and the column, in <see cref="Problems"/>:
/// a row with a structural problem (<see cref="CsvRuleCodes.CellCount"/>, <see cref="CsvRuleCodes.TextAfterQuote"/>,
/// <see cref="CsvRuleCodes.StrayQuote"/>, <see cref="CsvRuleCodes.ControlCharacter"/>) is still returned, with
/// <see cref="IsMalformed"/> set, and counted in <see cref="RowsRejected"/>; a quote never closed (to the end of the
/// file or over <see cref="CsvReadOptions.MaxFieldBytes"/>) and an over-long field or record stop reading with an
/// error located where the field (for a quote: the quote) opened, and <see cref="Stopped"/> is set. While not stopped,
/// <see cref="RowsRead"/> + <see cref="RowsRejected"/> = the non-blank data rows of the file.</para>
/// <para>Messages never echo a field's value (it may be identifying or huge); a control character is shown escaped.</para>
/// </remarks>
public sealed partial class CsvRecordReader : IDisposable
{
    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const int DetectBytes = 16 * 1024;
    private const int DetectLines = 32;

    /// <summary>Bytes indexed at once by <see cref="IndexStops"/> (the index holds at most this many positions).</summary>
    private const int IndexBlock = 8 * 1024;

    /// <summary>C0 controls other than tab and the line breaks, DEL, and 0xC2 (the lead byte of the C1 controls U+0080-U+009F in UTF-8, checked further).</summary>
    private static readonly SearchValues<byte> Controls = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0B, 0x0C, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F, 0xC2]);

    private static readonly byte[] Candidates = [(byte)',', (byte)';', (byte)'\t', (byte)'|'];

    private readonly Stream _stream;
    private readonly CsvReadOptions _options;
    private readonly List<CohortProblem> _problems = [];
    private readonly List<CohortProblem> _pending = [];
    private readonly SearchValues<byte> _lineStops;
    private readonly byte _sep;
    private readonly bool _checkUtf8;
    private byte[] _buf;
    private int _pos;
    private int _end;
    private bool _eof;
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];
    private int _count;

    // The structural index: positions (in _buf) of every separator, quote, CR and LF in [_indexFrom, _indexTo), in
    // order, and the first one not yet passed. Made a block at a time, cleared when Fill moves the bytes.
    private readonly int[] _stopAt = new int[IndexBlock];
    private int _stopCount;
    private int _stopNext;
    private int _indexFrom;
    private int _indexTo;

    // Bytes before _cleanTo (from the last Fill) hold no control character: checked a block at a time, not per record.
    private int _cleanTo;

    // The current record has a quoted field (doubled quotes to undo).
    private bool _quoted;
    private int _nextRow = 1;
    private string[] _header = [];

    private CsvRecordReader(Stream stream, string file, CsvReadOptions options, bool notUtf8, bool mixed)
    {
        _stream = stream;
        _checkUtf8 = mixed;
        _options = options;
        File = file;
        _buf = ArrayPool<byte>.Shared.Rent(options.BufferBytes);
        if (notUtf8)
        {
            NotUtf8 = true;
            _problems.Add(new CohortProblem(file, null, null, CsvRuleCodes.NotUtf8, null, "UTF-8 text", Severity.Warning,
                "The file was read as Windows-1252; save it as UTF-8 (\"CSV UTF-8\" in Excel)."));
        }

        FillForDetection();
        if (_end - _pos >= 3 && _buf[_pos] == 0xEF && _buf[_pos + 1] == 0xBB && _buf[_pos + 2] == 0xBF)
        {
            _pos += 3;
        }

        _sep = options.Separator is { } given ? checked((byte)given) : SeparatorHint() ?? Detect(_buf.AsSpan(_pos, _end - _pos));
        _lineStops = SearchValues.Create([_sep, Cr, Lf]);
        ReadHeader();
    }

    static CsvRecordReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The file name as problems show it.</summary>
    public string File { get; }

    /// <summary>The separator in use.</summary>
    public char Separator => (char)_sep;

    /// <summary>The file was not valid UTF-8 and is read as Windows-1252 (a warning is in <see cref="Problems"/>).</summary>
    public bool NotUtf8 { get; }

    /// <summary>The header cells, trimmed (empty when the file has no row at all).</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>The spreadsheet row of the header (1 unless blank lines come first).</summary>
    public int HeaderRow { get; private set; }

    /// <summary>Every problem found so far (errors and warnings), in file order.</summary>
    public IReadOnlyList<CohortProblem> Problems => _problems;

    /// <summary>Whether any problem so far is an error.</summary>
    public bool HasErrors => _problems.Exists(p => p.Severity == Severity.Error);

    /// <summary>Reading stopped early at a problem that leaves the rest of the file unreadable (an unclosed quote, an over-long field or record).</summary>
    public bool Stopped { get; private set; }

    /// <summary>The spreadsheet row of the current record.</summary>
    public int Row { get; private set; }

    /// <summary>Number of fields of the current record.</summary>
    public int FieldCount => _count;

    /// <summary>The current record has a structural problem (reported in <see cref="Problems"/>); its fields are what could be read.</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>Non-blank data rows returned without a problem.</summary>
    public int RowsRead { get; private set; }

    /// <summary>Non-blank data rows with a structural problem (returned with <see cref="IsMalformed"/>, or where reading stopped).</summary>
    public int RowsRejected { get; private set; }

    /// <summary>Blank lines (or rows of empty cells only) skipped after the header.</summary>
    public int BlankRows { get; private set; }

    /// <summary>Opens a CSV file (see the class remarks for the encodings).</summary>
    /// <param name="path">The file.</param>
    /// <param name="file">The name problems show (default: the path as given).</param>
    /// <param name="options">Limits (default: <see cref="CsvReadOptions.Default"/>).</param>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static CsvRecordReader Open(string path, string? file = null, CsvReadOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            if (!stream.CanSeek)
            {
                throw new IOException("Not a regular file (a pipe or a device): the encoding check reads it twice.");
            }

            return FromStream(stream, file ?? path, options);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads CSV bytes held in memory (tests, embedded data).</summary>
    public static CsvRecordReader FromBytes(byte[] data, string file, CsvReadOptions? options = null) =>
        FromStream(new MemoryStream(data, writable: false), file, options);

    /// <summary>Reads a seekable stream of CSV bytes; the reader owns and disposes it.</summary>
    /// <exception cref="ArgumentException">The stream cannot seek (the encoding check reads it twice).</exception>
    public static CsvRecordReader FromStream(Stream stream, string file, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        }

        Span<byte> head = stackalloc byte[3];
        int n = stream.ReadAtLeast(head, 3, throwOnEndOfStream: false);
        stream.Position = 0;
        Encoding? source = n >= 2 && head[0] == 0xFF && head[1] == 0xFE ? Encoding.Unicode
            : n >= 2 && head[0] == 0xFE && head[1] == 0xFF ? Encoding.BigEndianUnicode
            : null;
        bool notUtf8 = false;
        var scan = source is null ? ScanUtf8(stream) : Utf8Scan.Valid;
        bool mixed = scan == Utf8Scan.Mixed;
        if (scan == Utf8Scan.Windows1252)
        {
            // Not UTF-8: Windows-1252 (what Excel writes as "CSV" on Western Windows), transcoded so the parser sees UTF-8.
            source = Encoding.GetEncoding(1252);
            notUtf8 = true;
            stream.Position = n == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        }
        else
        {
            stream.Position = 0;
        }

        var input = source is null ? stream : Encoding.CreateTranscodingStream(stream, source, Encoding.UTF8, leaveOpen: false);
        return new CsvRecordReader(input, file, options ?? CsvReadOptions.Default, notUtf8, mixed);
    }

    /// <summary>Moves to the next non-blank data record (a malformed one too: see <see cref="IsMalformed"/>); false at the end or when reading stopped.</summary>
    public bool Read()
    {
        while (ParseNext())
        {
            if (IsMalformed)
            {
                RowsRejected++;
                return true;
            }

            if (IsBlankRecord())
            {
                BlankRows++;
                continue;
            }

            if (_count != _header.Length)
            {
                IsMalformed = true;
                RowsRejected++;
                _problems.Add(new CohortProblem(File, Row, null, CsvRuleCodes.CellCount, null,
                    string.Create(CultureInfo.InvariantCulture, $"{_header.Length} cells as in the header, found {_count}"),
                    Severity.Error, "Check for a stray separator or an unquoted separator in a value."));
                return true;
            }

            RowsRead++;
            return true;
        }

        return false;
    }

    /// <summary>The bytes of a field of the current record (quotes removed, doubled quotes undone); empty past the last field.</summary>
    public ReadOnlySpan<byte> GetSpan(int column) =>
        (uint)column < (uint)_count ? _buf.AsSpan(_starts[column], _lengths[column]) : [];

    /// <summary>The text of a field of the current record (not trimmed); empty past the last field.</summary>
    public string GetString(int column) => Encoding.UTF8.GetString(GetSpan(column));

    /// <summary>Whether a field is empty or spaces and tabs only.</summary>
    public bool IsEmpty(int column) => GetSpan(column).Trim(" \t"u8).IsEmpty;

    /// <summary>
    /// Parses a field as a finite number, invariant culture (a dot for decimals, an exponent allowed), straight from
    /// its bytes; spaces and tabs around it are allowed. False for text, an empty field, NaN or infinity.
    /// </summary>
    public bool TryGetDouble(int column, out double value) =>
        double.TryParse(GetSpan(column).Trim(" \t"u8), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        var buf = _buf;
        _buf = [];
        if (buf.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }

    private enum Utf8Scan
    {
        Valid,
        Windows1252,
        Mixed,
    }

    /// <summary>
    /// Whether a stream is valid UTF-8, read in pooled blocks (a sequence cut by a block's end is carried to the next);
    /// when not, whether it also holds valid multi-byte UTF-8 (mixed: read as UTF-8, the bad fields are errors) or none
    /// (Windows-1252).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Utf8Scan ScanUtf8(Stream stream)
    {
        var buf = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int carry = 0;
            bool invalid = false, multibyte = false;
            while (true)
            {
                int n = stream.Read(buf, carry, buf.Length - carry);
                bool last = n == 0;
                int len = carry + n, cut = len;
                for (int i = len - 1; !last && i >= Math.Max(0, len - 4); i--)
                {
                    if ((buf[i] & 0xC0) != 0x80)
                    {
                        cut = buf[i] < 0x80 ? len : i;
                        break;
                    }
                }

                var block = buf.AsSpan(0, cut);
                if (Utf8.IsValid(block))
                {
                    multibyte |= !Ascii.IsValid(block);
                }
                else
                {
                    invalid = true;
                    for (int i = 0; i < block.Length && !multibyte;)
                    {
                        int at = block[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                        if (at < 0)
                        {
                            break;
                        }

                        i += at;
                        var status = Rune.DecodeFromUtf8(block[i..], out _, out int used);
                        multibyte = status == OperationStatus.Done;
                        i += Math.Max(1, used);
                    }
                }

                if (invalid && multibyte)
                {
                    return Utf8Scan.Mixed;
                }

                if (last)
                {
                    return invalid ? Utf8Scan.Windows1252 : Utf8Scan.Valid;
                }

                carry = len - cut;
                buf.AsSpan(cut, carry).CopyTo(buf);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }

    /// <summary>
    /// Picks the separator of the first lines: among the candidates found in the first line, the one whose count per
    /// line matches the first line's on most of the next lines (up to 32), then the most frequent, then the order
    /// comma, semicolon, tab, pipe. A comma when none is in the first line (one column). Quoted text is not counted.
    /// </summary>
    internal static byte Detect(ReadOnlySpan<byte> data)
    {
        Span<int> first = stackalloc int[Candidates.Length];
        Span<int> line = stackalloc int[Candidates.Length];
        Span<int> agree = stackalloc int[Candidates.Length];
        int lines = 0;
        bool inQuote = false, any = false;
        for (int i = 0; i <= data.Length && lines < DetectLines; i++)
        {
            byte b = i < data.Length ? data[i] : Lf;
            if (b == Quote)
            {
                inQuote = !inQuote;
                any = true;
            }
            else if (!inQuote && (b == Lf || b == Cr))
            {
                if (!any)
                {
                    continue;
                }

                for (int c = 0; c < Candidates.Length; c++)
                {
                    if (lines == 0)
                    {
                        first[c] = line[c];
                    }
                    else if (line[c] == first[c])
                    {
                        agree[c]++;
                    }

                    line[c] = 0;
                }

                lines++;
                any = false;
            }
            else
            {
                any = true;
                if (!inQuote)
                {
                    int c = Candidates.AsSpan().IndexOf(b);
                    if (c >= 0)
                    {
                        line[c]++;
                    }
                }
            }
        }

        int best = -1;
        for (int c = 0; c < Candidates.Length; c++)
        {
            if (first[c] > 0 && (best < 0 || agree[c] > agree[best] || (agree[c] == agree[best] && first[c] > first[best])))
            {
                best = c;
            }
        }

        return best < 0 ? (byte)',' : Candidates[best];
    }

    /// <summary>Excel's <c>sep=X</c> first line: the separator, and the line is skipped (it is not a spreadsheet row).</summary>
    private byte? SeparatorHint()
    {
        var s = _buf.AsSpan(_pos, _end - _pos);
        if (s.Length >= 5 && s[..4].SequenceEqual("sep="u8) && Array.IndexOf(Candidates, s[4]) >= 0 && (s.Length == 5 || s[5] is Cr or Lf))
        {
            int skip = 5 + (s.Length > 6 && s[5] == Cr && s[6] == Lf ? 2 : s.Length > 5 ? 1 : 0);
            byte sep = s[4];
            _pos += skip;
            return sep;
        }

        return null;
    }

    private void FillForDetection()
    {
        while (!_eof && _end - _pos < DetectBytes && _buf.AsSpan(_pos, _end - _pos).Count(Lf) < DetectLines)
        {
            Fill();
        }
    }

    private void ReadHeader()
    {
        while (ParseNext())
        {
            if (!IsMalformed && IsBlankRecord())
            {
                continue;
            }

            HeaderRow = Row;
            _header = new string[_count];
            for (int i = 0; i < _count; i++)
            {
                _header[i] = GetString(i).Trim();
            }

            return;
        }
    }

    /// <summary>Reads more bytes: moves the unread part to the front, doubles the buffer when a record fills it.</summary>
    private void Fill()
    {
        _stopCount = _stopNext = _indexFrom = _indexTo = _cleanTo = 0;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
            _end -= _pos;
            _pos = 0;
        }

        if (_end == _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buf.Length * 2);
            Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }

        int n = _stream.Read(_buf, _end, _buf.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }

    private enum Outcome
    {
        Record,
        Incomplete,
        End,
        Stop,
    }

    /// <summary>Parses the next record (blank or not), refilling the buffer as needed; false at the end or when stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ParseNext()
    {
        if (Stopped)
        {
            return false;
        }

        while (true)
        {
            var outcome = TryParse(out int next);
            switch (outcome)
            {
                case Outcome.Record when next - _pos > _options.MaxRecordBytes:
                    _pending.Clear();
                    _pending.Add(RecordTooLong());
                    goto case Outcome.Stop;
                case Outcome.Record:
                    Row = _nextRow++;
                    IsMalformed = _pending.Count > 0;
                    if (IsMalformed)
                    {
                        _problems.AddRange(_pending);
                    }

                    if (_quoted)
                    {
                        Unescape();
                    }

                    CheckControls(next);
                    _pos = next;
                    return true;
                case Outcome.End:
                    return false;
                case Outcome.Stop:
                    Stopped = true;
                    _problems.AddRange(_pending);
                    if (_header.Length > 0)
                    {
                        RowsRejected++;
                    }

                    return false;
                default:
                    if (_end - _pos > _options.MaxRecordBytes)
                    {
                        _pending.Clear();
                        _pending.Add(RecordTooLong());
                        goto case Outcome.Stop;
                    }

                    Fill();
                    break;
            }
        }
    }

    /// <summary>
    /// One attempt at the record starting at <see cref="_pos"/>: Incomplete when the buffer ends before it does and
    /// more input may come (the caller refills and parses it again from its start, so nothing is changed in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Outcome TryParse(out int next)
    {
        next = _pos;
        _pending.Clear();
        _count = 0;
        _quoted = false;
        if (_pos >= _end && _eof)
        {
            return Outcome.End;
        }

        int max = _options.MaxFieldBytes;
        int p = _pos;
        while (true)
        {
            int field = _count;
            int lineEnd;
            if (p < _end && _buf[p] == Quote)
            {
                int content = p + 1, q = content;
                while (true)
                {
                    int rel = _buf.AsSpan(q, _end - q).IndexOf(Quote);
                    int reach = rel < 0 ? _end : q + rel;
                    if (reach - content > max)
                    {
                        return Stop(CsvRuleCodes.UnclosedQuote, field,
                            string.Create(CultureInfo.InvariantCulture, $"the quote opened here to be closed within {max:N0} bytes"),
                            "Close the quote, or double a quote inside a value (\"\"). Nothing after this point was read.");
                    }

                    if (rel < 0 || (q + rel + 1 == _end && !_eof))
                    {
                        if (!_eof)
                        {
                            return Outcome.Incomplete;
                        }

                        return Stop(CsvRuleCodes.UnclosedQuote, field, "the quote opened here to be closed; it runs to the end of the file",
                            "Close the quote, or double a quote inside a value (\"\"). Nothing after this point was read.");
                    }

                    q += rel;
                    if (q + 1 < _end && _buf[q + 1] == Quote)
                    {
                        q += 2;
                        continue;
                    }

                    AddField(content, q - content, escaped: true);
                    p = q + 1;
                    break;
                }

                if (p >= _end)
                {
                    if (!_eof)
                    {
                        return Outcome.Incomplete;
                    }

                    next = p;
                    return Outcome.Record;
                }

                if (_buf[p] == _sep)
                {
                    p++;
                    continue;
                }

                if (_buf[p] is not (Cr or Lf))
                {
                    Pending(CsvRuleCodes.TextAfterQuote, field, "a separator or the end of the row right after a closing quote",
                        "Quote the whole value and double any quote inside it: \"ab\"\"c\".");
                    int rel = _buf.AsSpan(p, _end - p).IndexOfAny(_lineStops);
                    if ((rel < 0 ? _end : p + rel) - p > max)
                    {
                        return Stop(CsvRuleCodes.FieldTooLong, field,
                            string.Create(CultureInfo.InvariantCulture, $"a value of at most {max:N0} bytes"), "Reading stopped here: is this a CSV file?");
                    }

                    if (rel < 0)
                    {
                        if (!_eof)
                        {
                            return Outcome.Incomplete;
                        }

                        next = _end;
                        return Outcome.Record;
                    }

                    p += rel;
                    if (_buf[p] == _sep)
                    {
                        p++;
                        continue;
                    }
                }

                lineEnd = p;
            }
            else
            {
                int start = p;
                bool stray = false;
                while (true)
                {
                    int rel = FindStop(p);
                    int reach = rel < 0 ? _end : p + rel;
                    if (reach - start > max)
                    {
                        return Stop(CsvRuleCodes.FieldTooLong, field,
                            string.Create(CultureInfo.InvariantCulture, $"a value of at most {max:N0} bytes"), "Reading stopped here: is this a CSV file?");
                    }

                    if (rel < 0)
                    {
                        if (!_eof)
                        {
                            return Outcome.Incomplete;
                        }

                        AddField(start, _end - start, escaped: false);
                        next = _end;
                        return Outcome.Record;
                    }

                    p += rel;
                    if (_buf[p] == Quote)
                    {
                        if (!stray)
                        {
                            stray = true;
                            Pending(CsvRuleCodes.StrayQuote, field, "no quote inside a value that does not start with one",
                                "Quote the whole value and double the quote inside it (\"5\"\" nodule\"): other programs may read a stray quote differently.");
                        }

                        p++;
                        continue;
                    }

                    break;
                }

                AddField(start, p - start, escaped: false);
                if (_buf[p] == _sep)
                {
                    p++;
                    continue;
                }

                lineEnd = p;
            }

            // A line end: CRLF, LF or CR. A CR at the buffer's end may be the first half of a CRLF.
            if (_buf[lineEnd] == Cr)
            {
                if (lineEnd + 1 == _end && !_eof)
                {
                    return Outcome.Incomplete;
                }

                next = lineEnd + 1 < _end && _buf[lineEnd + 1] == Lf ? lineEnd + 2 : lineEnd + 1;
            }
            else
            {
                next = lineEnd + 1;
            }

            return Outcome.Record;
        }
    }

    /// <summary>
    /// Offset from <paramref name="p"/> of the next separator, quote or line break, or -1: read from the structural
    /// index (<see cref="IndexStops"/>), which finds every such byte of a block in one vectorised pass instead of a
    /// search per field.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int FindStop(int p)
    {
        if (p < _indexFrom)
        {
            _stopCount = _stopNext = _indexFrom = _indexTo = 0;
        }

        while (true)
        {
            var stops = _stopAt;
            for (int k = _stopNext; k < _stopCount; k++)
            {
                if (stops[k] >= p)
                {
                    _stopNext = k;
                    return stops[k] - p;
                }
            }

            _stopNext = _stopCount;
            int from = Math.Max(p, _indexTo);
            if (from >= _end)
            {
                return -1;
            }

            IndexStops(from);
        }
    }

    /// <summary>
    /// Indexes the separators, quotes and line breaks of up to <see cref="IndexBlock"/> bytes from
    /// <paramref name="from"/>: 32 (or 16) bytes compared at once with each of the four, the matches' bit mask walked
    /// with trailing-zero counts (the structural pass of simdjson-style parsers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IndexStops(int from)
    {
        int end = Math.Min(_end, from + IndexBlock);
        var stops = _stopAt;
        ref byte b = ref MemoryMarshal.GetArrayDataReference(_buf);
        byte sep = _sep;
        int n = 0, i = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(sep);
            var vq = Vector256.Create(Quote);
            var vr = Vector256.Create(Cr);
            var vl = Vector256.Create(Lf);
            for (; i + 32 <= end; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref b, (nuint)i);
                uint bits = (Vector256.Equals(v, vs) | Vector256.Equals(v, vq) | Vector256.Equals(v, vr) | Vector256.Equals(v, vl)).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    stops[n++] = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(sep);
            var vq = Vector128.Create(Quote);
            var vr = Vector128.Create(Cr);
            var vl = Vector128.Create(Lf);
            for (; i + 16 <= end; i += 16)
            {
                var v = Vector128.LoadUnsafe(ref b, (nuint)i);
                uint bits = (Vector128.Equals(v, vs) | Vector128.Equals(v, vq) | Vector128.Equals(v, vr) | Vector128.Equals(v, vl)).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    stops[n++] = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }

        for (; i < end; i++)
        {
            byte c = _buf[i];
            if (c == sep || c == Quote || c == Cr || c == Lf)
            {
                stops[n++] = i;
            }
        }

        _indexFrom = from;
        _indexTo = end;
        _stopCount = n;
        _stopNext = 0;
    }

    private CohortProblem RecordTooLong() =>
        new(File, _nextRow, null, CsvRuleCodes.RecordTooLong, null,
            string.Create(CultureInfo.InvariantCulture, $"a row of at most {_options.MaxRecordBytes:N0} bytes"),
            Severity.Error, "Reading stopped here: is this a CSV file?");

    private void AddField(int start, int length, bool escaped)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }

        _starts[_count] = start;

        // A quoted field's length is stored negative until its doubled quotes are undone (after the record is whole).
        _lengths[_count] = escaped ? ~length : length;
        _quoted |= escaped;
        _count++;
    }

    /// <summary>Undoes doubled quotes in the quoted fields of the complete record, in place.</summary>
    private void Unescape()
    {
        for (int f = 0; f < _count; f++)
        {
            if (_lengths[f] >= 0)
            {
                continue;
            }

            var span = _buf.AsSpan(_starts[f], ~_lengths[f]);
            int at = span.IndexOf(Quote);
            if (at < 0)
            {
                _lengths[f] = span.Length;
                continue;
            }

            int w = at;
            for (int r = at; r < span.Length; r++)
            {
                span[w++] = span[r];
                if (span[r] == Quote)
                {
                    r++;
                }
            }

            _lengths[f] = w;
        }
    }

    /// <summary>Reports the first control character of each field, and in a mixed file invalid UTF-8 (the row becomes malformed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckControls(int recordEnd)
    {
        // A vectorised search over a block of records first (separators, quotes and line breaks are not controls):
        // the field by field search runs only for a record holding a candidate.
        if (!_checkUtf8)
        {
            if (recordEnd > _cleanTo)
            {
                // One vectorised search over the next block (not per record): clean up to the first control found.
                // From the record's start, not from _cleanTo: undoing doubled quotes has moved this record's bytes.
                int from = _pos, limit = Math.Max(recordEnd, Math.Min(_end, from + IndexBlock));
                int at = _buf.AsSpan(from, limit - from).IndexOfAny(Controls);
                _cleanTo = at < 0 ? limit : from + at;
            }

            if (recordEnd <= _cleanTo)
            {
                return;
            }
        }

        for (int f = 0; f < _count; f++)
        {
            var span = _buf.AsSpan(_starts[f], _lengths[f]);
            if (_checkUtf8 && !Utf8.IsValid(span))
            {
                IsMalformed = true;
                _problems.Add(new CohortProblem(File, Row, ColumnName(f), CsvRuleCodes.InvalidUtf8, null,
                    "UTF-8 text, as in the rest of the file" + Cell(f), Severity.Error,
                    "The file mixes UTF-8 with another encoding: re-type the value, or save the file again as CSV UTF-8."));
            }

            int from = 0;
            while (true)
            {
                int at = span[from..].IndexOfAny(Controls);
                if (at < 0)
                {
                    break;
                }

                at += from;
                char found;
                if (span[at] != 0xC2)
                {
                    found = (char)span[at];
                }
                else if (at + 1 < span.Length && span[at + 1] is >= 0x80 and <= 0x9F)
                {
                    found = (char)span[at + 1];
                }
                else
                {
                    from = at + 1;
                    continue;
                }

                IsMalformed = true;
                _problems.Add(new CohortProblem(File, Row, ColumnName(f), CsvRuleCodes.ControlCharacter, new string(found, 1),
                    "text without control characters (only a tab, and line breaks inside quotes, are allowed)" + Cell(f), Severity.Error,
                    found == '\0' ? "A NUL byte often means a UTF-16 file without its byte order mark, or a damaged file: save it again as CSV UTF-8." : null));
                break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsBlankRecord()
    {
        for (int f = 0; f < _count; f++)
        {
            var span = GetSpan(f).Trim(" \t\r\n"u8);
            if (!span.IsEmpty && (Ascii.IsValid(span) || !string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(span))))
            {
                return false;
            }
        }

        return true;
    }

    private string? ColumnName(int field) =>
        field < _header.Length && _header[field].Length > 0 ? _header[field] : null;

    private string Cell(int field) =>
        ColumnName(field) is null ? string.Create(CultureInfo.InvariantCulture, $" (cell {field + 1})") : string.Empty;

    private void Pending(string rule, int field, string expected, string hint) =>
        _pending.Add(new CohortProblem(File, _nextRow, ColumnName(field), rule, null, expected + Cell(field), Severity.Error, hint));

    private Outcome Stop(string rule, int field, string expected, string hint)
    {
        Pending(rule, field, expected, hint);
        return Outcome.Stop;
    }
}
