using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;

namespace Sarcostat.Import.Mapping;

/// <summary>
/// A mapping's change of one rule's severity for the problems of its source (<c>severity: {RULE: {level: LEVEL,
/// reason: "..."}}</c>), printed with its reason by <c>sarcostat validate</c>.
/// </summary>
/// <param name="Rule">The rule code (<see cref="RuleCodes"/>).</param>
/// <param name="Level">The new severity; null to ignore the rule's problems (not listed, not counted).</param>
/// <param name="Reason">Why the study changes it (required).</param>
public sealed record SeverityOverride(string Rule, Severity? Level, string Reason)
{
    /// <summary>
    /// Error rules a mapping may lower to a warning: rules on the consistency of values that a study may knowingly
    /// accept. Other error rules protect privacy (identifying-column), the tables' structure or the values an analysis
    /// needs, and are never lowered; every warning rule may be ignored or raised.
    /// </summary>
    public static readonly IReadOnlySet<string> Lowerable = new HashSet<string>(StringComparer.Ordinal)
    {
        RuleCodes.DateOrder, RuleCodes.DeathBeforePm, RuleCodes.SynchronousWithDfi,
        RuleCodes.ProcedureOrder, RuleCodes.OutOfRange, RuleCodes.RepeatBeforeRecurrence,
    };

    /// <summary>The warning rules (every other code of <see cref="RuleCodes"/> is an error by default).</summary>
    public static readonly IReadOnlySet<string> Warnings = new HashSet<string>(StringComparer.Ordinal)
    {
        RuleCodes.MissingRecommended, RuleCodes.UnmappedColumn, RuleCodes.UnitConverted, RuleCodes.FirstSheet, RuleCodes.NotUtf8,
        RuleCodes.RepeatWithoutRecurrence,
    };

    /// <summary>Every rule code of <see cref="RuleCodes"/>.</summary>
    public static IReadOnlySet<string> Known { get; } = typeof(RuleCodes).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>"ignore", "warning" or "error".</summary>
    public string LevelName => Level switch
    {
        null => "ignore",
        Severity.Warning => "warning",
        _ => "error",
    };

    /// <summary>The problem with the new severity, or null when the rule is ignored.</summary>
    public CohortProblem? Apply(CohortProblem problem) => Level is { } level ? problem with { Severity = level } : null;
}
