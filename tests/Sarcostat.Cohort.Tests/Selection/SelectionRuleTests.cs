using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Selection;

public class SelectionRuleTests
{
    // S1 nodules 1, S2 nodules 2, S3 nodules 3, S4 nodules missing; PM dates 2006-12-31, 2007-01-01, 2015-01-10, 2015-01-10.
    private static readonly DerivedCohort Four = CohortDerivation.Derive(
    [
        Alive("S1", "2020-01-10", pm: "2006-12-31") with { Nodules = 1, Histology = "ups", Synchronous = true },
        Alive("S2", "2020-01-10", pm: "2007-01-01") with { Nodules = 2, Histology = "leiomyosarcoma", Synchronous = false },
        Alive("S3", "2020-01-10") with { Nodules = 3, Histology = "synovial_sarcoma" },
        Dead("S4", "2016-01-10", cause: null) with { Histology = "ups" },
    ]);

    private static List<string> Kept(params SelectionRule[] rules) =>
        CohortSelection.Apply(Four, rules).Analysed.Patients.Select(p => p.StudyId).ToList();

    private static SelectionStep Step(SelectionRule rule) => CohortSelection.Apply(Four, [rule]).Flow.Steps[0];

    [Theory]
    [InlineData(SelectionOperator.EqualTo, 2, "S1", "S3", "S4")]
    [InlineData(SelectionOperator.NotEqualTo, 2, "S2", "S4")]
    [InlineData(SelectionOperator.LessThan, 2, "S2", "S3", "S4")]
    [InlineData(SelectionOperator.AtMost, 2, "S3", "S4")]
    [InlineData(SelectionOperator.GreaterThan, 2, "S1", "S2", "S4")]
    [InlineData(SelectionOperator.AtLeast, 2, "S1", "S4")]
    public void Comparison_operators_exclude_where_the_condition_holds_and_keep_the_missing(SelectionOperator op, int value, params string[] kept)
    {
        Kept(SelectionRule.Exclude("nodules", op, value, "rule")).Should().Equal(kept);
        Step(SelectionRule.Exclude("nodules", op, value, "rule")).MissingStudyIds.Should().Equal("S4");
    }

    [Fact]
    public void In_and_not_in_compare_with_a_list()
    {
        Kept(SelectionRule.Exclude("histology", SelectionOperator.In, new[] { "ups", "leiomyosarcoma" }, "rule")).Should().Equal("S3");
        Kept(SelectionRule.Exclude("histology", SelectionOperator.NotIn, new[] { "ups", "leiomyosarcoma" }, "rule")).Should().Equal("S1", "S2", "S4");
        Kept(SelectionRule.Exclude("nodules", SelectionOperator.In, new object[] { 1, "3" }, "rule")).Should().Equal("S2", "S4");
    }

    [Fact]
    public void Is_missing_and_is_present_decide_for_everybody()
    {
        Kept(SelectionRule.Exclude("nodules", SelectionOperator.IsMissing, null, "No nodule count")).Should().Equal("S1", "S2", "S3");
        Kept(SelectionRule.Include("nodules", SelectionOperator.IsMissing, null, "rule")).Should().Equal("S4");
        Kept(SelectionRule.Exclude("nodules", SelectionOperator.IsPresent, null, "rule")).Should().Equal("S4");
        Step(SelectionRule.Exclude("nodules", SelectionOperator.IsMissing, null, "rule")).Missing.Should().Be(0);
        Step(SelectionRule.Exclude("nodules", SelectionOperator.IsMissing, null, "rule")).Breakdown.Should().Equal(new ExclusionCount("(missing)", 1));
    }

    [Fact]
    public void An_inclusion_criterion_excludes_where_the_condition_fails_but_still_keeps_the_missing()
    {
        var rule = SelectionRule.Include("nodules", SelectionOperator.AtMost, 2, "At most two nodules");
        Kept(rule).Should().Equal("S1", "S2", "S4");
        var step = Step(rule);
        step.ExcludedStudyIds.Should().Equal("S3");
        step.MissingStudyIds.Should().Equal("S4");
        step.ToString().Should().Be("1. At most two nodules: 4 -> excluded 1 -> 3; 1 with nodules missing kept");
    }

    [Fact]
    public void A_rule_can_exclude_the_missing_when_it_says_so()
    {
        var rule = SelectionRule.Include("nodules", SelectionOperator.AtMost, 2, "At most two nodules") with { WhenMissing = MissingValuePolicy.Exclude };
        Kept(rule).Should().Equal("S1", "S2");
        var step = Step(rule);
        step.Excluded.Should().Be(2);
        step.Missing.Should().Be(1);
        step.Breakdown.Should().Equal(new ExclusionCount("3", 1), new ExclusionCount("(missing)", 1));
    }

    [Fact]
    public void Dates_compare_as_dates_and_the_first_pm_stands_for_pm_date()
    {
        // Paper 001's study period starts in January 2007.
        Kept(SelectionRule.Include("pm_date", SelectionOperator.AtLeast, "2007-01-01", "PM from January 2007")).Should().Equal("S2", "S3", "S4");
        Kept(SelectionRule.Exclude("pm_date", SelectionOperator.LessThan, new DateOnly(2007, 1, 1), "PM before 2007")).Should().Equal("S2", "S3", "S4");
    }

