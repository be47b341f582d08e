using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sarcostat.Registry.Model;

namespace Sarcostat.Registry;

/// <summary>
/// The registry's tables, Identity's user and role tables included. One subclass per database
/// (<see cref="SqliteRegistryContext"/>, <see cref="PostgresRegistryContext"/>) so that each has its own migrations.
/// It also holds ASP.NET Core's data-protection keys (<see cref="IDataProtectionKeyContext"/>), so that every instance
/// of the web app on one database protects and reads cookies and anti-forgery tokens with the same key ring.
/// </summary>
public abstract class RegistryDbContext : IdentityDbContext<RegistryUser>, IDataProtectionKeyContext
{
    /// <summary>For the provider subclasses.</summary>
    protected RegistryDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>Sites.</summary>
    public DbSet<Site> Sites => Set<Site>();

    /// <summary>Patients.</summary>
    public DbSet<PatientRecord> Patients => Set<PatientRecord>();

    /// <summary>Procedures.</summary>
    public DbSet<ProcedureRecord> Procedures => Set<ProcedureRecord>();

    /// <summary>Amendments.</summary>
    public DbSet<AmendmentRecord> Amendments => Set<AmendmentRecord>();

    /// <summary>Import batches.</summary>
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();

    /// <summary>Saved source mappings.</summary>
    public DbSet<SavedMapping> Mappings => Set<SavedMapping>();

    /// <summary>The audit trail (append-only).</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>API tokens.</summary>
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>
    /// ASP.NET Core's data-protection key ring (XML of each key, written by the web app's
    /// <c>PersistKeysToDbContext</c>): secret material, read and written only by the app; not patient data.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The audit table's name, as triggers and grants name it.</summary>
    public const string AuditTable = "AuditEntries";

    /// <summary>The data-protection keys' table.</summary>
    public const string DataProtectionKeysTable = "DataProtectionKeys";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.Entity<Site>(e =>
        {
            e.HasIndex(s => s.Code).IsUnique();
            e.Property(s => s.Code).HasMaxLength(64);
            e.Property(s => s.Name).HasMaxLength(200);
        });
        builder.Entity<RegistryUser>().HasOne<Site>().WithMany().HasForeignKey(u => u.SiteId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<PatientRecord>(e =>
        {
            e.HasIndex(p => p.RegistryId).IsUnique();
            e.HasIndex(p => p.Pseudonym).IsUnique();
            e.HasIndex(p => new { p.SiteId, p.StudyId }).IsUnique();
            e.HasIndex(p => p.Histology);
            e.HasIndex(p => p.VitalStatus);
            e.Property(p => p.Version).IsConcurrencyToken();
            e.HasOne<Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(p => p.Procedures).WithOne().HasForeignKey(p => p.PatientRecordId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AmendmentRecord>(e =>
        {
            e.HasIndex(a => a.PatientRecordId);
            e.HasOne<PatientRecord>().WithMany().HasForeignKey(a => a.PatientRecordId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<ImportBatch>().HasOne<Site>().WithMany().HasForeignKey(b => b.SiteId).OnDelete(DeleteBehavior.Restrict);
        builder.Entity<SavedMapping>(e =>
        {
            e.HasIndex(m => new { m.SiteId, m.Name }).IsUnique();
            e.HasOne<Site>().WithMany().HasForeignKey(m => m.SiteId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable(AuditTable);
            e.HasIndex(a => a.RecordId);
            e.HasIndex(a => a.At);
        });
        builder.Entity<ApiToken>(e =>
        {
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId).OnDelete(DeleteBehavior.Restrict);

            // By name, not number: a row reads the same in a dump and survives a reordering of the enum.
            e.Property(t => t.Role).HasConversion<string>().HasMaxLength(32);

            // A site token has a site, an analyst token none, and no token is an admin: also when written by hand.
            e.ToTable(t => t.HasCheckConstraint(
                "CK_ApiTokens_RoleSite",
                "(\"Role\" = 'SiteDataManager' AND \"SiteId\" IS NOT NULL) OR (\"Role\" = 'Analyst' AND \"SiteId\" IS NULL)"));
        });
        builder.Entity<DataProtectionKey>().ToTable(DataProtectionKeysTable);
    }
}

/// <summary>The registry on SQLite (migrations in Migrations/Sqlite).</summary>
public sealed class SqliteRegistryContext : RegistryDbContext
{
    /// <summary>Creates the context.</summary>
    public SqliteRegistryContext(DbContextOptions<SqliteRegistryContext> options)
        : base(options)
    {
    }
}

/// <summary>The registry on PostgreSQL (migrations in Migrations/Postgres).</summary>
public sealed class PostgresRegistryContext : RegistryDbContext
{
    /// <summary>Creates the context.</summary>
    public PostgresRegistryContext(DbContextOptions<PostgresRegistryContext> options)
        : base(options)
    {
    }
}

/// <summary>For <c>dotnet ef</c>: the SQLite context on a placeholder file (migrations are made without a database).</summary>
internal sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteRegistryContext>
{
    public SqliteRegistryContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRegistryContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>For <c>dotnet ef</c>: the PostgreSQL context (no connection is opened to make migrations).</summary>
internal sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresRegistryContext>
{
    public PostgresRegistryContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRegistryContext>().UseNpgsql("Host=localhost;Database=sarcostat").Options);
}
