using Sarcostat.Files.Config;

namespace Sarcostat.Files.Tests.Config;

/// <summary>The one configuration tree that mappings, protocols and amendments files are read into (issue 11).</summary>
public class ConfigNodeTests
{
    [Fact]
    public void Yaml_nodes_know_their_key_path_and_line()
    {
        var root = (ConfigMap)ConfigNode.Parse("name: x\nsections:\n  - id: a\n    rows: [1, ~]\n", json: false)!;
        root.Path.Should().BeEmpty();
        var sections = (ConfigList)root["sections"]!;
        (sections.Path, sections.Line).Should().Be(("sections", 3));
        var first = (ConfigMap)sections.Items[0];
        first.Path.Should().Be("sections[0]");
        var rows = (ConfigList)first["rows"]!;
        (rows.Path, rows.Line).Should().Be(("sections[0].rows", 4));
        ((ConfigScalar)rows.Items[1]).Value.Should().BeNull("~ is null");
        rows.Items[1].Kind.Should().Be("nothing");
        root.Entries[1].Key.Line.Should().Be(2, "a key scalar keeps its own line");
        root.Pairs.Select(p => p.Key).Should().Equal("name", "sections");
    }

    [Fact]
    public void Json_booleans_are_yes_and_no_numbers_their_text_and_lines_unknown()
    {
        var root = (ConfigMap)ConfigNode.Parse("{\"a\": true, \"b\": false, \"c\": 1.50, \"d\": null}", json: true)!;
        root.Pairs.Select(p => ((ConfigScalar)p.Value).Value).Should().Equal("yes", "no", "1.50", null);
        root.Line.Should().BeNull();
        root["c"]!.Path.Should().Be("c");
    }

    [Theory]
    [InlineData("a: 1\na: 2\n", false, 2, "Duplicate key a")]
    [InlineData("{\"a\": 1, \"a\": 2}", true, 0, "the key 'a' occurs twice")]
    [InlineData("x:\n  ? [1, 2]\n  : 3\n", false, 2, "x: a key must be a plain value")]
    public void A_repeated_or_non_plain_key_is_a_located_syntax_error(string text, bool json, int line, string reason)
    {
        var e = FluentActions.Invoking(() => ConfigNode.Parse(text, json)).Should().Throw<ConfigSyntaxException>().Which;
        e.Line.Should().Be(line);
        e.Reason.Should().Contain(reason);
    }

    [Fact]
    public void Empty_text_is_no_document() => ConfigNode.Parse("# nothing\n", json: false).Should().BeNull();
}
