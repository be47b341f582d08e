using Microsoft.AspNetCore.Mvc;
using Sarcostat.Web.Api;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Analyses;

/// <summary>One report: its files to view or download (each download audited).</summary>
public sealed class RunModel(ReportRuns runs) : RegistryPage
{
    /// <summary>The run.</summary>
    public ReportRun? Run { get; private set; }

    /// <summary>Its files.</summary>
    public IReadOnlyList<string> Files { get; private set; } = [];

    /// <summary>Shows the run.</summary>
    public IActionResult OnGet(string? id)
    {
        Run = id is null ? null : runs.Get(Actor, id);
        if (Run is null)
        {
            return NotFound();
        }

        Files = runs.Files(Actor, Run.Id);
        return Page();
    }

    /// <summary>
    /// One file. The report's HTML is shown in the browser under a narrower policy (sandboxed, no script, its own inline
    /// styles and embedded figures only); every other file is a download.
    /// </summary>
    public IActionResult OnGetFile(string? id, string? path, bool view = false)
    {
        if (id is null || path is null || runs.FilePath(Actor, id, path) is not { } file)
        {
            return NotFound();
        }

        var type = ContentTypes.Of(file);
        if (view && path.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox";
            return PhysicalFile(file, type);
        }

        return PhysicalFile(file, type, Path.GetFileName(file));
    }
}
