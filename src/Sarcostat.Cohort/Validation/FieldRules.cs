using System.Globalization;

namespace Sarcostat.Cohort.Validation;

/// <summary>
/// Checks of one field's value on its own: allowed codes, range, and presence (required or recommended). Pure: the
/// caller says where the value sits (<see cref="SourceLocation"/>) and gets a problem or null.
/// </summary>
public static class FieldRules
{
    /// <summary>
    /// Checks a present value of <paramref name="field"/>: a code must be one of the field's codes, an integer or a
    /// number must lie within [Min, Max]. Other types have nothing to check here (they are checked when parsed).
    /// </summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The typed value (string for codes, int or double for numbers).</param>
    /// <param name="at">Where the value sits.</param>
    /// <param name="studyId">The patient's study id, when known.</param>
    /// <returns>An <c>unknown-code</c> or <c>out-of-range</c> problem, or null.</returns>
    public static CohortProblem? CheckValue(FieldDefinition field, object value, SourceLocation at, string? studyId = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(at);
        switch (field.Type)
        {
            case FieldType.Code when value is string code && field.Label(code) is null:
                return new CohortProblem(
                    at.File,
                    RowOf(at),
                    at.Column ?? field.Name,
                    RuleCodes.UnknownCode,
                    code,
                    "one of " + CodeList.Describe(field.Codes.Select(c => c.Key).ToList(), code),
                    StudyId: studyId);
            case FieldType.Integer when value is int i:
                return OutOfRange(field, i, at, null, studyId);
            case FieldType.Number when value is double d:
                return OutOfRange(field, d, at, null, studyId);
            default:
                return null;
        }
    }

    /// <summary>
    /// Checks <paramref name="value"/> (in the field's unit) against the field's range [Min, Max], both inclusive.
    /// </summary>
    /// <param name="field">An integer or number field.</param>
    /// <param name="value">The value in the field's unit (after any unit conversion).</param>
    /// <param name="at">Where the value sits.</param>
    /// <param name="found">The cell as written, when it differs from <paramref name="value"/> (a converted unit); null to print the value.</param>
    /// <param name="studyId">The patient's study id, when known.</param>
    /// <returns>An <c>out-of-range</c> problem, or null when the value is within range or the field has no range.</returns>
    public static CohortProblem? OutOfRange(FieldDefinition field, double value, SourceLocation at, string? found = null, string? studyId = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(at);
        var low = field.Min is { } min && value < min;
        var high = field.Max is { } max && value > max;
        if (!low && !high)
        {
            return null;
        }

        var unit = field.Unit is null ? string.Empty : " " + field.Unit;
        var shown = Format(value);
        var expected = (field.Min, field.Max) switch
        {
            ({ } a, { } b) => $"a value from {Format(a)} to {Format(b)}{unit}",
            ({ } a, null) => $"a value of at least {Format(a)}{unit}",
            (null, { } b) => $"a value of at most {Format(b)}{unit}",
            _ => "a value in range",
        };
        if (found is not null && found != shown)
        {
            expected += $" (read as {shown}{unit})";
        }

        return new CohortProblem(at.File, RowOf(at), at.Column ?? field.Name, RuleCodes.OutOfRange, found ?? shown, expected, StudyId: studyId);
    }

    /// <summary>
    /// The problem for a missing value of <paramref name="field"/>: <c>missing-required</c> (error) for a required field,
    /// <c>missing-recommended</c> (warning) for a recommended one, null otherwise.
    /// </summary>
    /// <param name="field">The field.</param>
    /// <param name="at">Where the value should be (the row of the patient or procedure, and its column).</param>
    /// <param name="studyId">The patient's study id, when known.</param>
    public static CohortProblem? Missing(FieldDefinition field, SourceLocation at, string? studyId = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(at);
        var column = at.Column ?? field.Name;
        if (field.Required)
        {
            return new CohortProblem(at.File, RowOf(at), column, RuleCodes.MissingRequired, null, $"a value for {field.Name} (required)", Severity.Error, StudyId: studyId);
        }

        return field.Recommended
            ? new CohortProblem(at.File, RowOf(at), column, RuleCodes.MissingRecommended, null, $"a value for {field.Name} (recommended)", Severity.Warning, StudyId: studyId)
            : null;
    }

    /// <summary>The spreadsheet row of a location, or null when it has none (row 0 or less).</summary>
    internal static int? RowOf(SourceLocation at) => at.Row > 0 ? at.Row : null;

    /// <summary>Invariant text of a typed field value: dates yyyy-MM-dd, booleans yes/no, numbers round-trip.</summary>
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
