using System.Runtime.CompilerServices;
using Sarcostat.Cohort;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Cli.Input;

/// <summary>The rows of <see cref="ColumnarCsv"/>: the record path (one row, field by field) and the column-wise path over a run of plain records.</summary>
internal static partial class ColumnarCsv
{
    /// <summary>The cells of one row, as byte spans.</summary>
    private interface ICells
    {
        ReadOnlySpan<byte> Cell(int column);
    }

    /// <summary>The current record of the reader.</summary>
    private readonly struct RecordCells(CsvRecordReader csv) : ICells
    {
        public ReadOnlySpan<byte> Cell(int column) => csv.GetSpan(column);
    }

    /// <summary>A record of the reader's last run.</summary>
    private readonly struct RunCells(CsvRecordReader csv, int record) : ICells
    {
        public ReadOnlySpan<byte> Cell(int column) => csv.GetRunSpan(record, column);
    }

    /// <summary>
    /// The typed columns being filled, the rows left out per reason and the value problems. <see cref="Row{TCells}"/>
    /// is the definition (one row, every rule in order); <see cref="Run"/> gives the same result for a run of records
    /// by parsing each needed column over the run and sending every row that is not plain (a missing or bad value,
    /// text in a number column, a new factor level is fine) through <see cref="Row{TCells}"/>.
    /// </summary>
    private sealed class RowReader(string path, string timeColumn, string eventColumn, int ti, int ei, Column[] columns)
    {
        private readonly string _missingTime = $"missing {timeColumn}";
        private readonly string _missingEvent = $"missing {eventColumn}";
        private readonly string[] _missingColumn = columns.Select(c => $"missing {c.Need.Name}").ToArray();
        private readonly char[] _chars = new char[256];
        private bool[] _slow = [];

        public int Capacity { get; private set; }

        public double[] Time = [];

        public bool[] Event = [];

        public int[] Rows = [];

        public int Kept;

        public int Read;

        public List<CohortProblem> ValueProblems { get; } = [];

        public Dictionary<string, List<int>> Dropped { get; } = new(StringComparer.Ordinal);

        /// <summary>Room for <paramref name="needed"/> kept rows (doubling from 1024, or at once to <paramref name="needed"/> when more).</summary>
        public void Grow(int needed)
        {
            if (Capacity == 0)
            {
                Capacity = 1024;
                Time = new double[Capacity];
                Event = new bool[Capacity];
                Rows = new int[Capacity];
                foreach (var c in columns)
                {
                    c.Coding = true;
                    c.Codes = new int[Capacity];
                    c.Levels = new Dictionary<string, int>(StringComparer.Ordinal);
                    if (!c.IsFactor)
                    {
                        c.Numbers = new double[Capacity];
                    }
                }
            }

            if (needed <= Capacity)
            {
                return;
            }

            Capacity = (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * Capacity));

            Array.Resize(ref Time, Capacity);
            Array.Resize(ref Event, Capacity);
            Array.Resize(ref Rows, Capacity);
            foreach (var c in columns)
            {
                if (c.Coding)
                {
                    var codes = c.Codes;
                    Array.Resize(ref codes, Capacity);
                    c.Codes = codes;
                }

                if (!c.IsFactor && !c.Text)
                {
                    var grown = c.Numbers;
                    Array.Resize(ref grown, Capacity);
                    c.Numbers = grown;
                }
            }
        }

