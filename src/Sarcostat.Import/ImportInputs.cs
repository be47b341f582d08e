using Sarcostat.Import.Reading;

namespace Sarcostat.Import;

/// <summary>The files an import reads, so that an output (the problems CSV, a report) is never written over one of them.</summary>
public static class ImportInputs
{
    /// <summary>
    /// Every file the request names or reads: its mapping files, its input files, the files directly inside its input
    /// folders and the data files its mappings list. Best effort: a request the importer would refuse (a mapping
    /// that cannot be read) gives the files found so far; the import itself then reports the problem.
    /// </summary>
    public static IReadOnlyList<string> Files(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = new List<string>(request.Mappings);
        if (request.Amendments is { } amendments)
        {
            files.Add(amendments);
        }

        foreach (var input in request.Inputs)
        {
            if (Directory.Exists(input))
            {
                try
                {
                    files.AddRange(Directory.EnumerateFiles(input));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The import reports the unreadable folder.
                }
            }
            else
            {
                files.Add(input);
            }
        }

        try
        {
            files.AddRange(ImportPlanner.Plan(request).Select(p => p.Path));
        }
#pragma warning disable CA1031 // Whatever stops the plan is reported by the import itself; here only the files found so far matter.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return files;
    }
}
