using System.CommandLine;
using Sarcostat.Cli.Commands;
using Sarcostat.Cli.Input;

namespace Sarcostat.Cli;

/// <summary>Entry point of the <c>sarcostat</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs the command line with the given output streams (tests call this in-process).
    /// Exit codes: 0 success; 1 a problem in the input data (every problem is printed with file, row, column, value
    /// and what was expected) or an analysis that cannot be done on it; 2 a usage error.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new CommandIo(stdout, stderr);
        var root = new RootCommand(
            "Sarcostat: survival statistics for pulmonary metastasectomy studies, with numbers identical to R's survival package.\n" +
            "Each command reads a CSV file (any delimiter, header row, empty or NA = missing) and prints a table, or a JSON document with --json.")
        {
            KmCommand.Create(io),
            LogRankCommand.Create(io),
            CoxCommand.Create(io),
            UnivariateCommand.Create(io),
            CompareCommand.Create(io),
            ReportCommand.Create(io),
            ValidateCommand.Create(io),
            TemplateCommand.Create(io),
            SimulateCommand.Create(io),
            DemoCommand.Create(io),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"sarcostat: {error.Message}");
            }

            stderr.WriteLine("Run 'sarcostat --help' (or 'sarcostat COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }
}
