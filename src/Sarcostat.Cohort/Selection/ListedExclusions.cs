using Sarcostat.Cohort.Derivation;

namespace Sarcostat.Cohort.Selection;

/// <summary>A patient excluded by name of study id with a reason (an amendment), not by a rule on a field.</summary>
/// <param name="StudyId">The patient's study id.</param>
/// <param name="Reason">Why; counted in the flow's breakdown, never the study ids.</param>
public sealed record ListedExclusion(string StudyId, string Reason);

/// <summary>
/// Selection with listed exclusions (amendments) as its own first step, before the protocol's rules: the flow shows
/// "Excluded by amendment: N" with the reasons by count, then the protocol's steps as <see cref="CohortSelection.Apply"/>
/// counts them. A patient listed here is counted at this step only.
/// </summary>
public static class ListedExclusions
{
    /// <summary>The label of the step.</summary>
    public const string Label = "Excluded by amendment";

    /// <summary>
    /// Applies <paramref name="excluded"/> (when any) as step 1, then <paramref name="rules"/>. Without listed
    /// exclusions the result is exactly <see cref="CohortSelection.Apply"/>'s.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is refused (see <see cref="CohortSelection.Apply"/>).</exception>
    public static SelectionResult Apply(DerivedCohort cohort, IReadOnlyList<ListedExclusion> excluded, IReadOnlyList<SelectionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(excluded);
        ArgumentNullException.ThrowIfNull(rules);
        if (excluded.Count == 0)
        {
            return CohortSelection.Apply(cohort, rules);
        }

        var reasons = excluded.GroupBy(e => e.StudyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);
        var step = SelectionRule.Exclude("study_id", SelectionOperator.In, reasons.Keys.ToArray(), Label);
        var result = CohortSelection.Apply(cohort, [step, .. rules]);
        var first = result.Flow.Steps[0];

        // The breakdown of a study-id rule would list the ids; the flow shows the reasons by count instead.
        var breakdown = first.ExcludedStudyIds
            .GroupBy(id => reasons[id], StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ExclusionCount(g.Key, g.Count()))
            .ToList();
        var steps = result.Flow.Steps.ToList();
        steps[0] = first with { Breakdown = breakdown };
        return result with { Flow = result.Flow with { Steps = steps } };
    }
}
