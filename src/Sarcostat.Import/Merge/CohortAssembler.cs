using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Amendments;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import.Merge;

/// <summary>
/// Merges the parsed tables into patients and runs the domain rules.
/// </summary>
/// <remarks>
/// Patients: rows of every patients table, in source order, grouped by key. Within one table a key seen again is a
/// <c>duplicate-key</c> (the row is not merged). Across tables: a value present in one and missing in another is
/// taken; equal values merge; a different value is a <c>conflict</c> on the later row's cell, and the field is then
/// unknown for every other rule. Procedures: rows of procedures tables (and patients rows carrying procedure fields),
/// grouped by (key, pm_date), merged the same way. A procedures row whose key is in no patients table is an
/// <c>orphan-procedure</c>. Then <see cref="PatientRules.Check"/> runs on each patient, and the presence rules on each
/// procedure. One pass over the rows and one over the patients: no pairwise loops.
/// </remarks>
internal sealed class CohortAssembler(DataDictionary dictionary, List<CohortProblem> problems, AmendmentSet? amendments = null)
{
    private readonly Dictionary<string, PatientAcc> _patients = new(StringComparer.Ordinal);

    /// <summary>Merges the tables; returns the patients in order of first appearance.</summary>
    public IReadOnlyList<AssembledPatient> Assemble(IReadOnlyList<ParsedTable> tables)
    {
        foreach (var table in tables.Where(t => t.Table == CohortTable.Patients && !t.Unusable))
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                AddPatientRow(row, seen);
            }
        }

        foreach (var table in tables.Where(t => t.Table == CohortTable.Procedures))
        {
            foreach (var row in table.Rows)
            {
                AddProcedureRow(row);
            }
        }

        return _patients.Values.Select(Build).ToList();
    }

    private void AddPatientRow(RowRecord row, Dictionary<string, int> seenInTable)
    {
        if (row.Key is not { } key)
        {
            return;
        }

        if (!_patients.TryGetValue(key, out var acc))
        {
            acc = new PatientAcc(key, row);
            _patients.Add(key, acc);
        }

        acc.Rows.Add(row);
        if (seenInTable.TryGetValue(key, out var firstRow))
        {
            var keyField = row.Table.Mapping.Key;
            problems.Add(Problem(row.Locate(keyField), RuleCodes.DuplicateKey, key, $"one row per patient in a table ({keyField} {key} is already on row {firstRow})", key, "Remove or merge the repeated row."));
            return;
        }

        seenInTable.Add(key, row.Row);
        if (row.Source is { } source && !acc.Sources.Contains(source))
        {
            acc.Sources.Add(source);
        }

        var procedureData = false;
        foreach (var (field, value) in row.Values)
        {
            var def = dictionary[field];
            if (def.Table == CohortTable.Procedures)
            {
                procedureData = true;
            }
            else if (field != "source")
            {
                Merge(acc.Values, acc.Conflicted, field, value, row, key);
            }
        }

        foreach (var field in row.Reported)
        {
            if (dictionary[field].Table == CohortTable.Procedures)
            {
                procedureData = true;
            }
            else
            {
                acc.Reported.Add(field);
            }
        }

        if (procedureData)
        {
            if (row.Values.ContainsKey("pm_date") || row.Reported.Contains("pm_date"))
            {
                AddProcedure(acc, row);
            }
            else
            {
                // Procedure fields on a patients row without a date of their own: about the patient's first
                // metastasectomy, wherever its date is (the procedures table, a repeated group); attached in Build.
                acc.Undated.Add(row);
            }
        }

        foreach (var group in row.Groups)
        {
            AddProcedure(acc, group);
        }
    }

    private void AddProcedureRow(RowRecord row)
    {
        if (row.Key is not { } key)
        {
            return;
        }

        if (!_patients.TryGetValue(key, out var acc))
        {
            if (!row.Table.Unusable)
            {
                var keyField = row.Table.Mapping.Key;
                problems.Add(Problem(row.Locate(keyField), RuleCodes.OrphanProcedure, key, $"a {keyField} that is in a patients table", key, "Check the key, or add the patient to the patients table."));
            }

            return;
        }

        acc.Rows.Add(row);
        if (row.Table.Unusable)
        {
            acc.ProcedureDateUnknown = true;
            return;
        }

        AddProcedure(acc, row);

        // Patients fields a procedures table has (a field only that table has): about the row's patient, merged
        // like a patients row of another source (rows that disagree are a conflict).
        foreach (var (field, value) in row.Values)
        {
            if (dictionary[field].Table == CohortTable.Patients && field != row.Table.Mapping.Key && field != "source")
            {
                Merge(acc.Values, acc.Conflicted, field, value, row, key);
            }
        }

        acc.Reported.UnionWith(row.Reported.Where(f => dictionary[f].Table == CohortTable.Patients));
    }

    /// <summary>
    /// Attaches the procedure values of patients rows without a date to the patient's first metastasectomy; without any
    /// procedure, a row whose table has a pm_date column is missing its date there (as a row carrying one procedure).
    /// </summary>
    private void AttachUndated(PatientAcc acc)
    {
        foreach (var row in acc.Undated)
        {
            if (acc.Procedures.Count == 0)
            {
                if (row.HasColumn("pm_date"))
                {
                    AddProcedure(acc, row);
                }

                continue;
            }

            var first = acc.Procedures.Values.MinBy(p => p.Date)!;
            first.Rows.Add(row);
            foreach (var (field, value) in row.Values)
            {
                if (dictionary[field].Table == CohortTable.Procedures)
                {
                    Merge(first.Values, first.Conflicted, field, value, row, acc.Key);
                }
            }

            first.Reported.UnionWith(row.Reported.Where(f => dictionary[f].Table == CohortTable.Procedures));
        }
    }

    /// <summary>Adds the procedure a row carries; a row without a readable pm_date makes the first PM date unknown.</summary>
    private void AddProcedure(PatientAcc acc, RowRecord row)
    {
        if (!row.Values.TryGetValue("pm_date", out var dateValue) || dateValue is not DateOnly date)
        {
            acc.ProcedureDateUnknown = true;
            if (!row.Reported.Contains("pm_date"))
            {
                problems.Add(FieldRules.Missing(dictionary["pm_date"], row.Locate("pm_date"), acc.Key)!);
            }

            return;
        }

        if (!acc.Procedures.TryGetValue(date, out var proc))
        {
            proc = new ProcedureAcc(date, row);
            acc.Procedures.Add(date, proc);
        }

        proc.Rows.Add(row);
        foreach (var (field, value) in row.Values)
        {
            if (dictionary[field].Table == CohortTable.Procedures)
            {
                Merge(proc.Values, proc.Conflicted, field, value, row, acc.Key);
            }
        }

        proc.Reported.UnionWith(row.Reported.Where(f => dictionary[f].Table == CohortTable.Procedures));
    }

    private void Merge(Dictionary<string, (object Value, RowRecord From)> values, HashSet<string> conflicted, string field, object value, RowRecord row, string studyId)
    {
        if (!values.TryGetValue(field, out var existing))
        {
            values.Add(field, (value, row));
            return;
        }

        if (Same(existing.Value, value))
        {
            return;
        }

        if (amendments?.Resolve(studyId, field, existing, (value, row)) is { } resolved)
        {
            values[field] = resolved;
            return;
        }

        conflicted.Add(field);
        var shown = Shown(field);
        var earlier = Cite(existing.From);
        if (field == "birth_date" && existing.Value is DateOnly before && value is DateOnly after)
        {
            // A date of birth identifies a patient: say how far apart the two are and where, never the dates.
            problems.Add(Problem(
                row.Locate(field),
                RuleCodes.Conflict,
                null,
                string.Create(CultureInfo.InvariantCulture, $"the same date of birth as {earlier} (the two dates, not shown, differ by {Math.Abs(after.DayNumber - before.DayNumber)} day{(Math.Abs(after.DayNumber - before.DayNumber) == 1 ? string.Empty : "s")})"),
                studyId,
                "The sources disagree: correct the wrong one (no value is chosen silently)."));
            return;
        }

        problems.Add(Problem(
            row.Locate(field),
            RuleCodes.Conflict,
            shown ? FieldRules.Format(value) : null,
            shown ? $"the same value as {earlier} ({FieldRules.Format(existing.Value)})" : $"the same text as {earlier}",
            studyId,
            "The sources disagree: correct the wrong one (no value is chosen silently)."));
    }

    private static string Cite(RowRecord row) => FormattableString.Invariant($"{row.Table.File} row {row.Row}");

    /// <summary>Free text is never echoed in a conflict (it may hold details a code never does).</summary>
    private bool Shown(string field) => dictionary[field].Type != FieldType.Text || field is "study_id" or "site" or "source";

    private static bool Same(object a, object b) => (a, b) switch
    {
        (double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y))),
        _ => a.Equals(b),
    };

    private AssembledPatient Build(PatientAcc acc)
    {
        AttachUndated(acc);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, (value, _)) in acc.Values)
        {
            if (!acc.Conflicted.Contains(field))
            {
                values[field] = value;
            }
        }

        if (acc.Sources.Count > 0)
        {
            values["source"] = string.Join(",", acc.Sources);
        }

        var patientRows = acc.Rows.Where(r => r.Table.Table == CohortTable.Patients).ToList();
        var origins = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var field in FieldAccess.PatientFields.Append("pm_date"))
        {
            origins[field] = acc.Values.TryGetValue(field, out var v) ? v.From.Locate(field) : Where(field == "pm_date" ? patientRows : acc.Rows, acc.First, field);
        }

        var unknown = new HashSet<string>(acc.Reported.Where(f => !acc.Values.ContainsKey(f)), StringComparer.Ordinal);
        unknown.UnionWith(acc.Conflicted);
        if (acc.ProcedureDateUnknown)
        {
            unknown.Add("pm_date");
        }

        if (!values.ContainsKey("study_id"))
        {
            // The key is not study_id and no source gave one: reported here, and the key stands in so the patient can be built.
            if (!unknown.Contains("study_id"))
            {
                problems.Add(FieldRules.Missing(dictionary["study_id"], origins["study_id"], acc.Key)!);
            }

            values["study_id"] = acc.Key;
        }

        var procedures = new List<Metastasectomy>();
        foreach (var proc in acc.Procedures.Values.OrderBy(p => p.Date))
        {
            var procValues = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var field in dictionary.FieldsOf(CohortTable.Procedures))
            {
                if (proc.Values.TryGetValue(field.Name, out var v))
                {
                    if (!proc.Conflicted.Contains(field.Name))
                    {
                        procValues[field.Name] = v.Value;
                    }
                }
                else if ((field.Required || field.Recommended) && !proc.Reported.Contains(field.Name)
                         && FieldRules.Missing(field, Where(proc.Rows, proc.First, field.Name), acc.Key) is { } missing)
                {
                    problems.Add(missing);
                }
            }

            procedures.Add(FieldAccess.BuildMetastasectomy(procValues, proc.First.Locate("pm_date")));
        }

        var patient = FieldAccess.BuildPatient(values, procedures, origins);
        problems.AddRange(PatientRules.Check(patient, dictionary, unknown));
        return new AssembledPatient(patient, acc.Rows);
    }

    /// <summary>Where a missing field would be: the first row whose table has a column for it, else the first row (column = field name).</summary>
    private static SourceLocation Where(List<RowRecord> rows, RowRecord first, string field) =>
        (rows.FirstOrDefault(r => r.HasColumn(field)) ?? first).Locate(field);

    private static CohortProblem Problem(SourceLocation at, string rule, string? found, string expected, string? studyId, string? hint = null) =>
        new(at.File, at.Row, at.Column, rule, found, expected, Severity.Error, hint, studyId);

    private sealed class PatientAcc(string key, RowRecord first)
    {
        public string Key { get; } = key;

        public RowRecord First { get; } = first;

        public List<RowRecord> Rows { get; } = [];

        public List<string> Sources { get; } = [];

        public Dictionary<string, (object Value, RowRecord From)> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Conflicted { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);

        public Dictionary<DateOnly, ProcedureAcc> Procedures { get; } = [];

        public bool ProcedureDateUnknown { get; set; }

        /// <summary>Patients rows with procedure values and no date: attached to the first metastasectomy in Build.</summary>
        public List<RowRecord> Undated { get; } = [];
    }

    private sealed class ProcedureAcc(DateOnly date, RowRecord first)
    {
        public DateOnly Date { get; } = date;

        public RowRecord First { get; } = first;

        public List<RowRecord> Rows { get; } = [];

        public Dictionary<string, (object Value, RowRecord From)> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Conflicted { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>A merged patient and every row it was built from (to reject it when an error points at one of them).</summary>
internal sealed record AssembledPatient(Patient Patient, IReadOnlyList<RowRecord> Rows);
