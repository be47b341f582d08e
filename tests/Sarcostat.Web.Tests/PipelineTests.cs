using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Tests;

/// <summary>The pipeline: anonymous access, headers, anti-forgery, sign-in, forced password change, lockout.</summary>
public class PipelineTests(WebFixture fixture) : IClassFixture<WebFixture>
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Anonymous_pages_redirect_to_the_sign_in_and_the_API_answers_401(string provider)
    {
        var w = fixture[provider];
        using var client = w.Anonymous();
        foreach (var page in new[] { "/Patients", $"/Patients/Edit?id={w.PatientA}", "/Import", "/Problems", "/Audit", "/Analyses", "/Admin/Users", "/Admin/Sites", "/Admin/Tokens" })
        {
            var r = await client.GetAsync(page);
            r.StatusCode.Should().Be(HttpStatusCode.Redirect, page);
            r.Headers.Location!.ToString().Should().Contain("/Account/Login", page);
        }

        (await client.GetAsync("/api/patients")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync($"/api/patients/{w.PatientA}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var bad = w.Api("sst_not-a-token");
        (await bad.GetAsync("/api/patients")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Every_response_carries_the_security_headers(string provider)
    {
        var w = fixture[provider];
        using var client = w.Anonymous();
        foreach (var path in new[] { "/Account/Login", "/Patients", "/api/patients", "/css/site.css" })
        {
            var r = await client.GetAsync(path);
            r.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'self'").And.Contain("frame-ancestors 'none'", path);
            r.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            r.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
        }

        var css = await client.GetAsync("/css/site.css");
        css.StatusCode.Should().Be(HttpStatusCode.OK);
        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_form_posted_without_the_anti_forgery_token_is_refused(string provider)
    {
        var w = fixture[provider];
        using var anonymous = w.Anonymous();
        (await anonymous.PostAsync("/Account/Login", WebWorld.Form(("UserName", "t-admin"), ("Password", "x")))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var admin = w.As("admin");
        var before = w.Count(db => db.Sites);
        (await admin.PostAsync("/Admin/Sites", WebWorld.Form(("code", "csrf-site"), ("name", "CSRF")))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        w.Count(db => db.Sites).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_new_user_must_change_the_one_time_password_before_anything_else(string provider)
    {
        var w = fixture[provider];
        var admin = w.Factory.Services.GetRequiredService<AdminService>();
        var created = admin.CreateUser(new Actor("test-setup", Role.Admin), "t-forced-" + provider, Role.Analyst, null);
        using var client = w.Anonymous();
        (await WebWorld.SignIn(client, created.User.UserName, created.OneTimePassword)).Headers.Location!.ToString().Should().Be("/Account/ChangePassword");
        var blocked = await client.GetAsync("/Patients");
        blocked.StatusCode.Should().Be(HttpStatusCode.Redirect);
        blocked.Headers.Location!.ToString().Should().Be("/Account/ChangePassword");
        (await WebWorld.ChangePassword(client, created.OneTimePassword, "short")).StatusCode.Should().Be(HttpStatusCode.OK, "a weak password is refused on the page");
        (await client.GetAsync("/Patients")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await WebWorld.ChangePassword(client, created.OneTimePassword, WebWorld.NewPassword)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.GetAsync("/Patients")).StatusCode.Should().Be(HttpStatusCode.OK);
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.PasswordChange && a.UserId == created.User.Id)).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one(string provider)
    {
        var w = fixture[provider];
        var admin = w.Factory.Services.GetRequiredService<AdminService>();
        var created = admin.CreateUser(new Actor("test-setup", Role.Admin), "t-lock-" + provider, Role.Analyst, null);
        using var client = w.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            (await WebWorld.SignIn(client, created.User.UserName, "Wrong-passw0rd!")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var locked = await WebWorld.SignIn(client, created.User.UserName, created.OneTimePassword);
        locked.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await locked.Content.ReadAsStringAsync()).Should().Contain("locked");
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.LoginFailed && a.UserId == created.User.Id)).Should().Be(6);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_upload_over_the_limit_is_refused_whole(string provider)
    {
        var w = fixture[provider];
        var before = (w.Count(db => db.Patients), w.Count(db => db.AuditEntries));
        using var a = w.Api(w.TokenA);
        using var content = new MultipartFormDataContent
        {
            { new ByteArrayContent(new byte[WebWorld.MaxUploadBytes + 1024]), "files", "patients.csv" },
        };
        (await a.PostAsync("/api/imports/preview", content)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (w.Count(db => db.Patients), w.Count(db => db.AuditEntries)).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_OpenAPI_document_describes_the_API(string provider)
    {
        var w = fixture[provider];
        using var client = w.Anonymous();
        var json = await client.GetStringAsync("/openapi/v1.json");
        json.Should().Contain("/api/patients").And.Contain("/api/imports").And.Contain("/api/patients/{id}/amendments").And.Contain("/api/analyses").And.Contain("/api/jobs/{id}");
    }
}

/// <summary>Each role's allowed and forbidden cases on the pages; a site-A manager never reaches site B's records.</summary>
public class RoleTests(WebFixture fixture) : IClassFixture<WebFixture>
{
    public static TheoryData<string, string, string, string, string, string> Pages => new()
    {
        // page, admin, managerA, managerB, analyst (expected status); {A} and {B} are a patient of each site
        { "/Patients", "200", "200", "200", "200", "" },
        { "/Patients/Edit?id={A}", "200", "200", "404", "200", "" },
        { "/Patients/Edit?id={B}", "200", "404", "200", "200", "" },
        { "/Patients/Edit", "200", "200", "200", "403", "" },
        { "/Import", "200", "200", "200", "403", "" },
        { "/Problems", "200", "200", "200", "403", "" },
        { "/Audit", "200", "200", "200", "403", "" },
        { "/Analyses", "200", "403", "403", "200", "" },
        { "/Admin/Users", "200", "403", "403", "403", "" },
        { "/Admin/Sites", "200", "403", "403", "403", "" },
        { "/Admin/Tokens", "200", "200", "200", "403", "" },
        { "/Jobs/0123456789abcdef0123456789abcdef", "404", "404", "404", "404", "" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Each_role_gets_its_status_on_each_page_on_SQLite(string page, string admin, string managerA, string managerB, string analyst, string unused)
    {
        _ = unused;
        await Check(Databases.Sqlite, page, admin, managerA, managerB, analyst);
        if (Databases.All.Count > 1)
        {
            await Check(Databases.Postgres, page, admin, managerA, managerB, analyst);
        }
    }

    private async Task Check(string provider, string page, params string[] expected)
    {
        var w = fixture[provider];
        var path = page.Replace("{A}", w.PatientA.ToString(), StringComparison.Ordinal).Replace("{B}", w.PatientB.ToString(), StringComparison.Ordinal);
        foreach (var (role, status) in WebWorld.Roles.Zip(expected))
        {
            var r = await w.As(role).GetAsync(path);
            ((int)r.StatusCode).ToString().Should().Be(status, $"{role} on {path} ({provider})");
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_analyst_sees_pseudonyms_and_no_identifying_field(string provider)
    {
        var w = fixture[provider];
        var html = await w.As("analyst").GetStringAsync($"/Patients/Edit?id={w.PatientA}");
        html.Should().NotContain("record_number").And.NotContain("name=\"name\"").And.NotContain("type=\"submit\">Save");
        html.Should().Contain("PS-");
        var list = await w.As("analyst").GetStringAsync("/Patients");
        list.Should().NotContain("CH-", "analysts see pseudonyms, not the sites' study ids");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_site_A_manager_cannot_save_amend_or_list_site_B_patients(string provider)
    {
        var w = fixture[provider];
        var client = w.As("managerA");
        var token = await WebWorld.Antiforgery(client, "/Patients/Edit");
        var before = w.Count(db => db.AuditEntries);
        var save = await client.PostAsync("/Patients/Edit", WebWorld.Form(("id", w.PatientB.ToString()), ("version", "1"), ("rows", "0"), ("f_study_id", "X-1"), ("__RequestVerificationToken", token)));
        save.StatusCode.Should().Be(HttpStatusCode.NotFound);
        token = await WebWorld.Antiforgery(client, "/Problems");
        var amend = await client.PostAsync("/Problems", WebWorld.Form(("patientId", w.PatientB.ToString()), ("version", "1"), ("kind", "exclude"), ("reason", "test"), ("__RequestVerificationToken", token)));
        amend.StatusCode.Should().Be(HttpStatusCode.NotFound);
        w.Count(db => db.AuditEntries).Should().Be(before, "nothing was written");
        var list = await client.GetStringAsync($"/Patients?site={w.SiteB}");
        list.Should().NotContain("demo-south");
        var audit = await client.GetStringAsync($"/Audit?site={w.SiteB}");
        audit.Should().NotContain($"<td>{w.SiteB}</td>");
        var registryIdB = w.Factory.Services.GetRequiredService<PatientService>().Get(new Actor("test-setup", Role.Admin), w.PatientB)!.RegistryId;
        var csv = await client.GetStringAsync($"/Audit?handler=Csv&record={registryIdB}");
        csv.Should().NotContain(registryIdB, "another site's audit rows are not in a manager's export");
        (await w.As("admin").GetStringAsync($"/Audit?handler=Csv&record={registryIdB}")).Should().Contain(registryIdB, "the check can fail: an admin's export has them");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Posts_for_another_site_or_beyond_the_role_are_403_and_write_nothing(string provider)
    {
        var w = fixture[provider];
        var before = (w.Count(db => db.ApiTokens), w.Count(db => db.AuditEntries), w.Count(db => db.Patients));
        var manager = w.As("managerA");
        var token = await WebWorld.Antiforgery(manager, "/Admin/Tokens");
        (await manager.PostAsync("/Admin/Tokens?handler=Issue", WebWorld.Form(("siteId", w.SiteB.ToString()), ("name", "x"), ("__RequestVerificationToken", token))))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(w.SiteB.ToString()), "Site" },
            { new ByteArrayContent("study_id\nX-1\n"u8.ToArray()), "files", "patients.csv" },
        };
        (await manager.PostAsync("/Import?handler=Preview", upload)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await manager.PostAsync("/Admin/Users", WebWorld.Form(("userName", "intruder"), ("role", "Admin"), ("__RequestVerificationToken", token))))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var analyst = w.As("analyst");
        var analystToken = await WebWorld.Antiforgery(analyst, "/Patients");
        (await analyst.PostAsync("/Patients/Edit", WebWorld.Form(("id", w.PatientA.ToString()), ("version", "1"), ("rows", "0"), ("f_study_id", "X"), ("__RequestVerificationToken", analystToken))))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await analyst.PostAsync("/Problems", WebWorld.Form(("patientId", w.PatientA.ToString()), ("version", "1"), ("kind", "exclude"), ("reason", "x"), ("__RequestVerificationToken", analystToken))))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (w.Count(db => db.ApiTokens), w.Count(db => db.AuditEntries), w.Count(db => db.Patients)).Should().Be(before);

        // A manager's new patient goes to their own site, whatever site is posted.
        var system = new Actor("test-setup", Role.Admin);
        var model = w.Factory.Services.GetRequiredService<PatientService>().Get(system, w.PatientB)!;
        var fields = PatientForm.Fields(model.Data.Patient).Select(f => ("f_" + f.Key, f.Value)).ToList();
        var procs = PatientForm.Procedures(model.Data.Patient);
        fields.RemoveAll(f => f.Item1 == "f_study_id");
        fields.Add(("f_study_id", "NEW-" + provider));
        fields.AddRange(procs.SelectMany((p, i) => p.Select(f => ($"p{i}_{f.Key}", f.Value))));
        fields.AddRange([("siteId", w.SiteB.ToString()), ("rows", procs.Count.ToString()), ("__RequestVerificationToken", token)]);
        var created = await manager.PostAsync("/Patients/Edit", WebWorld.Form([.. fields]));
        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var id = long.Parse(created.Headers.Location!.ToString().Split("id=")[1].Split('&')[0]);
        w.Factory.Services.GetRequiredService<PatientService>().Get(system, id)!.SiteId.Should().Be(w.SiteA);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_API_acts_for_the_token_s_site_only(string provider)
    {
        var w = fixture[provider];
        using var a = w.Api(w.TokenA);
        var list = await a.GetFromJsonAsync<List<PatientSummary>>("/api/patients");
        list.Should().NotBeEmpty().And.OnlyContain(p => p.SiteId == w.SiteA);
        (await a.GetAsync($"/api/patients/{w.PatientA}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await a.GetAsync($"/api/patients/{w.PatientB}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await a.PutAsJsonAsync($"/api/patients/{w.PatientB}", new { version = 1, fields = new Dictionary<string, string> { ["study_id"] = "X" } })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await a.PostAsJsonAsync($"/api/patients/{w.PatientB}/amendments", new { version = 1, kind = "exclude", reason = "test" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var amendments = await a.GetFromJsonAsync<List<AmendmentView>>("/api/amendments");
        amendments.Should().NotContain(x => x.PatientId == w.PatientB);
        (await a.PostAsync("/api/analyses?protocol=chang2024", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a site token may not run the pooled cohort");
        (await a.GetAsync("/api/analyses/0123456789abcdef0123456789abcdef/files/report.html")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        // A signed-in user's cookie is not an API credential (the API takes tokens only).
        (await w.As("admin").GetAsync("/api/patients")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

/// <summary>Editing, conflicts, imports, amendments, reports and the audit trail through the pages and the API.</summary>
public class WorkflowTests(WebFixture fixture) : IClassFixture<WebFixture>
{
    private static (string Key, string? Value)[] FormOf(PatientDetails d, string token, params (string Key, string Value)[] changes)
    {
        var fields = PatientForm.Fields(d.Data.Patient).Select(f => ("f_" + f.Key, f.Value)).ToList();
        var procs = PatientForm.Procedures(d.Data.Patient);
        var rows = procs.SelectMany((p, i) => p.Select(f => ($"p{i}_{f.Key}", f.Value))).ToList();
        var all = new List<(string, string?)> { ("id", d.Id.ToString()), ("version", d.Version.ToString()), ("rows", procs.Count.ToString()), ("name", d.Data.Name), ("record_number", d.Data.RecordNumber), ("__RequestVerificationToken", token) };
        all.AddRange(fields);
        all.AddRange(rows);
        foreach (var (k, v) in changes)
        {
            all.RemoveAll(x => x.Item1 == k);
            all.Add((k, v));
        }

        return [.. all];
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_edit_is_saved_and_audited_and_a_stale_save_shows_the_conflict_page(string provider)
    {
        var w = fixture[provider];
        var patients = w.Factory.Services.GetRequiredService<PatientService>();
        var system = new Actor("test-setup", Role.Admin);
        var d = patients.Get(system, w.PatientA)!;
        var client = w.As("managerA");
        var token = await WebWorld.Antiforgery(client, $"/Patients/Edit?id={d.Id}");
        var saved = await client.PostAsync("/Patients/Edit", WebWorld.Form(FormOf(d, token, ("f_ecog", d.Data.Patient.Ecog == 1 ? "2" : "1"))));
        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.Update && a.Field == "ecog" && a.RecordId == d.RegistryId)).Should().Be(1);
        (await client.GetStringAsync($"/Audit?record={d.RegistryId}")).Should().Contain("ecog");

        // The page still holds version d.Version; someone else saved meanwhile.
        var stale = await client.PostAsync("/Patients/Edit", WebWorld.Form(FormOf(d, token, ("f_ecog", "0"))));
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var html = await stale.Content.ReadAsStringAsync();
        html.Should().Contain("Not saved: someone else changed this record").And.Contain("Your version (not saved)");
        patients.Get(system, w.PatientA)!.Data.Patient.Ecog.Should().NotBe(0, "the stale save wrote nothing");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_form_with_bad_values_shows_every_problem_inline_and_writes_nothing(string provider)
    {
        var w = fixture[provider];
        var system = new Actor("test-setup", Role.Admin);
        var d = w.Factory.Services.GetRequiredService<PatientService>().Get(system, w.PatientA)!;
        var client = w.As("admin");
        var token = await WebWorld.Antiforgery(client, $"/Patients/Edit?id={d.Id}");
        var before = w.Count(db => db.AuditEntries);
        var r = await client.PostAsync("/Patients/Edit", WebWorld.Form(FormOf(d, token, ("f_last_contact_date", "31/02/2020"), ("f_ecog", "9"))));
        r.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var html = await r.Content.ReadAsStringAsync();
        html.Should().Contain("not-a-date");
        w.Count(db => db.AuditEntries).Should().Be(before);
        var r2 = await client.PostAsync("/Patients/Edit", WebWorld.Form(FormOf(d, token, ("f_ecog", "9"))));
        r2.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await r2.Content.ReadAsStringAsync()).Should().Contain("out-of-range", "the service's rule (the CLI's), not the web's");
        w.Count(db => db.AuditEntries).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_failed_import_leaves_the_store_unchanged(string provider)
    {
        var w = fixture[provider];
        var (patients, procedures) = SampleFiles();
        var lines = patients.Split('\n').ToList();
        var header = lines[0].Split(',');
        var col = Array.IndexOf(header, "last_contact_date");
        var cells = lines[1].Split(',');
        cells[col] = "not a date";
        lines[1] = string.Join(',', cells);
        var before = (w.Count(db => db.Patients), w.Count(db => db.AuditEntries), w.Count(db => db.ImportBatches));
        using var a = w.Api(w.TokenA);
        using var content = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join('\n', lines))), "files", "patients.csv" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(procedures)), "files", "procedures.csv" },
        };
        var r = await a.PostAsync("/api/imports", content);
        r.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await r.Content.ReadAsStringAsync()).Should().Contain("not-a-date");
        (w.Count(db => db.Patients), w.Count(db => db.AuditEntries), w.Count(db => db.ImportBatches)).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_import_page_previews_then_commits(string provider)
    {
        var w = fixture[provider];
        var (patients, procedures) = SampleFiles();
        var client = w.As("managerB");
        var token = await WebWorld.Antiforgery(client, "/Import");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(w.SiteB.ToString()), "Site" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(patients)), "files", "patients.csv" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(procedures)), "files", "procedures.csv" },
        };
        var before = w.Count(db => db.ImportBatches);
        var preview = await client.PostAsync("/Import?handler=Preview", content);
        preview.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await preview.Content.ReadAsStringAsync();
        html.Should().Contain("Preview");
        w.Count(db => db.ImportBatches).Should().Be(before, "a preview writes nothing");
        var id = System.Text.RegularExpressions.Regex.Match(html, "name=\"uploadId\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        id.Should().NotBeEmpty();
        var commitToken = System.Text.RegularExpressions.Regex.Matches(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")[0].Groups[1].Value;

        // Another user cannot commit this upload.
        var other = w.As("admin");
        var otherToken = await WebWorld.Antiforgery(other, "/Import");
        (await (await other.PostAsync("/Import?handler=Commit", WebWorld.Form(("uploadId", id), ("__RequestVerificationToken", otherToken)))).Content.ReadAsStringAsync())
            .Should().Contain("no longer held");
        var imports = w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.Import));
        var store = w.Factory.Services.GetRequiredService<PatientService>();
        var system = new Actor("test-setup", Role.Admin);
        var atB = patients.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).Where(i => store.Find(system, w.SiteB, i) != null).ToHashSet();
        var commit = await client.PostAsync("/Import?handler=Commit", WebWorld.Form(("uploadId", id), ("Site", w.SiteB.ToString()), ("__RequestVerificationToken", commitToken)));
        commit.StatusCode.Should().Be(HttpStatusCode.Redirect, "the commit is queued and the browser sent to its progress page");
        var job = commit.Headers.Location!.ToString();
        var done = await JobPolling.UntilFinished(client, job);
        JobPolling.StateOf(done).Should().Be("done");
        done.Should().Contain("Imported (batch");
        w.Count(db => db.ImportBatches).Should().Be(before + 1);
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.Import)).Should().Be(imports + 1, "one import row per committed import");
        var ids = patients.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        ids.Should().Contain(i => !atB.Contains(i), "the check can fail: some of the file's patients were not at site B before");
        ids.Should().OnlyContain(i => store.Find(system, w.SiteB, i) != null, "the store has every imported patient once the job is done");
        (await w.As("admin").GetAsync(job)).StatusCode.Should().Be(HttpStatusCode.NotFound, "only the job's owner sees it");
        var again = await client.PostAsync("/Import?handler=Commit", WebWorld.Form(("uploadId", id), ("Site", w.SiteB.ToString()), ("__RequestVerificationToken", commitToken)));
        (await again.Content.ReadAsStringAsync()).Should().Contain("no longer held", "a committed upload cannot be queued twice");
        w.Count(db => db.ImportBatches).Should().Be(before + 1);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_amendment_on_the_problems_page_is_recorded_and_audited(string provider)
    {
        var w = fixture[provider];
        var system = new Actor("test-setup", Role.Admin);
        var patients = w.Factory.Services.GetRequiredService<PatientService>();
        var target = patients.List(system, new PatientFilter(w.SiteA, Take: 5))[2];
        var client = w.As("managerA");
        var token = await WebWorld.Antiforgery(client, "/Patients");
        token.Should().NotBeEmpty();
        token = await WebWorld.Antiforgery(client, "/Problems");
        if (token.Length == 0)
        {
            // No record of the site has warnings: any page's token serves the same form post.
            token = await WebWorld.Antiforgery(client, "/Import");
        }

        var r = await client.PostAsync("/Problems", WebWorld.Form(("patientId", target.Id.ToString()), ("version", target.Version.ToString()), ("kind", "exclude"), ("reason", "consent withdrawn (test)"), ("__RequestVerificationToken", token)));
        r.StatusCode.Should().Be(HttpStatusCode.OK);
        (await r.Content.ReadAsStringAsync()).Should().Contain("Amended");
        patients.Get(system, target.Id)!.Excluded.Should().BeTrue();
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.Amend && a.RecordId == target.RegistryId)).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task An_analyst_runs_a_protocol_views_and_downloads_the_report_and_a_manager_cannot(string provider)
    {
        var w = fixture[provider];
        var client = w.As("analyst");
        var token = await WebWorld.Antiforgery(client, "/Analyses");
        var runsBefore = w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun));
        var run = await client.PostAsync("/Analyses", WebWorld.Form(("protocol", "chang2024"), ("__RequestVerificationToken", token)));
        run.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var done = await JobPolling.UntilFinished(client, run.Headers.Location!.ToString());
        JobPolling.StateOf(done).Should().Be("done");
        var page = System.Text.RegularExpressions.Regex.Match(done, "id=\"job-result\" href=\"(/Analyses/Run\\?id=[0-9a-f]{32})\"").Groups[1].Value;
        page.Should().NotBeEmpty("the finished job links to its report");
        var id = page[(page.IndexOf("id=", StringComparison.Ordinal) + 3)..];
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun)).Should().Be(runsBefore + 1, "one report-run row per run");
        var html = await client.GetStringAsync(page);
        html.Should().Contain("report.docx").And.Contain("report.html").And.Contain("Selection flow");
        var view = await client.GetAsync($"/Analyses/Run?handler=File&id={id}&path=report.html&view=true");
        view.StatusCode.Should().Be(HttpStatusCode.OK);
        view.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("sandbox");
        (await view.Content.ReadAsStringAsync()).Should().Contain("<html");
        var docx = await client.GetAsync($"/Analyses/Run?handler=File&id={id}&path=report.docx");
        docx.StatusCode.Should().Be(HttpStatusCode.OK);
        docx.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        (await docx.Content.ReadAsByteArrayAsync()).Take(2).Should().Equal((byte)'P', (byte)'K');
        (await client.GetAsync($"/Analyses/Run?handler=File&id={id}&path=../run.json")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await w.As("managerA").GetAsync($"/Analyses/Run?handler=File&id={id}&path=report.html")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await w.As("managerA").GetAsync($"/Analyses/Run?id={id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.Export && a.Detail!.Contains(id))).Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_audit_CSV_export_is_audited_and_holds_no_identifying_values(string provider)
    {
        var w = fixture[provider];
        var client = w.As("admin");
        var r = await client.GetAsync("/Audit?handler=Csv");
        r.StatusCode.Should().Be(HttpStatusCode.OK);
        var csv = await r.Content.ReadAsStringAsync();
        csv.Should().StartWith("id,time_utc,user_id");
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.Export && a.Detail!.StartsWith("audit trail CSV"))).Should().BeGreaterThan(0);
        (await w.As("analyst").GetAsync("/Audit?handler=Csv")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_API_creates_updates_and_reports_conflicts_and_problems(string provider)
    {
        var w = fixture[provider];
        using var a = w.Api(w.TokenA);
        var current = (await a.GetFromJsonAsync<Sarcostat.Web.Api.PatientJson>($"/api/patients/{w.PatientA}"))!;
        var fields = new Dictionary<string, string?>(current.Fields) { ["study_id"] = "API-" + provider };
        var created = await a.PostAsJsonAsync("/api/patients", new { fields, procedures = current.Procedures });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var made = (await created.Content.ReadFromJsonAsync<Sarcostat.Web.Api.PatientJson>())!;
        made.SiteId.Should().Be(w.SiteA);
        var again = await a.PostAsJsonAsync("/api/patients", new { fields, procedures = current.Procedures });
        again.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await again.Content.ReadAsStringAsync()).Should().Contain("duplicate-key");
        var update = await a.PutAsJsonAsync($"/api/patients/{made.Id}", new { version = made.Version, fields = new Dictionary<string, string?>(made.Fields) { ["ecog"] = "0" }, procedures = made.Procedures });
        update.StatusCode.Should().Be(HttpStatusCode.OK);
        var stale = await a.PutAsJsonAsync($"/api/patients/{made.Id}", new { version = made.Version, fields = new Dictionary<string, string?>(made.Fields) { ["ecog"] = "1" }, procedures = made.Procedures });
        stale.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    private static (string Patients, string Procedures) SampleFiles()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sarcostat.slnx")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir!.FullName, "samples", "chang2024");
        return (File.ReadAllText(Path.Combine(folder, "patients.csv")).ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(folder, "procedures.csv")).ReplaceLineEndings("\n"));
    }
}
