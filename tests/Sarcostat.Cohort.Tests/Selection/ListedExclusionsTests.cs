using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Selection;

public class ListedExclusionsTests
{
    private static readonly DerivedCohort Four = CohortDerivation.Derive(
    [
        Alive("S1", "2020-01-10") with { Nodules = 1, Histology = "ups" },
        Alive("S2", "2020-01-10") with { Nodules = 2, Histology = "leiomyosarcoma" },
        Alive("S3", "2020-01-10") with { Nodules = 3, Histology = "synovial_sarcoma" },
        Alive("S4", "2020-01-10") with { Nodules = 4, Histology = "ups" },
    ]);

    private static readonly SelectionRule[] Rules = [SelectionRule.Exclude("histology", SelectionOperator.EqualTo, "ups", "UPS")];

    [Fact]
    public void Listed_patients_are_the_first_step_with_the_reasons_by_count_and_are_not_counted_again()
    {
        var result = ListedExclusions.Apply(Four, [new("S4", "carcinoma"), new("S2", "carcinoma"), new("S3", "operated elsewhere")], Rules);
        result.Flow.ToLines().Should().Equal(
            "4 patients identified",
            "1. Excluded by amendment: 4 -> excluded 3 -> 1 (carcinoma 2, operated elsewhere 1)",
            "2. UPS: 1 -> excluded 1 -> 0",
            "0 patients analysed");
        result.Flow.Steps[0].ExcludedStudyIds.Should().Equal("S2", "S3", "S4");
    }

    [Fact]
    public void Without_listed_patients_the_selection_is_the_rules_alone()
    {
        var result = ListedExclusions.Apply(Four, [], Rules);
        result.Flow.Steps.Should().ContainSingle().Which.Label.Should().Be("UPS");
        result.Analysed.Patients.Select(p => p.StudyId).Should().Equal("S2", "S3");
    }
}
