using Microsoft.AspNetCore.Identity;

namespace Sarcostat.Registry.Model;

/// <summary>A centre that keeps its own patients in the registry.</summary>
public sealed class Site
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>Short unique code, e.g. <c>site-a</c>; written into the cohort's <c>site</c> field.</summary>
    public required string Code { get; set; }

    /// <summary>Display name.</summary>
    public required string Name { get; set; }
}

/// <summary>A registry user (ASP.NET Core Identity's user, with the registry's own columns).</summary>
public sealed class RegistryUser : IdentityUser
{
    /// <summary>The site of a site data manager; null for admins and analysts.</summary>
    public int? SiteId { get; set; }

    /// <summary>The password was set by someone else (seed, admin) and must be changed at the next login.</summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>
/// One patient of one site: the cohort model's fields (<see cref="Cohort.Patient"/>), a registry id, a pseudonym,
/// and identifying fields that only the patient's own site sees (<see cref="Identifying"/>).
/// </summary>
public sealed class PatientRecord
{
    /// <summary>Key.</summary>
    public long Id { get; set; }

    /// <summary>Registry-wide id, e.g. <c>R-000042</c>; stable, shown in the audit trail.</summary>
    public required string RegistryId { get; set; }

    /// <summary>Registry-wide pseudonym (<c>PS-</c> + 10 random hex digits): the study id of the pooled cohort analysts see.</summary>
    public required string Pseudonym { get; set; }

    /// <summary>The site that owns the record.</summary>
    public int SiteId { get; set; }

    /// <summary>The site's own study id (the cohort's <c>study_id</c>, the key of the site's extracts); unique within a site.</summary>
    public required string StudyId { get; set; }

    /// <summary>Optimistic concurrency: checked and bumped by every update (the same on SQLite and PostgreSQL).</summary>
    public int Version { get; set; }

    /// <summary>Warnings the validation rules gave at the last save (records with errors are never saved).</summary>
    public int WarningCount { get; set; }

    /// <summary>Excluded from the study by an amendment (kind exclude).</summary>
    public bool Excluded { get; set; }

    /// <summary>The exclusion's reason.</summary>
    public string? ExclusionReason { get; set; }

    /// <summary>Identifying: the patient's name.</summary>
    public string? Name { get; set; }

    /// <summary>Identifying: the hospital record number.</summary>
    public string? RecordNumber { get; set; }

    /// <summary>Identifying: birth_date.</summary>
    public DateOnly? BirthDate { get; set; }

#pragma warning disable CS1591 // The cohort fields: documented on Cohort.Patient, same names.
    public string? Source { get; set; }
    public string? Sex { get; set; }
    public double? AgeAtPm { get; set; }
    public int? Ecog { get; set; }
    public string? Smoking { get; set; }
    public bool? Diabetes { get; set; }
    public bool? Hypertension { get; set; }
    public bool? OtherCancer { get; set; }
    public string? ComorbidityNote { get; set; }
    public string? Histology { get; set; }
    public string? Tissue { get; set; }
    public string? Grade { get; set; }
    public string? PrimarySite { get; set; }
    public double? PrimarySizeCm { get; set; }
    public DateOnly? PrimarySurgeryDate { get; set; }
    public string? PrimaryMargin { get; set; }
    public bool? LocalRecurrenceAtPm { get; set; }
    public DateOnly? LungMetastasisDate { get; set; }
    public bool? Synchronous { get; set; }
    public int? Nodules { get; set; }
    public string? Laterality { get; set; }
    public double? LargestNoduleMm { get; set; }
    public string? Chemotherapy { get; set; }
    public string? Recist { get; set; }
    public int? CtcaeGrade { get; set; }
    public DateOnly? LastContactDate { get; set; }
    public string? VitalStatus { get; set; }
    public DateOnly? DeathDate { get; set; }
    public string? CauseOfDeath { get; set; }
    public DateOnly? RecurrenceDate { get; set; }
    public DateOnly? ProgressionDate { get; set; }
#pragma warning restore CS1591

    /// <summary>The metastasectomies.</summary>
    public List<ProcedureRecord> Procedures { get; set; } = [];

    /// <summary>The fields whose values identify a person: recorded as "changed" in the audit trail, never given to analysts.</summary>
    public static IReadOnlySet<string> Identifying { get; } = new HashSet<string>(StringComparer.Ordinal) { "name", "record_number", "birth_date" };
}

/// <summary>One metastasectomy of a stored patient.</summary>
public sealed class ProcedureRecord
{
    /// <summary>Key.</summary>
    public long Id { get; set; }

    /// <summary>The patient.</summary>
    public long PatientRecordId { get; set; }

#pragma warning disable CS1591 // The metastasectomy fields: documented on Cohort.Metastasectomy, same names.
    public DateOnly Date { get; set; }
    public string? Indication { get; set; }
    public string? Side { get; set; }
    public string? Approach { get; set; }
    public string? Anaesthesia { get; set; }
    public string? Resection { get; set; }
    public int? NodulesResected { get; set; }
    public bool? CompleteResection { get; set; }
    public string? Margin { get; set; }
    public int? HospitalStayDays { get; set; }
    public double? IcuStayDays { get; set; }
    public string? ClavienDindo { get; set; }
    public string? Complication { get; set; }
    public bool? Mortality30d { get; set; }
#pragma warning restore CS1591
}

/// <summary>
/// A recorded decision on a stored patient, the same kinds as a file amendment (<see cref="Cohort.AmendmentKind"/>):
/// set a field (a new value or missing) or exclude the patient from the study, always with a reason.
/// </summary>
public sealed class AmendmentRecord
{
    /// <summary>Key.</summary>
    public long Id { get; set; }

