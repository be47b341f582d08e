using System.Globalization;
using YamlDotNet.Serialization;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

/// <summary>One ERROR problem: where it points and its rule (a manifest row).</summary>
internal sealed record Problem(string File, int Row, string Column, string Rule)
{
    public override string ToString() => $"{File},{Row},{Column},{Rule}";
}

/// <summary>
/// A small, independent reading of the lead's contract (docs/simulation.md quotes it): the ERROR rules of
/// <c>sarcostat validate DIR</c> applied to a simulated folder, written from the brief's rule table without looking at
/// the simulator. It is not the validator (being written on another branch); it checks that the simulator's manifest
/// is exactly what the contract implies, and that clean output yields no error at all.
/// </summary>
internal static class ContractCheck
{
    private static readonly DataDictionary D = DataDictionary.Default;
    private static readonly string[] Chain = ["birth_date", "primary_surgery_date", "lung_met_date", "pm_date", "last_contact_date"];

    public static IReadOnlyList<Problem> Errors(string dir)
    {
        var problems = new List<Problem>();
        var sources = new List<Source>();
        var mappings = Directory.GetFiles(dir, "*.yaml").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (mappings.Length == 0)
        {
            sources.Add(new Source("canonical", "study_id", "yyyy-MM-dd", "patients.csv", "procedures.csv",
                new Dictionary<string, (string, string?, string?)>(), new Dictionary<string, Dictionary<string, string>>(), ["", "NA", "-"]));
        }
        else
        {
            sources.AddRange(mappings.Select(ReadMapping));
        }

        // Read every table of every source, in the order given.
        var patients = new List<Row>();
        var procedures = new List<Row>();
        foreach (var s in sources)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in ReadTable(dir, s, s.PatientsFile, problems))
            {
                if (row.Key is string k && !seen.Add(k))
                {
                    problems.Add(new Problem(row.File, row.Number, row.ColumnOf(s.KeyField), "duplicate-key"));
                    continue;
                }

                patients.Add(row);
            }

