using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sarcostat.Import.Reading.Csv;

/// <summary>
/// Runs of plain records: the fast path for callers that parse cells column by column (the engine commands'
/// columnar reader). A run is a sequence of consecutive records that the record-by-record path
/// (<see cref="Read"/>) would return with no problem and in the same rows; anything else ends the run and is left to
/// <see cref="Read"/>, so every problem and count stays that path's.
/// </summary>
public sealed partial class CsvRecordReader
{
    /// <summary>Remaining bytes under which <see cref="ReadRun"/> reads more input before looking for a run.</summary>
    private const int RunRefill = 8 * 1024;

    /// <summary>The most bytes one <see cref="ReadRun"/> indexes (a record longer than this is read by <see cref="Read"/>).</summary>
    private const int RunWindow = 1 << 20;

    // _runStops[0] is the byte before the run; then the positions of the separators and line feeds of the run, in
    // order: field k of record r ends at _runStops[r * F + k + 1] and starts after _runStops[r * F + k].
    private int[] _runStops = [];
    private int[] _runLines = [];
    private int[] _runQuotes = [];
    private int _runCount;
    private int _runFields;

    /// <summary>The spreadsheet row of the first record of the last run (the run's rows are consecutive).</summary>
    public int RunFirstRow { get; private set; }

    /// <summary>
    /// Moves past a run of plain records and returns how many (at most <paramref name="maxRecords"/>), or 0 when the
    /// next record is not plain (or at the end): then <see cref="Read"/> reads it, with its problems. Plain means what
    /// <see cref="Read"/> would return without a problem, reading the same bytes: as many cells as the header, not
    /// blank, ending in LF or CRLF, no control character, no line break inside quotes, every quote opening or closing
    /// a whole field with no quote inside it, and within the field and record limits. The run's cells are
    /// <see cref="GetRunSpan"/>; they are valid until the next call that reads. The run's records count in
    /// <see cref="RowsRead"/> and <see cref="Row"/> is the last one's row; <see cref="FieldCount"/> is 0 and
    /// <see cref="GetSpan"/> empty until the next <see cref="Read"/>.
    /// </summary>
    /// <remarks>
    /// One vectorised pass over the buffered bytes finds the separators, line feeds, quotes and bytes that need a
    /// closer look (controls, CR, the lead byte of a C1 control); a record is then checked by its line feed being the
    /// header's cell count of stops after the previous one. Files that mix UTF-8 with another encoding have no runs
    /// (the record path checks each field).
    /// </remarks>
    /// <param name="maxRecords">The most records to take (the caller's batch size).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadRun(int maxRecords = int.MaxValue)
    {
        _runCount = 0;
        int fields = _header.Length;
        if (Stopped || fields == 0 || _checkUtf8 || maxRecords <= 0 || Array.IndexOf(Candidates, _sep) < 0)
        {
            return 0;
        }

        if (!_eof && _end - _pos < RunRefill && !(_pos == 0 && _end == _buf.Length))
        {
            Fill();
        }

        // At most RunWindow bytes at once: the index arrays stay small when a long record has grown the buffer.
        int from = _pos, end = Math.Min(_end, _pos + RunWindow);
        if (end - from < 2)
        {
            return 0;
        }

        if (_runStops.Length < end - from + 2)
        {
            int size = Math.Min(_buf.Length, RunWindow);
            _runStops = new int[size + 2];
            _runLines = new int[size + 1];
            _runQuotes = new int[size + 1];
        }

        int barrier = IndexRun(from, end, out int nStops, out int nLines, out int nQuotes);
        var stops = _runStops;
        var lines = _runLines;
        var quotes = _runQuotes;
        int limit = Math.Min(_options.MaxFieldBytes, _options.MaxRecordBytes);
        int take = Math.Min(nLines, maxRecords);
        int r = 0, q = 0, start = from;
        for (; r < take; r++)
        {
            int lf = lines[r], last = (r * fields) + fields;
            if (lf >= barrier || last >= nStops + 1 || stops[last] != lf || lf + 1 - start > limit)
            {
                break;
            }

            // Quotes only around whole fields, with none inside (else the record path decides).
            if (q < nQuotes && quotes[q] < lf && !QuotesWrapFields(r * fields, fields, lf, ref q))
            {
                break;
            }

            if (!HasVisibleAscii(start, lf))
            {
                break;
            }

            start = lf + 1;
        }

        if (r == 0)
        {
            return 0;
        }

        _runCount = r;
        _runFields = fields;
        _count = 0;     // GetSpan and FieldCount are the record path's: nothing stale after a run
        RunFirstRow = _nextRow;
        _nextRow += r;
        Row = _nextRow - 1;
        IsMalformed = false;
        RowsRead += r;
        _pos = start;
        return r;
    }

    /// <summary>The bytes the records of the last run take in the file, line ends included (0 after no run): with
    /// <see cref="RunCount"/>, an estimate of the bytes per record, to size arrays from the file's length.</summary>
    public long RunBytes => _runCount == 0 ? 0 : _runStops[_runCount * _runFields] - _runStops[0];

    /// <summary>The records of the last run (0 after no run).</summary>
    public int RunCount => _runCount;

