using System.Text.Json;
using Sarcostat.Registry.Services;
using Sarcostat.Reports;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Web.Infrastructure;

/// <summary>A protocol run written to the reports folder.</summary>
/// <param name="Id">The run's id (32 hex digits, the folder's name).</param>
/// <param name="Protocol">The protocol.</param>
/// <param name="Title">The report's title.</param>
/// <param name="UserId">Who ran it.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Tables">Tables in the report.</param>
/// <param name="Figures">Figures in the report.</param>
/// <param name="Warnings">The report's warnings.</param>
/// <param name="Flow">The selection flow as the report draws it (each box's text and count, and what it excluded), in order.</param>
public sealed record ReportRun(string Id, string Protocol, string Title, string UserId, DateTime At, int Tables, int Figures, IReadOnlyList<string> Warnings, IReadOnlyList<string>? Flow = null);

/// <summary>
/// Protocol runs on the pooled cohort (<see cref="CohortService.Run"/>, audited there) written with the CLI's writer
/// (<see cref="ReportWriter.Write(Sarcostat.Study.Results.StudyReport, string)"/>: HTML, Word, Excel, CSV, figures), one folder per run.
/// The web app runs them in the background (<see cref="BackgroundWork"/>); the synchronous overload stays for tests and tools.
/// </summary>
public sealed class ReportRuns(CohortService cohort, AuditService audit, WebSettings settings, TimeProvider clock)
{
    private const string MetaFile = "run.json";

    /// <summary>Test seam: called with each report file's name after it is written (a test makes the disk fail here).</summary>
    internal Action<string>? AfterFile { get; set; }

    /// <summary>Whether <paramref name="protocolName"/> names a shipped protocol.</summary>
    public static bool IsShipped(string? protocolName) => protocolName is not null && ProtocolLoader.ShippedNames.Contains(protocolName, StringComparer.Ordinal);

    /// <summary>
    /// Checks, before a run is queued, what <see cref="Run"/> checks again when
    /// it runs: the role may run protocols and the protocol is a shipped one.
    /// </summary>
    /// <exception cref="RegistryForbiddenException">A site data manager.</exception>
    /// <exception cref="ArgumentException">No shipped protocol has that name.</exception>
    public static void CheckRun(Actor actor, string? protocolName)
    {
        Require(actor);
        if (!IsShipped(protocolName))
        {
            throw new ArgumentException($"No shipped protocol is called '{protocolName}'.", nameof(protocolName));
        }
    }

    /// <summary>
    /// Runs <paramref name="protocolName"/> (a shipped protocol) and writes the report, on the calling thread, telling
    /// <paramref name="progress"/> (null for none) its stages: reading the pooled cohort, deriving and selecting,
    /// analysing (no step count yet), then each report file written (HTML, Word, Excel, CSV, figures) as step k of n,
    /// and n of n once the run is recorded. A run that fails leaves no folder behind (the writer is all or nothing, and
    /// the run's folder is removed), so it is never listed.
    /// </summary>
    /// <exception cref="ArgumentException">No shipped protocol has that name.</exception>
    /// <exception cref="RegistryForbiddenException">A site data manager.</exception>
    public ReportRun Run(Actor actor, string protocolName, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsShipped(protocolName))
        {
            throw new ArgumentException($"No shipped protocol is called '{protocolName}'.", nameof(protocolName));
        }

