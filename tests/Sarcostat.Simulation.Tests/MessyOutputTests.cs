using System.Globalization;
using Sarcostat.Simulation;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

public sealed class MessyOutputTests : IDisposable
{
    private static readonly string[] Kinds = ["not-a-date", "unknown-code", "death-before-pm", "conflict", "not-a-number"];
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var f in _folders.Where(Directory.Exists))
        {
            Directory.Delete(f, recursive: true);
        }
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void The_manifest_lists_each_planted_kind_once_with_its_file_row_and_column(string name)
    {
        var spec = SimulationSpecs.Find(name)!;
        string dir = Folder(name);
        var output = SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, 1), dir, true, 1);
        output.Files.Should().Equal("hospital_a.yaml", "hospital_a_patients.csv", "hospital_a_procedures.csv",
            "hospital_b.yaml", "hospital_b_patients.csv", "hospital_b_procedures.csv", "manifest.csv", "README.md", "truth.json",
            "extracts/registry.yaml", "extracts/registry.csv", "extracts/hospital.yaml", "extracts/hospital.xlsx", "extracts/answer_key.csv",
            "extracts/layout.csv", "extracts/README.md");
        var manifest = ContractCheck.ReadManifest(Path.Combine(dir, "manifest.csv"));
        File.ReadLines(Path.Combine(dir, "manifest.csv")).First().Should().Be("file,row,column,rule");
        manifest.Select(p => p.Rule).Should().BeEquivalentTo(Kinds);
        manifest.Select(p => p.Rule).Should().OnlyHaveUniqueItems();
        manifest.Single(p => p.Rule == "conflict").File.Should().Be("hospital_b_patients.csv", "the later source's row");
        output.Planted.Select(p => p.StudyId).Should().OnlyHaveUniqueItems("each error is on its own patient");
        File.ReadAllText(Path.Combine(dir, "README.md")).Should().Contain("SYNTHETIC").And.Contain("death-before-pm");
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Each_planted_cell_holds_the_planted_mistake(string name)
    {
        var spec = SimulationSpecs.Find(name)!;
        string dir = Folder(name);
        var cohort = CohortSimulator.Simulate(spec, spec.DefaultSize, 4);
        SimulationWriter.Write(cohort, dir, true, 4);
        string Cell(Problem p)
        {
            var rows = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, p.File)));
            return rows[p.Row - 1][Array.IndexOf(rows[0], p.Column)];
        }

        Patient PatientAt(Problem p)
        {
            var rows = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, p.File)));
            return cohort.Patients.Single(x => x.StudyId == rows[p.Row - 1][0]);
        }

        var manifest = ContractCheck.ReadManifest(Path.Combine(dir, "manifest.csv")).ToDictionary(p => p.Rule);

        var swapped = manifest["not-a-date"];
        var birth = PatientAt(swapped).BirthDate!.Value;
        Cell(swapped).Should().Be(birth.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture), "month first");
        birth.Day.Should().BeGreaterThan(12, "so it cannot be read day-first");

        var typo = manifest["unknown-code"];
        Cell(typo).Should().NotBe(PatientAt(typo).Histology);
        DataDictionary.Default["histology"].Label(Cell(typo)).Should().BeNull();
        DataDictionary.Default["histology"].Label(PatientAt(typo).Histology!).Should().StartWith(Cell(typo));

        var death = manifest["death-before-pm"];
        var deathDate = DateOnly.ParseExact(Cell(death), "dd/MM/yyyy", CultureInfo.InvariantCulture);
        deathDate.Should().BeBefore(PatientAt(death).FirstMetastasectomyDate!.Value);

        var text = manifest["not-a-number"];
        double.TryParse(Cell(text), NumberStyles.Float, CultureInfo.InvariantCulture, out _).Should().BeFalse();

        var conflict = manifest["conflict"];
        int.Parse(Cell(conflict), CultureInfo.InvariantCulture).Should().NotBe(PatientAt(conflict).Nodules);
        var aRows = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, "hospital_a_patients.csv")));
        string conflictId = PatientAt(conflict).StudyId;
        aRows.Select(r => r[0]).Should().Contain(conflictId, "the conflicting patient is in both sources");
    }

    [Fact]
    public void Validating_a_messy_folder_yields_exactly_the_manifest_for_many_seeds()
    {
        foreach (var spec in SimulationSpecs.All)
        {
            foreach (int n in new[] { 10, spec.DefaultSize, 400 })
            {
                for (int seed = 1; seed <= 8; seed++)
                {
                    string dir = Folder($"{spec.Name}-{n}-{seed}");
                    SimulationWriter.Write(CohortSimulator.Simulate(spec, n, seed), dir, true, seed);
                    ContractCheck.Errors(dir).Should().Equal(ContractCheck.ReadManifest(Path.Combine(dir, "manifest.csv")),
                        $"{spec.Name}, n = {n}, seed {seed}: every planted error gives one problem and nothing else is an error");
                }
            }
        }
    }

    [Fact]
    public void Without_any_death_the_death_before_pm_error_is_planted_on_a_patient_recorded_as_dead()
    {
        // Every first PM on the cut-off day: no follow-up, nobody dies, so the planter falls back to marking one
        // patient dead with a death date before the operation; it must still give exactly one problem.
        var day = new DateOnly(2020, 6, 15);
        var spec = SimulationSpecs.Chang2024 with { AccrualStart = day, AccrualEnd = day, DataCutoff = day };
        var cohort = CohortSimulator.Simulate(spec, 30, 3);
        cohort.Patients.Should().OnlyContain(p => p.VitalStatus == "alive");
        string dir = Folder("no-deaths");
        var output = SimulationWriter.Write(cohort, dir, true, 3);
        output.Planted.Single(p => p.Rule == "death-before-pm").Description.Should().Contain("vital status set to dead");
        ContractCheck.Errors(dir).Should().Equal(ContractCheck.ReadManifest(Path.Combine(dir, "manifest.csv")));
    }

    [Fact]
    public void Both_sources_share_patients_and_hospital_b_speaks_its_own_codes_and_units()
    {
        string dir = Folder("sources");
        var cohort = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 110, 2);
        SimulationWriter.Write(cohort, dir, true, 2);
        var a = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, "hospital_a_patients.csv")));
        var b = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, "hospital_b_patients.csv")));
        var aIds = a.Skip(1).Select(r => r[0]).ToHashSet();
        var bIds = b.Skip(1).Select(r => r[0]).ToHashSet();
        aIds.Intersect(bIds).Should().NotBeEmpty("some patients are in both databases");
        aIds.Union(bIds).Should().HaveCount(110, "every patient is in at least one");
        b[0].Should().Contain(["Study No", "Gender", "Largest nodule (cm)", "Diagnosis"]);
        b.Skip(1).Select(r => r[Array.IndexOf(b[0], "Gender")]).Distinct().Should().BeSubsetOf(["M", "F"]);
        string yaml = File.ReadAllText(Path.Combine(dir, "hospital_b.yaml"));
        yaml.Should().Contain("\"Largest nodule (cm)\": {field: largest_nodule_mm, unit: cm}").And.Contain("date_format: yyyy/MM/dd");
        File.ReadAllText(Path.Combine(dir, "hospital_a.yaml")).Should().Contain("date_format: dd/MM/yyyy");

        // a patient in both: B's size in cm is A's size in mm / 10
        var id = aIds.Intersect(bIds).First();
        var ra = a.Single(r => r[0] == id);
        var rb = b.Single(r => r[0] == id);
        double mm = double.Parse(ra[Array.IndexOf(a[0], "largest_nodule_mm")], CultureInfo.InvariantCulture);
        double cm = double.Parse(rb[Array.IndexOf(b[0], "Largest nodule (cm)")], CultureInfo.InvariantCulture);
        (cm * 10).Should().Be(mm, "cm -> mm conversion is exact for whole millimetres");
    }

    [Fact]
    public void Hospital_b_maps_every_dictionary_code_to_a_distinct_source_value()
    {
        foreach (var (field, map) in MessySources.BCodes)
        {
            map.Keys.Should().BeEquivalentTo(DataDictionary.Default[field].Codes.Select(c => c.Key), field);
            map.Values.Select(v => v.ToUpperInvariant()).Should().OnlyHaveUniqueItems($"{field}: source values are matched case-insensitively");
        }

        MessySources.BPatientColumns.Values.Concat(MessySources.BProcedureColumns.Values)
            .Should().OnlyContain(c => !DataDictionary.Default.LooksIdentifying(c));
    }

    [Fact]
    public void Messy_layout_depends_on_its_seed()
    {
        var cohort = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 110, 1);
        var one = SimulationWriter.Render(cohort, true, 1).Planted;
        var other = SimulationWriter.Render(cohort, true, 2).Planted;
        one.Select(p => p.StudyId).Should().NotEqual(other.Select(p => p.StudyId));
        SimulationWriter.Render(cohort, true, 1).Planted.Should().Equal(one);
    }

    private string Folder(string name)
    {
        string f = SimHelpers.TempFolder(name);
        _folders.Add(f);
        return f;
    }
}
