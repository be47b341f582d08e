using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

public class IdentityAndAuditTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Identity_signs_in_the_users_the_registry_makes_through_its_EF_stores(string provider)
    {
        var w = fixture[provider];
        var created = w.AdminService.CreateUser(w.Admin, "ida-" + provider, Role.SiteDataManager, w.SiteA);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSarcostatRegistry(w.Database.App);
        services.AddIdentityCore<RegistryUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<RegistryDbContext>();
        await using var provider2 = services.BuildServiceProvider();
        await using var scope = provider2.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RegistryUser>>();

        var user = (await users.FindByNameAsync(created.User.UserName))!;
        user.Should().NotBeNull();
        user.MustChangePassword.Should().BeTrue();
        (await users.CheckPasswordAsync(user, created.OneTimePassword)).Should().BeTrue();
        (await users.CheckPasswordAsync(user, created.OneTimePassword + "x")).Should().BeFalse();
        (await users.IsInRoleAsync(user, nameof(Role.SiteDataManager))).Should().BeTrue();
        foreach (var validator in users.PasswordValidators)
        {
            (await validator.ValidateAsync(users, user, created.OneTimePassword)).Succeeded.Should().BeTrue("the one-time password meets Identity's default policy");
        }

        (await users.ChangePasswordAsync(user, created.OneTimePassword, "N3w-password!")).Succeeded.Should().BeTrue();
        var actor = w.AdminService.ActorFor(user.Id)!;
        w.AdminService.PasswordChanged(actor).Should().BeTrue();
        w.AdminService.Users(w.Admin).Single(u => u.Id == user.Id).MustChangePassword.Should().BeFalse();
        w.Audit.Query(w.Admin, new AuditFilter(UserId: user.Id, Action: AuditActions.PasswordChange)).Should().ContainSingle();
        w.AdminService.PasswordChanged(new Actor("token:1", Role.SiteDataManager, w.SiteA)).Should().BeFalse();
        scope.ServiceProvider.GetRequiredService<PatientService>().Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_site_manager_reads_and_exports_only_their_sites_audit_rows(string provider)
    {
        var w = fixture[provider];
        var a = w.Add(w.SiteA, 12);
        var b = w.Add(w.SiteB, 13);
        w.Audit.Record(w.ManagerA, AuditActions.Login);

        var seen = w.Audit.Query(w.ManagerA, new AuditFilter());
        seen.Should().NotBeEmpty().And.OnlyContain(r => r.SiteId == w.SiteA);
        seen.Should().Contain(r => r.RecordId == a.RegistryId);
        w.Audit.Query(w.ManagerA, new AuditFilter(RecordId: b.RegistryId)).Should().BeEmpty("another site's patient's trail is not shown");
        w.Audit.Query(w.ManagerA, new AuditFilter(SiteId: w.SiteB)).Should().OnlyContain(r => r.SiteId == w.SiteA);
        w.Audit.Query(w.Admin, new AuditFilter(RecordId: b.RegistryId)).Should().ContainSingle(r => r.Action == AuditActions.Create);
        w.Audit.Query(w.Admin, new AuditFilter(UserId: "manager-a", Action: AuditActions.Login)).Should().ContainSingle();
        var now = DateTime.UtcNow;
        w.Audit.Query(w.Admin, new AuditFilter(From: now.AddHours(1))).Should().BeEmpty();
        w.Audit.Query(w.Admin, new AuditFilter(From: now.AddHours(-1), To: now.AddHours(1))).Should().NotBeEmpty();

        var csv = w.Audit.ExportCsv(w.ManagerA, new AuditFilter());
        csv.Split('\n')[0].Should().Be("id,time_utc,user_id,site_id,action,record_id,field,old_value,new_value,detail");
        csv.Should().Contain(a.RegistryId).And.NotContain(b.RegistryId);
        w.Audit.Query(w.ManagerA, new AuditFilter(Action: AuditActions.Export)).Should().ContainSingle("the export is itself audited");
    }
}
