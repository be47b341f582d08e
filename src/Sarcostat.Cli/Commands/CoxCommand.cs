using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Cli.Commands;

/// <summary><c>sarcostat cox</c>: Cox proportional hazards regression.</summary>
internal static class CoxCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var time = CommonOptions.Time();
        var ev = CommonOptions.Event();
        var covariates = new Option<string>("--covariates") { Description = "Comma-separated covariate columns, e.g. age,sex,ph.ecog.", Required = true };
        var factors = new Option<string[]>("--factor")
        {
            Description = "Covariates to treat as categorical (dummy coded, first level the reference); comma-separated or repeated. Columns holding text are categorical anyway.",
            AllowMultipleArgumentsPerToken = false,
        };
        var reference = CommonOptions.Reference();
        var ties = CommonOptions.Ties();
        var strata = new Option<string?>("--strata") { Description = "Column of strata: separate baseline hazards, common coefficients (R: + strata(col))." };
        var confLevel = CommonOptions.HazardRatioLevel();
        var maxIter = new Option<int>("--max-iterations") { Description = "Newton-Raphson iteration limit (R coxph.control iter.max, default 20).", DefaultValueFactory = _ => 20 };
        var timeFix = CommonOptions.TimeFix();
        timeFix.AcceptOnlyFromAmong("r", "exact");
        var zph = new Option<bool>("--zph") { Description = "Also test proportional hazards on scaled Schoenfeld residuals, per covariate and global (R cox.zph)." };
        var zphTransform = new Option<string>("--zph-transform") { Description = "Time scale of the --zph test: km (default, R), identity, rank or log.", DefaultValueFactory = _ => "km" };
        zphTransform.AcceptOnlyFromAmong("km", "identity", "rank", "log");
        var firth = new Option<bool>("--firth") { Description = "Also fit the Firth-penalised Cox model (Heinze & Schemper; Breslow ties, as R coxphf) with profile-likelihood CIs: finite estimates when a level has no events (monotone likelihood)." };
        var covariateTests = new Option<bool>("--covariate-tests") { Description = "Also test each covariate as a whole (a factor's levels together): likelihood-ratio test of the model without it on the same patients (R drop1(fit, test = \"Chisq\")) and Wald test of its coefficients." };
        var concordance = new Option<bool>("--concordance") { Description = "Also report Harrell's concordance of the linear predictor with its standard error (R concordance(fit))." };
        var residuals = new Option<bool>("--residuals") { Description = "With --zph --json, also write the per-event arrays of the test (event times, transformed times, strata, scaled Schoenfeld residuals); left out otherwise." };
        var json = CommonOptions.Json();
        var levels = CommonOptions.Levels();
        var startOption = new Option<string?>("--start") { Description = "Column of interval start times: (start, stop] rows for time-dependent covariates; --time is then the stop time (R: Surv(start, stop, event))." };
        var weightsOption = new Option<string?>("--weights") { Description = "Column of case weights, finite and > 0 (R: coxph(weights = w)); a non-integer weight gives the robust variance, as in R." };
        var clusterOption = new Option<string?>("--cluster") { Description = "Column identifying the patient (cluster) of each row: robust (sandwich) standard errors summed within patients (R: + cluster(id))." };
        var command = new Command("cox", "Cox proportional hazards regression (R coxph): coefficients, hazard ratios with CI, z, p; likelihood-ratio, Wald and score tests; complete cases.")
        {
            data, time, ev, covariates, factors, reference, ties, strata, confLevel, maxIter, timeFix, zph, zphTransform, concordance, firth, covariateTests, levels, json, residuals,
            startOption, weightsOption, clusterOption,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var names = CommonOptions.List(parse.GetRequiredValue(covariates));
            var factorList = (parse.GetValue(factors) ?? []).SelectMany(CommonOptions.List).ToList();
            var factorNames = factorList.ToHashSet(StringComparer.Ordinal);
            var references = ParseReferences(parse.GetValue(reference) ?? []);
            var strataColumn = parse.GetValue(strata);
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(levels));
            string? startColumn = parse.GetValue(startOption), weightsColumn = parse.GetValue(weightsOption), clusterColumn = parse.GetValue(clusterOption);
            bool countingProcess = startColumn is not null || weightsColumn is not null || clusterColumn is not null;
            new ArgumentChecks()
                .Require(!countingProcess || !(parse.GetValue(zph) || parse.GetValue(firth) || parse.GetValue(covariateTests) || parse.GetValue(concordance)),
                    "--start, --weights and --cluster cannot be combined with --zph, --firth, --covariate-tests or --concordance")
                .NotAlso("--covariates", names, ("--start", startColumn), ("--weights", weightsColumn), ("--cluster", clusterColumn))
                .Require(names.Length > 0, "--covariates needs at least one covariate column")
                .Distinct("--covariates", names)
                .NotAlso("--covariates", names, ("--time", parse.GetRequiredValue(time)), ("--event", parse.GetRequiredValue(ev)), ("--strata", strataColumn))
                .Distinct("--factor", factorList)
                .Within("--factor", factorNames, "--covariates", names)
                .Within("--reference", references.Keys, "--covariates", names)
                .Require(!parse.GetValue(residuals) || (parse.GetValue(zph) && parse.GetValue(json)), "--residuals adds the per-event arrays of the proportional-hazards test to the JSON document; give it with --zph --json")
                .Within("--levels", levelOrder.Keys, "--covariates or --strata", strataColumn is null ? names : [.. names, strataColumn])
                .ThrowIfAny();

            var options = new CoxOptions
            {
                Ties = CommonOptions.ParseTies(parse.GetValue(ties)),
                ConfidenceLevel = KmCommand.ParseLevel(parse.GetValue(confLevel)),
                MaxIterations = Math.Max(1, parse.GetValue(maxIter)),
                TimeFix = CommonOptions.ParseTimeFix(parse.GetRequiredValue(timeFix)),
            };
            var needs = names.Select(n => new ColumnNeed(n, factorNames.Contains(n) || references.ContainsKey(n) || levelOrder.ContainsKey(n) ? ColumnKind.Factor : ColumnKind.Auto, Required: false)).ToList();
            if (strataColumn is not null)
            {
                needs.Insert(0, new ColumnNeed(strataColumn, ColumnKind.Factor, Required: true));
            }

            needs.AddRange(CoxCountingProcess.Needs(startColumn, weightsColumn, clusterColumn));
            var input = io.ReadColumns(parse.GetRequiredValue(data), parse.GetRequiredValue(time), parse.GetRequiredValue(ev), needs);
            Phases.Mark("read");
            var covs = new List<Covariate>();
            foreach (var name in names)
            {
                if (!input.IsNumeric(name))
                {
                    var factor = CommonOptions.Order(input.Factor(name), levelOrder, input.File);
                    if (references.TryGetValue(name, out var level))
                    {
                        if (!factor.Levels.Contains(level))
                        {
                            throw new InputException(InputProblem.Of(Path.GetFileName(input.File), null, name, level,
                                $"one of the levels {string.Join(", ", factor.Levels)} as the reference"));
                        }

                        factor = factor.WithReference(level);
                    }

                    covs.Add(new CategoricalCovariate(factor));
                }
                else
                {
                    covs.Add(new NumericCovariate(name, input.Numeric(name)));
                }
            }

            var s = strataColumn is null ? null : CommonOptions.Order(input.Factor(strataColumn), levelOrder, input.File);
            Phases.Mark("covariates");
            if (countingProcess)
            {
                CoxCountingProcess.Run(io, input, covs, s, options, startColumn, weightsColumn, clusterColumn,
                    parse.GetRequiredValue(time), parse.GetRequiredValue(ev), names, strataColumn, parse.GetValue(json));
                return ExitCodes.Ok;
            }

            var response = input.Response(null, s);
            var byCovariate = parse.GetValue(covariateTests) ? CoxCovariateTests.Test(response, covs, options) : null;
            var fit = byCovariate?.Fit ?? CoxRegression.Fit(response, covs, options);
            Phases.Mark("fit");
            var zphResult = parse.GetValue(zph)
                ? fit.Zph(ParseTransform(parse.GetRequiredValue(zphTransform)))
                : null;
            Phases.Mark("zph");
            var concordanceResult = parse.GetValue(concordance) ? fit.Concordance() : null;
            Phases.Mark("concordance");
            var firthFit = parse.GetValue(firth)
                ? CoxFirth.Fit(response, covs, new CoxFirthOptions { ConfidenceLevel = options.ConfidenceLevel, TimeFix = options.TimeFix })
                : null;
            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "cox",
                    version = JsonOutput.Version,
                    input = CommonOptions.InputSection(input),
                    time = parse.GetRequiredValue(time),
                    @event = parse.GetRequiredValue(ev),
                    covariates = names,
                    strata = strataColumn,
                    fit,
                    covariateTests = byCovariate?.Tests,
                    zph = zphResult is null ? null : JsonSummaries.Zph(zphResult, parse.GetValue(residuals)),
                    concordance = concordanceResult,
                    firth = firthFit,
                });
            }
            else
            {
                Print(io, input, fit, strataColumn);
                if (byCovariate is not null)
                {
                    PrintCovariateTests(io, byCovariate);
                }

                if (zphResult is not null)
                {
                    PrintZph(io, zphResult);
                }

                if (concordanceResult is not null)
                {
                    PrintConcordance(io, concordanceResult);
                }

                if (firthFit is not null)
                {
                    PrintFirth(io, firthFit);
                }
            }

            Phases.Mark("output");
            io.Warn(fit.Warnings);
            foreach (var test in byCovariate?.Tests ?? [])
            {
                io.Warn(test.Warnings);
            }

            if (firthFit is not null)
            {
                io.Warn(firthFit.Warnings, "Firth");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void PrintCovariateTests(CommandIo io, CoxCovariateTestResult r)
    {
        var o = io.Out;
        o.WriteLine();
        o.WriteLine("Each covariate as a whole (R drop1(fit, test = \"Chisq\"); Wald on its coefficients), same patients:");
        var t = new TextTable("covariate", "df", "LR chisq", "p (LR)", "Wald chisq", "p (Wald)");
        foreach (var c in r.Tests)
        {
            t.Add(c.Covariate, c.LikelihoodRatio.DegreesOfFreedom.ToString(CultureInfo.InvariantCulture), Fmt.N(c.LikelihoodRatio.Statistic, 3), Fmt.P(c.LikelihoodRatio.P), Fmt.N(c.Wald.Statistic, 3), Fmt.P(c.Wald.P));
        }

        o.Write(t.ToString());
    }

    private static void PrintFirth(CommandIo io, CoxFirthFit f)
    {
        var o = io.Out;
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Firth-penalised Cox regression (Heinze & Schemper 2001; Breslow ties, as R coxphf): n = {f.N}, events = {f.Events}; iterations {f.Iterations}{(f.Converged ? string.Empty : " (NOT converged)")}"));
        var level = (f.Options.ConfidenceLevel * 100).ToString("G3", CultureInfo.InvariantCulture);
        var t = new TextTable("term", "coef", "HR", $"{level}% lower (profile)", $"{level}% upper (profile)", "se(coef)", "p (penalised LR)");
        foreach (var r in f.Terms)
        {
            t.Add(r.Term, Fmt.N(r.Coef), Fmt.N(r.HazardRatio, 3), Fmt.N(r.Lower, 3), Fmt.N(r.Upper, 3), Fmt.N(r.StdError), Fmt.P(r.P));
        }

        o.Write(t.ToString());
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Penalised likelihood ratio test = {Fmt.N(f.LikelihoodRatio.Statistic, 2)} on {f.LikelihoodRatio.DegreesOfFreedom} df, p = {Fmt.P(f.LikelihoodRatio.P)}"));
    }

    private static void Print(CommandIo io, AnalysisData input, CoxFit fit, string? strataColumn)
    {
        var o = io.Out;
        o.WriteLine($"Cox proportional hazards regression: {Path.GetFileName(input.File)}");
        io.PrintRows(input);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n = {fit.N}, events = {fit.Events}; {fit.NDropped} incomplete rows dropped ({fit.EventsDropped} with an event); ties: {CommonOptions.TiesLabel(fit.Ties)}{(strataColumn is null ? string.Empty : $"; stratified by {strataColumn}")}"));
        o.WriteLine();
        var level = (fit.Options.ConfidenceLevel * 100).ToString("G3", CultureInfo.InvariantCulture);
        var t = new TextTable("term", "coef", "HR", $"{level}% lower", $"{level}% upper", "se(coef)", "z", "p");
        foreach (var r in fit.Terms)
        {
            t.Add(r.Term, Fmt.N(r.Coef), Fmt.N(r.HazardRatio, 3), Fmt.N(r.Lower, 3), Fmt.N(r.Upper, 3), Fmt.N(r.StdError), Fmt.N(r.Z, 3), Fmt.P(r.P));
        }

        o.Write(t.ToString());
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Log-likelihood: null {Fmt.N(fit.LogLikNull)}, model {Fmt.N(fit.LogLik)}; iterations {fit.Iterations}{(fit.Converged ? string.Empty : " (NOT converged)")}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Likelihood ratio test = {Fmt.N(fit.LikelihoodRatio.Statistic, 2)} on {fit.LikelihoodRatio.DegreesOfFreedom} df, p = {Fmt.P(fit.LikelihoodRatio.P)}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wald test            = {Fmt.N(fit.Wald.Statistic, 2)} on {fit.Wald.DegreesOfFreedom} df, p = {Fmt.P(fit.Wald.P)}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Score (log-rank) test = {Fmt.N(fit.Score.Statistic, 2)} on {fit.Score.DegreesOfFreedom} df, p = {Fmt.P(fit.Score.P)}"));
    }

    private static ZphTransform ParseTransform(string value) => value switch
    {
        "identity" => ZphTransform.Identity,
        "rank" => ZphTransform.Rank,
        "log" => ZphTransform.Log,
        _ => ZphTransform.Km,
    };

    private static void PrintZph(CommandIo io, CoxZphResult z)
    {
        var o = io.Out;
        o.WriteLine();
        o.WriteLine($"Proportional-hazards test (R cox.zph, transform = \"{z.Transform.ToString().ToLowerInvariant()}\"): scaled Schoenfeld residuals, {z.Time.Count} events");
        var t = new TextTable("covariate", "chisq", "df", "p");
        foreach (var r in z.Tests.Append(z.Global))
        {
            t.Add(r.Term, Fmt.N(r.ChiSquare, 3), r.Df.ToString(CultureInfo.InvariantCulture), Fmt.P(r.P));
        }

        o.Write(t.ToString());
        foreach (var r in z.Tests.Where(r => r.P < 0.05))
        {
            o.WriteLine($"Note: p < 0.05 for {r.Term}: its hazard ratio may change over time (proportional hazards questionable).");
        }
    }

    private static void PrintConcordance(CommandIo io, ConcordanceResult c)
    {
        var o = io.Out;
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Concordance (Harrell's C, R concordance(fit)) = {Fmt.N(c.C, 4)}, se = {Fmt.N(c.StdError, 4)}; pairs: concordant {c.Concordant}, discordant {c.Discordant}, tied.x {c.TiedX}, tied.y {c.TiedY}, tied.xy {c.TiedXY}"));
    }

    /// <summary>Parses --reference COLUMN=LEVEL values (comma-separated or repeated).</summary>
    internal static Dictionary<string, string> ParseReferences(string[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<CohortProblem>();
        foreach (var v in values.SelectMany(CommonOptions.List))
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == v.Length - 1)
            {
                problems.Add(InputProblem.Of("--reference", null, null, v, "COLUMN=LEVEL, e.g. celltype=squamous"));
                continue;
            }

            result[v[..eq]] = v[(eq + 1)..];
        }

        return problems.Count > 0 ? throw new InputException(problems) : result;
    }
}
