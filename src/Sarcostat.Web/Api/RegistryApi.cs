using Sarcostat.Cohort;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Api;

/// <summary>A problem as the API returns it (the CLI's message in <see cref="Message"/>).</summary>
/// <param name="File">File (or <c>form</c>, or <c>patient ID</c>).</param>
/// <param name="Row">Row.</param>
/// <param name="Column">Column or field.</param>
/// <param name="Rule">Rule code.</param>
/// <param name="Found">Value found (shown escaped and cut).</param>
/// <param name="Expected">What was expected.</param>
/// <param name="Severity">error or warning.</param>
/// <param name="Message">The one message format.</param>
public sealed record ProblemJson(string File, int? Row, string? Column, string Rule, string? Found, string Expected, string Severity, string Message)
{
    /// <summary>From a problem.</summary>
    public static ProblemJson From(CohortProblem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.File, p.Row, p.Column, p.Rule, p.Found is null ? null : CohortProblem.Shown(p.Found), p.Expected, p.Severity == Sarcostat.Cohort.Severity.Error ? "error" : "warning", p.ToString());
    }
}

/// <summary>A patient record in the API.</summary>
/// <param name="Id">Key.</param>
/// <param name="RegistryId">Registry id.</param>
/// <param name="Pseudonym">Pseudonym.</param>
/// <param name="SiteId">Site.</param>
/// <param name="Site">Site code.</param>
/// <param name="Version">Send it back with an update.</param>
/// <param name="Excluded">Excluded by an amendment.</param>
/// <param name="Name">Identifying: name.</param>
/// <param name="RecordNumber">Identifying: record number.</param>
/// <param name="Fields">Patient fields as canonical text (docs/data-dictionary.md).</param>
/// <param name="Procedures">Metastasectomies, each as canonical text.</param>
/// <param name="Problems">Warnings of the stored record.</param>
public sealed record PatientJson(long Id, string RegistryId, string Pseudonym, int SiteId, string Site, int Version, bool Excluded, string? Name, string? RecordNumber,
    Dictionary<string, string?> Fields, List<Dictionary<string, string?>> Procedures, IReadOnlyList<ProblemJson> Problems)
{
    /// <summary>From a record.</summary>
    public static PatientJson From(PatientDetails d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.RegistryId, d.Pseudonym, d.SiteId, d.SiteCode, d.Version, d.Excluded, d.Data.Name, d.Data.RecordNumber,
            PatientForm.Fields(d.Data.Patient), PatientForm.Procedures(d.Data.Patient), d.Problems.Select(ProblemJson.From).ToList());
    }
}

/// <summary>A patient to create (the token's site) or update (with the version read).</summary>
/// <param name="Version">Update: the version read.</param>
/// <param name="Name">Identifying: name.</param>
/// <param name="RecordNumber">Identifying: record number.</param>
/// <param name="Fields">Patient fields as canonical text.</param>
/// <param name="Procedures">Metastasectomies.</param>
public sealed record PatientWrite(int? Version, string? Name, string? RecordNumber, Dictionary<string, string?> Fields, List<Dictionary<string, string?>>? Procedures);

/// <summary>An amendment of a stored patient.</summary>
/// <param name="Version">The version read.</param>
/// <param name="Kind"><c>set</c> or <c>exclude</c>.</param>
/// <param name="Field">Set: the field.</param>
/// <param name="Value">Set: canonical value or <c>missing</c>.</param>
/// <param name="Reason">Why.</param>
public sealed record AmendmentWrite(int Version, string Kind, string? Field, string? Value, string Reason);

/// <summary>An import's outcome: committed (with counts) or not (with every problem).</summary>
/// <param name="Committed">Written.</param>
/// <param name="BatchId">The batch, when written.</param>
/// <param name="Created">Patients created.</param>
/// <param name="Updated">Patients updated.</param>
/// <param name="Unchanged">Patients unchanged.</param>
/// <param name="SetupErrors">Why the files could not be read.</param>
/// <param name="Problems">Every problem.</param>
public sealed record ImportJson(bool Committed, long? BatchId, int Created, int Updated, int Unchanged, IReadOnlyList<string> SetupErrors, IReadOnlyList<ProblemJson> Problems);

