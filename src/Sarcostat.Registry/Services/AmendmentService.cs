using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>
/// A decision on a stored patient, the stored form of a file amendment: <see cref="AmendmentKind.Set"/> a patient
/// field (<paramref name="Value"/> in canonical form: dictionary codes, yyyy-MM-dd, yes/no, dot decimals; or
/// <c>missing</c>), or <see cref="AmendmentKind.Exclude"/> the patient from the study. Always with a reason.
/// </summary>
/// <param name="Kind">Set or Exclude (drop and resolve act on files: see <see cref="FileAmendment"/>).</param>
/// <param name="Field">Set: the dictionary field (a patient field).</param>
/// <param name="Value">Set: the new value, or <c>missing</c>.</param>
/// <param name="Reason">Why (required).</param>
public sealed record RecordAmendment(AmendmentKind Kind, string? Field, string? Value, string Reason);

/// <summary>A recorded amendment, as its reader may see it.</summary>
/// <param name="Id">Key.</param>
/// <param name="PatientId">The patient record.</param>
/// <param name="StudyId">The site's study id (analysts: the pseudonym).</param>
/// <param name="Kind">set or exclude.</param>
/// <param name="Field">The field, or null.</param>
/// <param name="Change">What was done (never an identifying value).</param>
/// <param name="Reason">Why.</param>
/// <param name="UserId">Who.</param>
/// <param name="At">When (UTC).</param>
public sealed record AmendmentView(long Id, long PatientId, string StudyId, string Kind, string? Field, string Change, string Reason, string UserId, DateTime At);

/// <summary>
/// Amendments on stored patients: each is validated and versioned like an edit (a stale version is a conflict),
/// recorded with its reason, audited (action <c>amend</c>), and reaches a protocol run as a file amendment would
/// (<see cref="AppliedAmendment"/>: exclusions become the selection step "Excluded by amendment").
/// </summary>
public sealed class AmendmentService(RegistryStore store)
{
    /// <summary>Records and applies an amendment on patient <paramref name="patientId"/>, if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <exception cref="RegistryForbiddenException">An analyst.</exception>
    /// <exception cref="ArgumentException">A kind other than set or exclude, no reason, an unknown field, or a value that is not of the field's type.</exception>
    public SaveResult Record(Actor actor, long patientId, int expectedVersion, RecordAmendment amendment)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(amendment);
        actor.Require("amend patients", Role.Admin, Role.SiteDataManager);
        if (string.IsNullOrWhiteSpace(amendment.Reason))
        {
            throw new ArgumentException("An amendment needs a reason.", nameof(amendment));
        }

        using var db = store.CreateContext();
        using var tx = db.Database.BeginTransaction();
        if (PatientService.EditableRecord(db, actor, patientId) is not { } record)
        {
            return new PatientNotFound();
        }

        var code = db.Sites.Where(s => s.Id == record.SiteId).Select(s => s.Code).Single();
        var now = PatientMapping.ToInput(record, code);
        var kind = amendment.Kind switch
        {
            AmendmentKind.Set => "set",
            AmendmentKind.Exclude => "exclude",
            _ => throw new ArgumentException("On a stored patient an amendment sets a field or excludes the patient; drop and resolve act on files.", nameof(amendment)),
        };
        if (record.Version != expectedVersion)
        {
            return new PatientConflict(PatientService.Details(db, record, false), now, expectedVersion);
        }

        string change;
        string? field = null;
        if (amendment.Kind == AmendmentKind.Set)
        {
            field = amendment.Field ?? throw new ArgumentException("A set amendment names a field.", nameof(amendment));
            if (field is "study_id" or "site" || !FieldAccess.PatientFields.Contains(field) || !DataDictionary.Default.TryGet(field, out var def))
            {
                throw new ArgumentException($"'{field}' is not a patient field an amendment can set.", nameof(amendment));
            }

            var value = Parse(def, amendment.Value);
            var values = FieldAccess.PatientFields.ToDictionary(f => f, f => FieldAccess.Get(now.Patient, f));
            var old = values[field];
            values[field] = value;
            var input = now with { Patient = FieldAccess.BuildPatient(values, now.Patient.Procedures, now.Patient.Origins) };
            if (PatientService.Write(db, store, actor, record, code, input, isNew: false, AuditActions.Amend, "reason: " + amendment.Reason) is { } invalid)
            {
                return invalid;
            }

            change = PatientMapping.Hidden(field) ? (value is null ? "set missing" : PatientMapping.Changed)
                : $"\"{FieldRules.Format(old)}\" -> {(value is null ? "missing" : FieldRules.Format(value))}";
        }
        else
        {
            if (record.Excluded)
            {
                throw new ArgumentException("The patient is excluded already.", nameof(amendment));
            }

            record.Excluded = true;
            record.ExclusionReason = amendment.Reason;
            record.Version = expectedVersion + 1;
            db.Entry(record).Property(p => p.Version).OriginalValue = expectedVersion;
            AuditLog.Add(db, store, actor, AuditActions.Amend, record.SiteId, record.RegistryId, "excluded", "no", "yes", "reason: " + amendment.Reason);
            change = "excluded";
        }

