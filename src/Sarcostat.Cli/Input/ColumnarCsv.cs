using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;
using Sarcostat.Cohort;
using Sarcostat.Import.Reading.Csv;
using Sarcostat.Survival;

namespace Sarcostat.Cli.Input;

/// <summary>How a column other than time and event is read by <see cref="ColumnarCsv"/>.</summary>
internal enum ColumnKind
{
    /// <summary>Categorical: every present cell a level (groups, strata, declared factors).</summary>
    Factor,

    /// <summary>Numbers when every present cell is a number, else categorical (a covariate as the command line names it).</summary>
    Auto,
}

/// <summary>A column a command needs.</summary>
/// <param name="Name">The header name.</param>
/// <param name="Kind">How it is read.</param>
/// <param name="Required">Rows where it is missing are left out (and counted); otherwise missing is kept (NaN, code -1).</param>
internal sealed record ColumnNeed(string Name, ColumnKind Kind, bool Required);

/// <summary>
/// Reads only the columns a command needs from a CSV file straight into typed arrays, in one streaming pass through
/// the strict reader (<see cref="CsvRecordReader"/>): numbers parse from the bytes, categorical cells are coded through
/// a dictionary of their levels; no cell becomes a string unless it is a new level or a problem shows it, and the text
/// of the file is never held. The result, the dropped rows and every problem are those of
/// <see cref="CsvTable.Read"/> followed by <see cref="AnalysisData.Load(CsvTable, string, string, IReadOnlyList{string}, IReadOnlyList{string})"/>,
/// in the same precedence: the reader's and the header's problems, a header without data rows, absent columns, bad
/// time or event values, no row left.
/// </summary>
/// <remarks>
/// <para>Runs of plain records (<see cref="CsvRecordReader.ReadRun"/>: no quote inside a field, no control character,
/// the header's cell count) are parsed column by column from the reader's structural index, each needed column
/// straight into its typed array; a row with any cell that is not a plain present value, and every record that is not
/// plain, goes through the one-row definition (<c>RowReader.Row</c>), so problems, left-out rows and their order are
/// the record path's (tests/Sarcostat.Cli.Tests/ColumnarCsvRunTests.cs compares both on random files).</para>
/// <para>An <see cref="ColumnKind.Auto"/> column is parsed as numbers only; at its first present cell that is not a number it
/// becomes categorical, and the file is read once more with that column as a factor (text covariates are usually small
/// files; declare large ones with <c>--factor</c>).</para>
/// </remarks>
internal static partial class ColumnarCsv
{
    /// <summary>Distinct values up to which an Auto column is also coded as levels while it is read.</summary>
    private const int MaxAutoLevels = 64;

    /// <summary>Powers of ten exactly representable as doubles (10^0..10^22), for the exact fast path of <see cref="TryNumber"/>.</summary>
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Reads the time and event columns and the needed columns of a CSV file.</summary>
    /// <exception cref="InputException">Every problem found (see the class summary), or no row left.</exception>
    public static AnalysisData Read(string path, string timeColumn, string eventColumn, IReadOnlyList<ColumnNeed> needs, Action<CohortProblem>? warn = null) =>
        Read(path, timeColumn, eventColumn, needs, warn, columnWise: true, runRecords: DefaultRunRecords);

    /// <summary>The records parsed column by column at once (a few hundred KB of typed cells at most).</summary>
    internal const int DefaultRunRecords = 4096;

    /// <summary>
    /// <see cref="Read(string, string, string, IReadOnlyList{ColumnNeed}, Action{CohortProblem}?)"/> with the path
    /// chosen: <paramref name="columnWise"/> false reads record by record only (the reference the tests compare the
    /// column-wise path with); <paramref name="runRecords"/> is the most records parsed column by column at once.
    /// </summary>
    internal static AnalysisData Read(string path, string timeColumn, string eventColumn, IReadOnlyList<ColumnNeed> needs, Action<CohortProblem>? warn, bool columnWise, int runRecords)
    {
        if (!File.Exists(path))
        {
            throw new InputException(InputProblem.Of(path, null, null, null, "an existing CSV file", "Check the path."));
        }

        try
        {
            var result = ReadOnce(path, timeColumn, eventColumn, needs, warn, columnWise, runRecords, out var becameText);
            if (becameText.Count == 0)
            {
                return result!;
            }

            var again = needs.Select(n => becameText.Contains(n.Name) ? n with { Kind = ColumnKind.Factor } : n).ToList();
            return ReadOnce(path, timeColumn, eventColumn, again, warn, columnWise, runRecords, out _)!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(InputProblem.Of(path, null, null, null, "a readable CSV file", $"The file could not be read ({e.GetType().Name})."));
        }
    }

