using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>Valid input with huge numbers: analysed as numbers, nothing printed as NaN or infinity (issue 9).</summary>
public class HugeNumberCliTests
{
    [Fact]
    public void Km_keeps_1e308_and_1_7e308_as_two_times_with_a_finite_median()
    {
        using var d = Cli.Temp();
        var f = d.Write("huge.csv", "t,e\n1e308,1\n1.7e308,1\n5,0\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e", "--json", "--steps");
        r.ExitCode.Should().Be(0, r.Error);
        var fit = r.Json().GetProperty("fits")[0];
        fit.GetProperty("steps").GetArrayLength().Should().Be(3, "three distinct times: 5, 1e308, 1.7e308");
        var median = fit.GetProperty("median").GetProperty("estimate");
        median.ValueKind.Should().Be(JsonValueKind.Number);
        median.GetDouble().Should().BeApproximately(1.35e308, 1e-12 * 1.35e308, "S = 0.5 from 1e308 to 1.7e308: the midpoint");
        r.Out.Should().NotContain("Infinity").And.NotContain("NaN");
    }

    [Fact]
    public void Compare_on_1e80_prints_the_welch_test_of_the_rescaled_data()
    {
        using var d = Cli.Temp();
        var f = d.Write("big.csv", "arm,v\na,1e80\na,2e80\na,4e80\na,7e80\nb,3e80\nb,5e80\nb,6e80\nb,9e80\nb,10e80\n");
        var r = Cli.Run("compare", f, "--by", "arm", "--vars", "v");
        r.ExitCode.Should().Be(0, r.Error);
        // By hand (see Survival's HugeValueTests): t = -3.1 / sqrt(3.41) = -1.678744, df = 3.41^2 / (1.75^2/3 + 1.66^2/4) = 6.80112.
        r.Out.Should().Contain("Welch's t = -1.67874, df = 6.80112");
    }

    [Fact]
    public void Compare_whose_difference_overflows_warns_instead_of_printing_infinity()
    {
        using var d = Cli.Temp();
        var f = d.Write("edge.csv", "arm,v\na,1.7e308\na,1.6e308\na,1.65e308\nb,-1.7e308\nb,-1.5e308\nb,-1.55e308\n");
        var r = Cli.Run("compare", f, "--by", "arm", "--vars", "v", "--numeric", "v");
        r.ExitCode.Should().Be(0, r.Error);
        (r.Out + r.Error).Should().Contain("Welch t-test of 'v' not computed");
        (r.Out + r.Error).Should().NotContain("Infinity").And.NotContain("NaN");
    }
}
