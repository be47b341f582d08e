using Sarcostat.Study.Protocols;

namespace Sarcostat.Study.Tests.Protocols;

/// <summary>A multivariate table's <c>time_dependent</c> exposures: binding and the located problems of the validator.</summary>
public class TimeDependentProtocolTests
{
    /// <summary>A valid protocol with one time-dependent exposure; tests change one line of it.</summary>
    internal const string Protocol = """
        name: td
        title: Time-dependent
        endpoints: [OS, DFS]
        variables:
          sex: {label: Sex, levels: {male: Male, female: Female}, reference: male}
          ecog: {label: ECOG, type: categorical}
        sections:
          - id: s
            title: S
            items:
              - type: univariate
                id: table-1
                title: Table 1. Univariate
                endpoint: OS
                test: cox
                rows: [sex, ecog]
              - type: multivariate
                id: table-2
                title: Table 2. Cox model with recurrence after PM as a time-dependent covariate
                endpoint: OS
                select: {variables: [sex, ecog]}
                time_dependent:
                  - {name: recurrence_td, at: recurrence_date, label: Recurrence after PM}
        """;

    private static ProtocolProblem Fails(string text)
    {
        var act = () => ProtocolLoader.Parse(text, "td.yaml");
        return act.Should().Throw<ProtocolException>().Which.Problems.Should().ContainSingle().Which;
    }

    private static string With(string from, string to)
    {
        Protocol.Should().Contain(from);
        return Protocol.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exposures_bind_with_name_date_and_label()
    {
        var table = ProtocolLoader.Parse(Protocol, "td.yaml").Items.OfType<MultivariateTableSpec>().Single();
        table.TimeDependent.Should().Equal(new TimeDependentSpec("recurrence_td", "recurrence_date") { Label = "Recurrence after PM" });
        table.TimeDependent[0].DisplayLabel.Should().Be("Recurrence after PM");
    }

    [Fact]
    public void The_documented_example_loads_and_runs()
    {
        // docs/protocol.md and docs/statistics/cox-counting-process.md: the table S4 example.
        const string Example = """
            name: example
            title: Example
            endpoints: [OS]
            cut_points: [age_65]
            sections:
              - id: s
                title: S
                items:
                  - type: multivariate
                    id: table-s4
                    title: Table S4. Cox model with recurrence after metastasectomy as a time-dependent covariate
                    endpoint: OS
                    select: {variables: [age_65, sex]}
                    time_dependent:
                      - {name: recurrence_td, at: recurrence_date, label: Recurrence after PM}
                      - {name: repeat_pm_td, at: repeat_pm_date, label: Repeat metastasectomy}
            """;
        var protocol = ProtocolLoader.Parse(Example, "example.yaml");
        var report = StudyRunner.Run(protocol, TestCohort.Build(80, 5), new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)));
        var table = report.Tables.Single(t => t.Id == "table-s4");
        table.Rows.Select(r => r.Cells[0].Text).Should().Contain("Recurrence after PM (time-dependent): yes vs no");
        table.Footnotes.Should().Contain(f => f.Contains("coxph(Surv(tstart, tstop, event) ~ age_65 + sex + recurrence_td", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_date_is_located_and_the_closest_is_suggested()
    {
        var p = Fails(With("at: recurrence_date", "at: recurence_date"));
        p.Path.Should().Be("sections[0].items[1].time_dependent[0].at");
        p.Line.Should().Be(23);
        p.Message.Should().Contain("'recurence_date' is not a date").And.Contain("repeat_pm_date").And.Contain("did you mean 'recurrence_date'?");
    }

    [Fact]
    public void A_name_that_is_a_variable_of_the_model_is_a_problem()
    {
        var p = Fails(With("name: recurrence_td", "name: sex"));
        p.Path.Should().Be("sections[0].items[1].time_dependent[0].name");
        p.Message.Should().Contain("'sex' is a variable of this model");
    }

    [Fact]
    public void A_name_that_is_a_variable_the_selection_rule_may_choose_is_a_problem()
    {
        var p = Fails(With("select: {variables: [sex, ecog]}", "select: {from: table-1, p_below: 0.1}").Replace("name: recurrence_td", "name: ecog", StringComparison.Ordinal));
        p.Path.Should().Be("sections[0].items[1].time_dependent[0].name");
    }

    [Fact]
    public void A_name_declared_twice_is_a_problem()
    {
        var p = Fails(With(
            "  - {name: recurrence_td, at: recurrence_date, label: Recurrence after PM}",
            "  - {name: recurrence_td, at: recurrence_date, label: Recurrence after PM}\n          - {name: recurrence_td, at: repeat_pm_date}"));
        p.Path.Should().Be("sections[0].items[1].time_dependent[1].name");
        p.Message.Should().Contain("declared twice");
    }

    [Fact]
    public void Exact_ties_are_a_located_problem()
    {
        var p = Fails(With("title: Time-dependent\n", "title: Time-dependent\nties: exact\n"));
        p.Path.Should().Be("sections[0].items[1].time_dependent");
        p.Message.Should().Contain("ties: exact is not supported").And.Contain("efron or breslow");
    }

    [Fact]
    public void Breslow_ties_are_accepted()
    {
        ProtocolLoader.Parse(With("title: Time-dependent\n", "title: Time-dependent\nties: breslow\n"), "td.yaml").Ties.Should().Be(Survival.TieMethod.Breslow);
    }

    [Fact]
    public void A_landmark_and_time_dependent_exposures_together_are_a_problem()
    {
        var p = Fails(With("    endpoint: OS\n        select: {variables", "    endpoint: OS\n        landmark_time: 12\n        select: {variables"));
        p.Path.Should().Be("sections[0].items[1].landmark_time");
    }

    [Fact]
    public void The_endpoints_own_event_as_exposure_is_a_problem()
    {
        var p = Fails(With("    endpoint: OS\n        select: {variables", "    endpoint: DFS\n        select: {variables"));
        p.Path.Should().Be("sections[0].items[1].time_dependent[0].at");
        p.Message.Should().Contain("is the event of DFS itself");
    }

    [Fact]
    public void A_forest_plot_of_the_model_is_a_problem()
    {
        var p = Fails(Protocol + """

                  - type: forest
                    id: figure-1
                    title: Figure 1. Forest
                    model: table-2
            """);
        p.Path.Should().Be("sections[0].items[2].model");
        p.Message.Should().Contain("time-dependent");
    }

    [Fact]
    public void An_exposure_without_a_date_or_with_an_unknown_key_is_a_binding_problem()
    {
        var act = () => ProtocolLoader.Parse(With("{name: recurrence_td, at: recurrence_date, label: Recurrence after PM}", "{name: recurrence_td, when: recurrence_date}"), "td.yaml");
        var problems = act.Should().Throw<ProtocolException>().Which.Problems;
        problems.Select(p => p.Message).Should().Contain(m => m.Contains("'when' is not a key here", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("'at' is missing", StringComparison.Ordinal));
    }
}
