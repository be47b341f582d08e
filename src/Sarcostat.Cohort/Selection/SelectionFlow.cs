using System.Globalization;
using Sarcostat.Cohort.Derivation;

namespace Sarcostat.Cohort.Selection;

/// <summary>How many of a step's excluded patients had one value of the rule's field (for the flow diagram's box).</summary>
/// <param name="Value">The value as text (codes as in the dictionary; "(missing)" for a missing value).</param>
/// <param name="Count">Number of excluded patients with it.</param>
public sealed record ExclusionCount(string Value, int Count);

/// <summary>One step of the selection flow: a rule, how many it excluded, how many remain.</summary>
public sealed record SelectionStep
{
    /// <summary>Step number, from 1, in the order the rules were applied.</summary>
    public required int Number { get; init; }

    /// <summary>The rule's label.</summary>
    public string Label => Rule.Label;

    /// <summary>The rule.</summary>
    public required SelectionRule Rule { get; init; }

    /// <summary>Patients before the step.</summary>
    public required int Before { get; init; }

    /// <summary>Patients excluded by the step.</summary>
    public int Excluded => ExcludedStudyIds.Count;

    /// <summary>Patients after the step: <see cref="Before"/> − <see cref="Excluded"/>.</summary>
    public int Remaining => Before - Excluded;

    /// <summary>
    /// Patients whose value was missing at this step (comparison rules only): kept under
    /// <see cref="MissingValuePolicy.Keep"/>, excluded (and also counted in <see cref="Excluded"/>) under
    /// <see cref="MissingValuePolicy.Exclude"/>.
    /// </summary>
    public int Missing => MissingStudyIds.Count;

    /// <summary>The excluded patients' study ids, in cohort order.</summary>
    public required IReadOnlyList<string> ExcludedStudyIds { get; init; }

    /// <summary>The study ids of the patients whose value was missing, in cohort order.</summary>
    public required IReadOnlyList<string> MissingStudyIds { get; init; }

    /// <summary>
    /// The excluded patients by value of the rule's field: in the rule's value order for <c>in</c> lists, otherwise
    /// ordinal; "(missing)" last.
    /// </summary>
    public required IReadOnlyList<ExclusionCount> Breakdown { get; init; }

    /// <summary>One line: <c>2. Initial PM at another hospital: 69 -> excluded 3 -> 66</c> (plus the missing count).</summary>
    public override string ToString()
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{Number}. {Label}: {Before} -> excluded {Excluded} -> {Remaining}");
        if (Breakdown.Count > 1)
        {
            line += " (" + string.Join(", ", Breakdown.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Value} {b.Count}"))) + ")";
        }

        if (Missing > 0)
        {
            line += Rule.WhenMissing == MissingValuePolicy.Keep
                ? string.Create(CultureInfo.InvariantCulture, $"; {Missing} with {Rule.Field} missing kept")
                : string.Create(CultureInfo.InvariantCulture, $"; {Missing} with {Rule.Field} missing excluded");
        }

        return line;
    }
}

/// <summary>
/// The patient-selection flow: the starting count, then each step with its label, exclusions and the count that
/// remains; ready to draw as a flow diagram (paper 001 section 3.1: 95 identified, 26 excluded by primary site,
/// 3 operated elsewhere, 66 analysed).
/// </summary>
/// <param name="Start">Patients before the first rule.</param>
/// <param name="Steps">The steps, in order.</param>
public sealed record SelectionFlow(int Start, IReadOnlyList<SelectionStep> Steps)
{
    /// <summary>Patients after the last step (the analysed cohort).</summary>
    public int Final => Steps.Count == 0 ? Start : Steps[^1].Remaining;

    /// <summary>Patients excluded by all steps together: <see cref="Start"/> − <see cref="Final"/>.</summary>
    public int TotalExcluded => Start - Final;

    /// <summary>The flow as text lines: the start, one line per step, the final count.</summary>
    public IReadOnlyList<string> ToLines() =>
    [
        string.Create(CultureInfo.InvariantCulture, $"{Start} patients identified"),
        .. Steps.Select(s => s.ToString()),
        string.Create(CultureInfo.InvariantCulture, $"{Final} patients analysed"),
    ];

    /// <summary><c>SelectionFlow(95 -> 66, 2 steps)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SelectionFlow({Start} -> {Final}, {Steps.Count} steps)");
}

/// <summary>The result of a selection: the analysed cohort and the flow that led to it.</summary>
/// <param name="Analysed">The patients that passed every rule (cohort order kept), with their derived values.</param>
/// <param name="Flow">The flow: start, steps, final count.</param>
public sealed record SelectionResult(DerivedCohort Analysed, SelectionFlow Flow)
{
    /// <inheritdoc />
    public override string ToString() => $"SelectionResult({Flow}, analysed={Analysed.Count})";
}
