using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Running;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// The one conversion of an endpoint's data into the engine's survival response (<see cref="EndpointResponse"/>), and
/// the engine calls that take the response: the same rows, the same accounting, and the numbers of the array calls.
/// </summary>
public sealed class EndpointResponseTests
{
    private static readonly double[] Time = [2, 5, 5, 8, 12, 13, 20, 21, 30, 33];
    private static readonly bool[] Event = [true, false, true, true, false, true, true, false, true, false];

    private static EndpointData Data() => new()
    {
        Endpoint = Endpoint.OverallSurvival,
        Unit = TimeUnit.Months,
        Definition = "death from any cause",
        StudyIds = [],
        Patients = [],
        Time = Time,
        Status = Event.Select(e => e ? 1 : 0).ToArray(),
        Event = Event,
        LeftOut = [],
    };

    [Fact]
    public void The_response_has_the_endpoints_rows_and_counts_a_missing_group()
    {
        var group = Factor.FromCodes("arm", [0, 1, 0, 1, -1, 0, 1, 0, 1, 0], ["a", "b"]);
        var response = Data().Response(group);
        response.Count.Should().Be(10);
        response.Kept.Should().Be(9);
        response.Time.Should().Equal(2, 5, 5, 8, 13, 20, 21, 30, 33);
        response.Dropped.Should().ContainSingle().Which.Rows.Should().Equal(4);
        response.ToString().Should().Be("SurvivalResponse(n=10, kept=9, events=6, group=arm, dropped: 1 missing arm)");
    }

    [Fact]
    public void Engine_calls_on_the_response_equal_those_on_the_arrays()
    {
        var group = Factor.FromCodes("arm", [0, 1, 0, 1, 1, 0, 1, 0, 1, 0], ["a", "b"]);
        var byResponse = LogRank.Test(Data().Response(group), new LogRankOptions());
        var byArrays = LogRank.Test(Time, Event, group, null, new LogRankOptions());
        byResponse.ChiSquare.Should().Be(byArrays.ChiSquare);
        byResponse.P.Should().Be(byArrays.P);

        Covariate[] x = [new NumericCovariate("x", [1.5, 0.2, 3.1, 2.2, 0.7, 1.9, 2.8, 0.4, 1.1, 2.5])];
        var (firth, firthProblem) = EngineCalls.Firth(Data().Response(), x, 0.95);
        firthProblem.Should().BeNull();
        firth!.Terms[0].Coef.Should().Be(CoxFirth.Fit(Time, Event, x, null, new CoxFirthOptions { ConfidenceLevel = 0.95 }).Terms[0].Coef);
    }

    [Fact]
    public void Data_the_engine_cannot_fit_is_a_problem_beside_the_result_not_a_crash()
    {
        Covariate[] x = [new NumericCovariate("x", [1.5, 0.2, 3.1, 2.2, 0.7, 1.9, 2.8, 0.4, 1.1, 2.5])];
        var noEvents = Data() with { Event = new bool[Time.Length], Status = new int[Time.Length] };
        var (fit, problem) = EngineCalls.Firth(noEvents.Response(), x, 0.95);
        fit.Should().BeNull();
        problem.Should().Contain("has an event");
    }

    [Fact]
    public void An_unusable_time_is_refused_with_its_row_and_value()
    {
        var bad = Data() with { Time = [2, -3, 5, 8, 12, 13, 20, 21, 30, 33] };
        var act = () => bad.Response();
        act.Should().Throw<SurvivalResponseException>().WithMessage("time[1] = -3 is not a finite, non-negative time.");
    }
}
