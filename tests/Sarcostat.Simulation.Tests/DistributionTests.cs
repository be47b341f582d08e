using Sarcostat.Simulation;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation.Tests;

/// <summary>The marginal models and the baseline calibration, against values worked out by hand.</summary>
public class DistributionTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959963984540054, 0.975)]     // the 97.5% point
    [InlineData(-1.6448536269514722, 0.05)]
    [InlineData(-3.090232306167813, 0.001)]    // lower tail branch of the quantile
    public void Normal_distribution_function_and_quantile_are_inverse_at_known_points(double z, double p)
    {
        Gaussian.Cdf(z).Should().BeApproximately(p, 2e-7);
        Gaussian.Quantile(p).Should().BeApproximately(z, 1e-8);
    }

    [Fact]
    public void Log_normal_from_mean_and_sd_has_that_mean_and_sd()
    {
        // Paper 000, largest nodule 3.17 +- 3.15 cm: sigma^2 = ln(1 + (3.15/3.17)^2) = ln 1.98742 = 0.686838,
        // mu = ln 3.17 - sigma^2/2 = 1.153732 - 0.343419 = 0.810313.
        var ln = LogNormal.FromMeanSd(3.17, 3.15);
        ln.Sigma.Should().BeApproximately(Math.Sqrt(0.686838), 1e-6);
        ln.Mu.Should().BeApproximately(0.810313, 1e-6);
        ln.Mean.Should().BeApproximately(3.17, 1e-12);
    }

    [Fact]
    public void Log_normal_from_a_median_and_a_share_below_a_cut_hits_both()
    {
        // Paper 001: median 15 mm and 48/66 below 20 mm: sigma = ln(20/15) / z(0.72727) = 0.287682 / 0.604585 = 0.475834.
        var ln = LogNormal.FromMedianAndShareBelow(15, 20, 48.0 / 66);
        ln.Median.Should().BeApproximately(15, 1e-12);
        ln.Sigma.Should().BeApproximately(0.475834, 2e-6);
        ln.Cdf(20).Should().BeApproximately(48.0 / 66, 1e-6);
    }

    [Fact]
    public void Rounded_log_normal_stays_in_range_and_its_share_above_a_cut_is_exact()
    {
        var model = new RoundedLogNormal(LogNormal.FromMedianAndShareBelow(15, 19.5, 48.0 / 66), 1, 60);
        var r = new Random(7);
        var values = Enumerable.Range(0, 200_000).Select(_ => model.Sample(r)).ToArray();
        values.Min().Should().BeGreaterThanOrEqualTo(1);
        values.Max().Should().BeLessThanOrEqualTo(60);
        double p = model.ProbabilityAtLeast(20);
        // truncation to [0.5, 60.5) renormalises: P = (F(60.5) - F(19.5)) / (F(60.5) - F(0.5)), about 18/66
        p.Should().BeApproximately(18.0 / 66, 0.002);
        ((double)values.Count(v => v >= 20) / values.Length).Should().BeApproximately(p, 4.5 * Math.Sqrt(p * (1 - p) / values.Length));
        model.ProbabilityAtLeast(1).Should().Be(1);
        model.ProbabilityAtLeast(61).Should().Be(0);
    }

    [Fact]
    public void Rounded_log_normal_from_mean_and_sd_has_that_mean_and_sd_after_rounding_and_truncation()
    {
        // Paper 000, hospital stay 8.5 +- 6.7 (2-41) days: the plain log-normal fit loses SD to the cut at 41 days.
        var plain = new RoundedLogNormal(LogNormal.FromMeanSd(8.5, 6.7), 2, 41).Moments();
        plain.StandardDeviation.Should().BeLessThan(6.2);
        var fitted = RoundedLogNormal.FromMeanSd(8.5, 6.7, 2, 41);
        var (mean, sd) = fitted.Moments();
        mean.Should().BeApproximately(8.5, 1e-9);
        sd.Should().BeApproximately(6.7, 1e-9);
        var r = new Random(1);
        Enumerable.Range(0, 100_000).Select(_ => (double)fitted.Sample(r)).Average().Should().BeApproximately(8.5, 4.5 * 6.7 / Math.Sqrt(100_000));
    }

    [Fact]
    public void Truncated_normal_from_moments_reproduces_the_reported_mean_and_sd()
    {
        var t = TruncatedNormal.FromMoments(48.5, 17.3, 18, 90);
        t.Mean.Should().BeApproximately(48.5, 1e-8);
        t.StandardDeviation.Should().BeApproximately(17.3, 1e-8);
        t.Mu.Should().BeLessThan(48.5, "cutting the lower tail at 18 moves the mean up, so mu must be lower");
        var act = () => TruncatedNormal.FromMoments(10, 5, 18, 90);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Dfi_model_meets_the_median_and_the_share_below_12_months()
    {
        // Paper 001: median 17, 22/66 below 12 months, 10% synchronous (assumed).
        var dfi = new DfiModel(0.10, 17, 12, 22.0 / 66, 1, 105);
        var ln = dfi.Metachronous;
        // metachronous part: F(17) = (0.5 - 0.1)/0.9 = 0.44444, F(12) = (0.33333 - 0.1)/0.9 = 0.25926
        ln.Cdf(17).Should().BeApproximately(0.444444, 1e-6);
        ln.Cdf(12).Should().BeApproximately(0.259259, 1e-6);
        dfi.ProbabilityBelowCut(30.4375).Should().BeApproximately(22.0 / 66, 0.003, "rounding to days and truncation move it slightly");
    }

    [Fact]
    public void Categorical_sampling_follows_the_weights_and_missing_is_an_outcome()
    {
        var c = Categorical.Of<string?>(("R0", 90.0), ("R1", 6.0), (null, 14.0));
        c.Probability(m => m is null).Should().BeApproximately(14.0 / 110, 1e-15);
        var r = new Random(3);
        var draws = Enumerable.Range(0, 110_000).Select(_ => c.Sample(r)).ToArray();
        ((double)draws.Count(d => d == "R1") / draws.Length).Should().BeApproximately(6.0 / 110, 0.003);
        var act = () => Categorical.Of(("a", -1.0));
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Exponential_baseline_for_one_binary_covariate_solves_the_quadratic()
    {
        // p = 1/2, HR = 2: S(60) = (y + y^2)/2 = 0.629 with y = exp(-H0(60)) -> y^2 + y - 1.258 = 0,
        // y = (-1 + sqrt(6.032)) / 2 = (-1 + 2.456013) / 2 = 0.728007, H0(60) = -ln y, scale = 60 / H0(60).
        double y = (-1 + Math.Sqrt(1 + 4 * 1.258)) / 2;
        y.Should().BeApproximately(0.728007, 5e-7);
        var b = BaselineCalibration.Calibrate([(0.5, Math.Log(2))], new SurvivalTarget(60, 0.629));
        b.Shape.Should().Be(1);
        b.ScaleMonths.Should().BeApproximately(60 / -Math.Log(y), 1e-8);
    }

    [Fact]
    public void Weibull_baseline_with_a_median_meets_both_targets()
    {
        var terms = new[] { (22.0 / 66, Math.Log(3.544)), (10.0 / 66, Math.Log(2.882)) };
        var b = BaselineCalibration.Calibrate(terms, new SurvivalTarget(60, 0.45, MedianMonths: 48));
        var patterns = BaselineCalibration.Patterns(terms);
        BaselineCalibration.MarginalSurvival(patterns, b, 60).Should().BeApproximately(0.45, 1e-10);
        BaselineCalibration.MarginalSurvival(patterns, b, 48).Should().BeApproximately(0.5, 1e-9);
        patterns.Sum(p => p.Weight).Should().BeApproximately(1, 1e-15);
    }

    [Fact]
    public void Weibull_inversion_gives_the_exponential_median_for_shape_one()
    {
        // T = scale * (-ln U / e^eta): median = scale * ln 2 / e^eta; with scale 100, eta = ln 2: median = 50 ln 2 = 34.657.
        var b = new WeibullBaseline(1, 100);
        var r = new Random(11);
        var t = Enumerable.Range(0, 100_000).Select(_ => b.SampleMonths(r, Math.Log(2))).OrderBy(x => x).ToArray();
        t[t.Length / 2].Should().BeApproximately(50 * Math.Log(2), 0.6);
    }
}
