using System.Text;
using System.Text.Unicode;

namespace Sarcostat.Import.Tests.Csv;

// Shared by the reader's fuzz test (Import.Tests) and the CLI's (Cli.Tests links this file).

/// <summary>A clean CSV file and the byte range of each of its data rows (line end included).</summary>
internal sealed record CleanCsv(byte[] Bytes, string[] Header, List<(int Start, int End, string[] Fields)> Rows)
{
    /// <summary>
    /// A valid file with the given header; each row is made by <paramref name="row"/> (index, random) as cells;
    /// cells holding a separator, quote or line break are quoted; line ends vary (LF, CRLF, CR) when asked.
    /// </summary>
    public static CleanCsv Make(Random rng, string[] header, int rows, Func<int, Random, string[]> row, bool mixedLineEnds)
    {
        var bytes = new List<byte>();
        var ranges = new List<(int, int, string[])>();
        string nl = mixedLineEnds ? new[] { "\n", "\r\n", "\r" }[rng.Next(3)] : "\n";
        void Line(string[] cells)
        {
            var text = string.Join(",", cells.Select(Quote)) + nl;
            bytes.AddRange(Encoding.UTF8.GetBytes(text));
        }

        Line(header);
        for (int i = 0; i < rows; i++)
        {
            var cells = row(i, rng);
            int start = bytes.Count;
            Line(cells);
            ranges.Add((start, bytes.Count, cells));
        }

        return new CleanCsv([.. bytes], header, ranges);
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",\"\r\n;\t|");

    public static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(Special) >= 0 || cell.StartsWith(' ') ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}

/// <summary>One edit of a clean file at a clean position: delete <c>Delete</c> bytes there, then insert <c>Insert</c>.</summary>
internal sealed record Mutation(int Position, int Delete, byte[] Insert)
{
    /// <summary>1 to 3 random edits (delete, duplicate, insert a quote, separator, line break, NUL, 0xE9, ESC, a huge cell), not overlapping.</summary>
    public static List<Mutation> Random(Random rng, byte[] clean, bool allowHuge)
    {
        var list = new List<Mutation>();
        int k = rng.Next(1, 4);
        for (int i = 0; i < k; i++)
        {
            int pos = rng.Next(clean.Length + 1);
            int room = clean.Length - pos;
            Mutation m = rng.Next(14) switch
            {
                0 => new(pos, Math.Min(room, rng.Next(1, 4)), []),
                1 => new(pos, 0, clean.AsSpan(pos, Math.Min(room, rng.Next(1, 20))).ToArray()),
                2 or 3 => new(pos, 0, "\""u8.ToArray()),
                4 => new(pos, 0, ","u8.ToArray()),
                5 => new(pos, 0, "\n"u8.ToArray()),
                6 => new(pos, 0, "\r"u8.ToArray()),
                7 => new(pos, 0, [0]),
                8 => new(pos, 0, [0xE9]),
                9 => new(pos, 0, [0x1B]),
                10 => new(pos, Math.Min(room, 1), "\""u8.ToArray()),
                11 => new(pos, 0, ";"u8.ToArray()),
                12 when allowHuge && rng.Next(4) == 0 => new(pos, 0, Huge(rng)),
                _ => new(pos, 0, "\"\""u8.ToArray()),
            };
            if (list.TrueForAll(o => m.Position + m.Delete < o.Position || o.Position + o.Delete < m.Position))
            {
                list.Add(m);
            }
        }

        return list;
    }

    private static byte[] Huge(Random rng)
    {
        var b = new byte[140_000 + rng.Next(1000)];
        Array.Fill(b, (byte)'7');
        if (rng.Next(2) == 0)
        {
            b[0] = (byte)'"';
        }

        return b;
    }

    public static byte[] Apply(byte[] clean, List<Mutation> mutations)
    {
        var bytes = new List<byte>(clean);
        foreach (var m in mutations.OrderByDescending(m => m.Position))
        {
            bytes.RemoveRange(m.Position, m.Delete);
            bytes.InsertRange(m.Position, m.Insert);
        }

        return [.. bytes];
    }

    /// <summary>Rows of the clean file no edit touches (an edit at a row's edges, or on the line end before it, touches it).</summary>
    public static List<string[]> Untouched(CleanCsv clean, List<Mutation> mutations) =>
        clean.Rows.Where(r => mutations.TrueForAll(m => m.Position + Math.Max(m.Delete, 1) - 1 < r.Start - 1 || m.Position > r.End))
            .Select(r => r.Fields).ToList();

    public override string ToString() =>
        $"@{Position} -{Delete} +[{(Insert.Length > 20 ? $"{Insert.Length} bytes" : Convert.ToHexString(Insert))}]";
}

/// <summary>
/// A deliberately plain second implementation of the reader's documented rules (docs/import.md, "The CSV reader"),
/// byte by byte over the whole file in memory, for differential testing. It takes the separator the reader detected
/// (detection has its own tests) and does not implement the record limit (16 MiB; never reached here).
/// </summary>
internal static class ReferenceCsv
{
    public sealed record Result(string[] Header, List<(int Row, bool Malformed, string[] Fields)> Records, List<(int? Row, string Rule)> Problems, bool Stopped, int RowsRead, int RowsRejected);

