using Sarcostat.Cohort.Derivation;

namespace Sarcostat.Cohort.Tests.Derivation;

/// <summary>
/// The (start, stop] split at a time-dependent event, against rows written out by hand from the rules of R's
/// <c>tmerge(..., tdc(exposure))</c>.
/// </summary>
public class TimeDependentSplitTests
{
    [Fact]
    public void An_exposure_inside_follow_up_splits_it_and_the_event_goes_to_the_exposed_row()
    {
        var r = TimeDependentSplit.Split([new FollowUpRecord("A", 30, true, 12)]);
        r.Intervals.Should().Equal(
            new FollowUpInterval("A", 0, 12, false, false),
            new FollowUpInterval("A", 12, 30, true, true));
        r.Unsplit.Should().BeEmpty();
    }

    [Fact]
    public void Never_exposed_exposed_at_time_zero_and_exposed_after_follow_up_give_one_row()
    {
        var r = TimeDependentSplit.Split(
        [
            new FollowUpRecord("never", 10, false, null),
            new FollowUpRecord("at-zero", 10, true, 0),
            new FollowUpRecord("before-zero", 10, true, -2),
            new FollowUpRecord("at-end", 10, true, 10),
            new FollowUpRecord("after-end", 10, false, 15),
        ]);
        r.Intervals.Should().Equal(
            new FollowUpInterval("never", 0, 10, false, false),
            new FollowUpInterval("at-zero", 0, 10, true, true),
            new FollowUpInterval("before-zero", 0, 10, true, true),
            new FollowUpInterval("at-end", 0, 10, true, false),
            new FollowUpInterval("after-end", 0, 10, false, false));
    }

    [Fact]
    public void Unusable_follow_up_is_listed_with_a_reason_never_dropped_silently()
    {
        var r = TimeDependentSplit.Split(
        [
            new FollowUpRecord("zero", 0, true, null),
            new FollowUpRecord("nan", double.NaN, false, null),
            new FollowUpRecord("bad-exposure", 5, false, double.NaN),
            new FollowUpRecord("ok", 5, false, 2),
        ]);
        r.Unsplit.Select(u => u.StudyId).Should().Equal("zero", "nan", "bad-exposure");
        r.Unsplit.Should().OnlyContain(u => u.Reason.Length > 0);
        r.Intervals.Should().HaveCount(2).And.OnlyContain(i => i.StudyId == "ok");
    }

    [Fact]
    public void Duplicate_study_ids_are_refused()
    {
        var act = () => TimeDependentSplit.Split([new FollowUpRecord("A", 3, false, null), new FollowUpRecord("A", 4, true, null)]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Dates_become_times_on_the_chosen_scale()
    {
        var rec = TimeDependentSplit.FromDates("A", new DateOnly(2020, 1, 1), new DateOnly(2021, 1, 1), true, new DateOnly(2020, 7, 1), TimeUnit.Days);
        rec.Should().Be(new FollowUpRecord("A", 366, true, 182));
        var split = TimeDependentSplit.Split([rec]).Intervals;
        split.Should().Equal(new FollowUpInterval("A", 0, 182, false, false), new FollowUpInterval("A", 182, 366, true, true));
    }
}
