using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Validation;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>What a patient list shows.</summary>
/// <param name="SiteId">Only this site (admins and analysts; a manager always sees only their own).</param>
/// <param name="Histology">Only this histology code.</param>
/// <param name="VitalStatus">Only alive or dead.</param>
/// <param name="HasProblems">Only records with (true) or without (false) validation warnings.</param>
/// <param name="Search">A part of the study id, registry id or pseudonym (analysts: pseudonym only), ignoring case.</param>
/// <param name="Skip">Rows to skip (paging).</param>
/// <param name="Take">Rows to return, at most 1,000.</param>
public sealed record PatientFilter(int? SiteId = null, string? Histology = null, string? VitalStatus = null, bool? HasProblems = null, string? Search = null, int Skip = 0, int Take = 200);

/// <summary>One row of a patient list.</summary>
/// <param name="Id">Key.</param>
/// <param name="RegistryId">Registry id.</param>
/// <param name="Pseudonym">Pseudonym.</param>
/// <param name="SiteId">Site.</param>
/// <param name="SiteCode">Site code.</param>
/// <param name="StudyId">The site's study id; null for analysts.</param>
/// <param name="Histology">Histology code.</param>
/// <param name="VitalStatus">alive or dead.</param>
/// <param name="Warnings">Validation warnings at the last save.</param>
/// <param name="Excluded">Excluded from the study by an amendment.</param>
/// <param name="Version">The version to send back with an update.</param>
public sealed record PatientSummary(long Id, string RegistryId, string Pseudonym, int SiteId, string SiteCode, string? StudyId, string? Histology, string? VitalStatus, int Warnings, bool Excluded, int Version);

/// <summary>A patient record as its reader may see it.</summary>
/// <param name="Id">Key.</param>
/// <param name="RegistryId">Registry id.</param>
/// <param name="Pseudonym">Pseudonym.</param>
/// <param name="SiteId">Site.</param>
/// <param name="SiteCode">Site code.</param>
/// <param name="Version">The version to send back with an update (optimistic concurrency).</param>
/// <param name="Excluded">Excluded from the study by an amendment.</param>
/// <param name="ExclusionReason">The exclusion's reason.</param>
/// <param name="Data">The fields. For analysts pseudonymised: study id = pseudonym, no birth date (age at PM instead), no name or record number.</param>
/// <param name="Problems">What the validation rules say now (warnings; a stored record has no errors).</param>
public sealed record PatientDetails(long Id, string RegistryId, string Pseudonym, int SiteId, string SiteCode, int Version, bool Excluded, string? ExclusionReason, PatientInput Data, IReadOnlyList<CohortProblem> Problems);

/// <summary>A current problem of a stored record, for a site's problem list (with the version an amendment sends back).</summary>
/// <param name="PatientId">The record.</param>
/// <param name="RegistryId">Its registry id.</param>
/// <param name="StudyId">The site's study id.</param>
/// <param name="Version">The record's version.</param>
/// <param name="Problem">The problem (a warning: records with errors are never stored).</param>
public sealed record RecordProblem(long PatientId, string RegistryId, string StudyId, int Version, CohortProblem Problem);

/// <summary>The outcome of a create or update: <see cref="PatientSaved"/>, <see cref="PatientInvalid"/>, <see cref="PatientConflict"/> or <see cref="PatientNotFound"/>.</summary>
public abstract record SaveResult;

/// <summary>Saved (or nothing to change); the record as stored now, with its warnings.</summary>
/// <param name="Patient">The record now.</param>
/// <param name="Changes">The audit rows written (0 when nothing changed).</param>
public sealed record PatientSaved(PatientDetails Patient, int Changes) : SaveResult;

/// <summary>Not saved: the record breaks validation rules (errors; warnings listed too). Nothing was written.</summary>
/// <param name="Problems">Every problem, errors first in rule order.</param>
public sealed record PatientInvalid(IReadOnlyList<CohortProblem> Problems) : SaveResult;

/// <summary>
/// Not saved: someone changed the record since <paramref name="ExpectedVersion"/> was read. Both versions are given
/// so that the user can merge by hand; nothing was written.
/// </summary>
/// <param name="Current">The record as stored now (another user's save).</param>
/// <param name="Attempted">What this user tried to save.</param>
/// <param name="ExpectedVersion">The version this user had read.</param>
public sealed record PatientConflict(PatientDetails Current, PatientInput Attempted, int ExpectedVersion) : SaveResult;

