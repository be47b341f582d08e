using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Reading;

/// <summary>
/// Reads one cell into its field's type: missing values, codes (the mapping's source values, then the dictionary's
/// codes), yes/no, whole and real numbers (dot decimal separator, unit converted, range checked), dates (the
/// column's or the mapping's format; workbook date cells as they are) and pseudonyms. A cell that fails gives exactly
/// one problem and no value.
/// </summary>
internal sealed class CellParser(SourceMapping mapping, string? salt)
{
    private const string DayMonthHint = "Check day/month order.";
    private const string IsoDate = "yyyy-MM-dd";
    private readonly CultureInfo _dates = DatesCulture(mapping.TwoDigitYearPivot);
    private static readonly char[] LetterChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray();

    /// <summary>Parses <paramref name="raw"/>; returns the problem, if any. <paramref name="value"/> is null when missing or failed.</summary>
    public CohortProblem? Parse(ColumnSpec spec, object? raw, SourceLocation at, string? studyId, out object? value)
    {
        value = null;
        if (raw is DateTime excelDate && spec.Field.Type == FieldType.Date && !spec.Pseudonymise)
        {
            value = DateOnly.FromDateTime(excelDate);
            return null;
        }

        var text = Text(raw);
        if (IsMissing(text))
        {
            return null;
        }

        if (spec.Pseudonymise)
        {
            value = Pseudonym.Of(salt ?? throw new InvalidOperationException("A pseudonymising mapping needs a salt (checked when planning)."), text);
            return null;
        }

        var field = spec.Field;
        switch (field.Type)
        {
            case FieldType.Text:
                value = text;
                return null;
            case FieldType.Code:
                return ParseCode(field, text, at, studyId, out value);
            case FieldType.Boolean:
                return ParseBoolean(field, raw, text, at, studyId, out value);
            case FieldType.Integer:
            case FieldType.Number:
                return ParseNumber(spec, raw, text, at, studyId, out value);
            case FieldType.Date:
                return ParseDate(spec, raw, text, at, studyId, out value);
            default:
                throw new InvalidOperationException($"Field type {field.Type} has no parser.");
        }
    }

