using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// <c>--levels COLUMN=L1,L2,...</c> sets a factor's level order (R <c>factor(x, levels = ...)</c>) in every command
/// that groups or crosses; the default is byte order (issue 15).
/// </summary>
public class LevelsOptionTests
{
    [Fact]
    public void Km_curves_follow_the_given_order()
    {
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--levels", "sex=2,1", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        r.Json().GetProperty("fits").EnumerateArray().Select(f => f.GetProperty("group").GetString()).Should().Equal("2", "1");
    }

    [Fact]
    public void Swapping_the_levels_of_a_2x2_table_inverts_the_odds_ratio_and_its_interval()
    {
        JsonElement Fisher(params string[] extra)
        {
            var r = Cli.Run(["compare", Cli.Data("lung"), "--by", "sex", "--vars", "status", "--categorical", "status", "--json", .. extra]);
            r.ExitCode.Should().Be(0, r.Error);
            return r.Json().GetProperty("comparisons")[0].GetProperty("result").GetProperty("fisher").Clone();
        }

        var byDefault = Fisher();
        var swapped = Fisher("--levels", "sex=2,1");
        swapped.GetProperty("oddsRatio").GetDouble().Should().BeApproximately(1 / byDefault.GetProperty("oddsRatio").GetDouble(), 1e-9);
        swapped.GetProperty("lower").GetDouble().Should().BeApproximately(1 / byDefault.GetProperty("upper").GetDouble(), 1e-9);
        swapped.GetProperty("p").GetDouble().Should().BeApproximately(byDefault.GetProperty("p").GetDouble(), 1e-12);
    }

    [Fact]
    public void Cox_takes_the_first_given_level_as_reference_and_the_fit_is_unchanged()
    {
        JsonElement Cox(params string[] extra)
        {
            var r = Cli.Run(["cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "celltype", "--json", .. extra]);
            r.ExitCode.Should().Be(0, r.Error);
            return r.Json().Clone();
        }

        var byDefault = Cox();
        var ordered = Cox("--levels", "celltype=squamous,smallcell,adeno,large");
        var terms = ordered.GetProperty("fit").GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("term").GetString()).ToList();
        terms.Should().Equal("celltypesmallcell", "celltypeadeno", "celltypelarge");
        ordered.GetProperty("fit").GetProperty("logLik").GetDouble().Should().BeApproximately(byDefault.GetProperty("fit").GetProperty("logLik").GetDouble(), 1e-9);
    }

    [Theory]
    [InlineData(new[] { "km", "--group", "sex", "--levels", "age=1,2" }, 2, "--levels names 'age'")]
    [InlineData(new[] { "km", "--group", "sex", "--levels", "sex" }, 2, "--levels needs COLUMN=L1,L2")]
    [InlineData(new[] { "logrank", "--group", "sex", "--levels", "sex=1,3" }, 1, "'3' is not a level")]
    [InlineData(new[] { "logrank", "--group", "sex", "--levels", "sex=1" }, 1, "'2' is missing from the order")]
    public void A_wrong_order_is_refused_with_what_was_expected(string[] args, int exit, string message)
    {
        var r = Cli.Run([args[0], Cli.Data("lung"), "--time", "time", "--event", "status", .. args[1..]]);
        r.ExitCode.Should().Be(exit);
        r.Error.Should().Contain(message);
    }

    [Fact]
    public void Matrices_in_the_json_carry_their_row_and_column_labels()
    {
        var cox = Cli.Run("cox", Cli.Data("veteran"), "--time", "time", "--event", "status", "--covariates", "celltype,karno", "--json");
        cox.ExitCode.Should().Be(0, cox.Error);
        var fit = cox.Json().GetProperty("fit");
        fit.GetProperty("varianceLabels").EnumerateArray().Select(e => e.GetString())
            .Should().Equal(fit.GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("term").GetString()));
        fit.GetProperty("variance").GetArrayLength().Should().Be(4);

        var lr = Cli.Run("logrank", Cli.Data("lung"), "--time", "time", "--event", "status", "--group", "sex", "--levels", "sex=2,1", "--json");
        lr.ExitCode.Should().Be(0, lr.Error);
        lr.Json().GetProperty("result").GetProperty("varianceLabels").EnumerateArray().Select(e => e.GetString()).Should().Equal("2", "1");
    }

    [Fact]
    public void Cuminc_groups_follow_the_given_order()
    {
        var r = Cli.Run("cuminc", Cli.Data("mgus2"), "--time", "etime", "--status", "event", "--cause", "1", "--group", "sex", "--levels", "sex=M,F", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        r.Json().GetProperty("groups").EnumerateArray().Select(e => e.GetString()).Should().Equal("M", "F");
    }
}
