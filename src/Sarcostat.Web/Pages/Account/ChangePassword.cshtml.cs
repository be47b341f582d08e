using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Sarcostat.Registry.Model;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Pages.Account;

/// <summary>Changes the signed-in user's password and clears the must-change flag; audited.</summary>
public sealed class ChangePasswordModel(SignInManager<RegistryUser> signIn, UserManager<RegistryUser> users, AdminService admin, AuditService audit) : PageModel
{
    /// <summary>The current password.</summary>
    [BindProperty]
    public string? Current { get; set; }

    /// <summary>The new password.</summary>
    [BindProperty]
    public string? New { get; set; }

    /// <summary>The new password again.</summary>
    [BindProperty]
    public string? Confirm { get; set; }

    /// <summary>Why the change was refused.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The user must change the password before anything else.</summary>
    public bool Forced { get; private set; }

    /// <summary>Shows the form.</summary>
    public async Task OnGetAsync() => Forced = (await users.GetUserAsync(User).ConfigureAwait(false))?.MustChangePassword == true;

    /// <summary>Changes the password.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User).ConfigureAwait(false);
        if (user is null)
        {
            return Challenge();
        }

        Forced = user.MustChangePassword;
        if (string.IsNullOrEmpty(New) || New != Confirm)
        {
            Errors.Add("The new password and its repetition differ.");
            return Page();
        }

        if (New == Current)
        {
            Errors.Add("Choose a password other than the current one.");
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, Current ?? string.Empty, New).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            Errors.AddRange(result.Errors.Select(e => e.Description));
            return Page();
        }

        user.MustChangePassword = false;
        await users.UpdateAsync(user).ConfigureAwait(false);
        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        if (admin.ActorFor(user.Id) is { } actor)
        {
            audit.Record(actor, AuditActions.PasswordChange);
        }

        return Redirect("/Patients");
    }
}
