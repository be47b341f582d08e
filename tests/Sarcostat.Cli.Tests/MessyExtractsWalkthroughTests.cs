using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sarcostat.Cohort;
using Sarcostat.Simulation;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// Issue 10's "done means", as a new user does it (docs/import.md, "From two messy extracts to the report"):
/// simulate --messy -> validate -> amendments from the answer key -> validate passes -> report --amendments; the
/// problems, the flow and the analysed cohort are checked against the simulator's ground truth (the cohort as
/// simulated in this process, the layout and the answer key it wrote), never against the report's own numbers.
/// </summary>
public partial class MessyExtractsWalkthroughTests
{
    private const int Seed = 1;
    private const double MonthDays = 30.4375;

    [Fact]
    public void Two_messy_extracts_reach_the_chang2024_report_with_the_tool_alone_and_exactly_the_truths_numbers() =>
        Walk("chang2024", p => AgeAtFirstPm(p) >= 18 && p.Procedures.Count > 0, (flow, t) =>
        {
            // paper 000's Figure 1: the two databases, the merge, then each step.
            int inRegistry = t.Layout.Count(r => r["registry"] == "yes");
            int duplicates = t.Key.Count(k => k["rule"] == "duplicate-key");
            SourceBox(flow, "registry").Should().Be(flow.Contains("records delivered", StringComparison.Ordinal) ? inRegistry + duplicates : inRegistry,
                "records as delivered (the duplicate row included) once the source boxes count records, else patients");
            SourceBox(flow, "hospital").Should().Be(t.Layout.Count(r => r["hospital"] == "yes"));
            Number(flow, @"(\d+) in more than one source").Should().Be(t.Layout.Count(r => r["registry"] == "yes" && r["hospital"] == "yes"));
            Number(flow, @"(\d+) duplicate rows? removed").Should().Be(duplicates);
            Number(flow, @"pathology databases \([^)]*\) \(n = (\d+)\)").Should().Be(t.Layout.Count, "unique patients after the merge");
            Number(flow, @"Younger than 18 years at metastasectomy \(n = (\d+)\)").Should().Be(t.Cohort.Values.Count(p => p.StudyId != t.Excluded && AgeAtFirstPm(p) < 18));
            Number(flow, @"Pathology report incompatible with sarcoma malignancy \(n = (\d+)\)").Should().Be(t.Layout.Count(r => r["not_sarcoma"] == "yes"));
            Number(flow, @"No pulmonary metastasectomy for the lung metastases \(n = (\d+)\)").Should().Be(t.Cohort.Values.Count(p => p.StudyId != t.Excluded && p.Procedures.Count == 0));
            Number(flow, @"underwent pulmonary metastasectomy \(n = (\d+)\)").Should().Be(t.Analysed.Count);
        });

    [Fact]
    public void Two_messy_extracts_reach_the_nakayama2022_report_with_the_tool_alone_and_exactly_the_truths_numbers() =>
        Walk("nakayama2022", p => p.PrimarySite is "trunk_wall" or "extremity", (flow, t) =>
        {
            Number(flow, @"Curative-intent PM for STS \(n = (\d+)\)").Should().Be(t.Layout.Count, "unique patients after the merge");
            Number(flow, @"retroperitoneum or head and neck \(n = (\d+)\)").Should().Be(t.Cohort.Values.Count(p => p.StudyId != t.Excluded && p.PrimarySite is not ("trunk_wall" or "extremity")));
            Number(flow, @"Patients analysed \(n = (\d+)\)").Should().Be(t.Analysed.Count);
        });

    /// <summary>The ground truth a flow is checked against.</summary>
    private sealed record Truth(
        IReadOnlyDictionary<string, Patient> Cohort, List<Dictionary<string, string>> Layout, List<Dictionary<string, string>> Key, string Excluded, IReadOnlySet<string> Analysed);