/// <summary>A background job as the API returns it (<c>GET /api/jobs/{id}</c>).</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Kind"><c>report-run</c> or <c>import</c>.</param>
/// <param name="State"><c>queued</c>, <c>running</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="Stage">What it is doing now.</param>
/// <param name="Step">Steps done.</param>
/// <param name="Of">Steps in all (0 while not known).</param>
/// <param name="QueuePosition">While queued: 1 for the next to run.</param>
/// <param name="QueuedAt">When it was queued (UTC).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it finished or failed.</param>
/// <param name="Error">Why it failed (no patient data).</param>
/// <param name="RunId">A done protocol run: the run's id.</param>
/// <param name="Files">A done protocol run: its files, each at <c>/api/analyses/{runId}/files/{file}</c>.</param>
/// <param name="ImportBatchId">A done import: its batch (null when it was refused).</param>
public sealed record JobJson(string Id, string Kind, string State, string Stage, int Step, int Of, int? QueuePosition, DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, string? RunId, IReadOnlyList<string> Files, long? ImportBatchId)
{
    /// <summary>From a job's status and, for a done run, its files.</summary>
    public static JobJson From(JobStatus job, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(job);
        var kind = job.Kind == JobKind.ReportRun ? "report-run" : "import";
        return new(job.Id, kind, job.State.ToString().ToLowerInvariant(), job.Stage, job.Step, job.Of, job.QueuePosition, job.QueuedAt, job.StartedAt, job.FinishedAt,
            job.Error, (job.Result as ReportRun)?.Id, files, (job.Result as ImportCommitted)?.BatchId);
    }
}

