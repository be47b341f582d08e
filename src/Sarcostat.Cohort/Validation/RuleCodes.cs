namespace Sarcostat.Cohort.Validation;

/// <summary>
/// The stable rule codes of <see cref="CohortProblem.Rule"/>. docs/import.md lists each with where it points, its
/// severity and an example line.
/// </summary>
public static class RuleCodes
{
    /// <summary>A date cell that does not parse in the declared format (error).</summary>
    public const string NotADate = "not-a-date";

    /// <summary>A number cell that does not parse (error).</summary>
    public const string NotANumber = "not-a-number";

    /// <summary>An integer cell that does not parse or is not whole (error).</summary>
    public const string NotAnInteger = "not-an-integer";

    /// <summary>A number cell with a unit typed after it that is not a unit of the column's dimension (error).</summary>
    public const string UnknownUnit = "unknown-unit";

    /// <summary>Cells of a column typed with another unit than the column's, converted: one note per column with a count (warning).</summary>
    public const string UnitConverted = "unit-converted";

    /// <summary>A workbook without the sheet a mapping names (or, with several sheets, none named after the table) (error).</summary>
    public const string MissingSheet = "missing-sheet";

    /// <summary>A workbook read without a mapping naming its sheet and without sheets named patients or procedures: its first sheet was read (warning).</summary>
    public const string FirstSheet = "first-sheet";

    /// <summary>A code cell whose value is neither a mapped source value nor a dictionary code (error).</summary>
    public const string UnknownCode = "unknown-code";

    /// <summary>A boolean cell that is not yes/no (error).</summary>
    public const string NotABoolean = "not-a-boolean";

    /// <summary>A number outside the field's range, after unit conversion (error).</summary>
    public const string OutOfRange = "out-of-range";

    /// <summary>A required field with no value (error).</summary>
    public const string MissingRequired = "missing-required";

    /// <summary>A recommended field with no value (warning).</summary>
    public const string MissingRecommended = "missing-recommended";

    /// <summary>Two consecutive present dates of the chain birth &lt; primary surgery &lt;= lung metastasis &lt;= first PM &lt;= last contact out of order (error).</summary>
    public const string DateOrder = "date-order";

    /// <summary>A death date earlier than the first metastasectomy (error).</summary>
    public const string DeathBeforePm = "death-before-pm";

    /// <summary>A death date with vital status alive (error).</summary>
    public const string DeathDateButAlive = "death-date-but-alive";

    /// <summary>Vital status dead without a death date (error).</summary>
    public const string DeadWithoutDate = "dead-without-date";

    /// <summary>Synchronous metastasis detected more than 30 days after the primary surgery (error).</summary>
    public const string SynchronousWithDfi = "synchronous-with-dfi";

    /// <summary>The same key twice in one patients table (error).</summary>
    public const string DuplicateKey = "duplicate-key";

    /// <summary>The same patient or procedure with different values in two sources (error).</summary>
    public const string Conflict = "conflict";

    /// <summary>A patient with no metastasectomy date anywhere (error).</summary>
    public const string NoProcedure = "no-procedure";

    /// <summary>A procedures row whose key matches no patient (error).</summary>
    public const string OrphanProcedure = "orphan-procedure";

    /// <summary>A column that looks identifying and that the mapping neither drops nor pseudonymises (error).</summary>
    public const string IdentifyingColumn = "identifying-column";

    /// <summary>A column that is neither a field, nor mapped, nor identifying (warning).</summary>
    public const string UnmappedColumn = "unmapped-column";

    /// <summary>Two columns of one table read into the same field (error).</summary>
    public const string DuplicateColumn = "duplicate-column";

    /// <summary>A table without a column it cannot do without: the key, or pm_date in a procedures table (error; every row is rejected).</summary>
    public const string MissingColumn = "missing-column";

    /// <summary>A date of a source later than the source's extract date (<c>extract_date:</c> in its mapping) (error).</summary>
    public const string AfterExtractDate = "after-extract-date";

    /// <summary>A repeated operation (<c>repeat:</c> group) dated before the previous group of the same row (error).</summary>
    public const string ProcedureOrder = "procedure-order";

    /// <summary>A repeat metastasectomy for a recurrence (<c>indication: recurrence</c>) dated before the patient's recurrence_date (error).</summary>
    public const string RepeatBeforeRecurrence = "repeat-before-recurrence";

    /// <summary>A repeat metastasectomy for a recurrence (<c>indication: recurrence</c>) while the patient has no recurrence_date (warning: disease-free survival would miss the event).</summary>
    public const string RepeatWithoutRecurrence = "repeat-without-recurrence";

    /// <summary>A file that cannot be read as CSV or XLSX (error).</summary>
    public const string UnreadableFile = "unreadable-file";

    /// <summary>A CSV file that is not valid UTF-8 and was read as Windows-1252 (warning).</summary>
    public const string NotUtf8 = "not-utf8";
}
