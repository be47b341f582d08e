using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Sarcostat.Registry;

/// <summary>Which database a store lives in.</summary>
public enum RegistryProvider
{
    /// <summary>An embedded SQLite file (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (a shared registry).</summary>
    Postgres,
}

/// <summary>
/// Where the registry lives: a provider and a connection string. Thread-safe and cheap: every service call opens its
/// own short-lived <see cref="RegistryDbContext"/> through <see cref="CreateContext"/>.
/// </summary>
public sealed class RegistryStore
{
    /// <summary>A store on <paramref name="provider"/> at <paramref name="connectionString"/>.</summary>
    /// <param name="provider">The database.</param>
    /// <param name="connectionString">An ADO.NET connection string (SQLite: <c>Data Source=path</c>; PostgreSQL: <c>Host=...;Database=...;Username=...</c>).</param>
    /// <param name="clock">The clock audit rows are stamped with (tests pass their own); the system clock by default.</param>
    public RegistryStore(RegistryProvider provider, string connectionString, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Provider = provider;
        ConnectionString = connectionString;
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The database.</summary>
    public RegistryProvider Provider { get; }

    /// <summary>The connection string (holds a password on PostgreSQL: never log it).</summary>
    public string ConnectionString { get; }

    /// <summary>The clock of audit rows.</summary>
    public TimeProvider Clock { get; }

    /// <summary>
    /// A store from a connection string alone: PostgreSQL when it names a host (<c>Host=</c> or <c>Server=</c>, in
    /// Npgsql's key=value form; URLs are not accepted), SQLite otherwise (<c>Data Source=registry.db</c>, or a bare
    /// file path).
    /// </summary>
    public static RegistryStore FromConnectionString(string connectionString, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase) || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            return new RegistryStore(RegistryProvider.Postgres, connectionString, clock);
        }

        var sqlite = connectionString.Contains('=', StringComparison.Ordinal) ? connectionString : new SqliteConnectionStringBuilder { DataSource = connectionString }.ToString();
        return new RegistryStore(RegistryProvider.Sqlite, sqlite, clock);
    }

    /// <summary>A SQLite store in the file <paramref name="path"/>.</summary>
    public static RegistryStore Sqlite(string path, TimeProvider? clock = null) =>
        new(RegistryProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString(), clock);

    /// <summary>A new context on this store; the caller disposes it.</summary>
    public RegistryDbContext CreateContext() => Provider switch
    {
        RegistryProvider.Sqlite => new SqliteRegistryContext(new DbContextOptionsBuilder<SqliteRegistryContext>().UseSqlite(ConnectionString).Options),
        _ => new PostgresRegistryContext(new DbContextOptionsBuilder<PostgresRegistryContext>().UseNpgsql(ConnectionString).Options),
    };

    /// <summary>The current time (UTC).</summary>
    internal DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <inheritdoc />
    public override string ToString() => $"RegistryStore({Provider})";
}

/// <summary>Creating and upgrading the registry's database (docs/registry.md).</summary>
public static class RegistryDatabase
{
    /// <summary>The SQLite file's name under the data folder.</summary>
    public const string SqliteFileName = "registry.db";

    /// <summary>
    /// The embedded default: the SQLite store <c>registry.db</c> under <paramref name="dataFolder"/>, the folder and the
    /// file created on first start and migrated to the current schema (WAL journal, so readers do not block the writer).
    /// </summary>
    public static RegistryStore EnsureReady(string dataFolder, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        Directory.CreateDirectory(dataFolder);
        var store = RegistryStore.Sqlite(Path.Combine(dataFolder, SqliteFileName), clock);
        Migrate(store);
        using var db = store.CreateContext();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        return store;
    }

    /// <summary>
    /// Applies every pending migration of the store's provider (creates the schema on an empty database). On PostgreSQL
    /// run it with the owner role's connection, then <see cref="GrantAppRole"/>.
    /// </summary>
    public static void Migrate(RegistryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var db = store.CreateContext();
        db.Database.Migrate();
    }

    /// <summary>
    /// PostgreSQL: lets <paramref name="appRole"/> (the role the app connects as) read and write the registry's tables,
    /// except the audit table, where it may only INSERT and SELECT (no UPDATE, DELETE or TRUNCATE). Run as the owner
    /// after every migration (new tables get no grants by themselves).
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is not PostgreSQL.</exception>
    public static void GrantAppRole(RegistryStore ownerStore, string appRole)
    {
        ArgumentNullException.ThrowIfNull(ownerStore);
        ArgumentException.ThrowIfNullOrWhiteSpace(appRole);
        if (ownerStore.Provider != RegistryProvider.Postgres)
        {
            throw new InvalidOperationException("Roles and grants exist on PostgreSQL only; SQLite's audit rows are guarded by triggers.");
        }

        using var connection = new NpgsqlConnection(ownerStore.ConnectionString);
        connection.Open();
        var role = Quote(appRole);
        var database = Quote(connection.Database);
        var audit = Quote(RegistryDbContext.AuditTable);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            GRANT CONNECT ON DATABASE {database} TO {role};
            GRANT USAGE ON SCHEMA public TO {role};
            REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {role};
            REVOKE ALL ON "__EFMigrationsHistory" FROM {role};
            GRANT SELECT ON "__EFMigrationsHistory" TO {role};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>A PostgreSQL identifier, quoted.</summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// The triggers that make audit rows append-only, created by each provider's initial migration (hand-added there:
/// regenerate the migrations with the call kept, docs/registry.md).
/// </summary>
public static class AuditImmutability
{
    /// <summary>The message of the refusal, in both databases.</summary>
    public const string Message = "audit rows are append-only";

    /// <summary>Adds the triggers to a migration (by the migration's provider).</summary>
    public static void Create(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.IsSqlite())
        {
            migrationBuilder.Sql($"""
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON "{RegistryDbContext.AuditTable}"
                BEGIN SELECT RAISE(ABORT, '{Message}'); END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON "{RegistryDbContext.AuditTable}"
                BEGIN SELECT RAISE(ABORT, '{Message}'); END;
                """);
        }
        else if (migrationBuilder.IsNpgsql())
        {
            // Beside the grants (the app role has no UPDATE, DELETE or TRUNCATE on the table), the owner too is refused:
            // changing the trail then takes a deliberate DROP TRIGGER, itself visible in the server's log.
            migrationBuilder.Sql($"""
                CREATE FUNCTION sarcostat_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION '{Message}'; END $$;
                CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON "{RegistryDbContext.AuditTable}"
                FOR EACH ROW EXECUTE FUNCTION sarcostat_audit_append_only();
                CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON "{RegistryDbContext.AuditTable}"
                FOR EACH STATEMENT EXECUTE FUNCTION sarcostat_audit_append_only();
                """);
        }
    }

    /// <summary>Removes what <see cref="Create"/> made (a migration's Down; SQLite's triggers go with their table).</summary>
    public static void Drop(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER IF EXISTS audit_no_update_delete ON "{RegistryDbContext.AuditTable}";
                DROP TRIGGER IF EXISTS audit_no_truncate ON "{RegistryDbContext.AuditTable}";
                DROP FUNCTION IF EXISTS sarcostat_audit_append_only();
                """);
        }
    }
}
