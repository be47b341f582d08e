using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sarcostat.Cohort;

namespace Sarcostat.Cli.Tests;

/// <summary>--amendments on validate and report, and the whole path: messy sources -> errors -> amendments -> report.</summary>
public class AmendmentCommandTests
{
    [Fact]
    public void Messy_sources_are_fixed_by_amendments_alone_and_the_report_lists_them()
    {
        using var d = Cli.Temp();
        var sources = Path.Combine(d.Path, "sources");
        Cli.Run("simulate", "--like", "chang2024", "--messy", "--out", sources).ExitCode.Should().Be(0);
        var before = Directory.GetFiles(sources).ToDictionary(f => f, File.ReadAllBytes);

        // 1. Validation reports the planted problems.
        var problemsCsv = Path.Combine(d.Path, "problems.csv");
        var first = Cli.Run("validate", sources, "--problems", problemsCsv);
        first.ExitCode.Should().Be(1, first.Out + first.Error);
        var problems = Csv(File.ReadAllText(problemsCsv));
        var manifest = Csv(File.ReadAllText(Path.Combine(sources, "manifest.csv")));
        manifest.Should().NotBeEmpty();

        // 2. One amendment per planted problem, written from the manifest (and the cells of the files), plus one exclusion.
        var yaml = new StringBuilder("amendments:\n");
        var reasons = new List<string>();
        var dictionary = DataDictionary.Default;
        string? birthValue = null;
        string? birthNew = null;
        foreach (var m in manifest)
        {
            var (file, row, column, rule) = (m["file"], int.Parse(m["row"], CultureInfo.InvariantCulture), m["column"], m["rule"]);
            var table = Csv(File.ReadAllText(Path.Combine(sources, file)));
            var cells = table[row - 2];
            var old = cells[column];
            var reason = $"planted {rule} fixed";
            reasons.Add(reason);
            string Set(string value) =>
                $"  - {{kind: set, file: {file}, row: {row}, column: \"{column}\", old: \"{old}\", new: {value}, reason: {reason}}}\n";
            switch (rule)
            {
                case "not-a-number":
                    yaml.Append(Set("missing"));
                    break;
                case "not-a-date":
                    // Typed month-first: swap back to the file's day-first format.
                    var parts = old.Split('/');
                    yaml.Append(Set($"\"{parts[1]}/{parts[0]}/{parts[2]}\""));
                    if (column == "birth_date")
                    {
                        birthValue = old;
                        birthNew = $"{parts[1]}/{parts[0]}/{parts[2]}";
                    }

                    break;
                case "unknown-code":
                    var field = dictionary[column];
                    var code = field.Codes.Single(c => c.Value.StartsWith(old, StringComparison.Ordinal) && c.Value.Length == old.Length + 1).Key;
                    yaml.Append(Set(code));
                    break;
                case "death-before-pm":
                    // The simulated dead die on their day of last contact; only the year of death was mistyped.
                    yaml.Append(Set($"\"{cells["last_contact_date"]}\""));
                    break;
                case "conflict":
                    var studyId = problems.Single(p => p["file"] == file && p["row"] == m["row"] && p["rule"] == "conflict")["study_id"];
                    yaml.Append($"  - {{kind: resolve, study_id: {studyId}, field: {column}, source: hospital_a, reason: {reason}}}\n");
                    break;
                default:
                    throw new InvalidOperationException($"The test has no amendment for the planted rule {rule}: add one.");
            }
        }

        var flagged = problems.Select(p => p["study_id"]).ToHashSet();
        var excluded = Csv(File.ReadAllText(Path.Combine(sources, "hospital_a_patients.csv"))).Select(r => r["study_id"]).First(id => !flagged.Contains(id));
        yaml.Append($"  - {{kind: exclude, study_id: {excluded}, reason: not a sarcoma on review}}\n");
        var amendments = Path.Combine(d.Path, "amendments.yaml");
        File.WriteAllText(amendments, yaml.ToString());

        // 3. Validation passes with them and says how many were applied.
        var second = Cli.Run("validate", sources, "--amendments", amendments);
        second.ExitCode.Should().Be(0, second.Out + second.Error);
        second.Out.Should().Contain($"{manifest.Count + 1} amendments applied from amendments.yaml");

        // 4. The report runs; its flow has the exclusion step, its appendix every amendment, its provenance the file's fingerprint.
        var outDir = Path.Combine(d.Path, "report");
        var report = Cli.Run("report", sources, "--amendments", amendments, "--out", outDir, "--date", "2026-01-01");
        report.ExitCode.Should().Be(0, report.Out + report.Error);
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        html.Should().Contain("Excluded by amendment").And.Contain("not a sarcoma on review").And.Contain("Data appendix");
        reasons.Should().OnlyContain(r => html.Contains(r, StringComparison.Ordinal));
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(amendments)));
        html.Should().Contain(sha).And.Contain("amendments (YAML)").And.NotContain("amendments.yaml", "input file names are not copied into reports");
        var appendix = Csv(File.ReadAllText(Path.Combine(outDir, "tables", "amendments.csv")));
        appendix.Should().HaveCount(manifest.Count + 1);
        if (birthValue is not null)
        {
            html.Should().NotContain(birthValue, "a date of birth is never shown").And.NotContain(birthNew!);
            File.ReadAllText(Path.Combine(outDir, "tables", "amendments.csv")).Should().NotContain(birthValue);
        }

        // The extracts were never edited.
        Directory.GetFiles(sources).ToDictionary(f => f, File.ReadAllBytes).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void Validate_without_amendments_says_nothing_about_them_and_with_an_empty_file_says_none_applied()
    {
        using var d = Cli.Temp();
        var sources = Path.Combine(d.Path, "clean");
        Cli.Run("simulate", "--like", "nakayama2022", "--out", sources).ExitCode.Should().Be(0);
        Cli.Run("validate", sources).Out.Should().NotContain("amendment");
        var empty = d.Write("amend.yaml", "amendments: []\n");
        var r = Cli.Run("validate", sources, "--amendments", empty);
        r.ExitCode.Should().Be(0, r.Out + r.Error);
        r.Out.Should().Contain("0 amendments applied from amend.yaml.");
    }

    [Fact]
    public void A_malformed_amendments_file_is_a_located_error_with_exit_1_on_both_commands()
    {
        using var d = Cli.Temp();
        var sources = Path.Combine(d.Path, "clean");
        Cli.Run("simulate", "--like", "nakayama2022", "--out", sources).ExitCode.Should().Be(0);
        var bad = d.Write("amend.yaml", "amendments:\n  - {kind: exclude, study_id: NK-0001}\n  - {kind: rewrite, reason: r}\n");
        foreach (var args in new[] { new[] { "validate", sources }, ["report", sources, "--out", Path.Combine(d.Path, "out")] })
        {
            var r = Cli.Run([.. args, "--amendments", bad]);
            r.ExitCode.Should().Be(1);
            r.Error.Should().Contain("amend.yaml line 2, key \"reason\"").And.Contain("amend.yaml line 3, key \"kind\": found \"rewrite\"");
            r.Error.Should().NotContain("   at ");
        }

        Directory.Exists(Path.Combine(d.Path, "out")).Should().BeFalse();
        var missing = Cli.Run("validate", sources, "--amendments", Path.Combine(d.Path, "nope.yaml"));
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("nope.yaml: no such amendments file");
    }

    [Fact]
    public void A_stale_amendment_stops_the_report_before_anything_is_written()
    {
        using var d = Cli.Temp();
        var sources = Path.Combine(d.Path, "clean");
        Cli.Run("simulate", "--like", "nakayama2022", "--out", sources).ExitCode.Should().Be(0);
        var stale = d.Write("amend.yaml", "amendments:\n  - {kind: set, file: patients.csv, row: 2, column: nodules, old: \"999\", new: \"1\", reason: recount}\n");
        var outDir = Path.Combine(d.Path, "out");
        var r = Cli.Run("report", sources, "--amendments", stale, "--out", outDir);
        r.ExitCode.Should().Be(1);
        r.Out.Should().Contain("amend.yaml row 2, column \"old\"").And.Contain("[amendment-stale]");
        Directory.Exists(outDir).Should().BeFalse();
    }

    /// <summary>The test's own CSV reading, by .NET's RFC 4180 parser (independent of Sarcostat's): header, then one dictionary per record.</summary>
    private static List<Dictionary<string, string>> Csv(string text)
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new StringReader(text))
        {
            TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        var rows = new List<Dictionary<string, string>>();
        while (!parser.EndOfData)
        {
            var r = parser.ReadFields()!;
            rows.Add(header.Select((h, i) => (h, v: i < r.Length ? r[i] : string.Empty)).ToDictionary(x => x.h, x => x.v));
        }

        return rows;
    }
}
