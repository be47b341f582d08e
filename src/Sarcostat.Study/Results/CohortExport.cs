namespace Sarcostat.Study.Results;

/// <summary>
/// The analysed cohort as a table for re-analysis: one row per analysed patient (after every selection step), with the
/// pseudonymised study id, each endpoint's time and event as derived, and the protocol's variables the report used.
/// Never names, record numbers or dates of birth: those never reach the study layer (the importer pseudonymises the
/// identifying columns into the study id and drops them).
/// </summary>
/// <param name="Columns">The columns in order, each with its meaning (the data dictionary of the export).</param>
/// <param name="Rows">One row per analysed patient, in study-id order (ordinal), one text per column; empty = missing.
/// Numbers are invariant-culture round-trip text (full precision), events 0 or 1, levels as the variable's values.</param>
public sealed record CohortExport(IReadOnlyList<CohortColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A column of the cohort export and what it holds.</summary>
/// <param name="Name">Column name (the value name the protocol uses: <c>study_id</c>, <c>os_time</c>, <c>dfi_months</c>, ...).</param>
/// <param name="Meaning">What the column holds, in one sentence (endpoint definitions as in the report's Methods).</param>
/// <param name="Unit">Unit of a number (e.g. "months"), "0/1" for an event, or empty.</param>
/// <param name="Levels">The levels of a categorical column as "value = label" joined by "; ", or empty.</param>
public sealed record CohortColumn(string Name, string Meaning, string Unit, string Levels);
