using System.Globalization;
using ExcelDataReader.Exceptions;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Amendments;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Reading;

/// <summary>
/// Reads the tables of one planned file: recognises each header cell (identifying, mapped, a field, or unmapped),
/// then parses every non-blank row. Header problems point at row 1; cell problems at the cell.
/// </summary>
internal sealed class TableParser(DataDictionary dictionary, string? salt, List<CohortProblem> problems, AmendmentSet? amendments = null)
{
    /// <summary>Reads a planned file: one table, or for a workbook the sheets it holds (see docs/import.md).</summary>
    public IEnumerable<ParsedTable> Read(FilePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var tables = new List<ParsedTable>();
        try
        {
            if (ImportPlanner.IsWorkbook(plan.Path))
            {
                var names = XlsxTableReader.SheetNames(plan.Path);
                foreach (var (sheet, table) in Sheets(plan, names))
                {
                    using var reader = XlsxTableReader.Open(plan.Path, sheet);
                    tables.Add(ReadTable(reader, $"{plan.Display}[{names[sheet]}]", plan.Mapping, table));
                }
            }
            else
            {
                using var reader = CsvTableReader.Open(plan.Path, plan.Display);
                try
                {
                    tables.Add(ReadTable(reader, plan.Display, plan.Mapping, plan.Table));
                }
                finally
                {
                    // The reader's own problems (not UTF-8; unclosed quote, cell count, ...: each located at its row).
                    problems.AddRange(reader.Problems);
                }
            }
        }
        catch (WorkbookException e)
        {
            problems.Add(new CohortProblem(plan.Display, e.Row, e.Column, e.Rule, e.Found, e.Expected, Severity.Error, e.Hint));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExcelReaderException or InvalidDataException
                                      or NotSupportedException or FormatException or ArgumentException
                                      || (ImportPlanner.IsWorkbook(plan.Path) && e is System.Xml.XmlException or InvalidCastException or IndexOutOfRangeException or NullReferenceException))
        {
            // The last four only as ExcelDataReader throws them on a corrupt workbook; on a CSV file they are our
            // defects and reach the last-resort handler instead of passing for an unreadable file.
            problems.Add(new CohortProblem(plan.Display, null, null, RuleCodes.UnreadableFile, null, "a readable CSV or XLSX file", Severity.Error, $"The file could not be read ({e.GetType().Name})."));
        }

        return tables;
    }

