using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Admin;

/// <summary>Sites (admins): list and create.</summary>
public sealed class SitesModel(AdminService admin) : RegistryPage
{
    /// <summary>Sites.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>Why creating failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Lists.</summary>
    public void OnGet() => Sites = admin.Sites(Actor);

    /// <summary>Creates a site.</summary>
    public IActionResult OnPost(string? code, string? name)
    {
        try
        {
            admin.CreateSite(Actor, code ?? string.Empty, name ?? string.Empty);
        }
        catch (ArgumentException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Sites = admin.Sites(Actor);
        return Page();
    }
}
