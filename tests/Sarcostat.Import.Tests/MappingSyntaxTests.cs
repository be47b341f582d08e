using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Tests;

/// <summary>A mapping file's syntax errors come through the shared guarded parser with file, line and column.</summary>
public class MappingSyntaxTests
{
    [Fact]
    public void A_malformed_mapping_is_an_import_setup_error_with_file_line_and_column()
    {
        var dictionary = Sarcostat.Cohort.DataDictionary.Default;
        FluentActions.Invoking(() => MappingLoader.Parse("source: a\ncolumns:\n  \"Gender: sex\n", "dir/m.yaml", dictionary))
            .Should().Throw<ImportSetupException>().WithMessage("m.yaml line *, column *: not well-formed YAML*");
    }
}

/// <summary>Two-digit years in mapping date formats: refused unless the mapping gives a pivot (docs/import.md).</summary>
public class TwoDigitYearTests
{
    private static readonly Sarcostat.Cohort.DataDictionary Dictionary = Sarcostat.Cohort.DataDictionary.Default;

    [Fact]
    public void A_two_digit_year_format_without_a_pivot_is_a_located_mapping_error()
    {
        var e = FluentActions.Invoking(() => MappingLoader.Parse("source: a\ndate_format: dd/MM/yy\ncolumns:\n  Op: {field: pm_date, date_format: d.M.y}\n", "m.yaml", Dictionary))
            .Should().Throw<ImportSetupException>().Which;
        e.Errors.Should().HaveCount(2);
        e.Errors[0].Should().StartWith("m.yaml line 2: key 'date_format': expected a four-digit year (yyyy)").And.EndWith("found 'dd/MM/yy'.");
        e.Errors[1].Should().StartWith("m.yaml line 4: key 'columns.Op.date_format': expected a four-digit year");
    }

    [Fact]
    public void With_a_pivot_two_digit_years_read_as_the_hundred_years_from_it()
    {
        var m = MappingLoader.Parse("date_format: dd/MM/yy\ntwo_digit_year_pivot: 1950\n", "m.yaml", Dictionary);
        m.TwoDigitYearPivot.Should().Be(1950);
        var culture = Sarcostat.Import.Reading.CellParser.DatesCulture(1950);
        Sarcostat.Import.Reading.CellParser.TryDate("15/03/62", "dd/MM/yy", out var d62, culture).Should().BeTrue();
        d62.Should().Be(new DateOnly(1962, 3, 15));
        Sarcostat.Import.Reading.CellParser.TryDate("15/03/49", "dd/MM/yy", out var d49, culture).Should().BeTrue();
        d49.Should().Be(new DateOnly(2049, 3, 15));
        Sarcostat.Import.Reading.CellParser.TryDate("15/03/50", "dd/MM/yy", out var d50, culture).Should().BeTrue();
        d50.Should().Be(new DateOnly(1950, 3, 15));
    }

    [Fact]
    public void Four_digit_years_need_no_pivot_and_a_pivot_out_of_range_is_refused()
    {
        MappingLoader.Parse("date_format: dd/MM/yyyy\n", "m.yaml", Dictionary).TwoDigitYearPivot.Should().BeNull();
        FluentActions.Invoking(() => MappingLoader.Parse("two_digit_year_pivot: 62\n", "m.yaml", Dictionary))
            .Should().Throw<ImportSetupException>().WithMessage("m.yaml line 1: key 'two_digit_year_pivot': expected a year from 1800 to 2100*");
    }
}
