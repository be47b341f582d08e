using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>Designs that cannot be fitted and programmer errors.</summary>
public class CoxBadInputTests
{
    private static readonly double[] Time = [5, 8, 12, 3, 9, 15, 20, 7, 11, 14];
    private static readonly bool[] Status = [true, true, false, true, true, false, true, false, true, true];
    private static readonly double[] X1 = [0.5, 1.2, -0.3, 0.8, 2.1, 0.0, -1.1, 0.4, 1.7, -0.6];
    private static readonly double[] X2 = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];

    [Fact]
    public void A_constant_covariate_is_a_design_error_naming_it()
    {
        var constant = new NumericCovariate("x2", [3, 3, 3, 3, 3, 3, 3, 3, double.NaN, 3]);
        var act = () => CoxRegression.Fit(Time, Status, [new NumericCovariate("x1", X1), constant]);
        var ex = act.Should().Throw<CoxDesignException>().Which;
        ex.Message.Should().Contain("covariate 'x2' is constant among the 9 complete cases");
        ex.Terms.Should().Equal("x2");
    }

    [Fact]
    public void Collinear_covariates_are_a_design_error_naming_both_terms()
    {
        var a = new NumericCovariate("a", X1);
        var b = new NumericCovariate("b", X1.Select(v => (2 * v) + 1).ToArray());
        var act = () => CoxRegression.Fit(Time, Status, [a, new NumericCovariate("z", X2), b]);
        var ex = act.Should().Throw<CoxDesignException>().Which;
        ex.Message.Should().Contain("terms 'a' and 'b' are collinear");
        ex.Terms.Should().Equal("a", "b");
    }

    [Fact]
    public void A_covariate_equal_to_a_combination_of_dummies_is_collinear()
    {
        // g has levels A, B, C; u = 1 for B or C, which is gB + gC.
        var g = Factor.FromValues("g", ["A", "B", "C", "A", "B", "C", "A", "B", "C", "B"]);
        var u = new NumericCovariate("u", g.Codes.Select(c => c > 0 ? 1.0 : 0.0).ToArray());
        var act = () => CoxRegression.Fit(Time, Status, [new CategoricalCovariate(g), u]);
        var ex = act.Should().Throw<CoxDesignException>().Which;
        ex.Message.Should().Contain("terms 'gB', 'gC' and 'u' are collinear");
    }

    [Fact]
    public void A_factor_level_absent_from_the_complete_cases_is_a_design_error()
    {
        // level C occurs only in the row whose x1 is missing.
        var g = Factor.FromValues("g", ["A", "B", "A", "B", "A", "B", "A", "B", "C", "B"]);
        var x1 = (double[])X1.Clone();
        x1[8] = double.NaN;
        var act = () => CoxRegression.Fit(Time, Status, [new NumericCovariate("x1", x1), new CategoricalCovariate(g)]);
        act.Should().Throw<CoxDesignException>().WithMessage("*level 'C' of covariate 'g' (term 'gC') does not occur among the 9 complete cases*");
    }

    [Fact]
    public void No_events_is_its_own_exception()
    {
        var act = () => CoxRegression.Fit(Time, new bool[Time.Length], [new NumericCovariate("x1", X1)]);
        act.Should().Throw<CoxNoEventsException>().WithMessage("*None of the 10 complete cases*event*")
            .Which.CompleteCases.Should().Be(10);
    }

    [Fact]
    public void No_complete_case_is_reported_as_no_events()
    {
        var act = () => CoxRegression.Fit(Time, Status, [new NumericCovariate("x1", Enumerable.Repeat(double.NaN, 10).ToArray())]);
        act.Should().Throw<CoxNoEventsException>().Which.Dropped.Should().Be(10);
    }

    [Fact]
    public void Programmer_errors_are_argument_exceptions_naming_the_parameter()
    {
        var x = new NumericCovariate("x1", X1);
        FluentActions.Invoking(() => CoxRegression.Fit(null!, Status, [x])).Should().Throw<ArgumentNullException>().WithParameterName("time");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status.Take(9).ToArray(), [x])).Should().Throw<ArgumentException>().WithParameterName("status");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [])).Should().Throw<ArgumentException>().WithParameterName("covariates");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [new NumericCovariate("x", [1, 2])])).Should().Throw<ArgumentException>()
            .WithParameterName("covariates").WithMessage("*'x' has 2 values*");

        var badTime = (double[])Time.Clone();
        badTime[3] = double.NaN;
        // A time that cannot be used is the data's trouble, not the caller's: the response raises it (issue 11).
        FluentActions.Invoking(() => CoxRegression.Fit(badTime, Status, [x])).Should().Throw<SurvivalResponseException>()
            .WithMessage("time[3] = NaN is not a finite, non-negative time.").Which.Code.Should().Be("invalid-time");

        var infinite = (double[])X1.Clone();
        infinite[2] = double.PositiveInfinity;
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [new NumericCovariate("x", infinite)])).Should().Throw<ArgumentException>()
            .WithMessage("*'x' is Infinity at row 2*");

        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [x, new NumericCovariate("x1", X2)])).Should().Throw<ArgumentException>()
            .WithMessage("*Two terms are named 'x1'*").WithParameterName("covariates");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [x], Factor.FromValues("s", ["a", "b"]))).Should().Throw<ArgumentException>()
            .WithParameterName("strata");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [x], null, new CoxOptions { MaxIterations = -1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxIterations");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [x], null, new CoxOptions { ConfidenceLevel = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ConfidenceLevel");
        FluentActions.Invoking(() => CoxRegression.Fit(Time, Status, [x], null, new CoxOptions { Epsilon = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Epsilon");
    }

    [Fact]
    public void FitMatrix_checks_its_shapes_and_values()
    {
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, X1, 2, ["a", "b"])).Should().Throw<ArgumentException>()
            .WithParameterName("xColumnMajor");
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, X1, 1, ["a", "b"])).Should().Throw<ArgumentException>()
            .WithParameterName("termNames");
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, X1, 0, [])).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("p");
        var missing = (double[])X1.Clone();
        missing[4] = double.NaN;
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, missing, 1, ["a"])).Should().Throw<ArgumentException>()
            .WithMessage("xColumnMajor[4] (row 4, column 0) is NaN*");
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, X1, 1, ["a"], [1, 2])).Should().Throw<ArgumentException>()
            .WithParameterName("strata");
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, X1.Concat(X2).ToArray(), 2, ["a", "a"]))
            .Should().Throw<ArgumentException>().WithParameterName("termNames");
        FluentActions.Invoking(() => CoxRegression.FitMatrix(Time, Status, X1.Concat(X1).ToArray(), 2, ["a", "b"]))
            .Should().Throw<CoxDesignException>().WithMessage("*terms 'a' and 'b' are collinear*");
    }
}
