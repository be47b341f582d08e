using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Account;

/// <summary>Sign-in with Identity (hashed passwords, lockout after 5 failures for 15 minutes); audited.</summary>
public sealed class LoginModel(SignInManager<RegistryUser> signIn, UserManager<RegistryUser> users, AdminService admin, AuditService audit) : PageModel
{
    /// <summary>The name typed.</summary>
    [BindProperty]
    public string? UserName { get; set; }

    /// <summary>The password typed.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Why the sign-in failed.</summary>
    public string? Message { get; private set; }

    /// <summary>Signs in; a user who must change their password goes there first.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Message = "Enter your user name and password.";
            return Page();
        }

        var user = await users.FindByNameAsync(UserName.Trim()).ConfigureAwait(false);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true).ConfigureAwait(false);
        var actor = user is null ? null : admin.ActorFor(user.Id);
        if (result.Succeeded)
        {
            if (actor is not null)
            {
                audit.Record(actor, AuditActions.Login);
            }

            return Redirect(user!.MustChangePassword ? "/Account/ChangePassword" : "/Patients");
        }

        if (actor is not null)
        {
            audit.Record(actor, AuditActions.LoginFailed, result.IsLockedOut ? "locked out" : null);
        }

        // One message for an unknown user and a wrong password: a sign-in page does not tell which names exist.
        Message = result.IsLockedOut ? "This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask an administrator." : "Wrong user name or password.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
