using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

/// <summary>API tokens with a role (site token, analyst token), and the migration that brought them and the data-protection keys' table.</summary>
public class TokenRoleTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Only_admins_issue_analyst_tokens_and_they_act_as_an_analyst_without_a_site(string provider)
    {
        var w = fixture[provider];
        FluentActions.Invoking(() => w.AdminService.IssueAnalystToken(w.ManagerA, "x")).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.AdminService.IssueAnalystToken(w.Analyst, "x")).Should().Throw<RegistryForbiddenException>();

        var analyst = w.AdminService.IssueAnalystToken(w.Admin, "stats server");
        analyst.Role.Should().Be(Role.Analyst);
        analyst.SiteId.Should().BeNull();
        var site = w.AdminService.IssueToken(w.ManagerA, w.SiteA, "lab system");
        site.Role.Should().Be(Role.SiteDataManager);

        var actor = w.AdminService.AuthenticateToken(analyst.Token)!;
        actor.Should().Be(new Actor($"token:{analyst.Id}", Role.Analyst));
        w.AdminService.AuthenticateToken(site.Token).Should().Be(new Actor($"token:{site.Id}", Role.SiteDataManager, w.SiteA));

        // What the services let an analyst do, an analyst token may: read pseudonymised, edit nothing.
        var stored = w.Add(w.SiteA);
        var seen = w.Patients.Get(actor, stored.Id)!;
        seen.Data.Name.Should().BeNull();
        seen.Data.RecordNumber.Should().BeNull();
        seen.Data.Patient.BirthDate.Should().BeNull();
        seen.Data.Patient.StudyId.Should().Be(stored.Pseudonym);
        w.Patients.List(actor, new PatientFilter(Take: 100_000)).Should().Contain(p => p.Id == stored.Id).And.OnlyContain(p => p.StudyId == null);
        FluentActions.Invoking(() => w.Patients.Create(actor, w.SiteA, World.Valid(0))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Patients.Update(actor, stored.Id, stored.Version, World.Valid(0))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.Imports.Preview(actor, 0, new ImportUpload([new UploadedFile("p.csv", [1])]))).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.AdminService.IssueToken(actor, w.SiteA, "x")).Should().Throw<RegistryForbiddenException>("a token cannot mint tokens");
        w.Cohort.Pooled(actor).Patients.Should().Contain(p => p.StudyId == stored.Pseudonym);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void The_token_list_shows_roles_and_revoking_is_audited_per_kind(string provider)
    {
        var w = fixture[provider];
        var analyst = w.AdminService.IssueAnalystToken(w.Admin, "analysis box");
        var siteA = w.AdminService.IssueToken(w.Admin, w.SiteA, "site A box");
        var siteB = w.AdminService.IssueToken(w.Admin, w.SiteB, "site B box");

        var all = w.AdminService.Tokens(w.Admin);
        all.Should().ContainSingle(t => t.Id == analyst.Id).Which.Should().Match<TokenInfo>(t => t.Role == Role.Analyst && t.SiteId == null && t.SiteCode == null && !t.Revoked);
        all.Should().ContainSingle(t => t.Id == siteA.Id).Which.Role.Should().Be(Role.SiteDataManager);
        var mine = w.AdminService.Tokens(w.ManagerA);
        mine.Should().Contain(t => t.Id == siteA.Id).And.OnlyContain(t => t.SiteId == w.SiteA && t.Role == Role.SiteDataManager, "a manager sees their site's tokens only");
        FluentActions.Invoking(() => w.AdminService.Tokens(w.Analyst)).Should().Throw<RegistryForbiddenException>();

        w.AdminService.RevokeToken(w.ManagerA, analyst.Id).Should().BeFalse("a manager cannot see an analyst token");
        w.AdminService.RevokeToken(w.ManagerA, siteB.Id).Should().BeFalse();
        w.AdminService.AuthenticateToken(analyst.Token).Should().NotBeNull();
        w.AdminService.RevokeToken(w.Admin, analyst.Id).Should().BeTrue();
        w.AdminService.AuthenticateToken(analyst.Token).Should().BeNull("a revoked analyst token authenticates nobody");
        w.AdminService.Tokens(w.Admin).Single(t => t.Id == analyst.Id).Revoked.Should().BeTrue();

        var audit = w.Audit.Query(w.Admin, new AuditFilter(Take: 100_000));
        audit.Should().ContainSingle(a => a.Action == AuditActions.TokenIssue && a.Detail == "analyst token analysis box").Which.SiteId.Should().BeNull();
        audit.Should().ContainSingle(a => a.Action == AuditActions.TokenRevoke && a.Detail == "analyst token analysis box");
        audit.Should().ContainSingle(a => a.Action == AuditActions.TokenIssue && a.Detail == "site token site A box").Which.SiteId.Should().Be(w.SiteA);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void The_database_refuses_a_token_row_whose_role_and_site_do_not_match(string provider)
    {
        var w = fixture[provider];
        var now = "'2026-01-01 00:00:00'";
        string Insert(string role, string site) =>
            $"INSERT INTO \"ApiTokens\" (\"Role\", \"SiteId\", \"Name\", \"Hash\", \"Created\", \"Revoked\") VALUES ('{role}', {site}, 'raw', '{Guid.NewGuid():N}', {now}, {(provider == Databases.Postgres ? "false" : "0")})";
        var site = w.SiteA.ToString(CultureInfo.InvariantCulture);
        FluentActions.Invoking(() => w.Database.ExecuteAsApp(Insert("Analyst", site))).Should().Throw<Exception>("an analyst token has no site");
        FluentActions.Invoking(() => w.Database.ExecuteAsApp(Insert("SiteDataManager", "NULL"))).Should().Throw<Exception>("a site token has a site");
        FluentActions.Invoking(() => w.Database.ExecuteAsApp(Insert("Admin", "NULL"))).Should().Throw<Exception>("no token is an admin");
        w.Database.ExecuteAsApp(Insert("SiteDataManager", site)).Should().Be(1, "the control row is accepted");
        w.Database.ExecuteAsApp(Insert("Analyst", "NULL")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void The_app_reads_and_writes_the_data_protection_keys_and_still_cannot_touch_the_audit_rows(string provider)
    {
        var w = fixture[provider];
        w.Add(w.SiteA);
        using (var db = w.Database.App.CreateContext())
        {
            db.DataProtectionKeys.Add(new() { FriendlyName = "key-test", Xml = "<key />" });
            db.SaveChanges();
        }

        using (var db = w.Database.App.CreateContext())
        {
            var key = db.DataProtectionKeys.Single(k => k.FriendlyName == "key-test");
            key.Xml = "<key revoked='true' />";
            db.SaveChanges();
            db.DataProtectionKeys.Remove(key);
            db.SaveChanges();
        }

        w.Count(db => db.DataProtectionKeys.Where(k => k.FriendlyName == "key-test")).Should().Be(0);
        AssertAuditAppendOnly(w.Database);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Upgrading_from_the_initial_schema_keeps_existing_tokens_as_site_tokens(string provider)
    {
        using var database = TestDatabase.Create(provider, "Initial");
        using (var db = database.Owner.CreateContext())
        {
            db.Database.GetPendingMigrations().Should().ContainSingle(m => m.EndsWith("_TokenRolesAndKeys", StringComparison.Ordinal));
        }

        // Rows written by the previous version: a site, a token of it (only its hash), an audit row.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("sst_old-token"u8));
        var revoked = provider == Databases.Postgres ? "false" : "0";
        database.ExecuteAsOwner("INSERT INTO \"Sites\" (\"Code\", \"Name\") VALUES ('old-site', 'Old site')");
        database.ExecuteAsOwner($"INSERT INTO \"ApiTokens\" (\"SiteId\", \"Name\", \"Hash\", \"Created\", \"Revoked\") SELECT \"Id\", 'old', '{hash}', '2026-01-01 00:00:00', {revoked} FROM \"Sites\"");
        database.ExecuteAsOwner($"INSERT INTO \"{RegistryDbContext.AuditTable}\" (\"At\", \"UserId\", \"Action\") VALUES ('2026-01-01 00:00:00', 'old', 'login')");

        RegistryDatabase.Migrate(database.Owner);
        if (provider == Databases.Postgres)
        {
            // As docs/registry.md says: grants again after every migration (the new table has none by itself).
            var app = new Npgsql.NpgsqlConnectionStringBuilder(database.App.ConnectionString).Username!;
            RegistryDatabase.GrantAppRole(database.Owner, app);
        }

        using (var db = database.Owner.CreateContext())
        {
            db.Database.GetPendingMigrations().Should().BeEmpty();
            var row = db.ApiTokens.AsNoTracking().Single(t => t.Name == "old");
            row.Role.Should().Be(Role.SiteDataManager, "every token before the migration was a site token");
            row.SiteId.Should().NotBeNull();
        }

        var admin = new AdminService(database.App);
        var actor = admin.AuthenticateToken("sst_old-token")!;
        actor.Role.Should().Be(Role.SiteDataManager);
        actor.SiteId.Should().Be(admin.Sites(new Actor("t", Role.Admin)).Single(s => s.Code == "old-site").Id);
        admin.IssueAnalystToken(new Actor("t", Role.Admin), "new").Role.Should().Be(Role.Analyst);
        using (var db = database.App.CreateContext())
        {
            db.DataProtectionKeys.Add(new() { FriendlyName = "k", Xml = "<key />" });
            db.SaveChanges().Should().Be(1, "the app may write the keys' table after the upgrade");
        }

        AssertAuditAppendOnly(database);
    }

    /// <summary>The audit trail's protections (SQLite triggers, PostgreSQL grants and triggers) hold: the app can neither change nor remove a row.</summary>
    private static void AssertAuditAppendOnly(TestDatabase database)
    {
        var table = RegistryDbContext.AuditTable;
        using (var db = database.Owner.CreateContext())
        {
            db.AuditEntries.Count().Should().BeGreaterThan(0);
        }

        FluentActions.Invoking(() => database.ExecuteAsApp($"UPDATE \"{table}\" SET \"Action\" = 'forged'")).Should().Throw<Exception>();
        FluentActions.Invoking(() => database.ExecuteAsApp($"DELETE FROM \"{table}\"")).Should().Throw<Exception>();
        if (database.Provider == Databases.Postgres)
        {
            FluentActions.Invoking(() => database.ExecuteAsApp($"TRUNCATE \"{table}\"")).Should().Throw<Npgsql.PostgresException>().Which.SqlState.Should().Be("42501");
            FluentActions.Invoking(() => database.ExecuteAsOwner($"DELETE FROM \"{table}\"")).Should().Throw<Npgsql.PostgresException>()
                .Which.MessageText.Should().Contain(AuditImmutability.Message);
        }
        else
        {
            FluentActions.Invoking(() => database.ExecuteAsApp($"DELETE FROM \"{table}\"")).Should().Throw<Microsoft.Data.Sqlite.SqliteException>()
                .WithMessage($"*{AuditImmutability.Message}*");
        }

        using var after = database.Owner.CreateContext();
        after.AuditEntries.Count(a => a.Action == "forged").Should().Be(0);
    }
}
