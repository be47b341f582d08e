namespace Sarcostat.Cli.Tests;

/// <summary>Issue 9, outputs: nothing the user has is destroyed, nothing executable leaks out.</summary>
public class OutputSafetyCliTests
{
    [Fact]
    public void A_terminal_escape_sequence_in_a_group_label_is_never_printed_raw()
    {
        using var d = Cli.Temp();
        var data = d.Write("data.csv", "t,e,g\n1,1,\u001b[31mred\n2,0,\u001b[31mred\n3,1,\u001b]0;owned\u0007\n4,1,\u001b]0;owned\u0007\n5,0,plain\n6,1,plain\n");

        var r = Cli.Run("km", data, "--time", "t", "--event", "e", "--group", "g");

        // The strict CSV reader refuses control characters in any field; the message shows them escaped.
        r.ExitCode.Should().Be(1, r.Error);
        (r.Out + r.Error).Should().NotContain("\u001b").And.NotContain("\u0007");
        r.Error.Should().Contain("data.csv row 2, column \"g\"").And.Contain("[control-character]");

        var logrank = Cli.Run("logrank", data, "--time", "t", "--event", "e", "--group", "g");
        (logrank.Out + logrank.Error).Should().NotContain("\u001b");
    }

    [Fact]
    public void The_problems_csv_of_validate_neutralises_a_found_value_that_a_spreadsheet_would_run()
    {
        using var d = Cli.Temp();
        var data = d.Write("patients.csv", "study_id,sex\nP1,\"=HYPERLINK(\"\"http://x\"\")\"\nP2,@SUM(1)\nP3,-2+3\n");
        var problems = Path.Combine(d.Path, "problems.csv");

        var r = Cli.Run("validate", data, "--problems", problems);

        r.ExitCode.Should().Be(1, r.Error);
        var text = File.ReadAllText(problems);
        text.Should().Contain("\"'=HYPERLINK(\"\"http://x\"\")\"").And.Contain(",'@SUM(1),").And.Contain(",'-2+3,");
        text.Split('\n').Should().NotContain(l => l.Contains(",=", StringComparison.Ordinal) || l.Contains(",@", StringComparison.Ordinal));

        var again = Cli.Run("validate", data, "--problems", problems);
        again.ExitCode.Should().Be(2, "the file exists now and --force was not given");
        Cli.Run("validate", data, "--problems", problems, "--force").ExitCode.Should().Be(1, "with --force the file is replaced; the cohort still has errors");
    }

    [Fact]
    public void A_report_rerun_into_its_folder_keeps_the_users_files_and_says_so()
    {
        using var d = Cli.Temp();
        var outDir = Path.Combine(d.Path, "r");
        Cli.Run("report", "--protocol", "nakayama2022", "--out", outDir, "--date", "2026-11-22").ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(outDir, "my-notes.txt"), "keep me");

        var r = Cli.Run("report", "--protocol", "nakayama2022", "--out", outDir, "--date", "2026-11-22");

        r.ExitCode.Should().Be(0, r.Error);
        File.ReadAllText(Path.Combine(outDir, "my-notes.txt")).Should().Be("keep me");
        r.Out.Should().Contain("Kept 1 file").And.Contain("my-notes.txt");
        Directory.GetFileSystemEntries(d.Path).Should().ContainSingle("no temporary folder is left beside the report");
    }

    [Fact]
    public void Template_with_force_replaces_its_files_and_keeps_the_others()
    {
        using var d = Cli.Temp();
        var mine = d.Write("mine.txt", "mine");
        d.Write("patients.csv", "edited");
        Cli.Run("template", "--out", d.Path, "--force").ExitCode.Should().Be(0);
        File.ReadAllLines(Path.Combine(d.Path, "patients.csv"))[0].Should().StartWith("study_id,");
        File.ReadAllText(mine).Should().Be("mine");
    }
}
