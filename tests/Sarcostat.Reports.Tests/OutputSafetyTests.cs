using Sarcostat.Files.Output;
using Sarcostat.Reports.Csv;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

/// <summary>Issue 9, outputs: a report re-run keeps what the user added; CSV tables carry no formula.</summary>
public class OutputSafetyTests
{
    private static string Rel(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    [Fact]
    public void A_rerun_replaces_only_the_reports_files_and_keeps_the_files_the_user_added()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        ReportWriter.Write(SampleReports.Small(), outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "my notes");
        File.WriteAllText(Path.Combine(outDir, "figures", "my-figure.svg"), "<svg/>");
        Directory.CreateDirectory(Path.Combine(outDir, "drafts"));
        File.WriteAllText(Path.Combine(outDir, "drafts", "letter.docx"), "draft");

        var smaller = SampleReports.Small() with { Title = "Second run", Sections = [SampleReports.Small().Sections[0]] };
        var output = ReportWriter.WriteFolder(smaller, outDir, force: false);

        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("<h1>Second run</h1>");
        File.Exists(Path.Combine(outDir, "figures", "figure-2.svg")).Should().BeFalse("a file the previous report wrote and this one does not is removed");
        File.ReadAllText(Path.Combine(outDir, "notes.txt")).Should().Be("my notes");
        File.ReadAllText(Path.Combine(outDir, "figures", "my-figure.svg")).Should().Be("<svg/>");
        File.ReadAllText(Path.Combine(outDir, "drafts", "letter.docx")).Should().Be("draft");
        output.Kept.Should().Equal("drafts/letter.docx", "figures/my-figure.svg", "notes.txt");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle("no temporary folder is left beside the report");

        var manifest = File.ReadAllLines(Path.Combine(outDir, ReportWriter.MarkerFileName));
        manifest[0].Should().Be(AtomicOutput.ManifestHeader);
        manifest.Where(l => !l.StartsWith('#')).Should().Equal(output.Written.Where(w => w != ReportWriter.MarkerFileName));
        manifest.Should().NotContain("notes.txt");
    }

    [Fact]
    public void A_users_file_at_the_name_of_a_new_report_file_is_refused_without_force()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        var smaller = SampleReports.Small() with { Sections = [SampleReports.Small().Sections[0]] };
        ReportWriter.Write(smaller, outDir);
        Directory.CreateDirectory(Path.Combine(outDir, "figures"));
        File.WriteAllText(Path.Combine(outDir, "figures", "figure-2.svg"), "mine");

        var act = () => ReportWriter.WriteFolder(SampleReports.Small(), outDir, force: false);
        act.Should().Throw<OutputException>().Where(e => e.Refused).WithMessage("*figures/figure-2.svg*Sarcostat did not write*--force*");
        File.ReadAllText(Path.Combine(outDir, "figures", "figure-2.svg")).Should().Be("mine");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle();

