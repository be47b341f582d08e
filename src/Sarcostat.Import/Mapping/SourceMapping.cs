using Sarcostat.Cohort;

namespace Sarcostat.Import.Mapping;

/// <summary>How one source column is read: into which field, from which unit, with which date format.</summary>
/// <param name="Field">The dictionary field.</param>
/// <param name="Unit">The unit of the source values, converted to the field's unit; null when already in it.</param>
/// <param name="DateFormat">The date format of this column (overrides the mapping's), or null.</param>
public sealed record ColumnMapping(string Field, string? Unit = null, string? DateFormat = null)
{
    /// <summary>
    /// The value an empty cell of this column means (<c>blank: no</c>), already typed for the field: a dictionary code,
    /// a bool, or a number in the field's unit; null when an empty cell is missing. Cells holding a <c>missing:</c>
    /// marker (NA, -) stay missing.
    /// </summary>
    public object? Blank { get; init; }

    /// <summary>The decimal separator of this column's numbers typed as text (<c>decimal: comma</c>); null for the mapping's.</summary>
    public char? DecimalSeparator { get; init; }
}

/// <summary>
/// Wide repeated columns (<c>repeat:</c>): <c>Op date 1</c>, <c>Approach 1</c>, <c>Op date 2</c>, ... each index one
/// metastasectomy of the row's patient.
/// </summary>
/// <param name="Indexes">The index values substituted for <c>{i}</c>, in order (<c>index: 1..5</c> or a list).</param>
/// <param name="Columns">Column template (with <c>{i}</c>) to how it is read; every field is a procedures field, one of them pm_date.</param>
public sealed record RepeatMapping(IReadOnlyList<string> Indexes, IReadOnlyDictionary<string, ColumnMapping> Columns)
{
    /// <summary>The placeholder a column template holds for the index.</summary>
    public const string Placeholder = "{i}";

    /// <summary>The source column of <paramref name="template"/> for index <paramref name="index"/>.</summary>
    public static string Column(string template, string index) => template.Replace(Placeholder, index, StringComparison.Ordinal);
}

/// <summary>What a mapping does with an identifying column: drop it, or replace it by a salted pseudonym in a field.</summary>
/// <param name="PseudonymiseInto">The field that receives the pseudonym; null to drop the column.</param>
public sealed record IdentifyingRule(string? PseudonymiseInto)
{
    /// <summary>The column is never read beyond its header.</summary>
    public bool Drop => PseudonymiseInto is null;
}

/// <summary>
/// A source database's mapping file (YAML or JSON): which of its columns is which dictionary field, its codes, date
/// format, units and identifying columns, and optionally which file is which table. The format is in docs/import.md;
/// <see cref="Canonical"/> is the mapping of files already in the dictionary's terms.
/// </summary>
public sealed class SourceMapping
{
    /// <summary>The values that mean "missing" unless a mapping says otherwise: empty, NA and a dash.</summary>
    public static readonly IReadOnlyList<string> DefaultMissing = [string.Empty, "NA", "-"];

    internal SourceMapping(
        string? path,
        string? source,
        string key,
        string dateFormat,
        IReadOnlyDictionary<CohortTable, string> files,
        IReadOnlyDictionary<string, ColumnMapping> columns,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> codes,
        IReadOnlyDictionary<string, IdentifyingRule> identifying,
        IReadOnlyList<string> missing)
    {
        Path = path;
        Source = source;
        Key = key;
        DateFormat = dateFormat;
        Files = files;
        Columns = columns;
        Codes = codes;
        Identifying = identifying;
        Missing = missing;
    }

    /// <summary>The mapping of canonical files: column names are field names, codes are dictionary codes, dates yyyy-MM-dd.</summary>
    public static SourceMapping Canonical { get; } = new(
        null,
        null,
        "study_id",
        "yyyy-MM-dd",
        new Dictionary<CohortTable, string>(),
        new Dictionary<string, ColumnMapping>(StringComparer.OrdinalIgnoreCase),
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, IdentifyingRule>(StringComparer.OrdinalIgnoreCase),
        DefaultMissing);

    /// <summary>The mapping file's path as given, or null for <see cref="Canonical"/>.</summary>
    public string? Path { get; }

