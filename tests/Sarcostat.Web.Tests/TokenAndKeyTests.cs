using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Api;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Tests;

/// <summary>
/// API tokens with a role (a site token acts as its site's data manager, an analyst token as an analyst) on every API
/// route and on the token page; data-protection keys in the database, shared by two instances of the app.
/// </summary>
public class TokenAndKeyTests(WebFixture fixture) : IClassFixture<WebFixture>
{
    private static readonly Actor Setup = new("test-setup", Role.Admin);

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_analyst_token_reads_pseudonymised_runs_analyses_and_is_refused_every_write(string provider)
    {
        var w = fixture[provider];
        var admin = w.Factory.Services.GetRequiredService<AdminService>();
        var analystToken = admin.IssueAnalystToken(Setup, "stats " + provider);
        using var site = w.Api(w.TokenA);
        using var analyst = w.Api(analystToken.Token);
        var bodies = new List<(string Route, string Body)>();

        // A patient of site A with identifiers (name, record number, the site's study id, birth date) and an amendment.
        var current = (await site.GetFromJsonAsync<PatientJson>($"/api/patients/{w.PatientA}"))!;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var studyId = "IDT-" + suffix;
        var name = "Zelda Identifiable " + suffix;
        var recordNumber = "MRN-" + suffix;
        var fields = new Dictionary<string, string?>(current.Fields) { ["study_id"] = studyId };
        var created = await site.PostAsJsonAsync("/api/patients", new { fields, procedures = current.Procedures, name, recordNumber });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var made = (await created.Content.ReadFromJsonAsync<PatientJson>())!;
        made.Name.Should().Be(name, "the site's own token sees its identifiers (control)");
        var birth = made.Fields.GetValueOrDefault("birth_date");
        var amended = await site.PostAsJsonAsync($"/api/patients/{made.Id}/amendments", new { version = made.Version, kind = "set", field = "ecog", value = "1", reason = "checked the chart" });
        amended.StatusCode.Should().Be(HttpStatusCode.OK);
        var version = (await amended.Content.ReadFromJsonAsync<PatientJson>())!.Version;

        // Reads: every site's patients, pseudonymised.
        var listResponse = await analyst.GetAsync("/api/patients?take=1000");
        listResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        bodies.Add(("GET /api/patients", await listResponse.Content.ReadAsStringAsync()));
        var list = (await listResponse.Content.ReadFromJsonAsync<List<PatientSummary>>())!;
        list.Select(p => p.SiteId).Distinct().Should().Contain([w.SiteA, w.SiteB], "an analyst reads the pooled cohort of every site");
        list.Should().OnlyContain(p => p.StudyId == null, "the site's study ids are not shown to analysts");
        list.Should().Contain(p => p.Id == made.Id && p.Pseudonym == made.Pseudonym);
        var searched = await analyst.GetAsync("/api/patients?search=" + studyId);
        bodies.Add(("GET /api/patients?search", await searched.Content.ReadAsStringAsync()));
        (await searched.Content.ReadFromJsonAsync<List<PatientSummary>>()).Should().BeEmpty("an analyst cannot find a patient by the site's study id");

        var one = await analyst.GetAsync($"/api/patients/{made.Id}");
        one.StatusCode.Should().Be(HttpStatusCode.OK);
        var oneBody = await one.Content.ReadAsStringAsync();
        bodies.Add(("GET /api/patients/{id}", oneBody));
        var seen = (await one.Content.ReadFromJsonAsync<PatientJson>())!;
        seen.Name.Should().BeNull();
        seen.RecordNumber.Should().BeNull();
        seen.Fields["study_id"].Should().Be(made.Pseudonym);
        seen.Fields.GetValueOrDefault("birth_date").Should().BeNull();
        if (birth is not null)
        {
            oneBody.Should().NotContain(birth, "the birth date is identifying");
        }

        var amendmentsResponse = await analyst.GetAsync($"/api/amendments?patientId={made.Id}");
        amendmentsResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        bodies.Add(("GET /api/amendments", await amendmentsResponse.Content.ReadAsStringAsync()));
        (await amendmentsResponse.Content.ReadFromJsonAsync<List<AmendmentView>>()).Should().ContainSingle().Which.StudyId.Should().Be(made.Pseudonym);

        // Writes: refused by the services (403), nothing written.
        var before = (w.Count(db => db.Patients), w.Count(db => db.Amendments), w.Count(db => db.ImportBatches));
        var attempt = new Dictionary<string, string?>(current.Fields) { ["study_id"] = "IDT-new-" + suffix };
        var writes = new List<(string Route, HttpResponseMessage Response)>
        {
            ("POST /api/patients", await analyst.PostAsJsonAsync("/api/patients", new { fields = attempt, procedures = current.Procedures })),
            ("PUT /api/patients/{id}", await analyst.PutAsJsonAsync($"/api/patients/{made.Id}", new { version, fields = new Dictionary<string, string?>(made.Fields) { ["ecog"] = "0" }, procedures = made.Procedures })),
            ("POST /api/patients/{id}/amendments", await analyst.PostAsJsonAsync($"/api/patients/{made.Id}/amendments", new { version, kind = "exclude", reason = "analyst" })),
            ("POST /api/imports/preview", await analyst.PostAsync("/api/imports/preview", Upload())),
            ("POST /api/imports", await analyst.PostAsync("/api/imports", Upload())),
            ("POST /api/patients (invalid)", await analyst.PostAsJsonAsync("/api/patients", new { fields = new Dictionary<string, string?> { ["ecog"] = "seven" } })),
            ("PUT /api/patients/{id} (no version)", await analyst.PutAsJsonAsync($"/api/patients/{made.Id}", new { fields = made.Fields })),
            ("POST /api/imports/preview (no file)", await analyst.PostAsync("/api/imports/preview", new StringContent("x"))),
        };
        foreach (var (route, response) in writes)
        {
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, route);
            bodies.Add((route, await response.Content.ReadAsStringAsync()));
        }