            if (s.ProceduresFile is not null && File.Exists(Path.Combine(dir, s.ProceduresFile)))
            {
                procedures.AddRange(ReadTable(dir, s, s.ProceduresFile, problems));
            }
        }

        // Merge: sources in order; a later source's differing value is a conflict on its cell.
        var merged = new Dictionary<string, Dictionary<string, (object Value, Row Row)>>(StringComparer.Ordinal);
        var firstRow = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var row in patients.Where(r => r.Key is not null))
        {
            if (!merged.TryGetValue(row.Key!, out var fields))
            {
                merged[row.Key!] = fields = new Dictionary<string, (object, Row)>(StringComparer.Ordinal);
                firstRow[row.Key!] = row;
            }

            foreach (var (field, value) in row.Values)
            {
                if (value is null)
                {
                    continue;
                }

                if (fields.TryGetValue(field, out var earlier))
                {
                    if (!Equals(earlier.Value, value))
                    {
                        problems.Add(new Problem(row.File, row.Number, row.ColumnOf(field), "conflict"));
                    }
                }
                else
                {
                    fields[field] = (value, row);
                }
            }
        }

        var pmByKey = new Dictionary<string, (DateOnly Date, Row Row)>(StringComparer.Ordinal);
        foreach (var row in procedures)
        {
            if (row.Key is null)
            {
                continue;
            }

            if (!merged.ContainsKey(row.Key))
            {
                problems.Add(new Problem(row.File, row.Number, row.ColumnOf("study_id"), "orphan-procedure"));
                continue;
            }

            if (row.Values.TryGetValue("pm_date", out var v) && v is DateOnly d && (!pmByKey.TryGetValue(row.Key, out var cur) || d < cur.Date))
            {
                pmByKey[row.Key] = (d, row);
            }
        }

        // Cross-field rules on each merged patient; a value that failed to parse is missing.
        foreach (var (key, fields) in merged)
        {
            (object Value, Row Row)? Get(string f) => fields.TryGetValue(f, out var x) ? x : null;
            DateOnly? Date(string f) => f == "pm_date" ? pmByKey.TryGetValue(key, out var pm) ? pm.Date : null : Get(f)?.Value as DateOnly?;
            (string File, int Row, string Column) Where(string f)
            {
                if (f == "pm_date" && pmByKey.TryGetValue(key, out var pm))
                {
                    return (pm.Row.File, pm.Row.Number, pm.Row.ColumnOf("pm_date"));
                }

                var r = Get(f)?.Row ?? firstRow[key];
                return (r.File, r.Number, r.ColumnOf(f));
            }

            if (!pmByKey.ContainsKey(key))
            {
                var r = firstRow[key];
                problems.Add(new Problem(r.File, r.Number, r.ColumnOf("pm_date"), "no-procedure"));
            }

            string? previous = null;
            foreach (var f in Chain)
            {
                if (Date(f) is not DateOnly current)
                {
                    continue;
                }

                // A synchronous metastasis may be found at staging, before the primary surgery.
                if (previous is not null && !(previous == "primary_surgery_date" && f == "lung_met_date" && Get("synchronous")?.Value is true))
                {
                    var before = Date(previous)!.Value;
                    bool bad = previous == "birth_date" ? before >= current : before > current;
                    if (bad)
                    {
                        var (file, row, column) = Where(f);
                        problems.Add(new Problem(file, row, column, "date-order"));
                    }
                }

                previous = f;
            }

            var death = Date("death_date");
            var vital = Get("vital_status")?.Value as string;
            if (death is DateOnly dd && Date("pm_date") is DateOnly firstPm && dd < firstPm)
            {
                var (file, row, column) = Where("death_date");
                problems.Add(new Problem(file, row, column, "death-before-pm"));
            }

            if (death is not null && vital == "alive")
            {
                var (file, row, column) = Where("vital_status");
                problems.Add(new Problem(file, row, column, "death-date-but-alive"));
            }

            if (death is null && vital == "dead")
            {
                var (file, row, column) = Where("death_date");
                problems.Add(new Problem(file, row, column, "dead-without-date"));
            }

            if (Get("synchronous")?.Value is true && Date("lung_met_date") is DateOnly met && Date("primary_surgery_date") is DateOnly prim
                && met.DayNumber - prim.DayNumber > 30)
            {
                var (file, row, column) = Where("synchronous");
                problems.Add(new Problem(file, row, column, "synchronous-with-dfi"));
            }
        }

        return problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<Problem> ReadManifest(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(','))
            .Select(c => new Problem(c[0], int.Parse(c[1], CultureInfo.InvariantCulture), c[2], c[3]))
            .OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal).ToList();

    /// <summary>Splits CSV text (RFC 4180 quotes) into rows of cells.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. cells]);
                cells.Clear();
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            rows.Add([.. cells]);
        }

        return rows;
    }

    private static IEnumerable<Row> ReadTable(string dir, Source s, string file, List<Problem> problems)
    {
        var rows = ParseCsv(File.ReadAllText(Path.Combine(dir, file)));
        var header = rows[0];
        var fieldOf = new Dictionary<int, (string Field, string? Unit, string DateFormat)>();
        for (int c = 0; c < header.Length; c++)
        {
            string name = header[c];
            if (s.Columns.TryGetValue(name, out var m))
            {
                fieldOf[c] = (m.Field, m.Unit, m.DateFormat ?? s.DateFormat);
            }
            else if (D.TryGet(name, out _))
            {
                fieldOf[c] = (name, null, s.DateFormat);
            }
            else if (D.LooksIdentifying(name))
            {
                problems.Add(new Problem(file, 1, name, "identifying-column"));
            }
        }

        bool isProcedures = fieldOf.Values.Any(f => f.Field == "pm_date") && !fieldOf.Values.Any(f => f.Field == "sex");
        var table = isProcedures ? CohortTable.Procedures : CohortTable.Patients;
        for (int r = 1; r < rows.Count; r++)
        {
            var row = new Row(file, r + 1);
            foreach (var (c, (field, unit, fmt)) in fieldOf)
            {
                row.Columns[field] = header[c];
                string raw = (c < rows[r].Length ? rows[r][c] : string.Empty).Trim();
                if (s.Missing.Contains(raw))
                {
                    row.Values[field] = null;
                    continue;
                }

                var def = D[field];
                object? value = null;
                string? rule = null;
                switch (def.Type)
                {
                    case FieldType.Date:
                        value = DateOnly.TryParseExact(raw, fmt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
                        rule = value is null ? "not-a-date" : null;
                        break;
                    case FieldType.Integer:
                        value = int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;
                        rule = value is null ? "not-an-integer" : null;
                        break;
                    case FieldType.Number:
                        value = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x * (unit == "cm" && def.Unit == "mm" ? 10 : 1) : null;
                        rule = value is null ? "not-a-number" : null;
                        break;
                    case FieldType.Boolean:
                        value = raw.Equals("yes", StringComparison.OrdinalIgnoreCase) ? true : raw.Equals("no", StringComparison.OrdinalIgnoreCase) ? false : null;
                        rule = value is null ? "not-a-boolean" : null;
                        break;
                    case FieldType.Code:
                        if (s.Codes.TryGetValue(field, out var map))
                        {
                            value = map.FirstOrDefault(kv => kv.Key.Equals(raw, StringComparison.OrdinalIgnoreCase)).Value;
                        }

                        value ??= def.Label(raw) is not null ? raw : null;
                        rule = value is null ? "unknown-code" : null;
                        break;
                    default:
                        value = raw;
                        break;
                }

                if (rule is null && value is int or double && (Convert.ToDouble(value, CultureInfo.InvariantCulture) < def.Min || Convert.ToDouble(value, CultureInfo.InvariantCulture) > def.Max))
                {
                    rule = "out-of-range";
                }

                if (rule is not null)
                {
                    problems.Add(new Problem(file, r + 1, header[c], rule));
                    row.Failed.Add(field);
                    value = null;
                }

                row.Values[field] = value;
            }

            foreach (var def in D.FieldsOf(table).Where(f => f.Required))
            {
                if ((!row.Values.TryGetValue(def.Name, out var v) || v is null) && !row.Failed.Contains(def.Name))
                {
                    problems.Add(new Problem(file, r + 1, row.ColumnOf(def.Name), "missing-required"));
                }
            }

            if (isProcedures && (!row.Values.TryGetValue(s.KeyField, out var key) || key is null))
            {
                problems.Add(new Problem(file, r + 1, row.ColumnOf(s.KeyField), "missing-required"));
            }

            row.Key = row.Values.TryGetValue(s.KeyField, out var k) ? k as string : null;
            yield return row;
        }
    }

    private static Source ReadMapping(string path)
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(File.ReadAllText(path));
        string Str(string key, string fallback) => yaml.TryGetValue(key, out var v) && v is string s ? s : fallback;
        var files = yaml.TryGetValue("files", out var f) ? (Dictionary<object, object>)f : [];
        var columns = new Dictionary<string, (string, string?, string?)>(StringComparer.Ordinal);
        if (yaml.TryGetValue("columns", out var cols))
        {
            foreach (var (k, v) in (Dictionary<object, object>)cols)
            {
                columns[(string)k] = v is string field
                    ? (field, null, null)
                    : ((string)((Dictionary<object, object>)v)["field"],
                       ((Dictionary<object, object>)v).TryGetValue("unit", out var u) ? (string)u : null,
                       ((Dictionary<object, object>)v).TryGetValue("date_format", out var df) ? (string)df : null);
            }
        }

        var codes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (yaml.TryGetValue("codes", out var cds))
        {
            foreach (var (k, v) in (Dictionary<object, object>)cds)
            {
                codes[(string)k] = ((Dictionary<object, object>)v).ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value, StringComparer.Ordinal);
            }
        }

        var missing = yaml.TryGetValue("missing", out var ms) ? ((List<object>)ms).Select(o => (string)o).ToList() : ["", "NA", "-"];
        return new Source(Str("source", Path.GetFileNameWithoutExtension(path)), Str("key", "study_id"), Str("date_format", "yyyy-MM-dd"),
            (string)files["patients"], files.TryGetValue("procedures", out var pf) ? (string)pf : null, columns, codes, missing);
    }

    private sealed record Source(
        string Name,
        string KeyField,
        string DateFormat,
        string PatientsFile,
        string? ProceduresFile,
        Dictionary<string, (string Field, string? Unit, string? DateFormat)> Columns,
        Dictionary<string, Dictionary<string, string>> Codes,
        List<string> Missing);

    private sealed class Row(string file, int number)
    {
        public string File { get; } = file;

        public int Number { get; } = number;

        public string? Key { get; set; }

        public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Columns { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Failed { get; } = new(StringComparer.Ordinal);

        public string ColumnOf(string field) => Columns.TryGetValue(field, out var c) ? c : field;
    }
}
