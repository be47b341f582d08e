using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Survival;
using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Cli.Commands;

/// <summary>
/// The time and multi-valued status columns of a competing-risks command: loaded, validated (every problem at once) and
/// matched against the --cause and --censor values.
/// </summary>
internal sealed record CompetingRisksColumns(AnalysisData Input, double[] Time, Factor Status, string Cause, string Censor, IReadOnlyList<(string Level, int Count)> Counts)
{
    /// <summary>--status COL.</summary>
    public static Option<string> StatusOption() => new("--status")
    {
        Description = "Column holding the status: the --censor value for censored rows, any other value is the cause of an event (e.g. 0 = censored, 1 = death from sarcoma, 2 = death from other causes; numbers or words).",
        Required = true,
    };

    /// <summary>--censor VALUE.</summary>
    public static Option<string> CensorOption() => new("--censor")
    {
        Description = "The status value meaning censored (R cencode; default 0). It must occur in the status column.",
        DefaultValueFactory = _ => "0",
    };

    /// <summary>
    /// Loads the columns: rows with a missing time, status or required column are left out and counted; a time that is
    /// not a number or negative is a problem; the --cause value must occur in the status column, and so must --censor.
    /// Numeric status codes are matched as numbers (1 and 1.0 are the same cause).
    /// </summary>
    public static CompetingRisksColumns Load(CommandIo io, string file, string timeColumn, string statusColumn, string cause, string censor, IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        var table = io.ReadCsv(file);
        var input = AnalysisData.LoadColumns(table, [timeColumn, statusColumn, .. required], optional);
        var time = input.Numeric(timeColumn, "The time column holds the follow-up time, a number >= 0.");
        var problems = new List<CohortProblem>();
        var text = input.Text(timeColumn);
        for (int i = 0; i < time.Length; i++)
        {
            if (time[i] < 0)
            {
                problems.Add(InputProblem.Of(table.File, input.Rows[i], timeColumn, text[i], "a time >= 0", "A negative time usually means the dates are in the wrong order."));
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        var raw = input.Text(statusColumn);
        bool numeric = raw.All(v => v is null || CsvTable.TryNumber(v.Trim(), out _));
        var values = raw.Select(v => v is null ? null : Canonical(v, numeric)).ToArray();
        var status = Factor.FromValues(statusColumn, values);
        string causeLevel = Canonical(cause, numeric), censorLevel = Canonical(censor, numeric);
        var counts = status.Levels.Select((l, k) => (l, status.Codes.Count(c => c == k))).ToList();
        string shown = string.Join(", ", status.Levels);
        if (!status.Levels.Contains(censorLevel))
        {
            problems.Add(InputProblem.Of(table.File, null, statusColumn, censor,
                $"the censoring value (--censor) to occur in the status column, whose values are: {shown}",
                "Name the value that means censored with --censor."));
        }

        if (!status.Levels.Contains(causeLevel))
        {
            problems.Add(InputProblem.Of(table.File, null, statusColumn, cause,
                $"the cause of interest (--cause) to occur in the status column, whose values are: {shown}"));
        }
        else if (causeLevel == censorLevel)
        {
            problems.Add(InputProblem.Of(table.File, null, statusColumn, cause, "a cause different from the censoring value (--censor)"));
        }

        return problems.Count > 0 ? throw new InputException(problems) : new CompetingRisksColumns(input, time, status, causeLevel, censorLevel, counts);
    }

    /// <summary>A status value as compared: numbers in their shortest round-trip form, text trimmed.</summary>
    private static string Canonical(string value, bool numeric) =>
        numeric && CsvTable.TryNumber(value.Trim(), out var x) ? x.ToString("R", CultureInfo.InvariantCulture) : value.Trim();

    /// <summary>One line naming the censoring value and every cause with its count.</summary>
    public string Describe(string statusColumn) =>
        $"Status column '{statusColumn}': " + string.Join("; ", Counts.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Level} = {(c.Level == Censor ? "censored" : c.Level == Cause ? "cause of interest" : "competing cause")} ({c.Count} rows)")));

    /// <summary>A --conf-level value, checked.</summary>
    public static double Level(double level) =>
        level is > 0 and < 1 ? level : throw new InputException(InputProblem.Of("--conf-level", null, null, level.ToString(CultureInfo.InvariantCulture), "a level between 0 and 1, e.g. 0.95"));
}

/// <summary><c>sarcostat cuminc</c>: cumulative incidence of competing risks per cause and group, and Gray's test.</summary>
internal static class CumincCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var time = CommonOptions.Time();
        var status = CompetingRisksColumns.StatusOption();
        var cause = new Option<string>("--cause") { Description = "The status value of the cause of interest (e.g. 1 = death from sarcoma); listed first. Every other non-censoring value is a competing cause and gets its own curve too.", Required = true };
        var censor = CompetingRisksColumns.CensorOption();
        var group = new Option<string?>("--group") { Description = "Column whose levels get one curve per cause each, compared by Gray's test (R: cuminc(time, status, group))." };
        var strata = new Option<string?>("--strata") { Description = "Column of strata for Gray's test (R: cuminc(..., strata = col)); the curves are not stratified." };
        var at = new Option<string?>("--at") { Description = "Comma-separated times at which to report the cumulative incidence with CI, e.g. 12,36,60 (default: five evenly spaced round times)." };
        var confType = new Option<string>("--conf-type") { Description = "Pointwise CI: log-log (default; F^exp(+-z*se/(F log F)), inside 0..1) or plain (F +- z*se, clipped to 0..1).", DefaultValueFactory = _ => "log-log" };
        confType.AcceptOnlyFromAmong("log-log", "plain");
        var confLevel = new Option<double>("--conf-level") { Description = "Confidence level of the intervals (default 0.95).", DefaultValueFactory = _ => 0.95 };
        var rho = new Option<double>("--rho") { Description = "Power of Gray's test weight (1 - F(t-))^rho (R cuminc rho; default 0).", DefaultValueFactory = _ => 0 };
        var steps = new Option<bool>("--steps") { Description = "Also print every jump of every curve (time, estimate, variance); with --json, write each curve's steps (they are left out otherwise)." };
        var json = CommonOptions.Json();
        var cumincLevels = CommonOptions.Levels();
        var command = new Command("cuminc", "Cumulative incidence of competing risks (Aalen-Johansen; R cmprsk::cuminc): per cause and group with variance and CI at chosen times, and Gray's test between groups.")
        {
            data, time, status, cause, censor, group, strata, at, confType, confLevel, rho, steps, cumincLevels, json,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            string timeColumn = parse.GetRequiredValue(time), statusColumn = parse.GetRequiredValue(status);
            var groupColumn = parse.GetValue(group);
            var strataColumn = parse.GetValue(strata);
            new ArgumentChecks()
                .NotAlso("--status", [statusColumn], ("--time", timeColumn))
                .NotAlso("--group", groupColumn is null ? [] : [groupColumn], ("--time", timeColumn), ("--status", statusColumn))
                .NotAlso("--strata", strataColumn is null ? [] : [strataColumn], ("--time", timeColumn), ("--status", statusColumn), ("--group", groupColumn))
                .Require(strataColumn is null || groupColumn is not null, "--strata stratifies Gray's test between groups; give --group too")
                .Within("--levels", CommonOptions.ParseLevels(parse.GetValue(cumincLevels)).Keys, "--group", groupColumn is null ? [] : [groupColumn])
                .ThrowIfAny();
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(cumincLevels));
            var options = new CumulativeIncidenceOptions
            {
                ConfidenceLevel = CompetingRisksColumns.Level(parse.GetValue(confLevel)),
                Interval = parse.GetValue(confType) == "plain" ? CumulativeIncidenceInterval.Plain : CumulativeIncidenceInterval.LogLog,
                Rho = CheckRho(parse.GetValue(rho)),
            };
            var times = ParseTimes(parse.GetValue(at));
            var required = new[] { groupColumn, strataColumn }.OfType<string>().ToArray();
            var cols = CompetingRisksColumns.Load(io, parse.GetRequiredValue(data), timeColumn, statusColumn, parse.GetRequiredValue(cause), parse.GetRequiredValue(censor), required, []);
            var input = cols.Input;
            var result = CumulativeIncidence.Estimate(
                cols.Time, cols.Status, cols.Censor,
                groupColumn is null ? null : CommonOptions.Order(Factor.FromValues(groupColumn, input.Text(groupColumn)), levelOrder, input.File),
                strataColumn is null ? null : Factor.FromValues(strataColumn, input.Text(strataColumn)),
                options);
            times ??= DefaultTimes(result.Curves.Max(c => c.LastTime));

            // The cause of interest first, then the competing causes in level order.
            var curves = result.Curves.OrderBy(c => c.Cause == cols.Cause ? 0 : 1).ToList();
            var atRows = curves.Select(c => new { cause = c.Cause, group = c.Group, points = c.At(times) }).ToList();
            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "cuminc",
                    version = JsonOutput.Version,
                    input = CommonOptions.InputSection(input),
                    time = timeColumn,
                    status = statusColumn,
                    cause = cols.Cause,
                    censor = cols.Censor,
                    group = groupColumn,
                    strata = strataColumn,
                    options,
                    causes = result.Causes,
                    groups = result.Groups,
                    n = result.N,
                    curves = curves.Select(c => JsonSummaries.CumulativeIncidence(c, parse.GetValue(steps))).ToList(),
                    at = atRows,
                    tests = result.Tests,
                    warnings = result.Warnings,
                });
            }
            else
            {
                Print(io, cols, statusColumn, result, curves, times, options, parse.GetValue(steps));
            }

            io.Warn(result.Warnings);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static double CheckRho(double rho) =>
        double.IsFinite(rho) ? rho : throw new InputException(InputProblem.Of("--rho", null, null, rho.ToString(CultureInfo.InvariantCulture), "a finite number, e.g. 0"));

    private static void Print(CommandIo io, CompetingRisksColumns cols, string statusColumn, CumulativeIncidenceResult result, List<CumulativeIncidenceCurve> curves, double[] times, CumulativeIncidenceOptions options, bool steps)
    {
        var o = io.Out;
        o.WriteLine($"Cumulative incidence of competing risks (Aalen-Johansen; variance as R cmprsk::cuminc): {Path.GetFileName(cols.Input.File)}");
        io.PrintRows(cols.Input);
        o.WriteLine(cols.Describe(statusColumn));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Confidence intervals: {(options.Interval == CumulativeIncidenceInterval.Plain ? "plain" : "log-log")}, level {options.ConfidenceLevel}"));
        o.WriteLine();
        var t = new TextTable("cause", "group", "n", "events", "competing", "censored", "last time");
        foreach (var c in curves)
        {
            t.Add(Label(c.Cause, cols), c.Group ?? "all", Fmt.I(c.N), Fmt.I(c.Events), Fmt.I(c.CompetingEvents), Fmt.I(c.Censored), Fmt.G(c.LastTime));
        }

        o.Write(t.ToString());
        o.WriteLine();
        o.WriteLine("Cumulative incidence at chosen times (NA: beyond the group's last follow-up)");
        var a = new TextTable("cause", "group", "time", "incidence", "std.err", "lower", "upper");
        foreach (var c in curves)
        {
            foreach (var p in c.At(times))
            {
                a.Add(Label(c.Cause, cols), c.Group ?? "all", Fmt.G(p.Time), Fmt.N(p.Estimate), Fmt.N(p.StdErr), Fmt.N(p.Lower), Fmt.N(p.Upper));
            }
        }

        o.Write(a.ToString());
        if (result.Tests.Count > 0)
        {
            o.WriteLine();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Gray's test between groups of {result.GroupName} (R cuminc $Tests, rho = {options.Rho}){(result.StrataName is null ? string.Empty : $", stratified by {result.StrataName}")}"));
            var g = new TextTable("cause", "chisq", "df", "p");
            foreach (var test in result.Tests.OrderBy(x => x.Cause == cols.Cause ? 0 : 1))
            {
                g.Add(Label(test.Cause, cols), Fmt.N(test.Statistic, 3), Fmt.I(test.DegreesOfFreedom), Fmt.P(test.P));
            }

            o.Write(g.ToString());
        }

        if (steps)
        {
            foreach (var c in curves)
            {
                o.WriteLine();
                o.WriteLine($"Jumps of cause {c.Cause}{(c.Group is null ? string.Empty : $", group {c.Group}")}");
                var s = new TextTable("time", "incidence", "variance");
                foreach (var st in c.Steps)
                {
                    s.Add(Fmt.G(st.Time), Fmt.N(st.Estimate), Fmt.N(st.Variance, 6));
                }

                o.Write(s.ToString());
            }
        }
    }

    private static string Label(string cause, CompetingRisksColumns cols) => cause == cols.Cause ? cause + " (of interest)" : cause;

    /// <summary>Five evenly spaced round times up to <paramref name="max"/> (a step of 1, 2 or 5 times a power of ten).</summary>
    internal static double[] DefaultTimes(double max)
    {
        if (!(max > 0))
        {
            return [0];
        }

        double raw = max / 5, power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw * (1 - 1e-12));
        var result = new List<double>();
        for (int k = 1; k * step <= max * (1 + 1e-12) && result.Count < 5; k++)
        {
            // Through decimal, so that 3 x 0.1 prints as 0.3 (the double 0.1 converts to decimal 0.1).
            result.Add((double)(k * (decimal)step));
        }

        return [.. result];
    }

    /// <summary>Parses --at (null when absent).</summary>
    internal static double[]? ParseTimes(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var parts = CommonOptions.List(value);
        var result = new double[parts.Length];
        var problems = new List<CohortProblem>();
        for (int i = 0; i < parts.Length; i++)
        {
            if (!CsvTable.TryNumber(parts[i], out result[i]) || result[i] < 0)
            {
                problems.Add(InputProblem.Of("--at", null, null, parts[i], "a comma-separated list of times >= 0, e.g. 12,36,60"));
            }
        }

        if (parts.Length == 0)
        {
            problems.Add(InputProblem.Of("--at", null, null, value, "a comma-separated list of times >= 0, e.g. 12,36,60"));
        }

        return problems.Count > 0 ? throw new InputException(problems) : result;
    }
}