    public static Result Parse(byte[] raw, char separator, int maxField = 128 * 1024)
    {
        var (data, mixed) = Normalise(raw);
        byte sep = (byte)separator;
        int p = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
        var problems = new List<(int?, string)>();
        var records = new List<(int, bool, string[])>();
        string[]? header = null;
        int row = 0, read = 0, rejected = 0;
        bool stopped = false;
        while (p < data.Length)
        {
            row++;
            var fields = new List<byte[]>();
            var recordProblems = new List<string>();
            string? stop = null;
            while (true)
            {
                var cell = new List<byte>();
                if (p < data.Length && data[p] == '"')
                {
                    int content = ++p;
                    while (true)
                    {
                        if (p >= data.Length)
                        {
                            stop = "unclosed-quote";
                            break;
                        }

                        if (data[p] == '"')
                        {
                            if (p - content > maxField)
                            {
                                stop = "unclosed-quote";
                                break;
                            }

                            if (p + 1 < data.Length && data[p + 1] == '"')
                            {
                                cell.Add((byte)'"');
                                p += 2;
                                continue;
                            }

                            p++;
                            break;
                        }

                        cell.Add(data[p++]);
                    }

                    if (stop is null && p < data.Length && data[p] != sep && data[p] != '\r' && data[p] != '\n')
                    {
                        recordProblems.Add("text-after-quote");
                        int from = p;
                        while (p < data.Length && data[p] != sep && data[p] != '\r' && data[p] != '\n')
                        {
                            p++;
                        }

                        if (p - from > maxField)
                        {
                            stop = "field-too-long";
                        }
                    }
                }
                else
                {
                    int start = p;
                    bool stray = false;
                    while (p < data.Length && data[p] != sep && data[p] != '\r' && data[p] != '\n')
                    {
                        if (data[p] == '"')
                        {
                            if (p - start > maxField)
                            {
                                break;
                            }

                            if (!stray)
                            {
                                recordProblems.Add("stray-quote");
                                stray = true;
                            }
                        }

                        cell.Add(data[p++]);
                    }

                    if (p - start > maxField)
                    {
                        stop = "field-too-long";
                    }
                }

                if (stop is not null)
                {
                    break;
                }

                fields.Add([.. cell]);
                if (p < data.Length && data[p] == sep)
                {
                    p++;
                    continue;
                }

                if (p < data.Length)
                {
                    p += data[p] == '\r' && p + 1 < data.Length && data[p + 1] == '\n' ? 2 : 1;
                }

                break;
            }

            if (stop is not null)
            {
                problems.AddRange(recordProblems.Select(r => ((int?)row, r)));
                problems.Add((row, stop));
                stopped = true;
                rejected += header is null ? 0 : 1;
                break;
            }

            for (int f = 0; f < fields.Count; f++)
            {
                if (mixed && !Utf8.IsValid(fields[f]))
                {
                    recordProblems.Add("invalid-utf8");
                }

                if (HasControl(fields[f]))
                {
                    recordProblems.Add("control-character");
                }
            }

            var text = fields.Select(f => Encoding.UTF8.GetString(f)).ToArray();
            bool malformed = recordProblems.Count > 0;
            problems.AddRange(recordProblems.Select(r => ((int?)row, r)));
            bool blank = !malformed && text.All(string.IsNullOrWhiteSpace);
            if (header is null)
            {
                if (!blank)
                {
                    header = text.Select(t => t.Trim()).ToArray();
                }

                continue;
            }

            if (blank)
            {
                continue;
            }

            if (!malformed && text.Length != header.Length)
            {
                problems.Add((row, "cell-count"));
                malformed = true;
            }

            records.Add((row, malformed, text));
            if (malformed)
            {
                rejected++;
            }
            else
            {
                read++;
            }
        }

        return new Result(header ?? [], records, problems, stopped, read, rejected);
    }

    private static bool HasControl(byte[] f)
    {
        for (int i = 0; i < f.Length; i++)
        {
            if ((f[i] < 0x20 && f[i] is not (9 or 10 or 13)) || f[i] == 0x7F || (f[i] == 0xC2 && i + 1 < f.Length && f[i + 1] is >= 0x80 and <= 0x9F))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>UTF-16 with a mark to UTF-8; valid UTF-8 as is; with valid multi-byte UTF-8 too, as is (mixed); else Windows-1252 to UTF-8.</summary>
    private static (byte[] Data, bool Mixed) Normalise(byte[] raw)
    {
        if (raw.Length >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)))
        {
            var e = raw[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return (Encoding.UTF8.GetBytes(e.GetString(raw)), false);
        }

        if (Utf8.IsValid(raw))
        {
            return (raw, false);
        }

        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] >= 0x80 && Rune.DecodeFromUtf8(raw.AsSpan(i), out _, out _) == System.Buffers.OperationStatus.Done)
            {
                return (raw, true);
            }
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        int skip = raw.Length >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF ? 3 : 0;
        return (Encoding.UTF8.GetBytes(Encoding.GetEncoding(1252).GetString(raw, skip, raw.Length - skip)), false);
    }
}
