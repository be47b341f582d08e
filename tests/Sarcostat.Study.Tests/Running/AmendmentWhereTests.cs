using Sarcostat.Cohort;
using Sarcostat.Simulation;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>The data appendix's Where column names no input file, also for a resolved conflict's two places.</summary>
public class AmendmentWhereTests
{
    [Fact]
    public void A_resolved_conflict_is_located_by_both_rows_without_either_file_name()
    {
        var context = new RunContext("0.1.0-test", new DateOnly(2025, 1, 1))
        {
            Amendments =
            [
                new(3, AmendmentKind.Resolve, "CH-0013", "nodules", "hospital.xlsx[patients] row 48 and registry.csv row 29", "source registry chosen: 1 (not 2)", "operation notes"),
                new(5, AmendmentKind.Set, "CH-0005", "largest_nodule_mm", "a.csv row 6, column \"largest_nodule_mm\"", "\"see CT\" -> missing", "not measured"),
            ],
            AmendmentsFile = "amendments (YAML)",
        };
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), CohortSimulator.Simulate(SimulationSpecs.Chang2024, 110, 1).Patients, context);
        var table = report.Sections[^1].Items.OfType<TableItem>().Single();
        table.Rows.Select(r => r.Cells[5].Text).Should().Equal("row 48 and row 29", "row 6, column \"largest_nodule_mm\"");
    }
}
