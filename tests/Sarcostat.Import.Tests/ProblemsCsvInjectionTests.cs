using Microsoft.VisualBasic.FileIO;
using Sarcostat.Cohort;
using Sarcostat.Files.Output;
using Sarcostat.Import.Output;

namespace Sarcostat.Import.Tests;

/// <summary>Issue 9: the problems CSV quotes a user's value; a spreadsheet opening it must not run it.</summary>
public class ProblemsCsvInjectionTests
{
    [Fact]
    public void Found_values_and_column_names_that_a_spreadsheet_would_run_are_written_as_text()
    {
        var problems = new[]
        {
            new CohortProblem("a.csv", 2, "group", "unknown-code", "=HYPERLINK(\"http://x\")", "one of a, b"),
            new CohortProblem("a.csv", 3, "@SUM(1)", "unknown-code", "@SUM(1)", "one of a, b"),
            new CohortProblem("a.csv", 4, "group", "unknown-code", "+1+1", "one of a, b"),
            new CohortProblem("a.csv", 5, "group", "unknown-code", "-2+3", "one of a, b"),
            new CohortProblem("a.csv", 6, "group", "unknown-code", "\t=1", "one of a, b"),
            new CohortProblem("a.csv", 7, "size", "out-of-range", "-1.5", "a size > 0"),
            new CohortProblem("a.csv", 8, "size", "out-of-range", "-3e-5", "a size > 0"),
        };
        var text = new StringWriter();
        ProblemsCsv.Write(text, problems);

        using var parser = new TextFieldParser(new StringReader(text.ToString())) { TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var records = new List<string[]>();
        while (!parser.EndOfData)
        {
            records.Add(parser.ReadFields()!);
        }

        records.Skip(1).Select(r => r[5]).Should().Equal(
            "'=HYPERLINK(\"http://x\")", "'@SUM(1)", "'+1+1", "'-2+3", "'\t=1", "-1.5", "-3e-5");
        records[2][2].Should().Be("'@SUM(1)", "a column name from the user's header is a cell too");
    }

    [Fact]
    public void The_problems_file_is_not_written_over_an_existing_file_unless_asked()
    {
        using var dir = new TempDir();
        var path = dir.Write("problems.csv", "my own notes");
        var problems = new[] { new CohortProblem("a.csv", 2, "x", "unknown-code", "y", "z") };

        var act = () => ProblemsCsv.WriteFile(path, problems);
        act.Should().Throw<OutputException>().Where(e => e.Refused);
        File.ReadAllText(path).Should().StartWith("my own notes");

        ProblemsCsv.WriteFile(path, problems, overwrite: true);
        File.ReadAllText(path).Should().StartWith("file,row,column");
    }
}
