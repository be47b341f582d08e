using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Api;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Import;

/// <summary>
/// Import: upload an extract (CSV or xlsx) and choose a saved mapping, see a preview of every problem (nothing
/// written), then commit (all or nothing) as a background job whose progress page (<c>/Jobs/{id}</c>) shows each
/// patient written and the outcome. Saved mappings are managed here too.
/// </summary>
public sealed class IndexModel(ImportService imports, AdminService admin, PendingImports pending, BackgroundWork work) : RegistryPage
{
    /// <summary>The sites the caller may import into.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>The chosen site.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Site { get; set; }

    /// <summary>The chosen site's saved mappings.</summary>
    public IReadOnlyList<MappingInfo> Mappings { get; private set; } = [];

    /// <summary>The preview of an upload.</summary>
    public ImportPreview? Preview { get; private set; }

    /// <summary>The pending upload's id (for the commit).</summary>
    public string? UploadId { get; private set; }

    /// <summary>Messages.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Shows the form.</summary>
    public void OnGet() => Load();

    /// <summary>Reads the upload and previews it; nothing is written.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string? mapping)
    {
        Load();
        var site = Site ?? 0;
        var upload = await RegistryApi.ReadUpload(Request).ConfigureAwait(false);
        if (upload is null)
        {
            Errors.Add("Choose one or more files (CSV or xlsx).");
            return Page();
        }

        upload = upload with { MappingName = string.IsNullOrWhiteSpace(mapping) ? null : mapping };
        Preview = imports.Preview(Actor, site, upload);
        UploadId = Preview.CanCommit ? pending.Add(Actor, site, upload) : null;
        return Page();
    }

    /// <summary>Queues the commit of a previewed upload (every patient or none) and shows its progress page (post-redirect-get).</summary>
    public IActionResult OnPostCommit(string? uploadId)
    {
        Load();
        if (pending.Get(Actor, uploadId) is not { } u)
        {
            Errors.Add("That upload is no longer held (uploads are kept 30 minutes): upload it again.");
            return Page();
        }

        var actor = Actor;
        var (site, upload) = (u.SiteId, u.Upload);
        var code = Sites.FirstOrDefault(s => s.Id == site)?.Code ?? site.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var job = work.Enqueue(actor, JobKind.Import, $"Import of {upload.Files.Count} file(s) into {code}",
            (services, progress) => services.GetRequiredService<ImportService>().Commit(actor, site, upload, progress));
        if (job is null)
        {
            Errors.Add("The registry is busy with other work (or you already have imports waiting): try again in a minute. The upload is still held.");
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        // Committed once: a second click finds the upload gone instead of queueing the same import again.
        pending.Remove(uploadId!);
        return Redirect($"/Jobs/{job.Id}");
    }

    /// <summary>Saves a source mapping (YAML, docs/import.md) for the site.</summary>
    public IActionResult OnPostMapping(string? name, string? yaml)
    {
        Load();
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(yaml))
        {
            Errors.Add("A mapping needs a name and its YAML.");
            return Page();
        }

        var errors = imports.SaveMapping(Actor, Site ?? 0, name.Trim(), yaml);
        Errors.AddRange(errors);
        Load();
        return Page();
    }

    private void Load()
    {
        Sites = admin.Sites(Actor).Where(s => Actor.Role == Role.Admin || s.Id == Actor.SiteId).ToList();
        Site ??= Actor.SiteId ?? (Sites.Count > 0 ? Sites[0].Id : null);
        Mappings = Site is { } s ? imports.Mappings(Actor, s) : [];
    }
}
