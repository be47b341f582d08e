using Sarcostat.Simulation;
using static Sarcostat.Simulation.Tests.SimHelpers;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

public class CohortSimulatorTests
{
    public static TheoryData<string> Specs => new() { "chang2024", "nakayama2022" };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Dates_are_always_in_order_and_consistent_with_vital_status(string name)
    {
        var spec = SimulationSpecs.Find(name)!;
        var broken = new List<string>();
        void Check(bool ok, Patient p, string rule)
        {
            if (!ok)
            {
                broken.Add($"{p.StudyId}: {rule}");
            }
        }

        for (int seed = 1; seed <= 20; seed++)
        {
            foreach (var p in CohortSimulator.Simulate(spec, 500, seed).Patients)
            {
                var pm = p.FirstMetastasectomyDate!.Value;
                var last = p.LastContactDate!.Value;
                Check(p.BirthDate < p.PrimarySurgeryDate, p, "birth < primary surgery");
                Check(p.PrimarySurgeryDate <= p.LungMetastasisDate, p, "primary surgery <= lung metastasis");
                Check(p.LungMetastasisDate <= pm, p, "lung metastasis <= first PM");
                Check(pm >= spec.AccrualStart && pm <= spec.AccrualEnd, p, "first PM within accrual");
                Check(p.Procedures.All(m => m.Date >= pm && m.Date <= last), p, "every PM within follow-up");
                Check(p.Procedures.Count < 2 || p.Procedures[0].Date < p.Procedures[1].Date, p, "procedures in date order");
                Check(last <= spec.DataCutoff, p, "last contact <= cut-off");
                Check(p.VitalStatus == "dead" ? p.DeathDate == last && p.CauseOfDeath != null
                    : p.VitalStatus == "alive" && p.DeathDate == null && p.CauseOfDeath == null, p, "death date = last contact for the dead only");
                Check(p.RecurrenceDate is null || (p.RecurrenceDate > pm && p.RecurrenceDate <= last), p, "PM < recurrence <= last contact");
                Check(p.Synchronous == true ? p.LungMetastasisDate == p.PrimarySurgeryDate
                    : p.LungMetastasisDate!.Value.DayNumber - p.PrimarySurgeryDate!.Value.DayNumber > 28, p, "synchronous = DFI 0, otherwise at least a month");
            }
        }

        broken.Should().BeEmpty();
    }

    [Fact]
    public void A_sarcoma_death_under_dss_always_follows_a_recurrence()
    {
        var ps = CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 2000, 5).Patients;
        ps.Where(p => p.CauseOfDeath == "sarcoma").Should().OnlyContain(p => p.RecurrenceDate != null);
    }

    [Fact]
    public void The_same_seed_gives_the_same_cohort_and_another_seed_another()
    {
        var a = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 300, 42).Patients;
        var b = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 300, 42).Patients;
        var c = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 300, 43).Patients;
        static string Key(Patient p) => string.Join("|", FieldAccess.PatientFields.Select(f => FieldAccess.Get(p, f)))
            + "#" + string.Join(";", p.Procedures.Select(m => string.Join("|", FieldAccess.MetastasectomyFields.Select(f => FieldAccess.Get(m, f)))));
        a.Select(Key).Should().Equal(b.Select(Key));
        a.Select(Key).Should().NotEqual(c.Select(Key));
    }

    [Fact]
    public void N_sets_the_cohort_size_and_study_ids_are_numbered_in_order_of_the_first_operation()
    {
        CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 1, 1).Patients.Should().ContainSingle();
        var ps = CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 12345, 1).Patients;
        ps.Should().HaveCount(12345);
        ps[0].StudyId.Should().Be("NK-00001", "ids are as wide as n needs");
        ps[^1].StudyId.Should().Be("NK-12345");
        ps.Select(p => p.FirstMetastasectomyDate).Should().BeInAscendingOrder();
        CohortSimulator.Simulate(SimulationSpecs.Chang2024, 110, 1).Patients[0].StudyId.Should().Be("CH-0001");
    }

    [Fact]
    public void Invalid_size_or_spec_is_a_programmer_error()
    {
        var act = () => CohortSimulator.Simulate(SimulationSpecs.Chang2024, 0, 1);
        act.Should().Throw<ArgumentOutOfRangeException>();
        var bad = SimulationSpecs.Chang2024 with { DataCutoff = new DateOnly(2010, 1, 1) };
        var act2 = () => CohortSimulator.Simulate(bad, 10, 1);
        act2.Should().Throw<ArgumentException>().WithMessage("*cut-off*");
        var noMargin = SimulationSpecs.Chang2024 with
        {
            Terms = [new SimulatedTerm("nc", TermKind.NonCurativeResection, 2, "test", "margin has missing values")],
        };
        var act3 = () => CohortSimulator.Simulate(noMargin, 10, 1);
        act3.Should().Throw<ArgumentException>().WithMessage("*'nc'*");
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Term_values_computed_from_the_records_have_the_truths_prevalence(string name)
    {
        var cohort = name == "chang2024" ? Chang20000 : Nakayama20000;
        foreach (var term in cohort.Spec.Terms)
        {
            var truth = cohort.Truth.Terms.Single(t => t.Term == term.Name);
            var values = cohort.Patients.Select(p => CohortSimulator.TermValue(cohort.Spec, term, p)).ToArray();
            values.Should().OnlyContain(v => v == 0 || v == 1, term.Name);
            ShouldBeNearProportion(values.Count(v => v == 1), values.Length, truth.Prevalence, term.Name);
            truth.Coef.Should().BeApproximately(Math.Log(term.HazardRatio), 1e-15);
        }
    }

    [Fact]
    public void The_truth_carries_the_papers_hazard_ratios()
    {
        var chang = CohortSimulator.Simulate(SimulationSpecs.Chang2024, 10, 1).Truth;
        chang.Terms.Select(t => (t.Term, t.HazardRatio)).Should().Equal(
            ("dfi_12_months_or_more", 0.267), ("local_recurrence_at_pm", 1.901), ("multiple_nodules", 1.841));
        chang.Baseline.Shape.Should().Be(1, "exponential when only the 5-year survival is given");
        var nk = CohortSimulator.Simulate(SimulationSpecs.Nakayama2022, 10, 1).Truth;
        nk.Terms.Select(t => (t.Term, t.HazardRatio)).Should().Equal(
            ("dfi_under_12_months", 3.544), ("histology_ups", 2.882), ("multiple_nodules", 1.195),
            ("largest_nodule_20mm_or_more", 3.159), ("non_curative_resection", 12.161));
        nk.Endpoint.Should().Be(SimulatedEndpoint.DiseaseSpecificSurvival);
        nk.DataCutoff.Should().Be(new DateOnly(2022, 3, 31), "an explicit cut-off, never today");
    }
}
