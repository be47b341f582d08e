using System.CommandLine;
using Sarcostat.Files.Output;

namespace Sarcostat.Cli.Output;

/// <summary>
/// The checks every output option passes before a command reads or computes anything (docs/cli.md, "Output
/// safety"): the path must be usable, must not be an input of the command, and must not hold a file Sarcostat did
/// not write unless <c>--force</c>. A refusal is an <see cref="OutputException"/>, printed as one line with exit code 2.
/// </summary>
internal static class OutputGuard
{
    /// <summary>The one <c>--force</c> option of every command that writes.</summary>
    public static Option<bool> Force(string what) => new("--force") { Description = what };

    /// <summary>
    /// Checks a file output: a usable path (not a folder, not under a file, not the root, no NUL, not too long), not
    /// one of <paramref name="inputs"/> (compared after resolving links), not an existing file unless
    /// <paramref name="force"/>, and a writable folder.
    /// </summary>
    /// <returns>The full path.</returns>
    /// <exception cref="OutputException">The output is refused.</exception>
    public static string File(string option, string? path, bool force, IEnumerable<string> inputs)
    {
        var full = OutputPath.CheckFile(path, option);
        RefuseInput(option, full, inputs, folder: false);
        if (System.IO.File.Exists(full) && !force)
        {
            throw new OutputException($"{option} '{OutputPath.Show(full)}' exists. Nothing was written. Add --force to replace it, or choose another file.");
        }

        OutputPath.CheckWritable(full, option);
        return full;
    }

    /// <summary>
    /// Checks a folder output: a usable path, neither an input folder nor holding an input, accepted by
    /// <paramref name="options"/> (new, empty, written by Sarcostat, or <c>--force</c>), and writable.
    /// </summary>
    /// <returns>The full path.</returns>
    /// <exception cref="OutputException">The output is refused.</exception>
    public static string Folder(string option, string? path, FolderOptions options, IEnumerable<string> inputs)
    {
        var full = OutputPath.CheckFolder(path, option);
        RefuseInput(option, full, inputs, folder: true);
        try
        {
            AtomicOutput.CheckFolder(full, options);
        }
        catch (OutputException e) when (e.Refused)
        {
            throw new OutputException($"{option} {e.Message}");
        }

        OutputPath.CheckWritable(full, option);
        return full;
    }

    private static void RefuseInput(string option, string full, IEnumerable<string> inputs, bool folder)
    {
        var usable = inputs.Where(i => !string.IsNullOrWhiteSpace(i) && !i.Contains('\0', StringComparison.Ordinal)).ToList();
        if (usable.Find(i => OutputPath.Same(full, i)) is not null)
        {
            throw new OutputException($"{option} '{OutputPath.Show(full)}' is an input of this command; refusing to write over it. Nothing was written. Choose another {(folder ? "folder" : "file")}.");
        }

        if (folder && usable.Find(i => OutputPath.Within(i, full)) is { } inside)
        {
            throw new OutputException($"{option} '{OutputPath.Show(full)}' holds the input '{OutputPath.Show(inside)}'; refusing to write into it. Nothing was written. Choose another folder.");
        }
    }
}