    private sealed class Column
    {
        public required ColumnNeed Need { get; init; }

        public int Index { get; set; } = -1;

        public double[] Numbers { get; set; } = [];

        public int[] Codes { get; set; } = [];

        public Dictionary<string, int>? Levels { get; set; }

        /// <summary>Kept rows per level: a level seen only in rows left out is not a level (as R's factor of the kept rows).</summary>
        public List<int> Counts { get; } = [];

        /// <summary>The first levels as ASCII bytes, in code order (the fast path of <see cref="Level"/>).</summary>
        public List<byte[]> Known { get; } = [];

        /// <summary>The same levels packed into one number each when at most 7 bytes long (<see cref="Pack"/>), else a value no cell packs to.</summary>
        public List<ulong> KnownKeys { get; } = [];

        /// <summary>The first levels as numbers (NaN: not a number), filled as the column-wise path meets them.</summary>
        public List<double> KnownNumbers { get; } = [];

        public bool Text { get; set; }

        public bool PendingText { get; set; }

        public bool IsFactor => Need.Kind == ColumnKind.Factor;

        /// <summary>Cells are coded as levels: always for a factor; for an Auto column while it has few distinct values,
        /// so that a text covariate becomes a factor without a second read.</summary>
        public bool Coding { get; set; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static AnalysisData? ReadOnce(string path, string timeColumn, string eventColumn, IReadOnlyList<ColumnNeed> needs, Action<CohortProblem>? warn, bool columnWise, int runRecords, out HashSet<string> becameText)
    {
        becameText = new HashSet<string>(StringComparer.Ordinal);
        using var csv = CsvRecordReader.Open(path, path);
        var header = csv.Header.ToArray();
        if (header.Length == 0 || header.All(h => h.Length == 0))
        {
            if (csv.HasErrors)
            {
                throw new InputException(csv.Problems.Where(p => p.Severity == Severity.Error).ToList());
            }

            throw new InputException(InputProblem.Of(path, null, null, null, "a header row naming the columns, then one row per observation", "The file is empty."));
        }

        var headerProblems = new List<CohortProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
            {
                headerProblems.Add(InputProblem.Of(path, csv.HeaderRow, null, null, string.Create(CultureInfo.InvariantCulture, $"a name for column {c + 1}")));
            }
            else if (!seen.Add(header[c]))
            {
                headerProblems.Add(InputProblem.Of(path, csv.HeaderRow, header[c], null, "each column name once", "Rename one of the two columns."));
            }
        }

        // Absent columns are reported after the reader's problems, as CsvTable.Read then AnalysisData.Load do.
        var columnProblems = new List<CohortProblem>();
        int ti = ColumnIndex(header, path, timeColumn, columnProblems);
        int ei = ColumnIndex(header, path, eventColumn, columnProblems);
        var required = needs.Where(n => n.Required).DistinctBy(n => n.Name).ToList();
        var optional = needs.Where(n => !n.Required && !required.Exists(r => r.Name == n.Name)).DistinctBy(n => n.Name).ToList();
        var columns = required.Concat(optional).Select(n => new Column { Need = n }).ToArray();
        foreach (var c in columns)
        {
            c.Index = ColumnIndex(header, path, c.Need.Name, columnProblems);
        }

        bool parse = columnProblems.Count == 0 && headerProblems.Count == 0;
        var rows = new RowReader(path, timeColumn, eventColumn, ti, ei, columns);
        rows.Grow(1);
        long fileBytes = new FileInfo(path).Length;
        bool sized = false;
        while (true)
        {
            // Runs of plain records column by column (the fast path); any other record through the record path.
            int run = columnWise ? csv.ReadRun(runRecords) : 0;
            if (run > 0)
            {
                if (parse)
                {
                    if (!sized)
                    {
                        // Room for the rows the file holds at the first run's bytes per record (a little more), so
                        // that a large file is not copied at each doubling; more rows still grow by doubling.
                        sized = true;
                        rows.Grow((int)Math.Min(Array.MaxLength / 2, fileBytes / Math.Max(1, csv.RunBytes / run) * 21 / 20 + run));
                    }

                    rows.Run(csv, run);
                }
                else
                {
                    rows.Read += run;
                }

                continue;
            }

            if (!csv.Read())
            {
                break;
            }

            if (csv.IsMalformed)
            {
                continue;
            }

            rows.Read++;
            if (!parse)
            {
                continue;
            }

            rows.Grow(rows.Kept + 1);
            rows.Row(csv.Row, new RecordCells(csv));
        }

        var valueProblems = rows.ValueProblems;
        var dropped = rows.Dropped;
        int kept = rows.Kept, read = rows.Read;
        var time = rows.Time;
        var ev = rows.Event;
        var rowNumbers = rows.Rows;
        var problems = csv.Problems.Where(p => p.Severity == Severity.Error).Concat(headerProblems).ToList();
        if (problems.Count > 0)
        {
            throw new InputException(problems.OrderBy(p => p.Row ?? 0).ToList());
        }

        if (read == 0)
        {
            throw new InputException(InputProblem.Of(path, null, null, null, "at least one data row below the header", "The file has a header only."));
        }

        if (columnProblems.Count > 0)
        {
            throw new InputException(columnProblems);
        }

        if (valueProblems.Count > 0)
        {
            throw new InputException(valueProblems);
        }

        // A column that turned out text with many values is read again as a factor: the rows this read left out may
        // differ from that read's (a missing cell of it no longer counted once it stopped being coded), so the check
        // for no row left is the second read's.
        foreach (var c in columns)
        {
            if (c.Text && !c.Coding)
            {
                becameText.Add(c.Need.Name);
            }
        }

        if (becameText.Count > 0)
        {
            return null;
        }

        if (kept == 0)
        {
            throw new InputException(InputProblem.Of(path, null, null, null,
                "at least one row with every needed column present",
                "Every row has a missing value: " + string.Join("; ", dropped.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key}: {d.Value.Count} rows")))));
        }

        var numbers = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var factors = new Dictionary<string, Factor>(StringComparer.Ordinal);
        foreach (var c in columns)
        {
            if (c.IsFactor || c.Text)
            {
                factors[c.Need.Name] = MakeFactor(c.Need.Name, c.Levels!, c.Counts, c.Codes, kept);
            }
            else
            {
                var values = c.Numbers;
                Array.Resize(ref values, kept);
                numbers[c.Need.Name] = values;
            }
        }

        foreach (var w in csv.Problems.Where(p => p.Severity == Severity.Warning))
        {
            warn?.Invoke(w);
        }

        Array.Resize(ref time, kept);
        Array.Resize(ref ev, kept);
        Array.Resize(ref rowNumbers, kept);
        return AnalysisData.FromColumns(path, time, ev, rowNumbers, dropped.Select(d => new DroppedRows(d.Key, d.Value.Count, d.Value)).ToList(), read, numbers, factors);
    }

    /// <summary>The factor with R's level order (<see cref="Factor.FromValues"/> on the levels), codes renumbered into it.</summary>
    private static Factor MakeFactor(string name, Dictionary<string, int> firstSeen, List<int> counts, int[] codes, int n)
    {
        var levels = new string?[firstSeen.Count];
        foreach (var (level, at) in firstSeen)
        {
            levels[at] = counts[at] > 0 ? level : null;
        }

        var ordered = Factor.FromValues(name, levels).Levels;
        var map = new int[levels.Length];
        for (int i = 0; i < ordered.Count; i++)
        {
            map[firstSeen[ordered[i]]] = i;
        }

        var renumbered = new int[n];
        for (int i = 0; i < n; i++)
        {
            renumbered[i] = codes[i] < 0 ? -1 : map[codes[i]];
        }

        return Factor.FromCodes(name, renumbered, [.. ordered]);
    }

    /// <summary>The level index of a cell (added when new), or -1 when missing; the text is trimmed as <see cref="string.Trim()"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Level(Dictionary<string, int> levels, List<int> counts, List<byte[]> known, List<ulong> keys, ReadOnlySpan<byte> bytes, Span<char> buffer)
    {
        // Fast path: a plain ASCII cell equal to one of the first levels seen (a factor has few), compared as bytes;
        // a short one (most levels: "0", "A", "lung") as one packed number.
        var ascii = TrimAscii(bytes);
        if (ascii.Length is > 0 and <= 7)
        {
            ulong packed = Pack(ascii);
            for (int k = 0; k < keys.Count; k++)
            {
                if (keys[k] == packed)
                {
                    return k;
                }
            }
        }
        else if (ascii.Length > 0 && ascii[0] < 0x80 && ascii[^1] < 0x80)
        {
            for (int k = 0; k < known.Count; k++)
            {
                if (ascii.SequenceEqual(known[k]))
                {
                    return k;
                }
            }
        }

        ReadOnlySpan<char> text;
        string? owned = null;
        if (bytes.Length <= buffer.Length)
        {
            int n = Encoding.UTF8.GetChars(bytes, buffer);
            text = buffer[..n].Trim();
        }
        else
        {
            owned = Encoding.UTF8.GetString(bytes).Trim();
            text = owned;
        }

        if (text.IsEmpty || text.SequenceEqual("NA"))
        {
            return -1;
        }

        var lookup = levels.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out int code))
        {
            return code;
        }

        code = levels.Count;
        var key = owned ?? text.ToString();
        levels[key] = code;
        counts.Add(0);
        if (known.Count == code && code < 16 && System.Text.Ascii.IsValid(key))
        {
            var added = Encoding.ASCII.GetBytes(key);
            known.Add(added);
            keys.Add(added.Length is > 0 and <= 7 ? Pack(added) : ulong.MaxValue);
        }

        return code;
    }

