using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;
using Sarcostat.Study.Protocols;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Analyses;

/// <summary>
/// Protocol runs on the pooled pseudonymised cohort (admins and analysts): a run is queued as a background job and the
/// page sends the user to its progress page (<c>/Jobs/{id}</c>), which links to the report when it is written.
/// </summary>
public sealed class IndexModel(ReportRuns runs, CohortService cohort, BackgroundWork work) : RegistryPage
{
    /// <summary>The shipped protocols.</summary>
    public static IReadOnlyList<string> Protocols => ProtocolLoader.ShippedNames;

    /// <summary>Earlier runs.</summary>
    public IReadOnlyList<ReportRun> Runs { get; private set; } = [];

    /// <summary>Patients in the pooled cohort, per site.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> PerSite { get; private set; } = [];

    /// <summary>Why a run could not be queued.</summary>
    public string? Error { get; private set; }

    /// <summary>Lists.</summary>
    public void OnGet() => Load();

    /// <summary>Queues a protocol run and shows its progress page (post-redirect-get).</summary>
    public IActionResult OnPost(string? protocol)
    {
        var actor = Actor;
        try
        {
            ReportRuns.CheckRun(actor, protocol);
        }
        catch (ArgumentException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Load();
            return Page();
        }

        var name = protocol!;
        var job = work.Enqueue(actor, JobKind.ReportRun, $"Protocol {name} on the pooled cohort",
            (services, progress) => services.GetRequiredService<ReportRuns>().Run(actor, name, progress));
        if (job is null)
        {
            Error = "The registry is busy with other work (or you already have runs waiting): try again in a minute.";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Load();
            return Page();
        }

        return Redirect($"/Jobs/{job.Id}");
    }

    private void Load()
    {
        Runs = runs.List(Actor);
        PerSite = cohort.Pooled(Actor).Patients.GroupBy(p => p.Site ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).ToList();
    }
}
