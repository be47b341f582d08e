using Sarcostat.Cohort;
using Sarcostat.Simulation;

namespace Sarcostat.Import.Tests;

/// <summary>
/// The acceptance test of issue 3: a messy simulated cohort, validated, gives exactly the planted errors of its
/// manifest (file, row, column, rule), no more and no fewer; a clean one gives no error.
/// </summary>
public class SimulatedCohortValidationTests
{
    [Theory]
    [InlineData("chang2024", 1)]
    [InlineData("chang2024", 2)]
    [InlineData("chang2024", 3)]
    [InlineData("nakayama2022", 1)]
    [InlineData("nakayama2022", 2)]
    [InlineData("nakayama2022", 3)]
    public void Validate_reports_exactly_the_errors_planted_in_a_messy_cohort(string like, int seed)
    {
        using var dir = new TempFolder();
        var spec = SimulationSpecs.Find(like)!;
        var cohort = CohortSimulator.Simulate(spec, spec.DefaultSize, seed);
        var output = SimulationWriter.Write(cohort, Path.Combine(dir.Path, "x"), messy: true, seed);
        var manifest = File.ReadAllLines(Path.Combine(output.Directory, "manifest.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(c => (File: c[0], Row: int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture), Column: c[2], Rule: c[3]))
            .ToHashSet();
        manifest.Should().HaveCount(output.Planted.Count).And.HaveCountGreaterThanOrEqualTo(5);
        manifest.Select(m => m.Rule).Should().Contain(["not-a-date", "unknown-code", "death-before-pm", "conflict", "not-a-number"]);

        var result = CohortImporter.Import(new ImportRequest { Inputs = [output.Directory] });
        var errors = result.Problems.Where(p => p.Severity == Severity.Error)
            .Select(p => (File: p.File, Row: p.Row ?? 0, Column: p.Column ?? string.Empty, Rule: p.Rule))
            .ToHashSet();
        errors.Should().BeEquivalentTo(manifest, string.Join("\n", result.Problems.Select(p => p.ToString())));
        result.Tables.Should().OnlyContain(t => t.RowsRead == t.RowsAccepted + t.RowsRejected);
    }

    [Theory]
    [InlineData("chang2024", 11)]
    [InlineData("nakayama2022", 12)]
    public void A_clean_simulated_cohort_has_no_error(string like, int seed)
    {
        using var dir = new TempFolder();
        var spec = SimulationSpecs.Find(like)!;
        var output = SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, seed), Path.Combine(dir.Path, "x"), messy: false, seed);
        var result = CohortImporter.Import(new ImportRequest { Inputs = [output.Directory] });
        result.Problems.Where(p => p.Severity == Severity.Error).Should().BeEmpty();
        result.Patients.Should().HaveCount(spec.DefaultSize);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sarcostat-sim-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
