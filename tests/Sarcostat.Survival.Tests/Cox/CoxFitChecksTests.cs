using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.Cox;

/// <summary>A fit keeps what it was fitted on, so its checks need nothing else (issue 11): fit.Zph(), fit.Concordance().</summary>
public class CoxFitChecksTests
{
    private static readonly double[] Time = [5, 8, 3, 9, 12, 4, 7, 10, 6, 11, 2, 13, 15, 1, 14];
    private static readonly bool[] Status = [true, true, true, false, true, true, false, true, true, true, true, false, true, true, false];
    private static readonly Covariate[] Covariates =
    [
        new NumericCovariate("x", [1.2, 0.4, 2.2, 0.1, 0.9, 1.8, 0.3, 0.7, 1.1, 0.2, 2.5, 0.5, 0.6, 3.0, 0.8]),
        new CategoricalCovariate(Factor.FromValues("g", ["a", "b", "a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c", "a"])),
    ];

    [Fact]
    public void Zph_and_concordance_from_the_fit_equal_the_calls_with_the_data_again()
    {
        var fit = CoxRegression.Fit(Time, Status, Covariates);
        fit.KeepsInputs.Should().BeTrue();
        var zph = fit.Zph();
        var again = CoxZph.Test(Time, Status, Covariates, fit);
        zph.Tests.Select(t => t.ChiSquare).Should().Equal(again.Tests.Select(t => t.ChiSquare));
        zph.Global.ChiSquare.Should().Be(again.Global.ChiSquare);
        var c = fit.Concordance();
        c.C.Should().Be(Concordance.Harrell(Time, Status, Covariates, fit).C);
        c.StdError.Should().Be(Concordance.Harrell(Time, Status, Covariates, fit).StdError);
    }

    [Fact]
    public void The_full_fit_of_the_covariate_tests_keeps_its_inputs_too() =>
        CoxCovariateTests.Test(Time, Status, Covariates).Fit.Zph().Tests.Should().HaveCount(2);

    [Fact]
    public void A_fit_of_a_bare_design_matrix_says_it_does_not_know_its_data()
    {
        var x = ((NumericCovariate)Covariates[0]).Values.ToArray();
        var fit = CoxRegression.FitMatrix(Time, Status, x, 1, ["x"]);
        fit.KeepsInputs.Should().BeFalse();
        FluentActions.Invoking(() => fit.Zph()).Should().Throw<InvalidOperationException>().WithMessage("*design matrix*");
    }
}
