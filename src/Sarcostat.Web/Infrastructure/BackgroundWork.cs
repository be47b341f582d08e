using System.Globalization;
using System.Threading.Channels;
using Sarcostat.Registry.Services;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Web.Infrastructure;

/// <summary>What a background job does.</summary>
public enum JobKind
{
    /// <summary>A protocol run on the pooled cohort (<see cref="ReportRuns.Run"/>).</summary>
    ReportRun,

    /// <summary>An import's commit (<see cref="ImportService.Commit"/>).</summary>
    Import,
}

/// <summary>Where a background job is.</summary>
public enum JobState
{
    /// <summary>Waiting for the worker (one job runs at a time).</summary>
    Queued,

    /// <summary>Running now.</summary>
    Running,

    /// <summary>Finished; its result is in <see cref="JobStatus.Result"/>.</summary>
    Done,

    /// <summary>Stopped by an error; <see cref="JobStatus.Error"/> says why, without patient data.</summary>
    Failed,
}

/// <summary>
/// The work of a job: runs on the worker's thread in its own DI scope (<paramref name="services"/>), tells
/// <paramref name="progress"/> how far it has come, and returns its result (a <see cref="ReportRun"/>, an
/// <see cref="ImportOutcome"/>). It calls the services with the actor captured when it was queued, so the services
/// check authorisation again when it runs.
/// </summary>
public delegate object? JobWork(IServiceProvider services, IProgress<WorkProgress> progress);

/// <summary>A job as its owner is shown it (a snapshot).</summary>
/// <param name="Id">Random, 32 hex digits.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Title">What it does, in words (no patient data).</param>
/// <param name="State">Where it is.</param>
/// <param name="Stage">What it is doing now.</param>
/// <param name="Step">Steps done.</param>
/// <param name="Of">Steps in all; 0 while not known.</param>
/// <param name="QueuePosition">While queued: 1 for the next to run.</param>
/// <param name="QueuedAt">When it was queued.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it finished or failed.</param>
/// <param name="Error">Why it failed: the exception's type and a message with no patient data.</param>
/// <param name="Result">Its result when done.</param>
public sealed record JobStatus(string Id, JobKind Kind, string Title, JobState State, string Stage, int Step, int Of, int? QueuePosition,
    DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, object? Result)
{
    /// <summary>Done or failed: nothing more will change.</summary>
    public bool Finished => State is JobState.Done or JobState.Failed;

    /// <summary>Time since it was queued, up to when it finished.</summary>
    public TimeSpan Elapsed(DateTimeOffset now) => (FinishedAt ?? now) - QueuedAt;
}

/// <summary>
/// Long work (protocol runs, import commits) done in the background, one job at a time, with progress its owner can
/// watch (<c>/Jobs/{id}</c>, <c>GET /api/jobs/{id}</c>). A job is queued here and run by <see cref="BackgroundWorker"/>.
/// </summary>
/// <remarks>
/// <para>One at a time because a protocol run takes the server's CPU for seconds to a minute: a second run at the same
/// time would only make both slower, and an import waiting behind a run still finishes in order.</para>
/// <para>Jobs live in this process's memory: a restart forgets queued jobs (a running one is stopped with the process,
/// its import rolled back, its report folder never listed), and finished jobs are forgotten after
/// <see cref="KeepFinished"/>. Several instances behind one proxy need sticky sessions for the status page, since each
/// instance knows its own jobs only.</para>
/// <para>Only the job's owner (the user, or API token, that queued it) sees it: anyone else gets null (404), admins
/// included.</para>
/// </remarks>
public sealed partial class BackgroundWork(TimeProvider clock, ILogger<BackgroundWork> logger)
{
    /// <summary>How long a finished job's status is kept.</summary>
    public static readonly TimeSpan KeepFinished = TimeSpan.FromHours(1);

    /// <summary>At most this many jobs wait at once (a full queue refuses new work: try again later).</summary>
    public const int MaxQueued = 32;

    /// <summary>At most this many unfinished jobs per user (a double click queues no second run behind the first).</summary>
    public const int MaxUnfinishedPerUser = 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private long _sequence;

    /// <summary>The queue the worker reads.</summary>
    internal ChannelReader<Job> Queue => _queue.Reader;

    /// <summary>Queues <paramref name="work"/> for <paramref name="owner"/>; null when the queue, or the owner's share of it, is full.</summary>
    public JobStatus? Enqueue(Actor owner, JobKind kind, string title, JobWork work)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            Sweep();
            if (_jobs.Values.Count(j => j.State == JobState.Queued) >= MaxQueued
                || _jobs.Values.Count(j => j.OwnerId == owner.UserId && j.State is JobState.Queued or JobState.Running) >= MaxUnfinishedPerUser)
            {
                return null;
            }

