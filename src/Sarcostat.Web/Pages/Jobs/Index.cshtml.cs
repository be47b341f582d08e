using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Jobs;

/// <summary>
/// A background job's progress (<c>/Jobs/{id}</c>): stage, a progress bar, elapsed time; the page reloads itself every
/// second while the job waits or runs (a meta refresh: no script). Only the job's owner sees it (404 otherwise).
/// </summary>
public sealed class IndexModel(BackgroundWork work, TimeProvider clock) : RegistryPage
{
    /// <summary>The job.</summary>
    public JobStatus? Job { get; private set; }

    /// <summary>Time since the job was queued, in words.</summary>
    public string Elapsed { get; private set; } = string.Empty;

    /// <summary>Shows the job.</summary>
    public IActionResult OnGet(string? id)
    {
        Job = work.Get(Actor, id);
        if (Job is null)
        {
            return NotFound();
        }

        var t = Job.Elapsed(clock.GetUtcNow());
        Elapsed = t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, t.Seconds)} s");
        return Page();
    }
}
