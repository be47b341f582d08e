using System.Diagnostics;
using System.Globalization;

namespace Sarcostat.Files.Output;

/// <summary>
/// The one writer of every output file and folder: everything is written into a temporary folder beside the target
/// and moved into place only when complete, so a failure (a renderer that throws, a full disk) leaves what was there
/// before and no half-written file.
/// </summary>
/// <remarks>
/// <para>Temporary folders are named <c>.sarcostat-tmp-&lt;target&gt;-&lt;pid&gt;-&lt;random&gt;</c> and hold a
/// marker file <c>.sarcostat-tmp</c> (written first) with the writing process's id and start time. An interrupted
/// run (killed, power cut) can leave one behind; every later write into the same parent folder deletes the ones
/// that carry both the name and the marker and were started before the current process by a process no longer
/// running (or more than <see cref="StaleAfter"/> ago). A folder with the name but no marker is never touched.</para>
/// <para>Folders: a new or empty folder is written by one rename. A folder that holds a manifest
/// (<see cref="FolderOptions.ManifestName"/>, written by an earlier run) is updated in place: the files the new run
/// writes replace their namesakes, the files the manifest lists that the new run does not write are removed, and
/// every other file (added by the user) is kept and reported. A folder that is not empty and has no manifest is
/// refused unless <see cref="FolderOptions.Force"/>; with it, the new files replace their namesakes and nothing
/// else is touched. A user's file at the name of a new file is never replaced without
/// <see cref="FolderOptions.Force"/>.</para>
/// </remarks>
public static class AtomicOutput
{
    /// <summary>The name prefix of temporary folders.</summary>
    public const string TempPrefix = ".sarcostat-tmp-";

    /// <summary>The marker file inside every temporary folder.</summary>
    public const string TempMarker = ".sarcostat-tmp";

    /// <summary>First line of a manifest.</summary>
    public const string ManifestHeader = "# sarcostat-manifest 1";

    /// <summary>A marked temporary folder older than this is removed even when its process id is in use again.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(2);

    private static readonly DateTime ProcessStart = GetProcessStart();

    /// <summary>Writes one file through a temporary folder beside it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    /// <param name="overwrite">Replace an existing file (the caller decided, e.g. <c>--force</c>); otherwise an existing file is refused.</param>
    /// <exception cref="OutputException">The path is refused, or writing failed (nothing was written).</exception>
    public static void WriteFile(string path, Action<string> write, bool overwrite = false) => WriteFiles([(path, write)], overwrite);

