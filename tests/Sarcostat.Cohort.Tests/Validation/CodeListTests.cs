using Sarcostat.Cohort.Validation;

namespace Sarcostat.Cohort.Tests.Validation;

public class CodeListTests
{
    [Fact]
    public void A_short_list_is_shown_whole()
    {
        CodeList.Describe(["male", "female"], "mal").Should().Be("male, female");
    }

    [Fact]
    public void A_long_list_names_its_size_the_three_closest_codes_by_edit_distance_and_the_dictionary()
    {
        var codes = Enumerable.Range(0, 20).Select(i => "code" + i).Concat(["leiomyosarcoma", "liposarcoma_nos", "angiosarcoma"]).ToList();
        // leiomyosarcom: 1 from leiomyosarcoma; angiosarcoma is 5 away (leiom -> angi: 4 substitutions and 1 deletion, + the missing a).
        CodeList.Describe(codes, "LEIOMYOSARCOM").Should().StartWith("23 codes; closest: leiomyosarcoma, ");
        CodeList.Describe(codes, "LEIOMYOSARCOM").Should().EndWith("; all codes: docs/data-dictionary.md");
        CodeList.Describe(codes, "code7x").Should().Be("23 codes; closest: code7, code0, code1; all codes: docs/data-dictionary.md");
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("abc", "", 3)]
    public void Edit_distance_is_levenshtein(string a, string b, int d) => CodeList.Distance(a, b).Should().Be(d);

    [Fact]
    public void The_histology_unknown_code_message_is_short()
    {
        var histology = DataDictionary.Default["histology"];
        var p = FieldRules.CheckValue(histology, "leiomyosarcom", new SourceLocation("p.csv", 3, "histology"))!;
        p.Expected.Should().StartWith("one of ").And.Contain("closest: leiomyosarcoma").And.EndWith("all codes: docs/data-dictionary.md");
        p.ToString().Length.Should().BeLessThan(220);
    }
}
