using System.IO.Compression;

namespace Sarcostat.Reports;

/// <summary>Makes an OpenXML package's bytes depend only on its content (the .docx and .xlsx writers).</summary>
internal static class ZipNormaliser
{
    /// <summary>
    /// Copies the package into <paramref name="output"/> with every zip entry dated <paramref name="date"/> 00:00
    /// (System.IO.Packaging stamps entries with the current time, which would make every run's bytes differ).
    /// Entry order, names and contents are kept.
    /// </summary>
    public static void Copy(MemoryStream package, Stream output, DateOnly date)
    {
        var stamp = new DateTimeOffset(Math.Max(date.Year, 1980), date.Year < 1980 ? 1 : date.Month, date.Year < 1980 ? 1 : date.Day, 0, 0, 0, TimeSpan.Zero);
        package.Position = 0;
        using var source = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = stamp;
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }
}