        var protocol = ProtocolLoader.Shipped(protocolName);
        var now = clock.GetUtcNow().UtcDateTime;
        var report = cohort.Run(actor, protocol, DateOnly.FromDateTime(now), progress);
        var id = Guid.NewGuid().ToString("N");
        var folder = Path.Combine(settings.ReportsFolder, id);
        var of = ReportWriter.FileCount(report) + 1;
        try
        {
            ReportWriter.Write(report, Path.Combine(folder, "report"), new FileProgress(progress, of, AfterFile));
            var run = new ReportRun(id, protocolName, report.Title, actor.UserId, now, report.Tables.Count(), report.Figures.Count(), report.Warnings.Select(w => w.Message).ToList(), Flow(report));
            System.IO.File.WriteAllText(Path.Combine(folder, MetaFile), JsonSerializer.Serialize(run));
            progress?.Report(new WorkProgress("Done: the report is written", of, of));
            return run;
        }
        catch
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            throw;
        }
    }

    /// <summary>The format of a report file, in words, for the progress page.</summary>
    internal static string Format(string file) => file switch
    {
        "report.html" => "HTML",
        "report.docx" => "Word",
        "tables.xlsx" => "Excel",
        "results.json" => "JSON",
        _ when file.StartsWith("figures/", StringComparison.Ordinal) => "figures",
        _ when file.EndsWith(".csv", StringComparison.Ordinal) => "CSV",
        _ => "files",
    };

    /// <summary>The writer's file k of n as the run's step k of n + 1 (the last step records the run).</summary>
    private sealed class FileProgress(IProgress<WorkProgress>? progress, int of, Action<string>? afterFile) : IProgress<ReportFileWritten>
    {
        public void Report(ReportFileWritten value)
        {
            progress?.Report(new WorkProgress(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Writing the report: {Format(value.File)} (file {value.Written} of {value.Of})"), value.Written, of));
            afterFile?.Invoke(value.File);
        }
    }

    /// <summary>The runs, newest first (admins and analysts).</summary>
    public IReadOnlyList<ReportRun> List(Actor actor)
    {
        Require(actor);
        if (!Directory.Exists(settings.ReportsFolder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(settings.ReportsFolder).Select(d => Read(Path.GetFileName(d))).OfType<ReportRun>().OrderByDescending(r => r.At).ToList();
    }

    /// <summary>A run, or null.</summary>
    public ReportRun? Get(Actor actor, string id)
    {
        Require(actor);
        return Read(id);
    }

    /// <summary>The files of a run, relative to its report folder, with '/' separators.</summary>
    public IReadOnlyList<string> Files(Actor actor, string id)
    {
        Require(actor);
        var folder = ReportFolder(id);
        return folder is null ? [] : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The full path of one file of a run (only a file the run listed: no path from the request reaches the disk), or null; the download is audited.</summary>
    public string? FilePath(Actor actor, string id, string relative)
    {
        var files = Files(actor, id);
        if (!files.Contains(relative, StringComparer.Ordinal))
        {
            return null;
        }

        audit.Record(actor, Registry.Model.AuditActions.Export, $"report {id} file {relative}");
        return Path.Combine(ReportFolder(id)!, relative.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The report's selection flow (its flow figure) as lines of text, nothing computed here.</summary>
    private static List<string> Flow(Sarcostat.Study.Results.StudyReport report)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var lines = new List<string>();
        foreach (var flow in report.Figures.OfType<Sarcostat.Study.Results.FlowFigure>().Take(1))
        {
            lines.AddRange(flow.Sources.Select(s => string.Create(inv, $"{s.Text}: {s.Count}")));
            foreach (var box in flow.Boxes)
            {
                lines.Add(string.Create(inv, $"{box.Text}: {box.Count}"));
                if (box.Excluded is { } x)
                {
                    var detail = x.Breakdown.Count > 0 ? " (" + string.Join("; ", x.Breakdown.Select(b => string.Create(inv, $"{b.Key}: {b.Value}"))) + ")" : string.Empty;
                    lines.Add(string.Create(inv, $"    excluded, {x.Label}: {x.Count}{detail}"));
                }
            }
        }

        return lines;
    }

    private static void Require(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role is not (Role.Admin or Role.Analyst))
        {
            throw new RegistryForbiddenException($"the {actor.Role} role may not read reports of the pooled cohort");
        }
    }

    private static bool ValidId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private string? ReportFolder(string id) =>
        ValidId(id) && Directory.Exists(Path.Combine(settings.ReportsFolder, id, "report")) ? Path.Combine(settings.ReportsFolder, id, "report") : null;

    private ReportRun? Read(string id)
    {
        var meta = ValidId(id) ? Path.Combine(settings.ReportsFolder, id, MetaFile) : null;
        return meta is not null && System.IO.File.Exists(meta) ? JsonSerializer.Deserialize<ReportRun>(System.IO.File.ReadAllText(meta)) : null;
    }
}