/// <summary>No such record for this caller (it may exist at another site: that is never told).</summary>
public sealed record PatientNotFound : SaveResult;

/// <summary>
/// Patients: list, read, create, update. Site data managers see and edit their own site's records only (another
/// site's record is not found); analysts read pseudonymised records of every site and edit nothing; admins do all.
/// Every save is validated with the CLI's rules, written in one transaction with one audit row per changed field.
/// </summary>
public sealed class PatientService(RegistryStore store)
{
    /// <summary>Lists patients the caller may see, filtered, ordered by site and study id (analysts: by pseudonym).</summary>
    public IReadOnlyList<PatientSummary> List(Actor actor, PatientFilter filter)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        actor.Require("list patients", Role.Admin, Role.SiteDataManager, Role.Analyst);
        using var db = store.CreateContext();
        var q = db.Patients.AsNoTracking().AsQueryable();
        var site = actor.ManagedSite ?? filter.SiteId;
        if (site is { } s)
        {
            q = q.Where(p => p.SiteId == s);
        }

        if (filter.Histology is { } h)
        {
            q = q.Where(p => p.Histology == h);
        }

        if (filter.VitalStatus is { } v)
        {
            q = q.Where(p => p.VitalStatus == v);
        }

        if (filter.HasProblems is { } has)
        {
            q = has ? q.Where(p => p.WarningCount > 0) : q.Where(p => p.WarningCount == 0);
        }

        var analyst = actor.Role == Role.Analyst;
        if (filter.Search is { Length: > 0 } text)
        {
            var t = text.Trim().ToUpperInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // Translated to SQL upper(); the culture-free overloads are not.
            q = analyst ? q.Where(p => p.Pseudonym.ToUpper().Contains(t))
                : q.Where(p => p.StudyId.ToUpper().Contains(t) || p.RegistryId.ToUpper().Contains(t) || p.Pseudonym.ToUpper().Contains(t));
#pragma warning restore CA1304, CA1311, CA1862
        }

