using System.Text;
using Sarcostat.Files.Output;
using Sarcostat.Reports.Csv;
using Sarcostat.Reports.Docx;
using Sarcostat.Reports.Figures;
using Sarcostat.Reports.Html;
using Sarcostat.Reports.Json;
using Sarcostat.Reports.Svg;
using Sarcostat.Reports.Xlsx;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports;

/// <summary>A report file written (<see cref="ReportWriter.Write(StudyReport, string, IProgress{ReportFileWritten})"/>).</summary>
/// <param name="File">Its path relative to the report folder, with '/' separators (<c>report.html</c>, <c>figures/figure-1.png</c>).</param>
/// <param name="Written">Files written so far, this one included (1 for the first).</param>
/// <param name="Of">Files the report will have (<see cref="ReportWriter.FileCount"/>).</param>
public readonly record struct ReportFileWritten(string File, int Written, int Of);

/// <summary>
/// Writes a complete report folder: <c>report.html</c>, <c>report.docx</c> (figures embedded), <c>tables.xlsx</c> (one
/// sheet per table), <c>results.json</c> (every number of every table), <c>cohort.csv</c> and <c>cohort-dictionary.csv</c> (the analysed cohort, when the report carries it), <c>tables/&lt;id&gt;.csv</c> for every table (UTF-8 with a byte-order mark) and, for every figure, <c>figures/&lt;id&gt;.svg</c>, <c>.pdf</c> (vector), <c>.png</c> (300 dpi) and
/// <c>-600dpi.png</c>, all or nothing.
/// </summary>
/// <remarks>
/// <para>Everything is written into a temporary folder beside the destination (<see cref="AtomicOutput"/>), then
/// moved into place; a failure (a figure that cannot be drawn, a full disk) leaves the previous report as it was and
/// removes the partial one.</para>
/// <para>The folder holds a manifest, <c>.sarcostat-report</c>, listing the files the report wrote. Writing the
/// report again into the folder replaces those files and removes the listed ones the new report no longer has (a
/// table dropped from the protocol); files the user added are kept and returned in
/// <see cref="FolderOutput.Kept"/>. A folder that is not empty and has no manifest is refused (so that
/// <c>--out ~/Documents</c> cannot touch a user's files), and so is a user's file at the name of a report file,
/// unless <c>force</c>.</para>
/// <para>Text files are UTF-8, without a byte-order mark except the CSV tables (Excel needs it to read UTF-8), line
/// feeds as the renderers write them (CSV: CRLF).
/// HTML, CSV and SVG bytes depend only on the report; the .docx as well (fixed zip timestamps, see
/// <see cref="DocxRenderer"/>).</para>
/// </remarks>
public static class ReportWriter
{
    /// <summary>Name of the manifest file that identifies a folder written by this class and lists its files.</summary>
    public const string MarkerFileName = ".sarcostat-report";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Writes the report folder <paramref name="outDir"/>, replacing a previous report there.</summary>
    /// <param name="report">The report.</param>
    /// <param name="outDir">Destination folder (created, or updated when it holds a previous report).</param>
    /// <returns>Full paths of the files written, in writing order (the manifest last).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outDir"/> is empty; an item id is empty, duplicated or not a safe file name; a table or figure cannot be rendered.</exception>
    /// <exception cref="IOException">(An <see cref="OutputException"/>.) <paramref name="outDir"/> is refused (not empty and not a report folder, a file, the root folder), or a file could not be written.</exception>
    public static IReadOnlyList<string> Write(StudyReport report, string outDir) => Write(report, outDir, afterFile: null);

