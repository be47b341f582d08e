using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;

namespace Sarcostat.Study.Protocols;

/// <summary>How a named value can be analysed.</summary>
internal enum ValueKind
{
    /// <summary>Levels (codes, yes/no, cut point and group labels, text).</summary>
    Categorical,

    /// <summary>A number.</summary>
    Numeric,

    /// <summary>A number that may also be used as levels (integer fields such as ECOG).</summary>
    Integer,

    /// <summary>A date: not analysable as such.</summary>
    Date,
}

/// <summary>What is known about a named value before any data are seen.</summary>
/// <param name="Name">The name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Universe">Its possible values in their natural order with default labels, or null when open (text, numbers).</param>
/// <param name="DefaultLabel">A row label when the protocol gives none.</param>
/// <param name="Source">For a grouping, the source's info; else null.</param>
internal sealed record ValueInfo(string Name, ValueKind Kind, IReadOnlyList<LevelLabel>? Universe, string DefaultLabel, ValueInfo? Source = null)
{
    public bool IsCategorical => Kind is ValueKind.Categorical or ValueKind.Integer;

    public bool Allows(string value) =>
        Kind == ValueKind.Integer
            ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : Universe is null || Universe.Any(l => l.Value == value);

    public string ValuesText => Kind == ValueKind.Integer
        ? "whole numbers"
        : Universe is null ? "any text" : string.Join(", ", Universe.Select(l => l.Value));
}

/// <summary>
/// The names a protocol may use and what they hold: dictionary fields, derived numbers and categories, endpoint values,
/// cut points (presets and the protocol's), and the protocol's own groupings. One place for the validator and the runner.
/// </summary>
internal sealed class VariableCatalog
{
    private static readonly Dictionary<string, string> DerivedLabels = new(StringComparer.Ordinal)
    {
        [DerivedNames.AgeAtPm] = "Age at metastasectomy (years)",
        [DerivedNames.DfiMonths] = "Disease-free interval (months)",
        [DerivedNames.FollowUp] = "Follow-up",
        [DerivedNames.Metastasectomies] = "Pulmonary metastasectomies (number)",
        [DerivedNames.ResectionSublobar] = "Extent of resection",
        [DerivedNames.ResectionAnatomical] = "Type of pulmonary resection",
        [DerivedNames.CurativeResection] = "Curative resection",
        [DerivedNames.HistologyUps] = "Histology",
        [DerivedNames.TissueGroup] = "Tissue of origin",
        [DerivedNames.NoduleGroup] = "Number of lung nodules",
    };

    private static readonly Dictionary<string, string[]> CategoryValues = new(StringComparer.Ordinal)
    {
        [DerivedNames.ResectionSublobar] = [CategoryLabels.Sublobar, CategoryLabels.LobectomyOrLarger],
        [DerivedNames.ResectionAnatomical] = [CategoryLabels.Partial, CategoryLabels.Anatomical],
        [DerivedNames.CurativeResection] = [CategoryLabels.Curative, CategoryLabels.NonCurative],
        [DerivedNames.HistologyUps] = [CategoryLabels.Ups, CategoryLabels.NonUps],
        [DerivedNames.TissueGroup] = [CategoryLabels.Bone, CategoryLabels.SoftTissue],
        [DerivedNames.NoduleGroup] = [CategoryLabels.Solitary, CategoryLabels.Multiple],
    };

    private readonly DerivedCohort _empty;
    private readonly StudyProtocol _protocol;
    private readonly Dictionary<string, ValueInfo?> _cache = new(StringComparer.Ordinal);

    public VariableCatalog(StudyProtocol protocol, DerivationOptions options)
    {
        _protocol = protocol;
        _empty = new DerivedCohort([], [], [], options);
        Options = options;
    }

    public DerivationOptions Options { get; }

    /// <summary>Every name the catalog knows (for suggestions).</summary>
    public IEnumerable<string> Names =>
        FieldAccess.PatientFields.Concat(FieldAccess.MetastasectomyFields).Concat(DerivedNames.Numbers).Concat(DerivedNames.EndpointValues)
            .Concat(_empty.CategoryNames).Concat(_protocol.Variables.Where(v => v.IsDefinedHere).Select(v => v.Name)).Distinct(StringComparer.Ordinal);

