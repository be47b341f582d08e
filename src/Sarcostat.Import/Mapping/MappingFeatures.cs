using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Files.Config;

namespace Sarcostat.Import.Mapping;

/// <summary>A <c>blank:</c> value read before the mapping's <c>codes:</c> are known; resolved at the end of loading.</summary>
/// <param name="Column">The source column under <c>columns:</c>, or null.</param>
/// <param name="RepeatTemplate">The column template under <c>repeat.columns:</c>, or null.</param>
/// <param name="Field">The column's field.</param>
/// <param name="Text">The value as written.</param>
/// <param name="Node">Where it is written (for the line of an error).</param>
/// <param name="Key">The key path, for errors.</param>
internal sealed record PendingBlank(string? Column, string? RepeatTemplate, FieldDefinition Field, string Text, ConfigNode Node, string Key);

/// <summary>
/// The mapping keys for real extracts (docs/import.md): <c>repeat:</c> (wide repeated procedure columns) and
/// <c>blank:</c> (the value an empty cell means), checked against the data dictionary like every other key.
/// </summary>
internal static class MappingFeatures
{
    /// <summary>At most this many repeated groups: a range such as 1..100000 is a typo, not an extract.</summary>
    public const int MaxRepeats = 100;

    /// <summary>Reads <c>repeat: {index: 1..5, columns: {"Op date {i}": pm_date, ...}}</c>; null after an error.</summary>
    public static RepeatMapping? ReadRepeat(ConfigNode node, DataDictionary dictionary, List<PendingBlank> blanks, Action<ConfigNode?, string, string, string?> error)
    {
        const string Shape = "a map {index: 1..5, columns: {\"Op date {i}\": pm_date, \"Approach {i}\": approach}}";
        if (node is not ConfigMap map)
        {
            error(node, "repeat", Shape, node.Kind);
            return null;
        }

        List<string>? indexes = null;
        Dictionary<string, ColumnMapping>? columns = null;
        var failed = false;
        foreach (var (k, v) in MappingLoader.Distinct(map, "repeat.", error))
        {
            switch (k)
            {
                case "index":
                    indexes = ReadIndexes(v, error);
                    failed |= indexes is null;
                    break;
                case "columns":
                    columns = ReadRepeatColumns(v, dictionary, blanks, error);
                    failed |= columns is null;
                    break;
                default:
                    error(v, "repeat." + k, "index or columns (unknown key)", null);
                    failed = true;
                    break;
            }
        }

        if (indexes is null && !failed)
        {
            error(node, "repeat.index", "the index values put in place of {i}, such as 1..5 or [1, 2, 3]", null);
        }

        if (columns is null && !failed)
        {
            error(node, "repeat.columns", "the repeated columns, such as {\"Op date {i}\": pm_date, \"Approach {i}\": approach}", null);
        }

        return indexes is null || columns is null ? null : new RepeatMapping(indexes, columns);
    }

