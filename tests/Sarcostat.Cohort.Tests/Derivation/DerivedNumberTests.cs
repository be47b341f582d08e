using Sarcostat.Cohort.Derivation;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Derivation;

public class DerivedNumberTests
{
    [Fact]
    public void The_month_convention_is_the_dictionarys_one_constant()
    {
        TimeUnits.MonthDays.Should().Be(30.4375);
        TimeUnits.MonthDays.Should().Be(365.25 / 12);
        TimeUnits.FromDays(912, TimeUnit.Months).Should().BeApproximately(29.963039014373717, 1e-12);
        TimeUnits.FromDays(912, TimeUnit.Years).Should().BeApproximately(2.4969199178644765, 1e-12);
        TimeUnits.FromDays(912, TimeUnit.Days).Should().Be(912);
    }

    [Fact]
    public void Age_is_whole_days_from_birth_to_first_pm_over_365_25()
    {
        // 1950-01-10 to 2015-01-10: 65 * 365 + 16 leap days = 23,741 days; 23741 / 365.25 = 64.99931553730322.
        var p = Base("A1") with { BirthDate = D("1950-01-10") };
        var age = DerivationRules.AgeAtPm(p);
        age.Value.Should().BeApproximately(23741 / 365.25, 1e-12);
        age.Value.Should().BeApproximately(64.99931553730322, 1e-12);
        age.Reason.Should().BeNull();
    }

    [Fact]
    public void Age_uses_the_first_of_several_metastasectomies()
    {
        // Procedures listed out of order: the earliest (2015-01-10) is the origin, not 2016-03-01.
        var p = Base("A2") with
        {
            BirthDate = D("1950-01-10"),
            Procedures = [new Metastasectomy { Date = D("2016-03-01") }, new Metastasectomy { Date = D("2015-01-10") }],
        };
        DerivationRules.AgeAtPm(p).Value.Should().BeApproximately(23741 / 365.25, 1e-12);
    }

    [Fact]
    public void Age_falls_back_to_the_given_age_at_pm_when_there_is_no_birth_date()
    {
        var p = Base("A3") with { AgeAtPm = 49 };
        DerivationRules.AgeAtPm(p).Value.Should().Be(49);
    }

    [Fact]
    public void Age_from_dates_wins_over_the_given_age_when_both_are_present()
    {
        var p = Base("A4") with { BirthDate = D("1950-01-10"), AgeAtPm = 70 };
        DerivationRules.AgeAtPm(p).Value.Should().BeApproximately(64.99931553730322, 1e-12);
    }

    [Fact]
    public void Age_is_missing_with_a_reason_when_it_cannot_be_derived()
    {
        DerivationRules.AgeAtPm(Base("A5")).Should().Be(DerivedNumber.Missing(Reasons.NoAge));
        DerivationRules.AgeAtPm(Base("A6", pm: null) with { BirthDate = D("1950-01-10") })
            .Should().Be(DerivedNumber.Missing(Reasons.BirthDateWithoutPm));
        DerivationRules.AgeAtPm(Base("A7") with { BirthDate = D("2016-01-01") })
            .Should().Be(DerivedNumber.Missing(Reasons.BirthAfterPm));
    }

    [Fact]
    public void Dfi_is_whole_days_from_primary_surgery_to_lung_metastasis_over_30_4375()
    {
        // 2013-01-10 to 2014-01-10 = 365 days; 365 / 30.4375 = 11.991786447638603 months.
        var p = Base("F1") with { PrimarySurgeryDate = D("2013-01-10"), LungMetastasisDate = D("2014-01-10"), Synchronous = false };
        DerivationRules.DfiMonths(p).Value.Should().BeApproximately(11.991786447638603, 1e-12);
    }

    [Fact]
    public void Dfi_is_zero_when_synchronous_whatever_the_dates_say()
    {
        var p = Base("F2") with { Synchronous = true, PrimarySurgeryDate = D("2013-01-10"), LungMetastasisDate = D("2014-01-10") };
        DerivationRules.DfiMonths(p).Value.Should().Be(0);
        DerivationRules.DfiMonths(Base("F3") with { Synchronous = true }).Value.Should().Be(0, "no dates are needed when synchronous");
    }

    [Fact]
    public void Dfi_is_zero_not_negative_when_the_metastasis_was_found_before_the_primary_surgery()
    {
        var before = Base("F4") with { PrimarySurgeryDate = D("2014-01-10"), LungMetastasisDate = D("2013-12-01") };
        DerivationRules.DfiMonths(before).Value.Should().Be(0);
        var sameDay = Base("F5") with { Synchronous = false, PrimarySurgeryDate = D("2014-01-10"), LungMetastasisDate = D("2014-01-10") };
        DerivationRules.DfiMonths(sameDay).Value.Should().Be(0);
    }

    [Fact]
    public void Dfi_is_missing_with_a_reason_when_a_date_is_missing_and_not_synchronous()
    {
        DerivationRules.DfiMonths(Base("F6") with { LungMetastasisDate = D("2014-01-10") })
            .Should().Be(DerivedNumber.Missing(Reasons.NoPrimarySurgeryDate));
        DerivationRules.DfiMonths(Base("F7") with { Synchronous = false, PrimarySurgeryDate = D("2014-01-10") })
            .Should().Be(DerivedNumber.Missing(Reasons.NoLungMetastasisDate));
    }

    [Fact]
    public void Follow_up_runs_to_last_contact_for_the_living_and_to_death_for_the_dead()
    {
        // 2015-01-10 to 2016-01-10 = 365 days; to 2017-07-10 = 912 days.
        DerivationRules.FollowUp(Alive("U1", "2016-01-10")).Value.Should().BeApproximately(365 / 30.4375, 1e-12);
        var dead = Dead("U2", "2017-07-10") with { LastContactDate = D("2017-06-01") };
        DerivationRules.FollowUp(dead).Value.Should().BeApproximately(912 / 30.4375, 1e-12);
        DerivationRules.FollowUp(Alive("U3", "2016-01-10"), new DerivationOptions { TimeUnit = TimeUnit.Days }).Value.Should().Be(365);
    }

    [Fact]
    public void Follow_up_stops_at_the_analysis_date()
    {
        // Last contact 2017-07-10, cut-off 2016-01-10: 365 days.
        var options = new DerivationOptions { AnalysisDate = D("2016-01-10"), TimeUnit = TimeUnit.Days };
        DerivationRules.FollowUp(Alive("U4", "2017-07-10"), options).Value.Should().Be(365);
    }

    [Fact]
    public void Follow_up_is_missing_for_the_same_reason_as_overall_survival()
    {
        DerivationRules.FollowUp(Base("U5") with { VitalStatus = Codes.VitalStatus.Alive })
            .Should().Be(DerivedNumber.Missing(Reasons.NoLastContact));
    }
}
