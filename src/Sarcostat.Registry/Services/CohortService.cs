using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sarcostat.Cohort;
using Sarcostat.Registry.Model;
using Sarcostat.Study;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Registry.Services;

/// <summary>The pooled cohort: every site's patients, pseudonymised, and the amendments a run applies.</summary>
/// <param name="Patients">The cohort model's patients (study id = pseudonym, site = site code, no birth date: age at PM instead).</param>
/// <param name="Amendments">The recorded amendments by pseudonym (exclusions become a selection step).</param>
public sealed record PooledCohort(IReadOnlyList<Patient> Patients, IReadOnlyList<AppliedAmendment> Amendments);

/// <summary>
/// The pooled, pseudonymised cohort for analysis, and protocol runs on it through the CLI's own code path
/// (<see cref="StudyRunner.Run"/>). Analysts and admins only: site data managers analyse nothing here.
/// </summary>
public sealed class CohortService(RegistryStore store)
{
    /// <summary>The pooled cohort (every site), ordered by pseudonym.</summary>
    /// <exception cref="RegistryForbiddenException">A site data manager.</exception>
    public PooledCohort Pooled(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Require("read the pooled cohort", Role.Admin, Role.Analyst);
        using var db = store.CreateContext();
        return Pooled(db);
    }

    /// <summary>
    /// Runs <paramref name="protocol"/> on the pooled cohort, as <c>sarcostat report</c> does on files, and records a
    /// <c>report-run</c> audit row. The report is the study layer's model: the web edge writes it with Sarcostat.Reports.
    /// </summary>
    /// <param name="actor">An analyst or admin.</param>
    /// <param name="protocol">The protocol (ProtocolLoader.Resolve: a built-in name or a file).</param>
    /// <param name="generatedOn">The run's date, printed in the report.</param>
    /// <param name="progress">Told each stage (reading the pooled cohort; deriving and selecting; analysing), none with a step count: how long the analyses take is not known beforehand. Null for none.</param>
    /// <exception cref="RegistryForbiddenException">A site data manager.</exception>
    /// <exception cref="ProtocolException">The protocol has problems.</exception>
    public StudyReport Run(Actor actor, StudyProtocol protocol, DateOnly generatedOn, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(protocol);
        actor.Require("run protocols", Role.Admin, Role.Analyst);
        progress?.Report(new WorkProgress("Reading the pooled cohort", 0, 0));
        using var db = store.CreateContext();
        var cohort = Pooled(db);

        var sites = cohort.Patients.GroupBy(p => p.Site ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).ToList();
        var context = new RunContext(SoftwareVersion, generatedOn)
        {
            SoftwareCommit = SoftwareBuild.Commit,
            Amendments = cohort.Amendments,
            AmendmentsFile = cohort.Amendments.Count > 0 ? "registry amendments" : null,
            SaltUsed = null,
        };
        var report = StudyRunner.Run(protocol, cohort.Patients, context, progress is null ? null : stage => progress.Report(new WorkProgress(stage switch
        {
            StudyStage.Preparing => string.Create(CultureInfo.InvariantCulture, $"Deriving and selecting ({cohort.Patients.Count} patients)"),
            _ => "Analysing (every table and figure of the protocol)",
        }, 0, 0)));
        AuditLog.Add(db, store, actor, AuditActions.ReportRun, null, detail: string.Create(CultureInfo.InvariantCulture,
            $"protocol {protocol.Name}: {cohort.Patients.Count} patients ({string.Join(", ", sites.Select(s => $"{s.Key} {s.Value}"))})"));
        db.SaveChanges();
        return report;
    }

    /// <summary>The version printed in a report's provenance (this assembly's informational version, as the CLI prints its own).</summary>
    private static string SoftwareVersion { get; } =
        typeof(CohortService).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static PooledCohort Pooled(RegistryDbContext db)
    {
        var codes = db.Sites.AsNoTracking().ToDictionary(s => s.Id, s => s.Code);
        var patients = db.Patients.AsNoTracking().Include(p => p.Procedures).OrderBy(p => p.Pseudonym).AsEnumerable()
            .Select(r => PatientMapping.ToPatient(r, codes[r.SiteId], pseudonymise: true)).ToList();
        return new PooledCohort(patients, AmendmentService.Applied(db));
    }
}
