using Sarcostat.Study.Protocols;

namespace Sarcostat.Cli.Tests;

/// <summary><c>sarcostat protocol list</c> and <c>sarcostat protocol show NAME</c>.</summary>
public class ProtocolCommandTests
{
    [Fact]
    public void List_names_both_shipped_protocols_with_their_titles()
    {
        var r = Cli.Run("protocol", "list");
        r.ExitCode.Should().Be(0, r.Error);
        r.Out.Should().Contain("chang2024: ").And.Contain("nakayama2022: ");
        r.Out.Should().Contain(ProtocolLoader.Shipped("chang2024").Title);
        r.Out.Should().Contain(ProtocolLoader.Shipped("nakayama2022").Title);
        r.Out.Should().Contain("design: ");
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Show_prints_a_text_that_loads_back_as_the_shipped_protocol(string name)
    {
        var r = Cli.Run("protocol", "show", name);
        r.ExitCode.Should().Be(0, r.Error);
        r.Error.Should().BeEmpty();

        // Saved as a user would (shell redirection) and loaded as a protocol file of their own.
        using var d = Cli.Temp();
        var file = d.Write(name + ".yaml", r.Out);
        r.Out.Should().Be(ProtocolLoader.ShippedText(name), "show prints the shipped text exactly");
        var loaded = ProtocolLoader.Load(file);
        var shipped = ProtocolLoader.Shipped(name);
        loaded.Name.Should().Be(shipped.Name);
        loaded.Title.Should().Be(shipped.Title);
        loaded.Should().BeEquivalentTo(shipped, "the same text under the same file name is the same protocol");
        r.Out.Should().StartWith("#").And.Contain("name: " + name);
    }

    [Fact]
    public void Show_of_a_saved_protocol_runs_a_report()
    {
        using var d = Cli.Temp();
        var file = d.Write("mine.yaml", Cli.Run("protocol", "show", "nakayama2022").Out);
        var r = Cli.Run("report", "--protocol", file, "--out", Path.Combine(d.Path, "r"), "--date", "2026-11-22");
        r.ExitCode.Should().Be(0, r.Error);
    }

    [Fact]
    public void Show_of_an_unknown_name_is_a_usage_error_naming_the_shipped_ones()
    {
        var r = Cli.Run("protocol", "show", "chang2025");
        r.ExitCode.Should().Be(2);
        r.Out.Should().BeEmpty();
        r.Error.Should().Contain("chang2025").And.Contain("chang2024").And.Contain("nakayama2022");
    }

    [Fact]
    public void Protocol_without_a_subcommand_is_a_usage_error()
    {
        Cli.Run("protocol").ExitCode.Should().Be(2);
        Cli.Run("protocol", "show").ExitCode.Should().Be(2);
    }
}
