using System.Text.Json;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.ModelChecks;

public class CoxZphGoldenTests
{
    public static IEnumerable<object[]> Cases => ModelCheckCase.Names();

    // R (tools/reference/zph.R), per case and transform:
    //   fit <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung)             (lung)
    //   fit <- coxph(Surv(time, status) ~ trt + celltype + karno, data = veteran)       (veteran: factor, df = 3)
    //   fit <- coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, data = ovarian)         (ovarian)
    //   fit <- coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), data = lung)     (lung_strata)
    //   fit <- coxph(Surv(time, status) ~ x + z, data = small[, ties = "breslow"])      (small, small_breslow)
    //   z <- cox.zph(fit, transform = tr); tr in "km", "identity", "rank", "log"
    [Theory]
    [MemberData(nameof(Cases))]
    public void Test_table_matches_R_for_every_transform(string name)
    {
        var c = ModelCheckCase.Load(name);
        foreach (var r in c.Json.GetProperty("zph").EnumerateArray())
        {
            var transform = Parse(r.GetProperty("transform").GetString()!);
            var z = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit, c.Strata, transform);
            string at = $"{name}/{transform}";
            var rows = z.Tests.Append(z.Global).ToArray();
            rows.Select(t => t.Term).Should().Equal(Golden.Strings(r.GetProperty("terms")), at);
            // Iterative: β comes from the Newton-Raphson fit (agrees with R to ~1e-9 relative).
            Approx.Equal(Golden.Numbers(r.GetProperty("chisq")), rows.Select(t => t.ChiSquare).ToArray(), Approx.Iterative, $"{at}: chisq", 1e-10);
            rows.Select(t => (double)t.Df).Should().Equal(Golden.Numbers(r.GetProperty("df")), at);
            Approx.Equal(Golden.Numbers(r.GetProperty("p")), rows.Select(t => t.P).ToArray(), Approx.Iterative, $"{at}: p", 1e-10);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scaled_residuals_and_times_match_R_for_every_transform(string name)
    {
        var c = ModelCheckCase.Load(name);
        foreach (var r in c.Json.GetProperty("zph").EnumerateArray())
        {
            var transform = Parse(r.GetProperty("transform").GetString()!);
            var z = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit, c.Strata, transform);
            string at = $"{name}/{transform}";
            Approx.Equal(Golden.Numbers(r.GetProperty("time")), z.Time.ToArray(), Approx.ClosedForm, $"{at}: time");
            Approx.Equal(Golden.Numbers(r.GetProperty("x")), z.TransformedTime.ToArray(), Approx.ClosedForm, $"{at}: x", 1e-14);
            var y = r.GetProperty("y").EnumerateArray().ToArray();
            z.ScaledResiduals.Length.Should().Be(y.Length, at);
            for (int e = 0; e < y.Length; e++)
            {
                var expected = Golden.Numbers(y[e]);
                var actual = z.ScaledResiduals[e];
                actual.Length.Should().Be(expected.Length, at);
                for (int k = 0; k < expected.Length; k++)
                {
                    if (double.IsNaN(expected[k]))
                    {
                        actual[k].Should().BeNull($"{at}: y[{e},{k}] is NA in R");
                    }
                    else
                    {
                        Approx.Equal(expected[k], actual[k] ?? double.NaN, Approx.Iterative, $"{at}: y[{e},{k}]", 1e-8);
                    }
                }
            }
        }
    }

    // R: cox.zph(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung)): row order changes nothing
    [Fact]
    public void Row_order_changes_nothing()
    {
        var c = ModelCheckCase.Load("lung");
        var perm = Enumerable.Range(0, c.Time.Length).Reverse().ToArray();
        var covs = c.Covariates.Cast<NumericCovariate>().Select(v => (Covariate)new NumericCovariate(v.Name, perm.Select(i => v.Values[i]).ToArray())).ToList();
        var time = perm.Select(i => c.Time[i]).ToArray();
        var status = perm.Select(i => c.Status[i]).ToArray();
        var fit = CoxRegression.Fit(time, status, covs);
        var a = CoxZph.Test(c.Time, c.Status, c.Covariates, c.Fit);
        var b = CoxZph.Test(time, status, covs, fit);
        for (int k = 0; k < a.Tests.Count; k++)
        {
            Approx.Equal(a.Tests[k].ChiSquare, b.Tests[k].ChiSquare, 1e-8, "chisq");
        }

        Approx.Equal(a.Global.ChiSquare, b.Global.ChiSquare, 1e-8, "global");
    }

    [Fact]
    public void Inputs_that_are_not_the_fits_are_rejected()
    {
        var c = ModelCheckCase.Load("lung");
        var act = () => CoxZph.Test(c.Time, c.Status, c.Covariates.Take(2).ToList(), c.Fit);
        act.Should().Throw<ArgumentException>().WithParameterName("fit");
        var shorter = () => CoxZph.Test(c.Time.Take(10).ToArray(), c.Status, c.Covariates, c.Fit);
        shorter.Should().Throw<ArgumentException>().WithParameterName("status");
        var nullFit = () => CoxZph.Test(c.Time, c.Status, c.Covariates, null!);
        nullFit.Should().Throw<ArgumentNullException>().WithParameterName("fit");
    }

    [Fact]
    public void Log_transform_rejects_a_zero_time()
    {
        var time = new[] { 0.0, 1, 2, 3, 4, 5 };
        var status = new[] { true, true, false, true, true, false };
        var covs = new List<Covariate> { new NumericCovariate("x", [1.0, 0, 1, 0, 0, 1]) };
        var fit = CoxRegression.Fit(time, status, covs);
        var act = () => CoxZph.Test(time, status, covs, fit, transform: ZphTransform.Log);
        act.Should().Throw<ArgumentException>().WithParameterName("time").WithMessage("time[0] is 0*");
    }

    private static ZphTransform Parse(string s) => s switch
    {
        "km" => ZphTransform.Km,
        "identity" => ZphTransform.Identity,
        "rank" => ZphTransform.Rank,
        "log" => ZphTransform.Log,
        _ => throw new JsonException(s),
    };
}
