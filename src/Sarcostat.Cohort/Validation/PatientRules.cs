using System.Globalization;
namespace Sarcostat.Cohort.Validation;

/// <summary>
/// The domain rules on one (merged) patient: values and presence of the patient fields, the date chain, death and
/// vital status, synchronous metastasis against the disease-free interval, and at least one metastasectomy. Pure:
/// problems point at <see cref="Patient.Origins"/> (and the first procedure's <see cref="Metastasectomy.Origin"/>),
/// never at identifying values.
/// </summary>
/// <remarks>
/// One bad cell gives one problem: a field in <c>unknown</c> (its cell failed to parse, was out of range, or
/// conflicted between sources, and was reported already) is treated as missing by every rule here and is not reported
/// as missing. <c>"pm_date"</c> in <c>unknown</c> means a metastasectomy of this patient has a date that could not be
/// read: the first PM date is then unknown (no <c>no-procedure</c>, and no rule that needs the first PM date).
/// The rules are documented in docs/import.md.
/// </remarks>
public static class PatientRules
{
    /// <summary>Days between primary surgery and lung metastasis above which a metastasis cannot be synchronous.</summary>
    public const int SynchronousWindowDays = 30;

    private static readonly HashSet<string> NoFields = [];

    /// <summary>Runs every patient rule on <paramref name="patient"/>.</summary>
    /// <param name="patient">The patient, with <see cref="Patient.Origins"/> for the fields it has (and, ideally, for the missing ones: where they would be).</param>
    /// <param name="dictionary">The data dictionary (field types, codes, ranges, required and recommended flags).</param>
    /// <param name="unknown">Fields whose value is unknown because a problem was already reported for them; see remarks.</param>
    /// <returns>The problems, in rule order: field values and presence (dictionary order), date order, death, synchronous, no procedure.</returns>
    public static IReadOnlyList<CohortProblem> Check(Patient patient, DataDictionary dictionary, IReadOnlySet<string>? unknown = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(dictionary);
        unknown ??= NoFields;
        var problems = new List<CohortProblem>();
        var id = patient.StudyId;

        foreach (var field in dictionary.FieldsOf(CohortTable.Patients))
        {
            if (unknown.Contains(field.Name) || !FieldAccess.PatientFields.Contains(field.Name))
            {
                continue;
            }

            var value = FieldAccess.Get(patient, field.Name);
            var at = Where(patient, field.Name);
            var problem = value is null ? FieldRules.Missing(field, at, id) : FieldRules.CheckValue(field, value, at, id);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        DateOnly? Known(string field, DateOnly? value) => unknown.Contains(field) ? null : value;
        var firstPm = unknown.Contains("pm_date") ? null : patient.FirstMetastasectomyDate;
        var firstPmAt = FirstPmLocation(patient);
        var death = Known("death_date", patient.DeathDate);
        var vital = unknown.Contains("vital_status") ? null : patient.VitalStatus;

        CheckDateChain(patient, Known, patient.Synchronous == true && !unknown.Contains("synchronous"), firstPm, firstPmAt, problems);

        if (death is { } d && firstPm is { } pm && d < pm)
        {
            problems.Add(Problem(
                Where(patient, "death_date"),
                RuleCodes.DeathBeforePm,
                FieldRules.Format(d),
                $"a date on or after the first pm_date ({FieldRules.Format(pm)}{Also(Where(patient, "death_date"), firstPmAt)})",
                id,
                "Check day/month order and the year of both dates."));
        }

        if (death is { } dd && vital == Codes.VitalStatus.Alive)
        {
            problems.Add(Problem(
                Where(patient, "vital_status"),
                RuleCodes.DeathDateButAlive,
                vital,
                $"{Codes.VitalStatus.Dead} (death_date is {FieldRules.Format(dd)})",
                id,
                "Either the vital status or the death date is wrong."));
        }

        if (vital == Codes.VitalStatus.Dead && patient.DeathDate is null && !unknown.Contains("death_date"))
        {
            problems.Add(Problem(Where(patient, "death_date"), RuleCodes.DeadWithoutDate, null, "a death date (vital_status is dead)", id));
        }

        var surgery = Known("primary_surgery_date", patient.PrimarySurgeryDate);
        var lung = Known("lung_met_date", patient.LungMetastasisDate);
        if (patient.Synchronous == true && !unknown.Contains("synchronous") && surgery is { } s && lung is { } l
            && l.DayNumber - s.DayNumber > SynchronousWindowDays)
        {
            problems.Add(Problem(
                Where(patient, "synchronous"),
                RuleCodes.SynchronousWithDfi,
                "yes",
                $"no, since lung_met_date ({FieldRules.Format(l)}) is {l.DayNumber - s.DayNumber} days after primary_surgery_date ({FieldRules.Format(s)}); synchronous allows at most {SynchronousWindowDays}",
                id,
                "A synchronous metastasis has a disease-free interval of 0: check the flag or the dates."));
        }

        if (!unknown.Contains("pm_date") && !unknown.Contains("indication"))
        {
            CheckRepeats(patient, Known("recurrence_date", patient.RecurrenceDate), unknown.Contains("recurrence_date"), problems);
        }

        if (patient.Procedures.Count == 0 && !unknown.Contains("pm_date"))
        {
            problems.Add(Problem(
                Where(patient, "pm_date"),
                RuleCodes.NoProcedure,
                null,
                "at least one metastasectomy (a pm_date in the patients or the procedures table)",
                id));
        }

        return problems;
    }

    /// <summary>
    /// The chain birth_date &lt; primary_surgery_date &lt;= lung_met_date &lt;= first pm_date &lt;= last_contact_date:
    /// each pair of consecutive present dates out of order is reported once, on the later field of the pair.
    /// A synchronous metastasis (synchronous = yes) is found at staging, often before the primary is resected: the pair
    /// primary_surgery_date, lung_met_date is then not an order (how far after the surgery it may be is
    /// <c>synchronous-with-dfi</c>'s business), and the first PM date is compared with the lung metastasis date.
    /// </summary>
    private static void CheckDateChain(Patient patient, Func<string, DateOnly?, DateOnly?> known, bool synchronous, DateOnly? firstPm, SourceLocation firstPmAt, List<CohortProblem> problems)
    {
        var chain = new (string Field, DateOnly? Date, SourceLocation At)[]
        {
            ("birth_date", known("birth_date", patient.BirthDate), Where(patient, "birth_date")),
            ("primary_surgery_date", known("primary_surgery_date", patient.PrimarySurgeryDate), Where(patient, "primary_surgery_date")),
            ("lung_met_date", known("lung_met_date", patient.LungMetastasisDate), Where(patient, "lung_met_date")),
            ("pm_date", firstPm, firstPmAt),
            ("last_contact_date", known("last_contact_date", patient.LastContactDate), Where(patient, "last_contact_date")),
        };
        (string Field, DateOnly Date, SourceLocation At)? previous = null;
        foreach (var (field, date, at) in chain)
        {
            if (date is not { } current)
            {
                continue;
            }

            if (previous is { } p && !(synchronous && p.Field == "primary_surgery_date" && field == "lung_met_date"))
            {
                var strict = p.Field == "birth_date";
                if (strict ? current <= p.Date : current < p.Date)
                {
                    var name = p.Field == "pm_date" ? "the first pm_date" : p.Field;
                    // A date of birth identifies a patient: never echoed; the gap says how far off this date is.
                    var earlier = strict
                        ? string.Create(CultureInfo.InvariantCulture, $"the date of birth, not shown, is {Days(p.Date.DayNumber - current.DayNumber)} later{Also(at, p.At)}")
                        : FieldRules.Format(p.Date) + Also(at, p.At);
                    problems.Add(Problem(
                        at,
                        RuleCodes.DateOrder,
                        FieldRules.Format(current),
                        $"a date {(strict ? "after" : "on or after")} {name} ({earlier})",
                        patient.StudyId,
                        "Check day/month order and the year of both dates."));
                }
            }

            previous = (field, current, at);
        }
    }

    /// <summary>
    /// A metastasectomy done for a recurrence (<c>indication</c> = recurrence) treats a recurrence that came first: its
    /// date must be on or after recurrence_date (<c>repeat-before-recurrence</c>, error, on the procedure's pm_date). With
    /// no recurrence_date at all it is a warning (<c>repeat-without-recurrence</c>, on recurrence_date): disease-free
    /// survival would count the patient as free of recurrence. A planned second stage (<c>staged</c>) is not a repeat.
    /// </summary>
    private static void CheckRepeats(Patient patient, DateOnly? recurrence, bool recurrenceUnknown, List<CohortProblem> problems)
    {
        bool warned = false;
        foreach (var m in patient.Procedures.Where(m => m.Indication == Codes.Indication.Recurrence))
        {
            var at = m.Origin is null ? Where(patient, "pm_date") : m.Origin with { Column = m.Origin.Column ?? "pm_date" };
            if (recurrence is { } r)
            {
                if (m.Date < r)
                {
                    var recAt = Where(patient, "recurrence_date");
                    problems.Add(Problem(
                        at,
                        RuleCodes.RepeatBeforeRecurrence,
                        FieldRules.Format(m.Date),
                        $"a date on or after recurrence_date ({FieldRules.Format(r)}{Also(at, recAt)}): this metastasectomy's indication is recurrence",
                        patient.StudyId,
                        "Check both dates (day/month order, year), or the indication: a planned second stage is 'staged'."));
                }
            }
            else if (!recurrenceUnknown && !warned)
            {
                warned = true;
                problems.Add(new CohortProblem(
                    Where(patient, "recurrence_date").File,
                    FieldRules.RowOf(Where(patient, "recurrence_date")),
                    Where(patient, "recurrence_date").Column,
                    RuleCodes.RepeatWithoutRecurrence,
                    null,
                    string.Create(CultureInfo.InvariantCulture, $"a recurrence_date, since the metastasectomy of {FieldRules.Format(m.Date)} treats a recurrence"),
                    Severity.Warning,
                    "Without it, disease-free survival counts this patient as free of recurrence.",
                    patient.StudyId));
            }
        }
    }

    /// <summary>"1 day", "446 days".</summary>
    internal static string Days(int n) => string.Create(CultureInfo.InvariantCulture, $"{n} day{(n == 1 ? string.Empty : "s")}");

    /// <summary>Where a patient field is (or would be): its origin, else the patient's key row with the field's name as column.</summary>
    private static SourceLocation Where(Patient patient, string field)
    {
        if (patient.Locate(field) is { } at)
        {
            return at.Column is null ? at with { Column = field } : at;
        }

        var key = patient.Locate("study_id");
        return key is null ? new SourceLocation($"patient {patient.StudyId}", 0, field) : key with { Column = field };
    }

    private static SourceLocation FirstPmLocation(Patient patient)
    {
        var origin = patient.FirstMetastasectomy?.Origin;
        return origin is null ? Where(patient, "pm_date") : origin.Column is null ? origin with { Column = "pm_date" } : origin;
    }

    /// <summary>", FILE row R" when the other date sits in another row or file than the reported one.</summary>
    private static string Also(SourceLocation reported, SourceLocation other) =>
        other.Row <= 0 || (other.File == reported.File && other.Row == reported.Row)
            ? string.Empty
            : FormattableString.Invariant($", {other.File} row {other.Row}");

    private static CohortProblem Problem(SourceLocation at, string rule, string? found, string expected, string studyId, string? hint = null) =>
        new(at.File, FieldRules.RowOf(at), at.Column, rule, found, expected, Severity.Error, hint, studyId);
}