    /// <summary>
    /// Writes every target into a temporary folder beside it, then moves them all into place. When any write fails,
    /// the temporary folders are deleted and no target is touched.
    /// </summary>
    /// <exception cref="OutputException">A path is refused, or writing failed (nothing was written).</exception>
    public static void WriteFiles(IReadOnlyList<(string Path, Action<string> Write)> targets, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var plan = targets.Select(t => (Full: OutputPath.CheckFile(t.Path), t.Write)).ToList();
        foreach (var (full, _) in plan)
        {
            if (!overwrite && File.Exists(full))
            {
                throw new OutputException($"'{OutputPath.Show(full)}' exists and was not written by this run. Nothing was written. Add --force to replace it, or choose another name.");
            }
        }

        var staging = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = plan.Count > 0 ? plan[0].Full : string.Empty;
        try
        {
            var moves = new List<(string Temp, string Full)>();
            foreach (var (full, write) in plan)
            {
                current = full;
                var parent = Path.GetDirectoryName(full)!;
                if (!staging.TryGetValue(parent, out var temp))
                {
                    Directory.CreateDirectory(parent);
                    CleanStale(parent);
                    temp = CreateTempFolder(parent, Path.GetFileName(full));
                    staging[parent] = temp;
                }

                var file = Path.Combine(temp, Path.GetFileName(full));
                write(file);
                moves.Add((file, full));
            }

            foreach (var (temp, full) in moves)
            {
                current = full;
                File.Move(temp, full, overwrite);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not OutputException)
        {
            throw Failed(current, e);
        }
        finally
        {
            foreach (var temp in staging.Values)
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>Writes a folder (see the remarks of <see cref="AtomicOutput"/>).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="write">Writes the files into the folder it is given and returns their paths relative to it, in writing order.</param>
    /// <param name="options">Manifest, --force, and the word for messages.</param>
    /// <returns>The files written and the user's files kept.</returns>
    /// <exception cref="OutputException">The folder is refused, or writing failed (nothing was written; the folder is as it was).</exception>
    public static FolderOutput WriteFolder(string folder, Func<string, IReadOnlyList<string>> write, FolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(options);
        var target = OutputPath.CheckFolder(folder);
        var previous = CheckFolderTarget(target, options);
        var parent = Path.GetDirectoryName(target)!;
        string? staging = null;
        var updating = false;
        try
        {
            Directory.CreateDirectory(parent);
            CleanStale(parent);
            staging = CreateTempFolder(parent, Path.GetFileName(target));
            var written = write(staging).Select(Normalise).ToList();
            if (options.ManifestName is { } manifest)
            {
                WriteManifest(Path.Combine(staging, manifest), written);
                written.Add(manifest);
            }

            var tool = new HashSet<string>(previous.ToolFiles ?? [], StringComparer.Ordinal);
            if (previous.Exists && previous.Entries > 0)
            {
                var clashes = written.Where(f => Exists(target, f) && !tool.Contains(f) && f != options.ManifestName).ToList();
                var folders = clashes.Where(f => Directory.Exists(Path.Combine(target, f))).ToList();
                if (folders.Count > 0)
                {
                    throw new OutputException($"'{OutputPath.Show(Path.Combine(target, folders[0]))}' is a folder where the {options.Kind} writes a file. Nothing was written. Move it, or choose another --out folder.");
                }

                var fileInTheWay = written.SelectMany(Ancestors).Distinct(StringComparer.Ordinal).FirstOrDefault(a => File.Exists(Path.Combine(target, a)));
                if (fileInTheWay is not null)
                {
                    throw new OutputException($"'{OutputPath.Show(Path.Combine(target, fileInTheWay))}' is a file where the {options.Kind} writes a folder. Nothing was written. Move it, or choose another --out folder.");
                }

                if (clashes.Count > 0 && !options.Force && previous.ToolFiles is not null)
                {
                    throw new OutputException(
                        $"'{OutputPath.Show(target)}' holds {Describe(clashes)} that Sarcostat did not write and the {options.Kind} would replace. Nothing was written. Move {(clashes.Count == 1 ? "it" : "them")}, add --force to replace {(clashes.Count == 1 ? "it" : "them")}, or choose another --out folder.");
                }
            }

            File.Delete(Path.Combine(staging, TempMarker));
            if (!previous.Exists || previous.Entries == 0)
            {
                if (previous.Exists)
                {
                    Directory.Delete(target); // empty: fails rather than deletes if a file appeared meanwhile
                }

                Directory.Move(staging, target);
                staging = null;
                return new FolderOutput(target, written, []);
            }

            updating = true;
            UpdateInPlace(target, staging, written, previous.ToolFiles, options.ManifestName);
            return new FolderOutput(target, written, Kept(target, written));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not OutputException)
        {
            // Renames inside one folder rarely fail once every file is written; if one does while the folder is
            // updated in place, say so rather than claim that nothing changed.
            throw updating
                ? new OutputException($"Cannot finish writing '{OutputPath.Show(target)}': {OutputPath.Reason(e)}. Some of the {options.Kind}'s files were replaced (its manifest lists them all; files you added were not touched). Run the command again.", e)
                : Failed(target, e);
        }
        finally
        {
            if (staging is not null)
            {
                TryDelete(staging);
            }
        }
    }

    /// <summary>
    /// Checks a folder target before anything is computed: refused when it is not empty, holds no manifest and
    /// <see cref="FolderOptions.Force"/> is not set.
    /// </summary>
    /// <exception cref="OutputException">The folder is refused.</exception>
    public static void CheckFolder(string folder, FolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckFolderTarget(OutputPath.CheckFolder(folder), options);
    }

    /// <summary>Creates a marked temporary folder in <paramref name="parent"/> (the marker is its first file).</summary>
    public static string CreateTempFolder(string parent, string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(parent);
        ArgumentNullException.ThrowIfNull(label);
        var safe = new string(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(40).ToArray());
        var path = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $"{TempPrefix}{safe}-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(path);
        try
        {
            File.WriteAllText(Path.Combine(path, TempMarker), string.Create(CultureInfo.InvariantCulture,
                $"Temporary folder of a Sarcostat run; safe to delete when no Sarcostat run is writing here.\npid {Environment.ProcessId}\nstarted {ProcessStart:O}\n"));
        }
        catch
        {
            TryDelete(path);
            throw;
        }

        return path;
    }

    /// <summary>
    /// Deletes the temporary folders of interrupted runs in <paramref name="parent"/>: name starting with
    /// <see cref="TempPrefix"/>, holding <see cref="TempMarker"/>, started before the current process by a process
    /// that is no longer running (or more than <see cref="StaleAfter"/> ago). Best effort; returns the folders deleted.
    /// </summary>
    public static IReadOnlyList<string> CleanStale(string parent)
    {
        ArgumentException.ThrowIfNullOrEmpty(parent);
        var deleted = new List<string>();
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(parent, TempPrefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return deleted;
        }

        foreach (var dir in candidates)
        {
            if (IsStale(dir))
            {
                TryDelete(dir);
                if (!Directory.Exists(dir))
                {
                    deleted.Add(dir);
                }
            }
        }

        return deleted;
    }

    private static bool IsStale(string dir)
    {
        try
        {
            if (new DirectoryInfo(dir).LinkTarget is not null)
            {
                return false;
            }

            var marker = Path.Combine(dir, TempMarker);
            if (!File.Exists(marker) || new FileInfo(marker).Length > 4096)
            {
                return false;
            }

            int? pid = null;
            DateTime? started = null;
            foreach (var line in File.ReadLines(marker))
            {
                if (line.StartsWith("pid ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                {
                    pid = p;
                }
                else if (line.StartsWith("started ", StringComparison.Ordinal)
                    && DateTime.TryParse(line.AsSpan(8), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var s))
                {
                    started = s.ToUniversalTime();
                }
            }

            if (pid is null || started is null || started >= ProcessStart)
            {
                return false; // the current run, or a run that started after it
            }

            return started < ProcessStart - StaleAfter || pid == Environment.ProcessId || !IsRunning(pid.Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private static DateTime GetProcessStart()
    {
        try
        {
            using var p = Process.GetCurrentProcess();
            return p.StartTime.ToUniversalTime();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return DateTime.UtcNow;
        }
    }

    private sealed record PreviousFolder(bool Exists, int Entries, IReadOnlyList<string>? ToolFiles);

    private static PreviousFolder CheckFolderTarget(string target, FolderOptions options)
    {
        if (!Directory.Exists(target))
        {
            return new PreviousFolder(false, 0, []);
        }

        int entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(target).Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"'{OutputPath.Show(target)}' cannot be read ({OutputPath.Reason(e)}). Nothing was written.", refused: true, e);
        }

        if (entries == 0)
        {
            return new PreviousFolder(true, 0, []);
        }

        if (options.ManifestName is { } name && File.Exists(Path.Combine(target, name)))
        {
            return new PreviousFolder(true, entries, ReadManifest(Path.Combine(target, name)));
        }

        if (!options.Force)
        {
            var marker = options.ManifestName is null ? string.Empty : $" (no {options.ManifestName} file)";
            throw new OutputException(
                $"Refusing to write into '{OutputPath.Show(target)}': it is not empty and is not a Sarcostat {options.Kind} folder{marker}. Nothing was written. Choose a new or empty --out folder, or add --force to write into it (files of other names are kept).");
        }

        return new PreviousFolder(true, entries, []);
    }

    /// <summary>
    /// The tool's files a manifest lists; null for a marker of an older version that lists none (then nothing is
    /// removed and the new files replace their namesakes). Lines that are not safe relative paths are ignored.
    /// </summary>
    private static List<string>? ReadManifest(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != ManifestHeader)
        {
            return null;
        }

        return lines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#') && IsSafeRelative(l)).Select(Normalise).ToList();
    }

    private static void WriteManifest(string path, IEnumerable<string> files)
    {
        var text = ManifestHeader + "\n"
            + "# Written by Sarcostat. Writing into this folder again replaces or removes the files listed below; any other file is kept.\n"
            + string.Concat(files.Select(f => f + "\n"));
        File.WriteAllText(path, text, CsvOutput.Utf8);
    }

    private static void UpdateInPlace(string target, string staging, List<string> written, IReadOnlyList<string>? previousTool, string? manifest)
    {
        // Crash safety: while files move, the manifest in place lists both the old and the new files, so an
        // interrupted update never leaves one of the tool's files looking like the user's.
        if (manifest is not null)
        {
            var union = Path.Combine(staging, manifest + ".union");
            WriteManifest(union, (previousTool ?? []).Concat(written.Where(w => w != manifest)).Distinct(StringComparer.Ordinal));
            File.Move(union, Path.Combine(target, manifest), overwrite: true);
        }

        foreach (var file in written.Where(w => w != manifest))
        {
            var to = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Move(Path.Combine(staging, file), to, overwrite: true);
        }

        var now = new HashSet<string>(written, StringComparer.Ordinal);
        foreach (var old in (previousTool ?? []).Where(o => !now.Contains(o)))
        {
            DeleteInside(target, old);
        }

        if (manifest is not null)
        {
            File.Move(Path.Combine(staging, manifest), Path.Combine(target, manifest), overwrite: true);
        }
    }

    /// <summary>Deletes <paramref name="relative"/> under <paramref name="root"/> when it is a file there (no link on the way), then its emptied folders.</summary>
    private static void DeleteInside(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return;
        }

        for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (new DirectoryInfo(dir).LinkTarget is not null)
            {
                return;
            }
        }

        if (File.Exists(full))
        {
            File.Delete(full);
        }

        for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (!Directory.Exists(dir) || Directory.EnumerateFileSystemEntries(dir).Any())
            {
                break;
            }

            Directory.Delete(dir);
        }
    }

    private static bool IsSafeRelative(string path)
    {
        if (Path.IsPathRooted(path) || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        return path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
    }

    private static string Normalise(string relative) => relative.Replace('\\', '/');

    /// <summary>
    /// The files in <paramref name="target"/> that this run did not write, for the message "kept ...". Reported after
    /// the files are in place, so it never fails the write: unreadable sub-folders are skipped.
    /// </summary>
    private static List<string> Kept(string target, IReadOnlyList<string> written)
    {
        var writtenSet = new HashSet<string>(written, StringComparer.Ordinal);
        try
        {
            return Directory.EnumerateFiles(target, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
                .Select(f => Normalise(Path.GetRelativePath(target, f)))
                .Where(f => !writtenSet.Contains(f))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The folders above a relative path: "a/b/c.csv" gives "a" and "a/b".</summary>
    private static IEnumerable<string> Ancestors(string relative)
    {
        for (var i = relative.IndexOf('/', StringComparison.Ordinal); i > 0; i = relative.IndexOf('/', i + 1))
        {
            yield return relative[..i];
        }
    }

    private static bool Exists(string root, string relative)
    {
        var p = Path.Combine(root, relative);
        return File.Exists(p) || Directory.Exists(p);
    }

    private static string Describe(List<string> files) =>
        (files.Count == 1 ? "a file" : string.Create(CultureInfo.InvariantCulture, $"{files.Count} files"))
        + " (" + string.Join(", ", files.Take(5).Select(OutputPath.Show)) + (files.Count > 5 ? ", ..." : string.Empty) + ")";

    private static OutputException Failed(string path, Exception e) =>
        new($"Cannot write '{OutputPath.Show(path)}': {OutputPath.Reason(e)}. Nothing was written.", e);

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover marked temporary folder is removed by the next run and must not hide the original error.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}

/// <summary>How <see cref="AtomicOutput.WriteFolder"/> treats an existing folder.</summary>
/// <param name="Kind">What the folder is, for messages ("report", "simulation").</param>
/// <param name="ManifestName">The manifest file listing the files the tool wrote (e.g. <c>.sarcostat-report</c>); null for none.</param>
/// <param name="Force">Write into a non-empty folder that has no manifest, and replace a user's file at the name of a new file.</param>
public sealed record FolderOptions(string Kind, string? ManifestName = null, bool Force = false);

/// <summary>What <see cref="AtomicOutput.WriteFolder"/> did.</summary>
/// <param name="Folder">The folder's full path.</param>
/// <param name="Written">The files written, relative to the folder ('/' separators), in writing order (the manifest last).</param>
/// <param name="Kept">Files that were in the folder and were kept (the user's), relative, sorted.</param>
public sealed record FolderOutput(string Folder, IReadOnlyList<string> Written, IReadOnlyList<string> Kept);
