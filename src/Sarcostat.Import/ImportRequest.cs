using Sarcostat.Cohort;

namespace Sarcostat.Import;

/// <summary>
/// What to import. <see cref="Inputs"/> are files and directories: a data file (.csv, .tsv, .txt, .xlsx, .xlsm, .xls),
/// a mapping file (.yaml, .yml, .json) that reads the files its <c>files:</c> lists, or a directory, which means every
/// mapping in it (*.yaml, *.yml), or its data files read as canonical files when it has no mapping.
/// </summary>
/// <remarks>
/// Source order (it decides which record is the "later" one in a conflict): the mappings in <see cref="Mappings"/>,
/// then the inputs in the order given (a directory's mappings and files by name), each mapping with its patients file
/// before its procedures file; data files that no mapping lists come last. Such files are read with the one mapping
/// that has no <c>files:</c>, or as canonical files when there is none.
/// </remarks>
public sealed record ImportRequest
{
    /// <summary>Files and directories to read.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Mapping files given apart from the inputs (<c>--mapping</c>).</summary>
    public IReadOnlyList<string> Mappings { get; init; } = [];

    /// <summary>The salt of pseudonymised columns (<c>--salt</c> or <see cref="Pseudonym.SaltVariable"/>); required when a mapping pseudonymises.</summary>
    public string? Salt { get; init; }

    /// <summary>
    /// The study's amendments file (<c>--amendments</c>; YAML or CSV), or null: decisions on the data recorded beside
    /// the extracts, never in them (docs/import.md, "Amendments"). Never read as a source, even inside an input folder.
    /// </summary>
    public string? Amendments { get; init; }

    /// <summary>The data dictionary to import into.</summary>
    public DataDictionary Dictionary { get; init; } = DataDictionary.Default;
}
