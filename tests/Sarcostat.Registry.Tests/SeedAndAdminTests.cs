using Microsoft.AspNetCore.Identity;
using Sarcostat.Registry.Services;

namespace Sarcostat.Registry.Tests;

public class SeedAndAdminTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void The_demo_seed_splits_the_synthetic_cohort_across_two_sites_and_makes_a_must_change_admin(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var seeded = DemoSeed.SeedIfEmpty(database.App)!;

        seeded.Sites.Select(s => s.Key).Should().Equal("demo-north", "demo-south");
        seeded.Sites.Sum(s => s.Value).Should().Be(World.Demo.Count);
        seeded.Sites.Should().OnlyContain(s => s.Value >= World.Demo.Count / 2);
        seeded.ToString().Should().NotContain(seeded.OneTimePassword);
        seeded.OneTimePassword.Should().HaveLength(16).And.MatchRegex("[A-Z]").And.MatchRegex("[a-z]").And.MatchRegex("[0-9]").And.MatchRegex("[^A-Za-z0-9]");

        using var db = database.Owner.CreateContext();
        var admin = db.Users.Single();
        admin.UserName.Should().Be(DemoSeed.AdminUserName);
        admin.MustChangePassword.Should().BeTrue();
        admin.PasswordHash.Should().NotContain(seeded.OneTimePassword);
        new PasswordHasher<RegistryUser>().VerifyHashedPassword(admin, admin.PasswordHash!, seeded.OneTimePassword).Should().NotBe(PasswordVerificationResult.Failed);
        var service = new AdminService(database.App);
        service.ActorFor(admin.Id).Should().Be(new Actor(admin.Id, Role.Admin));
        DemoSeed.SeedIfEmpty(database.App).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void Admins_manage_users_and_sites_and_tokens_act_for_their_site_only(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var w = new World(database);
        var manager = w.AdminService.CreateUser(w.Admin, "carla", Role.SiteDataManager, w.SiteA);
        manager.User.MustChangePassword.Should().BeTrue();
        w.AdminService.ActorFor(manager.User.Id).Should().Be(new Actor(manager.User.Id, Role.SiteDataManager, w.SiteA));
        FluentActions.Invoking(() => w.AdminService.CreateUser(w.Admin, "CARLA", Role.Analyst, null)).Should().Throw<ArgumentException>("user names are unique ignoring case");
        FluentActions.Invoking(() => w.AdminService.CreateUser(w.Admin, "dan", Role.SiteDataManager, null)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => w.AdminService.CreateUser(w.ManagerA, "eve", Role.Admin, null)).Should().Throw<RegistryForbiddenException>();
        FluentActions.Invoking(() => w.AdminService.CreateSite(w.ManagerA, "x", "X")).Should().Throw<RegistryForbiddenException>();
        w.AdminService.Users(w.Admin).Should().ContainSingle(u => u.UserName == "carla" && u.Role == Role.SiteDataManager);
        w.AdminService.Sites(w.Analyst).Should().HaveCount(2);

        var token = w.AdminService.IssueToken(w.ManagerA, w.SiteA, "lab system");
        FluentActions.Invoking(() => w.AdminService.IssueToken(w.ManagerA, w.SiteB, "x")).Should().Throw<RegistryForbiddenException>();
        var actor = w.AdminService.AuthenticateToken(token.Token)!;
        actor.Should().Be(new Actor($"token:{token.Id}", Role.SiteDataManager, w.SiteA));
        w.Count(db => db.ApiTokens.Where(t => t.Hash == token.Token)).Should().Be(0, "only the hash is stored");
        w.AdminService.AuthenticateToken(token.Token + "0").Should().BeNull();
        w.AdminService.RevokeToken(w.ManagerB, token.Id).Should().BeFalse("another site's token is not found");
        w.AdminService.RevokeToken(w.ManagerA, token.Id).Should().BeTrue();
        w.AdminService.AuthenticateToken(token.Token).Should().BeNull();
    }
}