    /// <summary>
    /// The walkthrough on <paramref name="like"/>'s extracts; <paramref name="eligible"/> is the protocol's selection
    /// on a sarcoma patient of the cohort, <paramref name="flowChecks"/> its flow's own boxes.
    /// </summary>
    private static void Walk(string like, Func<Patient, bool> eligible, Action<string, Truth> flowChecks)
    {
        using var d = Cli.Temp();
        var root = Path.Combine(d.Path, "sim");
        Cli.Run("simulate", "--like", like, "--messy", "--seed", "1", "--out", root).ExitCode.Should().Be(0);
        var extracts = Path.Combine(root, "extracts");
        var before = Directory.GetFiles(extracts).ToDictionary(f => f, File.ReadAllBytes);

        // The ground truth: the cohort simulated here, which patient the simulator put in which source, what it planted.
        var spec = SimulationSpecs.Find(like)!;
        var cohort = CohortSimulator.Simulate(spec, spec.DefaultSize, Seed).Patients.ToDictionary(p => p.StudyId);
        var layout = Csv(File.ReadAllText(Path.Combine(extracts, "layout.csv")));
        var key = Csv(File.ReadAllText(Path.Combine(extracts, "answer_key.csv")));
        layout.Where(r => r["in_cohort"] == "yes").Select(r => r["study_id"]).Should().BeEquivalentTo(cohort.Keys);
        key.Select(k => k["rule"]).Where(r => r.Length > 0).Should().BeEquivalentTo(
            ["after-extract-date", "after-extract-date", "procedure-order", "duplicate-key", "conflict", "unit-converted"],
            "every kind of mess is planted for this seed (otherwise this test would check less than it says)");

        // 1. validate: every planted problem at its file, row and column with its rule; no other error.
        var problemsCsv = Path.Combine(d.Path, "problems.csv");
        var first = Cli.Run("validate", extracts, "--problems", problemsCsv);
        first.ExitCode.Should().Be(1, first.Out + first.Error);
        var problems = Csv(File.ReadAllText(problemsCsv));
        var planted = key.Where(k => k["severity"] == "error").ToList();
        problems.Where(p => p["severity"] == "error").Select(p => (p["file"], p["row"], p["column"], p["rule"]))
            .Should().BeEquivalentTo(planted.Select(k => (Where(k), k["row"], k["column"], k["rule"])), "exactly the planted errors block");
        var lines = first.Out.Split('\n');
        foreach (var k in planted)
        {
            lines.Should().ContainSingle(l => l.StartsWith($"{Where(k)} row {k["row"]}, column \"{k["column"]}\": ", StringComparison.Ordinal)
                && l.TrimEnd().EndsWith($"[{k["rule"]}]", StringComparison.Ordinal), "one line per planted problem");
        }

        first.Out.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"; {planted.Count} errors,"));
        var converted = key.Single(k => k["rule"] == "unit-converted");
        problems.Should().ContainSingle(p => p["rule"] == "unit-converted" && p["severity"] == "warning"
            && p["file"] == converted["file"] && p["row"] == "1" && p["column"] == converted["column"], "sizes typed in mm are converted with one note");
        foreach (var carcinoma in key.Where(k => k["severity"] == "none"))
        {
            problems.Should().NotContain(p => p["file"] == Where(carcinoma) && p["row"] == carcinoma["row"], "a carcinoma mapped to not_sarcoma is no problem");
        }

        // 2. The amendments file: the answer key's amendment for each problem, and one patient excluded.
        var involved = key.Select(k => k["study_id"]).ToHashSet();
        var excluded = layout.First(r => r["in_cohort"] == "yes" && !involved.Contains(r["study_id"]))["study_id"];
        var yaml = new StringBuilder("amendments:\n");
        foreach (var k in planted)
        {
            yaml.Append("  - ").Append(k["amendment"]).Append('\n');
        }

        yaml.Append(CultureInfo.InvariantCulture, $"  - {{kind: exclude, study_id: {excluded}, reason: consent withdrawn}}\n");
        var amendments = d.Write("amendments.yaml", yaml.ToString());

        // 3. validate passes with them.
        var second = Cli.Run("validate", extracts, "--amendments", amendments);
        second.ExitCode.Should().Be(0, second.Out + second.Error);
        second.Out.Should().Contain("0 errors").And.Contain($"{planted.Count + 1} amendments applied from amendments.yaml");

        // 4. report --amendments.
        var outDir = Path.Combine(d.Path, "report");
        var report = Cli.Run("report", extracts, "--protocol", like, "--amendments", amendments, "--out", outDir, "--date", "2026-01-01");
        report.ExitCode.Should().Be(0, report.Out + report.Error);

        // The data appendix lists every amendment, and no input file's name (they often carry a patient's name).
        var appendix = File.ReadAllText(Path.Combine(outDir, "tables", "amendments.csv"));
        Csv(appendix.TrimStart('\uFEFF')).Should().HaveCount(planted.Count + 1);
        foreach (var text in new[] { appendix, File.ReadAllText(Path.Combine(outDir, "report.html")) })
        {
            text.Should().NotContain("registry.csv").And.NotContain("hospital.xlsx");
        }

        // 5. The flow (the selection figure), against the layout and the truth.
        var analysedIds = cohort.Values.Where(p => p.StudyId != excluded && eligible(p)).Select(p => p.StudyId).ToHashSet();
        using var results = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var flowId = results.RootElement.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "flow").GetProperty("id").GetString();
        var flow = FlowText(File.ReadAllText(Path.Combine(outDir, "figures", flowId + ".svg")));
        Number(flow, @"Excluded by amendment \(n = (\d+)\)").Should().Be(1);
        Number(flow, @"consent withdrawn \(n = (\d+)\)").Should().Be(1);
        Number(flow, @"Not a sarcoma \(n = (\d+)\)").Should().Be(layout.Count(r => r["not_sarcoma"] == "yes"));
        flowChecks(flow, new Truth(cohort, layout, key, excluded, analysedIds));

        // 6. The analysed cohort (cohort.csv): its patients, and their endpoints, sizes and nodules as simulated.
        var exported = Csv(File.ReadAllText(Path.Combine(outDir, "cohort.csv")).TrimStart('\uFEFF'));
        exported.Select(r => r["study_id"]).Should().BeEquivalentTo(analysedIds);
        var sizeUnit = Csv(File.ReadAllText(Path.Combine(outDir, "cohort-dictionary.csv")).TrimStart('\uFEFF'))
            .SingleOrDefault(r => r["name"] == "largest_nodule_mm")?["unit"] ?? "mm";
        double sizeFactor = sizeUnit == "cm" ? 10 : 1;
        foreach (var row in exported)
        {
            var p = cohort[row["study_id"]];
            var firstPm = p.Procedures.Min(m => m.Date);
            double months = (p.LastContactDate!.Value.DayNumber - firstPm.DayNumber) / MonthDays;
            bool dead = p.VitalStatus == Codes.VitalStatus.Dead;
            Double(row["os_time"]).Should().BeApproximately(months, 1e-9 * months + 1e-12, p.StudyId);
            row["os_event"].Should().Be(dead ? "1" : "0", p.StudyId);
            row["dss_event"].Should().Be(dead && p.CauseOfDeath == "sarcoma" ? "1" : "0", p.StudyId);
            if (p.LargestNoduleMm is double mm && row.TryGetValue("largest_nodule_mm", out var size))
            {
                (Double(size) * sizeFactor).Should().BeApproximately(mm, 1e-9 * mm, $"{p.StudyId}: typed as cm, cm or mm, read as mm, exported in {sizeUnit}");
            }

            if (row.TryGetValue("nodules_2", out var nodules))
            {
                nodules.Should().Be(p.Nodules >= 2 ? ">=2" : "1", p.StudyId);
            }
        }

        // The planted patients made it through with their true values.
        foreach (var id in planted.Select(k => k["study_id"]))
        {
            exported.Should().Contain(r => r["study_id"] == id, $"{id}'s problem was resolved by an amendment");
        }

        // The extracts were never edited.
        Directory.GetFiles(extracts).ToDictionary(f => f, File.ReadAllBytes).Should().BeEquivalentTo(before);
    }

    /// <summary>The file as validate names it: <c>hospital.xlsx[patients]</c> for a sheet.</summary>
    private static string Where(Dictionary<string, string> k) => k["sheet"].Length == 0 ? k["file"] : $"{k["file"]}[{k["sheet"]}]";

    private static double AgeAtFirstPm(Patient p) =>
        (p.Procedures.Min(m => m.Date).DayNumber - p.BirthDate!.Value.DayNumber) / 365.25;

    private static double Double(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The flow figure's text, one space between its lines (boxes wrap their text at spaces).</summary>
    private static string FlowText(string svg) =>
        string.Join(' ', TextElement().Matches(svg).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)));

    private static int SourceBox(string flow, string source) =>
        Number(flow, Regex.Escape(source) + @" database(?:, records delivered)? \(n = (\d+)\)");

    private static int Number(string flow, string pattern)
    {
        var m = Regex.Match(flow, pattern);
        m.Success.Should().BeTrue($"the flow has /{pattern}/: {flow}");
        return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex TextElement();

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
