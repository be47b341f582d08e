using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

public class ConcordanceGoldenTests
{
    public static IEnumerable<object[]> Cases => ModelCheckCase.Names();

    // R (tools/reference/zph.R): cc <- concordance(fit) for the fits listed in CoxZphGoldenTests;
    //   cc$concordance, sqrt(cc$var), cc$count (summed over strata for lung_strata)
    [Theory]
    [MemberData(nameof(Cases))]
    public void Concordance_its_standard_error_and_counts_match_R(string name)
    {
        var c = ModelCheckCase.Load(name);
        var r = c.Json.GetProperty("concordance");
        var cc = Concordance.Harrell(c.Time, c.Status, c.Covariates, c.Fit, c.Strata);
        var count = r.GetProperty("count");
        cc.Concordant.Should().Be((long)Golden.Number(count.GetProperty("concordant")), name);
        cc.Discordant.Should().Be((long)Golden.Number(count.GetProperty("discordant")), name);
        cc.TiedX.Should().Be((long)Golden.Number(count.GetProperty("tied.x")), name);
        cc.TiedY.Should().Be((long)Golden.Number(count.GetProperty("tied.y")), name);
        cc.TiedXY.Should().Be((long)Golden.Number(count.GetProperty("tied.xy")), name);
        Approx.Equal(Golden.Number(r.GetProperty("c")), cc.C, Approx.ClosedForm, $"{name}: C");
        Approx.Equal(Golden.Number(r.GetProperty("se")), cc.StdError, Approx.NonIterative, $"{name}: se");
    }

    // R: concordance(Surv(time, status) ~ x, reverse = TRUE) on a tiny hand-checked set:
    //   times 1, 2, 3 (all events), scores 3, 2, 1: every pair concordant
    [Fact]
    public void Perfectly_ordered_scores_give_one()
    {
        var cc = Concordance.Harrell([1.0, 2, 3], [true, true, true], [3.0, 2, 1]);
        cc.C.Should().Be(1);
        cc.Concordant.Should().Be(3);
        cc.Discordant.Should().Be(0);
    }

    [Fact]
    public void Relabelling_and_row_order_change_nothing()
    {
        var c = ModelCheckCase.Load("lung");
        var a = Concordance.Harrell(c.Time, c.Status, c.Covariates, c.Fit);
        var eta = c.Fit.Terms.Count; // just to keep the fit in use
        eta.Should().Be(3);
        var perm = Enumerable.Range(0, c.Time.Length).Reverse().ToArray();
        var covs = c.Covariates.Cast<NumericCovariate>().Select(v => (Covariate)new NumericCovariate(v.Name, perm.Select(i => v.Values[i]).ToArray())).ToList();
        var time = perm.Select(i => c.Time[i]).ToArray();
        var status = perm.Select(i => c.Status[i]).ToArray();
        var b = Concordance.Harrell(time, status, covs, CoxRegression.Fit(time, status, covs));
        b.Concordant.Should().Be(a.Concordant);
        b.TiedX.Should().Be(a.TiedX);
        Approx.Equal(a.StdError, b.StdError, 1e-9, "se");
    }

    // R: concordance(Surv(c(1, 2, 3), c(0, 0, 1)) ~ c(1, 2, 3), reverse = TRUE): no comparable pair, C and var NaN
    [Fact]
    public void No_comparable_pair_gives_NaN_as_R()
    {
        var cc = Concordance.Harrell([1.0, 2, 3], [false, false, true], [1.0, 2, 3]);
        double.IsNaN(cc.C).Should().BeTrue();
        double.IsNaN(cc.StdError).Should().BeTrue();
        (cc.Concordant + cc.Discordant + cc.TiedX + cc.TiedY + cc.TiedXY).Should().Be(0);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var act = () => Concordance.Harrell([1.0, 2], [true, false], [1.0]);
        act.Should().Throw<ArgumentException>().WithParameterName("risk");
        var nan = () => Concordance.Harrell([1.0, double.NaN], [true, false], [1.0, 2]);
        nan.Should().Throw<ArgumentException>().WithParameterName("time");
    }
}
