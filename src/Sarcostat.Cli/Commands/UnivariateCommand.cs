using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Study.Analysis;
using Sarcostat.Survival;
using Sarcostat.Survival.Comparisons;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Cli.Commands;

/// <summary>
/// <c>sarcostat univariate</c>: each factor on its own, the log-rank test (R <c>survdiff</c>) beside its univariate Cox
/// model (R <c>coxph</c>: HR with CI and Wald p per level, likelihood-ratio p of the factor as a whole).
/// </summary>
internal static class UnivariateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var time = CommonOptions.Time();
        var ev = CommonOptions.Event();
        var factors = new Option<string>("--factors") { Description = "Columns to analyse one at a time (comma-separated).", Required = true };
        var categorical = new Option<string?>("--categorical") { Description = "Columns to treat as categorical whatever they hold (comma-separated)." };
        var numeric = new Option<string?>("--numeric") { Description = $"Columns to treat as numeric (Cox per unit, no log-rank test) even with few distinct values. By default text columns and number columns with at most {CommonOptions.MaxDistinctForCategorical} distinct values are categorical." };
        var reference = CommonOptions.Reference();
        var ties = CommonOptions.Ties();
        var confLevel = CommonOptions.HazardRatioLevel();
        var timeFix = CommonOptions.TimeFix();
        timeFix.AcceptOnlyFromAmong("r", "exact");
        var json = CommonOptions.Json();
        var levels = CommonOptions.Levels();
        var command = new Command("univariate", "Each factor on its own: n and events per level, the log-rank test (R survdiff) beside the univariate Cox model (R coxph): HR with CI and Wald p per level, likelihood-ratio p of the factor as a whole.")
        {
            data, time, ev, factors, categorical, numeric, reference, levels, ties, confLevel, timeFix, json,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var names = CommonOptions.List(parse.GetRequiredValue(factors));
            var forceCat = CommonOptions.List(parse.GetValue(categorical)).ToHashSet(StringComparer.Ordinal);
            var forceNum = CommonOptions.List(parse.GetValue(numeric)).ToHashSet(StringComparer.Ordinal);
            var references = CoxCommand.ParseReferences(parse.GetValue(reference) ?? []);
            var categoricalList = CommonOptions.List(parse.GetValue(categorical));
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(levels));
            forceCat.UnionWith(levelOrder.Keys);
            new ArgumentChecks()
                .Require(names.Length > 0, "--factors needs at least one column to analyse")
                .Distinct("--factors", names)
                .NotAlso("--factors", names, ("--time", parse.GetRequiredValue(time)), ("--event", parse.GetRequiredValue(ev)))
                .NotAlso("--categorical", categoricalList, forceNum.Select(n => ("--numeric", (string?)n)).ToArray())
                .Within("--reference", references.Keys, "--factors", names)
                .Within("--levels", levelOrder.Keys, "--factors", names)
                .ThrowIfAny();

            var timeFixValue = CommonOptions.ParseTimeFix(parse.GetRequiredValue(timeFix));
            var coxOptions = new CoxOptions
            {
                Ties = CommonOptions.ParseTies(parse.GetValue(ties)),
                ConfidenceLevel = KmCommand.ParseLevel(parse.GetValue(confLevel)),
                TimeFix = timeFixValue,
            };
            var table = io.ReadCsv(parse.GetRequiredValue(data));
            var input = AnalysisData.Load(table, parse.GetRequiredValue(time), parse.GetRequiredValue(ev), [], names);
            var results = names.Select(name => Analyse(input, name, forceCat, forceNum, references, levelOrder, coxOptions, timeFixValue)).ToList();

            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "univariate",
                    version = JsonOutput.Version,
                    input = CommonOptions.InputSection(input),
                    time = parse.GetRequiredValue(time),
                    @event = parse.GetRequiredValue(ev),
                    ties = coxOptions.Ties,
                    factors = results,
                });
            }
            else
            {
                Print(io, input, results, coxOptions);
            }

            foreach (var r in results)
            {
                io.Warn(r.Warnings, r.Variable);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Classifies the column and runs it through the study's univariate screen (<see cref="UnivariateScreen"/>, the
    /// code path of the report's univariate tables), then shapes the result for printing and --json.
    /// </summary>
    private static FactorResult Analyse(
        AnalysisData input,
        string name,
        IReadOnlySet<string> forceCat,
        IReadOnlySet<string> forceNum,
        Dictionary<string, string> references,
        Dictionary<string, string[]> levelOrder,
        CoxOptions coxOptions,
        TimeFix timeFix)
    {
        var (isCategorical, why) = references.ContainsKey(name) ? (true, "categorical (--reference)") : CommonOptions.Classify(input, name, forceCat, forceNum);
        AnalysisVariable variable;
        if (isCategorical)
        {
            var factor = CommonOptions.Order(Factor.FromValues(name, input.Text(name)), levelOrder, input.File);
            if (references.TryGetValue(name, out var level))
            {
                if (!factor.Levels.Contains(level))
                {
                    throw new InputException(InputProblem.Of(Path.GetFileName(input.File), null, name, level, $"one of the levels {string.Join(", ", factor.Levels)} as the reference"));
                }

                factor = factor.WithReference(level);
            }

            variable = new CategoricalVariable(name, input.Text(name), factor.Levels) { Reference = factor.Levels.Count > 0 ? factor.Levels[0] : null };
        }
        else
        {
            variable = new NumericVariable(name, input.Numeric(name));
        }

        var options = new UnivariateScreenOptions { Cox = coxOptions, LogRankTest = new LogRankOptions { TimeFix = timeFix } };
        var r = UnivariateScreen.Run(input.Response(), [variable], options)[0];
        var warnings = r.Issues.Select(i => new AnalysisWarning(i.Code, i.Message)).ToList();
        var levels = r.Levels.Select(l => new LevelCount(l.Level, l.N, l.Events)).ToList();
        var known = new LevelCount(null, r.Known.N, r.Known.Events);
        return new FactorResult(
            name,
            isCategorical ? "categorical" : "numeric",
            why,
            known,
            levels,
            r.LogRank,
            r.Cox?.Fit,
            r.Term is not null ? r.Cox?.FactorTest(name) : null,
            warnings);
    }

    private static void Print(CommandIo io, AnalysisData input, IReadOnlyList<FactorResult> results, CoxOptions options)
    {
        var o = io.Out;
        o.WriteLine($"Univariate analysis, each factor on its own: {Path.GetFileName(input.File)}");
        io.PrintRows(input);
        o.WriteLine();
        var level = (options.ConfidenceLevel * 100).ToString("G3", CultureInfo.InvariantCulture);
        var t = new TextTable("factor", "level", "n", "events", $"HR ({level}% CI)", "Wald p", "LR p", "log-rank p");
        foreach (var r in results)
        {
            if (r.Kind == "numeric")
            {
                var term = r.Cox?.Terms[0];
                t.Add(r.Variable, "(per unit)", Fmt.I(r.Known.N), Fmt.I(r.Known.Events), term is null ? "NA" : HrCi(term), term is null ? "NA" : Fmt.P(term.P), r.LikelihoodRatio is null ? "NA" : Fmt.P(r.LikelihoodRatio.P), "-");
                continue;
            }

            bool first = true;
            foreach (var l in r.Levels)
            {
                var term = r.Cox?.Terms.FirstOrDefault(x => x.Level == l.Level);
                string hr = r.Cox is null ? "NA" : term is null ? "1 (reference)" : HrCi(term);
                t.Add(
                    first ? r.Variable : string.Empty,
                    l.Level!,
                    Fmt.I(l.N),
                    Fmt.I(l.Events),
                    hr,
                    term is null ? string.Empty : Fmt.P(term.P),
                    first ? (r.LikelihoodRatio is null ? "NA" : Fmt.P(r.LikelihoodRatio.P)) : string.Empty,
                    first ? (r.LogRank is null ? "NA" : Fmt.P(r.LogRank.P)) : string.Empty);
                first = false;
            }
        }

        o.Write(t.ToString());
        o.WriteLine();
        o.WriteLine($"Cox models: ties {CommonOptions.TiesLabel(options.Ties)}; each factor on the rows where it is known.");
        o.WriteLine("Wald p: each level against the reference. LR p: likelihood-ratio test of the factor as a whole (all its levels at once). Log-rank p: R survdiff.");
        foreach (var r in results.Where(r => r.LogRank is not null && r.LikelihoodRatio is not null && (r.LogRank.P < 0.05) != (r.LikelihoodRatio.P < 0.05)))
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Note: for {r.Variable} the log-rank p ({Fmt.P(r.LogRank!.P)}) and the likelihood-ratio p ({Fmt.P(r.LikelihoodRatio!.P)}) fall on different sides of 0.05."));
        }
    }

    private static string HrCi(CoxTerm term) =>
        $"{Fmt.N(term.HazardRatio, 3)} ({Fmt.N(term.Lower, 3)}-{Fmt.N(term.Upper, 3)})";

    /// <summary>Patients and events at one level (or, without a level, with a known value).</summary>
    private sealed record LevelCount(string? Level, int N, int Events);

    /// <summary>One factor's results (serialised as is by --json).</summary>
    private sealed record FactorResult(
        string Variable,
        string Kind,
        string TreatedAs,
        LevelCount Known,
        IReadOnlyList<LevelCount> Levels,
        LogRankResult? LogRank,
        CoxFit? Cox,
        TestStatistic? LikelihoodRatio,
        IReadOnlyList<AnalysisWarning> Warnings);
}
