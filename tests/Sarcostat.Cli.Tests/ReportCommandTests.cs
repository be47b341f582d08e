namespace Sarcostat.Cli.Tests;

/// <summary><c>sarcostat report</c>, the main job, from the command line.</summary>
public class ReportCommandTests
{
    [Theory]
    [InlineData("chang2024", "Table 6")]
    [InlineData("nakayama2022", "Table 3")]
    public void Report_on_the_demo_cohort_writes_html_docx_csv_and_svg(string protocol, string lastTable)
    {
        using var d = Cli.Temp();
        var outDir = Path.Combine(d.Path, "r");
        var r = Cli.Run("report", "--protocol", protocol, "--out", outDir, "--date", "2026-11-22");
        r.ExitCode.Should().Be(0, r.Error);
        File.Exists(Path.Combine(outDir, "report.html")).Should().BeTrue();
        File.Exists(Path.Combine(outDir, "report.docx")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(outDir, "tables"), "*.csv").Should().NotBeEmpty();
        Directory.GetFiles(Path.Combine(outDir, "figures"), "*.svg").Should().NotBeEmpty();
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        html.Should().Contain(lastTable);
        r.Out.Should().Contain("report.html");
        r.Error.Should().Contain("SYNTHETIC demo cohort");
    }

    [Fact]
    public void Running_twice_on_the_same_inputs_gives_byte_identical_tables_and_html()
    {
        using var d = Cli.Temp();
        string a = Path.Combine(d.Path, "a"), b = Path.Combine(d.Path, "b");
        Cli.Run("report", "--out", a, "--date", "2026-11-22").ExitCode.Should().Be(0);
        Cli.Run("report", "--out", b, "--date", "2026-11-22").ExitCode.Should().Be(0);
        foreach (var f in Directory.GetFiles(Path.Combine(a, "tables")).Append(Path.Combine(a, "report.html")))
        {
            var twin = Path.Combine(b, Path.GetRelativePath(a, f));
            File.ReadAllBytes(twin).Should().Equal(File.ReadAllBytes(f), Path.GetFileName(f));
        }
    }

    [Fact]
    public void Errors_in_the_cohort_stop_the_run_before_anything_is_written()
    {
        using var d = Cli.Temp();
        var cohort = Path.Combine(d.Path, "messy");
        Cli.Run("simulate", "--like", "chang2024", "--messy", "--out", cohort).ExitCode.Should().Be(0);
        var outDir = Path.Combine(d.Path, "report");
        var r = Cli.Run("report", cohort, "--out", outDir);
        r.ExitCode.Should().Be(1);
        r.Out.Should().Contain("expected");
        r.Error.Should().Contain("no report was written");
        Directory.Exists(outDir).Should().BeFalse();
    }

    [Fact]
    public void Convention_spss_is_named_in_the_report()
    {
        using var d = Cli.Temp();
        var outDir = Path.Combine(d.Path, "r");
        Cli.Run("report", "--protocol", "nakayama2022", "--convention", "spss", "--out", outDir, "--date", "2026-11-22").ExitCode.Should().Be(0);
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        html.Should().Contain("SPSS").And.Contain("Breslow");
    }

    [Fact]
    public void The_methods_cite_the_version_and_the_embedded_commit_and_under_spss_who_computed()
    {
        // The commit as the build embedded it (assembly metadata), never a hard-coded text.
        var commit = typeof(Sarcostat.Study.SoftwareBuild).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SarcostatCommit").Value;
        commit.Should().NotBeNullOrEmpty();
        var version = typeof(Sarcostat.Study.SoftwareBuild).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];

        using var d = Cli.Temp();
        string r = Path.Combine(d.Path, "r"), spss = Path.Combine(d.Path, "spss");
        Cli.Run("report", "--protocol", "nakayama2022", "--out", r, "--date", "2026-11-22").ExitCode.Should().Be(0);
        Cli.Run("report", "--protocol", "nakayama2022", "--convention", "spss", "--out", spss, "--date", "2026-11-22").ExitCode.Should().Be(0);
        var rHtml = File.ReadAllText(Path.Combine(r, "report.html"));
        var spssHtml = File.ReadAllText(Path.Combine(spss, "report.html"));
        rHtml.Should().Contain($"Sarcostat {version} (commit {commit})").And.NotContain("not by SPSS");
        spssHtml.Should().Contain($"Sarcostat {version} (commit {commit})")
            .And.Contain("Breslow").And.Contain("symmetric CI of the median survival time")
            .And.Contain("computed by Sarcostat").And.Contain("not by SPSS");
    }

    [Fact]
    public void An_unknown_protocol_is_a_clear_error()
    {
        var r = Cli.Run("report", "--protocol", "nakayama2023");
        r.ExitCode.Should().Be(1);
        r.Error.Should().Contain("nakayama2023").And.Contain("chang2024");
    }
}
