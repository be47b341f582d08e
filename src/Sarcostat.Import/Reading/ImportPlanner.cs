using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Reading;

/// <summary>A file to read, with its mapping and, when known, its table.</summary>
/// <param name="Path">The path to open.</param>
/// <param name="Display">The name problems use: as written in the mapping's <c>files:</c>, relative to a directory input, or as given.</param>
/// <param name="Mapping">The mapping its columns and codes are read with.</param>
/// <param name="Table">The table, when the mapping's <c>files:</c> says; null to recognise it from the header (or the sheet name).</param>
internal sealed record FilePlan(string Path, string Display, SourceMapping Mapping, CohortTable? Table);

/// <summary>
/// Turns an <see cref="ImportRequest"/> into the ordered list of files to read, each with its mapping. Every setup
/// error (missing input, invalid mapping, missing salt, ambiguous mapping) is collected and thrown together.
/// </summary>
internal static class ImportPlanner
{
    private static readonly string[] MappingExtensions = [".yaml", ".yml", ".json"];
    private static readonly string[] DataExtensions = [".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls"];

    public static bool IsWorkbook(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".XLSX" or ".XLSM" or ".XLS";

    public static IReadOnlyList<FilePlan> Plan(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        var mappings = new List<SourceMapping>();
        var loose = new List<(string Path, string Display)>();

        var loaded = new HashSet<string>(StringComparer.Ordinal);
        void AddMapping(string path, bool fromDirectory)
        {
            if (!loaded.Add(Path.GetFullPath(path)))
            {
                return;
            }

            try
            {
                var m = SourceMapping.Load(path, request.Dictionary);
                if (fromDirectory && m.Files.Count == 0)
                {
                    errors.Add($"{path}: a mapping read from a directory must list its files under files: (patients: FILE, procedures: FILE).");
                    return;
                }

                mappings.Add(m);
            }
            catch (ImportSetupException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        foreach (var m in request.Mappings)
        {
            AddMapping(m, fromDirectory: false);
        }

        foreach (var input in request.Inputs)
        {
            if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input).Where(f => !IsAmendments(f, request)).Order(StringComparer.Ordinal).ToList();
                var dirMappings = files.Where(f => Path.GetExtension(f).ToUpperInvariant() is ".YAML" or ".YML").ToList();
                if (dirMappings.Count > 0)
                {
                    dirMappings.ForEach(f => AddMapping(f, fromDirectory: true));
                }
                else
                {
                    var data = files.Where(f => HasExtension(f, DataExtensions)).ToList();
                    if (data.Count == 0)
                    {
                        errors.Add($"{input}: the directory has no mapping (*.yaml) and no data file (*.csv, *.xlsx).");
                    }

                    loose.AddRange(data.Select(f => (f, Path.GetFileName(f))));
                }
            }
            else if (File.Exists(input))
            {
                if (HasExtension(input, MappingExtensions))
                {
                    AddMapping(input, fromDirectory: false);
                }
                else if (HasExtension(input, DataExtensions))
                {
                    loose.Add((input, input));
                }
                else
                {
                    errors.Add($"{input}: not a data file ({string.Join(", ", DataExtensions)}) or a mapping ({string.Join(", ", MappingExtensions)}).");
                }
            }
            else
            {
                errors.Add($"{input}: no such file or directory.");
            }
        }

        var plans = new List<FilePlan>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in mappings)
        {
            var dir = Path.GetDirectoryName(m.Path) ?? string.Empty;
            foreach (var table in new[] { CohortTable.Patients, CohortTable.Procedures })
            {
                if (!m.Files.TryGetValue(table, out var relative))
                {
                    continue;
                }

                var full = Path.Combine(dir, relative);
                if (!File.Exists(full))
                {
                    errors.Add($"{Path.GetFileName(m.Path)}: key 'files.{Name(table)}': expected an existing file; found '{relative}' (looked for {full}).");
                    continue;
                }

                claimed.Add(Path.GetFullPath(full));
                plans.Add(new FilePlan(full, relative.Replace('\\', '/'), m, table));
            }
        }

        var open = mappings.Where(m => m.Files.Count == 0).ToList();
        var unclaimed = loose.Where(f => !claimed.Contains(Path.GetFullPath(f.Path))).ToList();
        if (open.Count > 1)
        {
            errors.Add($"Several mappings list no files: ({string.Join(", ", open.Select(m => Path.GetFileName(m.Path)))}); give each its files: so that every file is read with one mapping.");
        }
        else if (open.Count == 1 && unclaimed.Count == 0)
        {
            errors.Add($"{Path.GetFileName(open[0].Path)}: the mapping lists no files: and no data file was given to read with it.");
        }

        var looseMapping = open.Count == 1 ? open[0] : SourceMapping.Canonical;
        plans.AddRange(unclaimed.Select(f => new FilePlan(f.Path, f.Display, looseMapping, null)));

        if (request.Salt is null or "" && plans.Select(p => p.Mapping).Distinct().FirstOrDefault(m => m.Pseudonymises) is { } needsSalt)
        {
            errors.Add($"{Path.GetFileName(needsSalt.Path)}: pseudonymises a column, so a salt is needed (--salt or the {Pseudonym.SaltVariable} environment variable).");
        }

        if (request.Salt is { Length: > 0 and < Pseudonym.MinSaltLength } && plans.Select(p => p.Mapping).FirstOrDefault(m => m.Pseudonymises) is { } shortSalt)
        {
            errors.Add(FormattableString.Invariant(
                $"{Path.GetFileName(shortSalt.Path)}: pseudonymises a column, and the salt has {request.Salt.Length} characters; a salt needs at least {Pseudonym.MinSaltLength} (a short salt can be guessed, and with it every pseudonym reversed by trying record numbers). Use a long random secret, kept outside the data (--salt or {Pseudonym.SaltVariable})."));
        }

        var keys = plans.Select(p => p.Mapping.Key).Distinct().ToList();
        if (keys.Count > 1)
        {
            errors.Add($"The sources match patients on different keys ({string.Join(", ", keys)}); every mapping must declare the same key:.");
        }

        if (plans.Count == 0 && errors.Count == 0)
        {
            errors.Add("Nothing to read: give data files, mappings or a directory.");
        }

        if (errors.Count > 0)
        {
            throw new ImportSetupException(errors);
        }

        return Unique(plans);
    }

    /// <summary>The amendments file is never a source, even when it sits in an input folder.</summary>
    private static bool IsAmendments(string file, ImportRequest request) =>
        request.Amendments is { } a && string.Equals(Path.GetFullPath(file), Path.GetFullPath(a), StringComparison.Ordinal);

    internal static string Name(CohortTable table) => table == CohortTable.Patients ? "patients" : "procedures";

    private static bool HasExtension(string path, string[] extensions) =>
        extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>The same file listed twice for the same table is read once; two different files with the same display name get their full paths.</summary>
    private static List<FilePlan> Unique(List<FilePlan> plans)
    {
        var result = new List<FilePlan>();
        var seen = new HashSet<(string, CohortTable?)>();
        var displays = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in plans)
        {
            var full = Path.GetFullPath(p.Path);
            if (!seen.Add((full, p.Table)))
            {
                continue;
            }

            var plan = p;
            if (displays.TryGetValue(p.Display, out var other) && other != full)
            {
                plan = p with { Display = full };
            }

            displays.TryAdd(plan.Display, full);
            result.Add(plan);
        }

        return result;
    }
}
