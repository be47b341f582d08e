using CsvHelper;
using ExcelDataReader.Exceptions;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Reading;

/// <summary>
/// Reads the tables of one planned file: recognises each header cell (identifying, mapped, a field, or unmapped),
/// then parses every non-blank row. Header problems point at row 1; cell problems at the cell.
/// </summary>
internal sealed class TableParser(DataDictionary dictionary, string? salt, List<CohortProblem> problems)
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
                foreach (var (sheet, table) in Sheets(names, plan.Table))
                {
                    using var reader = XlsxTableReader.Open(plan.Path, sheet);
                    tables.Add(ReadTable(reader, $"{plan.Display}[{names[sheet]}]", plan.Mapping, table));
                }
            }
            else
            {
                using var reader = CsvTableReader.Open(plan.Path);
                if (reader.NotUtf8)
                {
                    problems.Add(new CohortProblem(plan.Display, null, null, RuleCodes.NotUtf8, null, "UTF-8 text", Severity.Warning, "The file was read as Windows-1252; save it as UTF-8 (\"CSV UTF-8\" in Excel)."));
                }

                tables.Add(ReadTable(reader, plan.Display, plan.Mapping, plan.Table));
            }
        }
        catch (WorkbookException e)
        {
            problems.Add(new CohortProblem(plan.Display, e.Row, e.Column, e.Rule, e.Found, e.Expected, Severity.Error, e.Hint));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExcelReaderException or InvalidDataException
                                      or NotSupportedException or CsvFormatException or FormatException or ArgumentException
                                      or System.Xml.XmlException or InvalidCastException or IndexOutOfRangeException or NullReferenceException)
        {
            problems.Add(new CohortProblem(plan.Display, null, null, RuleCodes.UnreadableFile, null, "a readable CSV or XLSX file", Severity.Error, $"The file could not be read ({e.GetType().Name})."));
        }

        return tables;
    }

    /// <summary>
    /// Which sheets to read: the sheet named after the table the mapping gives (else the first); without one, the sheets
    /// named patients and procedures when the workbook has them, else the first sheet.
    /// </summary>
    private static IEnumerable<(int Sheet, CohortTable? Table)> Sheets(IReadOnlyList<string> names, CohortTable? table)
    {
        int Find(string name) => names.ToList().FindIndex(n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (table is { } t)
        {
            yield return (Math.Max(0, Find(ImportPlanner.Name(t))), t);
            yield break;
        }

        var patients = Find("patients");
        var procedures = Find("procedures");
        if (patients < 0 && procedures < 0)
        {
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
        var header = reader.Header;
        var (columns, table) = Resolve(header, file, mapping, given);
        var parsed = new ParsedTable(file, mapping, table, header, columns);
        var keySpec = columns.FirstOrDefault(c => c.Field.Name == mapping.Key);
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

        var cells = new CellParser(mapping, salt);
        var raw = new object?[columns.Count];
        var studySpec = mapping.Key == "study_id" ? null : columns.FirstOrDefault(c => c.Field.Name == "study_id");
        while (reader.Read())
        {
            var blank = true;
            for (var i = 0; i < columns.Count; i++)
            {
                raw[i] = reader.Get(columns[i].Index);
                blank &= raw[i] is null || (raw[i] is string s && string.IsNullOrWhiteSpace(s));
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
                if (ReferenceEquals(spec, keySpec))
                {
                    continue;
                }

                var problem = cells.Parse(spec, raw[i], record.Locate(spec.Field.Name), studyId, out var value);
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
        }

        return parsed;
    }

    /// <summary>
    /// The columns to read and the table. Per header cell, in this order: declared identifying (dropped, or read as a
    /// pseudonym); looks identifying (refused, never read); mapped under columns:; a field name (ignoring case);
    /// otherwise unmapped (warning). A field read by two columns is an error on the second.
    /// </summary>
    private (List<ColumnSpec> Columns, CohortTable Table) Resolve(IReadOnlyList<string> header, string file, SourceMapping mapping, CohortTable? given)
    {
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
                var field = dictionary[mapped.Field];
                var factor = mapped.Unit is null || field.Unit is null ? 1.0 : Units.Factor(mapped.Unit, field.Unit, dictionary.MonthDays) ?? 1.0;
                specs.Add(new ColumnSpec(i, name, field, factor, mapped.Unit, mapped.DateFormat ?? mapping.DateFormat, Pseudonymise: false));
                continue;
            }

            var named = dictionary.Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (named is not null)
            {
                specs.Add(new ColumnSpec(i, name, named, 1, null, mapping.DateFormat, Pseudonymise: false));
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

        var table = given ?? (specs.Any(s => s.Field.Name == "pm_date") && specs.All(s => s.Field.Name != "sex") ? CohortTable.Procedures : CohortTable.Patients);
        var kept = new List<ColumnSpec>();
        foreach (var spec in specs)
        {
            if (table == CohortTable.Procedures && spec.Field.Table == CohortTable.Patients && spec.Field.Name != mapping.Key)
            {
                problems.Add(new CohortProblem(file, 1, spec.Name, RuleCodes.UnmappedColumn, null, $"a procedures field ({spec.Field.Name} belongs in the patients table)", Severity.Warning, "The column is not read."));
                continue;
            }

            if (kept.FirstOrDefault(k => k.Field.Name == spec.Field.Name) is { } first)
            {
                problems.Add(new CohortProblem(file, 1, spec.Name, RuleCodes.DuplicateColumn, null, $"one column per field ({spec.Field.Name} is read from column \"{first.Name}\")", Severity.Error, "The column is not read."));
                continue;
            }

            kept.Add(spec);
        }

        return (kept, table);
    }
}
