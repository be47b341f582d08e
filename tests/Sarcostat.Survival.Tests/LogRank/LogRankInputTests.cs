using Sarcostat.Survival.RankTests;

namespace Sarcostat.Survival.Tests.LogRank;

public class LogRankInputTests
{
    private static readonly double[] Time = [1, 2, 3, 4];
    private static readonly bool[] Status = [true, false, true, true];
    private static readonly Factor Group = Factor.FromValues("arm", ["a", "b", "a", "b"]);

    [Fact]
    public void Null_arguments_throw_with_the_parameter_name()
    {
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(null!, Status, Group)).Should().Throw<ArgumentNullException>().WithParameterName("time");
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, null!, Group)).Should().Throw<ArgumentNullException>().WithParameterName("status");
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, null!)).Should().Throw<ArgumentNullException>().WithParameterName("group");
    }

    [Fact]
    public void Length_mismatches_throw_with_the_parameter_name()
    {
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, [true, false], Group)).Should().Throw<ArgumentException>().WithParameterName("status");
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, Factor.FromValues("arm", ["a", "b"]))).Should().Throw<ArgumentException>().WithParameterName("group");
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, Group, Factor.FromValues("s", ["x"]))).Should().Throw<ArgumentException>().WithParameterName("strata");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_time_throws_naming_its_index(double bad)
    {
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test([1, 2, bad, 4], Status, Group))
            .Should().Throw<SurvivalResponseException>().WithMessage("time[2] = *").Which.Row.Should().Be(2);
    }

    [Fact]
    public void A_non_finite_rho_throws()
    {
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, Group, options: new LogRankOptions { Rho = double.NaN }))
            .Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public void One_group_left_after_dropping_throws_a_message_naming_the_variable_and_level()
    {
        var group = Factor.FromValues("sex", ["1", null, "1", "2"]);
        var strata = Factor.FromValues("ecog", ["0", "1", "1", null]);
        var ex = FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, group, strata))
            .Should().Throw<InsufficientGroupsException>().Which;
        ex.GroupName.Should().Be("sex");
        ex.LevelsFound.Should().Equal("1");
        ex.RowsDropped.Should().Be(2);
        ex.Message.Should().Be("Group variable 'sex' has one level ('1') after dropping 2 row(s) with a missing group or stratum; the log-rank test needs at least two groups.");
        ex.Should().BeAssignableTo<AnalysisDataException>();
        ex.Code.Should().Be("too-few-groups");
    }

    [Fact]
    public void A_single_level_without_missing_values_throws()
    {
        var ex = FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, Factor.FromValues("arm", ["a", "a", "a", "a"])))
            .Should().Throw<InsufficientGroupsException>().Which;
        ex.Message.Should().Be("Group variable 'arm' has one level ('a'); the log-rank test needs at least two groups.");
    }

    [Fact]
    public void No_usable_rows_throw()
    {
        var ex = FluentActions.Invoking(() => Survival.RankTests.LogRank.Test(Time, Status, Factor.FromValues("arm", [null, null, null, null])))
            .Should().Throw<InsufficientGroupsException>().Which;
        ex.LevelsFound.Should().BeEmpty();
        ex.Message.Should().Contain("has no usable values");
        FluentActions.Invoking(() => Survival.RankTests.LogRank.Test([], [], Factor.FromValues("arm", []))).Should().Throw<InsufficientGroupsException>();
    }

    [Fact]
    public void The_result_describes_itself()
    {
        Survival.RankTests.LogRank.Test(Time, Status, Group).ToString().Should().StartWith("LogRankResult(n=4, groups=2, strata=1, rho=0,");
    }
}
