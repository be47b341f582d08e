using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

/// <summary>One fresh database of one provider: the app's store (what services use) and the owner's (migrations, raw checks).</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _folder;
    private readonly string? _pgName;
    private readonly string? _pgRole;

    private TestDatabase(RegistryStore app, RegistryStore owner, string? folder, string? pgName, string? pgRole)
    {
        App = app;
        Owner = owner;
        _folder = folder;
        _pgName = pgName;
        _pgRole = pgRole;
    }

    public RegistryStore App { get; }

    public RegistryStore Owner { get; }

    public string Provider => App.Provider == RegistryProvider.Sqlite ? Databases.Sqlite : Databases.Postgres;

    /// <summary>A fresh database, migrated to the current schema, or only up to <paramref name="migration"/> (a migration's name, e.g. <c>Initial</c>) to test an upgrade.</summary>
    public static TestDatabase Create(string provider, string? migration = null)
    {
        if (provider == Databases.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("sarcostat-registry-test-").FullName;
            if (migration is not null)
            {
                Directory.CreateDirectory(Path.Combine(folder, "data"));
                var partial = RegistryStore.Sqlite(Path.Combine(folder, "data", RegistryDatabase.SqliteFileName));
                MigrateTo(partial, migration);
                return new TestDatabase(partial, partial, folder, null, null);
            }

            var store = RegistryDatabase.EnsureReady(Path.Combine(folder, "data"));
            return new TestDatabase(store, store, folder, null, null);
        }

        var name = "sarcostat_test_" + Guid.NewGuid().ToString("N")[..12];
        var owner = Databases.CreatePostgresDatabase(name);
        if (migration is null)
        {
            RegistryDatabase.Migrate(owner);
        }
        else
        {
            MigrateTo(owner, migration);
        }

        var (app, madeRole) = Databases.AppRole(owner, name);
        return new TestDatabase(new RegistryStore(RegistryProvider.Postgres, app), owner, null, name, madeRole);
    }

    /// <summary>Applies the store's provider's migrations up to the one named <paramref name="migration"/> (ids end in <c>_NAME</c>).</summary>
    public static void MigrateTo(RegistryStore store, string migration)
    {
        using var db = store.CreateContext();
        var id = db.Database.GetMigrations().Single(m => m.EndsWith("_" + migration, StringComparison.Ordinal));
        db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().Migrate(id);
    }

    /// <summary>Raw SQL on the app's connection (what the app role may do); returns rows affected.</summary>
    public int ExecuteAsApp(string sql)
    {
        using var db = App.CreateContext();
        return db.Database.ExecuteSqlRaw(sql);
    }

    /// <summary>Raw SQL on the owner's connection.</summary>
    public int ExecuteAsOwner(string sql)
    {
        using var db = Owner.CreateContext();
        return db.Database.ExecuteSqlRaw(sql);
    }

    public void Dispose()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }

        if (_pgName is not null)
        {
            Databases.DropPostgresDatabase(_pgName, _pgRole);
        }
    }
}

/// <summary>A class fixture: one fresh database per provider per test class, made on first use and dropped after the class.</summary>
public sealed class DatabaseFixture : IDisposable
{
    private readonly Dictionary<string, Lazy<World>> _worlds = new(StringComparer.Ordinal)
    {
        [Databases.Sqlite] = new(() => new World(TestDatabase.Create(Databases.Sqlite))),
        [Databases.Postgres] = new(() => new World(TestDatabase.Create(Databases.Postgres))),
    };

    public World this[string provider] => _worlds[provider].Value;

    public void Dispose()
    {
        foreach (var w in _worlds.Values.Where(w => w.IsValueCreated))
        {
            w.Value.Database.Dispose();
        }
    }
}

/// <summary>A database with two sites, a manager for each, an analyst and an admin, and the services.</summary>
public sealed class World
{
    public World(TestDatabase database)
    {
        Database = database;
        var store = database.App;
        Admin = new Actor("test-admin", Role.Admin);
        var admin = new AdminService(store);
        SiteA = admin.CreateSite(Admin, "site-a-" + Guid.NewGuid().ToString("N")[..6], "Site A").Id;
        SiteB = admin.CreateSite(Admin, "site-b-" + Guid.NewGuid().ToString("N")[..6], "Site B").Id;
        ManagerA = new Actor("manager-a", Role.SiteDataManager, SiteA);
        ManagerB = new Actor("manager-b", Role.SiteDataManager, SiteB);
        Analyst = new Actor("analyst", Role.Analyst);
        Patients = new PatientService(store);
        Imports = new ImportService(store);
        Amendments = new AmendmentService(store);
        Audit = new AuditService(store);
        Cohort = new CohortService(store);
        AdminService = admin;
    }

    public TestDatabase Database { get; }

    public int SiteA { get; }

    public int SiteB { get; }

    public Actor Admin { get; }

    public Actor ManagerA { get; }

    public Actor ManagerB { get; }

    public Actor Analyst { get; }

    public PatientService Patients { get; }

    public ImportService Imports { get; }

    public AmendmentService Amendments { get; }

    public AuditService Audit { get; }

    public CohortService Cohort { get; }

    public AdminService AdminService { get; }

    /// <summary>Demo patients (valid), by index, with a fresh study id.</summary>
    public static PatientInput Valid(int index, string? studyId = null, string? name = "Jane Testperson", string? recordNumber = "MRN-998877") =>
        new(Demo[index % Demo.Count] with { StudyId = studyId ?? "T-" + Guid.NewGuid().ToString("N")[..8] }, name, recordNumber);

    public static IReadOnlyList<Cohort.Patient> Demo { get; } = DemoSeed.ReadDemoCohort();

    /// <summary>Creates a valid patient at a site as its manager (or admin); returns the saved details.</summary>
    public PatientDetails Add(int site, int index = 0, string? studyId = null)
    {
        var result = Patients.Create(Admin, site, Valid(index, studyId));
        return result.Should().BeOfType<PatientSaved>().Subject.Patient;
    }

    public int Count<T>(Func<RegistryDbContext, IQueryable<T>> table)
    {
        using var db = Database.Owner.CreateContext();
        return table(db).Count();
    }
}