    /// <summary>
    /// Reads every planned file. A source whose mapping names a sheet its workbook lacks (or points a table at a
    /// workbook of several sheets, none named after the table) gets one <c>missing-sheet</c> error per table and none of
    /// its files is read: a source read in part would report its other table's rows as orphans.
    /// </summary>
    public List<ParsedTable> ReadAll(IReadOnlyList<FilePlan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var blocked = new HashSet<SourceMapping>();
        foreach (var plan in plans.Where(p => p.Table is not null && ImportPlanner.IsWorkbook(p.Path)))
        {
            IReadOnlyList<string> names;
            try
            {
                names = XlsxTableReader.SheetNames(plan.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExcelReaderException or InvalidDataException
                                          or NotSupportedException or FormatException or ArgumentException)
            {
                continue; // Read reports the file as unreadable.
            }

            if (MissingSheet(plan, names) is { } problem)
            {
                problems.Add(problem);
                blocked.Add(plan.Mapping);
            }
        }

        return plans.Where(p => !blocked.Contains(p.Mapping)).SelectMany(Read).ToList();
    }

    /// <summary>The sheet a planned table reads (see <see cref="Sheets"/>), or -1 when the workbook lacks it.</summary>
    private static int SheetOf(FilePlan plan, IReadOnlyList<string> names)
    {
        int Find(string name) => names.ToList().FindIndex(n => string.Equals(n.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
        var table = plan.Table!.Value;
        if (plan.Mapping.Sheets.TryGetValue(table, out var named))
        {
            return Find(named);
        }

        var byTable = Find(ImportPlanner.Name(table));
        return byTable >= 0 ? byTable : names.Count == 1 ? 0 : -1;
    }

    private static CohortProblem? MissingSheet(FilePlan plan, IReadOnlyList<string> names)
    {
        if (SheetOf(plan, names) >= 0)
        {
            return null;
        }

        var table = ImportPlanner.Name(plan.Table!.Value);
        var present = string.Join(", ", names.Select(n => $"'{n}'"));
        var mapping = System.IO.Path.GetFileName(plan.Mapping.Path);
        if (plan.Mapping.Sheets.TryGetValue(plan.Table.Value, out var named))
        {
            return new CohortProblem(plan.Display, null, null, RuleCodes.MissingSheet, named, $"a sheet named '{named}' for the {table} table, as {mapping} says (the workbook has {present})", Severity.Error,
                $"Correct the sheet's name under files: {table}: in the mapping. No file of this source was read.");
        }

        return new CohortProblem(plan.Display, null, null, RuleCodes.MissingSheet, null, $"a sheet named '{table}' for the {table} table (the workbook has {present})", Severity.Error,
            $"Name the sheet in {mapping}: files: {table}: {{file: {plan.Display}, sheet: NAME}}. No file of this source was read.");
    }

    /// <summary>
    /// Which sheets to read. A table that a mapping's <c>files:</c> points at the workbook: the sheet the mapping names,
    /// else the sheet named after the table, else the workbook's only sheet (never a guess among several: see
    /// <see cref="ReadAll"/>). A workbook given without a mapping's <c>files:</c>: the sheets named patients and procedures
    /// when it has them, else its first sheet, recognised by its header (with a <c>first-sheet</c> warning when it has
    /// other sheets).
    /// </summary>
    private IEnumerable<(int Sheet, CohortTable? Table)> Sheets(FilePlan plan, IReadOnlyList<string> names)
    {
        int Find(string name) => names.ToList().FindIndex(n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (plan.Table is { } t)
        {
            var sheet = SheetOf(plan, names);
            if (sheet >= 0)
            {
                yield return (sheet, t);
            }
            else if (MissingSheet(plan, names) is { } problem)
            {
                problems.Add(problem); // only when read without ReadAll's check
            }

            yield break;
        }

        var patients = Find("patients");
        var procedures = Find("procedures");
        if (patients < 0 && procedures < 0)
        {
            if (names.Count > 1)
            {
                problems.Add(new CohortProblem(
                    plan.Display,
                    null,
                    null,
                    RuleCodes.FirstSheet,
                    names[0],
                    $"sheets named patients and procedures, or a mapping naming the sheet (the workbook has {string.Join(", ", names.Select(n => $"'{n}'"))})",
                    Severity.Warning,
                    $"The first sheet, '{names[0]}', was read; the others were not. Rename the sheets, or name the sheet in a mapping: files: patients: {{file: {plan.Display}, sheet: NAME}}."));
            }

            yield return (0, null);
            yield break;
        }

        if (patients >= 0)
        {
            yield return (patients, CohortTable.Patients);
        }

        if (procedures >= 0)
        {
            yield return (procedures, CohortTable.Procedures);
        }
    }

    private ParsedTable ReadTable(ITableReader reader, string file, SourceMapping mapping, CohortTable? given)
    {
        reader = amendments?.Wrap(reader, file, mapping) ?? reader;
        var header = reader.Header;
        var (columns, table) = Resolve(header, file, mapping, given);
        var parsed = new ParsedTable(file, mapping, table, header, columns);
        var keySpec = columns.FirstOrDefault(c => c.Field.Name == mapping.Key && c.Group < 0);
        if (keySpec is null)
        {
            parsed.Unusable = true;
            problems.Add(new CohortProblem(file, 1, mapping.Key, RuleCodes.MissingColumn, null, $"a column for the key field {mapping.Key} (named {mapping.Key}, mapped under columns:, or pseudonymised)", Severity.Error, "Every row of this table is rejected: rows cannot be matched to patients without the key."));
        }
        else if (table == CohortTable.Procedures && !parsed.HasColumn("pm_date"))
        {
            parsed.Unusable = true;
            problems.Add(new CohortProblem(file, 1, "pm_date", RuleCodes.MissingColumn, null, "a column for pm_date in a procedures table", Severity.Error, "Every row of this table is rejected: a procedure needs its date."));
        }

        var cells = new CellParser(mapping, salt, dictionary.MonthDays);
        var raw = new object?[columns.Count];
        var studySpec = mapping.Key == "study_id" ? null : columns.FirstOrDefault(c => c.Field.Name == "study_id" && c.Group < 0);
        // Repeated groups (by position in repeat.index) and their columns' positions, computed once per table.
        var groups = columns.Select((c, i) => (c.Group, Index: i)).Where(x => x.Group >= 0)
            .GroupBy(x => x.Group).OrderBy(g => g.Key).Select(g => (Group: g.Key, Indexes: g.Select(x => x.Index).ToArray())).ToList();
        while (reader.Read())
        {
            if (reader.Malformed)
            {
                // A row the reader reported (cell count, stray quote, control character, ...): counted as read, and
                // rejected by that error with its patient; only its key is read, since its other cells may be shifted,
                // and they are unknown rather than missing (no "required value missing" on top of the reader's error).
                parsed.RowsRead++;
                if (keySpec is not null)
                {
                    var bad = new RowRecord(parsed, reader.Row);
                    parsed.Rows.Add(bad);
                    _ = cells.Parse(keySpec, reader.Get(keySpec.Index), bad.Locate(keySpec.Field.Name), null, out var badKey);
                    bad.Key = badKey as string;
                    bad.Reported.UnionWith(columns.Select(c => c.Field.Name));
                }

                continue;
            }

            var blank = true;
            for (var i = 0; i < columns.Count; i++)
            {
                raw[i] = reader.Get(columns[i].Index);
                blank &= IsBlank(raw[i]);
            }

            if (blank)
            {
                continue;
            }

            parsed.RowsRead++;
            if (keySpec is null)
            {
                continue;
            }

            var record = new RowRecord(parsed, reader.Row);
            parsed.Rows.Add(record);
            var keyIndex = columns.IndexOf(keySpec);
            var keyProblem = cells.Parse(keySpec, raw[keyIndex], record.Locate(keySpec.Field.Name), null, out var key);
            record.Key = key as string;
            string? studyId = null;
            if (studySpec is not null)
            {
                _ = cells.Parse(studySpec, raw[columns.IndexOf(studySpec)], record.Locate("study_id"), null, out var sid);
                studyId = sid as string;
            }
            else
            {
                studyId = record.Key;
            }

            if (parsed.Unusable)
            {
                continue;
            }

            if (keyProblem is not null)
            {
                problems.Add(keyProblem);
                record.Reported.Add(keySpec.Field.Name);
            }
            else if (record.Key is null)
            {
                problems.Add(FieldRules.Missing(keySpec.Field, record.Locate(keySpec.Field.Name), null)
                    ?? new CohortProblem(file, reader.Row, keySpec.Name, RuleCodes.MissingRequired, null, $"a value for the key {keySpec.Field.Name}"));
                record.Reported.Add(keySpec.Field.Name);
            }
            else
            {
                record.Values[keySpec.Field.Name] = record.Key;
            }

            for (var i = 0; i < columns.Count; i++)
            {
                var spec = columns[i];
                if (ReferenceEquals(spec, keySpec) || spec.Group >= 0)
                {
                    continue;
                }

                ParseInto(record, spec, raw[i], cells, studyId);
            }

            // Repeated groups (repeat:): a group whose cells are all empty is no procedure; any other is read whole
            // and checked like a procedures row (a date missing from a filled group is reported on its date column).
            var typedDates = new Dictionary<RowRecord, string>();
            foreach (var (g, indexes) in groups)
            {
                if (indexes.All(i => IsBlank(raw[i])))
                {
                    continue;
                }

                var group = new RowRecord(parsed, reader.Row, g) { Key = record.Key };
                record.Groups.Add(group);
                foreach (var i in indexes)
                {
                    ParseInto(group, columns[i], raw[i], cells, studyId);
                    if (columns[i].Field.Name == "pm_date" && raw[i] is string typed)
                    {
                        typedDates[group] = typed.Trim(); // shown as it stands in the file
                    }
                }
            }

            CheckGroupOrder(record, studyId, typedDates);
        }

        foreach (var (column, note) in cells.Conversions)
        {
            var rows = string.Join(", ", note.Rows.Select(r => r.ToString(CultureInfo.InvariantCulture))) + (note.Count > note.Rows.Count ? ", ..." : string.Empty);
            problems.Add(new CohortProblem(
                file,
                1,
                column,
                RuleCodes.UnitConverted,
                note.FirstFound,
                $"numbers in {note.ColumnUnit}, the column's unit",
                Severity.Warning,
                string.Create(CultureInfo.InvariantCulture, $"{note.Count} {(note.Count == 1 ? "cell was" : "cells were")} typed in {string.Join(", ", note.TypedUnits)} instead of {note.ColumnUnit}: {(note.Count == 1 ? "it was" : "each was")} read in the unit typed and stored in {note.FieldUnit} ({(note.Count == 1 ? "row" : "rows")} {rows}).")));
        }

        parsed.RowsDropped = (reader as Amendments.AmendingTableReader)?.Dropped ?? 0;
        return parsed;
    }

    private static bool IsBlank(object? cell) => cell is null || (cell is string s && string.IsNullOrWhiteSpace(s));

    private void ParseInto(RowRecord record, ColumnSpec spec, object? raw, CellParser cells, string? studyId)
    {
        var problem = cells.Parse(spec, raw, record.Locate(spec.Field.Name), studyId, out var value);
        problem ??= AfterExtractDate(record, spec, raw, value, studyId);
        if (problem is not null)
        {
            problems.Add(problem);
            record.Reported.Add(spec.Field.Name);
        }
        else if (value is not null)
        {
            record.Values[spec.Field.Name] = value;
        }
    }

    /// <summary>
    /// Repeated groups are numbered in the order the operations happened (Op date 1, Op date 2, ...): a group's pm_date
    /// before the previous dated group's is a <c>procedure-order</c> error on the later group's date cell, naming the
    /// earlier one. Dates already reported (unreadable, after the extract date) are not compared; the later date stays read (the row is rejected by the error).
    /// Found is the date cell as it stands in the file (a workbook's date cell: yyyy-MM-dd), as for every other rule.
    /// </summary>
    private void CheckGroupOrder(RowRecord record, string? studyId, Dictionary<RowRecord, string> typedDates)
    {
        RowRecord? previous = null;
        foreach (var group in record.Groups)
        {
            if (!group.Values.TryGetValue("pm_date", out var v) || v is not DateOnly date)
            {
                continue;
            }

            if (previous is not null && (DateOnly)previous.Values["pm_date"] is var before && date < before)
            {
                var at = group.Locate("pm_date");
                var earlier = previous.Locate("pm_date");
                problems.Add(new CohortProblem(
                    at.File,
                    at.Row > 0 ? at.Row : null,
                    at.Column,
                    RuleCodes.ProcedureOrder,
                    typedDates.GetValueOrDefault(group) ?? FieldRules.Format(date),
                    $"a date on or after the previous operation's ({FieldRules.Format(before)}, column \"{earlier.Column}\")",
                    Severity.Error,
                    "Repeated operations are numbered in date order: check day/month order and the year of both dates, or their order.",
                    studyId));
            }

            previous = group;
        }
    }

    /// <summary>
    /// A date later than the source's <c>extract_date</c>: an error on its cell (the value is then unknown to the
    /// patient rules, as for any reported cell). A date of birth is never shown, only that it is after the extract date.
    /// </summary>
    private static CohortProblem? AfterExtractDate(RowRecord record, ColumnSpec spec, object? raw, object? value, string? studyId)
    {
        if (value is not DateOnly date || record.Table.Mapping.ExtractDate is not { } extract || date <= extract)
        {
            return null;
        }

        var at = record.Locate(spec.Field.Name);
        var birth = spec.Field.Name == "birth_date";
        return new CohortProblem(
            at.File,
            at.Row > 0 ? at.Row : null,
            at.Column ?? spec.Name,
            RuleCodes.AfterExtractDate,
            birth ? null : raw is string text ? text.Trim() : FieldRules.Format(date), // as it stands in the file
            $"a date on or before the extract date ({FieldRules.Format(extract)}, extract_date in {System.IO.Path.GetFileName(record.Table.Mapping.Path)})",
            Severity.Error,
            birth
                ? "The date of birth (not shown) is after the extract date: check its year."
                : "A date after the extract cannot have happened yet: check the year and the day/month order.",
            studyId);
    }

    /// <summary>
    /// The columns to read and the table. Per header cell, in this order: declared identifying (dropped, or read as a
    /// pseudonym); looks identifying (refused, never read); mapped under columns:; a repeated column (repeat:, patients
    /// tables); a field name (ignoring case); otherwise unmapped (warning). A field read by two columns (of one repeated
    /// group) is an error on the second. A table holds fields of the other table too: a procedure field in a patients
    /// table is about a procedure of that patient, a patients field in a procedures table about its patient.
    /// </summary>
    private (List<ColumnSpec> Columns, CohortTable Table) Resolve(IReadOnlyList<string> header, string file, SourceMapping mapping, CohortTable? given)
    {
        var repeated = new Dictionary<string, (ColumnMapping Column, int Group)>(StringComparer.OrdinalIgnoreCase);
        if (mapping.Repeat is { } repeat && given != CohortTable.Procedures)
        {
            for (var g = 0; g < repeat.Indexes.Count; g++)
            {
                foreach (var (template, column) in repeat.Columns)
                {
                    repeated.TryAdd(RepeatMapping.Column(template, repeat.Indexes[g]), (column, g));
                }
            }
        }

        var specs = new List<ColumnSpec>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (name.Length == 0)
            {
                continue;
            }

            if (mapping.Identifying.TryGetValue(name, out var rule))
            {
                if (!rule.Drop)
                {
                    specs.Add(new ColumnSpec(i, name, dictionary[rule.PseudonymiseInto!], 1, null, mapping.DateFormat, Pseudonymise: true));
                }

                continue;
            }

            if (dictionary.LooksIdentifying(name))
            {
                problems.Add(new CohortProblem(
                    file,
                    1,
                    name,
                    RuleCodes.IdentifyingColumn,
                    null,
                    "no identifying column, or one the mapping drops or pseudonymises",
                    Severity.Error,
                    $"Its values were not read. Declare it in the mapping: identifying: {{{name}: drop}} or {{{name}: {{pseudonymise: study_id}}}}."));
                continue;
            }

            if (mapping.Columns.TryGetValue(name, out var mapped))
            {
                specs.Add(Spec(i, name, mapped, mapping));
                continue;
            }

            if (repeated.TryGetValue(name, out var r))
            {
                specs.Add(Spec(i, name, r.Column, mapping) with { Group = r.Group });
                continue;
            }

            var named = dictionary.Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (named is not null)
            {
                specs.Add(new ColumnSpec(i, name, named, 1, null, mapping.DateFormat, Pseudonymise: false) { DecimalSeparator = mapping.DecimalSeparator });
                continue;
            }

            problems.Add(new CohortProblem(
                file,
                1,
                name,
                RuleCodes.UnmappedColumn,
                null,
                "a field of the data dictionary, or a column mapped under columns:",
                Severity.Warning,
                "The column is not read."));
        }

        var table = given ?? (specs.Any(s => s.Field.Name == "pm_date" && s.Group < 0) && specs.All(s => s.Field.Name != "sex") ? CohortTable.Procedures : CohortTable.Patients);
        var kept = new List<ColumnSpec>();
        foreach (var spec in specs)
        {
            if (kept.FirstOrDefault(k => k.Field.Name == spec.Field.Name && k.Group == spec.Group) is { } first)
            {
                problems.Add(new CohortProblem(file, 1, spec.Name, RuleCodes.DuplicateColumn, null, $"one column per field ({spec.Field.Name} is read from column \"{first.Name}\")", Severity.Error, "The column is not read."));
                continue;
            }

            kept.Add(spec);
        }

        if (mapping.Repeat is { } rep && table == CohortTable.Patients)
        {
            CheckRepeatedGroups(rep, kept, file);
        }

        return (kept, table);
    }

    private ColumnSpec Spec(int index, string name, ColumnMapping mapped, SourceMapping mapping)
    {
        var field = dictionary[mapped.Field];
        var factor = mapped.Unit is null || field.Unit is null ? 1.0 : Units.Factor(mapped.Unit, field.Unit, dictionary.MonthDays) ?? 1.0;
        return new ColumnSpec(index, name, field, factor, mapped.Unit, mapped.DateFormat ?? mapping.DateFormat, Pseudonymise: false)
        {
            Blank = mapped.Blank,
            DecimalSeparator = mapped.DecimalSeparator ?? mapping.DecimalSeparator,
        };
    }

    /// <summary>
    /// A patients table must have the repeated groups the mapping declares: none at all is a <c>missing-column</c> on the
    /// first group's date column, and a group with columns but no date column a <c>missing-column</c> on that column (the
    /// group's columns are then not read). Groups whose columns are all absent are simply not in this extract.
    /// </summary>
    private void CheckRepeatedGroups(RepeatMapping repeat, List<ColumnSpec> kept, string file)
    {
        var dateTemplate = repeat.Columns.First(c => c.Value.Field == "pm_date").Key;
        if (!kept.Any(c => c.Group >= 0))
        {
            problems.Add(new CohortProblem(file, 1, RepeatMapping.Column(dateTemplate, repeat.Indexes[0]), RuleCodes.MissingColumn, null,
                $"the repeated columns of the mapping's repeat: ({string.Join(", ", repeat.Columns.Keys.Select(k => $"\"{k}\""))} for {{i}} = {repeat.Indexes[0]} ... {repeat.Indexes[^1]})",
                Severity.Error,
                "No repeated procedure was read from this table. Check the column names under repeat: columns:."));
            return;
        }

        foreach (var g in kept.Where(c => c.Group >= 0).Select(c => c.Group).Distinct().ToList())
        {
            if (kept.Any(c => c.Group == g && c.Field.Name == "pm_date"))
            {
                continue;
            }

            var date = RepeatMapping.Column(dateTemplate, repeat.Indexes[g]);
            var others = kept.Where(c => c.Group == g).Select(c => $"\"{c.Name}\"").ToList();
            problems.Add(new CohortProblem(file, 1, date, RuleCodes.MissingColumn, null,
                $"a column for pm_date of repeated group {repeat.Indexes[g]} (the table has {string.Join(", ", others)})",
                Severity.Error,
                "A repeated group is a metastasectomy and needs its date: the group's columns are not read."));
            kept.RemoveAll(c => c.Group == g);
        }
    }
}
