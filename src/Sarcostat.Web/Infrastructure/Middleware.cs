using Microsoft.AspNetCore.Identity;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Infrastructure;

/// <summary>The middleware of the pipeline: security headers, forced password change, forbidden service calls as 403.</summary>
public static class Middleware
{
    /// <summary>The content security policy of every page: nothing from elsewhere, no framing, no inline script.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>Adds the security headers to every response (a report's own HTML narrows them further).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            if (!h.ContainsKey("Content-Security-Policy"))
            {
                h.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h.CacheControl = h.CacheControl.Count == 0 ? "no-store" : h.CacheControl;
            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
    });

    /// <summary>A service's <see cref="RegistryForbiddenException"/> becomes 403 (the endpoint's policy let the role in, the service did not); an upload over the limit 413.</summary>
    public static IApplicationBuilder UseForbiddenAs403(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (RegistryForbiddenException) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Forbidden.").ConfigureAwait(false);
        }
        catch (InvalidDataException) when (!context.Response.HasStarted && context.Request.HasFormContentType)
        {
            // A multipart body over Sarcostat:MaxUploadBytes (FormOptions): refused whole, nothing read into the store.
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.Response.WriteAsync("The upload is larger than this registry accepts.").ConfigureAwait(false);
        }
    });

    /// <summary>A signed-in user whose password was set by someone else may only change it (and sign out) until they do.</summary>
    public static IApplicationBuilder UseForcedPasswordChange(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.Identity?.IsAuthenticated == true
            && context.User.Identity.AuthenticationType != TokenAuthentication.SchemeName
            && !path.StartsWithSegments("/Account/ChangePassword", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/Account/Logout", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/css", StringComparison.OrdinalIgnoreCase))
        {
            var users = context.RequestServices.GetRequiredService<UserManager<RegistryUser>>();
            if (await users.GetUserAsync(context.User).ConfigureAwait(false) is { MustChangePassword: true })
            {
                context.Response.Redirect("/Account/ChangePassword");
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });
}