/// <summary><c>sarcostat crr</c>: the Fine-Gray subdistribution hazard model for one cause.</summary>
internal static class CrrCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var time = CommonOptions.Time();
        var status = CompetingRisksColumns.StatusOption();
        var cause = new Option<string>("--cause") { Description = "The status value of the cause of interest (R crr failcode); every other non-censoring value is a competing event.", Required = true };
        var censor = CompetingRisksColumns.CensorOption();
        var covariates = new Option<string>("--covariates") { Description = "Comma-separated covariate columns, e.g. age,sex,grade.", Required = true };
        var factors = new Option<string[]>("--factor")
        {
            Description = "Covariates to treat as categorical (dummy coded, first level the reference); comma-separated or repeated. Columns holding text are categorical anyway.",
            AllowMultipleArgumentsPerToken = false,
        };
        var reference = CommonOptions.Reference();
        var confLevel = CommonOptions.HazardRatioLevel();
        var maxIter = new Option<int>("--max-iterations") { Description = "Newton-Raphson step limit (R crr maxiter, default 10).", DefaultValueFactory = _ => 10 };
        var json = CommonOptions.Json();
        var crrLevels = CommonOptions.Levels();
        var command = new Command("crr", "Fine-Gray proportional subdistribution hazards model (R cmprsk::crr): coefficients, subdistribution hazard ratios with CI, sandwich SE, p; complete cases.")
        {
            data, time, status, cause, censor, covariates, factors, reference, crrLevels, confLevel, maxIter, json,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            string timeColumn = parse.GetRequiredValue(time), statusColumn = parse.GetRequiredValue(status);
            var names = CommonOptions.List(parse.GetRequiredValue(covariates));
            var factorList = (parse.GetValue(factors) ?? []).SelectMany(CommonOptions.List).ToList();
            var factorNames = factorList.ToHashSet(StringComparer.Ordinal);
            var references = CoxCommand.ParseReferences(parse.GetValue(reference) ?? []);
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(crrLevels));
            new ArgumentChecks()
                .Within("--levels", levelOrder.Keys, "--covariates", names)
                .Require(names.Length > 0, "--covariates needs at least one covariate column")
                .Distinct("--covariates", names)
                .NotAlso("--covariates", names, ("--time", timeColumn), ("--status", statusColumn))
                .NotAlso("--status", [statusColumn], ("--time", timeColumn))
                .Distinct("--factor", factorList)
                .Within("--factor", factorNames, "--covariates", names)
                .Within("--reference", references.Keys, "--covariates", names)
                .Require(parse.GetValue(maxIter) >= 0, "--max-iterations must be 0 or more")
                .ThrowIfAny();
            var options = new FineGrayOptions
            {
                ConfidenceLevel = CompetingRisksColumns.Level(parse.GetValue(confLevel)),
                MaxIterations = parse.GetValue(maxIter),
            };
            var cols = CompetingRisksColumns.Load(io, parse.GetRequiredValue(data), timeColumn, statusColumn, parse.GetRequiredValue(cause), parse.GetRequiredValue(censor), [], names);
            var input = cols.Input;
            var covs = new List<Covariate>();
            foreach (var name in names)
            {
                var text = input.Text(name);
                bool categorical = factorNames.Contains(name) || references.ContainsKey(name) || levelOrder.ContainsKey(name) || text.Any(v => v is not null && !CsvTable.TryNumber(v, out _));
                if (!categorical)
                {
                    covs.Add(new NumericCovariate(name, input.Numeric(name)));
                    continue;
                }

                var factor = CommonOptions.Order(Factor.FromValues(name, text), levelOrder, input.File);
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

            var fit = FineGray.Fit(cols.Time, cols.Status, cols.Cause, cols.Censor, covs, options);
            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "crr",
                    version = JsonOutput.Version,
                    input = CommonOptions.InputSection(input),
                    time = timeColumn,
                    status = statusColumn,
                    cause = cols.Cause,
                    censor = cols.Censor,
                    covariates = names,
                    fit,
                });
            }
            else
            {
                Print(io, cols, statusColumn, fit);
            }

            io.Warn(fit.Warnings);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(CommandIo io, CompetingRisksColumns cols, string statusColumn, FineGrayFit fit)
    {
        var o = io.Out;
        o.WriteLine($"Fine-Gray competing-risks regression (R cmprsk::crr): {Path.GetFileName(cols.Input.File)}");
        io.PrintRows(cols.Input);
        o.WriteLine(cols.Describe(statusColumn));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n = {fit.N}, events of cause {fit.FailLevel} = {fit.Events}, competing events = {fit.CompetingEvents}, censored = {fit.Censored}; {fit.NDropped} incomplete rows dropped"));
        o.WriteLine();
        var level = (fit.Options.ConfidenceLevel * 100).ToString("G3", CultureInfo.InvariantCulture);
        var t = new TextTable("term", "coef", "sHR", $"{level}% lower", $"{level}% upper", "se(coef)", "z", "p");
        foreach (var r in fit.Terms)
        {
            t.Add(r.Term, Fmt.N(r.Coef), Fmt.N(r.HazardRatio, 3), Fmt.N(r.Lower, 3), Fmt.N(r.Upper, 3), Fmt.N(r.StdError), Fmt.N(r.Z, 3), Fmt.P(r.P));
        }

        o.Write(t.ToString());
        o.WriteLine("(sHR: subdistribution hazard ratio; se from the sandwich variance)");
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pseudo log-likelihood: null {Fmt.N(fit.LogLikNull)}, model {Fmt.N(fit.LogLik)}; Newton-Raphson steps {fit.Iterations}{(fit.Converged ? string.Empty : " (NOT converged)")}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pseudo likelihood ratio test = {Fmt.N(fit.LikelihoodRatio.Statistic, 2)} on {fit.LikelihoodRatio.DegreesOfFreedom} df, p = {Fmt.P(fit.LikelihoodRatio.P)}"));
    }
}
