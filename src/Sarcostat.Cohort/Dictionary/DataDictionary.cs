using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Sarcostat.Cohort;

/// <summary>The type of a dictionary field.</summary>
public enum FieldType
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A real number (in the field's unit).</summary>
    Number,

    /// <summary>A calendar date.</summary>
    Date,

    /// <summary>One of the field's codes.</summary>
    Code,

    /// <summary>yes / no.</summary>
    Boolean,
}

/// <summary>The table a field belongs to.</summary>
public enum CohortTable
{
    /// <summary>One row per patient.</summary>
    Patients,

    /// <summary>One row per pulmonary metastasectomy.</summary>
    Procedures,
}

/// <summary>One field of the data dictionary.</summary>
public sealed class FieldDefinition
{
    /// <summary>Field name, snake_case: the column name of the template and of the canonical import format.</summary>
    public required string Name { get; init; }

    /// <summary>The table it belongs to.</summary>
    public required CohortTable Table { get; init; }

    /// <summary>Its type.</summary>
    public required FieldType Type { get; init; }

    /// <summary>Unit of stored values (cm, mm, years, days), or null.</summary>
    public string? Unit { get; init; }

    /// <summary>Smallest allowed value (integer and number fields).</summary>
    public double? Min { get; init; }

    /// <summary>Largest allowed value (integer and number fields).</summary>
    public double? Max { get; init; }

    /// <summary>Allowed codes and their labels, in the dictionary's order (code fields).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Codes { get; init; } = [];

    /// <summary>Missing value is an error.</summary>
    public bool Required { get; init; }

    /// <summary>Missing value is a warning.</summary>
    public bool Recommended { get; init; }

    /// <summary>What the field means.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The label of a code, or null when the code is not allowed.</summary>
    public string? Label(string code)
    {
        foreach (var kv in Codes)
        {
            if (kv.Key == code)
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Type.ToString().ToUpperInvariant()}, {Table})";
}

/// <summary>
/// The data dictionary: every field of a cohort with its type, unit, range and codes. Loaded from the embedded
/// <c>Dictionary/dictionary.yaml</c>, the single machine-readable definition (docs/data-dictionary.md is generated from it).
/// </summary>
public sealed class DataDictionary
{
    private readonly Dictionary<string, FieldDefinition> _byName;

    private DataDictionary(IReadOnlyList<FieldDefinition> fields, double monthDays, IReadOnlyList<string> identifyingNames, int version)
    {
        Fields = fields;
        MonthDays = monthDays;
        IdentifyingNames = identifyingNames;
        Version = version;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The dictionary shipped with Sarcostat.</summary>
    public static DataDictionary Default { get; } = LoadEmbedded();

    /// <summary>Dictionary version.</summary>
    public int Version { get; }

    /// <summary>Every field, in dictionary order.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>Days per month: months = days / <see cref="MonthDays"/> (30.4375 = 365.25 / 12).</summary>
    public double MonthDays { get; }

    /// <summary>Normalised column names (lower case, no spaces, dots, dashes or underscores) that identify a person.</summary>
    public IReadOnlyList<string> IdentifyingNames { get; }

    /// <summary>The field called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such field.</exception>
    public FieldDefinition this[string name] =>
        _byName.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"The data dictionary has no field '{name}'.");

    /// <summary>Looks a field up by name.</summary>
    public bool TryGet(string name, out FieldDefinition field) => _byName.TryGetValue(name, out field!);

    /// <summary>The fields of one table.</summary>
    public IEnumerable<FieldDefinition> FieldsOf(CohortTable table) => Fields.Where(f => f.Table == table);

    /// <summary>True when a column name looks like it identifies a person (name, record number, address, phone ...).</summary>
    public bool LooksIdentifying(string columnName)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        var n = new string(columnName.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return IdentifyingNames.Contains(n);
    }

    /// <summary>Parses a dictionary from YAML text.</summary>
    public static DataDictionary Parse(string yaml)
    {
        var raw = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<RawDictionary>(yaml);
        var fields = raw.Fields.Select(f => new FieldDefinition
        {
            Name = f.Name,
            Table = f.Table == "procedures" ? CohortTable.Procedures : CohortTable.Patients,
            Type = Enum.Parse<FieldType>(f.Type, ignoreCase: true),
            Unit = f.Unit,
            Min = f.Min,
            Max = f.Max,
            Codes = f.Codes?.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value)).ToList() ?? [],
            Required = f.Required,
            Recommended = f.Recommended,
            Description = f.Description ?? string.Empty,
        }).ToList();
        return new DataDictionary(fields, raw.MonthDays, raw.IdentifyingNames, raw.Version);
    }

    private static DataDictionary LoadEmbedded()
    {
        using var stream = typeof(DataDictionary).Assembly.GetManifestResourceStream("Sarcostat.Cohort.dictionary.yaml")
            ?? throw new InvalidOperationException("The embedded data dictionary is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private sealed class RawDictionary
    {
        public int Version { get; set; }

        public double MonthDays { get; set; } = 30.4375;

        public List<RawField> Fields { get; set; } = [];

        public List<string> IdentifyingNames { get; set; } = [];
    }

    private sealed class RawField
    {
        public string Name { get; set; } = string.Empty;

        public string Table { get; set; } = "patients";

        public string Type { get; set; } = "text";

        public string? Unit { get; set; }

        public double? Min { get; set; }

        public double? Max { get; set; }

        // YamlDotNet keeps mapping order in a Dictionary for small maps; the codes' order is the dictionary's.
        public Dictionary<string, string>? Codes { get; set; }

        public bool Required { get; set; }

        public bool Recommended { get; set; }

        public string? Description { get; set; }
    }
}