        db.Amendments.Add(new AmendmentRecord
        {
            PatientRecordId = record.Id,
            SiteId = record.SiteId,
            Kind = kind,
            Field = field,
            Change = change,
            Reason = amendment.Reason,
            UserId = actor.UserId,
            At = store.Now,
        });
        try
        {
            db.SaveChanges();
            tx.Commit();
        }
        catch (DbUpdateConcurrencyException)
        {
            tx.Rollback();
            using var fresh = store.CreateContext();
            var current = fresh.Patients.AsNoTracking().Include(p => p.Procedures).Single(p => p.Id == patientId);
            return new PatientConflict(PatientService.Details(fresh, current, false), now, expectedVersion);
        }

        return new PatientSaved(PatientService.Details(db, record, false), 1);
    }

    /// <summary>The amendments the caller may see (a manager: their site's; an analyst: all, by pseudonym), optionally of one patient, newest first.</summary>
    public IReadOnlyList<AmendmentView> List(Actor actor, long? patientId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("read amendments", Role.Admin, Role.SiteDataManager, Role.Analyst);
        using var db = store.CreateContext();
        var q = db.Amendments.AsNoTracking().AsQueryable();
        if (actor.ManagedSite is { } s)
        {
            q = q.Where(a => a.SiteId == s);
        }

        if (patientId is { } id)
        {
            q = q.Where(a => a.PatientRecordId == id);
        }

        var rows = q.OrderByDescending(a => a.Id).ToList();
        var ids = rows.Select(a => a.PatientRecordId).Distinct().ToList();
        var names = db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionary(p => p.Id, p => actor.Role == Role.Analyst ? p.Pseudonym : p.StudyId);
        return rows.Select(a => new AmendmentView(a.Id, a.PatientRecordId, names[a.PatientRecordId], a.Kind, a.Field, a.Change, a.Reason, a.UserId, DateTime.SpecifyKind(a.At, DateTimeKind.Utc))).ToList();
    }

    /// <summary>Every amendment as a report lists it, by pseudonym, in the order recorded (for the pooled cohort).</summary>
    internal static IReadOnlyList<AppliedAmendment> Applied(RegistryDbContext db)
    {
        var pseudonyms = db.Patients.AsNoTracking().ToDictionary(p => p.Id, p => p.Pseudonym);
        return db.Amendments.AsNoTracking().OrderBy(a => a.Id).AsEnumerable().Select((a, i) => new AppliedAmendment(
            i + 1,
            a.Kind == "exclude" ? AmendmentKind.Exclude : AmendmentKind.Set,
            pseudonyms[a.PatientRecordId],
            a.Field,
            "registry record",
            a.Change,
            a.Reason)).ToList();
    }

    /// <summary>A canonical value of <paramref name="field"/>'s type, or null for <c>missing</c>.</summary>
    internal static object? Parse(FieldDefinition field, string? text)
    {
        if (text is null || string.Equals(text.Trim(), "missing", StringComparison.OrdinalIgnoreCase) || text.Trim().Length == 0)
        {
            return null;
        }

        var t = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        object? value = field.Type switch
        {
            FieldType.Text or FieldType.Code => t,
            FieldType.Integer => int.TryParse(t, NumberStyles.AllowLeadingSign, inv, out var i) ? i : null,
            FieldType.Number => double.TryParse(t, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d : null,
            FieldType.Date => DateOnly.TryParseExact(t, "yyyy-MM-dd", inv, DateTimeStyles.None, out var date) ? date : null,
            FieldType.Boolean => t.ToUpperInvariant() switch { "YES" => true, "NO" => false, _ => null },
            _ => null,
        };
        return value ?? throw new ArgumentException(
            $"{field.Name}: expected {field.Type switch { FieldType.Date => "a date yyyy-MM-dd", FieldType.Boolean => "yes or no", FieldType.Integer => "a whole number", _ => "a number with a dot decimal" }} or missing.",
            nameof(text));
    }
}
