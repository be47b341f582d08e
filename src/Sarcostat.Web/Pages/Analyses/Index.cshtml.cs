using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;
using Sarcostat.Study.Protocols;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Analyses;

/// <summary>Protocol runs on the pooled pseudonymised cohort (admins and analysts), synchronous: the page returns when the report is written.</summary>
public sealed class IndexModel(ReportRuns runs, CohortService cohort) : RegistryPage
{
    /// <summary>The shipped protocols.</summary>
    public static IReadOnlyList<string> Protocols => ProtocolLoader.ShippedNames;

    /// <summary>Earlier runs.</summary>
    public IReadOnlyList<ReportRun> Runs { get; private set; } = [];

    /// <summary>Patients in the pooled cohort, per site.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> PerSite { get; private set; } = [];

    /// <summary>Why a run failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Lists.</summary>
    public void OnGet() => Load();

    /// <summary>Runs a protocol and shows its report.</summary>
    public IActionResult OnPost(string? protocol)
    {
        try
        {
            var run = runs.Run(Actor, protocol ?? string.Empty);
            return Redirect($"/Analyses/Run?id={run.Id}");
        }
        catch (ArgumentException e)
        {
            Error = e.Message;
        }
        catch (ProtocolException e)
        {
            Error = e.Message;
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Load();
        return Page();
    }

    private void Load()
    {
        Runs = runs.List(Actor);
        PerSite = cohort.Pooled(Actor).Patients.GroupBy(p => p.Site ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).ToList();
    }
}
