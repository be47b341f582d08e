using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Sarcostat.Simulation;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

/// <summary>The messy extracts of <c>--messy</c> (extracts/): what is planted, where, and the files' shapes (issue 10).</summary>
public sealed class MessyExtractsTests : IDisposable
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
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(11)] // operation 1's date is the one swapped: reported on Op date 2, amended on Op date 1
    [InlineData(42)]
    public void Chang2024_plants_every_kind_each_on_its_own_patient_with_an_amendment_for_each_error(int seed)
    {
        var spec = SimulationSpecs.Chang2024;
        var output = SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, seed), Folder($"c{seed}"), true, seed);
        var key = output.AnswerKey;
        key.Where(k => k.Rule is not null).Select(k => k.Rule).Should().BeEquivalentTo(
            ["after-extract-date", "after-extract-date", "procedure-order", "duplicate-key", "conflict", "unit-converted"]);
        key.Where(k => k.Severity == "error").Should().OnlyContain(k => k.Amendment != null && k.Amendment.StartsWith('{'));
        key.Where(k => k.Severity != "error").Should().OnlyContain(k => k.Amendment == null);
        key.Where(k => k.Severity == "error").Select(k => k.StudyId).Should().OnlyHaveUniqueItems("each problem on its own patient");
        key.Count(k => k.Rule is null).Should().Be(3, "three carcinomas, not problems");
        key.Should().Contain(k => k.Rule == "after-extract-date" && k.File == "registry.csv" && k.Column == "Last contact");
        key.Should().Contain(k => k.Rule == "after-extract-date" && k.Location == "hospital.xlsx[patients]" && k.Column == "Date of death");
        key.Should().Contain(k => k.Rule == "procedure-order" && k.Column == "Op date 2"
            && (k.Amendment!.Contains("column: \"Op date 2\"", StringComparison.Ordinal) || k.Amendment.Contains("column: \"Op date 1\"", StringComparison.Ordinal)));
        key.Should().NotContain(k => k.Column.Contains("birth", StringComparison.OrdinalIgnoreCase), "nothing is planted on a date of birth");

        // The answer key on disk is the same list.
        var lines = File.ReadAllLines(Path.Combine(output.Directory, "extracts", "answer_key.csv"));
        lines[0].Should().Be("file,sheet,row,column,rule,severity,study_id,description,amendment");
        lines.Should().HaveCount(key.Count + 1);
    }

    [Fact]
    public void The_registry_is_semicolon_separated_with_day_first_dates_units_in_cells_and_wide_operations()
    {
        var spec = SimulationSpecs.Chang2024;
        var dir = Folder("reg");
        var cohort = CohortSimulator.Simulate(spec, spec.DefaultSize, 1);
        SimulationWriter.Write(cohort, dir, true, 1);
        var lines = File.ReadAllLines(Path.Combine(dir, "extracts", "registry.csv"));
        var header = lines[0].Split(';');
        header.Should().Contain(["Patient ID", "Last contact", "Largest nodule (cm)", "Op date 1", "Op approach 1", "Op side 1", "Op date 2", "Op date 3"]);
        lines[0].Should().NotContain(",", "the separator is ';'");
        int size = Array.IndexOf(header, "Largest nodule (cm)");
        var sizes = lines.Skip(1).Select(l => l.Split(';')[size]).Where(s => s.Length > 0).ToList();
        sizes.Should().Contain(s => s.EndsWith(" mm", StringComparison.Ordinal)).And.Contain(s => s.EndsWith("cm", StringComparison.Ordinal));
        int date = Array.IndexOf(header, "Op date 1");
        lines.Skip(1).Select(l => l.Split(';')[date]).Should().OnlyContain(d => d.Length == 10 && d[2] == '.' && d[5] == '.');

        // Every patient of the cohort is in one source or both; three carcinomas are not in the cohort.
        var layout = File.ReadAllLines(Path.Combine(dir, "extracts", "layout.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        layout.Where(c => c[3] == "yes").Select(c => c[0]).Should().Equal(cohort.Patients.Select(p => p.StudyId));
        layout.Should().OnlyContain(c => c[1] == "yes" || c[2] == "yes");
        layout.Count(c => c[1] == "yes" && c[2] == "yes").Should().BeGreaterThan(0, "some patients are in both sources");
        layout.Where(c => c[4] == "yes").Should().HaveCount(3);
    }

    [Fact]
    public void The_workbook_has_its_data_on_named_sheets_after_a_codebook_and_the_approach_on_the_patients_sheet_only()
    {
        var spec = SimulationSpecs.Nakayama2022;
        var dir = Folder("wb");
        SimulationWriter.Write(CohortSimulator.Simulate(spec, spec.DefaultSize, 1), dir, true, 1);
        using var doc = SpreadsheetDocument.Open(Path.Combine(dir, "extracts", "hospital.xlsx"), false);
        var wb = doc.WorkbookPart!;
        wb.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).Should().Equal("codebook", "patients", "operations");
        string[] Header(string name)
        {
            var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
            return part.Worksheet.Descendants<Row>().First().Elements<Cell>().Select(c => c.InnerText).ToArray();
        }

        Header("patients").Should().Contain("Approach (first PM)");
        Header("operations").Should().Contain("Date of surgery").And.NotContain(h => h.Contains("pproach", StringComparison.Ordinal));
        var mapping = File.ReadAllText(Path.Combine(dir, "extracts", "hospital.yaml"));
        mapping.Should().Contain("sheet: patients").And.Contain("sheet: operations").And.Contain("blank: none").And.Contain("extract_date: 2022-03-31");
    }

    private string Folder(string name)
    {
        string f = SimHelpers.TempFolder(name);
        _folders.Add(f);
        return f;
    }
}
