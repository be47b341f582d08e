using System.Security.Cryptography;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>A patient as entered: the cohort model's fields and procedures (birth date included), and the identifying fields it lacks.</summary>
/// <param name="Patient">The cohort fields; <see cref="Patient.StudyId"/> is the site's own study id; <see cref="Patient.Site"/> is ignored (the record's site decides).</param>
/// <param name="Name">Identifying: the patient's name, or null.</param>
/// <param name="RecordNumber">Identifying: the hospital record number, or null.</param>
public sealed record PatientInput(Patient Patient, string? Name = null, string? RecordNumber = null);

/// <summary>Between stored records and the cohort model; the one validation of a record; field-level differences.</summary>
internal static class PatientMapping
{
    /// <summary>The cohort patient of a record. Pseudonymised (for analysts and the pooled cohort): study id = pseudonym, no birth date (its age at the first PM instead, as the derivation would compute it).</summary>
    public static Patient ToPatient(PatientRecord r, string siteCode, bool pseudonymise)
    {
        var procedures = r.Procedures.OrderBy(p => p.Date).Select(ToProcedure).ToList();
        var patient = new Patient
        {
            StudyId = pseudonymise ? r.Pseudonym : r.StudyId,
            Site = siteCode,
            Source = r.Source,
            Sex = r.Sex,
            BirthDate = r.BirthDate,
            AgeAtPm = r.AgeAtPm,
            Ecog = r.Ecog,
            Smoking = r.Smoking,
            Diabetes = r.Diabetes,
            Hypertension = r.Hypertension,
            OtherCancer = r.OtherCancer,
            ComorbidityNote = r.ComorbidityNote,
            Histology = r.Histology,
            Tissue = r.Tissue,
            Grade = r.Grade,
            PrimarySite = r.PrimarySite,
            PrimarySizeCm = r.PrimarySizeCm,
            PrimarySurgeryDate = r.PrimarySurgeryDate,
            PrimaryMargin = r.PrimaryMargin,
            LocalRecurrenceAtPm = r.LocalRecurrenceAtPm,
            LungMetastasisDate = r.LungMetastasisDate,
            Synchronous = r.Synchronous,
            Nodules = r.Nodules,
            Laterality = r.Laterality,
            LargestNoduleMm = r.LargestNoduleMm,
            Chemotherapy = r.Chemotherapy,
            Recist = r.Recist,
            CtcaeGrade = r.CtcaeGrade,
            LastContactDate = r.LastContactDate,
            VitalStatus = r.VitalStatus,
            DeathDate = r.DeathDate,
            CauseOfDeath = r.CauseOfDeath,
            RecurrenceDate = r.RecurrenceDate,
            ProgressionDate = r.ProgressionDate,
            Procedures = procedures,
        };
        if (!pseudonymise)
        {
            return patient;
        }

        // The same age DerivationRules.AgeAtPm computes from the birth date, so a pooled run gives the CLI's numbers.
        var age = patient.BirthDate is { } birth && patient.FirstMetastasectomyDate is { } pm && birth <= pm
            ? (pm.DayNumber - birth.DayNumber) / Cohort.Derivation.TimeUnits.YearDays
            : patient.AgeAtPm;
        return patient with { BirthDate = null, AgeAtPm = age };
    }

    private static Metastasectomy ToProcedure(ProcedureRecord p) => new()
    {
        Date = p.Date,
        Indication = p.Indication,
        Side = p.Side,
        Approach = p.Approach,
        Anaesthesia = p.Anaesthesia,
        Resection = p.Resection,
        NodulesResected = p.NodulesResected,
        CompleteResection = p.CompleteResection,
        Margin = p.Margin,
        HospitalStayDays = p.HospitalStayDays,
        IcuStayDays = p.IcuStayDays,
        ClavienDindo = p.ClavienDindo,
        Complication = p.Complication,
        Mortality30d = p.Mortality30d,
    };

    /// <summary>Writes the input's fields into <paramref name="r"/> (procedures replaced).</summary>
    public static void CopyInto(PatientRecord r, PatientInput input)
    {
        var p = input.Patient;
        r.StudyId = p.StudyId.Trim();
        r.Name = input.Name;
        r.RecordNumber = input.RecordNumber;
        r.BirthDate = p.BirthDate;
        r.Source = p.Source;
        r.Sex = p.Sex;
        r.AgeAtPm = p.AgeAtPm;
        r.Ecog = p.Ecog;
        r.Smoking = p.Smoking;
        r.Diabetes = p.Diabetes;
        r.Hypertension = p.Hypertension;
        r.OtherCancer = p.OtherCancer;
        r.ComorbidityNote = p.ComorbidityNote;
        r.Histology = p.Histology;
        r.Tissue = p.Tissue;
        r.Grade = p.Grade;
        r.PrimarySite = p.PrimarySite;
        r.PrimarySizeCm = p.PrimarySizeCm;
        r.PrimarySurgeryDate = p.PrimarySurgeryDate;
        r.PrimaryMargin = p.PrimaryMargin;
        r.LocalRecurrenceAtPm = p.LocalRecurrenceAtPm;
        r.LungMetastasisDate = p.LungMetastasisDate;
        r.Synchronous = p.Synchronous;
        r.Nodules = p.Nodules;
        r.Laterality = p.Laterality;
        r.LargestNoduleMm = p.LargestNoduleMm;
        r.Chemotherapy = p.Chemotherapy;
        r.Recist = p.Recist;
        r.CtcaeGrade = p.CtcaeGrade;
        r.LastContactDate = p.LastContactDate;
        r.VitalStatus = p.VitalStatus;
        r.DeathDate = p.DeathDate;
        r.CauseOfDeath = p.CauseOfDeath;
        r.RecurrenceDate = p.RecurrenceDate;
        r.ProgressionDate = p.ProgressionDate;
        r.Procedures.Clear();
        r.Procedures.AddRange(p.Procedures.OrderBy(m => m.Date).Select(m => new ProcedureRecord
        {
            Date = m.Date,
            Indication = m.Indication,
            Side = m.Side,
            Approach = m.Approach,
            Anaesthesia = m.Anaesthesia,
            Resection = m.Resection,
            NodulesResected = m.NodulesResected,
            CompleteResection = m.CompleteResection,
            Margin = m.Margin,
            HospitalStayDays = m.HospitalStayDays,
            IcuStayDays = m.IcuStayDays,
            ClavienDindo = m.ClavienDindo,
            Complication = m.Complication,
            Mortality30d = m.Mortality30d,
        }));
    }

