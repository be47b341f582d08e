using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Import;
using Sarcostat.Reports;
using Sarcostat.Study.Protocols;
using Sarcostat.Study;

namespace Sarcostat.Cli.Commands;

/// <summary>
/// <c>sarcostat report</c>: the main job. Cohort files in, every table and figure of the protocol's paper out
/// (HTML, Word, CSV per table, SVG per figure). Inputs are validated first; any error stops the run before anything
/// is written.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The protocol run when none is named.</summary>
    public const string DefaultProtocol = "chang2024";

    /// <summary>The folder written when --out is not given.</summary>
    public const string DefaultOut = "sarcostat-report";

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var cohort = new Argument<string[]>("COHORT")
        {
            Description = "Cohort files, mappings or folders, as for 'sarcostat validate'. None: the built-in SYNTHETIC demo cohort of the protocol (samples/).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var protocol = new Option<string>("--protocol")
        {
            Description = $"A shipped protocol ({string.Join(", ", ProtocolLoader.ShippedNames)}) or a protocol file (YAML or JSON; docs/protocol.md). Default: {DefaultProtocol}.",
            DefaultValueFactory = _ => DefaultProtocol,
        };
        var output = new Option<string>("--out") { Description = $"Report folder (default ./{DefaultOut}); a previous report there is replaced only once the new report is complete; files you added are kept. A non-empty folder that is not a report folder is refused unless --force.", DefaultValueFactory = _ => DefaultOut };
        var force = OutputGuard.Force("Write into a --out folder that is not a report folder, and replace files of yours that have the name of a report file. Other files are always kept.");
        var convention = new Option<string?>("--convention") { Description = "r: R's defaults (Efron ties, log CI, R's median CI); spss: Breslow ties, plain CI, SPSS's symmetric median CI. Switches every method at once; default: the protocol's." };
        convention.AcceptOnlyFromAmong("r", "spss");
        var mapping = new Option<string[]>("--mapping") { Description = "A source mapping file; repeat for several sources (docs/import.md)." };
        var salt = new Option<string?>("--salt") { Description = "Salt for pseudonymising identifying columns (default: the SARCOSTAT_SALT environment variable)." };
        var date = new Option<string?>("--date") { Description = "Date printed in the report, yyyy-MM-dd (default: today). Fix it to reproduce a report byte for byte." };
        var amendments = ValidateCommand.AmendmentsOption();
        var command = new Command("report", "Runs a study protocol on a cohort and writes the publication report: HTML (tables and figures, printable), Word, one CSV per table, one SVG per figure.")
        {
            cohort, protocol, output, convention, mapping, salt, date, amendments, force,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var generatedOn = ParseDate(parse.GetValue(date));
            var cohortInputs = parse.GetValue(cohort) ?? [];
            var mappings = parse.GetValue(mapping) ?? [];
            var outDir = OutputGuard.Folder("--out", parse.GetRequiredValue(output), ReportWriter.Options(parse.GetValue(force)),
                cohortInputs.Length == 0 ? [] : ImportInputs.Files(new ImportRequest { Inputs = cohortInputs, Mappings = mappings, Amendments = parse.GetValue(amendments) }).Concat(cohortInputs));
            StudyProtocol study;
            try
            {
                study = ProtocolLoader.Resolve(parse.GetRequiredValue(protocol));
            }
            catch (ProtocolException e)
            {
                foreach (var p in e.Problems)
                {
                    io.Error.WriteLine(p.ToString());
                }

                return ExitCodes.InputProblem;
            }
            catch (FileNotFoundException e)
            {
                io.Error.WriteLine($"sarcostat: {e.Message}");
                return ExitCodes.InputProblem;
            }

            if (parse.GetValue(convention) is { } c)
            {
                study = study.WithConvention(c == "spss" ? Convention.Spss : Convention.R);
            }

            var inputs = cohortInputs;
            using var demo = inputs.Length == 0 ? DemoCohort.Extract(study.Name) : null;
            if (demo is not null)
            {
                io.Error.WriteLine($"No cohort given: using the built-in SYNTHETIC demo cohort {demo.Name} (samples/{demo.Name}).");
                inputs = [demo.Path];
            }

            io.Error.WriteLine($"[1/3] reading and validating {string.Join(", ", inputs.Select(i => demo is null ? i : $"samples/{demo.Name}"))} ...");
            var result = ValidateCommand.Import(inputs, mappings, parse.GetValue(salt), io, out var setupFailed, parse.GetValue(amendments));
            if (setupFailed)
            {
                return ExitCodes.InputProblem;
            }

            if (result!.HasErrors)
            {
                ValidateCommand.PrintProblems(io, result.Problems);
                io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sarcostat: the cohort has {result.ErrorCount} errors (listed above); no report was written. Fix them, or check with 'sarcostat validate'."));
                return ExitCodes.InputProblem;
            }

            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {result.Patients.Count} patients, {result.WarningCount} data warnings"));
            if (ValidateCommand.AmendmentsLine(result) is { } amended)
            {
                io.Error.WriteLine("      " + amended);
            }

            foreach (var severity in result.Severities)
            {
                io.Error.WriteLine("      " + severity);
            }

            io.Error.WriteLine($"[2/3] running protocol {study.Name} ({study.Convention} convention) ...");
            var context = new RunContext(JsonOutput.Version, generatedOn)
            {
                SoftwareCommit = SoftwareBuild.Commit,
                DataFingerprints = Fingerprints(inputs, result.AmendmentsFile),
                Amendments = result.Amendments,
                AmendmentsFile = result.AmendmentsFile is { } af ? AmendmentsLabel(af) : null,
                SourceRecords = result.SourceRecords.Select(s => new KeyValuePair<string, int>(s.Source, s.Records)).ToList(),
                SaltUsed = result.Pseudonymised,
                SeverityChanges = result.Severities.Select(s => new SeverityChange(s.Source, s.Rule, s.Level, s.Problems, s.Reason)).ToList(),
            };
            var report = StudyRunner.Run(study, result.Patients, context);
            io.Error.WriteLine($"[3/3] writing {outDir} ...");
            var written = ReportWriter.WriteFolder(report, outDir, parse.GetValue(force));
            var files = written.Written.Select(f => Path.Combine(written.Folder, f)).ToList();

            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Report of {report.Title}: {report.Tables.Count()} tables, {report.Figures.Count()} figures, {report.Warnings.Count} warnings."));
            foreach (var f in files)
            {
                io.Out.WriteLine($"  {Path.GetRelativePath(Environment.CurrentDirectory, f)}");
            }

            if (written.Kept.Count > 0)
            {
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Kept {written.Kept.Count} file{(written.Kept.Count == 1 ? string.Empty : "s")} in the folder that the report did not write: {string.Join(", ", written.Kept.Take(5))}{(written.Kept.Count > 5 ? ", ..." : string.Empty)}"));
            }

            io.Out.WriteLine($"Open {Path.Combine(outDir, "report.html")} in a browser (or report.docx in Word).");
            foreach (var w in report.Warnings)
            {
                io.Error.WriteLine($"warning: {w.Message}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static DateOnly ParseDate(string? text)
    {
        if (text is null)
        {
            return DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().Date);
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InputException(InputProblem.Of("--date", null, null, text, "a date as yyyy-MM-dd"));
    }

    /// <summary>
    /// SHA-256 of every input file (folders: every file in them), labelled "input N (CSV)" in the order of their hashes,
    /// and of the amendments file, labelled <see cref="AmendmentsLabel"/>: never by file name, which is copied into the
    /// report and is often a patient's name (Smith_John_1962.csv).
    /// </summary>
    internal static List<KeyValuePair<string, string>> Fingerprints(string[] inputs, string? amendments = null)
    {
        var hashes = inputs.SelectMany(i => Directory.Exists(i) ? Directory.GetFiles(i) : File.Exists(i) ? [i] : [])
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Where(f => amendments is null || Path.GetFullPath(f) != Path.GetFullPath(amendments))
            .Select(f => (Kind: Kind(f), Hash: RunContext.Sha256(File.ReadAllBytes(f))))
            .OrderBy(h => h.Hash, StringComparer.Ordinal)
            .ToList();
        var labelled = hashes.Select((h, i) => new KeyValuePair<string, string>(string.Create(CultureInfo.InvariantCulture, $"input {i + 1} ({h.Kind})"), h.Hash)).ToList();
        if (amendments is not null)
        {
            // Named as such, so the provenance says which fingerprint is the record of decisions on the data.
            labelled.Add(new(AmendmentsLabel(amendments), RunContext.Sha256(File.ReadAllBytes(amendments))));
        }

        return labelled;
    }

    /// <summary>How the report names the amendments file: "amendments (YAML)" or "amendments (CSV)", never its file name.</summary>
    internal static string AmendmentsLabel(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".CSV" or ".TSV" or ".TXT" ? "amendments (CSV)" : "amendments (YAML)";

    /// <summary>The kind of an input file, from its extension only.</summary>
    private static string Kind(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".CSV" or ".TSV" or ".TXT" => "CSV",
        ".XLSX" or ".XLSM" or ".XLS" => "workbook",
        ".YAML" or ".YML" or ".JSON" => "mapping",
        _ => "file",
    };

    /// <summary>The built-in demo cohort of a protocol, extracted to a temporary folder for the importer.</summary>
    private sealed class DemoCohort : IDisposable
    {
        private DemoCohort(string name, string path)
        {
            Name = name;
            Path = path;
        }

        public string Name { get; }

        public string Path { get; }

        public static DemoCohort Extract(string protocolName)
        {
            var name = protocolName is "nakayama2022" ? "nakayama2022" : "chang2024";
            var dir = Directory.CreateTempSubdirectory("sarcostat-demo-").FullName;
            foreach (var file in new[] { "patients.csv", "procedures.csv" })
            {
                var resource = $"Sarcostat.Cli.samples.{name}.{file}";
                using var stream = typeof(DemoCohort).Assembly.GetManifestResourceStream(resource)
                    ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from the build.");
                using var target = File.Create(System.IO.Path.Combine(dir, file));
                stream.CopyTo(target);
            }

            return new DemoCohort(name, dir);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
