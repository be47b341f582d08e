using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Files.Config;

namespace Sarcostat.Import.Mapping;

/// <summary>
/// Reads a mapping file into a <see cref="SourceMapping"/>, checking every key against the data dictionary and
/// collecting every error (file, line, key, what was expected, what was found) before throwing one
/// <see cref="ImportSetupException"/>.
/// </summary>
internal static class MappingLoader
{
    private static readonly string[] TopKeys = ["source", "key", "date_format", "two_digit_year_pivot", "decimal", "files", "columns", "repeat", "codes", "identifying", "missing", "extract_date", "severity"];

    public static SourceMapping Parse(string text, string path, DataDictionary dictionary)
    {
        var fileName = System.IO.Path.GetFileName(path);
        var errors = new List<string>();
        var root = ConfigFile.Parse(text, fileName);
        if (root is not ConfigMap map)
        {
            throw new ImportSetupException($"{fileName}: expected a map with keys {string.Join(", ", TopKeys)}; found {root?.Kind ?? "an empty file"}.");
        }

        void Error(ConfigNode? at, string key, string expected, string? found = null)
        {
            var line = at?.Line is { } l ? string.Create(CultureInfo.InvariantCulture, $" line {l}") : string.Empty;
            var tail = found is null ? string.Empty : $"; found '{found}'";
            errors.Add($"{fileName}{line}: key '{key}': expected {expected}{tail}.");
        }

        string? source = System.IO.Path.GetFileNameWithoutExtension(path);
        var key = "study_id";
        var dateFormat = "yyyy-MM-dd";
        var files = new Dictionary<CohortTable, string>();
        var sheets = new Dictionary<CohortTable, string>();
        var decimalSeparator = '.';
        RepeatMapping? repeat = null;
        var blanks = new List<PendingBlank>();
        var columns = new Dictionary<string, ColumnMapping>(StringComparer.OrdinalIgnoreCase);
        var codes = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var identifying = new Dictionary<string, IdentifyingRule>(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<string> missing = SourceMapping.DefaultMissing;
        int? pivot = null;
        DateOnly? extractDate = null;
        IReadOnlyList<SeverityOverride> severity = [];
        var yearFormats = new List<(ConfigNode Node, string Key, string Format)>();

        foreach (var (k, node) in Distinct(map, string.Empty, Error))
        {
            switch (k)
            {
                case "source":
                    source = Scalar(node, k, "a source database name", Error) ?? source;
                    break;
                case "key":
                    if (Scalar(node, k, "a patients field name", Error) is { } keyField)
                    {
                        if (dictionary.TryGet(keyField, out var f) && f.Table == CohortTable.Patients && f.Type == FieldType.Text)
                        {
                            key = keyField;
                        }
                        else
                        {
                            Error(node, k, "a text field of the patients table, such as study_id", keyField);
                        }
                    }

                    break;
                case "date_format":
                    if (Scalar(node, k, "a date format such as dd/MM/yyyy", Error) is { } df)
                    {
                        if (ValidDateFormat(df))
                        {
                            dateFormat = df;
                            yearFormats.Add((node, k, df));
                        }
                        else
                        {
                            Error(node, k, "a date format with day, month and year, such as dd/MM/yyyy or yyyy-MM-dd", df);
                        }
                    }

                    break;
                case "decimal":
                    decimalSeparator = ReadDecimal(node, k, Error) ?? decimalSeparator;
                    break;
                case "two_digit_year_pivot":
                    if (Scalar(node, k, "a year such as 1950", Error) is { } py)
                    {
                        if (int.TryParse(py, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1800 and <= 2100)
                        {
                            pivot = year;
                        }
                        else
                        {
                            Error(node, k, "a year from 1800 to 2100, the first year a two-digit year stands for (1950: 49 is 2049, 50 is 1950)", py);
                        }
                    }

                    break;
                case "extract_date":
                    extractDate = MappingRuleKeys.ReadExtractDate(node, k, Error);
                    break;
                case "severity":
                    severity = MappingRuleKeys.ReadSeverity(node, k, Error);
                    break;
                case "files":
                    ReadFiles(node, files, sheets, Error);
                    break;
                case "columns":
                    ReadColumns(node, dictionary, columns, blanks, Error, yearFormats);
                    break;
                case "repeat":
                    repeat = MappingFeatures.ReadRepeat(node, dictionary, blanks, Error);
                    foreach (var (template, column) in repeat?.Columns ?? new Dictionary<string, ColumnMapping>())
                    {
                        if (column.DateFormat is { } format)
                        {
                            yearFormats.Add((node, "repeat.columns." + template + ".date_format", format));
                        }
                    }

                    break;
                case "codes":
                    ReadCodes(node, dictionary, codes, Error);
                    break;
                case "identifying":
                    ReadIdentifying(node, dictionary, identifying, Error);
                    break;
                case "missing":
                    if (node is ConfigList list)
                    {
                        missing = list.Items.Select(i => i is ConfigScalar s ? s.Value ?? string.Empty : null).OfType<string>().ToList();
                        if (list.Items.Any(i => i is not ConfigScalar))
                        {
                            Error(node, k, "a list of values, such as [\"\", \"NA\", \"-\"]");
                        }
                    }
                    else
                    {
                        Error(node, k, "a list of values, such as [\"\", \"NA\", \"-\"]", node.Kind);
                    }

                    break;
                default:
                    Error(node, k, "one of " + string.Join(", ", TopKeys) + " (unknown key)");
                    break;
            }
        }

        foreach (var (node, k, format) in yearFormats.Where(f => pivot is null && TwoDigitYear(f.Format)))
        {
            Error(node, k, "a four-digit year (yyyy); a two-digit year is ambiguous (is 62 1962 or 2062?). Use yyyy, or add two_digit_year_pivot: YEAR, the first year yy stands for (1950: 49 is 2049, 50 is 1950)", format);
        }

        foreach (var column in identifying.Keys.Where(columns.ContainsKey))
        {
            errors.Add($"{fileName}: key 'identifying.{column}': expected a column that is not also under columns: (an identifying column is dropped or pseudonymised, never read as a field).");
        }

        if (repeat is not null)
        {
            foreach (var column in repeat.Indexes.SelectMany(i => repeat.Columns.Keys.Select(t => RepeatMapping.Column(t, i))))
            {
                if (columns.ContainsKey(column) || identifying.ContainsKey(column))
                {
                    errors.Add($"{fileName}: key 'repeat.columns': expected columns that are not also under {(columns.ContainsKey(column) ? "columns:" : "identifying:")}; found '{column}'.");
                }
            }
        }

        MappingFeatures.ResolveBlanks(blanks, dictionary, codes, columns, ref repeat, Error);

        if (errors.Count > 0)
        {
            throw new ImportSetupException(errors);
        }

        return new SourceMapping(path, source, key, dateFormat, files, columns, codes, identifying, missing)
        {
            Sheets = sheets,
            DecimalSeparator = decimalSeparator,
            Repeat = repeat,
            TwoDigitYearPivot = pivot,
            ExtractDate = extractDate,
            SeverityOverrides = severity,
        };
    }

    /// <summary>Whether a date format writes the year with one or two digits (<c>yy</c>, <c>y</c>): ambiguous without a pivot.</summary>
    internal static bool TwoDigitYear(string format)
    {
        for (int i = 0; i < format.Length;)
        {
            if (format[i] != 'y')
            {
                i++;
                continue;
            }

            int run = 0;
            while (i < format.Length && format[i] == 'y')
            {
                run++;
                i++;
            }

            if (run <= 2)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A date format is usable when it names day, month and year and round-trips a date whose day and month differ.</summary>
    internal static bool ValidDateFormat(string format)
    {
        if (!format.Contains('d', StringComparison.Ordinal) || !format.Contains('M', StringComparison.Ordinal) || !format.Contains('y', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var probe = new DateOnly(2001, 2, 13);
            var text = probe.ToString(format, CultureInfo.InvariantCulture);
            return DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) && back == probe;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void ReadFiles(ConfigNode node, Dictionary<CohortTable, string> files, Dictionary<CohortTable, string> sheets, Action<ConfigNode?, string, string, string?> error)
    {
        if (node is not ConfigMap map)
        {
            error(node, "files", "a map {patients: FILE, procedures: FILE}", node.Kind);
            return;
        }

        foreach (var (table, value) in Distinct(map, "files.", (n, k, e, f) => error(n, k, e, f)))
        {
            var at = "files." + table;
            string? path = null;
            string? sheet = null;
            if (value is ConfigMap spec)
            {
                // {file: cohort.xlsx, sheet: Patients}: the sheet of a workbook, named (never guessed).
                foreach (var (k, v) in Distinct(spec, at + ".", (n, kk, e, f) => error(n, kk, e, f)))
                {
                    switch (k)
                    {
                        case "file":
                            path = Scalar(v, at + ".file", "a file path relative to the mapping file", (n, kk, e, f) => error(n, kk, e, f));
                            break;
                        case "sheet":
                            sheet = Scalar(v, at + ".sheet", "the name of a sheet of the workbook", (n, kk, e, f) => error(n, kk, e, f));
                            break;
                        default:
                            error(v, at + "." + k, "file or sheet (unknown key)", null);
                            break;
                    }
                }

                if (path is null)
                {
                    error(value, at + ".file", "the file, such as {file: cohort.xlsx, sheet: Patients}", null);
                    continue;
                }

                if (sheet is not null && !Reading.ImportPlanner.IsWorkbook(path))
                {
                    error(value, at + ".sheet", "no sheet: only a workbook (.xlsx, .xlsm, .xls) has sheets", sheet);
                    sheet = null;
                }
            }
            else
            {
                path = Scalar(value, at, "a file path relative to the mapping file, or {file: FILE, sheet: SHEET}", (n, k, e, f) => error(n, k, e, f));
            }

            if (path is null)
            {
                continue;
            }

            CohortTable? t = table switch
            {
                "patients" => CohortTable.Patients,
                "procedures" => CohortTable.Procedures,
                _ => null,
            };
            if (t is not { } which)
            {
                error(value, at, "patients or procedures as the table name", table);
                continue;
            }

            files[which] = path;
            if (sheet is not null)
            {
                sheets[which] = sheet;
            }
        }
    }

    private static char? ReadDecimal(ConfigNode node, string key, Action<ConfigNode?, string, string, string?> error)
    {
        var text = Scalar(node, key, "dot or comma (the decimal separator of numbers typed as text)", error);
        switch (text?.ToUpperInvariant())
        {
            case null:
                return null;
            case "DOT" or ".":
                return '.';
            case "COMMA" or ",":
                return ',';
            default:
                error(node, key, "dot or comma (the decimal separator of numbers typed as text)", text);
                return null;
        }
    }

    private static void ReadColumns(ConfigNode node, DataDictionary dictionary, Dictionary<string, ColumnMapping> columns, List<PendingBlank> blanks, Action<ConfigNode?, string, string, string?> error, List<(ConfigNode Node, string Key, string Format)> yearFormats)
    {
        if (node is not ConfigMap map)
        {
            error(node, "columns", "a map from source column to field", node.Kind);
            return;
        }

        foreach (var (column, value) in Distinct(map, "columns.", (n, k, e, f) => error(n, k, e, f), ignoreCase: true))
        {
            if (ReadColumn(value, "columns." + column, dictionary, error) is { } mapping)
            {
                columns[column.Trim()] = mapping.Column;
                if (mapping.Column.DateFormat is { } format)
                {
                    yearFormats.Add((value, "columns." + column + ".date_format", format));
                }

                if (mapping.Blank is { } blank)
                {
                    blanks.Add(blank with { Column = column.Trim() });
                }
            }
        }
    }

    /// <summary>One column's mapping: a field name, or {field, unit, date_format, decimal, blank}; null after an error.</summary>
    internal static (ColumnMapping Column, PendingBlank? Blank)? ReadColumn(ConfigNode value, string at, DataDictionary dictionary, Action<ConfigNode?, string, string, string?> error)
    {
        string? fieldName;
        string? unit = null;
        string? dateFormat = null;
        char? decimalSeparator = null;
        ConfigNode? blankNode = null;
        if (value is ConfigMap spec)
        {
            fieldName = null;
            foreach (var (k, v) in Distinct(spec, at + ".", (n, kk, e, f) => error(n, kk, e, f)))
            {
                switch (k)
                {
                    case "field":
                        fieldName = Scalar(v, at + ".field", "a field name", (n, kk, e, f) => error(n, kk, e, f));
                        break;
                    case "unit":
                        unit = Scalar(v, at + ".unit", "a unit (" + Units.Names + ")", (n, kk, e, f) => error(n, kk, e, f));
                        break;
                    case "date_format":
                        dateFormat = Scalar(v, at + ".date_format", "a date format such as dd/MM/yyyy", (n, kk, e, f) => error(n, kk, e, f));
                        break;
                    case "decimal":
                        decimalSeparator = ReadDecimal(v, at + ".decimal", error);
                        break;
                    case "blank":
                        blankNode = v;
                        break;
                    default:
                        error(v, at + "." + k, "field, unit, date_format, decimal or blank (unknown key)", null);
                        break;
                }
            }

            if (fieldName is null)
            {
                error(value, at + ".field", "the field this column holds, such as {field: largest_nodule_mm, unit: cm}", null);
                return null;
            }
        }
        else
        {
            fieldName = Scalar(value, at, "a field name, or {field: ..., unit: ..., date_format: ..., decimal: ..., blank: ...}", (n, k, e, f) => error(n, k, e, f));
            if (fieldName is null)
            {
                return null;
            }
        }

        if (!dictionary.TryGet(fieldName, out var field))
        {
            error(value, at, "a field of the data dictionary (docs/data-dictionary.md)", fieldName);
            return null;
        }

        if (unit is not null)
        {
            if (field.Type is not (FieldType.Number or FieldType.Integer) || field.Unit is null)
            {
                error(value, at + ".unit", $"no unit: {field.Name} has no unit to convert to", unit);
                unit = null;
            }
            else if (Units.Factor(unit, field.Unit, dictionary.MonthDays) is null)
            {
                error(value, at + ".unit", $"a unit convertible to {field.Unit} of {field.Name} ({Units.Names})", unit);
                unit = null;
            }
        }

        if (dateFormat is not null && (field.Type != FieldType.Date || !ValidDateFormat(dateFormat)))
        {
            error(value, at + ".date_format", field.Type != FieldType.Date ? $"no date_format: {field.Name} is not a date" : "a date format with day, month and year, such as MM/dd/yyyy", dateFormat);
            dateFormat = null;
        }

        if (decimalSeparator is not null && field.Type is not (FieldType.Number or FieldType.Integer))
        {
            error(value, at + ".decimal", $"no decimal: {field.Name} is not a number", decimalSeparator.ToString());
            decimalSeparator = null;
        }

        PendingBlank? blank = null;
        if (blankNode is not null)
        {
            if (field.Type is not (FieldType.Code or FieldType.Boolean or FieldType.Number or FieldType.Integer))
            {
                error(blankNode, at + ".blank", $"no blank: a {field.Type.ToString().ToLowerInvariant()} field cannot take a value for an empty cell (only code, yes/no and number fields)", blankNode is ConfigScalar sc ? sc.Value : blankNode.Kind);
            }
            else if (Scalar(blankNode, at + ".blank", "the value an empty cell means, such as none or no", error) is { } text)
            {
                blank = new PendingBlank(null, null, field, text, blankNode, at + ".blank");
            }
        }

        return (new ColumnMapping(field.Name, unit, dateFormat) { DecimalSeparator = decimalSeparator }, blank);
    }

    private static void ReadCodes(ConfigNode node, DataDictionary dictionary, Dictionary<string, IReadOnlyDictionary<string, string>> codes, Action<ConfigNode?, string, string, string?> error)
    {
        if (node is not ConfigMap map)
        {
            error(node, "codes", "a map from field to {source value: code}", node.Kind);
            return;
        }

        foreach (var (fieldName, value) in Distinct(map, "codes.", (n, k, e, f) => error(n, k, e, f)))
        {
            var at = "codes." + fieldName;
            if (!dictionary.TryGet(fieldName, out var field) || field.Type is not (FieldType.Code or FieldType.Boolean))
            {
                error(value, at, "a code or yes/no field of the data dictionary", fieldName);
                continue;
            }

            if (value is not ConfigMap values)
            {
                error(value, at, "a map from source value to code, such as {M: male, F: female}", value.Kind);
                continue;
            }

            var allowed = field.Type == FieldType.Boolean ? ["yes", "no"] : field.Codes.Select(c => c.Key).ToList();
            var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (sourceValue, codeNode) in Distinct(values, at + ".", (n, k, e, f) => error(n, k, e, f), ignoreCase: true))
            {
                var code = Scalar(codeNode, at + "." + sourceValue, "a code", (n, k, e, f) => error(n, k, e, f));
                if (code is null)
                {
                    continue;
                }

                // The code as the dictionary spells it (a mapping may write Male for male: codes match ignoring case).
                var canonical = allowed.FirstOrDefault(a => string.Equals(a, code, StringComparison.OrdinalIgnoreCase));
                if (canonical is null)
                {
                    error(codeNode, at + "." + sourceValue, $"a code of {field.Name} ({string.Join(", ", allowed)})", code);
                    continue;
                }

                table[sourceValue.Trim()] = canonical;
            }

            codes[field.Name] = table;
        }
    }

    private static void ReadIdentifying(ConfigNode node, DataDictionary dictionary, Dictionary<string, IdentifyingRule> identifying, Action<ConfigNode?, string, string, string?> error)
    {
        if (node is not ConfigMap map)
        {
            error(node, "identifying", "a map from source column to drop or {pseudonymise: study_id}", node.Kind);
            return;
        }

        foreach (var (column, value) in Distinct(map, "identifying.", (n, k, e, f) => error(n, k, e, f), ignoreCase: true))
        {
            var at = "identifying." + column;
            if (value is ConfigScalar { Value: "drop" })
            {
                identifying[column.Trim()] = new IdentifyingRule(null);
                continue;
            }

            if (value is ConfigMap spec && spec.Entries.Count == 1 && spec.Entries[0].Key.Value == "pseudonymise")
            {
                var target = Scalar(spec.Entries[0].Value, at + ".pseudonymise", "a field name", (n, k, e, f) => error(n, k, e, f));
                if (target is null)
                {
                    continue;
                }

                if (!dictionary.TryGet(target, out var field) || field.Table != CohortTable.Patients || field.Type != FieldType.Text)
                {
                    error(spec, at + ".pseudonymise", "a text field of the patients table, such as study_id", target);
                    continue;
                }

                identifying[column.Trim()] = new IdentifyingRule(target);
                continue;
            }

            error(value, at, "drop, or {pseudonymise: study_id}", value is ConfigScalar s ? s.Value : value.Kind);
        }
    }

    internal static string? Scalar(ConfigNode node, string key, string expected, Action<ConfigNode?, string, string, string?> error)
    {
        if (node is ConfigScalar { Value: { } v } && v.Trim().Length > 0)
        {
            return v.Trim();
        }

        error(node, key, expected, node is ConfigScalar ? "nothing" : node.Kind);
        return null;
    }

    /// <summary>The entries of a map, reporting repeated keys (the first one is kept).</summary>
    internal static IEnumerable<(string Key, ConfigNode Value)> Distinct(ConfigMap map, string prefix, Action<ConfigNode?, string, string, string?> error, bool ignoreCase = false)
    {
        var seen = new HashSet<string>(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (k, v) in map.Entries)
        {
            var name = (k.Value ?? string.Empty).Trim();
            if (name.Length == 0)
            {
                error(k, prefix + "(empty)", "a non-empty name", null);
                continue;
            }

            if (!seen.Add(name))
            {
                error(k, prefix + name, "each name once (it appears twice" + (ignoreCase ? ", ignoring case" : string.Empty) + ")", null);
                continue;
            }

            yield return (name, v);
        }
    }
}