        (w.Count(db => db.Patients), w.Count(db => db.Amendments), w.Count(db => db.ImportBatches)).Should().Be(before);
        w.Factory.Services.GetRequiredService<PatientService>().Get(Setup, made.Id)!.Version.Should().Be(version, "the refused update changed nothing");

        // Analyses: allowed; the run is queued (202) and its job, polled at its Location, ends done with the run's id.
        var run = await analyst.PostAsync("/api/analyses?protocol=chang2024", null);
        run.StatusCode.Should().Be(HttpStatusCode.Accepted, "an analyst token may run a protocol");
        bodies.Add(("POST /api/analyses", await run.Content.ReadAsStringAsync()));
        var job = await JobPolling.UntilFinishedApi(analyst, run.Headers.Location!.ToString());
        job.State.Should().Be("done", job.Error);
        var id = job.RunId!;
        var file = await analyst.GetAsync($"/api/analyses/{id}/files/report.html");
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        bodies.Add(("GET /api/analyses/{id}/files/report.html", await file.Content.ReadAsStringAsync()));
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun && a.UserId == $"token:{analystToken.Id}")).Should().Be(1);

        // A site token still may not touch the pooled cohort's runs.
        (await site.PostAsync("/api/analyses?protocol=chang2024", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await site.GetAsync($"/api/analyses/{id}/files/report.html")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        foreach (var (route, body) in bodies)
        {
            body.Should().NotContain(name, route).And.NotContain(recordNumber, route).And.NotContain(studyId, route);
        }

        // Revoked: authenticates nobody.
        admin.RevokeToken(Setup, analystToken.Id).Should().BeTrue();
        (await analyst.GetAsync("/api/patients")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_token_page_issues_site_and_analyst_tokens_and_only_admins_issue_analyst_tokens(string provider)
    {
        var w = fixture[provider];
        var admin = w.As("admin");
        var page = await admin.GetStringAsync("/Admin/Tokens");
        page.Should().Contain("Issue an analyst token").And.Contain("Issue a site token");

        var label = "page analyst " + provider;
        var issued = await Issue(admin, ("kind", "analyst"), ("name", label));
        issued.StatusCode.Should().Be(HttpStatusCode.OK);
        var secret = Secret(await issued.Content.ReadAsStringAsync());
        using (var db = w.Store.CreateContext())
        {
            var row = db.ApiTokens.Single(t => t.Name == label);
            row.Role.Should().Be(Role.Analyst);
            row.SiteId.Should().BeNull();
        }

        using (var api = w.Api(secret))
        {
            (await api.GetAsync("/api/patients")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await api.PostAsync("/api/imports/preview", Upload())).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        var siteLabel = "page site " + provider;
        var siteIssued = await Issue(admin, ("kind", "site"), ("siteId", w.SiteB.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("name", siteLabel));
        siteIssued.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var api = w.Api(Secret(await siteIssued.Content.ReadAsStringAsync())))
        {
            (await api.GetFromJsonAsync<List<PatientSummary>>("/api/patients")).Should().NotBeEmpty().And.OnlyContain(p => p.SiteId == w.SiteB);
        }

        var listed = await admin.GetStringAsync("/Admin/Tokens");
        Row(listed, label).Should().Contain("<td>analyst</td>").And.Contain("active");
        Row(listed, siteLabel).Should().Contain("<td>site data manager</td>").And.Contain("<td>demo-south</td>");
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.TokenIssue && a.Detail == "analyst token " + label)).Should().Be(1);
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.TokenIssue && a.Detail == "site token " + siteLabel)).Should().Be(1);

        // A site data manager: site tokens of their own site only, no analyst token (403, nothing written).
        var manager = w.As("managerA");
        var managerPage = await manager.GetStringAsync("/Admin/Tokens");
        managerPage.Should().NotContain("Issue an analyst token").And.NotContain(label, "a manager does not see the analyst tokens");
        var before = (w.Count(db => db.ApiTokens), w.Count(db => db.AuditEntries));
        (await Issue(manager, ("kind", "analyst"), ("name", "sneaky"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (w.Count(db => db.ApiTokens), w.Count(db => db.AuditEntries)).Should().Be(before);
        var own = await Issue(manager, ("kind", "site"), ("siteId", w.SiteA.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("name", "manager " + provider));
        own.StatusCode.Should().Be(HttpStatusCode.OK);
        Secret(await own.Content.ReadAsStringAsync()).Should().StartWith("sst_");

        // An analyst user has no token page at all.
        (await w.As("analyst").GetAsync("/Admin/Tokens")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // Revoking through the page, audited; the token stops working.
        int id;
        using (var db = w.Store.CreateContext())
        {
            id = db.ApiTokens.Single(t => t.Name == label).Id;
        }

        var revoke = await admin.PostAsync("/Admin/Tokens?handler=Revoke", WebWorld.Form(("tokenId", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("__RequestVerificationToken", await WebWorld.Antiforgery(admin, "/Admin/Tokens"))));
        revoke.StatusCode.Should().Be(HttpStatusCode.OK);
        Row(await admin.GetStringAsync("/Admin/Tokens"), label).Should().Contain("revoked");
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.TokenRevoke && a.Detail == "analyst token " + label)).Should().Be(1);
        using (var api = w.Api(secret))
        {
            (await api.GetAsync("/api/patients")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Two_instances_on_one_database_accept_each_other_s_cookies_and_forms_and_another_database_does_not(string provider)
    {
        var w = fixture[provider];
        var one = w.Factory;
        var folder = Directory.CreateTempSubdirectory("sarcostat-web-second-").FullName;
        try
        {
            using var two = Host(w.Store.ConnectionString, Path.Combine(folder, "two"));
            _ = two.Server;
            w.Count(db => db.DataProtectionKeys).Should().BeGreaterThan(0, "the keys are in the database");
            Keys(two).Should().BeEquivalentTo(Keys(one), "both instances read one key ring");

            var user = "t-two-hosts-" + provider;
            var password = w.Factory.Services.GetRequiredService<AdminService>().CreateUser(Setup, user, Role.Analyst, null).OneTimePassword;
            var cookies = new CookieContainer();
            using var c1 = one.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
            using var c2 = two.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));

            // Signed in on instance 1; instance 2 knows the session.
            var signIn = await WebWorld.SignIn(c1, user, password);
            signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
            signIn.Headers.Location!.ToString().Should().Be("/Account/ChangePassword");
            (await c2.GetAsync("/Account/ChangePassword")).StatusCode.Should().Be(HttpStatusCode.OK, "instance 2 accepts instance 1's cookie");

            // A form rendered by instance 1 (its anti-forgery cookie and field) is accepted when posted to instance 2.
            var form = await WebWorld.Antiforgery(c1, "/Account/ChangePassword");
            form.Should().NotBeNullOrEmpty();
            var changed = await c2.PostAsync("/Account/ChangePassword", WebWorld.Form(("Current", password), ("New", WebWorld.NewPassword), ("Confirm", WebWorld.NewPassword), ("__RequestVerificationToken", form)));
            changed.StatusCode.Should().Be(HttpStatusCode.Redirect, "instance 2 validates instance 1's anti-forgery token");
            using (var db = w.Store.CreateContext())
            {
                db.Users.Single(u => u.UserName == user).MustChangePassword.Should().BeFalse();
            }

            // The cookie instance 2 renewed works on instance 1.
            (await c1.GetAsync("/Patients")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await c2.GetAsync("/Patients")).StatusCode.Should().Be(HttpStatusCode.OK);

            // Control: an instance on another database has other keys, so the same cookie and form are worthless there.
            using var other = Host(null, Path.Combine(folder, "other"));
            using var c3 = other.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
            var elsewhere = await c3.GetAsync("/Patients");
            elsewhere.StatusCode.Should().Be(HttpStatusCode.Redirect, "another key ring cannot read the cookie");
            elsewhere.Headers.Location!.ToString().Should().Contain("/Account/Login");
            var forged = await c3.PostAsync("/Account/Login", WebWorld.Form(("UserName", user), ("Password", WebWorld.NewPassword), ("__RequestVerificationToken", await WebWorld.Antiforgery(c1, "/Account/ChangePassword"))));
            forged.StatusCode.Should().Be(HttpStatusCode.BadRequest, "another key ring cannot read the anti-forgery token");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a host shutting down: left to the system.
            }
        }
    }

    /// <summary>Another instance of the app: on <paramref name="connection"/>, or on its own new SQLite file when null.</summary>
    private static WebApplicationFactory<Program> Host(string? connection, string dataFolder) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Registry", connection ?? string.Empty);
            b.UseSetting("Sarcostat:DataFolder", dataFolder);
            b.UseSetting("Sarcostat:MaxUploadBytes", WebWorld.MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseEnvironment("Production");
        });

    private static HashSet<Guid> Keys(WebApplicationFactory<Program> host) =>
        host.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).ToHashSet();

    private static async Task<HttpResponseMessage> Issue(HttpClient client, params (string Key, string? Value)[] fields)
    {
        var token = await WebWorld.Antiforgery(client, "/Admin/Tokens");
        return await client.PostAsync("/Admin/Tokens?handler=Issue", WebWorld.Form([.. fields, ("__RequestVerificationToken", token)]));
    }

    private static string Secret(string html)
    {
        var m = Regex.Match(html, "<span class=\"secret\">(sst_[0-9a-f]+)</span>");
        m.Success.Should().BeTrue("the issued token is shown once");
        return m.Groups[1].Value;
    }

    /// <summary>The token list's row with <paramref name="label"/>.</summary>
    private static string Row(string html, string label) =>
        Regex.Matches(html, "<tr>.*?</tr>", RegexOptions.Singleline).Select(m => m.Value).Single(r => r.Contains("<td>" + label + "</td>", StringComparison.Ordinal));

    private static MultipartFormDataContent Upload() => new()
    {
        { new ByteArrayContent(Encoding.UTF8.GetBytes("study_id,site\nX-1,demo-north\n")), "files", "patients.csv" },
    };
}
