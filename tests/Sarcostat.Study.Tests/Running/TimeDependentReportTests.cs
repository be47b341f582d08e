using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// A multivariate table with time-dependent exposures on the synthetic study cohort: its cells are the analysis step's
/// numbers (one code path with <see cref="StudyCohort.TimeDependentCox"/>), its notes give the R call and what is not
/// available, and its trouble is in the warnings.
/// </summary>
public class TimeDependentReportTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private const string Protocol = """
        name: td
        title: Time-dependent exposures
        endpoints: [OS]
        variables:
          sex: {label: Sex, levels: {male: Male, female: Female}, reference: male}
          ecog: {label: ECOG, type: categorical}
        sections:
          - id: s
            title: S
            items:
              - type: multivariate
                id: table-s4
                title: Table S4. Cox model with recurrence and repeat metastasectomy as time-dependent covariates
                endpoint: OS
                select: {variables: [sex, ecog]}
                columns: [n, hr, ci, p]
                time_dependent:
                  - {name: recurrence_td, at: recurrence_date, label: Recurrence after PM}
                  - {name: repeat_td, at: repeat_pm_date, label: Repeat metastasectomy}
        """;

    /// <summary>
    /// The study cohort with a second metastasectomy for every third patient, at a third of the follow-up (every ninth:
    /// after its end, so never exposed during it), and for P002 a second procedure on the first one's date (not a repeat).
    /// Returns the patients exposed to a repeat metastasectomy during follow-up, counted from the dates written here.
    /// </summary>
    private static (List<Patient> Patients, HashSet<string> RepeatDuringFollowUp) Cohort()
    {
        var patients = TestCohort.Build(160, 11).ToList();
        var repeat = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < patients.Count; i++)
        {
            var p = patients[i];
            var first = p.Procedures[0];
            var end = (p.DeathDate ?? p.LastContactDate)!.Value;
            DateOnly? second = i % 9 == 0 ? end.AddDays(30)
                : i % 3 == 0 ? first.Date.AddDays((end.DayNumber - first.Date.DayNumber) / 3)
                : p.StudyId == "P002" ? first.Date
                : null;
            if (second is { } d)
            {
                patients[i] = p with { Procedures = [first, first with { Date = d }] };
                if (d > first.Date && d < end)
                {
                    repeat.Add(p.StudyId);
                }
            }
        }

        return (patients, repeat);
    }

    [Fact]
    public void The_tables_cells_are_the_analysis_steps_numbers_with_the_R_call_in_the_notes()
    {
        var (patients, repeat) = Cohort();
        var protocol = ProtocolLoader.Parse(Protocol, "td.yaml");
        var report = StudyRunner.Run(protocol, patients, Context);
        var study = StudyCohort.Prepare(protocol, patients);
        var spec = protocol.Items.OfType<MultivariateTableSpec>().Single();
        var model = study.TimeDependentCox(Endpoint.OverallSurvival, ["sex", "ecog"], spec.TimeDependent);
        model.Fit.Should().NotBeNull();
        var table = Engine.Table(report, "table-s4");

        foreach (var (name, label) in new[] { ("recurrence_td", "Recurrence after PM"), ("repeat_td", "Repeat metastasectomy") })
        {
            int row = Engine.Row(table, $"{label} (time-dependent): yes vs no");
            var term = model.Term(name, null)!;
            Engine.Value(table, row, "HR").Should().Be(term.HazardRatio);
            Engine.Cell(table, row, "95% CI").Lower.Should().Be(term.Lower);
            Engine.Cell(table, row, "95% CI").Upper.Should().Be(term.Upper);
            Engine.Value(table, row, "p").Should().Be(term.P);
            Engine.Value(table, row, "n").Should().Be(model.Exposures.Single(e => e.Name == name).Exposed);
        }

        // repeat_pm_date: the second procedure's date, counted here from the dates the test wrote.
        model.Exposures.Single(e => e.Name == "repeat_td").Exposed.Should().Be(repeat.Count);
        repeat.Should().HaveCountGreaterThan(20);

        // Baseline terms as the levels layout shows them: the reference with 1, then the levels.
        int sex = Engine.Row(table, "Sex");
        table.Rows[sex].IsHeading.Should().BeTrue();
        Engine.Value(table, Engine.Row(table, "Male", sex), "HR").Should().Be(1);
        Engine.Value(table, Engine.Row(table, "Female", sex), "HR").Should().Be(model.Term("sex", "female")!.HazardRatio);
        Engine.Value(table, Engine.Row(table, "Female", sex), "n").Should().Be(model.Terms[0].Counts["female"]);

        var notes = string.Join("\n", table.Footnotes);
        notes.Should().Contain("coxph(Surv(tstart, tstop, event) ~ sex + ecog + recurrence_td + repeat_td, ties = \"efron\", data = tmerge(d, d, id = id, event = event(time, status), recurrence_td = tdc(recurrence_date_time), repeat_td = tdc(repeat_pm_date_time)))");
        notes.Should().Contain("counts as exposed from time zero (tmerge's rule");
        notes.Should().Contain($"in {model.Rows} (start, stop] rows");
        notes.Should().Contain($"({repeat.Count} of {model.Patients})");
        notes.Should().Contain("not available for a model with time-dependent covariates");
        model.Rows.Should().BeGreaterThan(model.Patients);

        var methods = string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);
        methods.Should().Contain("It also included recurrence after PM and repeat metastasectomy as time-dependent covariates");

        // No proportional-hazards table or Firth table follows a counting-process model.
        report.Tables.Should().NotContain(t => t.Id.StartsWith("table-s4-", StringComparison.Ordinal));
    }

    [Fact]
    public void An_exposure_nobody_has_and_follow_up_that_cannot_be_split_are_warnings()
    {
        // The unchanged study cohort has no second metastasectomy; one patient dies on the day of the first (time 0).
        var patients = TestCohort.Build(160, 11).ToList();
        int dead = patients.FindIndex(p => p.DeathDate is not null);
        var pm = patients[dead].Procedures[0].Date;
        patients[dead] = patients[dead] with { DeathDate = pm, LastContactDate = pm };
        var protocol = ProtocolLoader.Parse(Protocol, "td.yaml");

        var report = StudyRunner.Run(protocol, patients, Context);

        var codes = report.Warnings.Where(w => w.ItemId == "table-s4").Select(w => w.Code).ToList();
        codes.Should().Contain("exposure-not-estimable").And.Contain("follow-up-not-split");
        report.Warnings.Single(w => w.Code == "exposure-not-estimable").Message.Should().Contain("no patient is exposed to 'Repeat metastasectomy'");
        var table = Engine.Table(report, "table-s4");
        Engine.Cell(table, Engine.Row(table, "Repeat metastasectomy (time-dependent): yes vs no"), "HR").Text.Should().Be("NA");
        Engine.Cell(table, Engine.Row(table, "Recurrence after PM (time-dependent): yes vs no"), "HR").Value.Should().NotBeNull();
        string.Join("\n", table.Footnotes).Should().Contain("1 patient whose follow-up could not be split");
    }
}