    /// <summary>The bytes of field <paramref name="column"/> of record <paramref name="record"/> of the last run (quotes removed), as <see cref="GetSpan"/> gives them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetRunSpan(int record, int column)
    {
        if ((uint)record >= (uint)_runCount || (uint)column >= (uint)_runFields)
        {
            return [];
        }

        int i = (record * _runFields) + column;
        int s = _runStops[i] + 1, e = _runStops[i + 1];
        var buf = _buf;
        if (column == _runFields - 1 && e > s && buf[e - 1] == Cr)
        {
            e--;
        }

        if (e > s && buf[s] == Quote)
        {
            s++;
            e--;
        }

        return buf.AsSpan(s, e - s);
    }

    /// <summary>
    /// Whether every quote of the record (from <paramref name="q"/> on, before <paramref name="lf"/>) is the first or
    /// last byte of a field that has exactly those two; moves <paramref name="q"/> past the record's quotes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool QuotesWrapFields(int first, int fields, int lf, ref int q)
    {
        var stops = _runStops;
        var quotes = _runQuotes;
        for (int k = 0; k < fields; k++)
        {
            int s = stops[first + k] + 1, e = stops[first + k + 1];
            if (k == fields - 1 && e > s && _buf[e - 1] == Cr)
            {
                e--;
            }

            if (q >= quotes.Length || quotes[q] >= e || quotes[q] >= lf)
            {
                continue;
            }

            if (quotes[q] != s || e - s < 2 || quotes[q + 1] != e - 1)
            {
                return false;
            }

            q += 2;
            if (quotes[q] < e)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A byte that makes a record not blank: printable ASCII other than the separator and the quote (a record of other bytes only is left to the record path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasVisibleAscii(int start, int lf)
    {
        var buf = _buf;
        for (int i = start; i < lf; i++)
        {
            byte b = buf[i];
            if (b > 0x20 && b < 0x7F && b != _sep && b != Quote)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The structural pass of a run over [<paramref name="from"/>, <paramref name="end"/>): separators and line feeds
    /// (stops), line feeds, quotes; returns the first byte a run must not cross (a control character, a CR not before
    /// an LF, a C1 control, or a byte whose next one is not read yet), or <paramref name="end"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int IndexRun(int from, int end, out int nStops, out int nLines, out int nQuotes)
    {
        var stops = _runStops;
        var lines = _runLines;
        var quotes = _runQuotes;
        ref byte b = ref MemoryMarshal.GetArrayDataReference(_buf);
        byte sep = _sep;
        int ns = 1, nl = 0, nq = 0, i = from;
        stops[0] = from - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(sep);
            var vl = Vector256.Create(Lf);
            var vq = Vector256.Create(Quote);
            var vt = Vector256.Create((byte)'\t');
            var v20 = Vector256.Create((byte)0x20);
            var vdel = Vector256.Create((byte)0x7F);
            var vc2 = Vector256.Create((byte)0xC2);
            for (; i + 32 <= end; i += 32)
            {
                var v = Vector256.LoadUnsafe(ref b, (nuint)i);
                var isLf = Vector256.Equals(v, vl);
                uint stopBits = (Vector256.Equals(v, vs) | isLf).ExtractMostSignificantBits();
                uint lineBits = isLf.ExtractMostSignificantBits();
                var odd = (Vector256.LessThan(v, v20) & ~(isLf | Vector256.Equals(v, vt))) | Vector256.Equals(v, vdel) | Vector256.Equals(v, vc2);
                uint quoteBits = Vector256.Equals(v, vq).ExtractMostSignificantBits();
                uint oddBits = odd.ExtractMostSignificantBits();
                while (stopBits != 0)
                {
                    stops[ns++] = i + BitOperations.TrailingZeroCount(stopBits);
                    stopBits &= stopBits - 1;
                }

                while (lineBits != 0)
                {
                    lines[nl++] = i + BitOperations.TrailingZeroCount(lineBits);
                    lineBits &= lineBits - 1;
                }

                while (quoteBits != 0)
                {
                    quotes[nq++] = i + BitOperations.TrailingZeroCount(quoteBits);
                    quoteBits &= quoteBits - 1;
                }

                while (oddBits != 0)
                {
                    int at = i + BitOperations.TrailingZeroCount(oddBits);
                    oddBits &= oddBits - 1;
                    if (!Harmless(at, end))
                    {
                        return Done(at, ns, nl, nq, out nStops, out nLines, out nQuotes);
                    }
                }
            }
        }

        for (; i < end; i++)
        {
            byte c = _buf[i];
            if (c == sep || c == Lf)
            {
                stops[ns++] = i;
                if (c == Lf)
                {
                    lines[nl++] = i;
                }
            }
            else if (c == Quote)
            {
                quotes[nq++] = i;
            }
            else if (((c < 0x20 && c != (byte)'\t') || c == 0x7F || c == 0xC2) && !Harmless(i, end))
            {
                return Done(i, ns, nl, nq, out nStops, out nLines, out nQuotes);
            }
        }

        return Done(end, ns, nl, nq, out nStops, out nLines, out nQuotes);
    }

    private int Done(int barrier, int ns, int nl, int nq, out int nStops, out int nLines, out int nQuotes)
    {
        // A sentinel after the last quote, so that the quote check may look one further.
        _runQuotes[nq] = int.MaxValue;
        nStops = ns - 1;
        nLines = nl;
        nQuotes = nq;
        return barrier;
    }

    /// <summary>A CR right before an LF (a CRLF line end) or 0xC2 leading a character that is not a C1 control (such as a no-break space).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Harmless(int at, int end)
    {
        if (at + 1 >= end)
        {
            return false;
        }

        byte c = _buf[at], next = _buf[at + 1];
        return (c == Cr && next == Lf) || (c == 0xC2 && next is not (>= 0x80 and <= 0x9F));
    }
}
