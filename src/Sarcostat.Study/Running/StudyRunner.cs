using Sarcostat.Cohort;
using Sarcostat.Cohort.Selection;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Study.Running;

namespace Sarcostat.Study;

/// <summary>
/// Runs a study protocol on a cohort: derives the endpoints and variables, applies the selection steps, runs every
/// analysis with the engine and builds the report (tables in the papers' layouts with journal formatting, figures as
/// data, the Methods paragraph, the Results sentences, provenance and warnings).
/// </summary>
public static class StudyRunner
{
    /// <summary>
    /// Runs <paramref name="protocol"/> on <paramref name="patients"/>.
    /// </summary>
    /// <param name="protocol">The protocol (from <see cref="ProtocolLoader"/>, or built in code; it is checked first).</param>
    /// <param name="patients">The cohort, one record per patient (study ids unique), as imported and validated.</param>
    /// <param name="context">Software version, the run's date and the input files' fingerprints.</param>
    /// <param name="stages">Told each stage as it starts (<see cref="StudyStage.Preparing"/>, then <see cref="StudyStage.Analysing"/>), so that a server can show a long run's progress; null for none. The report is the same.</param>
    /// <returns>
    /// The report. Deterministic: the same protocol, patients and context give an equal report, cell for cell and
    /// string for string (no clock, no randomness, no culture-dependent formatting, no unordered iteration).
    /// </returns>
    /// <remarks>
    /// Statistical trouble (too few events per variable, an infinite hazard ratio, non-convergence, a test that cannot
    /// run, endpoints that cannot be derived for some patients) never stops the run: it becomes a
    /// <see cref="ReportWarning"/> and a footnote. Pure: no I/O.
    /// </remarks>
    /// <exception cref="ProtocolException">The protocol has problems (named, with their key paths).</exception>
    /// <exception cref="ArgumentException">Two patients share a study id.</exception>
    public static StudyReport Run(StudyProtocol protocol, IReadOnlyList<Patient> patients, RunContext context, Action<StudyStage>? stages = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(context);
        var excluded = context.Amendments.Where(a => a.Kind == AmendmentKind.Exclude && a.StudyId is not null)
            .Select(a => new ListedExclusion(a.StudyId!, a.Reason)).ToList();

        // The analysis step's cohort (derivation, selection, variables), then the layout over its analyses.
        stages?.Invoke(StudyStage.Preparing);
        var study = StudyCohort.Prepare(protocol, patients, excluded);
        stages?.Invoke(StudyStage.Analysing);
        var builder = new ReportBuilder(study, context);
        var report = builder.Build();

        // After Build: the export carries the variables the report used.
        return report with { Cohort = builder.CohortExport() };
    }
}

/// <summary>The stages of <see cref="StudyRunner.Run"/>, in order.</summary>
public enum StudyStage
{
    /// <summary>Deriving the endpoints and variables and applying the selection steps.</summary>
    Preparing,

    /// <summary>Running every analysis and laying out the report's tables, figures and text.</summary>
    Analysing,
}
