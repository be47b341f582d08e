using System.Text;
using Sarcostat.Cli.Input;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// The columnar reader (<see cref="ColumnarCsv"/>) gives what the text table did (<see cref="CsvTable.Read"/> then
/// <see cref="AnalysisData.Load(CsvTable, string, string, IReadOnlyList{string}, IReadOnlyList{string})"/>): the same
/// kept rows, dropped rows per reason, numbers and factor levels, on a file with the awkward cases.
/// </summary>
public sealed class ColumnarCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("columnar").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "data.csv");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void Same_rows_numbers_and_levels_as_the_text_table()
    {
        var path = Write(
            "t,e,g,x,f,s\n" +
            "1,1,a,1.5,lo,S1\n" +
            " 2 ,0, b ,NA,hi,S2\n" +
            "3,1,a,\u00A0-2.25\u00A0,mid,\n" +          // no-break spaces around a number; missing stratum: left out
            "NA,1,c,4,zz,S1\n" +                       // missing time: left out, level c and zz only here
            "5,NA,a,1e3,lo,S1\n" +                     // missing event
            "6,1,b,,hi,S2\n" +                         // missing optional covariate: kept as NaN
            "7.5,0,\u00E9t\u00E9,0.1234567890123456789,lo,S2\n" + // non-ASCII level, more digits than the fast path takes
            "8,1,a,-0,NA,S1\n");
        var needs = new List<ColumnNeed>
        {
            new("s", ColumnKind.Factor, Required: true),
            new("g", ColumnKind.Factor, Required: false),
            new("x", ColumnKind.Auto, Required: false),
            new("f", ColumnKind.Auto, Required: false),
        };
        var fast = ColumnarCsv.Read(path, "t", "e", needs);
        var slow = AnalysisData.Load(CsvTable.Read(path), "t", "e", ["s"], ["g", "x", "f"]);

        fast.Rows.Should().Equal(slow.Rows);
        fast.Time.Should().Equal(slow.Time);
        fast.Event.Should().Equal(slow.Event);
        fast.RowsRead.Should().Be(slow.RowsRead);
        fast.Dropped.Select(d => (d.Reason, d.Count, string.Join(",", d.Rows)))
            .Should().Equal(slow.Dropped.Select(d => (d.Reason, d.Count, string.Join(",", d.Rows))));
        fast.IsNumeric("x").Should().BeTrue();
        fast.Numeric("x").Select(BitConverter.DoubleToInt64Bits).Should().Equal(slow.Numeric("x").Select(BitConverter.DoubleToInt64Bits));
        fast.IsNumeric("f").Should().BeFalse("a text covariate is categorical");
        foreach (var name in new[] { "s", "g", "f" })
        {
            var a = fast.Factor(name);
            var b = Survival.Factor.FromValues(name, slow.Text(name));
            a.Levels.Should().Equal(b.Levels, name);
            a.Codes.Should().Equal(b.Codes, name);
        }
    }

    [Fact]
    public void A_text_covariate_with_many_values_is_read_again_as_a_factor()
    {
        var sb = new StringBuilder("t,e,x\n");
        for (int i = 0; i < 200; i++)
        {
            sb.Append(i + 1).Append(",1,").Append(i < 150 ? (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture) : "v" + i).Append('\n');
        }

        var path = Write(sb.ToString());
        var fast = ColumnarCsv.Read(path, "t", "e", [new ColumnNeed("x", ColumnKind.Auto, Required: false)]);
        var slow = AnalysisData.Load(CsvTable.Read(path), "t", "e", [], ["x"]);
        fast.IsNumeric("x").Should().BeFalse();
        var b = Survival.Factor.FromValues("x", slow.Text("x"));
        fast.Factor("x").Levels.Should().Equal(b.Levels);
        fast.Factor("x").Codes.Should().Equal(b.Codes);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-0.5", -0.5)]
    [InlineData("+12.25", 12.25)]
    [InlineData("123456789012345", 123456789012345.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("3.14159265358979", 3.14159265358979)]
    [InlineData("1.", 1.0)]
    [InlineData(".5", 0.5)]
    [InlineData("1e-3", 0.001)]
    [InlineData("12345678901234567890", 12345678901234567890.0)]
    public void Numbers_parse_as_dotnet_parses_them(string text, double expected)
    {
        ColumnarCsv.TryNumber(Encoding.ASCII.GetBytes(text), out var v).Should().BeTrue();
        BitConverter.DoubleToInt64Bits(v).Should().Be(BitConverter.DoubleToInt64Bits(expected), text);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    [InlineData("1,5")]
    public void Non_numbers_and_non_finite_values_are_refused(string text) =>
        ColumnarCsv.TryNumber(Encoding.ASCII.GetBytes(text), out _).Should().BeFalse(text);
}
