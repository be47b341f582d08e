using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using Sarcostat.Simulation;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Tests.Protocols;

/// <summary>
/// A tumour that is not a sarcoma (histology not_sarcoma, issue 10) is kept by the import and excluded by each shipped
/// protocol's selection as a step of the flow, counted there and nowhere else.
/// </summary>
public class NotSarcomaSelectionTests
{
    [Theory]
    [InlineData("chang2024", "Pathology report incompatible with sarcoma malignancy")]
    [InlineData("nakayama2022", "Not a sarcoma")]
    public void Patients_whose_tumour_is_not_a_sarcoma_are_excluded_by_the_protocols_step(string name, string label)
    {
        var protocol = ProtocolLoader.Shipped(name);
        var spec = SimulationSpecs.Find(name)!;
        var patients = CohortSimulator.Simulate(spec, spec.DefaultSize, 1).Patients.ToList();
        var rules = protocol.Selection.Steps.Select(s => s.Rule).ToList();
        var before = CohortSelection.Apply(CohortDerivation.Derive(patients, protocol.DerivationOptions()), rules);

        // Three patients the protocol analyses become non-sarcomas; nothing else changes.
        var changed = before.Analysed.Patients.Take(3).Select(p => p.StudyId).ToHashSet(StringComparer.Ordinal);
        var edited = patients.Select(p => changed.Contains(p.StudyId) ? p with { Histology = Codes.Histology.NotSarcoma } : p).ToList();
        var after = CohortSelection.Apply(CohortDerivation.Derive(edited, protocol.DerivationOptions()), rules);

        var index = protocol.Selection.Steps.ToList().FindIndex(s => s.Rule.Label == label);
        index.Should().BeGreaterThanOrEqualTo(0, $"{name} has a step for tumours that are not sarcomas");
        var step = after.Flow.Steps[index];
        step.ExcludedStudyIds.Should().BeEquivalentTo(changed.Concat(before.Flow.Steps[index].ExcludedStudyIds));
        after.Flow.Final.Should().Be(before.Flow.Final - 3);
        after.Flow.Steps.Select((s, i) => i == index ? 0 : s.Excluded - before.Flow.Steps[i].Excluded).Should().OnlyContain(d => d == 0);
    }

    [Fact]
    public void Chang2024s_pathology_step_also_excludes_a_missing_histology_and_names_both_in_its_breakdown()
    {
        var protocol = ProtocolLoader.Shipped("chang2024");
        var step = protocol.Selection.Steps.Single(s => s.Rule.Field == "histology");
        step.Rule.WhenMissing.Should().Be(MissingValuePolicy.Exclude);
        step.ShowBreakdown.Should().BeTrue();
        step.BreakdownLabels.Select(l => (l.Value, l.Label)).Should().Equal(("not_sarcoma", "Not a sarcoma"), ("(missing)", "Histology not recorded"));
    }
}