        /// <summary>
        /// One row, every rule in order (the definition): bad time or event values are problems, missing values leave
        /// the row out with the first reason, cells of the needed columns typed (a number column turning text when a
        /// kept row holds text); a kept row goes to slot <see cref="Kept"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Row<TCells>(int row, TCells cells)
            where TCells : struct, ICells
        {
            int kept = Kept;
            bool ok = true;
            string? reason = null;
            var tSpan = cells.Cell(ti);
            double tv = double.NaN;
            if (IsMissing(tSpan))
            {
                reason = _missingTime;
            }
            else if (!TryNumber(tSpan, out tv))
            {
                ValueProblems.Add(InputProblem.Of(path, row, timeColumn, Shown(tSpan), "a number (follow-up time, with a dot for decimals)"));
                ok = false;
            }
            else if (tv < 0)
            {
                ValueProblems.Add(InputProblem.Of(path, row, timeColumn, Shown(tSpan), "a time >= 0", "A negative time usually means the dates are in the wrong order."));
                ok = false;
            }

            var eSpan = cells.Cell(ei);
            bool evv = false;
            if (IsMissing(eSpan))
            {
                reason ??= _missingEvent;
            }
            else if (TryNumber(eSpan, out var code) && (code == 0 || code == 1))
            {
                evv = code == 1;
            }
            else
            {
                ValueProblems.Add(InputProblem.Of(path, row, eventColumn, Shown(eSpan), "0 (censored) or 1 (event)", "Recode the event column to 0/1."));
                ok = false;
            }

            if (!ok)
            {
                return;
            }

            var chars = _chars.AsSpan();
            bool anyPending = false;
            for (int k = 0; k < columns.Length; k++)
            {
                var c = columns[k];
                var span = cells.Cell(c.Index);
                if (c.Coding)
                {
                    int level = Level(c.Levels!, c.Counts, c.Known, c.KnownKeys, span, chars);
                    c.Codes[kept] = level;
                    if (level < 0 && c.Need.Required && (c.IsFactor || c.Text))
                    {
                        reason ??= _missingColumn[k];
                    }

                    if (!c.IsFactor && c.Levels!.Count > MaxAutoLevels)
                    {
                        // Many distinct values: a numeric column, or text read again as a factor if it turns out text.
                        c.Coding = false;
                        c.Codes = [];
                    }
                }

                if (c.IsFactor || c.Text)
                {
                    continue;
                }
                else if (IsMissing(span))
                {
                    c.Numbers[kept] = double.NaN;
                    if (c.Need.Required)
                    {
                        reason ??= _missingColumn[k];
                    }
                }
                else if (!TryNumber(span, out c.Numbers[kept]))
                {
                    c.PendingText = true;
                    anyPending = true;
                }
            }

            // What a row left out holds does not count: levels and text cells of kept rows only (as AnalysisData.Load).
            foreach (var c in columns)
            {
                if (c.Coding && reason is null && c.Codes[kept] >= 0)
                {
                    c.Counts[c.Codes[kept]]++;
                }

                if (anyPending && c.PendingText)
                {
                    c.PendingText = false;
                    if (reason is null)
                    {
                        c.Text = true;
                        c.Numbers = [];
                    }
                }
            }

            if (reason is not null)
            {
                if (!Dropped.TryGetValue(reason, out var list))
                {
                    Dropped[reason] = list = [];
                }

                list.Add(row);
                return;
            }

            Time[kept] = tv;
            Event[kept] = evv;
            Rows[kept] = row;
            Kept = kept + 1;
        }

        /// <summary>
        /// Whether a cell (ASCII-trimmed, at most 7 bytes) equals one of the first levels of the column: its code, and
        /// <see cref="TryNumber"/> of it, computed once per level (NaN: not a number). Exact: <see cref="TryNumber"/>
        /// depends on the ASCII-trimmed bytes only, and those are the level's.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool KnownNumber(Column c, ReadOnlySpan<byte> span, out int known, out double value)
        {
            var t = TrimAscii(span);
            value = 0;
            known = t.Length is > 0 and <= 7 ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(c.KnownKeys).IndexOf(Pack(t)) : -1;
            if (known < 0)
            {
                return false;
            }

            var numbers = c.KnownNumbers;
            while (numbers.Count <= known)
            {
                numbers.Add(TryNumber(c.Known[numbers.Count], out var v) ? v : double.NaN);
            }

            value = numbers[known];
            return true;
        }

