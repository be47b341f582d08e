using Sarcostat.Cohort;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>Statistical and data trouble becomes a warning (and a footnote), never a silent number or a crash.</summary>
public class WarningTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private const string CoxBySex = """
        name: warn
        title: Warnings
        endpoints: [OS]
        sections:
          - id: s
            title: S
            items:
              - type: univariate
                id: table-1
                title: Table 1. Univariate Cox
                endpoint: OS
                test: cox
                rows: [sex, dfi_12]
              - type: multivariate
                id: table-2
                title: Table 2. Multivariate Cox
                endpoint: OS
                select: {variables: [dfi_12, nodule_group, largest_nodule_20, curative_resection, sex, laterality]}
              - type: multivariate
                id: table-3
                title: Table 3. Nothing selected
                endpoint: OS
                select: {from: table-1, p_below: 0.000000001}
        """;

    private static StudyReport Run(string protocol, IReadOnlyList<Patient> patients) =>
        StudyRunner.Run(ProtocolLoader.Parse(protocol, "warn.yaml"), patients, Context);

    [Fact]
    public void A_group_without_events_warns_of_an_infinite_hazard_ratio()
    {
        // Women never die: the hazard ratio of women vs men is 0 (the likelihood is monotone).
        var patients = TestCohort.Build(60, 8).Select(p => p.Sex == "female"
            ? p with { VitalStatus = "alive", DeathDate = null, CauseOfDeath = null }
            : p).ToList();
        var report = Run(CoxBySex, patients);
        report.Warnings.Should().Contain(w => w.Code == "no-events-in-group" && w.ItemId == "table-1" && w.Message.Contains("Female", StringComparison.Ordinal));
        report.Warnings.Should().Contain(w => (w.Code == "monotone-likelihood" || w.Code == "infinite-coefficients") && w.ItemId == "table-1"
            && w.Message.Contains("Firth", StringComparison.Ordinal));
    }

    [Fact]
    public void Few_events_per_variable_are_flagged_in_the_table_and_the_warnings()
    {
        var report = Run(CoxBySex, TestCohort.Build(40, 9));
        var warning = report.Warnings.Should().ContainSingle(w => w.Code == "events-per-variable").Which;
        warning.ItemId.Should().Be("table-2");
        warning.Message.Should().Contain("events per variable, fewer than 10");
        Engine.Table(report, "table-2").Footnotes.Should().Contain(f => f.Contains("events per variable", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_selection_gives_an_empty_model_table_and_a_warning()
    {
        var report = Run(CoxBySex, TestCohort.Build(40, 9));
        Engine.Table(report, "table-3").Rows.Should().BeEmpty();
        Engine.Table(report, "table-3").Footnotes[0].Should().Contain("none; no multivariate model was fitted");
        report.Warnings.Should().Contain(w => w.Code == "multivariate-empty" && w.ItemId == "table-3");
    }

    [Fact]
    public void Underivable_endpoints_are_counted_with_their_reasons()
    {
        var patients = TestCohort.Build(80, 4).ToList();
        int dead = patients.FindIndex(p => p.VitalStatus == "dead");
        patients[dead] = patients[dead] with { DeathDate = null };
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), patients, Context);
        var warning = report.Warnings.Should().ContainSingle(w => w.Code == "endpoint-not-derivable" && w.Message.StartsWith("OS ", StringComparison.Ordinal)).Which;
        warning.Message.Should().Contain("could not be derived for 1 of the 80 analysed patients (dead without a death date: 1)");
        Engine.Table(report, "table-5").Footnotes.Should().Contain(f => f.Contains("1 patient without a derivable OS is not included", StringComparison.Ordinal));
        string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs)
            .Should().Contain("OS could not be derived for 1 patient, who was");
    }

    [Fact]
    public void Dss_without_cause_of_death_data_is_named()
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped("nakayama2022"), TestCohort.Build(80, 4, withCause: false), Context);
        report.Warnings.Should().Contain(w => w.Code == "dss-without-cause" && w.Message.Contains("no cause-of-death data", StringComparison.Ordinal));
        report.Warnings.Should().Contain(w => w.Code == "endpoint-not-derivable" && w.Message.Contains("dead without a cause of death", StringComparison.Ordinal));
    }

    [Fact]
    public void A_factor_with_one_level_gets_no_test_and_a_warning()
    {
        var patients = TestCohort.Build(50, 6).Select(p => p with { Sex = "male" }).ToList();
        var report = StudyRunner.Run(ProtocolLoader.Shipped("nakayama2022"), patients, Context);
        // One warning from the univariate screen (the code the CLI's univariate uses too), not one per test.
        report.Warnings.Where(w => w.ItemId == "table-2" && w.Message.Contains("(Sex)", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Match<ReportWarning>(w => w.Code == "not-estimable" && w.Message.Contains("cannot be tested", StringComparison.Ordinal));
        var table = Engine.Table(report, "table-2");
        var male = Engine.Row(table, "Male");
        Engine.Cell(table, male, "p").Text.Should().Be("NA");
        Engine.Cell(table, Engine.Row(table, "Female"), "n").Text.Should().Be("0");
    }

    [Fact]
    public void Patients_kept_by_a_rule_that_cannot_decide_are_reported()
    {
        var patients = TestCohort.Build(50, 6).Select(p => p with { Site = null }).ToList();
        var report = StudyRunner.Run(ProtocolLoader.Shipped("nakayama2022"), patients, Context);
        report.Warnings.Should().Contain(w => w.Code == "selection-missing" && w.Message.Contains("'site' missing were kept", StringComparison.Ordinal));
        Engine.Figure<FlowFigure>(report, "figure-s1").Caption.Should().Contain("with 'site' missing were kept");
    }

    [Fact]
    public void Warnings_name_study_ids_or_counts_never_patient_values()
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(60, 12), Context);
        foreach (var w in report.Warnings)
        {
            w.Message.Should().NotMatchRegex(@"\d{4}-\d{2}-\d{2}", "warnings carry no dates");
        }
    }
}