    /// <summary>1 to 7 bytes and their count as one number (the count in the low byte, so distinct cells differ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pack(ReadOnlySpan<byte> bytes)
    {
        ulong key = (ulong)bytes.Length;
        for (int i = 0; i < bytes.Length; i++)
        {
            key |= (ulong)bytes[i] << (8 * (i + 1));
        }

        return key;
    }

    /// <summary>Empty, white space only, or "NA" (as <see cref="CsvTable.IsMissing"/> on the trimmed text).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsMissing(ReadOnlySpan<byte> bytes)
    {
        var t = TrimAscii(bytes);
        if (t.IsEmpty)
        {
            return true;
        }

        if (t.Length == 2 && t[0] == (byte)'N' && t[1] == (byte)'A')
        {
            return true;
        }

        // Other white space (a no-break space, ...) at either end is rare: decide on the text.
        return (t[0] >= 0x80 || t[^1] >= 0x80) && CsvTable.IsMissing(Encoding.UTF8.GetString(t).Trim());
    }

    /// <summary>
    /// A finite number as <see cref="CsvTable.TryNumber"/> reads the trimmed text. Fast exact path for plain decimals
    /// of at most 15 significant digits and 22 decimals (the digits as an exact integer divided by an exact power of
    /// ten: one correctly rounded division, Clinger 1990), else .NET's parser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryNumber(ReadOnlySpan<byte> bytes, out double value)
    {
        var t = TrimAscii(bytes);
        int i = 0;
        bool negative = false;
        if (t.Length > 0 && (t[0] == (byte)'-' || t[0] == (byte)'+'))
        {
            negative = t[0] == (byte)'-';
            i = 1;
        }

        long mantissa = 0;
        int digits = 0, decimals = 0, start = i;
        bool dot = false;
        for (; i < t.Length; i++)
        {
            uint d = (uint)(t[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                if (dot)
                {
                    decimals++;
                }
            }
            else if (t[i] == (byte)'.' && !dot)
            {
                dot = true;
            }
            else
            {
                break;
            }
        }

        if (i == t.Length && digits > 0 && digits <= 15 && decimals <= 22 && i > start)
        {
            double v = decimals == 0 ? mantissa : mantissa / PowersOfTen[decimals];
            value = negative ? -v : v;
            return true;
        }

        if (Utf8Ascii(t))
        {
            return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        return CsvTable.TryNumber(Encoding.UTF8.GetString(t).Trim(), out value);
    }

    /// <summary>The span without ASCII white space (space, tab, line feed, vertical tab, form feed, carriage return) at either end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> TrimAscii(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && (s[a] == (byte)' ' || (uint)(s[a] - 9) <= 4))
        {
            a++;
        }

        while (b > a && (s[b - 1] == (byte)' ' || (uint)(s[b - 1] - 9) <= 4))
        {
            b--;
        }

        return s[a..b];
    }

    private static bool Utf8Ascii(ReadOnlySpan<byte> t) => System.Text.Ascii.IsValid(t);

    /// <summary>The trimmed text of a cell, for a problem's Found value.</summary>
    private static string Shown(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes).Trim();

    /// <summary>The index of a column; a problem naming the closest existing column when it is absent (as <see cref="CsvTable.ColumnIndex"/>).</summary>
    private static int ColumnIndex(string[] header, string file, string column, List<CohortProblem> problems)
    {
        int at = Array.IndexOf(header, column);
        if (at >= 0)
        {
            return at;
        }

        var closest = header.OrderBy(h => Cohort.Validation.CodeList.Distance(h.ToUpperInvariant(), column.ToUpperInvariant())).First();
        var hint = Cohort.Validation.CodeList.Distance(closest.ToUpperInvariant(), column.ToUpperInvariant()) <= Math.Max(2, column.Length / 3)
            ? $"Did you mean \"{closest}\"?"
            : $"Columns are: {string.Join(", ", header)}.";
        problems.Add(InputProblem.Of(file, null, column, null, "this column in the header", hint));
        return -1;
    }
}
