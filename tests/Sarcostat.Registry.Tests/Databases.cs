using Npgsql;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

/// <summary>
/// The databases every registry test runs on: SQLite always; PostgreSQL when SARCOSTAT_POSTGRES holds an owner
/// connection string (SARCOSTAT_POSTGRES_APP the app role's; without it a temporary app role is made). With
/// SARCOSTAT_REQUIRE_POSTGRES=1 PostgreSQL is always in the list, so a missing server fails the tests instead of
/// leaving them out. (The web tests compile this file too: one rule for both test projects.)
/// </summary>
public static class Databases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string? OwnerConnection => Environment.GetEnvironmentVariable("SARCOSTAT_POSTGRES") is { Length: > 0 } s ? s : null;

    public static string? AppConnection => Environment.GetEnvironmentVariable("SARCOSTAT_POSTGRES_APP") is { Length: > 0 } s ? s : null;

    public static bool RequirePostgres => Environment.GetEnvironmentVariable("SARCOSTAT_REQUIRE_POSTGRES") == "1";

    /// <summary>The providers to run on.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (OwnerConnection is not null || RequirePostgres)
            {
                data.Add(Postgres);
            }

            return data;
        }
    }

    /// <summary>A fresh, empty PostgreSQL database named <paramref name="name"/>; returns the owner's store on it.</summary>
    public static RegistryStore CreatePostgresDatabase(string name)
    {
        var ownerText = OwnerConnection
            ?? throw new InvalidOperationException("SARCOSTAT_REQUIRE_POSTGRES=1 but SARCOSTAT_POSTGRES (an owner connection string) is not set.");
        using (var admin = new NpgsqlConnection(ownerText))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            create.ExecuteNonQuery();
        }

        return new RegistryStore(RegistryProvider.Postgres, new NpgsqlConnectionStringBuilder(ownerText) { Database = name }.ToString());
    }

    /// <summary>
    /// The app role's connection to the migrated database of <paramref name="owner"/>, granted as the app is
    /// (<see cref="RegistryDatabase.GrantAppRole"/>): SARCOSTAT_POSTGRES_APP's role, or else a temporary login role
    /// (the owner needs CREATEROLE; the caller drops it, <c>MadeRole</c>, with the database).
    /// </summary>
    public static (string Connection, string? MadeRole) AppRole(RegistryStore owner, string name)
    {
        ArgumentNullException.ThrowIfNull(owner);
        string? madeRole = null;
        NpgsqlConnectionStringBuilder app;
        if (AppConnection is { } appText)
        {
            app = new NpgsqlConnectionStringBuilder(appText) { Database = name };
        }
        else
        {
            madeRole = "sarcostat_app_" + Guid.NewGuid().ToString("N")[..8];
            var password = Guid.NewGuid().ToString("N");
            using var c = new NpgsqlConnection(owner.ConnectionString);
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"CREATE ROLE \"{madeRole}\" LOGIN PASSWORD '{password}'";
            cmd.ExecuteNonQuery();
            app = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Username = madeRole, Password = password };
        }

        RegistryDatabase.GrantAppRole(owner, app.Username!);
        return (app.ToString(), madeRole);
    }

    /// <summary>
    /// Drops a test database (and the temporary app role made for it). The owner may not end another role's sessions
    /// without pg_signal_backend, so while the app role's pooled connections are still closing the drop is retried
    /// for up to 5 s instead of failing the test that was cleaning up.
    /// </summary>
    public static void DropPostgresDatabase(string name, string? madeRole)
    {
        for (var attempt = 1; ; attempt++)
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                using var admin = new NpgsqlConnection(OwnerConnection);
                admin.Open();
                using var drop = admin.CreateCommand();
                drop.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
                drop.ExecuteNonQuery();
                if (madeRole is not null)
                {
                    drop.CommandText = $"DROP ROLE IF EXISTS \"{madeRole}\"";
                    drop.ExecuteNonQuery();
                }

                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