    /// <summary>The cell as trimmed text (numbers round-trip, dates yyyy-MM-dd, booleans yes/no).</summary>
    public static string Text(object? raw) => raw switch
    {
        null => string.Empty,
        string s => s.Trim(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.TimeOfDay == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => raw.ToString()?.Trim() ?? string.Empty,
    };

    /// <summary>Empty, or one of the mapping's missing values (ignoring case).</summary>
    public bool IsMissing(string text) =>
        text.Length == 0 || mapping.Missing.Any(m => string.Equals(m.Trim(), text, StringComparison.OrdinalIgnoreCase));

    private CohortProblem? ParseCode(FieldDefinition field, string text, SourceLocation at, string? studyId, out object? value)
    {
        value = null;
        mapping.Codes.TryGetValue(field.Name, out var mapped);
        if (mapped is not null && mapped.TryGetValue(text, out var code))
        {
            value = code;
            return null;
        }

        if (field.Label(text) is not null)
        {
            value = text;
            return null;
        }

        var codes = string.Join(", ", field.Codes.Select(c => c.Key));
        var expected = mapped is { Count: > 0 }
            ? $"one of {string.Join(", ", mapped.Keys)} (per mapping), or a code of {field.Name} ({codes})"
            : $"one of {codes}";
        var near = field.Codes.FirstOrDefault(c => string.Equals(c.Key, text, StringComparison.OrdinalIgnoreCase)).Key;
        var hint = near is not null
            ? $"Codes are case-sensitive: did you mean '{near}'?"
            : mapping.Path is not null ? $"If this value is valid, map it under codes: {field.Name}: in the mapping." : null;
        return Problem(at, RuleCodes.UnknownCode, text, expected, studyId, hint);
    }

    private CohortProblem? ParseBoolean(FieldDefinition field, object? raw, string text, SourceLocation at, string? studyId, out object? value)
    {
        value = null;
        if (raw is bool b)
        {
            value = b;
            return null;
        }

        mapping.Codes.TryGetValue(field.Name, out var mapped);
        var yesNo = mapped is not null && mapped.TryGetValue(text, out var code) ? code : text.ToUpperInvariant() switch
        {
            "YES" => "yes",
            "NO" => "no",
            _ => null,
        };
        if (yesNo is not null)
        {
            value = yesNo == "yes";
            return null;
        }

        var expected = mapped is { Count: > 0 } ? $"yes or no, or one of {string.Join(", ", mapped.Keys)} (per mapping)" : "yes or no";
        return Problem(at, RuleCodes.NotABoolean, text, expected, studyId);
    }

    private static CohortProblem? ParseNumber(ColumnSpec spec, object? raw, string text, SourceLocation at, string? studyId, out object? value)
    {
        value = null;
        var field = spec.Field;
        var integer = field.Type == FieldType.Integer;
        var rule = integer ? RuleCodes.NotAnInteger : RuleCodes.NotANumber;
        var unit = spec.FromUnit ?? field.Unit;
        var inUnit = unit is null ? string.Empty : " in " + unit;
        double number;
        if (raw is double d)
        {
            number = d;
        }
        else if (!TryNumber(text, out number))
        {
            var commaDecimal = text.Contains(',', StringComparison.Ordinal) && TryNumber(text.Replace(',', '.'), out _);
            var withUnit = !commaDecimal && TryNumber(text.TrimEnd(LetterChars).TrimEnd(), out _) && char.IsLetter(text[^1]);
            return Problem(
                at,
                rule,
                text,
                (integer ? "a whole number" : "a number") + inUnit,
                studyId,
                commaDecimal ? "Use a dot as the decimal separator."
                : withUnit ? $"Write the number alone; a mapping can declare the column's unit ({{field: {field.Name}, unit: cm}})."
                : null);
        }

        if (integer && number != Math.Round(number))
        {
            return Problem(at, rule, text, "a whole number" + inUnit, studyId);
        }

        var converted = number * spec.Factor;
        if (integer)
        {
            var rounded = Math.Round(converted);
            if (Math.Abs(converted - rounded) > 1e-9 * Math.Max(1, Math.Abs(rounded)))
            {
                return Problem(at, rule, text, $"a whole number of {field.Unit} after converting from {unit}", studyId);
            }

            converted = rounded;
        }

        if (FieldRules.OutOfRange(field, converted, at, text, studyId) is { } range)
        {
            return range;
        }

        if (integer)
        {
            if (converted is < int.MinValue or > int.MaxValue)
            {
                return Problem(at, rule, text, "a whole number of a usual size", studyId);
            }

            value = (int)converted;
        }
        else
        {
            value = converted;
        }

        return null;
    }

    private CohortProblem? ParseDate(ColumnSpec spec, object? raw, string text, SourceLocation at, string? studyId, out object? value)
    {
        value = null;
        if (raw is double)
        {
            return Problem(at, RuleCodes.NotADate, text, $"a date ({spec.DateFormat})", studyId, "The cell holds a number, not a date: format the column as dates in the workbook.");
        }

        if (TryDate(text, spec.DateFormat, out var date, _dates))
        {
            value = date;
            return null;
        }

        if (spec.Field.Name == "birth_date")
        {
            // A date of birth identifies a patient, and so may a mistyped one: its length only (issue 9).
            return Problem(at, RuleCodes.NotADate, null, string.Create(CultureInfo.InvariantCulture,
                $"a date ({spec.DateFormat}); found a value that is not a date ({text.Length} characters, not shown: a date of birth identifies)"), studyId);
        }

        var hint = TryDate(text, Swap(spec.DateFormat), out _) ? DayMonthHint
            : spec.DateFormat != IsoDate && TryDate(text, IsoDate, out _) ? $"This is a {IsoDate} date; the column's format is {spec.DateFormat} (a mapping can set date_format per column)."
            : null;
        return Problem(at, RuleCodes.NotADate, text, $"a date ({spec.DateFormat})", studyId, hint);
    }

    /// <summary>Parses with the format and its relaxed form (d for dd, M for MM: single digits accepted).</summary>
    internal static bool TryDate(string text, string format, out DateOnly date, CultureInfo? culture = null)
    {
        string[] formats = [format, format.Replace("dd", "d", StringComparison.Ordinal).Replace("MM", "M", StringComparison.Ordinal)];
        return DateOnly.TryParseExact(text, formats, culture ?? CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date);
    }

    /// <summary>
    /// The invariant culture, with two-digit years read as the years from <paramref name="pivot"/> to pivot + 99
    /// (.NET's TwoDigitYearMax = pivot + 99) when the mapping gives a pivot.
    /// </summary>
    internal static CultureInfo DatesCulture(int? pivot)
    {
        if (pivot is not { } first)
        {
            return CultureInfo.InvariantCulture;
        }

        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.Calendar.TwoDigitYearMax = first + 99;
        return culture;
    }

    /// <summary>The format with day and month swapped (dd/MM/yyyy -> MM/dd/yyyy).</summary>
    internal static string Swap(string format) =>
        new(format.Select(c => c switch { 'd' => 'M', 'M' => 'd', _ => c }).ToArray());

    private static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static CohortProblem Problem(SourceLocation at, string rule, string? found, string expected, string? studyId, string? hint = null) =>
        new(at.File, at.Row, at.Column, rule, found, expected, Severity.Error, hint, studyId);
}
