using System.Globalization;
using Sarcostat.Cohort;

namespace Sarcostat.Import;

/// <summary>How many rows of one table were read, accepted and rejected (RowsRead = RowsAccepted + RowsRejected).</summary>
/// <param name="File">The table's file as problems name it (with [sheet] for workbooks).</param>
/// <param name="Table">Patients or procedures.</param>
/// <param name="RowsRead">Non-blank data rows read.</param>
/// <param name="RowsAccepted">Rows no error points at.</param>
/// <param name="RowsRejected">Rows at least one error points at (every row when the table lacks its key column).</param>
public sealed record TableCount(string File, CohortTable Table, int RowsRead, int RowsAccepted, int RowsRejected)
{
    /// <summary><c>hospital_b_patients.csv (patients): 67 rows read, 65 accepted, 2 rejected</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File} ({(Table == CohortTable.Patients ? "patients" : "procedures")}): {RowsRead} rows read, {RowsAccepted} accepted, {RowsRejected} rejected");
}

/// <summary>Patient records one source database delivered (rows of its patients tables, duplicates included).</summary>
/// <param name="Source">The source's name (the mapping's <c>source:</c>, or a canonical file's <c>source</c> column).</param>
/// <param name="Records">Non-blank patient rows read.</param>
public sealed record SourceRecordCount(string Source, int Records);

/// <summary>
/// The outcome of an import: the merged patients that no error touches, the study ids of those rejected, every
/// problem in file order, and the row counts per table. Nothing is dropped silently: a row is rejected when an error
/// points at it, and a patient is rejected when any of its rows is.
/// </summary>
public sealed class ImportResult
{
    internal ImportResult(IReadOnlyList<Patient> patients, IReadOnlyList<string> rejected, IReadOnlyList<CohortProblem> problems, IReadOnlyList<TableCount> tables)
    {
        Patients = patients;
        RejectedStudyIds = rejected;
        Problems = problems;
        Tables = tables;
        ErrorCount = problems.Count(p => p.Severity == Severity.Error);
        WarningCount = problems.Count - ErrorCount;
    }

    /// <summary>The accepted patients, merged across sources, in order of first appearance.</summary>
    public IReadOnlyList<Patient> Patients { get; }

    /// <summary>Study ids (keys) of patients left out because an error points at one of their rows, in order of first appearance.</summary>
    public IReadOnlyList<string> RejectedStudyIds { get; }

    /// <summary>Every problem, in file order (files as read; then row, then column position).</summary>
    public IReadOnlyList<CohortProblem> Problems { get; }

    /// <summary>Row counts per table, in the order read.</summary>
    public IReadOnlyList<TableCount> Tables { get; }

    /// <summary>The amendments applied (cells set, rows dropped, patients to exclude, conflicts resolved), in amendments-file order; empty without an amendments file.</summary>
    public IReadOnlyList<AppliedAmendment> Amendments { get; internal init; } = [];

    /// <summary>The amendments file as given (<see cref="ImportRequest.Amendments"/>), or null.</summary>
    public string? AmendmentsFile { get; internal init; }

    /// <summary>The mappings' severity overrides (<c>severity:</c>), each with its reason and how many problems it changed.</summary>
    public IReadOnlyList<AppliedSeverity> Severities { get; internal init; } = [];

    /// <summary>Patient records per source database as delivered (before duplicates are dropped and sources merged), in order read; empty when no source is named.</summary>
    public IReadOnlyList<SourceRecordCount> SourceRecords { get; internal init; } = [];

    /// <summary>Whether some identifying column was replaced by a salted pseudonym (so a salt was used); the salt itself is never kept.</summary>
    public bool Pseudonymised { get; internal init; }

    /// <summary>Number of errors.</summary>
    public int ErrorCount { get; }

    /// <summary>Number of warnings.</summary>
    public int WarningCount { get; }

    /// <summary>An error blocks analysis.</summary>
    public bool HasErrors => ErrorCount > 0;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ImportResult(patients={Patients.Count}, rejected={RejectedStudyIds.Count}, errors={ErrorCount}, warnings={WarningCount})");
}
