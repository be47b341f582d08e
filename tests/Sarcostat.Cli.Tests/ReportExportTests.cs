using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sarcostat.Cli.Tests;

/// <summary>The report folder's exports: results.json and the analysed cohort (cohort.csv, cohort-dictionary.csv).</summary>
public class ReportExportTests
{
    private static List<string[]> ReadCsv(string path)
    {
        // The export has no quoted line breaks; a field with a comma is quoted.
        var text = File.ReadAllText(path);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Regex.Split(l, ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", RegexOptions.None, TimeSpan.FromSeconds(1)))
            .ToList();
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void The_report_writes_results_json_and_the_analysed_cohort_with_its_dictionary(string protocol)
    {
        using var d = Cli.Temp();
        var outDir = Path.Combine(d.Path, "r");
        var r = Cli.Run("report", "--protocol", protocol, "--out", outDir, "--date", "2026-11-22");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("results.json").And.Contain("cohort.csv").And.Contain("cohort-dictionary.csv");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var ids = json.RootElement.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("id").GetString() + ".csv");
        ids.Should().BeEquivalentTo(Directory.GetFiles(Path.Combine(outDir, "tables")).Select(Path.GetFileName), "one JSON table per CSV table");

        var statistics = json.RootElement.GetProperty("tables").EnumerateArray()
            .SelectMany(t => t.GetProperty("rows").EnumerateArray())
            .SelectMany(row => row.GetProperty("cells").EnumerateArray())
            .Where(c => c.TryGetProperty("statistic", out _))
            .ToList();
        statistics.Should().NotBeEmpty("each univariate row tested by the log-rank test carries its chi-square");
        statistics.Select(c => c.GetProperty("statistic").GetDouble()).Should().OnlyContain(x => x >= 0);
        statistics.Select(c => c.GetProperty("df").GetInt32()).Should().OnlyContain(x => x >= 1);

        var cohort = ReadCsv(Path.Combine(outDir, "cohort.csv"));
        var dictionary = ReadCsv(Path.Combine(outDir, "cohort-dictionary.csv"));
        dictionary[0].Should().Equal("name", "meaning", "unit", "levels");
        dictionary.Skip(1).Select(f => f[0]).Should().Equal(cohort[0], "the dictionary describes every column, in order");
        cohort[0][0].Trim('\uFEFF').Should().Be("study_id");
        cohort.Skip(1).Should().OnlyContain(row => row.Length == cohort[0].Length);

        // The analysed count: the flow's last box in the HTML ("Analysed ... (n = N)") equals the rows.
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        var analysed = cohort.Count - 1;
        html.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"n = {analysed}"));
        r.Error.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"{analysed} patients"), "the demo cohort has no exclusions but the export must not lose anyone");
    }
}