    [Fact]
    public void Booleans_compare_as_yes_and_no()
    {
        var step = Step(SelectionRule.Exclude("synchronous", SelectionOperator.EqualTo, "yes", "Synchronous"));
        step.ExcludedStudyIds.Should().Equal("S1");
        step.MissingStudyIds.Should().Equal("S3", "S4");
        Kept(SelectionRule.Exclude("synchronous", SelectionOperator.EqualTo, false, "Metachronous")).Should().Equal("S1", "S3", "S4");
    }

    [Fact]
    public void Derived_variables_can_be_selected_on_by_name()
    {
        Kept(SelectionRule.Exclude("histology_ups", SelectionOperator.EqualTo, "UPS", "UPS")).Should().Equal("S2", "S3");
        Kept(SelectionRule.Exclude("nodules_2", SelectionOperator.EqualTo, ">=2", "Multiple")).Should().Equal("S1", "S4");
        // S4 died without a cause: DSS cannot be derived; a protocol may exclude such patients explicitly.
        var step = Step(SelectionRule.Exclude("dss_time", SelectionOperator.IsMissing, null, "DSS not derivable"));
        step.ExcludedStudyIds.Should().Equal("S4");
        Kept(SelectionRule.Include("follow_up", SelectionOperator.AtLeast, 12, "Follow-up of a year or more")).Should().Equal("S1", "S2", "S3");
    }

    [Fact]
    public void Rules_apply_in_order_and_each_sees_only_the_patients_still_in()
    {
        var flow = CohortSelection.Apply(Four,
        [
            SelectionRule.Exclude("histology", SelectionOperator.EqualTo, "ups", "UPS"),
            SelectionRule.Exclude("nodules", SelectionOperator.AtLeast, 1, "Any nodule"),
        ]).Flow;
        flow.Steps[0].ExcludedStudyIds.Should().Equal("S1", "S4");
        flow.Steps[1].Before.Should().Be(2);
        flow.Steps[1].ExcludedStudyIds.Should().Equal("S2", "S3");
        flow.Steps[1].Missing.Should().Be(0, "S4, whose nodules are missing, left at step 1");
        flow.Final.Should().Be(0);
    }

    [Fact]
    public void No_rules_keep_everybody()
    {
        var result = CohortSelection.Apply(Four, []);
        result.Flow.Start.Should().Be(4);
        result.Flow.Final.Should().Be(4);
        result.Analysed.Count.Should().Be(4);
    }

    [Fact]
    public void The_analysed_cohort_maps_to_survival_data_without_the_excluded()
    {
        var result = CohortSelection.Apply(Four, [SelectionRule.Exclude("histology", SelectionOperator.EqualTo, "leiomyosarcoma", "LMS")]);
        var dss = result.Analysed.DataFor(Endpoint.DiseaseSpecificSurvival);
        dss.StudyIds.Should().Equal("S1", "S3");
        dss.LeftOut.Select(u => u.StudyId).Should().Equal("S4");
    }

    [Fact]
    public void Mistaken_rules_are_refused_with_the_rule_label()
    {
        void Refused(SelectionRule rule, string message) =>
            FluentActions.Invoking(() => CohortSelection.Apply(Four, [rule])).Should().Throw<ArgumentException>().WithMessage(message);

        Refused(SelectionRule.Exclude("tumour_mass", SelectionOperator.EqualTo, "x", "R1"), "*R1*tumour_mass*neither*");
        Refused(SelectionRule.Exclude("histology", SelectionOperator.LessThan, "ups", "R2"), "*R2*LessThan needs a number or a date*");
        Refused(SelectionRule.Exclude("primary_site", SelectionOperator.In, new[] { "viseral" }, "R3"), "*R3*'viseral' is not a value of 'primary_site'*");
        Refused(SelectionRule.Exclude("nodules", SelectionOperator.AtLeast, "two", "R4"), "*R4*'two' is not a valid integer value*");
        Refused(SelectionRule.Exclude("pm_date", SelectionOperator.AtLeast, "01/01/2007", "R5"), "*R5*yyyy-MM-dd*");
        Refused(SelectionRule.Exclude("nodules", SelectionOperator.EqualTo, new[] { 1, 2 }, "R6"), "*R6*exactly one value*");
        Refused(SelectionRule.Exclude("nodules", SelectionOperator.In, Array.Empty<int>(), "R7"), "*R7*non-empty list*");
        Refused(SelectionRule.Exclude("nodules", SelectionOperator.IsMissing, 1, "R8"), "*R8*takes no value*");
        Refused(SelectionRule.Exclude("nodules", SelectionOperator.EqualTo, 1, " "), "*needs a label*");
        Refused(SelectionRule.Exclude("dfi_12", SelectionOperator.EqualTo, "<12", "R9"), "*R9*'<12' is not a value of 'dfi_12'*<12 months*");
        Refused(SelectionRule.Exclude("synchronous", SelectionOperator.EqualTo, "maybe", "R10"), "*R10*yes or no*");
    }

    [Fact]
    public void A_rule_prints_in_words()
    {
        SelectionRule.Exclude("primary_site", SelectionOperator.In, new[] { "visceral", "mediastinum" }, "Primary site").ToString()
            .Should().Be("exclude if primary_site in [visceral, mediastinum] (\"Primary site\")");
        SelectionRule.Include("age_at_pm", SelectionOperator.AtLeast, 18.0, "Adults").ToString()
            .Should().Be("include if age_at_pm >= 18 (\"Adults\")");
    }
}
