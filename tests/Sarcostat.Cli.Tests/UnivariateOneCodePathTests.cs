using System.Globalization;
using System.Text.Json;
using Sarcostat.Study.Analysis;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// <c>sarcostat univariate</c> is a layout over the study's univariate screen: its numbers are the screen's, bit for
/// bit, when the screen is called directly on the same file (R's agreement is tested in GoldenCliTests and in the
/// screen's own tests).
/// </summary>
public class UnivariateOneCodePathTests
{
    [Fact]
    public void The_command_prints_the_numbers_of_the_screen_called_directly()
    {
        var r = Cli.Run("univariate", Cli.Data("lung"), "--time", "time", "--event", "status", "--factors", "ph.ecog,age", "--reference", "ph.ecog=1", "--json");
        r.ExitCode.Should().Be(0, r.Error);
        var factors = r.Json().GetProperty("factors");

        var lines = File.ReadAllLines(Cli.Data("lung"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        string? Cell(string[] row, string column) => row[header.IndexOf(column)] is "NA" or "" ? null : row[header.IndexOf(column)];
        var time = rows.Select(x => double.Parse(Cell(x, "time")!, CultureInfo.InvariantCulture)).ToArray();
        var ev = rows.Select(x => Cell(x, "status") == "1").ToArray();
        var ecog = rows.Select(x => Cell(x, "ph.ecog")).ToList();
        var age = rows.Select(x => Cell(x, "age") is { } a ? double.Parse(a, CultureInfo.InvariantCulture) : double.NaN).ToArray();
        var screened = UnivariateScreen.Run(
            time,
            ev,
            [new CategoricalVariable("ph.ecog", ecog, ["1", "0", "2", "3"]) { Reference = "1" }, new NumericVariable("age", age)],
            new UnivariateScreenOptions());

        var e = factors[0];
        e.GetProperty("logRank").GetProperty("chiSquare").GetDouble().Should().Be(screened[0].LogRank!.ChiSquare);
        e.GetProperty("likelihoodRatio").GetProperty("p").GetDouble().Should().Be(screened[0].Cox!.FactorTest("ph.ecog")!.P);
        var terms = e.GetProperty("cox").GetProperty("terms").EnumerateArray().ToArray();
        terms.Select(t => t.GetProperty("level").GetString()).Should().Equal("0", "2", "3");
        foreach (var t in terms)
        {
            var direct = screened[0].Cox!.Term("ph.ecog", t.GetProperty("level").GetString());
            t.GetProperty("hazardRatio").GetDouble().Should().Be(direct!.HazardRatio);
            t.GetProperty("p").GetDouble().Should().Be(direct.P);
        }

        var a = factors[1];
        a.GetProperty("cox").GetProperty("terms")[0].GetProperty("p").GetDouble().Should().Be(screened[1].CoxP!.Value);
        a.GetProperty("known").GetProperty("n").GetInt32().Should().Be(screened[1].Known.N);
    }
}