    private static List<string>? ReadIndexes(ConfigNode node, Action<ConfigNode?, string, string, string?> error)
    {
        const string Expected = "a range such as 1..5, or a list of index values such as [1, 2, 3]";
        List<string> values;
        if (node is ConfigList list)
        {
            values = list.Items.Select(i => i is ConfigScalar { Value: { } v } ? v.Trim() : string.Empty).ToList();
            if (values.Count == 0 || values.Any(v => v.Length == 0))
            {
                error(node, "repeat.index", Expected, "an empty value");
                return null;
            }
        }
        else if (MappingLoader.Scalar(node, "repeat.index", Expected, error) is { } text)
        {
            var parts = text.Split("..", StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || to < from)
            {
                error(node, "repeat.index", Expected, text);
                return null;
            }

            if ((long)to - from + 1 > MaxRepeats)
            {
                error(node, "repeat.index", $"at most {MaxRepeats} repeated groups", text);
                return null;
            }

            values = Enumerable.Range(from, to - from + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        }
        else
        {
            return null;
        }

        if (values.Count > MaxRepeats)
        {
            error(node, "repeat.index", $"at most {MaxRepeats} repeated groups", values.Count.ToString(CultureInfo.InvariantCulture) + " values");
            return null;
        }

        if (values.Distinct(StringComparer.OrdinalIgnoreCase).Count() != values.Count)
        {
            error(node, "repeat.index", "each index value once", string.Join(", ", values));
            return null;
        }

        return values;
    }

    private static Dictionary<string, ColumnMapping>? ReadRepeatColumns(ConfigNode node, DataDictionary dictionary, List<PendingBlank> blanks, Action<ConfigNode?, string, string, string?> error)
    {
        if (node is not ConfigMap map)
        {
            error(node, "repeat.columns", "a map from column template (with {i}) to a procedures field", node.Kind);
            return null;
        }

        var columns = new Dictionary<string, ColumnMapping>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        foreach (var (template, value) in MappingLoader.Distinct(map, "repeat.columns.", error, ignoreCase: true))
        {
            var at = "repeat.columns." + template;
            if (!template.Contains(RepeatMapping.Placeholder, StringComparison.Ordinal))
            {
                error(value, at, "a column name with {i} where the index stands, such as \"Op date {i}\"", template);
                ok = false;
                continue;
            }

            if (MappingLoader.ReadColumn(value, at, dictionary, error) is not { } read)
            {
                ok = false;
                continue;
            }

            if (dictionary[read.Column.Field].Table != CohortTable.Procedures)
            {
                error(value, at, "a procedures field (a repeated group is one metastasectomy: pm_date, approach, side, ...)", read.Column.Field);
                ok = false;
                continue;
            }

            if (columns.FirstOrDefault(c => c.Value.Field == read.Column.Field) is { Key: { } other })
            {
                error(value, at, $"one column per field in a group ({read.Column.Field} is already read from \"{other}\")", read.Column.Field);
                ok = false;
                continue;
            }

            columns[template.Trim()] = read.Column;
            if (read.Blank is { } blank)
            {
                blanks.Add(blank with { RepeatTemplate = template.Trim() });
            }
        }

        if (ok && !columns.Values.Any(c => c.Field == "pm_date"))
        {
            error(node, "repeat.columns", "a column for pm_date (each repeated group is a metastasectomy and needs its date)", null);
            return null;
        }

        return ok ? columns : null;
    }

    /// <summary>Types every <c>blank:</c> value for its field (codes through the mapping's <c>codes:</c> too) and stores it on its column.</summary>
    public static void ResolveBlanks(
        List<PendingBlank> blanks,
        DataDictionary dictionary,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> codes,
        Dictionary<string, ColumnMapping> columns,
        ref RepeatMapping? repeat,
        Action<ConfigNode?, string, string, string?> error)
    {
        Dictionary<string, ColumnMapping>? repeated = null;
        foreach (var blank in blanks)
        {
            if (Typed(blank, dictionary, codes, error) is not { } value)
            {
                continue;
            }

            if (blank.Column is { } column && columns.TryGetValue(column, out var c))
            {
                columns[column] = c with { Blank = value };
            }
            else if (blank.RepeatTemplate is { } template && repeat is not null)
            {
                repeated ??= new Dictionary<string, ColumnMapping>(repeat.Columns, StringComparer.OrdinalIgnoreCase);
                if (repeated.TryGetValue(template, out var r))
                {
                    repeated[template] = r with { Blank = value };
                }
            }
        }

        if (repeated is not null && repeat is not null)
        {
            repeat = repeat with { Columns = repeated };
        }
    }

    private static object? Typed(PendingBlank blank, DataDictionary dictionary, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> codes, Action<ConfigNode?, string, string, string?> error)
    {
        var field = blank.Field;
        var text = blank.Text;
        codes.TryGetValue(field.Name, out var mapped);
        string? viaCodes = mapped is not null && mapped.TryGetValue(text, out var m) ? m : null;
        switch (field.Type)
        {
            case FieldType.Code:
                var code = field.Codes.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase)) ?? viaCodes;
                if (code is null)
                {
                    error(blank.Node, blank.Key, $"a code of {field.Name} ({string.Join(", ", field.Codes.Select(kv => kv.Key))}), or a source value under codes: {field.Name}:", text);
                }

                return code;
            case FieldType.Boolean:
                var yesNo = text.ToUpperInvariant() switch
                {
                    "YES" => "yes",
                    "NO" => "no",
                    _ => viaCodes,
                };
                if (yesNo is null)
                {
                    error(blank.Node, blank.Key, "yes or no", text);
                    return null;
                }

                return yesNo == "yes";
            default:
                var integer = field.Type == FieldType.Integer;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number)
                    || (integer && number != Math.Round(number)))
                {
                    error(blank.Node, blank.Key, integer ? $"a whole number of {field.Name}" : $"a number of {field.Name}", text);
                    return null;
                }

                if ((field.Min is { } min && number < min) || (field.Max is { } max && number > max))
                {
                    error(blank.Node, blank.Key, FormattableString.Invariant($"a value from {field.Min} to {field.Max}{(field.Unit is null ? string.Empty : " " + field.Unit)}"), text);
                    return null;
                }

                return integer ? (object)(int)number : number;
        }
    }
}