    /// <summary>The source database's name (<c>source:</c>, default the mapping file's name), or null for canonical files.</summary>
    public string? Source { get; }

    /// <summary>The field that matches the same patient across sources (<c>key:</c>, default study_id).</summary>
    public string Key { get; }

    /// <summary>The date format of every date column without its own (<c>date_format:</c>, default yyyy-MM-dd).</summary>
    public string DateFormat { get; }

    /// <summary>
    /// The first year a two-digit year (<c>yy</c>) stands for (<c>two_digit_year_pivot:</c>): yy reads as the year
    /// from the pivot to pivot + 99 that ends in yy (pivot 1950: 49 is 2049, 50 is 1950, 62 is 1962). Null when not
    /// given; a mapping with a two-digit-year format must give it (docs/import.md).
    /// </summary>
    public int? TwoDigitYearPivot { get; init; }

    /// <summary>Which file is which table (<c>files:</c>), paths relative to the mapping file as written.</summary>
    public IReadOnlyDictionary<CohortTable, string> Files { get; }

    /// <summary>Source column (matched trimmed, ignoring case) to field (<c>columns:</c>).</summary>
    public IReadOnlyDictionary<string, ColumnMapping> Columns { get; }

    /// <summary>Per field: source value (matched trimmed, ignoring case) to dictionary code (<c>codes:</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Codes { get; }

    /// <summary>Identifying columns (matched trimmed, ignoring case) and what to do with them (<c>identifying:</c>).</summary>
    public IReadOnlyDictionary<string, IdentifyingRule> Identifying { get; }

    /// <summary>Values meaning "missing" (<c>missing:</c>), matched trimmed, ignoring case.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>
    /// The sheet of a workbook each table is read from (<c>files: {patients: {file: x.xlsx, sheet: Patients}}</c>),
    /// matched trimmed and ignoring case; a table not listed reads the sheet named after it, or a workbook's only sheet.
    /// </summary>
    public IReadOnlyDictionary<CohortTable, string> Sheets { get; init; } = new Dictionary<CohortTable, string>();

    /// <summary>
    /// The day the source was extracted (<c>extract_date: yyyy-MM-dd</c>), or null: every date of the source must be on
    /// or before it (a later one is an <c>after-extract-date</c> error).
    /// </summary>
    public DateOnly? ExtractDate { get; init; }

    /// <summary>Rules whose severity this source's problems take from the mapping (<c>severity:</c>), with reasons.</summary>
    public IReadOnlyList<SeverityOverride> SeverityOverrides { get; init; } = [];

    /// <summary>The decimal separator of numbers typed as text (<c>decimal: comma</c>; default '.').</summary>
    public char DecimalSeparator { get; init; } = '.';

    /// <summary>Wide repeated procedure columns (<c>repeat:</c>), or null.</summary>
    public RepeatMapping? Repeat { get; init; }

    /// <summary>True when some column is replaced by a salted pseudonym (a salt is then needed).</summary>
    public bool Pseudonymises => Identifying.Values.Any(r => !r.Drop);

    /// <summary>Reads and checks a mapping file (.yaml, .yml or .json).</summary>
    /// <param name="path">The mapping file.</param>
    /// <param name="dictionary">The data dictionary the mapping maps to; <see cref="DataDictionary.Default"/> when null.</param>
    /// <exception cref="ImportSetupException">The file is missing or not a valid mapping; every error found is listed.</exception>
    public static SourceMapping Load(string path, DataDictionary? dictionary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ImportSetupException($"{path}: the mapping file does not exist.");
        }

        return Parse(File.ReadAllText(path), path, dictionary);
    }

    /// <summary>Parses and checks mapping text; <paramref name="path"/> names it in errors and tells YAML from JSON (.json).</summary>
    /// <exception cref="ImportSetupException">The text is not a valid mapping; every error found is listed.</exception>
    public static SourceMapping Parse(string text, string path, DataDictionary? dictionary = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return MappingLoader.Parse(text, path, dictionary ?? DataDictionary.Default);
    }

    /// <inheritdoc />
    public override string ToString() => Path is null ? "canonical" : $"{Source} ({Path})";
}
