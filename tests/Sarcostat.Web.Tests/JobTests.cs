using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sarcostat.Registry.Services;
using Sarcostat.Web.Api;
using Sarcostat.Web.Infrastructure;

namespace Sarcostat.Web.Tests;

/// <summary>Long work in the background: the progress page, who may see a job, a failing job, the API's 202, progress steps.</summary>
public class JobTests(WebFixture fixture) : IClassFixture<WebFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static string UserId(WebWorld w, string role) =>
        w.Factory.Services.GetRequiredService<AdminService>().Users(new Actor("test-setup", Role.Admin)).Single(u => u.UserName == WebWorld.UserName(role)).Id;

    private static async Task<string> QueueRun(HttpClient client)
    {
        var token = await WebWorld.Antiforgery(client, "/Analyses");
        var r = await client.PostAsync("/Analyses", WebWorld.Form(("protocol", "chang2024"), ("__RequestVerificationToken", token)));
        r.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return r.Headers.Location!.ToString();
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_running_job_shows_its_stage_and_bar_a_waiting_one_its_place_and_only_the_owner_sees_either(string provider)
    {
        var w = fixture[provider];
        var runs = w.Factory.Services.GetRequiredService<ReportRuns>();
        using var reached = new SemaphoreSlim(0);
        using var gate = new SemaphoreSlim(0);
        var auditBefore = w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun));
        runs.AfterFile = f =>
        {
            if (f == "report.html")
            {
                reached.Release();
                gate.Wait(Patience);
            }
        };
        string first, second;
        try
        {
            var analyst = w.As("analyst");
            first = await QueueRun(analyst);
            first.Should().MatchRegex("^/Jobs/[0-9a-f]{32}$");
            (await reached.WaitAsync(Patience)).Should().BeTrue("the run reaches its first report file");
            var running = await analyst.GetStringAsync(first);
            JobPolling.StateOf(running).Should().Be("running");
            running.Should().Contain("Writing the report: HTML (file 1 of").And.Contain("http-equiv=\"refresh\" content=\"1\"");
            var of = int.Parse(Regex.Match(running, "<progress id=\"job-progress\" max=\"(\\d+)\" value=\"1\"").Groups[1].Value);
            of.Should().BeGreaterThan(10, "every file of the report is a step (HTML, Word, Excel, CSV, figures)");

            // While the worker is busy, the admin's run waits, and says where it is in the queue.
            var admin = w.As("admin");
            second = await QueueRun(admin);
            var waiting = await admin.GetStringAsync(second);
            JobPolling.StateOf(waiting).Should().Be("queued");
            waiting.Should().Contain("number 1 in the queue").And.Contain("<progress");

            // Nobody else sees a job: not the other users, not a site manager, not even an admin.
            (await w.As("managerA").GetAsync(first)).StatusCode.Should().Be(HttpStatusCode.NotFound, "an analyst's job is not a site manager's to see");
            (await admin.GetAsync(first)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await analyst.GetAsync(second)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await analyst.GetAsync("/Jobs/0123456789abcdef0123456789abcdef")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            using var anonymous = w.Anonymous();
            (await anonymous.GetAsync(first)).Headers.Location!.ToString().Should().Contain("/Account/Login");
            using var site = w.Api(w.TokenA);
            (await site.GetAsync("/api" + first.ToLowerInvariant())).StatusCode.Should().Be(HttpStatusCode.NotFound, "a token sees its own jobs only");
        }
        finally
        {
            runs.AfterFile = null;
            gate.Release();
        }

        JobPolling.StateOf(await JobPolling.UntilFinished(w.As("analyst"), first)).Should().Be("done");
        JobPolling.StateOf(await JobPolling.UntilFinished(w.As("admin"), second)).Should().Be("done");
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun)).Should().Be(auditBefore + 2, "one report-run row per run, written where the run is");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task A_run_that_fails_shows_a_safe_message_and_no_partial_run_is_kept_or_listed(string provider)
    {
        var w = fixture[provider];
        var runs = w.Factory.Services.GetRequiredService<ReportRuns>();
        var reports = w.Factory.Services.GetRequiredService<WebSettings>().ReportsFolder;
        var analystActor = new Actor(UserId(w, "analyst"), Role.Analyst);
        int Folders() => Directory.Exists(reports) ? Directory.GetDirectories(reports).Length : 0;
        var (foldersBefore, listedBefore) = (Folders(), runs.List(analystActor).Count);
        runs.AfterFile = f =>
        {
            if (f == "tables.xlsx")
            {
                throw new IOException("No space left on device: /srv/secret-place/CH-0001");
            }
        };
        string html;
        try
        {
            var analyst = w.As("analyst");
            html = await JobPolling.UntilFinished(analyst, await QueueRun(analyst));
        }
        finally
        {
            runs.AfterFile = null;
        }

        JobPolling.StateOf(html).Should().Be("failed");
        html.Should().Contain("OutputException", "the writer reports a failed file as its OutputException (an IOException)").And.Contain("nothing was kept");
        html.Should().NotContain("secret-place").And.NotContain("CH-0001", "the message names no path and no value");
        Folders().Should().Be(foldersBefore, "the half-written run's folder is removed");
        runs.List(analystActor).Should().HaveCount(listedBefore);
        (await w.As("analyst").GetStringAsync("/Analyses")).Should().NotContain("secret-place");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public void A_run_s_progress_is_monotonic_and_ends_at_n_of_n_with_one_step_per_report_file(string provider)
    {
        var w = fixture[provider];
        var runs = w.Factory.Services.GetRequiredService<ReportRuns>();
        var actor = new Actor(UserId(w, "analyst"), Role.Analyst);
        var seen = new List<WorkProgress>();
        var run = runs.Run(actor, "chang2024", new Recorder(seen.Add));

        seen.Take(3).Select(p => p.Stage).Should().Equal("Reading the pooled cohort", $"Deriving and selecting ({w.Count(db => db.Patients)} patients)", "Analysing (every table and figure of the protocol)");
        seen.Take(3).Should().OnlyContain(p => p.Of == 0, "how long the analyses take is not known beforehand");
        var counted = seen.Skip(3).ToList();
        var n = counted[^1].Of;
        counted.Should().OnlyContain(p => p.Of == n, "n does not change once known");
        counted.Select(p => p.Step).Should().Equal(Enumerable.Range(1, n), "one step per file, then one for the run's record");
        counted[^1].Should().Be(new WorkProgress("Done: the report is written", n, n));
        runs.Files(actor, run.Id).Should().HaveCount(n - 1, "each report file is a step");
        foreach (var format in new[] { "HTML", "Word", "Excel", "CSV", "figures" })
        {
            counted.Should().Contain(p => p.Stage.StartsWith($"Writing the report: {format} (file ", StringComparison.Ordinal), format);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task The_API_answers_202_with_the_job_s_address_and_the_job_reaches_done_with_the_run_s_files(string provider)
    {
        var w = fixture[provider];

        // An analyst token (the coordinator's own systems); a second analyst token is another caller.
        var admin = w.Factory.Services.GetRequiredService<AdminService>();
        var setup = new Actor("test-setup", Role.Admin);
        using var client = w.Api(admin.IssueAnalystToken(setup, "jobs " + provider).Token);

        (await client.PostAsync("/api/analyses?protocol=no-such-protocol", null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var audit = w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun));
        var r = await client.PostAsync("/api/analyses?protocol=chang2024", null);
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var location = r.Headers.Location!.ToString();
        location.Should().MatchRegex("^/api/jobs/[0-9a-f]{32}$");
        var queued = (await r.Content.ReadFromJsonAsync<JobJson>())!;
        queued.Kind.Should().Be("report-run");
        queued.State.Should().BeOneOf("queued", "running");
        location.Should().EndWith(queued.Id);

        var done = await JobPolling.UntilFinishedApi(client, location);
        done.State.Should().Be("done", done.Error);
        done.Step.Should().Be(done.Of);
        done.RunId.Should().MatchRegex("^[0-9a-f]{32}$");
        done.Files.Should().Contain("report.html").And.Contain("report.docx").And.Contain("tables.xlsx");
        var file = await client.GetAsync($"/api/analyses/{done.RunId}/files/report.html");
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        (await file.Content.ReadAsStringAsync()).Should().Contain("<html");
        w.Count(db => db.AuditEntries.Where(a => a.Action == AuditActions.ReportRun)).Should().Be(audit + 1);

        using var other = w.Api(admin.IssueAnalystToken(setup, "jobs other " + provider).Token);
        (await other.GetAsync(location)).StatusCode.Should().Be(HttpStatusCode.NotFound, "another caller's job is not found");
    }

    private sealed class Recorder(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }
}

/// <summary>The queue and its one worker, with fake jobs (no web host).</summary>
public class BackgroundWorkerTests
{
    private sealed class ScopeMarker;

    private static async Task<JobStatus> Until(BackgroundWork work, Actor owner, string id, Func<JobStatus, bool> condition)
    {
        for (var i = 0; i < 1000; i++)
        {
            var s = work.Get(owner, id)!;
            if (condition(s))
            {
                return s;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"job {id} never reached the state expected");
    }

    [Fact]
    public async Task Jobs_run_one_at_a_time_in_order_each_in_its_own_scope_with_progress_a_result_or_a_safe_error()
    {
        var services = new ServiceCollection().AddScoped<ScopeMarker>().BuildServiceProvider();
        var work = new BackgroundWork(TimeProvider.System, NullLogger<BackgroundWork>.Instance);
        using var worker = new BackgroundWorker(work, services.GetRequiredService<IServiceScopeFactory>());
        await worker.StartAsync(CancellationToken.None);
        var alice = new Actor("alice", Role.Analyst);
        var bob = new Actor("bob", Role.Analyst);
        using var step = new SemaphoreSlim(0);
        var markers = new List<object>();
        var seen = new List<(int Step, int Of)>();
        try
        {
            var first = work.Enqueue(alice, JobKind.ReportRun, "fake run", (sp, progress) =>
            {
                markers.Add(sp.GetRequiredService<ScopeMarker>());
                for (var k = 1; k <= 3; k++)
                {
                    step.Wait(TimeSpan.FromMinutes(1));
                    progress.Report(new WorkProgress($"step {k}", k, 3));
                }

                return "the result";
            })!;
            first.State.Should().Be(JobState.Queued);
            first.Id.Should().MatchRegex("^[0-9a-f]{32}$");
            var failing = work.Enqueue(bob, JobKind.Import, "fake import", (sp, _) =>
            {
                markers.Add(sp.GetRequiredService<ScopeMarker>());
                throw new InvalidOperationException("row of CH-0001 at /srv/secret");
            })!;
            var third = work.Enqueue(bob, JobKind.Import, "another", (sp, _) =>
            {
                markers.Add(sp.GetRequiredService<ScopeMarker>());
                return 3;
            })!;

            var running = await Until(work, alice, first.Id, s => s.State == JobState.Running);
            running.StartedAt.Should().NotBeNull();
            work.Get(bob, failing.Id)!.QueuePosition.Should().Be(1, "one job at a time: the others wait in order");
            work.Get(bob, third.Id)!.QueuePosition.Should().Be(2);
            work.Get(alice, failing.Id).Should().BeNull("only the owner sees a job");
            work.Get(bob, first.Id).Should().BeNull();
            for (var k = 1; k <= 3; k++)
            {
                step.Release();
                var s = await Until(work, alice, first.Id, s => s.Step == k || s.Finished);
                seen.Add((s.Step, s.Of));
                if (k < 3)
                {
                    s.State.Should().Be(JobState.Running);
                    s.Stage.Should().Be($"step {k}");
                    work.Get(bob, failing.Id)!.State.Should().Be(JobState.Queued, "nothing else runs meanwhile");
                }
            }

            var done = await Until(work, alice, first.Id, s => s.Finished);
            seen.Should().Equal((1, 3), (2, 3), (3, 3));
            done.State.Should().Be(JobState.Done);
            done.Result.Should().Be("the result");
            (done.Step, done.Of).Should().Be((3, 3));
            done.FinishedAt.Should().BeOnOrAfter(done.StartedAt!.Value);

            var failed = await Until(work, bob, failing.Id, s => s.Finished);
            failed.State.Should().Be(JobState.Failed);
            failed.Error.Should().Contain("InvalidOperationException").And.NotContain("CH-0001").And.NotContain("/srv/secret");
            (await Until(work, bob, third.Id, s => s.Finished)).Result.Should().Be(3, "the worker goes on after a failed job");
            markers.Should().HaveCount(3).And.OnlyHaveUniqueItems("each job has its own DI scope");
        }
        finally
        {
            step.Release(3);
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_user_s_unfinished_jobs_and_the_queue_are_bounded()
    {
        var work = new BackgroundWork(TimeProvider.System, NullLogger<BackgroundWork>.Instance);
        var alice = new Actor("alice", Role.Analyst);
        for (var i = 0; i < BackgroundWork.MaxUnfinishedPerUser; i++)
        {
            work.Enqueue(alice, JobKind.ReportRun, "run", (_, _) => null).Should().NotBeNull();
        }

        work.Enqueue(alice, JobKind.ReportRun, "one too many", (_, _) => null).Should().BeNull("no worker runs here, so alice's jobs are all unfinished");
        for (var i = 0; i < BackgroundWork.MaxQueued - BackgroundWork.MaxUnfinishedPerUser; i++)
        {
            work.Enqueue(new Actor("user" + i, Role.Analyst), JobKind.ReportRun, "run", (_, _) => null).Should().NotBeNull();
        }

        work.Enqueue(new Actor("late", Role.Analyst), JobKind.ReportRun, "run", (_, _) => null).Should().BeNull("the queue is full");
    }

    [Fact]
    public void Failure_messages_keep_the_services_safe_messages_and_drop_every_other()
    {
        BackgroundWork.SafeMessage(new RegistryForbiddenException("the Analyst role may not import")).Should().StartWith("Forbidden: the Analyst role may not import.");
        BackgroundWork.SafeMessage(new IOException("/data/reports/x: CH-0001")).Should().NotContain("CH-0001").And.Contain("IOException");
        BackgroundWork.SafeMessage(new ArgumentException("Smith, John")).Should().NotContain("Smith");
    }
}
