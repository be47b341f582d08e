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
    /// and what was expected) or an analysis that cannot be done on it; 2 a usage error; 70 a defect of Sarcostat (the last-resort handler).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);

        // Labels, column and file names come from the user's files: a terminal escape sequence in one is shown as
        // "\u001B", never sent to the terminal (JSON output escapes control characters itself).
        stdout = new Files.Output.SafeTextWriter(stdout);
        stderr = new Files.Output.SafeTextWriter(stderr);
        var io = new CommandIo(stdout, stderr);
        var root = new RootCommand(
            "Sarcostat: survival statistics for pulmonary metastasectomy studies, with numbers identical to R's survival package.\n" +
            "Each command reads a CSV file (any delimiter, header row, empty or NA = missing) and prints a table, or a JSON document with --json.")
        {
            KmCommand.Create(io),
            LogRankCommand.Create(io),
            CoxCommand.Create(io),
            CumincCommand.Create(io),
            CrrCommand.Create(io),
            UnivariateCommand.Create(io),
            CompareCommand.Create(io),
            ReportCommand.Create(io),
            ProtocolCommand.Create(io),
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

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
#pragma warning disable CA1031 // The last resort: whatever escaped the commands' own handling is a bug, reported without a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return LastResort(e, stderr);
        }
    }

    /// <summary>
    /// The last-resort handler: an exception no command turned into a located message is a defect of Sarcostat, not
    /// of the user's data. It prints one short line (the exception type only: its message may quote data) and a
    /// pointer to report it, and exits with <see cref="ExitCodes.InternalError"/>. The malformed-input corpus
    /// asserts that none of its inputs reaches this handler.
    /// </summary>
    internal static int LastResort(Exception e, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine($"sarcostat: internal error ({e.GetType().Name}). This is a defect in Sarcostat, not in your data.");
        stderr.WriteLine("Please report it with the command you ran (never attach patient data); set SARCOSTAT_DEBUG=1 to print the details.");
        if (Environment.GetEnvironmentVariable("SARCOSTAT_DEBUG") == "1")
        {
            stderr.WriteLine(e.ToString());
        }

        return ExitCodes.InternalError;
    }
}
