using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Survival;

namespace Sarcostat.Cli.Input;

/// <summary>Rows left out of an analysis for one reason, with their spreadsheet row numbers.</summary>
/// <param name="Reason">Why, e.g. "missing time".</param>
/// <param name="Count">How many rows.</param>
/// <param name="Rows">Their row numbers (the header is row 1).</param>
internal sealed record DroppedRows(string Reason, int Count, IReadOnlyList<int> Rows);

/// <summary>
/// The time-to-event columns of a CSV file, validated, plus any other columns the command needs, restricted to the
/// rows that can enter the analysis. Rows with a missing time, event or required column are left out and counted
/// per reason; values that are present but wrong (text in a number column, a negative time, an event code other
/// than 0/1) are problems that stop the command, all reported at once.
/// </summary>
internal sealed class AnalysisData
{
    private readonly Dictionary<string, string?[]> _columns;

    private AnalysisData(string file, double[] time, bool[] @event, int[] rows, Dictionary<string, string?[]> columns, List<DroppedRows> dropped, int rowsRead)
    {
        File = file;
        Time = time;
        Event = @event;
        Rows = rows;
        _columns = columns;
        Dropped = dropped;
        RowsRead = rowsRead;
    }

    /// <summary>The file name.</summary>
    public string File { get; }

    /// <summary>Time of each kept row.</summary>
    public double[] Time { get; }

    /// <summary>Event indicator of each kept row (1 in the file = true).</summary>
    public bool[] Event { get; }

    /// <summary>Spreadsheet row number of each kept row.</summary>
    public int[] Rows { get; }

    /// <summary>Rows left out, per reason.</summary>
    public IReadOnlyList<DroppedRows> Dropped { get; }

    /// <summary>Data rows read from the file (kept + dropped).</summary>
    public int RowsRead { get; }

    /// <summary>Rows kept for the analysis.</summary>
    public int RowsKept => Rows.Length;

    /// <summary>
    /// Loads and validates the time and event columns, keeps the rows where every column in
    /// <paramref name="required"/> is present, and carries <paramref name="optional"/> columns along (missing allowed).
    /// </summary>
    /// <exception cref="InputException">Every problem found, or no row left.</exception>
    public static AnalysisData Load(CsvTable table, string timeColumn, string eventColumn, IReadOnlyList<string> required, IReadOnlyList<string> optional) =>
        Load(table, (timeColumn, eventColumn), required, optional);

    /// <summary>Loads columns without time-to-event data (for group comparisons): <see cref="Time"/> and <see cref="Event"/> are empty.</summary>
    public static AnalysisData LoadColumns(CsvTable table, IReadOnlyList<string> required, IReadOnlyList<string> optional) =>
        Load(table, null, required, optional);

