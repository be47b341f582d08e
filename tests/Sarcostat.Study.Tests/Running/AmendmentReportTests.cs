using Sarcostat.Cohort;
using Sarcostat.Simulation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>Amendments in the report: exclusions as the first step of the flow (reasons by count), every amendment in the data appendix.</summary>
public class AmendmentReportTests
{
    private static readonly RunContext Plain = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static readonly AppliedAmendment[] Amendments =
    [
        new(2, AmendmentKind.Set, "CH-0005", "largest_nodule_mm", "a.csv row 6, column \"largest_nodule_mm\"", "\"see CT\" -> missing", "not measured"),
        new(8, AmendmentKind.Exclude, "CH-0010", null, "patient CH-0010", "excluded from the study", "carcinoma on review"),
        new(11, AmendmentKind.Exclude, "CH-0020", null, "patient CH-0020", "excluded from the study", "carcinoma on review"),
        new(14, AmendmentKind.Exclude, "CH-0030", null, "patient CH-0030", "excluded from the study", "operated elsewhere"),
        new(17, AmendmentKind.Set, "CH-0040", "birth_date", "a.csv row 41, column \"birth_date\"", "changed", "typed month-first"),
    ];

    private static readonly RunContext Amended = Plain with
    {
        Amendments = Amendments,
        AmendmentsFile = "amendments (YAML)",
        DataFingerprints = [new("amendments (YAML)", new string('a', 64)), new("input 1 (CSV)", new string('b', 64))],
    };

    private static IReadOnlyList<Patient> Patients() => CohortSimulator.Simulate(SimulationSpecs.Chang2024, 110, 1).Patients;

    private static FlowFigure Flow(StudyReport report) => report.Figures.OfType<FlowFigure>().Single();

    [Fact]
    public void Excluded_patients_are_the_first_step_of_the_flow_with_reasons_by_count()
    {
        var protocol = ProtocolLoader.Shipped("chang2024");
        var plain = Flow(StudyRunner.Run(protocol, Patients(), Plain));
        var amended = Flow(StudyRunner.Run(protocol, Patients(), Amended));

        amended.Boxes.Should().HaveCount(plain.Boxes.Count + 1);
        amended.Boxes[0].Count.Should().Be(110);
        var step = amended.Boxes[0].Excluded!;
        (step.Label, step.Count).Should().Be(("Excluded by amendment", 3));
        step.Breakdown.Should().Equal(new KeyValuePair<string, int>("carcinoma on review", 2), new KeyValuePair<string, int>("operated elsewhere", 1));
        amended.Boxes[1].Count.Should().Be(107);
        amended.Boxes[^1].Count.Should().Be(plain.Boxes[^1].Count - 3, "the three simulated patients pass every protocol rule");
        amended.Boxes.Skip(1).Select(b => b.Excluded?.Label).Should().Equal(plain.Boxes.Select(b => b.Excluded?.Label));
        string.Join(" ", amended.Boxes.SelectMany(b => b.Excluded?.Breakdown ?? []).Select(b => b.Key)).Should().NotContain("CH-0");
    }

    [Fact]
    public void Every_amendment_is_listed_in_the_data_appendix_with_the_files_fingerprint()
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), Patients(), Amended);
        var appendix = report.Sections[^1];
        (appendix.Id, appendix.Title).Should().Be(("data-appendix", "Data appendix"));
        var table = appendix.Items.OfType<TableItem>().Single();
        table.Rows.Select(r => (r.Cells[0].Text, r.Cells[1].Text, r.Cells[2].Text, r.Cells[3].Text, r.Cells[4].Text)).Should().Equal(
            ("CH-0005", "largest_nodule_mm", "set", "\"see CT\" -> missing", "not measured"),
            ("CH-0010", "-", "exclude", "excluded from the study", "carcinoma on review"),
            ("CH-0020", "-", "exclude", "excluded from the study", "carcinoma on review"),
            ("CH-0030", "-", "exclude", "excluded from the study", "operated elsewhere"),
            ("CH-0040", "birth_date", "set", "changed", "typed month-first"));
        table.Footnotes[0].Should().Contain("5 amendments applied from the study's amendments file (amendments (YAML), SHA-256 " + new string('a', 64) + ")");
        report.Provenance.DataSha256.Should().Contain(new KeyValuePair<string, string>("amendments (YAML)", new string('a', 64)));
        table.Rows.Select(r => r.Cells[5].Text).Should().NotContain(w => w.Contains(".csv", StringComparison.Ordinal) || w.Contains(".xlsx", StringComparison.Ordinal), "file names are not printed");
    }

    [Fact]
    public void Without_an_amendments_file_there_is_no_appendix_and_no_extra_step()
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), Patients(), Plain);
        report.Sections.Should().NotContain(s => s.Id == "data-appendix");
        Flow(report).Boxes.Should().NotContain(b => b.Excluded != null && b.Excluded.Label == "Excluded by amendment");
    }
}
