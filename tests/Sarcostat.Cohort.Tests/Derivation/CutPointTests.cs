using Sarcostat.Cohort.Derivation;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Derivation;

public class CutPointTests
{
    private static string? Category(Patient p, string name, DerivationOptions? options = null) =>
        CohortDerivation.Derive([p], options).Patients[0].Categories[name];

    [Fact]
    public void A_value_exactly_at_the_threshold_is_at_or_above()
    {
        var cut = new CutPoint("largest_nodule_mm", 20, "<20 mm", ">=20 mm");
        cut.Categorise(20).Should().Be(">=20 mm");
        cut.Categorise(19.999).Should().Be("<20 mm");
        cut.Categorise(20.001).Should().Be(">=20 mm");
        cut.Categorise(null).Should().BeNull();
    }

    [Fact]
    public void A_cut_point_without_a_name_is_named_after_field_and_threshold()
    {
        new CutPoint("dfi_months", 12, "<12", ">=12").VariableName.Should().Be("dfi_months_cut_12");
        new CutPoint("primary_size_cm", 7.5, "<7.5", ">=7.5").VariableName.Should().Be("primary_size_cm_cut_7.5");
    }

    [Fact]
    public void The_papers_cut_points_are_presets_by_name()
    {
        CutPoints.Presets.Select(c => c.VariableName).Should().Equal(
            "age_65", "age_50", "dfi_12", "largest_nodule_30", "largest_nodule_20", "primary_size_10", "nodules_2");
        CutPoints.Preset("dfi_12").Should().Be(new CutPoint("dfi_months", 12, "<12 months", ">=12 months", "dfi_12"));
        CutPoints.Preset("largest_nodule_30")!.Threshold.Should().Be(30, "paper 000's 3 cm in the dictionary's millimetres");
        CutPoints.Preset("nope").Should().BeNull();
    }

    [Fact]
    public void Presets_are_derived_by_default_for_every_patient()
    {
        var p = Base("K1") with
        {
            AgeAtPm = 65,
            LargestNoduleMm = 20,
            PrimarySizeCm = 10,
            Nodules = 2,
            PrimarySurgeryDate = D("2013-01-10"),
            LungMetastasisDate = D("2014-01-11"), // 366 days = 12.0246 months
        };
        var c = CohortDerivation.Derive([p]).Patients[0].Categories;
        c["age_65"].Should().Be(">=65 years", "65 exactly is at the threshold");
        c["age_50"].Should().Be(">=50 years");
        c["dfi_12"].Should().Be(">=12 months");
        c["largest_nodule_30"].Should().Be("<30 mm");
        c["largest_nodule_20"].Should().Be(">=20 mm");
        c["primary_size_10"].Should().Be(">=10 cm");
        c["nodules_2"].Should().Be(">=2");
    }

    [Fact]
    public void Dfi_of_365_days_is_below_12_months()
    {
        // 365 / 30.4375 = 11.9918 < 12.
        var p = Base("K2") with { PrimarySurgeryDate = D("2013-01-10"), LungMetastasisDate = D("2014-01-10") };
        Category(p, "dfi_12").Should().Be("<12 months");
        Category(Base("K3") with { Synchronous = true }, "dfi_12").Should().Be("<12 months", "synchronous is DFI 0");
    }

    [Fact]
    public void Age_from_dates_on_the_65th_birthday_is_below_65_and_the_next_day_at_or_above()
    {
        // 23,741 / 365.25 = 64.9993; 23,742 / 365.25 = 65.0021.
        Category(Base("K4") with { BirthDate = D("1950-01-10") }, "age_65").Should().Be("<65 years");
        Category(Base("K5", pm: "2015-01-11") with { BirthDate = D("1950-01-10") }, "age_65").Should().Be(">=65 years");
    }

    [Fact]
    public void A_missing_value_gives_a_missing_category()
    {
        Category(Base("K6"), "largest_nodule_20").Should().BeNull();
        Category(Base("K7"), "dfi_12").Should().BeNull();
    }

    [Fact]
    public void A_declared_cut_point_can_cut_a_procedure_field_or_follow_up()
    {
        var options = new DerivationOptions
        {
            CutPoints = [new CutPoint("hospital_stay_days", 7, "<1 week", ">=1 week", "stay_week"), new CutPoint("follow_up", 12, "<1 year", ">=1 year", "fu_year")],
        };
        var p = Alive("K8", "2016-01-10") with { Procedures = [new Metastasectomy { Date = D("2015-01-10"), HospitalStayDays = 7 }] };
        var c = CohortDerivation.Derive([p], options).Patients[0].Categories;
        c["stay_week"].Should().Be(">=1 week");
        c["fu_year"].Should().Be("<1 year", "365 days = 11.99 months");
        c.Should().NotContainKey("dfi_12", "declared cut points replace the presets");
    }

    [Fact]
    public void Cut_points_on_non_numbers_unknown_names_or_taken_names_are_refused()
    {
        var patients = new[] { Base("K9") };
        FluentActions.Invoking(() => CohortDerivation.Derive(patients, new DerivationOptions { CutPoints = [new CutPoint("histology", 1, "a", "b")] }))
            .Should().Throw<ArgumentException>().WithMessage("*histology*not a numeric*");
        FluentActions.Invoking(() => CohortDerivation.Derive(patients, new DerivationOptions { CutPoints = [new CutPoint("tumour_mass", 1, "a", "b")] }))
            .Should().Throw<ArgumentException>().WithMessage("*tumour_mass*");
        FluentActions.Invoking(() => CohortDerivation.Derive(patients, new DerivationOptions { CutPoints = [CutPoints.Dfi12, CutPoints.Dfi12] }))
            .Should().Throw<ArgumentException>().WithMessage("*dfi_12*taken*");
        FluentActions.Invoking(() => CohortDerivation.Derive(patients, new DerivationOptions { CutPoints = [new CutPoint("nodules", 2, "1", ">=2", "nodules")] }))
            .Should().Throw<ArgumentException>().WithMessage("*'nodules'*taken*");
        FluentActions.Invoking(() => CohortDerivation.Derive(patients, new DerivationOptions { CutPoints = [new CutPoint("nodules", double.NaN, "1", ">=2")] }))
            .Should().Throw<ArgumentException>().WithMessage("*finite*");
        FluentActions.Invoking(() => CohortDerivation.Derive(patients, new DerivationOptions { CutPoints = [new CutPoint("nodules", 2, "same", "same")] }))
            .Should().Throw<ArgumentException>().WithMessage("*different*");
    }
}
