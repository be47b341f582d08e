using System.Diagnostics;
using System.Text;
using Sarcostat.Files.Config;

namespace Sarcostat.Files.Tests.Config;

/// <summary>The shared guarded YAML/JSON parser: every malformed text is a <see cref="ConfigSyntaxException"/> with its position.</summary>
public class ConfigTextTests
{
    private static ConfigSyntaxException Yaml(string text) =>
        FluentActions.Invoking(() => ConfigText.LoadYaml(text)).Should().Throw<ConfigSyntaxException>().Which;

    [Fact]
    public void A_tab_used_as_indentation_is_located_at_the_tab()
    {
        var e = Yaml("source: a\ncolumns:\n  Gender: sex\n\tAge: age\n");
        (e.Line, e.Column).Should().Be((4, 1));
        e.Describe("m.yaml").Should().StartWith("m.yaml line 4, column 1: not well-formed YAML");
    }

    [Fact]
    public void A_duplicate_key_is_located_at_the_second_key()
    {
        var e = Yaml("a: 1\nb: 2\na: 3\n");
        (e.Line, e.Column).Should().Be((3, 1));
        e.Reason.Should().Contain("Duplicate key");
    }

    [Fact]
    public void Text_ending_inside_a_flow_mapping_is_a_syntax_error_not_an_InvalidOperationException()
    {
        var e = Yaml("codes:\n  sex: {M: male, F: female\n");
        e.Reason.Should().StartWith("not well-formed YAML");
    }

    [Fact]
    public void A_billion_laughs_is_refused_at_the_first_alias_fast()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 30; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        var clock = Stopwatch.StartNew();
        var e = Yaml(text.ToString());
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        e.Line.Should().Be(2);
        e.Reason.Should().Contain("alias (*a0)");
    }

    [Fact]
    public void Anchors_without_aliases_are_harmless_and_accepted()
    {
        ConfigText.LoadYaml("a: &x 1\nb: 2\n").Should().NotBeNull();
    }

    [Fact]
    public void Deep_nesting_is_refused_before_the_recursive_tree_building()
    {
        var e = Yaml(new string('[', 10_000) + new string(']', 10_000));
        (e.Line, e.Column).Should().Be((1, ConfigText.MaxDepth + 1));
    }

    [Fact]
    public void A_binary_file_is_named_as_such()
    {
        var e = Yaml("PK\u0003\u0004\u0014\0");
        (e.Line, e.Column).Should().Be((1, 3));
        e.Reason.Should().Contain("binary");
    }

    [Fact]
    public void A_second_document_is_refused()
    {
        Yaml("a: 1\n---\nb: 2\n").Line.Should().Be(2);
    }

    [Fact]
    public void An_empty_or_comment_only_text_has_no_document()
    {
        ConfigText.LoadYaml(string.Empty).Should().BeNull();
        ConfigText.LoadYaml("# nothing\n").Should().BeNull();
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_without_parsing()
    {
        var e = Yaml("a: '" + new string('x', ConfigText.MaxChars) + "'\n");
        e.Reason.Should().Contain("at most");
    }

    [Fact]
    public void Json_errors_carry_line_and_column()
    {
        var e = FluentActions.Invoking(() => ConfigText.ParseJson("{\n  \"a\": 1\n  \"b\": 2\n}")).Should().Throw<ConfigSyntaxException>().Which;
        e.Line.Should().Be(3);
        e.Column.Should().BePositive();
        e.Reason.Should().StartWith("not well-formed JSON");
    }
}
