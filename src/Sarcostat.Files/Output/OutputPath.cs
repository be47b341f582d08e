using System.Text;

namespace Sarcostat.Files.Output;

/// <summary>
/// Checks of an output path before anything is written or computed: one located message per refusal
/// (<see cref="OutputException"/> with <see cref="OutputException.Refused"/> set), never a stack trace.
/// </summary>
public static class OutputPath
{
    /// <summary>The longest file or folder name most file systems accept, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The longest whole path accepted, in UTF-8 bytes (Linux's PATH_MAX less the terminating NUL).</summary>
    public const int MaxPathBytes = 4095;

    /// <summary>
    /// Checks a path where one file will be written: not empty, no NUL character, not too long, not the root
    /// folder, no existing file among its parent folders, and not an existing folder.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="option">The option that named it (e.g. <c>--problems</c>), for the message; null for none.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="OutputException">The path cannot be a file.</exception>
    public static string CheckFile(string? path, string? option = null)
    {
        var full = CheckCommon(path, option, "file");
        if (Directory.Exists(full))
        {
            throw Refuse(option, full, "is a folder; a file is written here. Name a file, e.g. " + Path.Combine(Show(full), "problems.csv") + ".");
        }

        return full;
    }

    /// <summary>
    /// Checks a path where a folder will be written: not empty, no NUL character, not too long, not the root
    /// folder, no existing file among its parent folders, and not an existing file.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="option">The option that named it (e.g. <c>--out</c>), for the message; null for none.</param>
    /// <returns>The full path, without a trailing separator.</returns>
    /// <exception cref="OutputException">The path cannot be a folder.</exception>
    public static string CheckFolder(string? path, string? option = null)
    {
        var full = CheckCommon(path, option, "folder");
        if (File.Exists(full))
        {
            throw Refuse(option, full, "is a file; a folder is written here. Choose a folder that does not exist yet.");
        }

        return full;
    }

    /// <summary>
    /// Tries to create (and removes at once) a marked temporary folder in the nearest existing folder above
    /// <paramref name="full"/>, so that an output that cannot be written is refused before any work is done.
    /// </summary>
    /// <exception cref="OutputException">That folder cannot be written to.</exception>
    public static void CheckWritable(string full, string? option = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(full);
        var existing = Path.GetDirectoryName(full);
        while (existing is not null && !Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
        }

        if (existing is null)
        {
            return;
        }

        try
        {
            var probe = AtomicOutput.CreateTempFolder(existing, "probe");
            Directory.Delete(probe, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refuse(option, full, $"cannot be written: the folder {Show(existing)} is not writable ({Reason(e)}). Choose another place.");
        }
    }

    /// <summary>
    /// The full path with symbolic links resolved as far as the path exists, for comparing an output with the inputs
    /// (two spellings of one file compare equal).
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (full.Length == 0)
        {
            return Path.GetPathRoot(Path.GetFullPath(path)) ?? path;
        }

        var root = Path.GetPathRoot(full) ?? string.Empty;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
                if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    current = Path.GetFullPath(target.FullName).TrimEnd(Path.DirectorySeparatorChar);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A link loop or an unreadable folder: compare the path as written from here on.
            }
        }

        return current;
    }

    /// <summary>Whether two paths name the same file or folder (after <see cref="Resolve"/>; case-sensitive, as on Linux).</summary>
    public static bool Same(string a, string b) =>
        string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it (after <see cref="Resolve"/>).</summary>
    public static bool Within(string path, string folder)
    {
        var p = Resolve(path);
        var f = Resolve(folder);
        var cmp = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return string.Equals(p, f, cmp) || p.StartsWith(f.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, cmp);
    }

    /// <summary>A path as messages show it: control characters escaped.</summary>
    public static string Show(string path) => SafeText.Escape(path);

    private static string CheckCommon(string? path, string? option, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Refuse(option, path ?? string.Empty, $"is empty; name a {what}.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Refuse(option, path, "contains a NUL character, which no file name can hold.");
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Refuse(option, path, $"is not a valid path: {Reason(e)}.");
        }

        var root = Path.GetPathRoot(full) ?? string.Empty;
        var trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (trimmed.Length <= root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Length)
        {
            throw Refuse(option, full, $"is the root folder of the file system; the output needs a {what} of its own (e.g. ./sarcostat-report).");
        }

        if (Encoding.UTF8.GetByteCount(trimmed) > MaxPathBytes)
        {
            throw Refuse(option, Cut(trimmed), $"is longer than {MaxPathBytes} bytes; choose a shorter path.");
        }

        foreach (var name in trimmed[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            {
                throw Refuse(option, Cut(trimmed), $"has a name longer than {MaxNameBytes} bytes ({Cut(name)}); choose a shorter name.");
            }
        }

        for (var parent = Path.GetDirectoryName(trimmed); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw Refuse(option, trimmed, $"lies under '{Show(parent)}', which is a file, not a folder. Choose a path in a folder.");
            }
        }

        return trimmed;
    }

    private static string Cut(string s) => s.Length <= 60 ? s : s[..57] + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"... ({s.Length:N0} characters)");

    private static OutputException Refuse(string? option, string path, string what) =>
        new((option is null ? string.Empty : option + " ") + $"'{Show(path)}' {what} Nothing was written.");

    internal static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        DirectoryNotFoundException or FileNotFoundException => "nothing can be created there",
        _ => SafeText.Escape(e.Message.TrimEnd('.')),
    };
}