        /// <summary>
        /// A run of <paramref name="n"/> plain records, column by column: each needed column is parsed over the run
        /// into slots <see cref="Kept"/> + r; a row whose cell is not a plain present value (missing, not a number,
        /// a bad time or event) is marked and later redone by <see cref="Row{TCells}"/> in row order, while the plain
        /// rows move down to close the gaps. The result is <see cref="Row{TCells}"/> on every row in order: the factor
        /// levels are the same set (level order is sorted at the end), and problems and left-out rows come from the
        /// same method in the same order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(CsvRecordReader csv, int n)
        {
            Read += n;
            int first = Kept, firstRow = csv.RunFirstRow;
            Grow(first + n);
            if (_slow.Length < n)
            {
                _slow = new bool[Math.Max(n, 1024)];
            }

            var slow = _slow.AsSpan(0, n);
            slow.Clear();
            var time = Time.AsSpan(first, n);
            for (int r = 0; r < n; r++)
            {
                if (!TryNumber(csv.GetRunSpan(r, ti), out time[r]) || time[r] < 0)
                {
                    slow[r] = true;
                }
            }

            var ev = Event.AsSpan(first, n);
            for (int r = 0; r < n; r++)
            {
                var e = csv.GetRunSpan(r, ei);
                if (e.Length == 1 && (e[0] == (byte)'0' || e[0] == (byte)'1'))
                {
                    ev[r] = e[0] == (byte)'1';
                }
                else if (TryNumber(e, out var code) && (code == 0 || code == 1))
                {
                    ev[r] = code == 1;
                }
                else
                {
                    slow[r] = true;
                }
            }

            var chars = _chars.AsSpan();
            foreach (var c in columns)
            {
                int index = c.Index;
                bool numeric = !c.IsFactor && !c.Text;
                var numbers = numeric ? c.Numbers.AsSpan(first, n) : default;
                int r = 0;
                for (; r < n && c.Coding; r++)
                {
                    if (slow[r])
                    {
                        continue;
                    }

                    var span = csv.GetRunSpan(r, index);
                    if (numeric && KnownNumber(c, span, out int known, out double value))
                    {
                        // A cell equal to one of the first levels (a binary covariate): its code, and its number parsed once for that level.
                        c.Codes[first + r] = known;
                        if (double.IsNaN(value))
                        {
                            slow[r] = true;
                        }
                        else
                        {
                            numbers[r] = value;
                        }

                        continue;
                    }

                    int level = Level(c.Levels!, c.Counts, c.Known, c.KnownKeys, span, chars);
                    if (level < 0)
                    {
                        slow[r] = true;
                        continue;
                    }

                    c.Codes[first + r] = level;
                    if (numeric && !TryNumber(span, out numbers[r]))
                    {
                        slow[r] = true;
                    }

                    if (!c.IsFactor && c.Levels!.Count > MaxAutoLevels)
                    {
                        c.Coding = false;
                        c.Codes = [];
                    }
                }

                // The rest of a number column once it is no longer coded (many distinct values).
                for (; numeric && r < n; r++)
                {
                    if (!slow[r] && !TryNumber(csv.GetRunSpan(r, index), out numbers[r]))
                    {
                        slow[r] = true;
                    }
                }
            }

            // In row order: marked rows through the definition, plain rows kept (moved down over left-out rows).
            for (int r = 0; r < n; r++)
            {
                if (slow[r])
                {
                    Row(firstRow + r, new RunCells(csv, r));
                    continue;
                }

                int from = first + r, to = Kept;
                foreach (var c in columns)
                {
                    if (c.Coding)
                    {
                        var codes = c.Codes;
                        codes[to] = codes[from];
                        c.Counts[codes[to]]++;
                    }

                    if (from != to && !c.IsFactor && !c.Text)
                    {
                        c.Numbers[to] = c.Numbers[from];
                    }
                }

                Time[to] = Time[from];
                Event[to] = Event[from];
                Rows[to] = firstRow + r;
                Kept = to + 1;
            }
        }
    }
}
