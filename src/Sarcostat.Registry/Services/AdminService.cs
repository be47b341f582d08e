using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry.Services;

/// <summary>A site.</summary>
/// <param name="Id">Key.</param>
/// <param name="Code">Short code.</param>
/// <param name="Name">Display name.</param>
public sealed record SiteInfo(int Id, string Code, string Name);

/// <summary>A user as the admin pages list them (no password hash, no security stamp).</summary>
/// <param name="Id">Identity user id.</param>
/// <param name="UserName">Login name.</param>
/// <param name="Role">Role.</param>
/// <param name="SiteId">A manager's site.</param>
/// <param name="MustChangePassword">The password was set by someone else and must be changed at the next login.</param>
public sealed record UserInfo(string Id, string UserName, Role Role, int? SiteId, bool MustChangePassword);

/// <summary>A new user and the one-time password to hand over once (it is stored hashed only).</summary>
/// <param name="User">The user.</param>
/// <param name="OneTimePassword">The password; must be changed at the first login.</param>
public sealed record CreatedUser(UserInfo User, string OneTimePassword);

/// <summary>A new API token: <paramref name="Token"/> is shown once; only its SHA-256 is stored.</summary>
/// <param name="Id">Key (to revoke it).</param>
/// <param name="SiteId">The site a site token acts for; null for an analyst token.</param>
/// <param name="Name">Label.</param>
/// <param name="Token">The secret.</param>
/// <param name="Role">The role it acts as: <see cref="Role.SiteDataManager"/> (a site token) or <see cref="Role.Analyst"/>.</param>
public sealed record IssuedToken(int Id, int? SiteId, string Name, string Token, Role Role = Role.SiteDataManager);

/// <summary>An API token as the token page lists it (never the secret, never its hash).</summary>
/// <param name="Id">Key.</param>
/// <param name="Name">Label.</param>
/// <param name="Role">Site token (<see cref="Role.SiteDataManager"/>) or analyst token (<see cref="Role.Analyst"/>).</param>
/// <param name="SiteId">The site of a site token.</param>
/// <param name="SiteCode">Its code.</param>
/// <param name="Created">When issued (UTC).</param>
/// <param name="Revoked">No longer authenticates.</param>
public sealed record TokenInfo(int Id, string Name, Role Role, int? SiteId, string? SiteCode, DateTime Created, bool Revoked);

/// <summary>
/// Users, sites and API tokens (admins only, except reading the site list). Users are ASP.NET Core Identity users in
/// the same database, so the web edge signs them in with Identity's SignInManager; roles are Identity roles named as
/// <see cref="Role"/>.
/// </summary>
public sealed class AdminService(RegistryStore store)
{
    /// <summary>Every site, by code (any role: site names are not patient data).</summary>
    public IReadOnlyList<SiteInfo> Sites(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("list sites", Role.Admin, Role.SiteDataManager, Role.Analyst);
        using var db = store.CreateContext();
        return db.Sites.AsNoTracking().OrderBy(s => s.Code).Select(s => new SiteInfo(s.Id, s.Code, s.Name)).ToList();
    }

