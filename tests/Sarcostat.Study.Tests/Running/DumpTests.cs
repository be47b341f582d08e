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
    }
}
