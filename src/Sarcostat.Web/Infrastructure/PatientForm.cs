using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Infrastructure;

/// <summary>
/// Between a form (or the API's JSON) and the cohort model: every field as canonical text (dictionary codes,
/// yyyy-MM-dd, yes/no, dot decimals), the format of the CLI's canonical files and amendments. Only the text is
/// turned into types here; every rule on the values is the services' (the CLI's rules).
/// </summary>
public static class PatientForm
{
    /// <summary>Where problems of a form name their field.</summary>
    public const string FormFile = "form";

    /// <summary>The patient fields of the form, in dictionary order (site is the record's, not a field).</summary>
    public static IReadOnlyList<FieldDefinition> PatientFields { get; } = DataDictionary.Default.FieldsOf(CohortTable.Patients)
        .Where(f => FieldAccess.PatientFields.Contains(f.Name) && f.Name != "site").ToList();

    /// <summary>The fields of one metastasectomy.</summary>
    public static IReadOnlyList<FieldDefinition> ProcedureFields { get; } = DataDictionary.Default.FieldsOf(CohortTable.Procedures)
        .Where(f => FieldAccess.MetastasectomyFields.Contains(f.Name)).ToList();

    /// <summary>The patient fields as canonical text.</summary>
    public static Dictionary<string, string?> Fields(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return PatientFields.ToDictionary(f => f.Name, f => FieldAccess.Get(patient, f.Name) is { } v ? FieldRules.Format(v) : null, StringComparer.Ordinal);
    }

    /// <summary>Each procedure's fields as canonical text.</summary>
    public static List<Dictionary<string, string?>> Procedures(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return patient.Procedures.Select(m => ProcedureFields.ToDictionary(f => f.Name, f => FieldAccess.Get(m, f.Name) is { } v ? FieldRules.Format(v) : null, StringComparer.Ordinal)).ToList();
    }

    /// <summary>
    /// The input of a form: the text of each field typed, or the problems of text that is not of its field's type
    /// (<c>not-a-date</c>, <c>not-a-number</c>, <c>not-an-integer</c>, <c>not-a-boolean</c>, <c>missing-required</c>).
    /// Empty procedure rows are skipped.
    /// </summary>
    public static (PatientInput? Input, IReadOnlyList<CohortProblem> Problems) Parse(
        IReadOnlyDictionary<string, string?> fields, IReadOnlyList<IReadOnlyDictionary<string, string?>> procedures, string? name, string? recordNumber)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(procedures);
        var problems = new List<CohortProblem>();
        var studyId = fields.TryGetValue("study_id", out var sid) ? sid?.Trim() : null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in PatientFields)
        {
            values[field.Name] = Typed(field, fields.TryGetValue(field.Name, out var text) ? text : null, null, studyId, problems);
        }

        if (string.IsNullOrWhiteSpace(studyId))
        {
            problems.Add(new CohortProblem(FormFile, null, "study_id", RuleCodes.MissingRequired, null, "a study id (the site's own pseudonymous key)"));
        }

        var built = new List<Metastasectomy>();
        foreach (var (row, i) in procedures.Select((r, i) => (r, i + 1)))
        {
            if (row.Values.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var mv = ProcedureFields.ToDictionary(f => f.Name, f => Typed(f, row.TryGetValue(f.Name, out var t) ? t : null, i, studyId, problems), StringComparer.Ordinal);
            if (mv.GetValueOrDefault("pm_date") is null)
            {
                if (!problems.Any(p => p.Row == i && p.Column == "pm_date"))
                {
                    problems.Add(new CohortProblem(FormFile, i, "pm_date", RuleCodes.MissingRequired, null, "the date of the metastasectomy (yyyy-MM-dd)", StudyId: studyId));
                }

                continue;
            }

            try
            {
                built.Add(FieldAccess.BuildMetastasectomy(mv, null));
            }
            catch (ArgumentException)
            {
                problems.Add(new CohortProblem(FormFile, i, null, RuleCodes.MissingRequired, null, "the procedure's required fields", StudyId: studyId));
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var patient = FieldAccess.BuildPatient(values, built, new Dictionary<string, SourceLocation>());
        return (new PatientInput(patient, Blank(name), Blank(recordNumber)), problems);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static object? Typed(FieldDefinition field, string? text, int? row, string? studyId, List<CohortProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        (object? value, string rule, string expected) = field.Type switch
        {
            FieldType.Text or FieldType.Code => ((object?)t, string.Empty, string.Empty),
            FieldType.Integer => (int.TryParse(t, NumberStyles.AllowLeadingSign, inv, out var i) ? i : null, RuleCodes.NotAnInteger, "a whole number"),
            FieldType.Number => (double.TryParse(t, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d : null, RuleCodes.NotANumber, "a number with a dot decimal"),
            FieldType.Date => (DateOnly.TryParseExact(t, "yyyy-MM-dd", inv, DateTimeStyles.None, out var date) ? date : null, RuleCodes.NotADate, "a date yyyy-MM-dd"),
            FieldType.Boolean => (t.ToUpperInvariant() switch { "YES" => true, "NO" => false, _ => null }, RuleCodes.NotABoolean, "yes or no"),
            _ => (null, RuleCodes.NotANumber, "a value"),
        };
        if (value is null)
        {
            // Identifying fields (birth date) are not echoed back in the problem.
            var found = field.Name == "birth_date" || DataDictionary.Default.LooksIdentifying(field.Name) ? null : t;
            problems.Add(new CohortProblem(FormFile, row, field.Name, rule, found, expected, StudyId: studyId));
        }

        return value;
    }
}
