namespace Sarcostat.Import.Amendments;

/// <summary>Rule codes of the problems an amendments file can have (docs/import.md, "Amendments").</summary>
public static class AmendmentCodes
{
    /// <summary>The amendments file is malformed: YAML syntax, an unknown or missing key, an unknown kind, no reason (a setup error, exit 1).</summary>
    public const string Invalid = "amendment-invalid";

    /// <summary>The value the amendment names as old is no longer the cell's value: the file changed since the amendment was written.</summary>
    public const string Stale = "amendment-stale";

    /// <summary>The amendment matches nothing: no such file, row, column, patient or conflict (or a column that is not read).</summary>
    public const string Unmatched = "amendment-unmatched";

    /// <summary>A second amendment touches a cell, row, patient or conflict that an earlier one already touches.</summary>
    public const string Duplicate = "amendment-duplicate";
}
