using System.Globalization;

namespace Sarcostat.Cohort;

/// <summary>What an amendment does (docs/import.md, "Amendments").</summary>
public enum AmendmentKind
{
    /// <summary>A cell of a source file gets a new value, or is set missing, before it is read.</summary>
    Set,

    /// <summary>A row of a source file is not read (a duplicate).</summary>
    Drop,

    /// <summary>A patient is excluded from the study: counted as its own step of the selection flow.</summary>
    Exclude,

    /// <summary>A conflict between two sources on one field of a patient is resolved by choosing a source or a value.</summary>
    Resolve,
}

/// <summary>
/// An amendment that was applied, as the report's data appendix lists it: where it came from in the amendments file,
/// which patient and field it touched, what it did and why. Never carries an identifying value: a change to an
/// identifying column is described as "changed" or "set missing" only.
/// </summary>
/// <param name="Line">Line (YAML) or row (CSV) of the amendment in its file.</param>
/// <param name="Kind">What it does.</param>
/// <param name="StudyId">The patient concerned, when known (a dropped row whose key could not be read has none).</param>
/// <param name="Field">The dictionary field touched (set, resolve), or null (drop, exclude).</param>
/// <param name="Location">Where: <c>a.csv row 27, column "largest_nodule_mm"</c>, a row, or the patient.</param>
/// <param name="Change">What was done, e.g. <c>"see CT report" -> missing</c>, <c>changed</c>, <c>row dropped</c>, <c>excluded</c>, <c>source hospital_a chosen</c>.</param>
/// <param name="Reason">The reason given in the amendments file.</param>
public sealed record AppliedAmendment(int Line, AmendmentKind Kind, string? StudyId, string? Field, string Location, string Change, string Reason)
{
    /// <summary>The kind as written in an amendments file: set, drop, exclude or resolve.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();

    /// <summary><c>line 7: set CH-0027 largest_nodule_mm (a.csv row 27, column "largest_nodule_mm"): "see CT report" -> missing; reason: ...</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"line {Line}: {KindName} {StudyId ?? "?"}{(Field is null ? string.Empty : " " + Field)} ({Location}): {Change}; reason: {Reason}");
}
