using System.Collections;
using System.Globalization;

namespace Sarcostat.Cohort.Selection;

/// <summary>How a selection rule compares a patient's value with the rule's value.</summary>
public enum SelectionOperator
{
    /// <summary>Equal to the value (codes and text: exact, ordinal).</summary>
    EqualTo = 0,

    /// <summary>Not equal to the value.</summary>
    NotEqualTo = 1,

    /// <summary>Equal to one of the values (the rule's value is a list).</summary>
    In = 2,

    /// <summary>Equal to none of the values (the rule's value is a list).</summary>
    NotIn = 3,

    /// <summary>Strictly less than the value (numbers and dates).</summary>
    LessThan = 4,

    /// <summary>Less than or equal to the value (numbers and dates).</summary>
    AtMost = 5,

    /// <summary>Strictly greater than the value (numbers and dates).</summary>
    GreaterThan = 6,

    /// <summary>Greater than or equal to the value (numbers and dates).</summary>
    AtLeast = 7,

    /// <summary>The value is missing (the rule has no value).</summary>
    IsMissing = 8,

    /// <summary>The value is present (the rule has no value).</summary>
    IsPresent = 9,
}

/// <summary>Whether a rule names the patients to drop or the patients to keep.</summary>
public enum CriterionKind
{
    /// <summary>Exclusion criterion: patients for whom the condition holds are excluded.</summary>
    Exclusion = 0,

    /// <summary>Inclusion (eligibility) criterion: patients for whom the condition does not hold are excluded.</summary>
    Inclusion = 1,
}

/// <summary>What a comparison rule does with a patient whose value is missing.</summary>
public enum MissingValuePolicy
{
    /// <summary>
    /// The patient is not excluded by this rule but is counted (and listed) in the step's missing count. The default:
    /// the condition cannot be decided, and nobody disappears silently.
    /// </summary>
    Keep = 0,

    /// <summary>The patient is excluded, and counted in the step's missing count as well.</summary>
    Exclude = 1,
}

/// <summary>
/// One declarative eligibility or exclusion criterion: <c>(field, operator, value, label)</c>, applied in order by
/// <see cref="CohortSelection.Apply"/>. docs/selection.md describes the semantics.
/// </summary>
/// <param name="Field">
/// A field of the data dictionary (a procedure field is read from the first metastasectomy) or a derived variable
/// (<c>age_at_pm</c>, <c>dfi_months</c>, <c>follow_up</c>, a category or cut point name, <c>os_time</c>, ...).
/// </param>
/// <param name="Operator">The comparison.</param>
/// <param name="Value">
/// The value compared with: a string (a code, text, an invariant number such as <c>"12.5"</c>, a date
/// <c>yyyy-MM-dd</c>, or <c>yes</c>/<c>no</c>), or a double, int, <see cref="DateOnly"/> or bool; a list of them
/// for <see cref="SelectionOperator.In"/> and <see cref="SelectionOperator.NotIn"/>; null for
/// <see cref="SelectionOperator.IsMissing"/> and <see cref="SelectionOperator.IsPresent"/>.
/// </param>
/// <param name="Label">The step's label in the flow diagram, e.g. "Primary site not trunk wall or extremity".</param>
public sealed record SelectionRule(string Field, SelectionOperator Operator, object? Value, string Label)
{
    /// <summary>Exclusion (default) or inclusion criterion.</summary>
    public CriterionKind Kind { get; init; } = CriterionKind.Exclusion;

    /// <summary>What a comparison does with a missing value (kept and counted, by default).</summary>
    public MissingValuePolicy WhenMissing { get; init; } = MissingValuePolicy.Keep;

    /// <summary>An exclusion criterion: patients for whom <c>Field Operator Value</c> holds are excluded.</summary>
    public static SelectionRule Exclude(string field, SelectionOperator op, object? value, string label) =>
        new(field, op, value, label) { Kind = CriterionKind.Exclusion };

    /// <summary>An inclusion criterion: patients for whom <c>Field Operator Value</c> does not hold are excluded.</summary>
    public static SelectionRule Include(string field, SelectionOperator op, object? value, string label) =>
        new(field, op, value, label) { Kind = CriterionKind.Inclusion };

    /// <summary>The rule's values as a list: the items of a list value, the single value, or none.</summary>
    public IReadOnlyList<object> Values => Value switch
    {
        null => [],
        string s => [s],
        IEnumerable items => items.Cast<object?>().Select(v => v ?? throw new ArgumentException($"Rule '{Label}': a list value holds null.", nameof(Value))).ToList(),
        _ => [Value],
    };

    /// <summary>The rule in words: <c>exclude if primary_site in [visceral, mediastinum] ("Primary site")</c>.</summary>
    public override string ToString()
    {
        var verb = Kind == CriterionKind.Exclusion ? "exclude if" : "include if";
        var op = Operator switch
        {
            SelectionOperator.EqualTo => "=",
            SelectionOperator.NotEqualTo => "!=",
            SelectionOperator.In => "in",
            SelectionOperator.NotIn => "not in",
            SelectionOperator.LessThan => "<",
            SelectionOperator.AtMost => "<=",
            SelectionOperator.GreaterThan => ">",
            SelectionOperator.AtLeast => ">=",
            SelectionOperator.IsMissing => "is missing",
            SelectionOperator.IsPresent => "is present",
            _ => Operator.ToString(),
        };
        var value = Operator switch
        {
            SelectionOperator.IsMissing or SelectionOperator.IsPresent => string.Empty,
            SelectionOperator.In or SelectionOperator.NotIn => " [" + string.Join(", ", Values.Select(Text)) + "]",
            _ => " " + string.Join(", ", Values.Select(Text)),
        };
        return $"{verb} {Field} {op}{value} (\"{Label}\")";
    }

    /// <summary>A value as text: invariant numbers, ISO dates, yes/no.</summary>
    internal static string Text(object? value) => value switch
    {
        null => "(missing)",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
