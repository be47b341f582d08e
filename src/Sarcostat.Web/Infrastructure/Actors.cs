using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Sarcostat.Registry.Services;
using System.Text.Encodings.Web;

namespace Sarcostat.Web.Infrastructure;

/// <summary>The policies of the endpoints (the services check again: authorisation is enforced in both).</summary>
public static class Policies
{
    /// <summary>Any signed-in role: patient lists and records (managers: their site only).</summary>
    public const string Read = "read";

    /// <summary>Admins and site data managers: create, edit, amend, import, audit trail.</summary>
    public const string Edit = "edit";

    /// <summary>Admins and analysts: the pooled cohort and protocol runs.</summary>
    public const string Analyse = "analyse";

    /// <summary>Admins: users and sites.</summary>
    public const string Admin = "admin";

    /// <summary>The JSON API: an API token, a site token (its site's data manager) or an analyst token; the services decide what each may do.</summary>
    public const string Api = "api";
}

/// <summary>The <see cref="Actor"/> of a request: from the signed-in user (role and site read from the store) or an API token.</summary>
public static class Actors
{
    private const string Key = "sarcostat.actor";

    /// <summary>The caller, or null when anonymous or unknown.</summary>
    public static Actor? ActorOf(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(Key, out var cached))
        {
            return cached as Actor;
        }

        Actor? actor = null;
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
        {
            actor = user.Identity.AuthenticationType == TokenAuthentication.SchemeName
                ? TokenAuthentication.ActorOf(user, id)
                : context.RequestServices.GetRequiredService<AdminService>().ActorFor(id);
        }

        context.Items[Key] = actor;
        return actor;
    }

    /// <summary>The caller of an endpoint that requires authorisation (so there is one).</summary>
    public static Actor RequiredActor(this HttpContext context) =>
        context.ActorOf() ?? throw new RegistryForbiddenException("the signed-in user is not in the registry");
}

/// <summary>
/// API tokens: <c>Authorization: Bearer sst_...</c>, checked by <see cref="AdminService.AuthenticateToken"/> (stored as
/// SHA-256 only). The principal carries the token's role (site data manager or analyst) and a site token's site.
/// </summary>
public sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminService admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>The claim holding a site token's site id (an analyst token has none).</summary>
    public const string SiteClaim = "sarcostat:site";

    /// <summary>
    /// The actor of a token's principal (made by this handler from the token's row): a site token's site data manager
    /// or an analyst token's analyst; null for any other claim set.
    /// </summary>
    internal static Actor? ActorOf(ClaimsPrincipal user, string id)
    {
        var site = user.FindFirstValue(SiteClaim) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        return (Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : (Role?)null, site) switch
        {
            (Role.SiteDataManager, { } s) => new Actor(id, Role.SiteDataManager, s),
            (Role.Analyst, null) => new Actor(id, Role.Analyst),
            _ => null,
        };
    }

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (admin.AuthenticateToken(header["Bearer ".Length..]) is not { } actor)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown or revoked token"));
        }

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, actor.UserId), new(ClaimTypes.Role, actor.Role.ToString()) };
        if (actor.SiteId is { } site)
        {
            claims.Add(new Claim(SiteClaim, site.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