public class DegenerateCohortTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    public static TheoryData<string> Protocols => new() { "chang2024", "nakayama2022" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public void An_empty_cohort_gives_a_report_not_a_crash(string name)
    {
        var report = StudyRunner.Run(ProtocolLoader.Shipped(name), [], Context);
        report.Tables.Should().NotBeEmpty();
        report.Sections.Single(s => s.Id == "summary").Items.OfType<TextItem>().Single().Paragraphs
            .Should().Contain(p => p.Contains("could not be estimated", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void A_cohort_without_events_gives_warnings_not_a_crash(string name)
    {
        var patients = TestCohort.Build(40, 2).Select(p => p with { VitalStatus = "alive", DeathDate = null, CauseOfDeath = null, RecurrenceDate = null, ProgressionDate = null }).ToList();
        var report = StudyRunner.Run(ProtocolLoader.Shipped(name), patients, Context);
        report.Warnings.Should().NotBeEmpty();
        report.Sections.Single(s => s.Id == "summary").Items.OfType<TextItem>().Single().Paragraphs
            .Should().Contain(p => p.Contains("was not reached", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cohort_excluded_entirely_by_selection_gives_a_report_not_a_crash()
    {
        var patients = TestCohort.Build(30, 2).Select(p => p with { PrimarySite = "visceral" }).ToList();
        var report = StudyRunner.Run(ProtocolLoader.Shipped("nakayama2022"), patients, Context);
        Engine.Figure<FlowFigure>(report, "figure-s1").Boxes[^1].Count.Should().Be(0);
    }

    [Fact]
    public void Pfs_and_dfs_without_progression_or_recurrence_dates_are_named_as_overall_survival()
    {
        const string protocol = """
            name: pfs
            title: PFS
            endpoints: [PFS, DFS]
            sections:
              - id: s
                title: S
                items:
                  - type: km
                    id: figure-1
                    title: Figure 1
                    endpoint: PFS
            """;
        var withDates = TestCohort.Build(60, 3);
        StudyRunner.Run(ProtocolLoader.Parse(protocol, "pfs.yaml"), withDates, Context).Warnings.Should().NotContain(w => w.Code == "pfs-without-progression" || w.Code == "dfs-without-recurrence");
        var without = withDates.Select(p => p with { ProgressionDate = null, RecurrenceDate = null }).ToList();
        var warnings = StudyRunner.Run(ProtocolLoader.Parse(protocol, "pfs.yaml"), without, Context).Warnings;
        warnings.Should().Contain(w => w.Code == "pfs-without-progression" && w.Message.Contains("equals overall survival", StringComparison.Ordinal));
        warnings.Should().Contain(w => w.Code == "dfs-without-recurrence");
    }
}
