using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Survival;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.Rmst;

namespace Sarcostat.Cli.Commands;

/// <summary><c>sarcostat km</c>: Kaplan-Meier estimates, medians with CI, survival at chosen times, by group.</summary>
internal static class KmCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var time = CommonOptions.Time();
        var ev = CommonOptions.Event();
        var group = new Option<string?>("--group") { Description = "Column whose levels get one curve each (R: survfit(Surv(time, event) ~ group))." };
        var confType = new Option<string>("--conf-type")
        {
            Description = "Pointwise CI for S(t): log (default, R survfit), log-log (lifelines, SAS, Stata), plain (SPSS).",
            DefaultValueFactory = _ => "log",
        };
        confType.AcceptOnlyFromAmong("log", "log-log", "plain");
        var confLevel = new Option<double>("--conf-level") { Description = "Confidence level of every interval (default 0.95).", DefaultValueFactory = _ => 0.95 };
        var medianCi = new Option<string>("--median-ci")
        {
            Description = "Median CI rule: r (default; where the CI curves cross 0.5, R quantile.survfit) or spss (median +- z*SE, SE by Collett's formula).",
            DefaultValueFactory = _ => "r",
        };
        medianCi.AcceptOnlyFromAmong("r", "spss");
        var at = new Option<string?>("--at") { Description = "Comma-separated times at which to report survival with CI and number at risk, e.g. 12,36,60." };
        var steps = new Option<bool>("--steps") { Description = "Also print the full survival table (every distinct time); with --json, write each curve's steps (they are left out otherwise)." };
        var rmst = new Option<string?>("--rmst")
        {
            Description = "Restricted mean survival time up to TAU per group (R: print(fit, rmean = TAU)), and for two groups their difference and ratio with CI and p (survRM2); 'common' = up to the largest observed time (R: rmean = \"common\").",
            HelpName = "TAU|common",
        };
        var timeFix = CommonOptions.TimeFix();
        timeFix.AcceptOnlyFromAmong("r", "exact");
        var json = CommonOptions.Json();

        var levels = CommonOptions.Levels();
        var command = new Command("km", "Kaplan-Meier survival: n, events, median with CI, survival at chosen times, median follow-up (reverse Kaplan-Meier); by group.")
        {
            data, time, ev, group, confType, confLevel, medianCi, at, steps, rmst, levels, timeFix, json,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var file = parse.GetRequiredValue(data);
            var groupColumn = parse.GetValue(group);
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(levels));
            new ArgumentChecks().Within("--levels", levelOrder.Keys, "--group", groupColumn is null ? [] : [groupColumn]).ThrowIfAny();
            var options = new KaplanMeierOptions
            {
                ConfidenceType = parse.GetValue(confType) switch { "log-log" => ConfidenceIntervalType.LogLog, "plain" => ConfidenceIntervalType.Plain, _ => ConfidenceIntervalType.Log },
                ConfidenceLevel = ParseLevel(parse.GetValue(confLevel)),
                MedianInterval = parse.GetValue(medianCi) == "spss" ? MedianInterval.Spss : MedianInterval.R,
                TimeFix = CommonOptions.ParseTimeFix(parse.GetRequiredValue(timeFix)),
            };
            var times = ParseTimes(parse.GetValue(at));
            var rmstOption = parse.GetValue(rmst);
            var (wantRmst, tau) = ParseRmst(rmstOption);
            var input = io.ReadColumns(file, parse.GetRequiredValue(time), parse.GetRequiredValue(ev), groupColumn is null ? [] : [new ColumnNeed(groupColumn, ColumnKind.Factor, Required: true)]);
            Phases.Mark("read");

            var response = input.Response(groupColumn is null ? null : CommonOptions.Order(input.Factor(groupColumn), levelOrder, input.File));
            IReadOnlyList<KaplanMeierFit> fits = groupColumn is null
                ? [KaplanMeier.Fit(response, options)]
                : KaplanMeier.FitByGroup(response, options).Fits;
            var followUp = KaplanMeier.FollowUp(response, options);
            var atRows = fits.Select(f => new { group = f.Group, points = f.At(times) }).ToList();
            var rmstSummary = wantRmst ? RestrictedMean.ByGroup(fits, tau, options.ConfidenceLevel) : null;

            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "km",
                    version = JsonOutput.Version,
                    input = CommonOptions.InputSection(input),
                    time = parse.GetRequiredValue(time),
                    @event = parse.GetRequiredValue(ev),
                    group = groupColumn,
                    options,
                    fits = fits.Select(f => JsonSummaries.KaplanMeier(f, parse.GetValue(steps))).ToList(),
                    at = atRows,
                    followUp = JsonSummaries.FollowUp(followUp, parse.GetValue(steps)),
                    rmst = rmstSummary,
                });
            }
            else
            {
                Print(io, input, fits, times, followUp, options, parse.GetValue(steps));
                if (rmstSummary is not null)
                {
                    PrintRmst(io, rmstSummary, groupColumn);
                }
            }

            foreach (var f in fits)
            {
                io.Warn(f.Warnings, f.Group is null ? null : $"group {f.Group}");
            }

            if (rmstSummary is not null)
            {
                io.Warn(rmstSummary.Warnings, "restricted mean");
            }

            Phases.Mark("output");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(CommandIo io, AnalysisData input, IReadOnlyList<KaplanMeierFit> fits, double[] times, FollowUpSummary followUp, KaplanMeierOptions options, bool steps)
    {
        var o = io.Out;
        o.WriteLine($"Kaplan-Meier estimate: {Path.GetFileName(input.File)}");
        io.PrintRows(input);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Confidence intervals: {Describe(options.ConfidenceType)}, level {options.ConfidenceLevel}; median CI: {(options.MedianInterval == MedianInterval.R ? "R (where the CI limits cross 0.5)" : "SPSS (median +- z*SE, Collett)")}"));
        o.WriteLine();
        var t = new TextTable("group", "n", "events", "censored", "median", "lower", "upper");
        foreach (var f in fits)
        {
            t.Add(f.Group ?? "all", Fmt.I(f.N), Fmt.I(f.Events), Fmt.I(f.Censored), Fmt.G(f.Median.Estimate), Fmt.G(f.Median.Lower), Fmt.G(f.Median.Upper));
        }

        o.Write(t.ToString());
        o.WriteLine("(NA: not reached)");
        if (times.Length > 0)
        {
            o.WriteLine();
            o.WriteLine("Survival at chosen times");
            var a = new TextTable("group", "time", "n.risk", "survival", "std.err", "lower", "upper");
            foreach (var f in fits)
            {
                foreach (var p in f.At(times))
                {
                    a.Add(f.Group ?? "all", Fmt.G(p.Time), Fmt.I(p.NRisk), Fmt.N(p.Survival), Fmt.N(p.StdErr), Fmt.N(p.Lower), Fmt.N(p.Upper));
                }
            }

            o.Write(a.ToString());
        }

        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Median follow-up (reverse Kaplan-Meier): {Fmt.G(followUp.Median.Estimate)} (95% CI {Fmt.G(followUp.Median.Lower)} to {Fmt.G(followUp.Median.Upper)}); median observed time {Fmt.G(followUp.ObservedMedian)} (range {Fmt.G(followUp.Minimum)} to {Fmt.G(followUp.Maximum)})"));
        if (steps)
        {
            foreach (var f in fits)
            {
                o.WriteLine();
                o.WriteLine(f.Group is null ? "Survival table" : $"Survival table, group {f.Group}");
                var s = new TextTable("time", "n.risk", "n.event", "n.censor", "survival", "std.err", "lower", "upper");
                foreach (var st in f.Steps)
                {
                    s.Add(Fmt.G(st.Time), Fmt.I(st.NRisk), Fmt.I(st.NEvent), Fmt.I(st.NCensor), Fmt.N(st.Survival), Fmt.N(st.StdErr), Fmt.N(st.Lower), Fmt.N(st.Upper));
                }

                o.Write(s.ToString());
            }
        }
    }

    private static void PrintRmst(CommandIo io, RmstSummary rmst, string? groupColumn)
    {
        var o = io.Out;
        string level = (rmst.ConfidenceLevel * 100).ToString("G4", CultureInfo.InvariantCulture);
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Restricted mean survival time up to tau = {Fmt.G(rmst.Tau)}{(rmst.TauIsCommonLastTime ? " (the largest observed time, R rmean = \"common\")" : string.Empty)}; R: print(fit, rmean = {Fmt.G(rmst.Tau)})"));
        var t = new TextTable("group", "rmst", "se", $"lower {level}%", $"upper {level}%");
        foreach (var g in rmst.Groups)
        {
            t.Add(g.Group ?? "all", Fmt.G(g.Mean), Fmt.G(g.StdErr), Fmt.G(g.Lower), Fmt.G(g.Upper));
        }

        o.Write(t.ToString());
        if (rmst.Contrast is { } c)
        {
            string other = $"{groupColumn} {c.Other}", reference = $"{groupColumn} {c.Reference}";
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Difference ({other} minus {reference}): {Fmt.G(c.Difference)} ({level}% CI {Fmt.G(c.DifferenceLower)} to {Fmt.G(c.DifferenceUpper)}), p = {(c.DifferenceP is double dp ? Fmt.P(dp) : "NA")}"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ratio ({other} over {reference}): {Fmt.G(c.Ratio)} ({level}% CI {Fmt.G(c.RatioLower)} to {Fmt.G(c.RatioUpper)}), p = {(c.RatioP is double rp ? Fmt.P(rp) : "NA")}"));
            o.WriteLine("(survRM2's method: normal difference; ratio on the log scale by the delta method)");
        }
    }

    /// <summary>
    /// The value of --rmst: absent (no restricted mean), "common" (R's rmean = "common": tau = the largest observed
    /// time) or a finite number &gt; 0.
    /// </summary>
    /// <exception cref="UsageException">Any other value.</exception>
    internal static (bool Wanted, double? Tau) ParseRmst(string? value)
    {
        if (value is null)
        {
            return (false, null);
        }

        if (string.Equals(value.Trim(), "common", StringComparison.OrdinalIgnoreCase))
        {
            return (true, null);
        }

        return CsvTable.TryNumber(value.Trim(), out double tau) && double.IsFinite(tau) && tau > 0
            ? (true, tau)
            : throw new UsageException($"--rmst must be a time > 0 (the end time tau, in the unit of --time) or 'common', not '{CohortProblem.Shown(value)}'");
    }

    private static string Describe(ConfidenceIntervalType t) => t switch
    {
        ConfidenceIntervalType.LogLog => "log-log",
        ConfidenceIntervalType.Plain => "plain",
        _ => "log (R default)",
    };

    internal static double ParseLevel(double level) =>
        level is > 0 and < 1 ? level : throw new InputException(InputProblem.Of("--conf-level", null, null, level.ToString(CultureInfo.InvariantCulture), "a level between 0 and 1, e.g. 0.95"));

    internal static double[] ParseTimes(string? value)
    {
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

        return problems.Count > 0 ? throw new InputException(problems) : result;
    }
}
