using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sarcostat.Registry;
using Sarcostat.Registry.Services;

namespace Sarcostat.Web.Tests;

/// <summary>
/// The web app on a fresh empty database (seeded by the app itself on start: the demo cohort on demo-north and
/// demo-south), with an admin, a manager of each demo site and an analyst, each signed in on their own client
/// (password changed at first login, as the app demands).
/// </summary>
public sealed class WebWorld : IDisposable
{
    private readonly string _folder;
    private readonly string? _pgName;
    private readonly string? _pgRole;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public WebWorld(string provider)
    {
        _folder = Directory.CreateTempSubdirectory("sarcostat-web-test-").FullName;
        string connection;
        if (provider == Databases.Sqlite)
        {
            connection = "Data Source=" + Path.Combine(_folder, "registry.db") + ";Pooling=False";
        }
        else
        {
            (connection, _pgName, _pgRole) = CreatePostgres();
        }

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Registry", connection);
            b.UseSetting("Sarcostat:DataFolder", Path.Combine(_folder, "data"));
            b.UseSetting("Sarcostat:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseEnvironment("Production");
        });
        _ = Factory.Server;
        Store = Factory.Services.GetRequiredService<RegistryStore>();
        var admin = Factory.Services.GetRequiredService<AdminService>();
        var system = new Actor("test-setup", Role.Admin);
        var sites = admin.Sites(system);
        SiteA = sites.Single(s => s.Code == "demo-north").Id;
        SiteB = sites.Single(s => s.Code == "demo-south").Id;
        Passwords["admin"] = admin.CreateUser(system, "t-admin", Role.Admin, null).OneTimePassword;
        Passwords["managerA"] = admin.CreateUser(system, "t-manager-a", Role.SiteDataManager, SiteA).OneTimePassword;
        Passwords["managerB"] = admin.CreateUser(system, "t-manager-b", Role.SiteDataManager, SiteB).OneTimePassword;
        Passwords["analyst"] = admin.CreateUser(system, "t-analyst", Role.Analyst, null).OneTimePassword;
        var patients = Factory.Services.GetRequiredService<PatientService>();
        PatientA = patients.List(system, new PatientFilter(SiteA, Take: 1))[0].Id;
        PatientB = patients.List(system, new PatientFilter(SiteB, Take: 1))[0].Id;
        TokenA = admin.IssueToken(system, SiteA, "test A").Token;
        TokenB = admin.IssueToken(system, SiteB, "test B").Token;
    }

    public WebApplicationFactory<Program> Factory { get; }

    public RegistryStore Store { get; }

    public int SiteA { get; }

    public int SiteB { get; }

    public long PatientA { get; }

    public long PatientB { get; }

    public string TokenA { get; }

    public string TokenB { get; }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    public const string NewPassword = "Changed-Passw0rd!";

    /// <summary>The upload limit of the test app (the demo files are ~15 KB).</summary>
    public const long MaxUploadBytes = 512 * 1024;

    public static readonly string[] Roles = ["admin", "managerA", "managerB", "analyst"];

    public static string UserName(string role) => role switch
    {
        "admin" => "t-admin",
        "managerA" => "t-manager-a",
        "managerB" => "t-manager-b",
        _ => "t-analyst",
    };

    public HttpClient Anonymous() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A signed-in client of a role (first use: signs in with the one-time password and changes it).</summary>
    public HttpClient As(string role)
    {
        lock (_clients)
        {
            if (_clients.TryGetValue(role, out var c))
            {
                return c;
            }

            var client = Anonymous();
            var r = SignIn(client, UserName(role), Passwords[role]).GetAwaiter().GetResult();
            r.StatusCode.Should().Be(HttpStatusCode.Redirect);
            r.Headers.Location!.ToString().Should().Be("/Account/ChangePassword");
            ChangePassword(client, Passwords[role], NewPassword).GetAwaiter().GetResult().StatusCode.Should().Be(HttpStatusCode.Redirect);
            _clients[role] = client;
            return client;
        }
    }

    public HttpClient Api(string? token)
    {
        var client = Anonymous();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<HttpResponseMessage> SignIn(HttpClient client, string user, string password)
    {
        var token = await Antiforgery(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", Form(("UserName", user), ("Password", password), ("__RequestVerificationToken", token)));
    }

    public static async Task<HttpResponseMessage> ChangePassword(HttpClient client, string current, string next)
    {
        var token = await Antiforgery(client, "/Account/ChangePassword");
        return await client.PostAsync("/Account/ChangePassword", Form(("Current", current), ("New", next), ("Confirm", next), ("__RequestVerificationToken", token)));
    }

    /// <summary>The anti-forgery token of a page's first form.</summary>
    public static async Task<string> Antiforgery(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    public static FormUrlEncodedContent Form(params (string Key, string? Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value ?? string.Empty)));

    public int Count<T>(Func<RegistryDbContext, IQueryable<T>> table)
    {
        using var db = Store.CreateContext();
        return table(db).Count();
    }

    private static (string Connection, string Name, string? Role) CreatePostgres()
    {
        var name = "sarcostat_webtest_" + Guid.NewGuid().ToString("N")[..12];
        var owner = Databases.CreatePostgresDatabase(name);
        RegistryDatabase.Migrate(owner);
        var (app, madeRole) = Databases.AppRole(owner, name);
        return (app, name, madeRole);
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }

        Factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_pgName is not null)
        {
            Databases.DropPostgresDatabase(_pgName, _pgRole);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the host shutting down: the temp folder is left to the system.
        }
    }
}

/// <summary>One web app per provider per test class, started on first use.</summary>
public sealed class WebFixture : IDisposable
{
    private readonly Dictionary<string, Lazy<WebWorld>> _worlds = new(StringComparer.Ordinal)
    {
        [Databases.Sqlite] = new(() => new WebWorld(Databases.Sqlite)),
        [Databases.Postgres] = new(() => new WebWorld(Databases.Postgres)),
    };

    public WebWorld this[string provider] => _worlds[provider].Value;

    public void Dispose()
    {
        foreach (var w in _worlds.Values.Where(w => w.IsValueCreated))
        {
            w.Value.Dispose();
        }
    }
}
