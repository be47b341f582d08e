using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Admin;

/// <summary>API tokens: admins for any site, a site data manager for their own; the token is shown once.</summary>
public sealed class TokensModel(AdminService admin) : RegistryPage
{
    /// <summary>The sites the caller may issue tokens for.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>A token just issued.</summary>
    public IssuedToken? Issued { get; private set; }

    /// <summary>Outcome message.</summary>
    public string? Message { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet() => Load();

    /// <summary>Issues a token.</summary>
    public IActionResult OnPostIssue(int siteId, string? name)
    {
        try
        {
            Issued = admin.IssueToken(Actor, siteId, string.IsNullOrWhiteSpace(name) ? "api" : name);
        }
        catch (ArgumentException e)
        {
            Message = e.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Load();
        return Page();
    }

    /// <summary>Revokes a token.</summary>
    public IActionResult OnPostRevoke(int tokenId)
    {
        Message = admin.RevokeToken(Actor, tokenId) ? $"Token {tokenId} revoked." : $"There is no token {tokenId} you may revoke.";
        Load();
        return Page();
    }

    private void Load() => Sites = admin.Sites(Actor).Where(s => Actor.Role == Role.Admin || s.Id == Actor.SiteId).ToList();
}
