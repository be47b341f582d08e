using Microsoft.AspNetCore.Mvc.RazorPages;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Pages;

/// <summary>A page of a signed-in user: the caller as the services know them.</summary>
public abstract class RegistryPage : PageModel
{
    /// <summary>The caller (role and site from the store).</summary>
    public Actor Actor => HttpContext.RequiredActor();
}
