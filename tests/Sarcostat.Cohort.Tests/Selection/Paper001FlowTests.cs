using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Selection;

/// <summary>
/// Paper 001 (Nakayama 2022) section 3.1: 95 identified; 26 excluded by primary site (parenchymal organs 13,
/// mediastinum 1, retroperitoneum 9, head and neck 3); 3 had the initial PM at another hospital; 66 analysed.
/// </summary>
public class Paper001FlowTests
{
    private static List<Patient> NinetyFive()
    {
        // Table 1: trunk wall 34, extremities 32 analysed; 3 more trunk/extremity patients operated elsewhere.
        var groups = new (string Site, string Hospital, int Count)[]
        {
            ("trunk_wall", "NCCH", 34),
            ("extremity", "NCCH", 32),
            ("visceral", "NCCH", 13),
            ("mediastinum", "NCCH", 1),
            ("retroperitoneum", "NCCH", 9),
            ("head_neck", "NCCH", 3),
            ("extremity", "other hospital", 2),
            ("trunk_wall", "other hospital", 1),
        };
        var patients = new List<Patient>();
        int n = 0;
        foreach (var (site, hospital, count) in groups)
        {
            for (int i = 0; i < count; i++)
            {
                n++;
                patients.Add(Alive($"N{n:000}", "2020-01-10") with { PrimarySite = site, Site = hospital });
            }
        }

        // Interleave so that excluded patients are not in one block: order must not matter.
        return [.. patients.Select((p, i) => (p, key: (i * 37) % 95)).OrderBy(t => t.key).Select(t => t.p)];
    }

    private static readonly SelectionRule[] Rules =
    [
        SelectionRule.Exclude("primary_site", SelectionOperator.In, new[] { "visceral", "mediastinum", "retroperitoneum", "head_neck" },
            "Primary lesion in parenchymal organs, mediastinum, retroperitoneum or head and neck"),
        SelectionRule.Exclude("site", SelectionOperator.NotEqualTo, "NCCH", "Initial PM at another hospital"),
    ];

    [Fact]
    public void Paper_001s_flow_is_95_identified_26_and_3_excluded_66_analysed()
    {
        var cohort = CohortDerivation.Derive(NinetyFive());
        var result = CohortSelection.Apply(cohort, Rules);
        var flow = result.Flow;

        flow.Start.Should().Be(95);
        flow.Steps.Should().HaveCount(2);

        var site = flow.Steps[0];
        site.Number.Should().Be(1);
        site.Before.Should().Be(95);
        site.Excluded.Should().Be(26);
        site.Remaining.Should().Be(69);
        site.Missing.Should().Be(0);
        site.Breakdown.Should().Equal(
            new ExclusionCount("visceral", 13),
            new ExclusionCount("mediastinum", 1),
            new ExclusionCount("retroperitoneum", 9),
            new ExclusionCount("head_neck", 3));

        var elsewhere = flow.Steps[1];
        elsewhere.Label.Should().Be("Initial PM at another hospital");
        elsewhere.Before.Should().Be(69);
        elsewhere.Excluded.Should().Be(3);
        elsewhere.Remaining.Should().Be(66);

        flow.Final.Should().Be(66);
        flow.TotalExcluded.Should().Be(29);
        result.Analysed.Count.Should().Be(66);
        result.Analysed.Patients.Count(p => p.Patient.PrimarySite == "trunk_wall").Should().Be(34);
        result.Analysed.Patients.Count(p => p.Patient.PrimarySite == "extremity").Should().Be(32);
    }

    [Fact]
    public void The_excluded_study_ids_are_exactly_the_patients_outside_the_eligible_group()
    {
        var patients = NinetyFive();
        var result = CohortSelection.Apply(CohortDerivation.Derive(patients), Rules);
        var expectedSite = patients.Where(p => p.PrimarySite is not ("trunk_wall" or "extremity")).Select(p => p.StudyId);
        var expectedElsewhere = patients.Where(p => p.PrimarySite is "trunk_wall" or "extremity" && p.Site != "NCCH").Select(p => p.StudyId);
        result.Flow.Steps[0].ExcludedStudyIds.Should().Equal(expectedSite, "cohort order");
        result.Flow.Steps[1].ExcludedStudyIds.Should().Equal(expectedElsewhere);
        result.Analysed.Patients.Select(p => p.StudyId).Should().NotIntersectWith(expectedSite.Concat(expectedElsewhere));
    }

    [Fact]
    public void The_flow_prints_as_the_papers_text_reads()
    {
        var lines = CohortSelection.Apply(CohortDerivation.Derive(NinetyFive()), Rules).Flow.ToLines();
        lines.Should().Equal(
            "95 patients identified",
            "1. Primary lesion in parenchymal organs, mediastinum, retroperitoneum or head and neck: 95 -> excluded 26 -> 69 (visceral 13, mediastinum 1, retroperitoneum 9, head_neck 3)",
            "2. Initial PM at another hospital: 69 -> excluded 3 -> 66",
            "66 patients analysed");
    }

    [Fact]
    public void The_same_flow_follows_from_an_inclusion_criterion()
    {
        var rules = new[]
        {
            SelectionRule.Include("primary_site", SelectionOperator.In, new[] { "trunk_wall", "extremity" }, "Trunk wall or extremity primary"),
            SelectionRule.Include("site", SelectionOperator.EqualTo, "NCCH", "First PM at NCCH"),
        };
        var flow = CohortSelection.Apply(CohortDerivation.Derive(NinetyFive()), rules).Flow;
        flow.Steps.Select(s => s.Excluded).Should().Equal(26, 3);
        flow.Final.Should().Be(66);
    }
}
