using System.Text;
using Sarcostat.Reports.Csv;
using Sarcostat.Reports.Docx;
using Sarcostat.Reports.Figures;
using Sarcostat.Reports.Html;
using Sarcostat.Reports.Svg;
using Sarcostat.Reports.Xlsx;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports;

/// <summary>
/// Writes a complete report folder: <c>report.html</c>, <c>report.docx</c> (figures embedded), <c>tables.xlsx</c> (one
/// sheet per table), <c>tables/&lt;id&gt;.csv</c> for every table (UTF-8 with a byte-order mark) and, for every figure, <c>figures/&lt;id&gt;.svg</c>, <c>.pdf</c> (vector), <c>.png</c> (300 dpi) and
/// <c>-600dpi.png</c>, all or nothing.
/// </summary>
/// <remarks>
/// <para>Everything is written into a temporary folder beside the destination, then moved into place; an existing
/// report folder is replaced only after every file was written, so a failure (a figure that cannot be drawn, a
/// full disk) leaves the previous report as it was and removes the partial one.</para>
/// <para>Replacing a folder deletes it, so the writer only replaces a folder it wrote itself: one holding the
/// marker file <c>.sarcostat-report</c>, or an empty one. Any other existing folder is refused, so that
/// <c>--out ~/Documents</c> cannot wipe a user's files.</para>
/// <para>Text files are UTF-8, without a byte-order mark except the CSV tables (Excel needs it to read UTF-8), line
/// feeds as the renderers write them (CSV: CRLF).
/// HTML, CSV and SVG bytes depend only on the report; the .docx as well (fixed zip timestamps, see
/// <see cref="DocxRenderer"/>).</para>
/// </remarks>
public static class ReportWriter
{
    /// <summary>Name of the marker file that identifies a folder written by this class.</summary>
    public const string MarkerFileName = ".sarcostat-report";

    private const string MarkerText = "This folder was written by Sarcostat. Writing the report again replaces the whole folder.\n";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    // Makes staging folder names unique within a process (the process id makes them unique across processes).
    private static int _counter;

    /// <summary>Writes the report folder <paramref name="outDir"/>, replacing a previous report there.</summary>
    /// <param name="report">The report.</param>
    /// <param name="outDir">Destination folder (created, or replaced when it holds a previous report).</param>
    /// <returns>Full paths of the files written, in writing order (the marker file last).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outDir"/> is empty; an item id is empty, duplicated or not a safe file name; a table or figure cannot be rendered.</exception>
    /// <exception cref="IOException"><paramref name="outDir"/> exists and is neither empty nor a previous report folder, or a file could not be written.</exception>
    public static IReadOnlyList<string> Write(StudyReport report, string outDir) => Write(report, outDir, afterFile: null);

    /// <summary>As <see cref="Write(StudyReport, string)"/>, calling <paramref name="afterFile"/> after each file (tests inject failures here).</summary>
    internal static IReadOnlyList<string> Write(StudyReport report, string outDir, Action<string>? afterFile)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        CheckIds(report);

        var destination = Path.GetFullPath(outDir).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(destination) ?? throw new ArgumentException($"Cannot write a report to the root folder '{destination}'.", nameof(outDir));
        var name = Path.GetFileName(destination);
        if (File.Exists(destination))
        {
            throw new IOException($"Cannot write the report to '{destination}': a file of that name exists.");
        }

        if (Directory.Exists(destination) && !IsReplaceable(destination))
        {
            throw new IOException(
                $"Refusing to replace '{destination}': it is not empty and is not a Sarcostat report folder (no {MarkerFileName} file). Choose another --out folder.");
        }

        Directory.CreateDirectory(parent);
        var suffix = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Interlocked.Increment(ref _counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var staging = Path.Combine(parent, $".{name}.writing-{suffix}");
        var relative = new List<string>();
        try
        {
            Directory.CreateDirectory(staging);
            WriteAll(report, staging, relative, afterFile);
            Swap(staging, destination, Path.Combine(parent, $".{name}.previous-{suffix}"));
        }
        catch
        {
            TryDelete(staging);
            throw;
        }

        return relative.Select(r => Path.Combine(destination, r)).ToList();
    }

