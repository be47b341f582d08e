using Microsoft.EntityFrameworkCore;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

public class StoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Migrations_apply_on_an_empty_database(string provider)
    {
        var w = fixture[provider];
        using var db = w.Database.Owner.CreateContext();
        db.Database.GetPendingMigrations().Should().BeEmpty();
        db.Database.GetAppliedMigrations().Should().BeEquivalentTo(db.Database.GetMigrations()).And.NotBeEmpty();
        db.Sites.Count().Should().Be(2, "the fixture's two sites were written into the migrated schema");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Audit_rows_cannot_be_updated_or_deleted_by_the_app(string provider)
    {
        var w = fixture[provider];
        w.Add(w.SiteA);
        var before = w.Audit.Query(w.Admin, new AuditFilter(Take: 100_000));
        var id = before[0].Id;
        var table = RegistryDbContext.AuditTable;

        FluentActions.Invoking(() => w.Database.ExecuteAsApp($"UPDATE \"{table}\" SET \"Action\" = 'forged' WHERE \"Id\" = {id}")).Should().Throw<Exception>();
        FluentActions.Invoking(() => w.Database.ExecuteAsApp($"DELETE FROM \"{table}\" WHERE \"Id\" = {id}")).Should().Throw<Exception>();
        FluentActions.Invoking(() => w.Database.ExecuteAsApp($"DELETE FROM \"{table}\"")).Should().Throw<Exception>();
        if (provider == Databases.Postgres)
        {
            FluentActions.Invoking(() => w.Database.ExecuteAsApp($"TRUNCATE \"{table}\"")).Should().Throw<Npgsql.PostgresException>()
                .Which.SqlState.Should().Be("42501", "the app role has no TRUNCATE privilege");
            FluentActions.Invoking(() => w.Database.ExecuteAsApp($"UPDATE \"{table}\" SET \"Action\" = 'forged' WHERE \"Id\" = {id}")).Should().Throw<Npgsql.PostgresException>()
                .Which.SqlState.Should().Be("42501", "the app role has no UPDATE privilege on the audit table");

            // The owner is refused by the trigger too.
            FluentActions.Invoking(() => w.Database.ExecuteAsOwner($"DELETE FROM \"{table}\" WHERE \"Id\" = {id}")).Should().Throw<Npgsql.PostgresException>()
                .Which.MessageText.Should().Contain(AuditImmutability.Message);
            FluentActions.Invoking(() => w.Database.ExecuteAsOwner($"TRUNCATE \"{table}\"")).Should().Throw<Npgsql.PostgresException>()
                .Which.MessageText.Should().Contain(AuditImmutability.Message);
        }
        else
        {
            FluentActions.Invoking(() => w.Database.ExecuteAsApp($"UPDATE \"{table}\" SET \"Action\" = 'forged' WHERE \"Id\" = {id}")).Should().Throw<Microsoft.Data.Sqlite.SqliteException>()
                .WithMessage($"*{AuditImmutability.Message}*");
        }

        var after = w.Audit.Query(w.Admin, new AuditFilter(Take: 100_000));
        after.Should().BeEquivalentTo(before, "no audit row was changed or removed");

        // The app may still do its ordinary work: other tables stay writable.
        w.ExecuteUpdateOnPatients().Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public void EnsureReady_creates_the_sqlite_file_under_a_new_folder_and_is_idempotent()
    {
        var root = Directory.CreateTempSubdirectory("sarcostat-ensure-").FullName;
        try
        {
            var folder = Path.Combine(root, "data", "nested");
            var store = RegistryDatabase.EnsureReady(folder);
            File.Exists(Path.Combine(folder, RegistryDatabase.SqliteFileName)).Should().BeTrue();
            using (var db = store.CreateContext())
            {
                db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").AsEnumerable().Single().Should().Be("wal");
                db.Database.SqlQueryRaw<long>("PRAGMA foreign_keys").AsEnumerable().Single().Should().Be(1, "EF Core turns SQLite's foreign keys on");
            }

            var seeded = DemoSeed.SeedIfEmpty(store);
            seeded.Should().NotBeNull();
            RegistryDatabase.EnsureReady(folder);
            DemoSeed.SeedIfEmpty(store).Should().BeNull("the store is not empty any more");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Data Source=/tmp/x.db", RegistryProvider.Sqlite)]
    [InlineData("/var/lib/sarcostat/registry.db", RegistryProvider.Sqlite)]
    [InlineData("Host=db.example;Database=sarcostat;Username=app;Password=p", RegistryProvider.Postgres)]
    public void The_provider_follows_the_connection_string(string text, RegistryProvider expected) =>
        RegistryStore.FromConnectionString(text).Provider.Should().Be(expected);
}

public static class WorldExtensions
{
    public static int ExecuteUpdateOnPatients(this World w)
    {
        using var db = w.Database.App.CreateContext();
        return db.Database.ExecuteSqlRaw("UPDATE \"Patients\" SET \"WarningCount\" = \"WarningCount\"");
    }
}
