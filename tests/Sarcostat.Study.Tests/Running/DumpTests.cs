using Sarcostat.Cohort.Simulation;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Tests.Running;

public class DumpTests
{
    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Dump(string name)
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped(name), TestCohort.Build(120, 7), new RunContext("0.1.0", new DateOnly(2025, 1, 1)));
        File.WriteAllText($"/tmp/{name}.txt", ReportDump.Text(report));
        var spec = SimulationSpecs.Find(name)!;
        var sim = CohortSimulator.Simulate(spec, spec.DefaultSize, 1);
        var simReport = StudyRunner.Run(ProtocolLoader.Shipped(name), sim.Patients, new RunContext("0.1.0", new DateOnly(2025, 1, 1)));
        File.WriteAllText($"/tmp/{name}-sim.txt", ReportDump.Text(simReport));
    }
}