    private static AnalysisData Load(CsvTable table, (string Time, string Event)? survival, IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        string timeColumn = survival?.Time ?? string.Empty, eventColumn = survival?.Event ?? string.Empty;
        var problems = new List<CohortProblem>();
        int ti = survival is null ? -1 : table.ColumnIndex(timeColumn, problems);
        int ei = survival is null ? -1 : table.ColumnIndex(eventColumn, problems);
        var req = required.Distinct(StringComparer.Ordinal).Select(c => (Name: c, Index: table.ColumnIndex(c, problems))).ToArray();
        var opt = optional.Distinct(StringComparer.Ordinal).Except(required, StringComparer.Ordinal)
            .Select(c => (Name: c, Index: table.ColumnIndex(c, problems))).ToArray();
        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        var time = new List<double>(table.Count);
        var ev = new List<bool>(table.Count);
        var rows = new List<int>(table.Count);
        var keep = new List<int>(table.Count);
        var dropped = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < table.Count; i++)
        {
            int row = table.RowNumber(i);
            string? t = survival is null ? "0" : table.Cell(i, ti), e = survival is null ? "0" : table.Cell(i, ei);
            double tv = double.NaN;
            bool ok = true;
            if (t is not null)
            {
                if (!CsvTable.TryNumber(t, out tv))
                {
                    problems.Add(InputProblem.Of(table.File, row, timeColumn, t, "a number (follow-up time, with a dot for decimals)"));
                    ok = false;
                }
                else if (tv < 0)
                {
                    problems.Add(InputProblem.Of(table.File, row, timeColumn, t, "a time >= 0", "A negative time usually means the dates are in the wrong order."));
                    ok = false;
                }
            }

            bool evv = false;
            if (e is not null)
            {
                if (CsvTable.TryNumber(e, out var code) && (code == 0 || code == 1))
                {
                    evv = code == 1;
                }
                else
                {
                    problems.Add(InputProblem.Of(table.File, row, eventColumn, e, "0 (censored) or 1 (event)", "Recode the event column to 0/1."));
                    ok = false;
                }
            }

            if (!ok)
            {
                continue;
            }

            string? reason = t is null ? $"missing {timeColumn}" : e is null ? $"missing {eventColumn}" : null;
            foreach (var (name, index) in req)
            {
                if (reason is null && table.Cell(i, index) is null)
                {
                    reason = $"missing {name}";
                }
            }

            if (reason is not null)
            {
                if (!dropped.TryGetValue(reason, out var list))
                {
                    dropped[reason] = list = [];
                }

                list.Add(row);
                continue;
            }

            time.Add(tv);
            ev.Add(evv);
            rows.Add(row);
            keep.Add(i);
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        if (keep.Count == 0)
        {
            throw new InputException(InputProblem.Of(table.File, null, null, null,
                "at least one row with every needed column present",
                "Every row has a missing value: " + string.Join("; ", dropped.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key}: {d.Value.Count} rows")))));
        }

        var columns = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var (name, index) in req.Concat(opt))
        {
            columns[name] = keep.Select(i => table.Cell(i, index)).ToArray();
        }

        if (survival is null)
        {
            time.Clear();
            ev.Clear();
        }

        return new AnalysisData(table.File, time.ToArray(), ev.ToArray(), rows.ToArray(), columns,
            dropped.Select(d => new DroppedRows(d.Key, d.Value.Count, d.Value)).ToList(), table.Count);
    }

    /// <summary>Columns read straight into numbers by <see cref="ColumnarCsv"/> (NaN = missing).</summary>
    private Dictionary<string, double[]> Numbers { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Columns read straight into factor codes by <see cref="ColumnarCsv"/> (code -1 = missing).</summary>
    private Dictionary<string, Factor> Factors { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Data read column by column (<see cref="ColumnarCsv"/>): typed columns, no text kept.</summary>
    internal static AnalysisData FromColumns(
        string file, double[] time, bool[] @event, int[] rows, List<DroppedRows> dropped, int rowsRead,
        Dictionary<string, double[]> numbers, Dictionary<string, Factor> factors) =>
        new(file, time, @event, rows, new Dictionary<string, string?[]>(StringComparer.Ordinal), dropped, rowsRead) { Numbers = numbers, Factors = factors };

    /// <summary>
    /// The kept rows as the engine's one survival response, with an optional group and strata over the same rows.
    /// The rows were checked here already (times a number &gt;= 0, events 0/1, each problem located by file, row and
    /// column), so the response's own checks cannot fail; rows with a missing group or stratum (allowed when the
    /// column is optional) are left out by the response and counted in the result's dropped rows.
    /// </summary>
    public SurvivalResponse Response(Factor? group = null, Factor? strata = null) => SurvivalResponse.Create(Time, Event, group, strata);

    /// <summary>Whether a column was read as numbers (every present cell a number).</summary>
    public bool IsNumeric(string column) => Numbers.ContainsKey(column);

    /// <summary>A column read as a factor by <see cref="ColumnarCsv"/> (levels ordered as R orders them).</summary>
    public Factor Factor(string column) =>
        Factors.TryGetValue(column, out var f) ? f : Survival.Factor.FromValues(column, Text(column));

    /// <summary>The text cells of a loaded column for the kept rows (null = missing).</summary>
    public IReadOnlyList<string?> Text(string column)
    {
        if (_columns.TryGetValue(column, out var text))
        {
            return text;
        }

        if (Factors.TryGetValue(column, out var f))
        {
            var levels = f.Levels;
            return f.Codes.Select(c => c < 0 ? null : levels[c]).ToArray();
        }

        throw new KeyNotFoundException(column);
    }

    /// <summary>
    /// The numeric cells of a loaded column for the kept rows (NaN = missing).
    /// </summary>
    /// <exception cref="InputException">Every cell that is present but not a number.</exception>
    public double[] Numeric(string column, string? hint = null)
    {
        if (Numbers.TryGetValue(column, out var numbers))
        {
            return numbers;
        }

        var cells = _columns[column];
        var values = new double[cells.Length];
        var problems = new List<CohortProblem>();
        for (int i = 0; i < cells.Length; i++)
        {
            var c = cells[i];
            if (c is null)
            {
                values[i] = double.NaN;
            }
            else if (!CsvTable.TryNumber(c, out values[i]))
            {
                problems.Add(InputProblem.Of(File, Rows[i], column, c, "a number (with a dot for decimals)", hint));
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        return values;
    }
}