            var job = new Job(Guid.NewGuid().ToString("N"), owner.UserId, kind, title, work, ++_sequence, clock.GetUtcNow());
            _jobs[job.Id] = job;
            _queue.Writer.TryWrite(job);
            return Snapshot(job);
        }
    }

    /// <summary>The job <paramref name="id"/> of <paramref name="caller"/>, or null (unknown, forgotten, or someone else's).</summary>
    public JobStatus? Get(Actor caller, string? id)
    {
        ArgumentNullException.ThrowIfNull(caller);
        lock (_gate)
        {
            Sweep();
            return id is not null && _jobs.TryGetValue(id, out var job) && string.Equals(job.OwnerId, caller.UserId, StringComparison.Ordinal) ? Snapshot(job) : null;
        }
    }

    /// <summary>Runs one job to its end on the calling thread: state, progress, result, or a safe error (what the job throws never escapes).</summary>
    internal void Run(Job job, IServiceProvider services)
    {
        JobWork work;
        lock (_gate)
        {
            job.State = JobState.Running;
            job.StartedAt = clock.GetUtcNow();
            job.Stage = "Starting";

            // Dropped once taken: the delegate holds its inputs (an upload's bytes), which must not stay in memory for
            // the hour the status is kept.
            work = job.Work ?? throw new InvalidOperationException("A job runs once.");
            job.Work = null;
        }

        try
        {
            var result = work(services, new JobProgress(this, job));
            lock (_gate)
            {
                job.Result = result;
                job.State = JobState.Done;
                job.FinishedAt = clock.GetUtcNow();
            }
        }
#pragma warning disable CA1031 // The worker outlives any job: whatever a job throws becomes its failed state (and the log), never the host's end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Exception messages of the registry's services and EF Core hold no patient values (EF Core's sensitive
            // data logging is off; Npgsql leaves out error details by default), so the full exception is logged.
            JobFailed(logger, e, job.Id, job.Kind, job.OwnerId);
            lock (_gate)
            {
                job.Error = SafeMessage(e);
                job.State = JobState.Failed;
                job.FinishedAt = clock.GetUtcNow();
            }
        }
    }

    /// <summary>
    /// What the owner is told of a failure: the exception's type and, for the exceptions whose messages the services
    /// make safe (forbidden, a protocol's problems), its message; otherwise a sentence that names no value or path.
    /// </summary>
    internal static string SafeMessage(Exception e)
    {
        var said = e switch
        {
            RegistryForbiddenException or ProtocolException => e.Message,
            IOException or UnauthorizedAccessException => "The files could not be written (a disk or permission problem); nothing was kept.",
            Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException => "The database refused the work; it was rolled back and nothing was written.",
            _ => "The work stopped on an unexpected error; nothing was kept.",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{said} ({e.GetType().Name}; the server's log has the details.)");
    }

    private void Report(Job job, WorkProgress progress)
    {
        lock (_gate)
        {
            job.Stage = progress.Stage;
            job.Step = progress.Step;
            job.Of = progress.Of;
        }
    }

    /// <summary>Forgets finished jobs older than <see cref="KeepFinished"/> (under the lock).</summary>
    private void Sweep()
    {
        var cutoff = clock.GetUtcNow() - KeepFinished;
        foreach (var old in _jobs.Values.Where(j => j.FinishedAt < cutoff).Select(j => j.Id).ToList())
        {
            _jobs.Remove(old);
        }
    }

    /// <summary>A snapshot (under the lock).</summary>
    private JobStatus Snapshot(Job j)
    {
        int? position = j.State == JobState.Queued ? _jobs.Values.Count(o => o.State == JobState.Queued && o.Sequence < j.Sequence) + 1 : null;
        return new JobStatus(j.Id, j.Kind, j.Title, j.State, j.Stage, j.Step, j.Of, position, j.QueuedAt, j.StartedAt, j.FinishedAt, j.Error, j.Result);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background job {JobId} ({Kind}) of user {UserId} failed")]
    private static partial void JobFailed(ILogger logger, Exception exception, string jobId, JobKind kind, string userId);

    /// <summary>A job's mutable state, changed under the owner's lock only.</summary>
    internal sealed class Job(string id, string ownerId, JobKind kind, string title, JobWork work, long sequence, DateTimeOffset queuedAt)
    {
        public string Id { get; } = id;

        public string OwnerId { get; } = ownerId;

        public JobKind Kind { get; } = kind;

        public string Title { get; } = title;

        public JobWork? Work { get; set; } = work;

        public long Sequence { get; } = sequence;

        public DateTimeOffset QueuedAt { get; } = queuedAt;

        public JobState State { get; set; } = JobState.Queued;

        public string Stage { get; set; } = "Waiting in the queue";

        public int Step { get; set; }

        public int Of { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }

        public string? Error { get; set; }

        public object? Result { get; set; }
    }

    /// <summary>A job's progress, applied at once on the worker's thread (not <see cref="Progress{T}"/>, which posts later).</summary>
    private sealed class JobProgress(BackgroundWork owner, Job job) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => owner.Report(job, value);
    }
}

/// <summary>The one worker: takes queued jobs in order and runs each to its end in its own DI scope.</summary>
public sealed class BackgroundWorker(BackgroundWork work, IServiceScopeFactory scopes) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path: the jobs are synchronous and CPU-bound.
        await Task.Yield();
        try
        {
            await foreach (var job in work.Queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                using var scope = scopes.CreateScope();
                work.Run(job, scope.ServiceProvider);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: queued jobs are forgotten with the process (docs/registry.md, "Long work and progress").
        }
    }
}
