namespace Sarcostat.Cli.Tests;

/// <summary>
/// Bad input gets one clear line per problem naming file, row, column, value and what was expected,
/// exit code 1, and no stack trace.
/// </summary>
public class BadInputTests
{
    private static void ShouldBeInputError(CliResult r, params string[] fragments)
    {
        r.ExitCode.Should().Be(1, r.Error);
        r.Error.Should().NotContain("   at ", "user errors show no stack trace");
        r.Error.Should().NotContain("Exception");
        foreach (var f in fragments)
        {
            r.Error.Should().Contain(f);
        }
    }

    [Fact]
    public void Non_numeric_time_names_file_row_column_and_value()
    {
        using var d = Cli.Temp();
        var f = d.Write("bad.csv", "t,e,g\n5,1,a\nabc,0,b\n7,1,a\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e");
        ShouldBeInputError(r, "bad.csv row 3, column \"t\": found \"abc\"; expected a number");
    }

    [Fact]
    public void Negative_time_is_refused_with_a_hint()
    {
        using var d = Cli.Temp();
        var f = d.Write("neg.csv", "t,e\n5,1\n-2,0\n7,1\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e");
        ShouldBeInputError(r, "neg.csv row 3, column \"t\": found \"-2\"; expected a time >= 0");
    }

    [Fact]
    public void Event_other_than_0_or_1_is_refused_and_every_problem_is_listed()
    {
        using var d = Cli.Temp();
        var f = d.Write("ev.csv", "t,e\n5,2\n6,1\n7,yes\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e");
        ShouldBeInputError(r, "ev.csv row 2, column \"e\": found \"2\"; expected 0 (censored) or 1 (event)", "ev.csv row 4, column \"e\": found \"yes\"");
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        using var d = Cli.Temp();
        var f = d.Write("empty.csv", "");
        ShouldBeInputError(Cli.Run("km", f, "--time", "t", "--event", "e"), "empty.csv", "The file is empty");
    }

    [Fact]
    public void Header_only_file_is_refused()
    {
        using var d = Cli.Temp();
        var f = d.Write("header.csv", "t,e\n");
        ShouldBeInputError(Cli.Run("km", f, "--time", "t", "--event", "e"), "header.csv", "at least one data row");
    }

    [Fact]
    public void Missing_column_suggests_the_closest_name()
    {
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "tme", "--event", "status");
        ShouldBeInputError(r, "lung.csv column \"tme\"", "Did you mean \"time\"?");
    }

    [Fact]
    public void Missing_file_is_refused()
    {
        ShouldBeInputError(Cli.Run("km", "/nonexistent/x.csv", "--time", "t", "--event", "e"), "/nonexistent/x.csv", "an existing CSV file");
    }

    [Fact]
    public void Unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var r = Cli.Run("km", Cli.Data("lung"), "--time", "time", "--event", "status", "--conf-type", "wide");
        r.ExitCode.Should().Be(2);
        r.Error.Should().Contain("wide");
    }

    [Fact]
    public void Log_rank_with_one_group_left_is_refused()
    {
        using var d = Cli.Temp();
        var f = d.Write("one.csv", "t,e,g\n5,1,a\n6,0,a\n7,1,\n");
        var r = Cli.Run("logrank", f, "--time", "t", "--event", "e", "--group", "g");
        ShouldBeInputError(r, "'g'");
    }

    [Fact]
    public void Constant_covariate_is_refused_naming_the_column()
    {
        using var d = Cli.Temp();
        var f = d.Write("const.csv", "t,e,x,z\n5,1,1,0.5\n6,0,1,1.5\n7,1,1,2\n8,1,1,3\n9,0,1,1\n");
        var r = Cli.Run("cox", f, "--time", "t", "--event", "e", "--covariates", "x,z");
        ShouldBeInputError(r, "'x'");
    }

    [Fact]
    public void Collinear_covariates_are_refused_naming_the_columns()
    {
        using var d = Cli.Temp();
        var f = d.Write("col.csv", "t,e,x,z\n5,1,1,2\n6,0,2,4\n7,1,3,6\n8,1,4,8\n9,0,5,10\n10,1,2,4\n");
        var r = Cli.Run("cox", f, "--time", "t", "--event", "e", "--covariates", "x,z");
        ShouldBeInputError(r, "'z'");
    }

    [Fact]
    public void Text_in_a_numeric_covariate_marked_numeric_is_reported_with_its_row()
    {
        using var d = Cli.Temp();
        var f = d.Write("txt.csv", "g,x\na,1\nb,2\na,three\nb,4\na,5\nb,6\na,7\n");
        var r = Cli.Run("compare", f, "--by", "g", "--vars", "x", "--numeric", "x");
        ShouldBeInputError(r, "txt.csv row 4, column \"x\": found \"three\"; expected a number");
    }

    [Fact]
    public void Semicolon_delimited_file_with_bom_is_read()
    {
        using var d = Cli.Temp();
        var f = d.Write("semi.csv", "\uFEFFt;e\n5;1\n6;0\n7;1\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("3 rows read; 3 analysed");
    }

    [Fact]
    public void Rows_with_a_missing_group_are_counted_not_silently_dropped()
    {
        using var d = Cli.Temp();
        var f = d.Write("miss.csv", "t,e,g\n5,1,a\n6,0,b\n7,1,\n8,1,a\n9,0,b\n");
        var r = Cli.Run("km", f, "--time", "t", "--event", "e", "--group", "g");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("5 rows read; 4 analysed; 1 left out").And.Contain("missing g: 1 (rows 4)");
    }
}
