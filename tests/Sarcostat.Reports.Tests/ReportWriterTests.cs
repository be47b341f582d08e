using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class ReportWriterTests
{
    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes);

    [Fact]
    public void Writes_the_html_the_docx_a_csv_per_table_and_svg_pdf_and_png_per_figure()
    {
        using var temp = new TempFolder();
        var outDir = temp["sarcostat-report"];
        var written = ReportWriter.Write(SampleReports.Small(), outDir);

        written.Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')).Should().Equal(
            "report.html", "report.docx", "tables.xlsx", "results.json", "tables/table-2.csv", "tables/table-3.csv",
            "figures/figure-1.svg", "figures/figure-1.png", "figures/figure-1-600dpi.png", "figures/figure-1.pdf",
            "figures/figure-2.svg", "figures/figure-2.png", "figures/figure-2-600dpi.png", "figures/figure-2.pdf",
            "figures/figure-3.svg", "figures/figure-3.png", "figures/figure-3-600dpi.png", "figures/figure-3.pdf",
            "figures/figure-5.svg", "figures/figure-5.png", "figures/figure-5-600dpi.png", "figures/figure-5.pdf",
            ".sarcostat-report");
        Snapshot(outDir).Keys.Should().BeEquivalentTo(written.Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/')));
        File.ReadAllText(Path.Combine(outDir, "figures", "figure-2.svg")).Should().Be(SvgRenderer.Render(SampleReports.SmallKaplanMeier()));
        File.ReadAllText(Path.Combine(outDir, "figures", "figure-5.svg")).Should().Be(SvgRenderer.Render(SampleReports.Schoenfeld()), "the Word report's residual plot, with its band");
        var svg = SvgRenderer.Render(SampleReports.SmallKaplanMeier());
        File.ReadAllBytes(Path.Combine(outDir, "figures", "figure-2.png")).Should().Equal(Sarcostat.Reports.Figures.FigureExport.Png(svg, 300), "the PNG is drawn from the SVG file's markup");
        File.ReadAllBytes(Path.Combine(outDir, "figures", "figure-2-600dpi.png")).Should().Equal(Sarcostat.Reports.Figures.FigureExport.Png(svg, 600));
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle("no temporary folder is left beside the report");
    }

    [Fact]
    public void Progress_names_each_file_in_writing_order_as_k_of_n_and_the_bytes_are_those_of_the_plain_write()
    {
        using var temp = new TempFolder();
        var plain = ReportWriter.Write(SampleReports.Small(), temp["plain"]);
        var seen = new List<ReportFileWritten>();
        var written = ReportWriter.Write(SampleReports.Small(), temp["progress"], new Recorder(seen));

        var files = written.Select(f => Path.GetRelativePath(temp["progress"], f).Replace('\\', '/')).ToList();
        files[^1].Should().Be(".sarcostat-report");
        seen.Select(p => p.File).Should().Equal(files.Take(files.Count - 1), "one report per file, the manifest not counted");
        seen.Select(p => p.Written).Should().Equal(Enumerable.Range(1, files.Count - 1));
        seen.Should().OnlyContain(p => p.Of == files.Count - 1, "n is known before the first file");
        ReportWriter.FileCount(SampleReports.Small()).Should().Be(files.Count - 1);
        var a = Snapshot(temp["plain"]);
        var b = Snapshot(temp["progress"]);
        b.Keys.Should().BeEquivalentTo(a.Keys);
        plain.Should().HaveCount(written.Count);
        foreach (var (name, bytes) in a)
        {
            b[name].Should().Equal(bytes, $"the progress overload writes the same bytes ({name})");
        }
    }

    private sealed class Recorder(List<ReportFileWritten> seen) : IProgress<ReportFileWritten>
    {
        public void Report(ReportFileWritten value) => seen.Add(value);
    }

    [Fact]
    public void Csv_tables_are_utf8_with_a_byte_order_mark_and_other_text_files_without()
    {
        using var temp = new TempFolder();
        var outDir = temp["out"];
        ReportWriter.Write(SampleReports.Small(), outDir);
        var csv = File.ReadAllBytes(Path.Combine(outDir, "tables", "table-2.csv"));
        csv.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF }, "Excel reads a CSV as UTF-8 only with the mark");
        System.Text.Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Should().StartWith("variable,").And.Contain("\u226512 months");
        File.ReadAllBytes(Path.Combine(outDir, "report.html")).Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF });
    }

    [Fact]
    public void Writing_the_same_report_twice_gives_identical_bytes_for_every_file()
    {
        using var temp = new TempFolder();
        ReportWriter.Write(SampleReports.Small(), temp["a"]);
        ReportWriter.Write(SampleReports.Small(), temp["b"]);
        var a = Snapshot(temp["a"]);
        var b = Snapshot(temp["b"]);
        a.Keys.Should().BeEquivalentTo(b.Keys);
        foreach (var (name, bytes) in a)
        {
            b[name].Should().Equal(bytes, name);
        }
    }

    [Fact]
    public void A_previous_report_is_replaced_as_a_whole()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        ReportWriter.Write(SampleReports.Small(), outDir);
        var smaller = SampleReports.Small() with { Title = "Second run", Sections = [SampleReports.Small().Sections[0]] };
        ReportWriter.Write(smaller, outDir);

        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("<h1>Second run</h1>");
        File.Exists(Path.Combine(outDir, "figures", "figure-2.svg")).Should().BeFalse("files of the previous run do not linger");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle();
    }

    [Fact]
    public void An_existing_report_is_untouched_when_writing_fails_midway()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        ReportWriter.Write(SampleReports.Small(), outDir);
        var before = Snapshot(outDir);

        var changed = SampleReports.Small() with { Title = "New run" };
        var act = () => ReportWriter.Write(changed, outDir, afterFile: f =>
        {
            if (f == Path.Combine("tables", "table-3.csv"))
            {
                throw new IOException("disk full (injected)");
            }
        });

        act.Should().Throw<IOException>().WithMessage("*disk full (injected)*Nothing was written*");
        var after = Snapshot(outDir);
        after.Keys.Should().BeEquivalentTo(before.Keys);
        foreach (var (name, bytes) in before)
        {
            after[name].Should().Equal(bytes, name);
        }

        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle("the partial report is removed");
    }

    [Fact]
    public void An_existing_report_is_untouched_when_a_figure_cannot_be_drawn()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        ReportWriter.Write(SampleReports.Small(), outDir);
        var before = Snapshot(outDir);

        var badFigure = SampleReports.SmallKaplanMeier() with { Id = "figure-9", Ticks = [0] };
        var broken = SampleReports.Small() with
        {
            Sections = [.. SampleReports.Small().Sections, new ReportSection("extra", "Extra", [badFigure])],
        };
        var act = () => ReportWriter.Write(broken, outDir);

        act.Should().Throw<ArgumentException>().WithMessage("*figure-9*");
        Snapshot(outDir).Keys.Should().BeEquivalentTo(before.Keys);
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle();
    }

    [Fact]
    public void A_folder_that_is_not_a_report_is_never_replaced()
    {
        using var temp = new TempFolder();
        var outDir = temp["documents"];
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "thesis.docx"), "precious");

        var act = () => ReportWriter.Write(SampleReports.Small(), outDir);

        act.Should().Throw<IOException>().WithMessage("*Refusing to write into*not a Sarcostat report folder*");
        File.ReadAllText(Path.Combine(outDir, "thesis.docx")).Should().Be("precious");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle();
    }

    [Fact]
    public void An_empty_existing_folder_is_used()
    {
        using var temp = new TempFolder();
        var outDir = temp["empty"];
        Directory.CreateDirectory(outDir);
        ReportWriter.Write(SampleReports.Small(), outDir).Should().NotBeEmpty();
        File.Exists(Path.Combine(outDir, "report.html")).Should().BeTrue();
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("figure 1")]
    [InlineData(".hidden")]
    [InlineData("")]
    public void Item_ids_that_are_not_safe_file_names_are_refused_before_anything_is_written(string id)
    {
        using var temp = new TempFolder();
        var report = SampleReports.Small() with { Sections = [new ReportSection("s", "S", [SampleReports.Flow() with { Id = id }])] };
        var act = () => ReportWriter.Write(report, temp["out"]);
        act.Should().Throw<ArgumentException>().WithMessage("*cannot be a file name*");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().BeEmpty();
    }

    [Fact]
    public void Two_items_with_the_same_id_are_refused()
    {
        using var temp = new TempFolder();
        var report = SampleReports.Small() with { Sections = [new ReportSection("s", "S", [SampleReports.Flow(), SampleReports.Flow()])] };
        var act = () => ReportWriter.Write(report, temp["out"]);
        act.Should().Throw<ArgumentException>().WithMessage("*figure-1*used twice*");
    }
}
