using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages.Account;

/// <summary>Signs out (POST only, with the anti-forgery token); audited.</summary>
public sealed class LogoutModel(SignInManager<RegistryUser> signIn, AuditService audit) : PageModel
{
    /// <summary>Signs out.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (HttpContext.ActorOf() is { } actor)
        {
            audit.Record(actor, AuditActions.Logout);
        }

        await signIn.SignOutAsync().ConfigureAwait(false);
        return Redirect("/Account/Login");
    }
}
