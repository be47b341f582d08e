using Sarcostat.Registry;

namespace Sarcostat.Web.Infrastructure;

/// <summary>Where the web app keeps its store and its files, from configuration (docs/registry.md, "Web app").</summary>
public sealed class WebSettings
{
    /// <summary>The folder of the SQLite store and of written reports (<c>Sarcostat:DataFolder</c>, default <c>data</c>).</summary>
    public required string DataFolder { get; init; }

    /// <summary>Where report runs are written (<c>DataFolder/reports</c>).</summary>
    public string ReportsFolder => Path.Combine(DataFolder, "reports");

    /// <summary>The largest request body accepted, in bytes (<c>Sarcostat:MaxUploadBytes</c>, default 20 MB).</summary>
    public long MaxUploadBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Reads the settings.</summary>
    public static WebSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new WebSettings
        {
            DataFolder = Path.GetFullPath(configuration["Sarcostat:DataFolder"] is { Length: > 0 } d ? d : "data"),
            MaxUploadBytes = long.TryParse(configuration["Sarcostat:MaxUploadBytes"], out var max) && max > 0 ? max : 20L * 1024 * 1024,
        };
    }
}

/// <summary>Opens the store the configuration names, migrates it and seeds an empty one.</summary>
public static class WebStore
{
    private static readonly string[] UserKeys = ["Username", "User ID", "User Name", "UserId"];

    /// <summary>
    /// The store of <c>ConnectionStrings:Registry</c> (PostgreSQL when it has <c>Host=</c>, SQLite otherwise), or the
    /// embedded SQLite file <c>registry.db</c> under the data folder when none is set.
    /// </summary>
    public static RegistryStore Open(IConfiguration configuration, WebSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var connection = configuration.GetConnectionString("Registry");
        if (string.IsNullOrWhiteSpace(connection))
        {
            return RegistryDatabase.EnsureReady(settings.DataFolder);
        }

        var store = RegistryStore.FromConnectionString(connection);
        if (store.Provider == RegistryProvider.Sqlite)
        {
            RegistryDatabase.Migrate(store);
        }
        else if (configuration.GetConnectionString("RegistryOwner") is { Length: > 0 } ownerText)
        {
            // PostgreSQL: migrations run as the owner, then the app role gets its grants (audit: INSERT and SELECT only).
            var owner = new RegistryStore(RegistryProvider.Postgres, ownerText);
            RegistryDatabase.Migrate(owner);
            var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connection };
            var app = UserKeys
                .Select(k => builder.TryGetValue(k, out var v) ? v as string : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            if (app is not null)
            {
                RegistryDatabase.GrantAppRole(owner, app);
            }
        }

        return store;
    }

    /// <summary>
    /// Loads the data-protection key ring from the database at start (creating the first key on an empty one), so that
    /// an instance that cannot read or write the keys' table fails at start, not at the first sign-in, and instances
    /// started one after another share the first one's key.
    /// </summary>
    public static void LoadKeyRing(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _ = services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Sarcostat.Startup").Protect([1]);
    }

    /// <summary>Seeds an empty store with the demo cohort and prints the admin's one-time password, once.</summary>
    public static void SeedIfEmpty(RegistryStore store, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (DemoSeed.SeedIfEmpty(store) is not { } seed)
        {
            return;
        }

        console.WriteLine("Sarcostat registry: a new store was seeded with the SYNTHETIC demo cohort ("
            + string.Join(", ", seed.Sites.Select(s => $"{s.Key}: {s.Value} patients")) + ").");
        console.WriteLine($"Sign in as '{seed.AdminUserName}' with the one-time password {seed.OneTimePassword}");
        console.WriteLine("It is shown this once and must be changed at the first login.");
    }
}
