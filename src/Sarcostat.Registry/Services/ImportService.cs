using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Cohort;
using Sarcostat.Files.Output;
using Sarcostat.Import;
using Sarcostat.Import.Mapping;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>An uploaded file: its name as the user's computer had it (only the name part is kept) and its bytes.</summary>
/// <param name="Name">The file name (.csv, .tsv, .txt, .xlsx, .xlsm, .xls).</param>
/// <param name="Content">The bytes.</param>
public sealed record UploadedFile(string Name, byte[] Content);

/// <summary>
/// A decision on an uploaded file's cell or row, as in an amendments file (docs/import.md, "Amendments"): kind set
/// (<paramref name="Column"/>, <paramref name="Old"/>, <paramref name="New"/>; <c>missing</c> for no value) or drop
/// (optional <paramref name="StudyId"/>, checked), always with a reason. Applied while the file is read, so the new
/// value meets the same rules as any cell.
/// </summary>
/// <param name="Kind">Set or Drop.</param>
/// <param name="File">The file as problems name it (<c>patients.csv</c>, <c>cohort.xlsx[patients]</c>).</param>
/// <param name="Row">The spreadsheet row (header = 1).</param>
/// <param name="Column">Set: the column header.</param>
/// <param name="Old">Set: the cell's text as it stands ("" for empty).</param>
/// <param name="New">Set: the new text, or <c>missing</c>.</param>
/// <param name="StudyId">Drop: the row's key, checked when given.</param>
/// <param name="Reason">Why.</param>
public sealed record FileAmendment(AmendmentKind Kind, string File, int Row, string? Column, string? Old, string? New, string? StudyId, string Reason);

/// <summary>What to import into a site.</summary>
/// <param name="Files">The extract's files.</param>
/// <param name="MappingName">A saved mapping of the site, or null for canonical files (the dictionary's column names).</param>
/// <param name="Amendments">Decisions on cells and rows of these files.</param>
/// <param name="Salt">The salt, when the mapping pseudonymises a column.</param>
public sealed record ImportUpload(IReadOnlyList<UploadedFile> Files, string? MappingName = null, IReadOnlyList<FileAmendment>? Amendments = null, string? Salt = null);

/// <summary>What an import would do, nothing written: every problem, and the patients it would create or change.</summary>
/// <param name="SetupErrors">Why the files could not be read at all (a bad mapping, an unknown file type); empty when they could.</param>
/// <param name="Problems">Every problem in file order (<see cref="CohortProblem"/>, as the CLI prints them).</param>
/// <param name="Patients">Patients read without error.</param>
/// <param name="New">Of those, not yet in the site.</param>
/// <param name="Changed">Of those, in the site with different values.</param>
/// <param name="Unchanged">Of those, in the site with the same values.</param>
/// <param name="Rejected">Study ids an error points at.</param>
/// <param name="Tables">Rows read, accepted, rejected per table.</param>
/// <param name="Amendments">The amendments applied.</param>
public sealed record ImportPreview(IReadOnlyList<string> SetupErrors, IReadOnlyList<CohortProblem> Problems, int Patients, int New, int Changed, int Unchanged, IReadOnlyList<string> Rejected, IReadOnlyList<TableCount> Tables, IReadOnlyList<AppliedAmendment> Amendments)
{
    /// <summary>Errors among the problems.</summary>
    public int Errors => Problems.Count(p => p.Severity == Severity.Error);

    /// <summary>A commit would write: the files were read and no error was found.</summary>
    public bool CanCommit => SetupErrors.Count == 0 && Errors == 0;
}

/// <summary>The outcome of a commit: <see cref="ImportCommitted"/> or <see cref="ImportRefused"/>.</summary>
public abstract record ImportOutcome;

/// <summary>Written, all of it, in one transaction.</summary>
/// <param name="BatchId">The import batch.</param>
/// <param name="Created">Patients created.</param>
/// <param name="Updated">Patients changed.</param>
/// <param name="Unchanged">Patients read with no change.</param>
/// <param name="Preview">What was read.</param>
public sealed record ImportCommitted(long BatchId, int Created, int Updated, int Unchanged, ImportPreview Preview) : ImportOutcome;

/// <summary>Nothing written: the preview's errors (or setup errors) say why.</summary>
/// <param name="Preview">What was read.</param>
public sealed record ImportRefused(ImportPreview Preview) : ImportOutcome;

