using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Survival;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Cli.Commands;

/// <summary><c>sarcostat logrank</c>: the log-rank test (rho = 0) or Peto-Peto (rho = 1), optionally stratified.</summary>
internal static class LogRankCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var time = CommonOptions.Time();
        var ev = CommonOptions.Event();
        var group = new Option<string>("--group") { Description = "Column whose levels are compared.", Required = true };
        var rho = new Option<double>("--rho") { Description = "Weight S(t-)^rho: 0 = log-rank (default), 1 = Peto & Peto Gehan-Wilcoxon (R survdiff rho).", DefaultValueFactory = _ => 0 };
        var strata = new Option<string?>("--strata") { Description = "Column of strata: the test sums observed, expected and variance over strata (R: + strata(col))." };
        var timeFix = CommonOptions.TimeFix();
        timeFix.AcceptOnlyFromAmong("r", "exact");
        var json = CommonOptions.Json();
        var levels = CommonOptions.Levels();
        var command = new Command("logrank", "Log-rank test of k groups (R survdiff): observed, expected, variance, chi-square, df, p.")
        {
            data, time, ev, group, rho, strata, levels, timeFix, json,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var groupColumn = parse.GetRequiredValue(group);
            var strataColumn = parse.GetValue(strata);
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(levels));
            new ArgumentChecks().Within("--levels", levelOrder.Keys, "--group or --strata", strataColumn is null ? [groupColumn] : [groupColumn, strataColumn]).ThrowIfAny();
            var options = new LogRankOptions { Rho = parse.GetValue(rho), TimeFix = CommonOptions.ParseTimeFix(parse.GetRequiredValue(timeFix)) };
            var required = (strataColumn is null ? new[] { groupColumn } : [groupColumn, strataColumn]).Select(c => new ColumnNeed(c, ColumnKind.Factor, Required: true)).ToList();
            var input = io.ReadColumns(parse.GetRequiredValue(data), parse.GetRequiredValue(time), parse.GetRequiredValue(ev), required);
            Phases.Mark("read");
            var g = CommonOptions.Order(input.Factor(groupColumn), levelOrder, input.File);
            var s = strataColumn is null ? null : CommonOptions.Order(input.Factor(strataColumn), levelOrder, input.File);
            var result = LogRank.Test(input.Response(g, s), options);
            if (parse.GetValue(json))
            {
                io.Json(new
                {
                    command = "logrank",
                    version = JsonOutput.Version,
                    input = CommonOptions.InputSection(input),
                    time = parse.GetRequiredValue(time),
                    @event = parse.GetRequiredValue(ev),
                    group = groupColumn,
                    strata = strataColumn,
                    options,
                    result,
                });
            }
            else
            {
                var o = io.Out;
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(options.Rho == 0 ? "Log-rank test" : $"G-rho test, rho = {options.Rho}")} of {groupColumn}{(strataColumn is null ? string.Empty : $", stratified by {strataColumn}")}: {Path.GetFileName(input.File)}"));
                io.PrintRows(input);
                o.WriteLine();
                var t = new TextTable("group", "N", "Observed", "Expected", "(O-E)^2/E", "(O-E)^2/V");
                foreach (var r in result.Groups)
                {
                    t.Add(r.Level, Fmt.I(r.N), Fmt.G(r.Observed), Fmt.G(r.Expected), Fmt.G(r.OMinusESquaredOverE), Fmt.G(r.OMinusESquaredOverV));
                }

                o.Write(t.ToString());
                o.WriteLine();
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Chisq = {Fmt.G(result.ChiSquare)} on {result.DegreesOfFreedom} degrees of freedom, p = {Fmt.P(result.P)}"));
            }

            io.Warn(result.Warnings);
            Phases.Mark("output");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
