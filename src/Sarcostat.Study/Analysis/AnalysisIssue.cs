namespace Sarcostat.Study.Analysis;

/// <summary>Which step of an analysis raised an <see cref="AnalysisIssue"/>.</summary>
public enum AnalysisIssueSource
{
    /// <summary>The data of a variable (a level without events, fewer than two levels with patients).</summary>
    Data,

    /// <summary>The log-rank test (its own warnings, or why it could not run).</summary>
    LogRank,

    /// <summary>The Cox model (variables that cannot enter it, an absent reference, its fit's warnings, or why it could not be fitted).</summary>
    CoxModel,

    /// <summary>The likelihood-ratio test of one covariate as a whole (R <c>drop1</c>).</summary>
    CoxFactorTest,
}

/// <summary>
/// Statistical trouble met by an analysis, reported beside its result (never thrown). Codes are stable and listed in
/// docs/warnings.md; <see cref="Message"/> names variables and levels by their names (a report lays out its own
/// sentence from the code and the fields, with labels).
/// </summary>
/// <param name="Code">The stable kebab-case code (e.g. <c>not-estimable</c>, <c>no-events-in-group</c>).</param>
/// <param name="Source">The step that raised it.</param>
/// <param name="Variable">The variable concerned, or null for the model as a whole.</param>
/// <param name="Message">A sentence for a command-line user.</param>
public sealed record AnalysisIssue(string Code, AnalysisIssueSource Source, string? Variable, string Message)
{
    /// <summary>The level concerned (an empty group, an absent reference), or null.</summary>
    public string? Level { get; init; }

    /// <summary>A count the code refers to (the patients of an eventless level, the levels present), or null.</summary>
    public int? Count { get; init; }

    /// <summary>The engine's own words, when the issue wraps an engine warning or error.</summary>
    public string? Detail { get; init; }
}