        q = analyst ? q.OrderBy(p => p.Pseudonym) : q.OrderBy(p => p.SiteId).ThenBy(p => p.StudyId);
        var sites = db.Sites.AsNoTracking().ToDictionary(x => x.Id, x => x.Code);
        return q.Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, 1000)).AsEnumerable()
            .Select(p => new PatientSummary(p.Id, p.RegistryId, p.Pseudonym, p.SiteId, sites[p.SiteId], analyst ? null : p.StudyId, p.Histology, p.VitalStatus, p.WarningCount, p.Excluded, p.Version))
            .ToList();
    }

    /// <summary>One record, or null when there is none this caller may see.</summary>
    public PatientDetails? Get(Actor actor, long id)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("read patients", Role.Admin, Role.SiteDataManager, Role.Analyst);
        using var db = store.CreateContext();
        var r = db.Patients.AsNoTracking().Include(p => p.Procedures).SingleOrDefault(p => p.Id == id);
        if (r is null || (actor.ManagedSite is { } s && r.SiteId != s))
        {
            return null;
        }

        return Details(db, r, pseudonymise: actor.Role == Role.Analyst);
    }

    /// <summary>
    /// Every current problem of the records of <paramref name="siteId"/> (a manager: always their own site; an admin:
    /// that site, or every site when null), by study id, in rule order per record.
    /// </summary>
    /// <exception cref="RegistryForbiddenException">An analyst (problem lists are for the people who amend).</exception>
    public IReadOnlyList<RecordProblem> Problems(Actor actor, int? siteId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("list problems", Role.Admin, Role.SiteDataManager);
        using var db = store.CreateContext();
        var site = actor.ManagedSite ?? siteId;
        var codes = db.Sites.AsNoTracking().ToDictionary(s => s.Id, s => s.Code);
        var q = db.Patients.AsNoTracking().Include(p => p.Procedures).Where(p => p.WarningCount > 0);
        if (site is { } only)
        {
            q = q.Where(p => p.SiteId == only);
        }

        return q.OrderBy(p => p.SiteId).ThenBy(p => p.StudyId).AsEnumerable()
            .SelectMany(r => PatientMapping.Validate(PatientMapping.ToPatient(r, codes[r.SiteId], pseudonymise: false))
                .Select(p => new RecordProblem(r.Id, r.RegistryId, r.StudyId, r.Version, p)))
            .ToList();
    }

    /// <summary>The id of the record with the site's study id, or null (for managers and admins).</summary>
    public long? Find(Actor actor, int siteId, string studyId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("look up study ids", Role.Admin, Role.SiteDataManager);
        if (!actor.MayEditSite(siteId))
        {
            return null;
        }

        using var db = store.CreateContext();
        return db.Patients.Where(p => p.SiteId == siteId && p.StudyId == studyId).Select(p => (long?)p.Id).SingleOrDefault();
    }

    /// <summary>Creates a record at <paramref name="siteId"/> (a manager: their own site only).</summary>
    /// <exception cref="RegistryForbiddenException">An analyst, or a manager of another site.</exception>
    public SaveResult Create(Actor actor, int siteId, PatientInput input)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Require("create patients", Role.Admin, Role.SiteDataManager);
        if (!actor.MayEditSite(siteId))
        {
            throw new RegistryForbiddenException("a site data manager may create patients at their own site only");
        }

        using var db = store.CreateContext();
        using var tx = db.Database.BeginTransaction();
        var site = db.Sites.SingleOrDefault(s => s.Id == siteId) ?? throw new ArgumentException($"There is no site {siteId}.", nameof(siteId));
        var record = new PatientRecord { RegistryId = PatientMapping.RandomId("R-", 5), Pseudonym = PatientMapping.RandomId("PS-", 5), SiteId = siteId, StudyId = input.Patient.StudyId, Version = 1 };
        if (Write(db, store, actor, record, site.Code, input, isNew: true, AuditActions.Create, null) is { } invalid)
        {
            return invalid;
        }

        try
        {
            db.SaveChanges();
            tx.Commit();
        }
        catch (DbUpdateException) when (TakenMeanwhile(siteId, record.StudyId))
        {
            // Two creates of one study id raced: the unique index refused the second; report it like the check above.
            tx.Rollback();
            return new PatientInvalid([DuplicateKey(record.StudyId)]);
        }

        return new PatientSaved(Details(db, record, false), 1);
    }

    /// <summary>
    /// Updates a record if it is still at <paramref name="expectedVersion"/>; otherwise a <see cref="PatientConflict"/>
    /// with both versions (never a silent overwrite, also when two saves race: the version is checked in the UPDATE).
    /// </summary>
    /// <exception cref="RegistryForbiddenException">An analyst.</exception>
    public SaveResult Update(Actor actor, long id, int expectedVersion, PatientInput input)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Require("edit patients", Role.Admin, Role.SiteDataManager);
        using var db = store.CreateContext();
        using var tx = db.Database.BeginTransaction();
        if (EditableRecord(db, actor, id) is not { } record)
        {
            return new PatientNotFound();
        }

        var code = db.Sites.Where(s => s.Id == record.SiteId).Select(s => s.Code).Single();
        if (record.Version != expectedVersion)
        {
            return new PatientConflict(Details(db, record, false), input, expectedVersion);
        }

        var before = db.AuditEntries.Local.Count;
        if (Write(db, store, actor, record, code, input, isNew: false, AuditActions.Update, null) is { } invalid)
        {
            return invalid;
        }

        var changes = db.AuditEntries.Local.Count - before;
        try
        {
            db.SaveChanges();
            tx.Commit();
        }
        catch (DbUpdateConcurrencyException)
        {
            tx.Rollback();
            return ConflictAfterRace(id, input, expectedVersion);
        }

        return new PatientSaved(Details(db, record, false), changes);
    }

    private bool TakenMeanwhile(int siteId, string studyId)
    {
        using var fresh = store.CreateContext();
        return fresh.Patients.Any(p => p.SiteId == siteId && p.StudyId == studyId);
    }

    private static CohortProblem DuplicateKey(string studyId) =>
        new($"patient {studyId}", null, "study_id", RuleCodes.DuplicateKey, studyId, "a study id not used by another patient of this site", StudyId: studyId);

    private PatientConflict ConflictAfterRace(long id, PatientInput input, int expectedVersion)
    {
        using var fresh = store.CreateContext();
        var current = fresh.Patients.AsNoTracking().Include(p => p.Procedures).Single(p => p.Id == id);
        return new PatientConflict(Details(fresh, current, false), input, expectedVersion);
    }

    /// <summary>
    /// Validates <paramref name="input"/> and writes it into <paramref name="record"/> with one audit row per changed
    /// field (a new record: one create row), bumping the version when anything changed. Returns the problems when
    /// invalid (nothing changed then). The caller saves and commits.
    /// </summary>
    internal static PatientInvalid? Write(RegistryDbContext db, RegistryStore store, Actor actor, PatientRecord record, string siteCode, PatientInput input, bool isNew, string action, string? detail)
    {
        var patient = input.Patient with { StudyId = input.Patient.StudyId?.Trim() ?? string.Empty, Site = siteCode };
        var problems = PatientMapping.Validate(patient);
        var duplicate = db.Patients.Any(p => p.SiteId == record.SiteId && p.StudyId == patient.StudyId && p.Id != record.Id);
        if (duplicate)
        {
            problems = [.. problems, DuplicateKey(patient.StudyId)];
        }

        if (problems.Any(p => p.Severity == Severity.Error))
        {
            return new PatientInvalid(problems.OrderBy(p => p.Severity).ToList());
        }

        input = input with { Patient = patient };
        var old = isNew ? null : PatientMapping.ToInput(record, siteCode);
        var changes = PatientMapping.Diff(old, input);
        record.WarningCount = problems.Count;
        if (isNew)
        {
            PatientMapping.CopyInto(record, input);
            db.Patients.Add(record);
            AuditLog.Add(db, store, actor, action, record.SiteId, record.RegistryId, detail: detail ?? string.Create(CultureInfo.InvariantCulture, $"{input.Patient.Procedures.Count} procedures"));
            return null;
        }

        if (changes.Count == 0)
        {
            return null;
        }

        PatientMapping.CopyInto(record, input);
        var version = record.Version;
        record.Version = version + 1;
        db.Entry(record).Property(p => p.Version).OriginalValue = version;
        foreach (var (field, from, to) in changes)
        {
            AuditLog.Add(db, store, actor, action, record.SiteId, record.RegistryId, field, from, to, detail);
        }

        return null;
    }

    /// <summary>The details of a record (validation run again, so the problems follow the current rules).</summary>
    internal static PatientDetails Details(RegistryDbContext db, PatientRecord r, bool pseudonymise)
    {
        var code = db.Sites.AsNoTracking().Where(s => s.Id == r.SiteId).Select(s => s.Code).Single();
        var full = PatientMapping.ToPatient(r, code, pseudonymise: false);
        var problems = PatientMapping.Validate(full);
        var data = pseudonymise ? new PatientInput(PatientMapping.ToPatient(r, code, pseudonymise: true)) : new PatientInput(full, r.Name, r.RecordNumber);
        if (pseudonymise)
        {
            // Problems name the site's study id; analysts see the pseudonym only, and no value of an identifying field.
            problems = problems.Select(p => p with { File = p.File.Replace(r.StudyId, r.Pseudonym, StringComparison.Ordinal), StudyId = r.Pseudonym, Found = PatientMapping.Hidden(p.Column ?? string.Empty) ? null : p.Found }).ToList();
        }

        return new PatientDetails(r.Id, r.RegistryId, r.Pseudonym, r.SiteId, code, r.Version, r.Excluded, r.ExclusionReason, data, problems);
    }

    /// <summary>
    /// The stored record with its procedures, tracked for an update, when <paramref name="actor"/> may edit its site;
    /// null otherwise (another site's record is "not found", never "forbidden").
    /// </summary>
    internal static PatientRecord? EditableRecord(RegistryDbContext db, Actor actor, long id)
    {
        var record = db.Patients.Include(p => p.Procedures).SingleOrDefault(p => p.Id == id);
        return record is not null && actor.MayEditSite(record.SiteId) ? record : null;
    }
}
