using Sarcostat.Cohort;

namespace Sarcostat.Import.Amendments;

/// <summary>One entry of an amendments file, checked for its keys (not yet matched against the data).</summary>
/// <param name="Line">Line (YAML) or row (CSV) of the entry, for every message about it.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Reason">Why (required).</param>
internal sealed record Amendment(int Line, AmendmentKind Kind, string Reason)
{
    /// <summary>set, drop: the file as the validation report names it, with [sheet] for a workbook.</summary>
    public string? File { get; init; }

    /// <summary>set, drop: the row as the validation report numbers it (header = 1).</summary>
    public int Row { get; init; }

    /// <summary>set: the source column, as its header cell reads (matched trimmed, ignoring case).</summary>
    public string? Column { get; init; }

    /// <summary>set: the cell's text as it now stands in the file (trimmed; empty for an empty cell).</summary>
    public string Old { get; init; } = string.Empty;

    /// <summary>set: the new text of the cell, read like any cell of its file; null sets it missing.</summary>
    public string? New { get; init; }

    /// <summary>exclude, resolve: the patient's study id (the merge key); drop (optional): the row's key as the file holds it, checked.</summary>
    public string? StudyId { get; init; }

    /// <summary>resolve: the dictionary field the sources disagree on.</summary>
    public string? Field { get; init; }

    /// <summary>resolve: the chosen source (a mapping's source name, or a file as the validation report names it).</summary>
    public string? Source { get; init; }

    /// <summary>resolve: the chosen value, as written (canonical form: dictionary codes, yyyy-MM-dd, dot decimals).</summary>
    public string? ValueText { get; init; }

    /// <summary>resolve: <see cref="ValueText"/> read as the field's type.</summary>
    public object? Value { get; init; }
}
