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
internal sealed class CellParser(SourceMapping mapping, string? salt, double monthDays = 30.4375)
{
    private const string DayMonthHint = "Check day/month order.";
    private const string IsoDate = "yyyy-MM-dd";
    private readonly CultureInfo _dates = DatesCulture(mapping.TwoDigitYearPivot);
    private static readonly char[] LetterChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray();

    /// <summary>
    /// Per source column: the cells whose typed unit differed from the column's and were converted (reported once per
    /// column, with a count, by <see cref="TableParser"/>).
    /// </summary>
    public Dictionary<string, UnitConversions> Conversions { get; } = new(StringComparer.Ordinal);

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
        if (text.Length == 0 && spec.Blank is { } blank)
        {
            // blank: the codebook says an empty cell means a value (no complication, say); a missing marker stays missing.
            value = blank;
            return null;
        }

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

        // Dictionary codes match ignoring case (the text is already trimmed): MALE and Male are male.
        var known = field.Codes.FirstOrDefault(c => string.Equals(c.Key, text, StringComparison.OrdinalIgnoreCase)).Key;
        if (known is not null)
        {
            value = known;
            return null;
        }

        var codes = CodeList.Describe(field.Codes.Select(c => c.Key).ToList(), text);
        var expected = mapped is { Count: > 0 }
            ? $"one of {string.Join(", ", mapped.Keys)} (per mapping), or a code of {field.Name} ({codes})"
            : $"one of {codes}";
        var hint = mapping.Path is not null ? $"If this value is valid, map it under codes: {field.Name}: in the mapping." : null;
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

    private CohortProblem? ParseNumber(ColumnSpec spec, object? raw, string text, SourceLocation at, string? studyId, out object? value)
    {
        value = null;
        var field = spec.Field;
        var integer = field.Type == FieldType.Integer;
        var rule = integer ? RuleCodes.NotAnInteger : RuleCodes.NotANumber;
        var unit = spec.FromUnit ?? field.Unit;
        var inUnit = unit is null ? string.Empty : " in " + unit;
        var factor = spec.Factor;
        double number;
        if (raw is double d)
        {
            number = d;
        }
        else if (TryNumber(text, spec.DecimalSeparator, out number))
        {
        }
        else if (unit is not null && SplitUnit(text) is ({ } numberText, { } typed) && TryNumber(numberText, spec.DecimalSeparator, out number))
        {
            // A unit typed in the cell (2 cm, 2cm, 20 mm): converted from it to the field's unit; another unit than the
            // column's is noted once per column (unit-converted), an unknown one is an error.
            if (Units.Factor(typed, field.Unit!, monthDays) is not { } typedFactor)
            {
                return Problem(
                    at,
                    RuleCodes.UnknownUnit,
                    text,
                    $"a number in {unit}, or a number followed by {Units.NamesLike(unit)}",
                    studyId,
                    Units.IsKnown(typed) ? $"'{typed}' is not {Units.NamesLike(unit)}." : $"'{typed}' is not a unit Sarcostat knows ({Units.Names}).");
            }

            factor = typedFactor;
            if (Units.Factor(typed, unit, monthDays) is not 1.0)
            {
                if (!Conversions.TryGetValue(at.Column ?? field.Name, out var note))
                {
                    Conversions[at.Column ?? field.Name] = note = new UnitConversions(unit, field.Unit!, text);
                }

                note.Add(at.Row, typed);
            }
        }
        else
        {
            var commaDecimal = spec.DecimalSeparator == '.' && text.Contains(',', StringComparison.Ordinal)
                && (TryNumber(text.Replace(',', '.'), '.', out _) || (SplitUnit(text) is ({ } n, _) && TryNumber(n.Replace(',', '.'), '.', out _)));
            var withUnit = !commaDecimal && TryNumber(text.TrimEnd(LetterChars).TrimEnd(), spec.DecimalSeparator, out _) && char.IsLetter(text[^1]);
            return Problem(
                at,
                rule,
                text,
                (integer ? "a whole number" : "a number") + inUnit + (spec.DecimalSeparator == ',' ? " (decimal comma)" : string.Empty),
                studyId,
                commaDecimal ? "Use a dot as the decimal separator."
                : withUnit ? "Write the number alone."
                : spec.DecimalSeparator == ',' && text.Contains('.', StringComparison.Ordinal) ? "The mapping declares a decimal comma (decimal: comma); write 2,5, not 2.5."
                : null);
        }

        if (integer && number != Math.Round(number))
        {
            return Problem(at, rule, text, "a whole number" + inUnit, studyId);
        }

        var converted = number * factor;
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

    /// <summary>
    /// A number typed as text: with a dot as the decimal separator (invariant culture, no thousands separators), or with
    /// <paramref name="separator"/> ',' a decimal comma and no dot at all.
    /// </summary>
    private static bool TryNumber(string text, char separator, out double number)
    {
        if (separator == ',')
        {
            number = 0;
            if (text.Contains('.', StringComparison.Ordinal) || text.Count(c => c == ',') > 1)
            {
                return false;
            }

            text = text.Replace(',', '.');
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    /// <summary>"2 cm", "2cm", "2,5 cm." split into the number and the unit typed after it (letters only); null otherwise.</summary>
    private static (string Number, string Unit)? SplitUnit(string text)
    {
        var end = text.Length;
        if (end > 0 && text[end - 1] == '.')
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsAsciiLetter(text[start - 1]))
        {
            start--;
        }

        if (start == end || start == 0)
        {
            return null;
        }

        var number = text[..start].TrimEnd();
        return number.Length == 0 || !char.IsAsciiDigit(number[^1]) ? null : (number, text[start..end]);
    }

    private static CohortProblem Problem(SourceLocation at, string rule, string? found, string expected, string? studyId, string? hint = null) =>
        new(at.File, at.Row, at.Column, rule, found, expected, Severity.Error, hint, studyId);
}

/// <summary>The cells of one column converted from a typed unit other than the column's: reported once, with a count.</summary>
/// <param name="ColumnUnit">The column's unit (declared, or the field's).</param>
/// <param name="FieldUnit">The field's unit, which values are stored in.</param>
/// <param name="FirstFound">The first such cell as written.</param>
internal sealed record UnitConversions(string ColumnUnit, string FieldUnit, string FirstFound)
{
    /// <summary>At most this many rows are listed in the note.</summary>
    public const int RowsListed = 5;

    /// <summary>Number of cells converted.</summary>
    public int Count { get; private set; }

    /// <summary>The first rows converted.</summary>
    public List<int> Rows { get; } = [];

    /// <summary>The units typed, as written, first seen first.</summary>
    public List<string> TypedUnits { get; } = [];

    public void Add(int row, string unit)
    {
        Count++;
        if (Rows.Count < RowsListed)
        {
            Rows.Add(row);
        }

        if (!TypedUnits.Contains(unit, StringComparer.OrdinalIgnoreCase))
        {
            TypedUnits.Add(unit);
        }
    }
}
