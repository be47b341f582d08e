namespace Sarcostat.Import.Output;

/// <summary>Writes files through a temporary file in the same directory, moved into place only when complete.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes every target through its own temporary file, then moves them all into place. When any write fails, the
    /// temporary files are deleted and no target is touched.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, Action<string> Write)> targets)
    {
        foreach (var (path, _) in targets)
        {
            if (Directory.Exists(path))
            {
                throw new IOException($"Cannot write {path}: a directory of that name exists.");
            }
        }

        var temps = new List<(string Temp, string Path)>();
        try
        {
            foreach (var (path, write) in targets)
            {
                var full = Path.GetFullPath(path);
                var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                temps.Add((temp, full));
                write(temp);
            }

            foreach (var (temp, path) in temps)
            {
                File.Move(temp, path, overwrite: true);
            }
        }
        finally
        {
            foreach (var (temp, _) in temps)
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }
    }

    /// <summary>Writes one file through a temporary file.</summary>
    public static void Write(string path, Action<string> write) => WriteAll([(path, write)]);
}
