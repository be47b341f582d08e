using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Admin;

/// <summary>Users (admins): list, create with a one-time password shown once.</summary>
public sealed class UsersModel(AdminService admin) : RegistryPage
{
    /// <summary>Users.</summary>
    public IReadOnlyList<UserInfo> Users { get; private set; } = [];

    /// <summary>Sites.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>A user just made (its password shown this once).</summary>
    public CreatedUser? Created { get; private set; }

    /// <summary>Why creating failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Lists.</summary>
    public void OnGet() => Load();

    /// <summary>Creates a user.</summary>
    public IActionResult OnPost(string? userName, Role role, int? siteId)
    {
        try
        {
            Created = admin.CreateUser(Actor, userName ?? string.Empty, role, role == Role.SiteDataManager ? siteId : null);
        }
        catch (ArgumentException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Load();
        return Page();
    }

    private void Load()
    {
        Users = admin.Users(Actor);
        Sites = admin.Sites(Actor);
    }
}