/// <summary>A saved mapping's name and text.</summary>
/// <param name="Name">Name.</param>
/// <param name="Yaml">The mapping (docs/import.md).</param>
public sealed record MappingInfo(string Name, string Yaml);

/// <summary>
/// Imports a site's extracts through the CLI's import pipeline (<see cref="CohortImporter"/>: the same reading,
/// mapping, amendments and validation): a preview writes nothing; a commit reads again and writes all patients in
/// one transaction, or nothing. Site data managers import into their own site; admins into any; analysts never.
/// </summary>
public sealed partial class ImportService(RegistryStore store)
{
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex MappingName();

    /// <summary>Test seam: called after each patient is written inside the commit's transaction.</summary>
    internal Action<int>? AfterPatientWritten { get; set; }

    /// <summary>Saves (or replaces) a source mapping of a site; returns the mapping's errors, and saves nothing when there are any.</summary>
    public IReadOnlyList<string> SaveMapping(Actor actor, int siteId, string name, string yaml)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(yaml);
        Authorise(actor, siteId);
        if (!MappingName().IsMatch(name))
        {
            throw new ArgumentException("A mapping name is 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.", nameof(name));
        }

        try
        {
            SourceMapping.Parse(yaml, name + ".yaml");
        }
        catch (ImportSetupException e)
        {
            return e.Errors;
        }

        using var db = store.CreateContext();
        using var tx = db.Database.BeginTransaction();
        var existing = db.Mappings.SingleOrDefault(m => m.SiteId == siteId && m.Name == name);
        if (existing is null)
        {
            db.Mappings.Add(new SavedMapping { SiteId = siteId, Name = name, Yaml = yaml });
        }
        else
        {
            existing.Yaml = yaml;
        }

