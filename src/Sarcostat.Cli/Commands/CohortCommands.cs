using System.CommandLine;
using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Files.Output;
using Sarcostat.Simulation;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Import;
using Sarcostat.Import.Output;

namespace Sarcostat.Cli.Commands;

/// <summary><c>sarcostat validate</c>: imports cohort files through their mappings and lists every problem.</summary>
internal static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var inputs = new Argument<string[]>("INPUTS")
        {
            Description = "Cohort files (CSV, XLSX), mapping files (.yaml/.yml/.json) and folders. A folder means every mapping in it (each listing its files), or its canonical files when it has none.",
            Arity = ArgumentArity.OneOrMore,
        };
        var mapping = new Option<string[]>("--mapping") { Description = "A source mapping file (YAML or JSON); repeat for several sources. See docs/import.md." };
        var problems = new Option<string?>("--problems") { Description = "Also write every problem to this CSV file (file,row,column,rule,severity,found,expected,hint,study_id). An existing file is refused unless --force; an input file always." };
        var force = OutputGuard.Force("Replace the --problems file if it exists (never an input file).");
        var salt = new Option<string?>("--salt") { Description = $"Salt for pseudonymising identifying columns (default: the {Pseudonym.SaltVariable} environment variable)." };
        var json = CommonOptions.Json();
        var amendments = AmendmentsOption();
        var command = new Command("validate", "Reads and merges cohort files through their mappings and reports every problem with file, row, column, value, what was expected and severity. Exit code 1 when there is any error.")
        {
            inputs, mapping, problems, salt, json, amendments, force,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            string? problemsPath = null;
            if (parse.GetValue(problems) is { } requested)
            {
                var request = new ImportRequest { Inputs = parse.GetRequiredValue(inputs), Mappings = parse.GetValue(mapping) ?? [], Amendments = parse.GetValue(amendments) };
                problemsPath = OutputGuard.File("--problems", requested, parse.GetValue(force), ImportInputs.Files(request));
            }

            var result = Import(parse.GetRequiredValue(inputs), parse.GetValue(mapping) ?? [], parse.GetValue(salt), io, out var setupFailed, parse.GetValue(amendments));
            if (setupFailed)
            {
                return ExitCodes.InputProblem;
            }

            if (problemsPath is not null)
            {
                ProblemsCsv.WriteFile(problemsPath, result!.Problems, overwrite: parse.GetValue(force));
            }

            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "validate",
                    version = JsonOutput.Version,
                    patientsAccepted = result!.Patients.Count,
                    rejectedStudyIds = result.RejectedStudyIds,
                    errors = result.ErrorCount,
                    warnings = result.WarningCount,
                    tables = result.Tables,
                    problems = result.Problems,
                    amendmentsApplied = result.Amendments.Count,
                    amendments = result.Amendments,
                    severities = result.Severities,
                });
            }
            else
            {
                PrintProblems(io, result!.Problems);

                if (result.Problems.Count > 0)
                {
                    io.Out.WriteLine();
                }

                foreach (var t in result.Tables)
                {
                    io.Out.WriteLine(t.ToString());
                }

                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Patients.Count} patients accepted, {result.RejectedStudyIds.Count} rejected; {result.ErrorCount} errors, {result.WarningCount} warnings."));
                if (result.RejectedStudyIds.Count > 0)
                {
                    io.Out.WriteLine("Rejected study ids: " + string.Join(", ", result.RejectedStudyIds));
                }

                if (AmendmentsLine(result) is { } line)
                {
                    io.Out.WriteLine(line);
                }

                // One line per severity override, with its reason: a study that lowers or ignores a rule says so.
                foreach (var s in result.Severities)
                {
                    io.Out.WriteLine(s.ToString());
                }
            }

            return result.HasErrors ? ExitCodes.InputProblem : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Errors one line each; warnings too, except that a warning repeated on more than three rows of the same file,
    /// rule and column (a recommended field left empty throughout) is shown once with its count and first rows.
    /// The --problems CSV always lists every problem.
    /// </summary>
    internal static void PrintProblems(CommandIo io, IReadOnlyList<CohortProblem> problems)
    {
        var repeated = problems.Where(p => p.Severity == Severity.Warning && p.Row is not null)
            .GroupBy(p => (p.File, p.Rule, p.Column))
            .Where(g => g.Count() > 3)
            .ToDictionary(g => g.Key, g => g.ToList());
        var shown = new HashSet<(string, string, string?)>();
        foreach (var p in problems)
        {
            var key = (p.File, p.Rule, p.Column);
            if (p.Severity != Severity.Warning || !repeated.TryGetValue(key, out var group))
            {
                io.Out.WriteLine(p.ToString());
            }
            else if (shown.Add(key))
            {
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.File}, column \"{p.Column}\": warning: {p.Rule} on {group.Count} rows ({CommandIo.RowList(group.Select(g => g.Row!.Value).ToList())}); {p.Expected}."));
            }
        }
    }

    /// <summary>--amendments FILE, shared by validate and report.</summary>
    internal static Option<string?> AmendmentsOption() => new("--amendments")
    {
        Description = "The study's amendments file (YAML or CSV): cells set or set missing, duplicate rows dropped, patients excluded, conflicts resolved, each with its reason; the extracts are never edited (docs/import.md, Amendments).",
    };

    /// <summary><c>4 amendments applied from amend.yaml: 2 set, 1 drop, 1 exclude.</c>, or null without an amendments file.</summary>
    internal static string? AmendmentsLine(ImportResult result)
    {
        if (result.AmendmentsFile is not { } file)
        {
            return null;
        }

        var kinds = result.Amendments.GroupBy(a => a.Kind).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.First().KindName}"));
        var tail = result.Amendments.Count == 0 ? "." : ": " + string.Join(", ", kinds) + ".";
        return string.Create(CultureInfo.InvariantCulture, $"{result.Amendments.Count} amendment{(result.Amendments.Count == 1 ? string.Empty : "s")} applied from {Path.GetFileName(file)}{tail}");
    }

    /// <summary>Runs the importer; on a setup problem (unreadable mapping, missing file, malformed amendments) prints it and reports failure.</summary>
    internal static ImportResult? Import(string[] inputs, string[] mappings, string? salt, CommandIo io, out bool setupFailed, string? amendments = null)
    {
        try
        {
            setupFailed = false;
            return CohortImporter.Import(new ImportRequest
            {
                Inputs = inputs,
                Mappings = mappings,
                Salt = salt ?? Environment.GetEnvironmentVariable(Pseudonym.SaltVariable),
                Amendments = amendments,
            });
        }
        catch (ImportSetupException e)
        {
            foreach (var line in e.Errors)
            {
                io.Error.WriteLine(line);
            }

            setupFailed = true;
            return null;
        }
    }
}

