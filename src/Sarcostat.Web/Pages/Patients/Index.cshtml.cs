using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Patients;

/// <summary>The patient list with search and filters (a manager sees their site only; an analyst pseudonyms only).</summary>
public sealed class IndexModel(PatientService patients, AdminService admin) : RegistryPage
{
    /// <summary>Search text.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    /// <summary>Site filter.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Site { get; set; }

    /// <summary>Histology filter.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Histology { get; set; }

    /// <summary>Vital status filter.</summary>
    [BindProperty(SupportsGet = true)]
    public string? VitalStatus { get; set; }

    /// <summary>Problems filter.</summary>
    [BindProperty(SupportsGet = true)]
    public bool? Problems { get; set; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<PatientSummary> Rows { get; private set; } = [];

    /// <summary>The sites (filter).</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>Lists.</summary>
    public void OnGet()
    {
        Sites = admin.Sites(Actor);
        Rows = patients.List(Actor, new PatientFilter(Site, Empty(Histology), Empty(VitalStatus), Problems, Empty(Search), 0, 1000));
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
