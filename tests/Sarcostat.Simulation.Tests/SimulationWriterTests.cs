using System.Globalization;
using System.Text.Json;
using Sarcostat.Simulation;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

public sealed class SimulationWriterTests : IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var f in _folders.Where(Directory.Exists))
        {
            Directory.Delete(f, recursive: true);
        }
    }

    [Theory]
    [InlineData("chang2024", false)]
    [InlineData("chang2024", true)]
    [InlineData("nakayama2022", false)]
    [InlineData("nakayama2022", true)]
    public void The_same_seed_writes_byte_identical_files(string name, bool messy)
    {
        var spec = SimulationSpecs.Find(name)!;
        string a = Folder("a");
        string b = Folder("b");
        var outA = SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, 17), a, messy, 17);
        SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, 17), b, messy, 17);
        outA.Files.Should().NotBeEmpty();
        Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f).Replace('\\', '/'))
            .Should().BeEquivalentTo(outA.Files, "the messy extracts (a workbook too) are in extracts/");
        foreach (var file in outA.Files)
        {
            File.ReadAllBytes(Path.Combine(b, file)).Should().Equal(File.ReadAllBytes(Path.Combine(a, file)), file);
        }

        string c = Folder("c");
        SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, 18), c, messy, 18);
        File.ReadAllBytes(Path.Combine(c, "truth.json")).Should().NotEqual(File.ReadAllBytes(Path.Combine(a, "truth.json")));
    }

    [Fact]
    public void Clean_output_is_canonical_and_validates_without_any_error()
    {
        foreach (var spec in SimulationSpecs.All)
        {
            for (int seed = 1; seed <= 10; seed++)
            {
                string dir = Folder($"clean-{spec.Name}-{seed}");
                var output = SimulationWriter.Write(CohortSimulator.Simulate(spec, 300, seed), dir, messy: false, seed);
                output.Files.Should().Equal("patients.csv", "procedures.csv", "README.md", "truth.json");
                output.Planted.Should().BeEmpty();
                ContractCheck.Errors(dir).Should().BeEmpty($"{spec.Name} seed {seed}");
            }
        }
    }

    [Fact]
    public void Clean_patients_csv_has_dictionary_columns_iso_dates_and_one_row_per_patient()
    {
        string dir = Folder("canonical");
        var cohort = CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 66, 3);
        SimulationWriter.Write(cohort, dir, false, 3);
        var rows = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, "patients.csv")));
        rows.Should().HaveCount(67, "a header and 66 patients");
        rows[0].Where(c => !DataDictionary.Default.TryGet(c, out _)).Should().BeEmpty("every column is a dictionary field");
        rows[0].Should().Contain(["study_id", "sex", "histology", "primary_site", "lung_met_date", "last_contact_date", "vital_status"]);
        rows[0].Should().NotContain("ecog", "paper 001 does not report ECOG: the column is left out, not invented");
        int birth = Array.IndexOf(rows[0], "birth_date");
        rows.Skip(1).Where(r => !DateOnly.TryParseExact(r[birth], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .Should().BeEmpty("dates are ISO");
        var procedures = ContractCheck.ParseCsv(File.ReadAllText(Path.Combine(dir, "procedures.csv")));
        procedures[0].Should().Contain("pm_date").And.NotContain("sex", "so the import recognises the procedures table");
        procedures.Should().HaveCount(1 + cohort.Patients.Sum(p => p.Procedures.Count));
        File.ReadAllBytes(Path.Combine(dir, "patients.csv")).Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "UTF-8 without BOM");
        File.ReadAllText(Path.Combine(dir, "patients.csv")).Should().NotContain("\r");
    }

    [Fact]
    public void N_changes_the_number_of_rows()
    {
        foreach (int n in new[] { 1, 25, 250 })
        {
            string dir = Folder($"n{n}");
            SimulationWriter.Write(CohortSimulator.Simulate(SimulationSpecs.Chang2024, n, 1), dir, false, 1);
            File.ReadAllLines(Path.Combine(dir, "patients.csv")).Should().HaveCount(n + 1);
        }
    }

    [Fact]
    public void Readme_says_synthetic_and_names_generator_seed_and_paper()
    {
        string dir = Folder("readme");
        SimulationWriter.Write(CohortSimulator.Simulate(SimulationSpecs.Chang2024, 110, 99), dir, false, 99);
        string readme = File.ReadAllText(Path.Combine(dir, "README.md"));
        readme.Should().Contain("SYNTHETIC").And.Contain("sarcostat simulate --like chang2024 --n 110 --seed 99")
            .And.Contain("Seed: 99").And.Contain("10.3389/fsurg.2024.1470784").And.Contain("0.267");
    }

    [Fact]
    public void Truth_json_records_hazard_ratios_baseline_and_seed()
    {
        string dir = Folder("truth");
        var cohort = CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 66, 5);
        SimulationWriter.Write(cohort, dir, false, 5);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "truth.json")));
        var root = doc.RootElement;
        root.GetProperty("synthetic").GetBoolean().Should().BeTrue();
        root.GetProperty("seed").GetInt32().Should().Be(5);
        root.GetProperty("endpoint").GetString().Should().Be("disease_specific_survival");
        var terms = root.GetProperty("terms").EnumerateArray().ToList();
        terms.Select(t => t.GetProperty("hazard_ratio").GetDouble()).Should().Equal(3.544, 2.882, 1.195, 3.159, 12.161);
        terms.Should().OnlyContain(t => t.GetProperty("source").GetString() == "Table 3");
        root.GetProperty("baseline").GetProperty("shape").GetDouble().Should().Be(cohort.Truth.Baseline.Shape);
        root.GetProperty("censoring").GetProperty("data_cutoff").GetString().Should().Be("2022-03-31");
    }

    [Fact]
    public void A_non_empty_folder_is_refused_and_left_as_it_was()
    {
        string dir = Folder("occupied");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "mine.txt"), "keep me");
        var cohort = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 20, 1);
        var act = () => SimulationWriter.Write(cohort, dir, false, 1);
        act.Should().Throw<IOException>().WithMessage("*not empty*Nothing was written*");
        Directory.GetFileSystemEntries(dir).Should().ContainSingle();
        File.ReadAllText(Path.Combine(dir, "mine.txt")).Should().Be("keep me");
        // This test's own temporary folder (other tests write beside it at the same time).
        Directory.GetFileSystemEntries(Path.GetDirectoryName(dir)!).Should().NotContain(e => Path.GetFileName(e).StartsWith(Sarcostat.Files.Output.AtomicOutput.TempPrefix + Path.GetFileName(dir) + "-", StringComparison.Ordinal));
    }

    [Fact]
    public void An_existing_empty_folder_is_used_and_no_temporary_folder_is_left()
    {
        string dir = Folder("empty");
        Directory.CreateDirectory(dir);
        SimulationWriter.Write(CohortSimulator.Simulate(SimulationSpecs.Chang2024, 20, 1), dir + Path.DirectorySeparatorChar, true, 1);
        File.Exists(Path.Combine(dir, "manifest.csv")).Should().BeTrue();
        // This test's own temporary folder (other tests write beside it at the same time).
        Directory.GetFileSystemEntries(Path.GetDirectoryName(dir)!).Should().NotContain(e => Path.GetFileName(e).StartsWith(Sarcostat.Files.Output.AtomicOutput.TempPrefix + Path.GetFileName(dir) + "-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_in_the_way_is_refused()
    {
        string path = Folder("file");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        var act = () => SimulationWriter.Write(CohortSimulator.Simulate(SimulationSpecs.Chang2024, 20, 1), path, false, 1);
        act.Should().Throw<IOException>().WithMessage("*is a file*");
        File.ReadAllText(path).Should().Be("x");
        File.Delete(path);
    }

    [Fact]
    public void A_messy_cohort_needs_room_for_every_planted_error()
    {
        var act = () => SimulationWriter.Write(CohortSimulator.Simulate(SimulationSpecs.Chang2024, 9, 1), Folder("small"), true, 1);
        act.Should().Throw<ArgumentException>().WithMessage("*at least 10 patients*");
    }

    private string Folder(string name)
    {
        string f = SimHelpers.TempFolder(name);
        _folders.Add(f);
        return f;
    }
}