    /// <summary>True for a name read from the data or derived (not a protocol grouping).</summary>
    public bool IsBase(string name) => _empty.TypeOf(name) is not null;

    /// <summary>What <paramref name="name"/> holds, or null when nothing has this name (or a grouping is ill-defined).</summary>
    public ValueInfo? Info(string name)
    {
        if (_cache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        _cache[name] = null; // guards against a grouping of itself
        var info = Build(name);
        _cache[name] = info;
        return info;
    }

    private ValueInfo? Build(string name)
    {
        var spec = _protocol.Variable(name);
        if (spec is { IsDefinedHere: true } && !IsBase(name))
        {
            return BuildDefined(spec);
        }

        var type = _empty.TypeOf(name);
        if (type is null)
        {
            return null;
        }

        var label = DerivedLabels.TryGetValue(name, out var l) ? l : Humanise(name);
        var cut = Options.CutPoints.FirstOrDefault(c => c.VariableName == name);
        if (cut is not null)
        {
            return new ValueInfo(name, ValueKind.Categorical, [new(cut.LabelBelow, cut.LabelBelow), new(cut.LabelAtOrAbove, cut.LabelAtOrAbove)], DerivedLabels.GetValueOrDefault(cut.Field) ?? Humanise(cut.Field));
        }

        if (CategoryValues.TryGetValue(name, out var values))
        {
            return new ValueInfo(name, ValueKind.Categorical, values.Select(v => new LevelLabel(v, Capitalise(v))).ToList(), label);
        }

        switch (type.Value)
        {
            case FieldType.Code:
                var field = DataDictionary.Default[name];
                return new ValueInfo(name, ValueKind.Categorical, field.Codes.Select(kv => new LevelLabel(kv.Key, kv.Value)).ToList(), label);
            case FieldType.Boolean:
                return new ValueInfo(name, ValueKind.Categorical, YesNo, label);
            case FieldType.Text:
                return new ValueInfo(name, ValueKind.Categorical, null, label);
            case FieldType.Integer:
                return new ValueInfo(name, ValueKind.Integer, null, label);
            case FieldType.Date:
                return new ValueInfo(name, ValueKind.Date, null, label);
            default:
                return new ValueInfo(name, ValueKind.Numeric, null, label);
        }
    }

    private ValueInfo? BuildDefined(VariableSpec spec)
    {
        var label = spec.Label ?? Humanise(spec.Name);
        if (spec.AnyOf.Count > 0)
        {
            return new ValueInfo(spec.Name, ValueKind.Categorical, YesNo, label);
        }

        if (spec.From is null || spec.From == spec.Name || !IsBase(spec.From) || Info(spec.From) is not { } source || !source.IsCategorical)
        {
            return null;
        }

        var universe = new List<LevelLabel>();
        foreach (var g in spec.Groups)
        {
            if (!universe.Any(u => u.Value == g.Level))
            {
                universe.Add(new LevelLabel(g.Level, g.Level));
            }
        }

        if (spec.Otherwise is { } other)
        {
            if (!universe.Any(u => u.Value == other))
            {
                universe.Add(new LevelLabel(other, other));
            }
        }
        else if (source.Universe is null)
        {
            return new ValueInfo(spec.Name, ValueKind.Categorical, null, label, source);
        }
        else
        {
            var grouped = spec.Groups.SelectMany(g => g.Values).Concat(spec.Exclude).ToHashSet(StringComparer.Ordinal);
            foreach (var v in source.Universe)
            {
                if (!grouped.Contains(v.Value) && !universe.Any(u => u.Value == v.Value))
                {
                    universe.Add(v);
                }
            }
        }

        return new ValueInfo(spec.Name, ValueKind.Categorical, universe, label, source);
    }

    private static readonly IReadOnlyList<LevelLabel> YesNo = [new("no", "No"), new("yes", "Yes")];

    /// <summary>"primary_site" -> "Primary site".</summary>
    public static string Humanise(string name) => Capitalise(name.Replace('_', ' '));

    public static string Capitalise(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