    /// <summary>The patient.</summary>
    public long PatientRecordId { get; set; }

    /// <summary>The site of the patient.</summary>
    public int SiteId { get; set; }

    /// <summary>set or exclude (<see cref="Cohort.AmendmentKind"/> as written in an amendments file).</summary>
    public required string Kind { get; set; }

    /// <summary>The dictionary field (set), or null (exclude).</summary>
    public string? Field { get; set; }

    /// <summary>What was done, as a report's data appendix lists it (<c>"12" -> missing</c>, <c>changed</c>, <c>excluded</c>); never an identifying value.</summary>
    public required string Change { get; set; }

    /// <summary>The reason given.</summary>
    public required string Reason { get; set; }

    /// <summary>Who.</summary>
    public required string UserId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
}

/// <summary>A committed import: which files, through which mapping, what it did.</summary>
public sealed class ImportBatch
{
    /// <summary>Key.</summary>
    public long Id { get; set; }

    /// <summary>The site imported into.</summary>
    public int SiteId { get; set; }

    /// <summary>Who.</summary>
    public required string UserId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>The uploaded files' names, comma-joined.</summary>
    public required string Files { get; set; }

    /// <summary>The saved mapping used, or null (canonical files).</summary>
    public string? MappingName { get; set; }

    /// <summary>SHA-256 of the uploaded files (name: hash, comma-joined).</summary>
    public required string Fingerprints { get; set; }

    /// <summary>Patients created.</summary>
    public int Created { get; set; }

    /// <summary>Patients updated.</summary>
    public int Updated { get; set; }

    /// <summary>Patients read with no change.</summary>
    public int Unchanged { get; set; }

    /// <summary>Warnings the import reported.</summary>
    public int Warnings { get; set; }
}

/// <summary>A site's saved source mapping (the YAML text of docs/import.md), used to import its extracts.</summary>
public sealed class SavedMapping
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>The site.</summary>
    public int SiteId { get; set; }

    /// <summary>Name, unique within the site.</summary>
    public required string Name { get; set; }

    /// <summary>The mapping's YAML text.</summary>
    public required string Yaml { get; set; }
}

/// <summary>
/// One append-only row of the audit trail. Identifying fields' values are never stored: their old and new values read
/// <c>changed</c>. The database refuses UPDATE and DELETE of these rows (docs/registry.md).
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Key (increasing).</summary>
    public long Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>The user (Identity user id, or <c>token:N</c> for an API token).</summary>
    public required string UserId { get; set; }

    /// <summary>The site concerned, when any.</summary>
    public int? SiteId { get; set; }

    /// <summary>What happened (<see cref="AuditActions"/>).</summary>
    public required string Action { get; set; }

    /// <summary>The record's registry id, when one record is concerned.</summary>
    public string? RecordId { get; set; }

    /// <summary>The field changed, when one is.</summary>
    public string? Field { get; set; }

    /// <summary>The value before (formatted as FieldRules.Format does), or <c>changed</c> for an identifying field.</summary>
    public string? OldValue { get; set; }

    /// <summary>The value after, or <c>changed</c> for an identifying field.</summary>
    public string? NewValue { get; set; }

    /// <summary>A short description without patient data (files imported, protocol run, amendment reason).</summary>
    public string? Detail { get; set; }
}

/// <summary>The audit actions.</summary>
public static class AuditActions
{
#pragma warning disable CS1591
    public const string Create = "create";
    public const string Update = "update";
    public const string Amend = "amend";
    public const string Import = "import";
    public const string Export = "export";
    public const string ReportRun = "report-run";
    public const string Login = "login";
    public const string LoginFailed = "login-failed";
    public const string Logout = "logout";
    public const string PasswordChange = "password-change";
    public const string UserCreate = "user-create";
    public const string SiteCreate = "site-create";
    public const string TokenIssue = "token-issue";
    public const string TokenRevoke = "token-revoke";
    public const string MappingSave = "mapping-save";
#pragma warning restore CS1591
}

/// <summary>
/// An API token: only its SHA-256 is stored; the token itself is shown once when issued. A <b>site token</b>
/// (<see cref="Services.Role.SiteDataManager"/>, with its <see cref="SiteId"/>) acts as that site's data manager; an
/// <b>analyst token</b> (<see cref="Services.Role.Analyst"/>, no site) acts as an analyst: the pooled pseudonymised
/// cohort and protocol runs, nothing else. The database refuses any other combination (check constraint).
/// </summary>
public sealed class ApiToken
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>The role the token acts as, stored as the role's name (<c>SiteDataManager</c> or <c>Analyst</c>).</summary>
    public Services.Role Role { get; set; } = Services.Role.SiteDataManager;

    /// <summary>The site a site token acts for; null for an analyst token.</summary>
    public int? SiteId { get; set; }

    /// <summary>A label (which system uses it).</summary>
    public required string Name { get; set; }

    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public required string Hash { get; set; }

    /// <summary>When issued (UTC).</summary>
    public DateTime Created { get; set; }

    /// <summary>Revoked tokens no longer authenticate.</summary>
    public bool Revoked { get; set; }
}
