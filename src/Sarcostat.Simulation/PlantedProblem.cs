using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// One row of the messy extracts' answer key (<c>extracts/answer_key.csv</c>): a problem planted on purpose, where
/// <c>sarcostat validate</c> must report it, and the amendment that resolves it. No identifying data: study ids are
/// the study's own, and nothing is planted on a date of birth.
/// </summary>
/// <param name="File">File name relative to the extracts folder (<c>registry.csv</c>, <c>hospital.xlsx</c>).</param>
/// <param name="Sheet">The workbook's sheet, or null for a CSV file.</param>
/// <param name="Row">Spreadsheet row (header = 1).</param>
/// <param name="Column">The column header as written in the file.</param>
/// <param name="Rule">The rule code validate reports (<c>after-extract-date</c>, <c>procedure-order</c>, <c>duplicate-key</c>,
/// <c>conflict</c>, <c>unit-converted</c>), or null for what is no problem at all (a non-sarcoma histology).</param>
/// <param name="Severity"><c>error</c>, <c>warning</c>, or <c>none</c>.</param>
/// <param name="StudyId">The patient's study id.</param>
/// <param name="Description">What was planted, in words.</param>
/// <param name="Amendment">The amendment that resolves it, as one YAML flow mapping (an item of <c>amendments:</c>), or null when none is needed.</param>
public sealed record PlantedProblem(string File, string? Sheet, int Row, string Column, string? Rule, string Severity, string StudyId, string Description, string? Amendment)
{
    /// <summary>The file as validate names it: <c>hospital.xlsx[patients]</c> for a sheet.</summary>
    public string Location => Sheet is null ? File : $"{File}[{Sheet}]";
}