        AuditLog.Add(db, store, actor, AuditActions.MappingSave, siteId, detail: $"mapping {name}");
        db.SaveChanges();
        tx.Commit();
        return [];
    }

    /// <summary>The saved mappings of a site.</summary>
    public IReadOnlyList<MappingInfo> Mappings(Actor actor, int siteId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Authorise(actor, siteId);
        using var db = store.CreateContext();
        return db.Mappings.AsNoTracking().Where(m => m.SiteId == siteId).OrderBy(m => m.Name).Select(m => new MappingInfo(m.Name, m.Yaml)).ToList();
    }

    /// <summary>The committed imports of a site, newest first.</summary>
    public IReadOnlyList<ImportBatch> Batches(Actor actor, int siteId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Authorise(actor, siteId);
        using var db = store.CreateContext();
        return db.ImportBatches.AsNoTracking().Where(b => b.SiteId == siteId).OrderByDescending(b => b.Id).AsEnumerable()
            .Select(b =>
            {
                b.At = DateTime.SpecifyKind(b.At, DateTimeKind.Utc);
                return b;
            }).ToList();
    }

    /// <summary>Reads the upload and reports every problem; writes nothing.</summary>
    /// <exception cref="RegistryForbiddenException">An analyst, or a manager of another site.</exception>
    public ImportPreview Preview(Actor actor, int siteId, ImportUpload upload)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(upload);
        Authorise(actor, siteId);
        using var db = store.CreateContext();
        return Read(db, siteId, upload).Preview;
    }

    /// <summary>
    /// Reads the upload again and, when it has no error, writes every patient in one transaction; otherwise nothing.
    /// <paramref name="progress"/> (null for none) is told what it does: reading and checking the files (no step count
    /// yet), then each patient written inside the one transaction (step k of n, n = the patients read + 1), and n of n
    /// once the transaction has committed. A refused import ends without n of n.
    /// </summary>
    /// <exception cref="RegistryForbiddenException">An analyst, or a manager of another site.</exception>
    public ImportOutcome Commit(Actor actor, int siteId, ImportUpload upload, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(upload);
        Authorise(actor, siteId);
        progress?.Report(new WorkProgress("Reading and checking the files", 0, 0));
        using var db = store.CreateContext();
        var (preview, patients) = Read(db, siteId, upload);
        if (!preview.CanCommit)
        {
            return new ImportRefused(preview);
        }

        try
        {
            return Write(db, actor, siteId, upload, preview, patients, progress);
        }
        catch (DbUpdateException)
        {
            // Another import or edit of the same patients committed first (a study id created twice, a version moved
            // on): the transaction was rolled back whole.
            return new ImportRefused(preview with
            {
                SetupErrors = ["The site's patients changed while this import was being written (another import or edit); nothing was written. Preview and commit again."],
            });
        }
    }

    private ImportOutcome Write(RegistryDbContext db, Actor actor, int siteId, ImportUpload upload, ImportPreview preview, IReadOnlyList<Patient> patients, IProgress<WorkProgress>? progress)
    {
        var of = patients.Count + 1;
        using var tx = db.Database.BeginTransaction();
        var site = db.Sites.Single(s => s.Id == siteId);
        var batch = new ImportBatch
        {
            SiteId = siteId,
            UserId = actor.UserId,
            At = store.Now,
            Files = string.Join(", ", upload.Files.Select(f => Path.GetFileName(f.Name))),
            MappingName = upload.MappingName,
            Fingerprints = string.Join(", ", upload.Files.Select(f => $"{Path.GetFileName(f.Name)}: {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Content))}")),
            Warnings = preview.Problems.Count - preview.Errors,
        };
        db.ImportBatches.Add(batch);
        db.SaveChanges();
        var detail = string.Create(CultureInfo.InvariantCulture, $"import {batch.Id}");
        var existing = db.Patients.Include(p => p.Procedures).Where(p => p.SiteId == siteId).ToDictionary(p => p.StudyId, StringComparer.Ordinal);
        var n = 0;
        foreach (var patient in patients)
        {
            var isNew = !existing.TryGetValue(patient.StudyId, out var record);
            record ??= new PatientRecord { RegistryId = PatientMapping.RandomId("R-", 5), Pseudonym = PatientMapping.RandomId("PS-", 5), SiteId = siteId, StudyId = patient.StudyId, Version = 1 };
            var before = db.AuditEntries.Local.Count;
            var input = new PatientInput(patient, record.Name, record.RecordNumber);
            if (PatientService.Write(db, store, actor, record, site.Code, input, isNew, isNew ? AuditActions.Create : AuditActions.Update, detail) is { } invalid)
            {
                tx.Rollback();
                return new ImportRefused(preview with { Problems = [.. preview.Problems, .. invalid.Problems] });
            }

            var changed = db.AuditEntries.Local.Count - before;
            if (isNew)
            {
                batch.Created++;
            }
            else if (changed > 0)
            {
                batch.Updated++;
            }
            else
            {
                batch.Unchanged++;
            }

            db.SaveChanges();
            n++; // not inside ?.Invoke(...): its argument is not evaluated when the seam is null
            AfterPatientWritten?.Invoke(n);
            progress?.Report(new WorkProgress(string.Create(CultureInfo.InvariantCulture, $"Writing patients: {n} of {patients.Count}"), n, of));
        }

        // The upload's decisions (cells set, rows dropped) are part of the record: one amend row each, as the report lists them.
        foreach (var a in preview.Amendments)
        {
            var recordId = a.StudyId is { } id && existing.TryGetValue(id, out var r) ? r.RegistryId
                : db.Patients.Local.FirstOrDefault(p => p.SiteId == siteId && p.StudyId == a.StudyId)?.RegistryId;
            AuditLog.Add(db, store, actor, AuditActions.Amend, siteId, recordId, a.Field, detail: $"{detail}: {a}");
        }

        AuditLog.Add(db, store, actor, AuditActions.Import, siteId, detail: string.Create(CultureInfo.InvariantCulture,
            $"{detail}: {batch.Files}{(batch.MappingName is null ? string.Empty : $" through mapping {batch.MappingName}")}; {batch.Created} created, {batch.Updated} updated, {batch.Unchanged} unchanged"));
        db.SaveChanges();
        tx.Commit();
        progress?.Report(new WorkProgress(string.Create(CultureInfo.InvariantCulture, $"Committed: {patients.Count} patients"), of, of));
        return new ImportCommitted(batch.Id, batch.Created, batch.Updated, batch.Unchanged, preview);
    }

    private static void Authorise(Actor actor, int siteId)
    {
        actor.Require("import", Role.Admin, Role.SiteDataManager);
        if (!actor.MayEditSite(siteId))
        {
            throw new RegistryForbiddenException("a site data manager may import into their own site only");
        }
    }

    /// <summary>Runs the CLI's importer on the upload in a temporary folder (deleted afterwards), and compares with the site's records.</summary>
    private static (ImportPreview Preview, IReadOnlyList<Patient> Patients) Read(RegistryDbContext db, int siteId, ImportUpload upload)
    {
        var site = db.Sites.AsNoTracking().SingleOrDefault(s => s.Id == siteId) ?? throw new ArgumentException($"There is no site {siteId}.", nameof(siteId));
        var dir = Directory.CreateTempSubdirectory("sarcostat-import-").FullName;
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(dir, "data")).FullName;
            var inputs = new List<string>();
            foreach (var f in upload.Files)
            {
                var name = Path.GetFileName(f.Name.Replace('\\', '/'));
                if (string.IsNullOrWhiteSpace(name) || name.StartsWith('.') || inputs.Any(i => string.Equals(Path.GetFileName(i), name, StringComparison.OrdinalIgnoreCase)))
                {
                    return (Setup($"upload: expected distinct file names; found '{CohortProblem.Shown(f.Name)}'."), []);
                }

                var path = Path.Combine(data, name);
                File.WriteAllBytes(path, f.Content);
                inputs.Add(path);
            }

            if (inputs.Count == 0)
            {
                return (Setup("upload: expected at least one file."), []);
            }

            var mappings = new List<string>();
            if (upload.MappingName is { } mappingName)
            {
                var yaml = db.Mappings.AsNoTracking().Where(m => m.SiteId == siteId && m.Name == mappingName).Select(m => m.Yaml).SingleOrDefault();
                if (yaml is null)
                {
                    return (Setup($"mapping '{CohortProblem.Shown(mappingName)}': no such saved mapping at this site."), []);
                }

                // Named as saved, so that the mapping's own problems name it as the user knows it.
                var mappingPath = Path.Combine(dir, mappingName + ".yaml");
                File.WriteAllText(mappingPath, yaml);
                mappings.Add(mappingPath);
            }

            string? amendments = null;
            if (upload.Amendments is { Count: > 0 } list)
            {
                amendments = Path.Combine(dir, "amendments.csv");
                var rows = list.Select(a => new[]
                {
                    a.Kind.ToString().ToLowerInvariant(), a.File, a.Row.ToString(CultureInfo.InvariantCulture), a.Column ?? string.Empty, a.Old ?? string.Empty,
                    a.New ?? string.Empty, a.StudyId ?? string.Empty, a.Reason,
                });
                File.WriteAllText(amendments, CsvOutput.Table(["kind", "file", "row", "column", "old", "new", "study_id", "reason"], rows, guard: false), CsvOutput.Utf8);
            }

            ImportResult result;
            try
            {
                result = CohortImporter.Import(new ImportRequest { Inputs = inputs, Mappings = mappings, Salt = upload.Salt, Amendments = amendments });
            }
            catch (ImportSetupException e)
            {
                return (Setup([.. e.Errors.Select(m => m.Replace(dir + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal).Replace("data" + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal))]), []);
            }

            var patients = result.Patients.Select(p => p with { Site = site.Code }).ToList();
            var stored = db.Patients.AsNoTracking().Include(p => p.Procedures).Where(p => p.SiteId == siteId).ToDictionary(p => p.StudyId, StringComparer.Ordinal);
            int created = 0, changed = 0, same = 0;
            foreach (var p in patients)
            {
                if (!stored.TryGetValue(p.StudyId, out var r))
                {
                    created++;
                }
                else if (PatientMapping.Diff(PatientMapping.ToInput(r, site.Code), new PatientInput(p, r.Name, r.RecordNumber)).Count > 0)
                {
                    changed++;
                }
                else
                {
                    same++;
                }
            }

            var problems = result.Problems.Select(p => p with { File = Display(p.File, dir) }).ToList();
            var applied = result.Amendments.Select(a => a with { Location = Display(a.Location, dir) }).ToList();
            return (new ImportPreview([], problems, patients.Count, created, changed, same, result.RejectedStudyIds, result.Tables, applied), patients);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Problems name uploaded files by name, never by the temporary folder.</summary>
    private static string Display(string file, string dir) =>
        file.Replace(Path.Combine(dir, "data") + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal)
            .Replace(dir + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);

    private static ImportPreview Setup(params string[] errors) => new(errors, [], 0, 0, 0, 0, [], [], []);
}