    private static void WriteAll(StudyReport report, string staging, List<string> written, Action<string>? afterFile)
    {
        void Text(string relative, string content)
        {
            var path = Path.Combine(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, Utf8);
            written.Add(relative);
            afterFile?.Invoke(relative);
        }

        void Bytes(string relative, byte[] content)
        {
            var path = Path.Combine(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            written.Add(relative);
            afterFile?.Invoke(relative);
        }

        Text("report.html", HtmlRenderer.Render(report));

        // Each figure is drawn once as SVG; the PNG and PDF files and the picture in the .docx are made from it.
        var svgs = report.Figures.ToDictionary(f => f.Id, SvgRenderer.Render, StringComparer.Ordinal);
        var png300 = report.Figures.ToDictionary(f => f.Id, f => FigureExport.Png(svgs[f.Id], 300), StringComparer.Ordinal);

        var docx = Path.Combine(staging, "report.docx");
        using (var stream = new FileStream(docx, FileMode.CreateNew, FileAccess.Write))
        {
            DocxRenderer.Write(report, stream, f => png300[f.Id]);
        }

        written.Add("report.docx");
        afterFile?.Invoke("report.docx");

        var xlsx = Path.Combine(staging, "tables.xlsx");
        using (var stream = new FileStream(xlsx, FileMode.CreateNew, FileAccess.Write))
        {
            XlsxRenderer.Write(report, stream);
        }

        written.Add("tables.xlsx");
        afterFile?.Invoke("tables.xlsx");

        foreach (var table in report.Tables)
        {
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            CsvRenderer.Write(table, writer);
            // With a byte-order mark, so that Excel opens "≥" and "–" as UTF-8.
            Bytes(Path.Combine("tables", table.Id + ".csv"), [.. Utf8Bom, .. Utf8.GetBytes(writer.ToString())]);
        }

        foreach (var figure in report.Figures)
        {
            var svg = svgs[figure.Id];
            Text(Path.Combine("figures", figure.Id + ".svg"), svg);
            Bytes(Path.Combine("figures", figure.Id + ".png"), png300[figure.Id]);
            Bytes(Path.Combine("figures", figure.Id + "-600dpi.png"), FigureExport.Png(svg, 600));
            Bytes(Path.Combine("figures", figure.Id + ".pdf"), FigureExport.Pdf(svg, figure.Title));
        }

        Text(MarkerFileName, MarkerText);
    }

    /// <summary>
    /// Puts <paramref name="staging"/> at <paramref name="destination"/>: an existing folder is first renamed aside,
    /// and renamed back if the move fails, then deleted. Renames within one parent folder are atomic on the file
    /// systems we target, so the destination is at every moment either the old report or the new one.
    /// </summary>
    private static void Swap(string staging, string destination, string aside)
    {
        if (!Directory.Exists(destination))
        {
            Directory.Move(staging, destination);
            return;
        }

        Directory.Move(destination, aside);
        try
        {
            Directory.Move(staging, destination);
        }
        catch
        {
            Directory.Move(aside, destination);
            throw;
        }

        TryDelete(aside);
    }

    private static bool IsReplaceable(string folder) =>
        File.Exists(Path.Combine(folder, MarkerFileName)) || !Directory.EnumerateFileSystemEntries(folder).Any();

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
            // Best effort: a leftover hidden temporary folder is harmless and must not hide the original error.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>Item ids become file names: they must be non-empty, unique and made of letters, digits, '-', '_' and '.'.</summary>
    private static void CheckIds(StudyReport report)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in report.Sections.SelectMany(s => s.Items).Where(i => i is TableItem or FigureItem))
        {
            var id = item.Id;
            if (string.IsNullOrEmpty(id) || id[0] == '.' || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"Item id '{id}' cannot be a file name: use letters, digits, '-', '_' and '.' (not first).", nameof(report));
            }

            if (!seen.Add(id))
            {
                throw new ArgumentException($"Item id '{id}' is used twice; table and figure ids name their files and must be unique (ignoring case).", nameof(report));
            }
        }
    }
}
