using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;
using Sarcostat.Import.Reading;
using Sarcostat.Files.Config;

namespace Sarcostat.Import.Amendments;

/// <summary>
/// Reads an amendments file (YAML or CSV; docs/import.md, "Amendments") into checked entries. Every mistake (YAML
/// syntax, an unknown or missing key, an unknown kind, a row that is not a data row, a missing reason, a resolve value
/// that is not a value of its field) is collected with its line and thrown together as one
/// <see cref="ImportSetupException"/>; nothing is read from the data when the file is malformed. Values of the cells
/// (old, new) are never repeated in these messages.
/// </summary>
internal static class AmendmentLoader
{
    /// <summary>Every key an entry may have.</summary>
    internal static readonly string[] Keys = ["kind", "file", "sheet", "row", "column", "old", "new", "study_id", "field", "source", "value", "reason"];

    private static readonly Dictionary<string, AmendmentKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["set"] = AmendmentKind.Set,
        ["drop"] = AmendmentKind.Drop,
        ["exclude"] = AmendmentKind.Exclude,
        ["resolve"] = AmendmentKind.Resolve,
    };

    private static readonly Dictionary<AmendmentKind, string[]> Allowed = new()
    {
        [AmendmentKind.Set] = ["kind", "file", "sheet", "row", "column", "old", "new", "reason"],
        [AmendmentKind.Drop] = ["kind", "file", "sheet", "row", "study_id", "reason"],
        [AmendmentKind.Exclude] = ["kind", "study_id", "reason"],
        [AmendmentKind.Resolve] = ["kind", "study_id", "field", "source", "value", "reason"],
    };

    /// <summary>Reads <paramref name="path"/> (.yaml, .yml or .csv).</summary>
    /// <exception cref="ImportSetupException">The file is missing, unreadable or malformed (every error, located).</exception>
    public static IReadOnlyList<Amendment> Load(string path, DataDictionary dictionary)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new ImportSetupException($"{path}: no such amendments file. [{AmendmentCodes.Invalid}]");
        }

        var extension = Path.GetExtension(path).ToUpperInvariant();
        var csv = extension == ".CSV";
        if (!csv && extension is not (".YAML" or ".YML"))
        {
            throw new ImportSetupException($"{name}: expected an amendments file ending in .yaml, .yml or .csv. [{AmendmentCodes.Invalid}]");
        }

        var errors = new List<string>();
        List<Entry> entries;
        try
        {
            entries = csv ? ReadCsv(path, name, errors) : ReadYaml(File.ReadAllText(path), name, errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new ImportSetupException($"{name}: the amendments file could not be read ({e.GetType().Name}). [{AmendmentCodes.Invalid}]");
        }

        var amendments = new List<Amendment>();
        foreach (var entry in entries)
        {
            if (Check(entry, name, csv, dictionary, errors) is { } a)
            {
                amendments.Add(a);
            }
        }

        if (errors.Count > 0)
        {
            throw new ImportSetupException(errors);
        }

        return amendments;
    }

    /// <summary>An entry as read: its line and its keys (lower-case) with their values and lines.</summary>
    private sealed record Entry(int Line, Dictionary<string, (string? Value, int Line)> Values);

    private static string Where(string name, bool csv, int line, string? key) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {(csv ? "row" : "line")} {line}") + (key is null ? string.Empty : $", {(csv ? "column" : "key")} \"{key}\"");

    private static string Error(string name, bool csv, int line, string? key, string expected, string? found = null) =>
        $"{Where(name, csv, line, key)}: {(found is null ? string.Empty : $"found \"{CohortProblem.Shown(found)}\"; ")}expected {expected}. [{AmendmentCodes.Invalid}]";

    private static List<Entry> ReadYaml(string text, string name, List<string> errors)
    {
        ConfigNode? root;
        try
        {
            root = ConfigFile.Parse(text, name);
        }
        catch (ImportSetupException e)
        {
            throw new ImportSetupException(e.Errors.Select(l => $"{l} [{AmendmentCodes.Invalid}]").ToList());
        }

        var list = root switch
        {
            ConfigList l => l,
            ConfigMap m when m.Entries.Count == 1 && m.Entries[0].Key.Value == "amendments" && m.Entries[0].Value is ConfigList l => l,
            ConfigMap m when m.Entries.Count == 1 && m.Entries[0].Key.Value == "amendments" && m.Entries[0].Value is ConfigScalar { Value: null } => new ConfigList(m.Path, m.Line, []),
            _ => null,
        };
        if (list is null)
        {
            throw new ImportSetupException(Error(name, false, root?.Line ?? 1, null, "a map with one key, amendments:, holding a list of amendments (docs/import.md)", root?.Kind ?? "an empty file"));
        }

        var entries = new List<Entry>();
        foreach (var item in list.Items)
        {
            var line = item.Line ?? 1;
            if (item is not ConfigMap map)
            {
                errors.Add(Error(name, false, line, null, "an amendment: a map with kind:, reason: and the keys of its kind", item.Kind));
                continue;
            }

            var values = new Dictionary<string, (string?, int)>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Entries)
            {
                var key = (k.Value ?? string.Empty).Trim().ToLowerInvariant();
                var at = v.Line ?? k.Line ?? line;
                if (v is not ConfigScalar scalar)
                {
                    errors.Add(Error(name, false, at, key, "a single value", v.Kind));
                    continue;
                }

                if (!values.TryAdd(key, (scalar.Value, at)))
                {
                    errors.Add(Error(name, false, at, key, "each key once in an amendment"));
                }
            }

            entries.Add(new Entry(line, values));
        }

        return entries;
    }

    private static List<Entry> ReadCsv(string path, string name, List<string> errors)
    {
        using var reader = CsvTableReader.Open(path, name);
        var header = reader.Header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        for (var i = 0; i < header.Count; i++)
        {
            if (!Keys.Contains(header[i]))
            {
                errors.Add(Error(name, true, 1, reader.Header[i], $"a column named as an amendment key ({string.Join(", ", Keys)})"));
            }
            else if (header.IndexOf(header[i]) != i)
            {
                errors.Add(Error(name, true, 1, reader.Header[i], "each column once"));
            }
        }

        if (!header.Contains("kind") || !header.Contains("reason"))
        {
            errors.Add(Error(name, true, 1, null, "a header with at least the columns kind and reason (and the keys of each kind)"));
        }

        var entries = new List<Entry>();
        while (reader.Read())
        {
            if (reader.Malformed)
            {
                // The strict reader has located the problem (cell count, stray quote, control character): listed below.
                continue;
            }

            var values = new Dictionary<string, (string?, int)>(StringComparer.Ordinal);
            var blank = true;
            for (var i = 0; i < header.Count; i++)
            {
                var text = CellParser.Text(reader.Get(i));
                blank &= text.Length == 0;
                if (Keys.Contains(header[i]) && (text.Length > 0 || header[i] == "old"))
                {
                    values.TryAdd(header[i], (text, reader.Row));
                }
            }

            if (!blank)
            {
                entries.Add(new Entry(reader.Row, values));
            }
        }

        // An amendments file must be read whole: any error of the reader (an unclosed quote stops it) fails the file.
        errors.AddRange(reader.Problems.Where(p => p.Severity == Severity.Error).Select(p => p.ToString()));
        return entries;
    }

    private static Amendment? Check(Entry entry, string name, bool csv, DataDictionary dictionary, List<string> errors)
    {
        var count = errors.Count;
        void Fail(string? key, string expected, string? found = null) =>
            errors.Add(Error(name, csv, key is not null && entry.Values.TryGetValue(key, out var v) ? v.Line : entry.Line, key, expected, found));

        string? Get(string key) => entry.Values.TryGetValue(key, out var v) ? v.Value?.Trim() : null;

        string? Required(string key, string expected)
        {
            var value = Get(key);
            if (string.IsNullOrEmpty(value))
            {
                Fail(key, expected + " (required)");
                return null;
            }

            return value;
        }

        var kindText = Get("kind");
        if (string.IsNullOrEmpty(kindText))
        {
            Fail("kind", "the kind of amendment: set, drop, exclude or resolve (required)");
            return null;
        }

        if (!Kinds.TryGetValue(kindText, out var kind))
        {
            Fail("kind", "one of set, drop, exclude, resolve", kindText);
            return null;
        }

        var kindName = (kind == AmendmentKind.Exclude ? "an " : "a ") + kind.ToString().ToLowerInvariant();
        foreach (var (key, (value, _)) in entry.Values)
        {
            if (csv && string.IsNullOrEmpty(value))
            {
                continue; // an empty cell of a column another kind uses
            }

            if (!Keys.Contains(key))
            {
                Fail(key, $"a key of {kindName} amendment ({string.Join(", ", Allowed[kind])})");
            }
            else if (!Allowed[kind].Contains(key))
            {
                Fail(key, $"only the keys of {kindName} amendment ({string.Join(", ", Allowed[kind])})");
            }
        }

        var reason = Required("reason", "a reason: why the data is amended");
        var amendment = new Amendment(entry.Line, kind, reason ?? string.Empty);
        switch (kind)
        {
            case AmendmentKind.Set:
            case AmendmentKind.Drop:
                var file = Required("file", "the file as the validation report names it (a workbook: cohort.xlsx[sheet], or file: and sheet:)");
                if (file is not null && Get("sheet") is { Length: > 0 } sheet)
                {
                    file = file.EndsWith(']') ? null : $"{file}[{sheet}]";
                    if (file is null)
                    {
                        Fail("sheet", "a sheet given once: in file: as cohort.xlsx[sheet], or in sheet:");
                    }
                }

                var rowText = Required("row", "the row as the validation report numbers it (the header is row 1)");
                var row = 0;
                if (rowText is not null && (!int.TryParse(rowText, NumberStyles.None, CultureInfo.InvariantCulture, out row) || row < 2))
                {
                    Fail("row", "a data row: a whole number from 2 (the header is row 1)", rowText);
                }

                file = file?.Replace('\\', '/');
                while (file is not null && file.StartsWith("./", StringComparison.Ordinal))
                {
                    file = file[2..];
                }

                amendment = amendment with { File = file, Row = row, StudyId = kind == AmendmentKind.Drop ? Get("study_id") is { Length: > 0 } id ? id : null : null };
                if (kind == AmendmentKind.Set)
                {
                    var column = Required("column", "the source column, as its header reads");
                    if (!entry.Values.ContainsKey("old"))
                    {
                        Fail("old", "the value now in the file (\"\" for an empty cell; required, so that a changed file is noticed)");
                    }

                    var newText = Required("new", "the new value, or missing");
                    amendment = amendment with
                    {
                        Column = column,
                        Old = Get("old") ?? string.Empty,
                        New = string.Equals(newText, "missing", StringComparison.OrdinalIgnoreCase) ? null : newText,
                    };
                }

                break;
            case AmendmentKind.Exclude:
                amendment = amendment with { StudyId = Required("study_id", "the study id of the patient to exclude") };
                break;
            case AmendmentKind.Resolve:
                var studyId = Required("study_id", "the study id of the patient whose sources disagree");
                var fieldName = Required("field", "the dictionary field the sources disagree on");
                var source = Get("source");
                var valueText = Get("value");
                if (string.IsNullOrEmpty(source) == string.IsNullOrEmpty(valueText))
                {
                    Fail(string.IsNullOrEmpty(source) ? "source" : "value", "either source: (the source whose value is kept) or value: (the value to keep), not both");
                }

                object? value = null;
                if (fieldName is not null)
                {
                    if (!dictionary.TryGet(fieldName, out var field))
                    {
                        Fail("field", "a field of the data dictionary (docs/data-dictionary.md)", fieldName);
                    }
                    else if (field.Name is "study_id" or "source")
                    {
                        Fail("field", "a field other than study_id and source (they never conflict)", fieldName);
                    }
                    else if (!string.IsNullOrEmpty(valueText))
                    {
                        var spec = new ColumnSpec(0, "value", field, 1, null, "yyyy-MM-dd", Pseudonymise: false);
                        var problem = new CellParser(SourceMapping.Canonical, null).Parse(spec, valueText, new SourceLocation(name, entry.Line, "value", null), null, out value);
                        if (problem is not null || value is null)
                        {
                            Fail("value", $"{problem?.Expected ?? "a value"} as in a canonical file (dictionary codes, yyyy-MM-dd dates, yes/no, dot decimals)");
                        }
                    }
                }

                amendment = amendment with { StudyId = studyId, Field = fieldName, Source = string.IsNullOrEmpty(source) ? null : source, ValueText = valueText, Value = value };
                break;
        }

        return errors.Count == count ? amendment : null;
    }
}