    /// <summary>
    /// Writes the report folder as <see cref="Write(StudyReport, string)"/> (the same bytes), telling
    /// <paramref name="progress"/> after each file is written into the staging folder: its name and that it is file k
    /// of n (n = <see cref="FileCount"/>, the manifest not counted). A long run on a server shows this to its user.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="outDir">Destination folder.</param>
    /// <param name="progress">Told of each file, synchronously on the writing thread; null for none.</param>
    /// <returns>As <see cref="Write(StudyReport, string)"/>.</returns>
    /// <exception cref="ArgumentException">As <see cref="Write(StudyReport, string)"/>.</exception>
    /// <exception cref="IOException">(An <see cref="OutputException"/>.) As <see cref="Write(StudyReport, string)"/>.</exception>
    public static IReadOnlyList<string> Write(StudyReport report, string outDir, IProgress<ReportFileWritten>? progress)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (progress is null)
        {
            return Write(report, outDir, afterFile: null);
        }

        var of = FileCount(report);
        var k = 0;
        return Write(report, outDir, afterFile: f => progress.Report(new ReportFileWritten(f.Replace('\\', '/'), ++k, of)));
    }

    /// <summary>
    /// How many files <see cref="Write(StudyReport, string)"/> writes for <paramref name="report"/>, the manifest not
    /// counted: the HTML, the .docx, the .xlsx, results.json, the cohort and its dictionary (when the report carries
    /// the cohort), a CSV per table and four files per figure (SVG, PNG, 600 dpi PNG, PDF).
    /// </summary>
    public static int FileCount(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return 4 + (report.Cohort is null ? 0 : 2) + report.Tables.Count() + (4 * report.Figures.Count());
    }

    /// <summary>
    /// Writes the report folder as <see cref="Write(StudyReport, string)"/>; with <paramref name="force"/> a
    /// non-empty folder that is not a report folder is written into too, and a user's file at the name of a report
    /// file is replaced. Files of other names are always kept.
    /// </summary>
    /// <returns>The folder, the files written (relative, manifest last) and the user's files kept.</returns>
    /// <exception cref="ArgumentException">As <see cref="Write(StudyReport, string)"/>.</exception>
    /// <exception cref="IOException">(An <see cref="OutputException"/>.) As <see cref="Write(StudyReport, string)"/>.</exception>
    public static FolderOutput WriteFolder(StudyReport report, string outDir, bool force) => WriteFolder(report, outDir, force, afterFile: null);

    /// <summary>The options the report folder is written with (the CLI checks --out with them before the analysis runs).</summary>
    public static FolderOptions Options(bool force) => new("report", MarkerFileName, force);

    /// <summary>As <see cref="Write(StudyReport, string)"/>, calling <paramref name="afterFile"/> after each file (tests inject failures here).</summary>
    internal static IReadOnlyList<string> Write(StudyReport report, string outDir, Action<string>? afterFile)
    {
        var output = WriteFolder(report, outDir, force: false, afterFile);
        return output.Written.Select(r => Path.Combine(output.Folder, r.Replace('/', Path.DirectorySeparatorChar))).ToList();
    }

    internal static FolderOutput WriteFolder(StudyReport report, string outDir, bool force, Action<string>? afterFile)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        CheckIds(report);
        return AtomicOutput.WriteFolder(outDir, staging =>
        {
            var relative = new List<string>();
            WriteAll(report, staging, relative, afterFile);
            return relative;
        }, Options(force));
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

        // Every number of every table at full precision, for re-analysis (Json/JsonRenderer.cs).
        Text("results.json", JsonRenderer.Render(report));

        if (report.Cohort is { } cohort)
        {
            // The analysed cohort and its data dictionary (Csv/CohortCsvRenderer.cs), with a byte-order mark as the tables.
            using var rows = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            CohortCsvRenderer.WriteCohort(cohort, rows);
            Bytes("cohort.csv", [.. Utf8Bom, .. Utf8.GetBytes(rows.ToString())]);
            using var dictionary = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            CohortCsvRenderer.WriteDictionary(cohort, dictionary);
            Bytes("cohort-dictionary.csv", [.. Utf8Bom, .. Utf8.GetBytes(dictionary.ToString())]);
        }

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
