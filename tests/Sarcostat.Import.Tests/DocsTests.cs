using Sarcostat.Cohort;
using Sarcostat.Import.Docs;
using Sarcostat.Import.Output;

namespace Sarcostat.Import.Tests;

public class DocsTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sarcostat.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sarcostat.slnx not found above the test binaries.");
    }

    [Fact]
    public void The_committed_data_dictionary_document_is_the_generated_one()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "data-dictionary.md");
        var generated = DictionaryDocs.Markdown(DataDictionary.Default);
        if (Environment.GetEnvironmentVariable("SARCOSTAT_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        File.Exists(path).Should().BeTrue("docs/data-dictionary.md is generated: run SARCOSTAT_UPDATE_DOCS=1 dotnet test tests/Sarcostat.Import.Tests");
        File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Should().Be(
            generated,
            "docs/data-dictionary.md must match dictionary.yaml; regenerate it with SARCOSTAT_UPDATE_DOCS=1 dotnet test tests/Sarcostat.Import.Tests");
    }

    [Fact]
    public void The_document_lists_every_field_and_every_code()
    {
        var md = DictionaryDocs.Markdown(DataDictionary.Default);
        foreach (var f in DataDictionary.Default.Fields)
        {
            md.Should().Contain($"| `{f.Name}` |");
            foreach (var (code, _) in f.Codes)
            {
                md.Should().Contain($"| `{code}` |");
            }
        }

        md.Should().Contain("| `largest_nodule_mm` | number | mm | 0 to 300 | recommended | Diameter of the largest lung nodule. |");
        md.Should().Contain("one month is 30.4375 days");
    }

    [Fact]
    public void A_dictionary_change_changes_the_document()
    {
        var yaml = """
            version: 7
            month_days: 30.4375
            fields:
              - name: study_id
                table: patients
                type: text
                required: true
                description: Key | with a pipe.
            identifying_names: [name]
            """;
        var md = DictionaryDocs.Markdown(DataDictionary.Parse(yaml));
        md.Should().Contain("Dictionary version 7.");
        md.Should().Contain("| `study_id` | text |  |  | required | Key \\| with a pipe. |");
    }
}

public class ProblemsCsvTests
{
    [Fact]
    public void Problems_are_written_with_the_briefs_columns_quoting_where_needed()
    {
        var problems = new[]
        {
            new CohortProblem("b.csv", null, "Colour", "unmapped-column", null, "a field", Severity.Warning),
            new CohortProblem("a.csv", 4, "sex", "unknown-code", "M,F", "one of male, female", Severity.Error, "Map it.", "S1"),
        };
        var text = new StringWriter();
        ProblemsCsv.Write(text, problems);
        text.ToString().Should().Be(
            "file,row,column,rule,severity,found,expected,hint,study_id\n" +
            "b.csv,,Colour,unmapped-column,warning,,a field,,\n" +
            "a.csv,4,sex,unknown-code,error,\"M,F\",\"one of male, female\",Map it.,S1\n");
    }
}
