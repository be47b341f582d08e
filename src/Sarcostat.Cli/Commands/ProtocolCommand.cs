using System.CommandLine;
using Sarcostat.Cli.Input;
using Sarcostat.Study.Protocols;

namespace Sarcostat.Cli.Commands;

/// <summary>
/// <c>sarcostat protocol list</c> and <c>sarcostat protocol show NAME</c>: the protocols shipped with Sarcostat, so
/// that a user starts a study of their own from one (<c>sarcostat protocol show chang2024 &gt; mine.yaml</c>).
/// </summary>
internal static class ProtocolCommand
{
    /// <summary>Builds the command with its two subcommands.</summary>
    public static Command Create(CommandIo io)
    {
        var list = new Command("list", "Lists the shipped protocols: name, title and the design each follows.");
        list.SetAction(_ => io.Guard(() =>
        {
            foreach (var name in ProtocolLoader.ShippedNames)
            {
                var protocol = ProtocolLoader.Shipped(name);
                io.Out.WriteLine($"{name}: {protocol.Title}");
                if (!string.IsNullOrWhiteSpace(protocol.Design))
                {
                    io.Out.WriteLine($"    design: {protocol.Design}");
                }
            }

            io.Out.WriteLine("Show one with 'sarcostat protocol show NAME'; save it as a file to start a protocol of your own (docs/protocol.md).");
            return ExitCodes.Ok;
        }));

        var name = new Argument<string>("NAME") { Description = $"A shipped protocol: {string.Join(", ", ProtocolLoader.ShippedNames)}." };
        var show = new Command("show", "Prints a shipped protocol's YAML text exactly, e.g. 'sarcostat protocol show chang2024 > mine.yaml' to start a study of your own.")
        {
            name,
        };
        show.SetAction(parse => io.Guard(() =>
        {
            var requested = parse.GetRequiredValue(name);
            if (!ProtocolLoader.ShippedNames.Contains(requested, StringComparer.Ordinal))
            {
                throw new UsageException($"no shipped protocol is called '{requested}'; the shipped protocols are {string.Join(", ", ProtocolLoader.ShippedNames)}");
            }

            // Written as is (no added line break), so that the saved file is the shipped text byte for byte.
            io.Out.Write(ProtocolLoader.ShippedText(requested));
            return ExitCodes.Ok;
        }));

        return new Command("protocol", "Lists and prints the study protocols shipped with Sarcostat, to start a study of your own from one.")
        {
            list,
            show,
        };
    }
}
