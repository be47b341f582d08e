using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Mapping;
using Sarcostat.Import.Merge;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import.Amendments;

/// <summary>
/// The amendments of one import, and what became of each. Cell and row amendments are applied while a file is read
/// (<see cref="Wrap"/>: before parsing, so a new value meets the same rules as any cell); conflict resolutions in the
/// merge (<see cref="Resolve"/>); exclusions are only matched here and applied by the selection. <see cref="Finish"/>
/// reports every amendment that matched nothing and lists the applied ones.
/// </summary>
internal sealed class AmendmentSet
{
    private readonly string _name;
    private readonly DataDictionary _dictionary;
    private readonly List<CohortProblem> _problems;
    private readonly List<Tracked> _all;
    private readonly Dictionary<string, FileAmendments> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tracked> _excludes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string StudyId, string Field), Tracked> _resolves = [];
    private readonly List<string> _readFiles = [];

    private AmendmentSet(string name, DataDictionary dictionary, IReadOnlyList<Amendment> amendments, List<CohortProblem> problems)
    {
        _name = name;
        _dictionary = dictionary;
        _problems = problems;
        _all = amendments.Select(a => new Tracked(a)).ToList();
        Index();
    }

    /// <summary>The amendments file's name, as problems name it.</summary>
    public string Name => _name;

    /// <summary>The applied amendments, in file order (set by <see cref="Finish"/>).</summary>
    public IReadOnlyList<AppliedAmendment> Applied { get; private set; } = [];

    /// <summary>Reads the amendments file; duplicates are reported into <paramref name="problems"/> at once.</summary>
    /// <exception cref="ImportSetupException">The file is missing or malformed.</exception>
    public static AmendmentSet Load(string path, DataDictionary dictionary, List<CohortProblem> problems) =>
        new(Path.GetFileName(path), dictionary, AmendmentLoader.Load(path, dictionary), problems);

    /// <summary>A reader that applies this file's cell and row amendments, or <paramref name="reader"/> itself when it has none.</summary>
    public ITableReader Wrap(ITableReader reader, string file, SourceMapping mapping)
    {
        _readFiles.Add(file);
        if (!_files.TryGetValue(file, out var f))
        {
            // A file named by its path on the command line is shown with that path; its name alone (or any
            // trailing part of the path) names it too.
            var named = _files.Where(kv => !kv.Value.Read && file.Replace('\\', '/').EndsWith("/" + kv.Key, StringComparison.Ordinal)).ToList();
            if (named.Count != 1)
            {
                return reader;
            }

            f = named[0].Value;
        }

        f.Read = true;
        f.Display = file;
        var header = reader.Header;
        int Find(string column) => header.ToList().FindIndex(h => string.Equals(h.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase));
        foreach (var t in f.Sets.Values.SelectMany(r => r.Values))
        {
            t.ColumnIndex = Find(t.A.Column!);
            var column = t.ColumnIndex >= 0 ? header[t.ColumnIndex] : t.A.Column!;
            t.Identifying = mapping.Identifying.ContainsKey(column) || _dictionary.LooksIdentifying(column)
                || string.Equals(column, "birth_date", StringComparison.OrdinalIgnoreCase)
                || (mapping.Columns.TryGetValue(column, out var m) && m.Field == "birth_date");
            if (t.ColumnIndex >= 0)
            {
                f.ByCell[(t.A.Row, t.ColumnIndex)] = t;
            }
        }

        f.KeyIndex = header.ToList().FindIndex(h => !mapping.Identifying.ContainsKey(h) && !_dictionary.LooksIdentifying(h)
            && (mapping.Columns.TryGetValue(h, out var m) ? m.Field == mapping.Key : string.Equals(h, mapping.Key, StringComparison.OrdinalIgnoreCase)));
        return new AmendingTableReader(reader, f, this);
    }

    /// <summary>
    /// The value to keep when two sources disagree on <paramref name="field"/> of patient <paramref name="key"/>, or
    /// null when no amendment resolves it (the conflict is then reported as usual).
    /// </summary>
    public (object Value, RowRecord From)? Resolve(string key, string field, (object Value, RowRecord From) earlier, (object Value, RowRecord From) later)
    {
        if (!_resolves.TryGetValue((key, field), out var t) || t.Status == Status.Failed)
        {
            return null;
        }

        var a = t.A;
        (object Value, RowRecord From)? chosen;
        (object Value, RowRecord From) other;
        if (a.Source is { } source)
        {
            bool Is(RowRecord r) => string.Equals(r.Source, source, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Table.File, source, StringComparison.OrdinalIgnoreCase);
            chosen = Is(earlier.From) ? earlier : Is(later.From) ? later : null;
            other = Is(earlier.From) ? later : earlier;
            if (chosen is null)
            {
                t.Detail ??= $"a conflict on {field} of {key} involving source {source} (the sources that disagree are {SourceName(earlier.From)} and {SourceName(later.From)})";
                return null;
            }
        }
        else
        {
            chosen = Same(a.Value!, earlier.Value) ? earlier : Same(a.Value!, later.Value) ? later : (a.Value!, later.From);
            other = ReferenceEquals(chosen.Value.From, earlier.From) && Same(a.Value!, earlier.Value) ? later : earlier;
        }

        if (t.Status == Status.Pending)
        {
            t.Status = Status.Applied;
            var def = _dictionary[field];
            var hidden = field == "birth_date" || def.Type == FieldType.Text;
            t.StudyId = key;
            t.Field = field;
            t.Location = $"{Cite(earlier.From)} and {Cite(later.From)}";
            t.Change = a.Source is { } s
                ? hidden ? $"source {s} chosen" : $"source {s} chosen: {FieldRules.Format(chosen.Value.Value)} (not {FieldRules.Format(other.Value)})"
                : hidden ? "value chosen" : $"value {FieldRules.Format(a.Value)} chosen ({FieldRules.Format(earlier.Value)} vs {FieldRules.Format(later.Value)})";
        }

        return chosen;
    }

    /// <summary>Reports the amendments that matched nothing and lists the applied ones (file order).</summary>
    public void Finish(IReadOnlyList<ParsedTable> tables, IReadOnlyList<AssembledPatient> patients)
    {
        var ids = patients.Select(p => p.Patient.StudyId).ToHashSet(StringComparer.Ordinal);
        var byFile = tables.GroupBy(t => t.File, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var applied = new List<AppliedAmendment>();
        var rowsOf = new Dictionary<ParsedTable, Dictionary<int, RowRecord>>();
        foreach (var t in _all)
        {
            var a = t.A;
            if (t.Status == Status.Failed)
            {
                continue;
            }

            if (a.Kind == AmendmentKind.Exclude)
            {
                if (ids.Contains(a.StudyId!))
                {
                    applied.Add(new AppliedAmendment(a.Line, a.Kind, a.StudyId, null, $"patient {a.StudyId}", "excluded from the study", a.Reason));
                }
                else
                {
                    Unmatched(t, "study_id", a.StudyId, "the study id of a patient in the sources (no patient has it)");
                }

                continue;
            }

            if (t.Status == Status.Pending)
            {
                ReportUnmatched(t);
                continue;
            }

            if (a.Kind is AmendmentKind.Set or AmendmentKind.Drop && byFile.TryGetValue(_files[a.File!].Display ?? a.File!, out var table))
            {
                if (!rowsOf.TryGetValue(table, out var rows))
                {
                    rowsOf[table] = rows = table.Rows.GroupBy(r => r.Row).ToDictionary(g => g.Key, g => g.First());
                }

                t.StudyId ??= rows.GetValueOrDefault(a.Row)?.Key;
                if (a.Kind == AmendmentKind.Set)
                {
                    t.Field = table.Columns.FirstOrDefault(c => c.Index == t.ColumnIndex)?.Field.Name;
                }
            }

            applied.Add(new AppliedAmendment(a.Line, a.Kind, t.StudyId, t.Field, t.Location!, t.Change!, a.Reason));
        }

        Applied = applied;
    }

    /// <summary>
    /// Called by the reader when a row is read: the row's drop, if any, is applied (the row is skipped). A drop that
    /// names the row's study id is checked first, so that a changed file never loses another patient's row.
    /// </summary>
    internal bool Drops(FileAmendments f, int row, Func<int, object?> get)
    {
        if (!f.Drops.TryGetValue(row, out var t) || t.Status != Status.Pending)
        {
            return false;
        }

        var key = f.KeyIndex >= 0 && CellParser.Text(get(f.KeyIndex)) is { Length: > 0 } k ? k : null;
        if (t.A.StudyId is { } expected && !string.Equals(key, expected, StringComparison.Ordinal))
        {
            t.Status = Status.Failed;
            _problems.Add(f.KeyIndex < 0
                ? new CohortProblem(_name, t.A.Line, "study_id", AmendmentCodes.Unmatched, null, $"a key column of {t.A.File} that is read as text, to check the row against (it is pseudonymised or absent: leave out study_id)", Severity.Error, "The row was not dropped.")
                : new CohortProblem(_name, t.A.Line, "study_id", AmendmentCodes.Stale, key ?? string.Empty, $"\"{CohortProblem.Shown(expected)}\" in {Row(t.A)}, as this amendment's study_id: says (found is the row's key now)", Severity.Error, "The file changed since the amendment was written: the row was not dropped. Check the row number."));
            return false;
        }

        t.Status = Status.Applied;
        t.StudyId = key;
        t.Location = Row(t.A);
        t.Change = "row dropped";
        return true;
    }

    /// <summary>Called by the reader for an amended cell: checks the old value, returns the cell to parse.</summary>
    internal object? Apply(Tracked t, object? raw, string column)
    {
        if (t.Status == Status.Applied)
        {
            return t.A.New;
        }

        if (t.Status == Status.Failed)
        {
            return raw;
        }

        var text = CellParser.Text(raw);
        var a = t.A;
        var at = $"{Row(a)}, column \"{column}\"";
        if (!string.Equals(text, a.Old, StringComparison.Ordinal))
        {
            t.Status = Status.Failed;
            _problems.Add(new CohortProblem(
                _name,
                a.Line,
                "old",
                AmendmentCodes.Stale,
                t.Identifying ? null : text,
                t.Identifying
                    ? $"the old value this amendment names in {at} (an identifying column: neither value is shown)"
                    : $"\"{CohortProblem.Shown(a.Old)}\" in {at}, as this amendment's old: says (found is what the cell holds now)",
                Severity.Error,
                "The file changed since the amendment was written: check the cell, then update or remove the amendment."));
            return raw;
        }

        t.Status = Status.Applied;
        t.Location = at;
        t.Change = t.Identifying
            ? a.New is null ? "set missing" : "changed"
            : $"\"{CohortProblem.Shown(a.Old)}\" -> {(a.New is null ? "missing" : $"\"{CohortProblem.Shown(a.New)}\"")}";
        return a.New;
    }

    private static string Row(Amendment a) => string.Create(CultureInfo.InvariantCulture, $"{a.File} row {a.Row}");

    private static string Cite(RowRecord r) => string.Create(CultureInfo.InvariantCulture, $"{r.Table.File} row {r.Row}");

    private static string SourceName(RowRecord r) => r.Source ?? r.Table.File;

    private static bool Same(object a, object b) => (a, b) switch
    {
        (double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y))),
        (int x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(y)),
        (double x, int y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)),
        _ => a.Equals(b),
    };

    private void ReportUnmatched(Tracked t)
    {
        var a = t.A;
        switch (a.Kind)
        {
            case AmendmentKind.Resolve:
                Unmatched(t, "field", a.Field, t.Detail ?? $"a conflict between two sources on {a.Field} of patient {a.StudyId} (there is none: the sources agree, or only one has a value)");
                return;
            case AmendmentKind.Set or AmendmentKind.Drop:
                var f = _files[a.File!];
                if (!f.Read)
                {
                    var read = string.Join(", ", _readFiles);
                    Unmatched(t, "file", a.File, $"a file read in this import, named as the validation report names it ({(read.Length == 0 ? "none was read" : "read: " + read)})");
                }
                else if (a.Kind == AmendmentKind.Set && t.ColumnIndex < 0)
                {
                    Unmatched(t, "column", a.Column, $"a column of {a.File} (its header has no such column)");
                }
                else if (!f.RowsSeen.Contains(a.Row))
                {
                    Unmatched(t, "row", a.Row.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"a row of {a.File} (its rows are 2 to {f.LastRow})"));
                }
                else
                {
                    Unmatched(t, "column", a.Column, $"a column that is read ({a.Column} is not read: unmapped, dropped or refused as identifying, so there is nothing to amend)");
                }

                return;
        }
    }

    private void Unmatched(Tracked t, string key, string? found, string expected)
    {
        t.Status = Status.Failed;
        _problems.Add(new CohortProblem(_name, t.A.Line, key, AmendmentCodes.Unmatched, found, expected, Severity.Error, "An amendment that matches nothing is an error: correct it or remove it."));
    }

    private void Index()
    {
        var cells = new Dictionary<(string, int, string), Tracked>();
        foreach (var t in _all)
        {
            var a = t.A;
            switch (a.Kind)
            {
                case AmendmentKind.Set:
                {
                    var f = File(a.File!);
                    var column = a.Column!.Trim().ToUpperInvariant();
                    if (f.Drops.TryGetValue(a.Row, out var drop))
                    {
                        Duplicate(t, "row", $"{Row(a)} is dropped by line {drop.A.Line}");
                    }
                    else if (cells.TryGetValue((a.File!, a.Row, column), out var first))
                    {
                        Duplicate(t, "column", $"{Row(a)}, column \"{a.Column}\" is already amended on line {first.A.Line}");
                    }
                    else
                    {
                        cells.Add((a.File!, a.Row, column), t);
                        if (!f.Sets.TryGetValue(a.Row, out var row))
                        {
                            f.Sets[a.Row] = row = new Dictionary<string, Tracked>(StringComparer.Ordinal);
                        }

                        row[column] = t;
                    }

                    break;
                }

                case AmendmentKind.Drop:
                {
                    var f = File(a.File!);
                    if (f.Drops.TryGetValue(a.Row, out var first))
                    {
                        Duplicate(t, "row", $"{Row(a)} is already dropped on line {first.A.Line}");
                    }
                    else if (f.Sets.TryGetValue(a.Row, out var sets) && sets.Count > 0)
                    {
                        Duplicate(t, "row", $"a cell of {Row(a)} is set on line {sets.Values.First().A.Line}");
                    }
                    else
                    {
                        f.Drops.Add(a.Row, t);
                    }

                    break;
                }

                case AmendmentKind.Exclude:
                    if (!_excludes.TryAdd(a.StudyId!, t))
                    {
                        Duplicate(t, "study_id", $"patient {a.StudyId} is already excluded on line {_excludes[a.StudyId!].A.Line}");
                    }

                    break;
                case AmendmentKind.Resolve:
                    if (!_resolves.TryAdd((a.StudyId!, a.Field!), t))
                    {
                        Duplicate(t, "field", $"{a.Field} of patient {a.StudyId} is already resolved on line {_resolves[(a.StudyId!, a.Field!)].A.Line}");
                    }

                    break;
            }
        }
    }

    private FileAmendments File(string file)
    {
        if (!_files.TryGetValue(file, out var f))
        {
            _files[file] = f = new FileAmendments();
        }

        return f;
    }

    private void Duplicate(Tracked t, string key, string what)
    {
        t.Status = Status.Failed;
        _problems.Add(new CohortProblem(_name, t.A.Line, key, AmendmentCodes.Duplicate, null, $"one amendment per cell, row, patient or conflict ({what})", Severity.Error, "Keep one of the two amendments."));
    }

    internal enum Status
    {
        Pending,
        Applied,
        Failed,
    }

    /// <summary>An amendment and what became of it.</summary>
    internal sealed class Tracked(Amendment a)
    {
        public Amendment A { get; } = a;

        public Status Status { get; set; }

        public int ColumnIndex { get; set; } = -1;

        public bool Identifying { get; set; }

        public string? StudyId { get; set; }

        public string? Field { get; set; }

        public string? Location { get; set; }

        public string? Change { get; set; }

        /// <summary>Why a resolution did not match, when it was tried.</summary>
        public string? Detail { get; set; }
    }

    /// <summary>The cell and row amendments of one file (or sheet).</summary>
    internal sealed class FileAmendments
    {
        public Dictionary<int, Dictionary<string, Tracked>> Sets { get; } = [];

        public Dictionary<int, Tracked> Drops { get; } = [];

        public Dictionary<(int Row, int Column), Tracked> ByCell { get; } = [];

        public HashSet<int> RowsSeen { get; } = [];

        public HashSet<int> ColumnsRead { get; } = [];

        public bool Read { get; set; }

        /// <summary>The file as problems name it (the amendment may name it by a trailing part of its path).</summary>
        public string? Display { get; set; }

        public int LastRow { get; set; } = 1;

        public int KeyIndex { get; set; } = -1;
    }
}
