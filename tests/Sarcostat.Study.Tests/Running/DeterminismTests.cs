using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Tests.Running;

/// <summary>Same inputs, identical report: every cell, value, text and warning.</summary>
public class DeterminismTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1))
    {
        DataFingerprints = [new("b.csv", RunContext.Sha256("b")), new("a.csv", RunContext.Sha256("a"))],
    };

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Running_twice_gives_an_identical_report(string name)
    {
        var first = StudyRunner.Run(ProtocolLoader.Shipped(name), TestCohort.Build(130, 3), Context);
        var second = StudyRunner.Run(ProtocolLoader.Shipped(name), TestCohort.Build(130, 3), Context);
        ReportDump.Canonical(second).Should().Be(ReportDump.Canonical(first));
    }

    [Fact]
    public void Telling_the_stages_changes_nothing_in_the_report_and_names_them_in_order()
    {
        var stages = new List<StudyStage>();
        var told = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(130, 3), Context, stages.Add);
        var plain = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(130, 3), Context);
        stages.Should().Equal(StudyStage.Preparing, StudyStage.Analysing);
        ReportDump.Canonical(told).Should().Be(ReportDump.Canonical(plain));
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void The_order_of_the_patient_records_changes_no_formatted_number(string name)
    {
        var patients = TestCohort.Build(130, 3);
        var shuffled = patients.ToArray();
        new Random(42).Shuffle(shuffled);
        shuffled.Select(p => p.StudyId).Should().NotEqual(patients.Select(p => p.StudyId));
        var a = StudyRunner.Run(ProtocolLoader.Shipped(name), patients, Context);
        var b = StudyRunner.Run(ProtocolLoader.Shipped(name), shuffled, Context);
        ReportDump.Text(b).Should().Be(ReportDump.Text(a));
    }

    [Fact]
    public void Provenance_lists_the_fingerprints_sorted_and_the_protocol_hash()
    {
        var protocol = ProtocolLoader.Shipped("nakayama2022");
        var report = StudyRunner.Run(protocol, TestCohort.Build(60, 1), Context);
        report.Provenance.DataSha256.Select(kv => kv.Key).Should().Equal("a.csv", "b.csv");
        report.Provenance.ProtocolSha256.Should().Be(RunContext.Sha256(ProtocolLoader.ShippedText("nakayama2022")));
        report.Provenance.ProtocolName.Should().Be("nakayama2022");
        report.Provenance.GeneratedOn.Should().Be(new DateOnly(2025, 1, 1));
        report.Provenance.SoftwareVersion.Should().Be("0.1.0-test");
    }
}