    /// <summary>The input as entered, read back from a record (identifiers included): for a conflict's "current" side and for diffs.</summary>
    public static PatientInput ToInput(PatientRecord r, string siteCode) => new(ToPatient(r, siteCode, pseudonymise: false), r.Name, r.RecordNumber);

    /// <summary>
    /// The same rules the CLI's import runs on a merged patient (<see cref="PatientRules.Check"/>), and each procedure's
    /// values (codes, ranges) and required fields. Problems name the patient (<c>patient CH-0001</c>) and the field.
    /// </summary>
    public static IReadOnlyList<CohortProblem> Validate(Patient patient)
    {
        var dictionary = DataDictionary.Default;
        var problems = new List<CohortProblem>();
        if (string.IsNullOrWhiteSpace(patient.StudyId))
        {
            problems.Add(new CohortProblem("patient", null, "study_id", RuleCodes.MissingRequired, null, "a value for study_id (required)"));
            return problems;
        }

        foreach (var (m, i) in patient.Procedures.Select((m, i) => (m, i)))
        {
            var file = $"patient {patient.StudyId} procedure {i + 1}";
            foreach (var field in dictionary.FieldsOf(CohortTable.Procedures))
            {
                if (!FieldAccess.MetastasectomyFields.Contains(field.Name))
                {
                    continue;
                }

                var value = FieldAccess.Get(m, field.Name);
                var at = new SourceLocation(file, 0, field.Name);
                var problem = value is null ? FieldRules.Missing(field, at, patient.StudyId) : FieldRules.CheckValue(field, value, at, patient.StudyId);
                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }
        }

        if (patient.Procedures.GroupBy(m => m.Date).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add(new CohortProblem($"patient {patient.StudyId}", null, "pm_date", RuleCodes.DuplicateKey, FieldRules.Format(twice.Key),
                "one metastasectomy per date", StudyId: patient.StudyId));
        }

        problems.InsertRange(0, PatientRules.Check(patient, dictionary));
        return problems;
    }

    /// <summary>One (field, old, new) per changed value between two inputs; identifying and free-text values shown as <c>changed</c>.</summary>
    public static List<(string Field, string? Old, string? New)> Diff(PatientInput? before, PatientInput after)
    {
        var changes = new List<(string, string?, string?)>();
        void Compare(string field, object? a, object? b, bool hidden)
        {
            var x = a is null ? null : FieldRules.Format(a);
            var y = b is null ? null : FieldRules.Format(b);
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                changes.Add(hidden ? (field, x is null ? null : Changed, y is null ? null : Changed) : (field, x, y));
            }
        }

        Compare("name", before?.Name, after.Name, true);
        Compare("record_number", before?.RecordNumber, after.RecordNumber, true);
        foreach (var field in FieldAccess.PatientFields.Where(f => f != "site"))
        {
            Compare(field, before is null ? null : FieldAccess.Get(before.Patient, field), FieldAccess.Get(after.Patient, field), Hidden(field));
        }

        var old = before?.Patient.Procedures.ToDictionary(m => m.Date) ?? [];
        var now = after.Patient.Procedures.GroupBy(m => m.Date).ToDictionary(g => g.Key, g => g.First());
        foreach (var date in old.Keys.Union(now.Keys).Order())
        {
            var label = "procedure " + FieldRules.Format(date);
            if (!now.TryGetValue(date, out var n))
            {
                changes.Add((label, "present", null));
                continue;
            }

            if (!old.TryGetValue(date, out var o))
            {
                changes.Add((label, null, "added"));
            }

            foreach (var field in FieldAccess.MetastasectomyFields.Where(f => f != "pm_date"))
            {
                Compare($"{label} {field}", o is null ? null : FieldAccess.Get(o, field), FieldAccess.Get(n, field), Hidden(field));
            }
        }

        return changes;
    }

    /// <summary>What the audit trail records for an identifying or free-text value.</summary>
    public const string Changed = "changed";

    /// <summary>Identifying fields and free text (which may hold a name) never reach the audit trail's values.</summary>
    public static bool Hidden(string field) =>
        PatientRecord.Identifying.Contains(field)
        || (DataDictionary.Default.TryGet(field, out var def) && def.Type == FieldType.Text);

    /// <summary><c>R-</c> or <c>PS-</c> and random upper-case hex digits.</summary>
    public static string RandomId(string prefix, int bytes) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));
}
