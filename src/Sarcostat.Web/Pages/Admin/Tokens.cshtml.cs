using Microsoft.AspNetCore.Mvc;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Admin;

/// <summary>
/// API tokens: a site token (admins for any site, a site data manager for their own) or an analyst token (admins
/// only; the service refuses anyone else, 403); the list shows each token's role; the token is shown once.
/// </summary>
public sealed class TokensModel(AdminService admin) : RegistryPage
{
    /// <summary>The sites the caller may issue tokens for.</summary>
    public IReadOnlyList<SiteInfo> Sites { get; private set; } = [];

    /// <summary>The tokens the caller may see (admins: all; a manager: their site's).</summary>
    public IReadOnlyList<TokenInfo> Tokens { get; private set; } = [];

    /// <summary>A token just issued.</summary>
    public IssuedToken? Issued { get; private set; }

    /// <summary>Outcome message.</summary>
    public string? Message { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet() => Load();

    /// <summary>Issues a token: <paramref name="kind"/> <c>analyst</c> an analyst token, anything else a site token of <paramref name="siteId"/>.</summary>
    public IActionResult OnPostIssue(string? kind, int? siteId, string? name)
    {
        var label = string.IsNullOrWhiteSpace(name) ? "api" : name;
        try
        {
            Issued = string.Equals(kind, "analyst", StringComparison.OrdinalIgnoreCase)
                ? admin.IssueAnalystToken(Actor, label)
                : admin.IssueToken(Actor, siteId ?? 0, label);
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

    private void Load()
    {
        Sites = admin.Sites(Actor).Where(s => Actor.Role == Role.Admin || s.Id == Actor.SiteId).ToList();
        Tokens = admin.Tokens(Actor);
    }
}