        ReportWriter.WriteFolder(SampleReports.Small(), outDir, force: true).Kept.Should().BeEmpty();
        File.ReadAllText(Path.Combine(outDir, "figures", "figure-2.svg")).Should().StartWith("<svg");
    }

    [Fact]
    public void Force_writes_into_a_folder_of_the_users_and_keeps_every_other_file()
    {
        using var temp = new TempFolder();
        var outDir = temp["documents"];
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "thesis.docx"), "precious");

        var output = ReportWriter.WriteFolder(SampleReports.Small(), outDir, force: true);

        File.ReadAllText(Path.Combine(outDir, "thesis.docx")).Should().Be("precious");
        output.Kept.Should().Equal("thesis.docx");
        File.Exists(Path.Combine(outDir, "report.html")).Should().BeTrue();
    }

    [Fact]
    public void A_users_file_where_the_report_needs_a_folder_is_refused_even_with_force()
    {
        using var temp = new TempFolder();
        var outDir = temp["documents"];
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "tables"), "a file named tables");

        var act = () => ReportWriter.WriteFolder(SampleReports.Small(), outDir, force: true);

        act.Should().Throw<OutputException>().Where(e => e.Refused).WithMessage("*tables' is a file where the report writes a folder*");
        Directory.EnumerateFileSystemEntries(outDir).Should().ContainSingle();
        File.ReadAllText(Path.Combine(outDir, "tables")).Should().Be("a file named tables");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle();
    }

    [Fact]
    public void A_manifest_cannot_make_the_writer_delete_anything_outside_the_folder()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        File.WriteAllText(temp["victim.txt"], "outside");
        ReportWriter.Write(SampleReports.Small(), outDir);
        File.AppendAllLines(Path.Combine(outDir, ReportWriter.MarkerFileName), ["../victim.txt", "/etc/hostname", "a/../../victim.txt"]);

        ReportWriter.Write(SampleReports.Small(), outDir);

        File.ReadAllText(temp["victim.txt"]).Should().Be("outside");
    }

    [Fact]
    public void A_folder_marked_by_an_older_version_keeps_every_file_it_does_not_rewrite()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, ReportWriter.MarkerFileName), "This folder was written by Sarcostat. Writing the report again replaces the whole folder.\n");
        File.WriteAllText(Path.Combine(outDir, "report.html"), "old");
        File.WriteAllText(Path.Combine(outDir, "mine.txt"), "mine");

        var output = ReportWriter.WriteFolder(SampleReports.Small(), outDir, force: false);

        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().NotBe("old");
        output.Kept.Should().Equal("mine.txt");
    }

    [Fact]
    public void The_temporary_folder_of_an_interrupted_run_is_removed_by_the_next_run_and_nothing_else()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];

        // An interrupted run: a marked temporary folder from a process that no longer runs, started long ago.
        var stale = temp[".sarcostat-tmp-report-999999-0123456789abcdef"];
        Directory.CreateDirectory(Path.Combine(stale, "tables"));
        File.WriteAllText(Path.Combine(stale, AtomicOutput.TempMarker), "Temporary folder of a Sarcostat run.\npid 2147483646\nstarted 2020-01-01T00:00:00.0000000Z\n");
        File.WriteAllText(Path.Combine(stale, "tables", "table-2.csv"), "half-written");

        // Look-alikes that are not the tool's: the name without the marker, and the marker without the name.
        var unmarked = temp[".sarcostat-tmp-mine"];
        Directory.CreateDirectory(unmarked);
        File.WriteAllText(Path.Combine(unmarked, "keep.txt"), "keep");
        var renamed = temp["sarcostat-tmp-copy"];
        Directory.CreateDirectory(renamed);
        File.WriteAllText(Path.Combine(renamed, AtomicOutput.TempMarker), "pid 2147483646\nstarted 2020-01-01T00:00:00.0000000Z\n");

        // A run that started after this process (still writing, as far as we can tell) is left alone.
        var running = temp[".sarcostat-tmp-report-1-fedcba9876543210"];
        Directory.CreateDirectory(running);
        File.WriteAllText(Path.Combine(running, AtomicOutput.TempMarker), $"pid 1\nstarted {DateTime.UtcNow.AddMinutes(5):O}\n");

        ReportWriter.Write(SampleReports.Small(), outDir);

        Directory.Exists(stale).Should().BeFalse("the interrupted run's temporary folder is cleaned up");
        File.ReadAllText(Path.Combine(unmarked, "keep.txt")).Should().Be("keep");
        Directory.Exists(renamed).Should().BeTrue();
        Directory.Exists(running).Should().BeTrue();
    }

    [Fact]
    public void Hostile_labels_in_a_report_table_are_written_as_text_and_numbers_stay_numbers()
    {
        var table = new TableItem(
            "table-9",
            "Hostile",
            ["Variable", "=cmd|' /C calc'!A0", "HR"],
            [
                new TableRow(["Group"], IsHeading: true),
                new TableRow(["=HYPERLINK(\"http://x\")", "1", new TableCell("-1.5", -1.5)], Indent: 1),
                new TableRow(["@SUM(1)", "+1+1", new TableCell("-3e-5", -3e-5)], Indent: 1),
                new TableRow(["-2+3", "\t=1", new TableCell("-", double.NegativeInfinity)], Indent: 1),
                new TableRow(["\r=1", "-", "+2"], Indent: 1),
            ],
            []);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        CsvRenderer.Write(table, writer);
        var records = CsvRendererTests.Parse(writer.ToString());

        records[0].Should().Equal("variable", "level", "indent", "'=cmd|' /C calc'!A0", "HR", "HR (value)");
        records[2][1].Should().Be("'=HYPERLINK(\"http://x\")");
        records[2][4].Should().Be("-1.5", "a negative number stays a number");
        records[2][5].Should().Be("-1.5");
        records[3][1].Should().Be("'@SUM(1)");
        records[3][3].Should().Be("'+1+1");
        records[3][5].Should().Be("-3E-05", "the raw value of -3e-5 in round-trip format is a number");
        records[4][1].Should().Be("'-2+3", "-2+3 is a formula, not a number");
        records[4][3].Should().Be("'\t=1");
        records[4][4].Should().Be("-", "the placeholder dash is kept");
        records[4][5].Should().Be("-Inf", "R's spelling of minus infinity stays readable as a number");
        records[5][1].Should().Be("'\r=1");
        records[5][4].Should().Be("+2");
        records.SelectMany(r => r).Should().OnlyContain(c => c.Length == 0 || !"=+@\t\r".Contains(c[0], StringComparison.Ordinal) || c == "+2");
    }
}