    /// <summary>Creates a site.</summary>
    /// <exception cref="ArgumentException">The code is empty or taken.</exception>
    public SiteInfo CreateSite(Actor actor, string code, string name)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        actor.Require("create sites", Role.Admin);
        using var db = store.CreateContext();
        using var tx = db.Database.BeginTransaction();
        var site = CreateSite(db, store, actor, code, name);
        tx.Commit();
        return new SiteInfo(site.Id, site.Code, site.Name);
    }

    internal static Site CreateSite(RegistryDbContext db, RegistryStore store, Actor actor, string code, string name)
    {
        code = code.Trim();
        if (db.Sites.Any(s => s.Code == code))
        {
            throw new ArgumentException($"The site code '{code}' is taken.", nameof(code));
        }

        var site = new Site { Code = code, Name = name.Trim() };
        db.Sites.Add(site);
        db.SaveChanges();
        AuditLog.Add(db, store, actor, AuditActions.SiteCreate, site.Id, detail: $"site {code}");
        db.SaveChanges();
        return site;
    }

    /// <summary>Every user.</summary>
    public IReadOnlyList<UserInfo> Users(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("list users", Role.Admin);
        using var db = store.CreateContext();
        var roles = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToList()
            .ToDictionary(x => x.UserId, x => Enum.Parse<Role>(x.Name!));
        return db.Users.AsNoTracking().OrderBy(u => u.UserName).AsEnumerable()
            .Select(u => new UserInfo(u.Id, u.UserName!, roles[u.Id], u.SiteId, u.MustChangePassword)).ToList();
    }

    /// <summary>Creates a user with a random one-time password that must be changed at the first login.</summary>
    /// <exception cref="ArgumentException">The name is taken, or a manager without an existing site (or another role with one).</exception>
    public CreatedUser CreateUser(Actor actor, string userName, Role role, int? siteId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        actor.Require("create users", Role.Admin);
        using var db = store.CreateContext();
        using var tx = db.Database.BeginTransaction();
        var created = CreateUser(db, store, actor, userName, role, siteId);
        tx.Commit();
        return created;
    }

    internal static CreatedUser CreateUser(RegistryDbContext db, RegistryStore store, Actor actor, string userName, Role role, int? siteId)
    {
        userName = userName.Trim();
        var normalized = userName.ToUpperInvariant();
        if (db.Users.Any(u => u.NormalizedUserName == normalized))
        {
            throw new ArgumentException($"The user name '{userName}' is taken.", nameof(userName));
        }

        if ((role == Role.SiteDataManager) != (siteId is not null) || (siteId is { } s && !db.Sites.Any(x => x.Id == s)))
        {
            throw new ArgumentException("A site data manager needs an existing site; the other roles have none.", nameof(siteId));
        }

        var roleName = role.ToString();
        var roleRow = db.Roles.SingleOrDefault(r => r.Name == roleName);
        if (roleRow is null)
        {
            roleRow = new IdentityRole(roleName) { NormalizedName = roleName.ToUpperInvariant() };
            db.Roles.Add(roleRow);
        }

        var password = OneTimePassword();
        var user = new RegistryUser
        {
            UserName = userName,
            NormalizedUserName = normalized,
            SiteId = siteId,
            MustChangePassword = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
        };
        user.PasswordHash = new PasswordHasher<RegistryUser>().HashPassword(user, password);
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleRow.Id });
        AuditLog.Add(db, store, actor, AuditActions.UserCreate, siteId, detail: $"user {userName} ({roleName})");
        db.SaveChanges();
        return new CreatedUser(new UserInfo(user.Id, userName, role, siteId, true), password);
    }

    /// <summary>The actor of a signed-in user (role and site from the store, never from the request), or null when there is no such user.</summary>
    public Actor? ActorFor(string userId)
    {
        using var db = store.CreateContext();
        var user = db.Users.AsNoTracking().SingleOrDefault(u => u.Id == userId);
        var role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name).FirstOrDefault();
        return user is null || role is null ? null : new Actor(user.Id, Enum.Parse<Role>(role), user.SiteId);
    }

    /// <summary>
    /// After the edge changed a user's own password through Identity: clears the must-change flag and records a
    /// <c>password-change</c> audit row. False when the actor is no user (an API token).
    /// </summary>
    public bool PasswordChanged(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var db = store.CreateContext();
        var user = db.Users.SingleOrDefault(u => u.Id == actor.UserId);
        if (user is null)
        {
            return false;
        }

        user.MustChangePassword = false;
        AuditLog.Add(db, store, actor, AuditActions.PasswordChange, user.SiteId);
        db.SaveChanges();
        return true;
    }

    /// <summary>Issues a site token (acts as <paramref name="siteId"/>'s data manager): admins, or that site's manager; the token is returned once.</summary>
    public IssuedToken IssueToken(Actor actor, int siteId, string name)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        actor.Require("issue API tokens", Role.Admin, Role.SiteDataManager);
        if (!actor.MayEditSite(siteId))
        {
            throw new RegistryForbiddenException("a site data manager may issue tokens for their own site only");
        }

        using var db = store.CreateContext();
        if (!db.Sites.Any(s => s.Id == siteId))
        {
            throw new ArgumentException($"There is no site {siteId}.", nameof(siteId));
        }

        return Issue(db, actor, Role.SiteDataManager, siteId, name);
    }

    /// <summary>
    /// Issues an analyst token (admins only): it acts as an analyst, with no site — reads the pooled pseudonymised
    /// cohort and runs protocols, edits nothing, never sees identifying fields. Returned once.
    /// </summary>
    public IssuedToken IssueAnalystToken(Actor actor, string name)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        actor.Require("issue analyst tokens", Role.Admin);
        using var db = store.CreateContext();
        return Issue(db, actor, Role.Analyst, null, name);
    }

    private IssuedToken Issue(RegistryDbContext db, Actor actor, Role role, int? siteId, string name)
    {
        var token = "sst_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var row = new ApiToken { Role = role, SiteId = siteId, Name = name.Trim(), Hash = Hash(token), Created = store.Now };
        db.ApiTokens.Add(row);
        AuditLog.Add(db, store, actor, AuditActions.TokenIssue, siteId, detail: $"{Kind(role)} token {row.Name}");
        db.SaveChanges();
        return new IssuedToken(row.Id, siteId, row.Name, token, role);
    }

    /// <summary>The tokens the caller may see, newest first: admins every token, a site's manager their site's tokens.</summary>
    public IReadOnlyList<TokenInfo> Tokens(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("list API tokens", Role.Admin, Role.SiteDataManager);
        using var db = store.CreateContext();
        var q = db.ApiTokens.AsNoTracking().AsQueryable();
        if (actor.ManagedSite is { } site)
        {
            q = q.Where(t => t.SiteId == site);
        }

        var codes = db.Sites.AsNoTracking().ToDictionary(s => s.Id, s => s.Code);
        return q.OrderByDescending(t => t.Id).AsEnumerable()
            .Select(t => new TokenInfo(t.Id, t.Name, t.Role, t.SiteId, t.SiteId is { } s ? codes[s] : null, DateTime.SpecifyKind(t.Created, DateTimeKind.Utc), t.Revoked))
            .ToList();
    }

    /// <summary>Revokes a token (admins any token; a site's manager their site's tokens); false when there is none the caller may see.</summary>
    public bool RevokeToken(Actor actor, int tokenId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("revoke API tokens", Role.Admin, Role.SiteDataManager);
        using var db = store.CreateContext();
        var row = db.ApiTokens.SingleOrDefault(t => t.Id == tokenId);
        if (row is null || !(actor.Role == Role.Admin || (row.SiteId is { } site && actor.MayEditSite(site))))
        {
            return false;
        }

        row.Revoked = true;
        AuditLog.Add(db, store, actor, AuditActions.TokenRevoke, row.SiteId, detail: $"{Kind(row.Role)} token {row.Name}");
        db.SaveChanges();
        return true;
    }

    /// <summary>
    /// The actor an API token acts as (user id <c>token:N</c>): a site token its site's data manager, an analyst token
    /// an analyst (no site); null for an unknown or revoked token.
    /// </summary>
    public Actor? AuthenticateToken(string token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        var hash = Hash(token.Trim());
        using var db = store.CreateContext();
        var row = db.ApiTokens.AsNoTracking().SingleOrDefault(t => t.Hash == hash && !t.Revoked);
        return row switch
        {
            { Role: Role.SiteDataManager, SiteId: { } site } => new Actor($"token:{row.Id}", Role.SiteDataManager, site),
            { Role: Role.Analyst, SiteId: null } => new Actor($"token:{row.Id}", Role.Analyst),

            // Any other row (the database's check constraint refuses them) authenticates nobody.
            _ => null,
        };
    }

    private static string Kind(Role role) => role == Role.Analyst ? "analyst" : "site";

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>16 characters with an upper- and lower-case letter, a digit and a symbol (Identity's default policy), no look-alikes.</summary>
    internal static string OneTimePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "-_.!#%+=";
        const string all = upper + lower + digits + symbols;
        var chars = new List<char> { Pick(upper), Pick(lower), Pick(digits), Pick(symbols) };
        while (chars.Count < 16)
        {
            chars.Add(Pick(all));
        }

        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]);
        static char Pick(string set) => set[RandomNumberGenerator.GetInt32(set.Length)];
    }
}
