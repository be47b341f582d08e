using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// One error planted by <c>--messy</c>, exactly as <c>sarcostat validate</c> must report it (a row of manifest.csv).
/// </summary>
/// <param name="File">File name relative to the output folder.</param>
/// <param name="Row">Spreadsheet row (header = 1).</param>
/// <param name="Column">The column header as written in the file.</param>
/// <param name="Rule">The validation rule (<c>not-a-date</c>, <c>unknown-code</c>, <c>death-before-pm</c>, <c>conflict</c>, <c>not-a-number</c>).</param>
/// <param name="StudyId">The patient's study id.</param>
/// <param name="Description">What was planted, in words (no identifying data: the data are synthetic).</param>
public sealed record PlantedError(string File, int Row, string Column, string Rule, string StudyId, string Description);

/// <summary>What <see cref="SimulationWriter.Write(SimulatedCohort, string, bool, int, bool)"/> wrote.</summary>
/// <param name="Directory">The output folder (full path).</param>
/// <param name="Files">The files written, relative to <paramref name="Directory"/>, in writing order.</param>
/// <param name="Planted">The planted errors (empty for a clean cohort), in manifest order.</param>
public sealed record SimulationOutput(string Directory, IReadOnlyList<string> Files, IReadOnlyList<PlantedError> Planted)
{
    /// <summary>
    /// The messy extracts' answer key (<c>extracts/answer_key.csv</c>): each planted problem with the amendment that
    /// resolves it, and what is planted but no problem (non-sarcoma histologies, units typed in cells). Empty for a
    /// clean cohort.
    /// </summary>
    public IReadOnlyList<PlantedProblem> AnswerKey { get; init; } = [];
}
