using System.Security.Cryptography;
using System.Text;

namespace Sarcostat.Study;

/// <summary>
/// What a run needs besides the protocol and the patients: the software version, the date of the run (explicit, never
/// read from a clock inside the study layer) and the fingerprints of the input files, all printed in the report's
/// provenance.
/// </summary>
/// <param name="SoftwareVersion">Sarcostat version, e.g. "0.1.0".</param>
/// <param name="GeneratedOn">Date of the run.</param>
public sealed record RunContext(string SoftwareVersion, DateOnly GeneratedOn)
{
    /// <summary>
    /// The commit Sarcostat was built from (<see cref="SoftwareBuild.Commit"/>), named with the version in the Methods
    /// text; null to leave it out (tests that pin the text).
    /// </summary>
    public string? SoftwareCommit { get; init; }

    /// <summary>SHA-256 (lower-case hex) of each input file, by file name; the report lists them sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DataFingerprints { get; init; } = [];

    /// <summary>
    /// The amendments applied to the data (from the importer): exclusions become the selection step "Excluded by
    /// amendment", and every amendment is listed in the report's data appendix.
    /// </summary>
    public IReadOnlyList<Cohort.AppliedAmendment> Amendments { get; init; } = [];

    /// <summary>How the report names the amendments file ("amendments (YAML)"; never its file name), also its key in <see cref="DataFingerprints"/>; null when none was given.</summary>
    public string? AmendmentsFile { get; init; }

    /// <summary>
    /// Patient records each source database delivered, before duplicates were dropped and sources merged (the
    /// importer's count), in the order read: the flow diagram's source boxes. Empty when unknown; the boxes then count
    /// patients per source.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, int>> SourceRecords { get; init; } = [];

    /// <summary>
    /// Whether identifying columns were replaced by salted pseudonyms at import (true), not (false), or unknown (null,
    /// e.g. patients built in code). The provenance says which; the salt itself never reaches the study layer.
    /// </summary>
    public bool? SaltUsed { get; init; }

    /// <summary>
    /// The validation rules whose severity the study changed in its mappings (<c>severity:</c>), each with the source,
    /// the new level, how many problems it changed and the reason, listed in the report's data appendix.
    /// </summary>
    public IReadOnlyList<SeverityChange> SeverityChanges { get; init; } = [];

    /// <summary>SHA-256 of bytes as lower-case hex (for <see cref="DataFingerprints"/>).</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>SHA-256 of a text's UTF-8 bytes as lower-case hex.</summary>
    public static string Sha256(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Sha256(Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>A validation rule whose severity a study changed for one source, with its reason.</summary>
/// <param name="Source">The source database (the mapping's <c>source:</c>).</param>
/// <param name="Rule">The rule code, e.g. <c>missing-recommended</c>.</param>
/// <param name="Level">The new level: error, warning or ignore.</param>
/// <param name="Problems">How many problems it changed.</param>
/// <param name="Reason">The study's reason, as written in the mapping.</param>
public sealed record SeverityChange(string Source, string Rule, string Level, int Problems, string Reason);
