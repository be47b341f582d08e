using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import;

/// <summary>A mapping's severity override as applied: its source, the rule, the new level, the reason, how many problems it changed.</summary>
/// <param name="Source">The source (mapping's <c>source:</c>) whose problems it applies to.</param>
/// <param name="Mapping">The mapping file's name.</param>
/// <param name="Rule">The rule code.</param>
/// <param name="Level">ignore, warning or error.</param>
/// <param name="Reason">The study's reason, as written.</param>
/// <param name="Problems">The problems of that source and rule it changed (or removed, for ignore).</param>
public sealed record AppliedSeverity(string Source, string Mapping, string Rule, string Level, string Reason, int Problems)
{
    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"severity of {Rule} for {Source} set to {Level} by {Mapping} ({Problems} problem{(Problems == 1 ? string.Empty : "s")}): {Reason}");
}

/// <summary>Applies the mappings' <c>severity:</c> overrides to the problems of their own sources.</summary>
internal static class SeverityPolicy
{
    /// <summary>
    /// Replaces, in place, each problem of a source whose mapping overrides its rule: a new severity, or removed for
    /// ignore. A problem belongs to the source whose file (or workbook sheet) it names.
    /// </summary>
    public static List<AppliedSeverity> Apply(List<CohortProblem> problems, IReadOnlyList<ParsedTable> tables, IReadOnlyList<FilePlan> plans)
    {
        var byFile = new Dictionary<string, SourceMapping>(StringComparer.Ordinal);
        foreach (var t in tables)
        {
            byFile.TryAdd(t.File, t.Mapping);
        }

        foreach (var p in plans)
        {
            byFile.TryAdd(p.Display, p.Mapping);
        }

        var counts = new Dictionary<(SourceMapping, string), int>();
        for (var i = problems.Count - 1; i >= 0; i--)
        {
            var problem = problems[i];
            if (!byFile.TryGetValue(problem.File, out var mapping)
                || mapping.SeverityOverrides.FirstOrDefault(o => o.Rule == problem.Rule) is not { } rule)
            {
                continue;
            }

            counts[(mapping, rule.Rule)] = counts.GetValueOrDefault((mapping, rule.Rule)) + 1;
            if (rule.Apply(problem) is { } changed)
            {
                problems[i] = changed;
            }
            else
            {
                problems.RemoveAt(i);
            }
        }

        return plans.Select(p => p.Mapping).Distinct()
            .SelectMany(m => m.SeverityOverrides.Select(o => new AppliedSeverity(
                m.Source ?? "canonical", System.IO.Path.GetFileName(m.Path) ?? "canonical", o.Rule, o.LevelName, o.Reason, counts.GetValueOrDefault((m, o.Rule)))))
            .ToList();
    }
}
