using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Running;

/// <summary>
/// A protocol variable made concrete: its label, whether it is categorical, how each patient's value is read
/// (groupings and any-of applied), its levels in report order with their labels, and its reference level.
/// </summary>
internal sealed class ResolvedVariable
{
    private readonly ValueInfo _info;
    private readonly Dictionary<string, string> _groupOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _excluded = new(StringComparer.Ordinal);

    public ResolvedVariable(string name, ValueInfo info, VariableSpec? spec)
    {
        Name = name;
        _info = info;
        Spec = spec;
        Label = spec?.Label ?? info.DefaultLabel;
        IsCategorical = ProtocolValidator.IsCategorical(info, spec);
        if (spec is { From: not null })
        {
            foreach (var g in spec.Groups)
            {
                foreach (var v in g.Values)
                {
                    _groupOf[v] = g.Level;
                }
            }

            _excluded.UnionWith(spec.Exclude);
        }
    }

    public string Name { get; }

    public string Label { get; }

    public VariableSpec? Spec { get; }

    public bool IsCategorical { get; }

    /// <summary>Label with the unit of a numeric variable: "Hospital stay (days)" when a unit is declared and not in the label.</summary>
    public string LabelWithUnit => Spec?.Unit is { } unit && !Label.Contains(unit, StringComparison.Ordinal) ? $"{Label} ({unit})" : Label;

    /// <summary>The patient's level (a value), or null when missing.</summary>
    public string? Level(DerivedPatient patient)
    {
        if (Spec is { AnyOf.Count: > 0 } any)
        {
            bool sawMissing = false;
            foreach (var field in any.AnyOf)
            {
                switch (patient.Value(field))
                {
                    case true:
                        return "yes";
                    case null:
                        sawMissing = true;
                        break;
                }
            }

            return sawMissing ? null : "no";
        }

        if (Spec is { From: { } from } grouping)
        {
            var source = Text(patient.Value(from));
            if (source is null || _excluded.Contains(source))
            {
                return null;
            }

            return _groupOf.TryGetValue(source, out var level) ? level : grouping.Otherwise ?? source;
        }

        return Text(patient.Value(Name));
    }

    /// <summary>The grouping's source value of the patient (breakdown rows), or null.</summary>
    public string? SourceLevel(DerivedPatient patient) => Spec?.From is { } from ? Text(patient.Value(from)) : null;

    /// <summary>The patient's number (scaled), NaN when missing or not a number.</summary>
    public double Number(DerivedPatient patient) => patient.Value(Name) switch
    {
        double d => d * Scale,
        int i => i * Scale,
        _ => double.NaN,
    };

    private double Scale => Spec?.Scale ?? 1;

    /// <summary>
    /// The levels in report order: the declared levels (always, even when nobody has them: those listed under 'levels',
    /// then a grouping's groups and its 'otherwise'), then the other possible values that occur, in their natural order
    /// (dictionary order for codes; numeric or ordinal order otherwise).
    /// </summary>
    public IReadOnlyList<string> Levels(IEnumerable<DerivedPatient> patients)
    {
        var observed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in patients)
        {
            if (Level(p) is { } v)
            {
                observed.Add(v);
            }
        }

        var result = new List<string>();
        foreach (var l in Spec?.Levels ?? [])
        {
            if (!result.Contains(l.Value))
            {
                result.Add(l.Value);
            }
        }

        // A grouping's levels are declared by the protocol: always shown, in group order, then 'otherwise'.
        if (Spec is { From: not null } grouping)
        {
            foreach (var level in grouping.Groups.Select(g => g.Level).Append(grouping.Otherwise).OfType<string>())
            {
                if (!result.Contains(level))
                {
                    result.Add(level);
                }
            }
        }

        if (_info.Universe is { } universe)
        {
            result.AddRange(universe.Select(u => u.Value).Where(v => observed.Contains(v) && !result.Contains(v)));
        }

        var rest = observed.Where(v => !result.Contains(v)).ToList();
        bool numeric = rest.TrueForAll(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        rest.Sort(numeric
            ? (a, b) => double.Parse(a, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, CultureInfo.InvariantCulture))
            : StringComparer.Ordinal.Compare);
        result.AddRange(rest);
        return result;
    }

    /// <summary>The label of a level: declared, else the dictionary's (codes, yes/no), else the value.</summary>
    public string LabelOf(string value)
    {
        var declared = Spec?.Levels.FirstOrDefault(l => l.Value == value);
        if (declared is not null)
        {
            return declared.Label;
        }

        return _info.Universe?.FirstOrDefault(u => u.Value == value)?.Label ?? value;
    }

    /// <summary>The label of a source value of a grouping (dictionary label, else the value).</summary>
    public string SourceLabelOf(string value) => _info.Source?.Universe?.FirstOrDefault(u => u.Value == value)?.Label ?? value;

    /// <summary>The source values a group gathers (in source order), for breakdown rows.</summary>
    public IReadOnlyList<string> SourceValuesOf(string level)
    {
        var values = Spec?.Groups.FirstOrDefault(g => g.Level == level)?.Values ?? [];
        var order = _info.Source?.Universe?.Select(u => u.Value).ToList();
        return order is null ? values : values.OrderBy(v => order.IndexOf(v) is var i && i < 0 ? int.MaxValue : i).ToList();
    }

    /// <summary>The declared reference level, or null (then the first level is the reference).</summary>
    public string? Reference => Spec?.Reference;

    /// <summary>The term label of a compact multivariate row for <paramref name="level"/> against <paramref name="reference"/>.</summary>
    public string TermLabel(string level, string reference, bool twoLevels) =>
        twoLevels && Spec?.TermLabel is { } t ? t
        : twoLevels ? $"{Label} ({LabelOf(level)})"
        : $"{Label}: {LabelOf(level)} vs {LabelOf(reference)}";

    /// <summary>A value as level text: codes and text as they are, yes/no, invariant numbers; null (or blank) as missing.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s,
        bool b => b ? "yes" : "no",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? null : d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public override string ToString() => $"ResolvedVariable({Name}, {(IsCategorical ? "categorical" : "numeric")})";
}