/// <summary>
/// The JSON API under <c>/api</c>, authenticated by an API token (<c>Authorization: Bearer</c>): a site token acts as
/// its site's data manager (sites that feed the registry from their own systems), an analyst token as an analyst
/// (the pooled pseudonymised cohort and protocol runs). The services decide what each may do (403 otherwise).
/// Described at <c>/openapi/v1.json</c>.
/// </summary>
public static class RegistryApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapRegistryApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Api).DisableAntiforgery();

        api.MapGet("/patients", (HttpContext http, PatientService patients, string? search, string? histology, string? vitalStatus, bool? hasProblems, int? skip, int? take) =>
            patients.List(http.RequiredActor(), new PatientFilter(null, histology, vitalStatus, hasProblems, search, skip ?? 0, Math.Clamp(take ?? 200, 1, 1000))))
            .WithSummary("The patients the token may read, filtered: a site token its site's, an analyst token every site's, pseudonymised");

        api.MapGet("/patients/{id:long}", (HttpContext http, PatientService patients, long id) =>
            patients.Get(http.RequiredActor(), id) is { } d ? Results.Ok(PatientJson.From(d)) : Results.NotFound())
            .WithSummary("One patient (404 for another site's)");

        api.MapPost("/patients", (HttpContext http, PatientService patients, PatientWrite body) =>
        {
            var actor = http.RequiredActor();
            var (input, problems) = Parse(body);
            return input is null ? Invalid(problems) : Saved(patients.Create(actor, TokenSite(actor), input), created: true);
        }).WithSummary("Creates a patient at the token's site (422 with every problem when a rule is broken)").SiteTokensOnly();

        api.MapPut("/patients/{id:long}", (HttpContext http, PatientService patients, long id, PatientWrite body) =>
        {
            var (input, problems) = Parse(body);
            if (body.Version is not { } version)
            {
                return Results.BadRequest(new { error = "version is required: send the version you read" });
            }

            return input is null ? Invalid(problems) : Saved(patients.Update(http.RequiredActor(), id, version, input), created: false);
        }).WithSummary("Updates a patient if it is still at the version sent (409 with the stored record otherwise)").SiteTokensOnly();

        api.MapPost("/patients/{id:long}/amendments", (HttpContext http, AmendmentService amendments, long id, AmendmentWrite body) =>
        {
            var kind = body.Kind?.Trim().ToUpperInvariant() switch { "SET" => AmendmentKind.Set, "EXCLUDE" => AmendmentKind.Exclude, _ => (AmendmentKind?)null };
            if (kind is null)
            {
                return Results.BadRequest(new { error = "kind is set or exclude" });
            }

            try
            {
                return Saved(amendments.Record(http.RequiredActor(), id, body.Version, new RecordAmendment(kind.Value, body.Field, body.Value, body.Reason ?? string.Empty)), created: false);
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(new { error = e.Message });
            }
        }).WithSummary("Records an amendment (set a field, or exclude) with its reason").SiteTokensOnly();

        api.MapGet("/amendments", (HttpContext http, AmendmentService amendments, long? patientId) => amendments.List(http.RequiredActor(), patientId))
            .WithSummary("Amendments, newest first: a site token its site's, an analyst token every site's, by pseudonym");

        api.MapPost("/imports/preview", async (HttpContext http, ImportService imports) =>
        {
            var actor = http.RequiredActor();
            var upload = await ReadUpload(http.Request).ConfigureAwait(false);
            if (upload is null)
            {
                return Results.BadRequest(new { error = "send multipart/form-data with one or more files (and optionally a saved mapping's name as 'mapping')" });
            }

            var preview = imports.Preview(actor, TokenSite(actor), upload);
            return Results.Ok(new ImportJson(false, null, preview.New, preview.Changed, preview.Unchanged, preview.SetupErrors, preview.Problems.Select(ProblemJson.From).ToList()));
        }).WithSummary("Reads an upload and lists every problem; writes nothing").DisableAntiforgery().SiteTokensOnly();

        api.MapPost("/imports", async (HttpContext http, ImportService imports) =>
        {
            var actor = http.RequiredActor();
            var upload = await ReadUpload(http.Request).ConfigureAwait(false);
            if (upload is null)
            {
                return Results.BadRequest(new { error = "send multipart/form-data with one or more files (and optionally a saved mapping's name as 'mapping')" });
            }

            return imports.Commit(actor, TokenSite(actor), upload) switch
            {
                ImportCommitted c => Results.Ok(new ImportJson(true, c.BatchId, c.Created, c.Updated, c.Unchanged, [], c.Preview.Problems.Select(ProblemJson.From).ToList())),
                ImportRefused r => Results.UnprocessableEntity(new ImportJson(false, null, 0, 0, 0, r.Preview.SetupErrors, r.Preview.Problems.Select(ProblemJson.From).ToList())),
                _ => Results.StatusCode(500),
            };
        }).WithSummary("Imports an upload whole, or nothing when it has an error (422 with every problem)").DisableAntiforgery().SiteTokensOnly();

        api.MapPost("/analyses", (HttpContext http, BackgroundWork work, string protocol) =>
        {
            var actor = http.RequiredActor();
            try
            {
                ReportRuns.CheckRun(actor, protocol);
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(new { error = e.Message });
            }

            var job = work.Enqueue(actor, JobKind.ReportRun, $"Protocol {protocol} on the pooled cohort",
                (services, progress) => services.GetRequiredService<ReportRuns>().Run(actor, protocol, progress));
            return job is null
                ? Results.Json(new { error = "the registry's queue is full, or this caller has runs waiting: try again later" }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Accepted($"/api/jobs/{job.Id}", JobJson.From(job, []));
        }).WithSummary("Queues a run of a shipped protocol on the pooled cohort: 202 with Location /api/jobs/{id} to poll (admins and analysts only: a site token gets 403)");

        api.MapGet("/jobs/{id}", (HttpContext http, BackgroundWork work, ReportRuns runs, string id) =>
        {
            var actor = http.RequiredActor();
            if (work.Get(actor, id) is not { } job)
            {
                return Results.NotFound();
            }

            var files = job is { State: JobState.Done, Result: ReportRun run } ? runs.Files(actor, run.Id) : [];
            return Results.Ok(JobJson.From(job, files));
        }).WithSummary("A background job of the caller (404 for anyone else's): state queued/running/done/failed, stage, step of n; when a run is done, its id and files");

        api.MapGet("/analyses/{id}/files/{**path}", (HttpContext http, ReportRuns runs, string id, string path) =>
            runs.FilePath(http.RequiredActor(), id, path) is { } file ? Results.File(file, ContentTypes.Of(file), Path.GetFileName(file)) : Results.NotFound())
            .WithSummary("One file of a report run (admins and analysts only)");
    }

    /// <summary>
    /// A write endpoint: site tokens only, so an analyst token gets 403 before its body is read or parsed (the service
    /// refuses the analyst role too: authorisation is enforced on the endpoint and in the service).
    /// </summary>
    private static RouteHandlerBuilder SiteTokensOnly(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(p => p.AddAuthenticationSchemes(TokenAuthentication.SchemeName).RequireRole(nameof(Role.SiteDataManager)));

    /// <summary>
    /// The site a write goes to: a site token's own. An analyst token has none, and the service refuses its role
    /// (403) before it looks at a site, so 0 (no site) is passed and never used.
    /// </summary>
    private static int TokenSite(Actor actor) => actor.SiteId ?? 0;

    private static (PatientInput? Input, IReadOnlyList<CohortProblem> Problems) Parse(PatientWrite body) =>
        PatientForm.Parse(body.Fields ?? [], (body.Procedures ?? []).Select(p => (IReadOnlyDictionary<string, string?>)p).ToList(), body.Name, body.RecordNumber);

    private static IResult Invalid(IReadOnlyList<CohortProblem> problems) =>
        Results.UnprocessableEntity(new { problems = problems.Select(ProblemJson.From).ToList() });

    private static IResult Saved(SaveResult result, bool created) => result switch
    {
        PatientSaved s => created ? Results.Created($"/api/patients/{s.Patient.Id}", PatientJson.From(s.Patient)) : Results.Ok(PatientJson.From(s.Patient)),
        PatientInvalid i => Invalid(i.Problems),
        PatientConflict c => Results.Conflict(new { current = PatientJson.From(c.Current), expectedVersion = c.ExpectedVersion }),
        _ => Results.NotFound(),
    };

    /// <summary>The files of a multipart request and the optional saved mapping's name; null when it has no file.</summary>
    internal static async Task<ImportUpload?> ReadUpload(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        var form = await request.ReadFormAsync().ConfigureAwait(false);
        if (form.Files.Count == 0)
        {
            return null;
        }

        var files = new List<UploadedFile>();
        foreach (var f in form.Files)
        {
            using var buffer = new MemoryStream();
            await f.CopyToAsync(buffer).ConfigureAwait(false);
            files.Add(new UploadedFile(Path.GetFileName(f.FileName), buffer.ToArray()));
        }

        var mapping = form["mapping"].ToString();
        return new ImportUpload(files, string.IsNullOrWhiteSpace(mapping) ? null : mapping.Trim());
    }
}

/// <summary>Content types of report files.</summary>
public static class ContentTypes
{
    /// <summary>The content type of a file by its extension.</summary>
    public static string Of(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".HTML" => "text/html; charset=utf-8",
        ".CSV" => "text/csv; charset=utf-8",
        ".SVG" => "image/svg+xml",
        ".PNG" => "image/png",
        ".PDF" => "application/pdf",
        ".JSON" => "application/json",
        ".DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".TXT" or ".MD" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
