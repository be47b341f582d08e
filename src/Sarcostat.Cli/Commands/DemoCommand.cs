using System.CommandLine;

namespace Sarcostat.Cli.Commands;

/// <summary>
/// <c>sarcostat demo</c>: runs km, logrank and cox on the bundled copy of R's <c>lung</c> dataset (survival package;
/// status recoded to 0/1), printing each equivalent command first. Until the publication report exists this is the
/// README's main command.
/// </summary>
internal static class DemoCommand
{
    private const string Resource = "Sarcostat.Cli.lung.csv";

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var command = new Command("demo", "Runs km, logrank and cox on the bundled lung dataset from R's survival package (NCCTG lung cancer; time in days, status 1 = dead).");
        command.SetAction(_ =>
        {
            var dir = Directory.CreateTempSubdirectory("sarcostat-demo-");
            try
            {
                var path = Path.Combine(dir.FullName, "lung.csv");
                using (var resource = typeof(DemoCommand).Assembly.GetManifestResourceStream(Resource)
                    ?? throw new InvalidOperationException($"Embedded resource {Resource} is missing from the build."))
                using (var file = File.Create(path))
                {
                    resource.CopyTo(file);
                }

                string[][] runs =
                [
                    ["km", path, "--time", "time", "--event", "status", "--group", "sex", "--at", "180,365,730"],
                    ["logrank", path, "--time", "time", "--event", "status", "--group", "sex"],
                    ["cox", path, "--time", "time", "--event", "status", "--covariates", "age,sex,ph.ecog"],
                ];
                foreach (var args in runs)
                {
                    io.Out.WriteLine("$ sarcostat " + string.Join(' ', args.Select(a => a == path ? "lung.csv" : a)));
                    int code = Program.Run(args, io.Out, io.Error);
                    if (code != 0)
                    {
                        return code;
                    }

                    io.Out.WriteLine();
                }

                io.Out.WriteLine("Each number above equals R's survival package to 1e-6 or better (see docs/statistics.md and tools/reference/).");
                return 0;
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        });
        return command;
    }
}
