namespace Sarcostat.Cli.Tests;

/// <summary>The cohort commands from the command line: simulate, validate, template.</summary>
public class CohortCommandTests
{
    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Validate_of_a_messy_simulated_cohort_lists_exactly_the_manifest_and_exits_1(string like)
    {
        using var d = Cli.Temp();
        var dir = Path.Combine(d.Path, "x");
        Cli.Run("simulate", "--like", like, "--messy", "--seed", "7", "--out", dir).ExitCode.Should().Be(0);
        var problemsCsv = Path.Combine(d.Path, "problems.csv");
        var r = Cli.Run("validate", dir, "--problems", problemsCsv);
        r.ExitCode.Should().Be(1, r.Error);
        var manifest = File.ReadAllLines(Path.Combine(dir, "manifest.csv")).Skip(1).ToHashSet();
        var reported = File.ReadAllLines(problemsCsv).Skip(1)
            .Select(l => l.Split(','))
            .Where(c => c[4] == "error")
            .Select(c => string.Join(',', c[0], c[1], c[2], c[3]))
            .ToHashSet();
        reported.Should().BeEquivalentTo(manifest);
        r.Out.Split('\n').Count(l => l.Contains(" row ", StringComparison.Ordinal) && l.Contains("expected", StringComparison.Ordinal) && !l.Contains("warning", StringComparison.Ordinal))
            .Should().Be(manifest.Count, "one line per error");
    }

    [Fact]
    public void Validate_of_a_clean_simulated_cohort_exits_0()
    {
        using var d = Cli.Temp();
        var dir = Path.Combine(d.Path, "clean");
        Cli.Run("simulate", "--like", "nakayama2022", "--out", dir).ExitCode.Should().Be(0);
        var r = Cli.Run("validate", dir);
        r.ExitCode.Should().Be(0, r.Out + r.Error);
        r.Out.Should().Contain("66 patients accepted, 0 rejected; 0 errors");
    }

    [Fact]
    public void A_deliberately_broken_pair_of_sources_gets_one_line_per_problem()
    {
        using var d = Cli.Temp();
        const string header = "study_id,sex,histology,primary_site,lung_met_date,primary_surgery_date,last_contact_date,vital_status,nodules,pm_date";
        d.Write("a.yaml", "source: a\ndate_format: yyyy-MM-dd\nfiles:\n  patients: a.csv\n");
        d.Write("b.yaml", "source: b\ndate_format: yyyy-MM-dd\nfiles:\n  patients: b.csv\n");
        d.Write("a.csv", header + "\n"
            + "S1,male,leiomyosarcoma,extremity,2019-01-10,2018-03-01,2021-05-01,alive,2,2019-02-01\n"
            + "S2,female,leiomyosarcom,extremity,2019-01-10,2018-03-01,2021-05-01,alive,1,2019-02-01\n"   // unknown code
            + "S3,female,ups,trunk_wall,2019-01-10,2018-03-01,2018-05-01,alive,1,2019-02-01\n"            // last contact before PM
            + "S4,male,ups,trunk_wall,2019-01-10,2018-03-01,2021-05-01,alive,two,2019-02-01\n");          // text in a number column
        d.Write("b.csv", header + "\n"
            + "S1,female,leiomyosarcoma,extremity,2019-01-10,2018-03-01,2021-05-01,alive,2,2019-02-01\n"); // same patient, other sex
        var r = Cli.Run("validate", d.Path);
        r.ExitCode.Should().Be(1);
        var lines = r.Out.Split('\n').Where(l => l.Contains("expected", StringComparison.Ordinal) && !l.Contains("warning", StringComparison.Ordinal)).ToList();
        lines.Should().HaveCount(4, r.Out);
        lines.Should().Contain(l => l.StartsWith("a.csv row 3, column \"histology\": found \"leiomyosarcom\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("a.csv row 4, column \"last_contact_date\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("a.csv row 5, column \"nodules\": found \"two\"", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("b.csv row 2, column \"sex\": found \"female\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Simulate_refuses_a_folder_that_holds_files_and_changes_nothing()
    {
        using var d = Cli.Temp();
        var keep = d.Write("mine.txt", "precious");
        var r = Cli.Run("simulate", "--like", "chang2024", "--out", d.Path);
        r.ExitCode.Should().Be(2, "an output folder refused before anything is written is a usage error");
        File.ReadAllText(keep).Should().Be("precious");
        Directory.GetFileSystemEntries(d.Path).Should().ContainSingle();
    }

    [Fact]
    public void Template_writes_csv_and_xlsx_and_refuses_to_overwrite()
    {
        using var d = Cli.Temp();
        var r = Cli.Run("template", "--out", d.Path);
        r.ExitCode.Should().Be(0, r.Error);
        File.ReadAllLines(Path.Combine(d.Path, "patients.csv"))[0].Should().StartWith("study_id,");
        File.Exists(Path.Combine(d.Path, "template.xlsx")).Should().BeTrue();
        File.WriteAllText(Path.Combine(d.Path, "patients.csv"), "edited");
        Cli.Run("template", "--out", d.Path).ExitCode.Should().Be(2);
        File.ReadAllText(Path.Combine(d.Path, "patients.csv")).Should().Be("edited");
    }
}
