using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Api;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Import;

/// <summary>
/// Import: upload an extract (CSV or xlsx) and choose a saved mapping, see a preview of every problem (nothing
/// written), then commit (all or nothing). Saved mappings are managed here too.
/// </summary>
public sealed class IndexModel(ImportService imports, AdminService admin, PendingImports pending) : RegistryPage
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

    /// <summary>A commit's outcome.</summary>
    public ImportCommitted? Committed { get; private set; }

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

    /// <summary>Commits a previewed upload: every patient or none.</summary>
    public IActionResult OnPostCommit(string? uploadId)
    {
        Load();
        if (pending.Get(Actor, uploadId) is not { } u)
        {
            Errors.Add("That upload is no longer held (uploads are kept 30 minutes): upload it again.");
            return Page();
        }

        switch (imports.Commit(Actor, u.SiteId, u.Upload))
        {
            case ImportCommitted c:
                pending.Remove(uploadId!);
                Committed = c;
                break;
            case ImportRefused r:
                Preview = r.Preview;
                Errors.Add("Not imported: the files have errors now (nothing was written).");
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                break;
        }

        return Page();
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