/// <summary><c>sarcostat template</c>: writes blank cohort files with the dictionary's columns and codes.</summary>
internal static class TemplateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var output = new Option<string>("--out") { Description = "Folder to write patients.csv, procedures.csv, codes.csv and template.xlsx into (created if absent; other files in it are kept).", Required = true };
        var force = OutputGuard.Force("Replace template files that already exist in the folder (a filled-in patients.csv too: take care).");
        var command = new Command("template", "Writes a blank cohort template from the data dictionary: CSV files and an Excel workbook with a codes sheet.")
        {
            output, force,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var dir = OutputPath.CheckFolder(parse.GetRequiredValue(output), "--out");
            var targets = TemplateWriter.CsvFiles.Append(TemplateWriter.XlsxFile).Select(f => Path.Combine(dir, f)).ToList();
            foreach (var target in targets)
            {
                OutputGuard.File("--out", target, force: true, []); // a usable file path; existing files are judged together below
            }

            var existing = targets.Where(File.Exists).Select(Path.GetFileName).ToList();
            if (existing.Count > 0 && !parse.GetValue(force))
            {
                throw new OutputException($"--out '{OutputPath.Show(dir)}' already holds {string.Join(", ", existing)}. Nothing was written. Add --force to replace {(existing.Count == 1 ? "it" : "them")} (a filled-in template too), or choose another folder.");
            }

            var written = TemplateWriter.WriteAll(dir, overwrite: parse.GetValue(force));
            foreach (var f in written)
            {
                io.Out.WriteLine($"wrote {f}");
            }

            io.Out.WriteLine("Field definitions: docs/data-dictionary.md. Fill one row per patient (and per metastasectomy in procedures.csv), then run: sarcostat validate " + dir);
            return ExitCodes.Ok;
        }));
        return command;
    }
}

/// <summary><c>sarcostat simulate</c>: writes a synthetic cohort shaped like one of the source papers.</summary>
internal static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var like = new Option<string>("--like") { Description = "The paper whose tables and survival the cohort follows: chang2024 (OS, 110 patients) or nakayama2022 (DSS, 66 patients).", Required = true };
        like.AcceptOnlyFromAmong([.. SimulationSpecs.All.Select(s => s.Name)]);
        var n = new Option<int?>("--n") { Description = "Number of patients (default: the paper's)." };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives byte-identical files (default 1).", DefaultValueFactory = _ => 1 };
        var messy = new Option<bool>("--messy") { Description = "Write two source databases with mappings and plant realistic data-entry errors, listed in manifest.csv; and in extracts/ a registry CSV and a workbook as hospitals export them, with their mappings and an answer key of planted problems." };
        var output = new Option<string>("--out") { Description = "Output folder; must not exist or be empty (or --force).", Required = true };
        var force = OutputGuard.Force("Write into a folder that is not empty: files of the same names are replaced, other files kept.");
        var command = new Command("simulate", "Writes a SYNTHETIC cohort whose marginal distributions follow a paper's tables and whose survival follows a Cox model with the paper's hazard ratios (docs/simulation.md).")
        {
            like, n, seed, messy, output, force,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var spec = SimulationSpecs.Find(parse.GetRequiredValue(like))!;
            int size = parse.GetValue(n) ?? spec.DefaultSize;
            var outDir = OutputGuard.Folder("--out", parse.GetRequiredValue(output), new FolderOptions("simulation", Force: parse.GetValue(force)), []);
            try
            {
                var cohort = CohortSimulator.Simulate(spec, size, parse.GetValue(seed));
                var written = SimulationWriter.Write(cohort, outDir, parse.GetValue(messy), parse.GetValue(seed), parse.GetValue(force));
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Synthetic cohort like {spec.Name}: {size} patients, seed {parse.GetValue(seed)}, in {written.Directory}"));
                foreach (var f in written.Files)
                {
                    io.Out.WriteLine($"  {f}");
                }

                if (written.Planted.Count > 0)
                {
                    io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written.Planted.Count} planted errors are listed in manifest.csv; check them with: sarcostat validate {written.Directory}"));
                }

                if (written.AnswerKey.Count > 0)
                {
                    var extracts = Path.Combine(written.Directory, "extracts");
                    io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Two hospital extracts (a registry CSV and a workbook) with their mappings are in {extracts}; {written.AnswerKey.Count(k => k.Severity == "error")} planted problems and the amendments resolving them are in answer_key.csv. Start with: sarcostat validate {extracts} (walkthrough: docs/import.md)"));
                }

                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ArgumentException || (e is IOException && e is not OutputException))
            {
                io.Error.WriteLine($"sarcostat: {e.Message}");
                return ExitCodes.InputProblem;
            }
        }));
        return command;
    }
}
