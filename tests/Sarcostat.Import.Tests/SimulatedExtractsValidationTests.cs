using System.Text;
using Sarcostat.Cohort;
using Sarcostat.Simulation;

namespace Sarcostat.Import.Tests;

/// <summary>
/// Issue 10's messy extracts (simulate --messy, extracts/): the import reports exactly the answer key's errors, at
/// their file, sheet, row and column, and the answer key's amendments resolve every one of them, for both specs, small
/// and large cohorts and several seeds.
/// </summary>
public class SimulatedExtractsValidationTests
{
    [Theory]
    [InlineData("chang2024", 10, 1)]
    [InlineData("chang2024", 110, 2)]
    [InlineData("chang2024", 110, 11)]
    [InlineData("chang2024", 400, 3)]
    [InlineData("nakayama2022", 10, 4)]
    [InlineData("nakayama2022", 66, 1)]
    [InlineData("nakayama2022", 400, 5)]
    public void The_errors_are_the_answer_keys_and_its_amendments_resolve_them(string like, int n, int seed)
    {
        var root = Directory.CreateTempSubdirectory("sarcostat-extracts-").FullName;
        try
        {
            var spec = SimulationSpecs.Find(like)!;
            var output = SimulationWriter.Write(CohortSimulator.Simulate(spec, n, seed), Path.Combine(root, "x"), messy: true, seed);
            var extracts = Path.Combine(output.Directory, "extracts");
            var key = output.AnswerKey;
            var planted = key.Where(k => k.Severity == "error").ToList();
            planted.Select(k => k.Rule).Should().Contain(["after-extract-date", "duplicate-key", "conflict"]);

            var result = CohortImporter.Import(new ImportRequest { Inputs = [extracts] });
            var errors = result.Problems.Where(p => p.Severity == Severity.Error).Select(p => (p.File, p.Row ?? 0, p.Column, p.Rule));
            errors.Should().BeEquivalentTo(planted.Select(k => (k.Location, k.Row, (string?)k.Column, k.Rule!)), string.Join("\n", result.Problems));
            result.Problems.Should().ContainSingle(p => p.Rule == "unit-converted" && p.Severity == Severity.Warning);

            var amendments = Path.Combine(root, "amendments.yaml");
            File.WriteAllText(amendments, "amendments:\n" + string.Concat(planted.Select(k => "  - " + k.Amendment + "\n")), new UTF8Encoding(false));
            var amended = CohortImporter.Import(new ImportRequest { Inputs = [extracts], Amendments = amendments });
            amended.Problems.Where(p => p.Severity == Severity.Error).Should().BeEmpty(string.Join("\n", amended.Problems));
            amended.Amendments.Should().HaveCount(planted.Count);
            amended.Patients.Should().HaveCount(n + 3, "the cohort and three carcinomas, each once");
            amended.Patients.Count(p => p.Histology == Codes.Histology.NotSarcoma).Should().Be(3);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
