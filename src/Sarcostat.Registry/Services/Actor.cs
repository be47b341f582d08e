namespace Sarcostat.Registry.Services;

/// <summary>The roles of the registry (docs/registry.md, "Roles").</summary>
public enum Role
{
    /// <summary>Manages users, sites and tokens; reads every site's records and the audit trail; runs protocols.</summary>
    Admin,

    /// <summary>Reads, enters, imports and amends the patients of one site only.</summary>
    SiteDataManager,

    /// <summary>Reads the pooled pseudonymised cohort and runs protocols; edits nothing; never sees identifying fields.</summary>
    Analyst,
}

/// <summary>
/// Who is calling a service: every service call takes one and checks it (authorisation is enforced in the services,
/// not only at the web edge). The edge builds it from the authenticated user or API token and never from input.
/// </summary>
/// <param name="UserId">The Identity user id, or <c>token:N</c> for an API token.</param>
/// <param name="Role">The role.</param>
/// <param name="SiteId">The site of a site data manager (required for that role, ignored for the others).</param>
public sealed record Actor(string UserId, Role Role, int? SiteId = null)
{
    /// <summary>The site a manager may touch; null for the other roles.</summary>
    internal int? ManagedSite => Role == Role.SiteDataManager
        ? SiteId ?? throw new RegistryForbiddenException("a site data manager without a site may do nothing")
        : null;

    /// <summary>Whether this actor may read and write the records of <paramref name="siteId"/> with identifiers.</summary>
    internal bool MayEditSite(int siteId) => Role == Role.Admin || (Role == Role.SiteDataManager && ManagedSite == siteId);

    /// <summary>Throws unless the role is one of <paramref name="roles"/>.</summary>
    internal void Require(string what, params Role[] roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(UserId);
        if (!roles.Contains(Role))
        {
            throw new RegistryForbiddenException($"the {Role} role may not {what}");
        }

        _ = ManagedSite;
    }

    /// <summary>Never prints more than the id and role.</summary>
    public override string ToString() => $"Actor({UserId}, {Role}{(SiteId is { } s ? $", site {s}" : string.Empty)})";
}

/// <summary>
/// The caller's role may not do this at all (an analyst editing, a site manager managing users): the web edge answers
/// 403. A record of another site is not "forbidden" but not found (services return null / NotFound), so its existence
/// never leaks.
/// </summary>
public sealed class RegistryForbiddenException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> names the action, never patient data.</summary>
    public RegistryForbiddenException(string message)
        : base("Forbidden: " + message + ".")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RegistryForbiddenException()
        : base("Forbidden.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RegistryForbiddenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
