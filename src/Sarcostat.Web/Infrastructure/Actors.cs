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

    /// <summary>The JSON API: an API token (its site's data manager).</summary>
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
                ? new Actor(id, Role.SiteDataManager, int.Parse(user.FindFirstValue(TokenAuthentication.SiteClaim)!, System.Globalization.CultureInfo.InvariantCulture))
                : context.RequestServices.GetRequiredService<AdminService>().ActorFor(id);
        }

        context.Items[Key] = actor;
        return actor;
    }

    /// <summary>The caller of an endpoint that requires authorisation (so there is one).</summary>
    public static Actor RequiredActor(this HttpContext context) =>
        context.ActorOf() ?? throw new RegistryForbiddenException("the signed-in user is not in the registry");
}

/// <summary>API tokens: <c>Authorization: Bearer sst_...</c>, checked by <see cref="AdminService.AuthenticateToken"/> (stored as SHA-256 only).</summary>
public sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminService admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>The claim holding the token's site id.</summary>
    public const string SiteClaim = "sarcostat:site";

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

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, actor.UserId),
                new Claim(ClaimTypes.Role, actor.Role.ToString()),
                new Claim(SiteClaim, actor.SiteId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
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
