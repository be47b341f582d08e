using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Survival;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Cli.Commands;

/// <summary><c>sarcostat compare</c>: compares variables between groups (Fisher / chi-square; Student / Welch t, Mann-Whitney).</summary>
internal static class CompareCommand
{

    /// <summary>Builds the command.</summary>
    public static Command Create(CommandIo io)
    {
        var data = CommonOptions.Data();
        var by = new Option<string>("--by") { Description = "Column defining the groups (e.g. treatment). Rows where it is missing are left out and counted.", Required = true };
        var vars = new Option<string>("--vars") { Description = "Comma-separated columns to compare between the groups.", Required = true };
        var categorical = new Option<string?>("--categorical") { Description = "Columns to treat as categorical whatever they hold (comma-separated)." };
        var numeric = new Option<string?>("--numeric") { Description = $"Columns to treat as numeric even with few distinct values (comma-separated). By default text columns and number columns with at most {CommonOptions.MaxDistinctForCategorical} distinct values are categorical." };
        var json = CommonOptions.Json();
        var exact = new Option<string>("--exact")
        {
            Description = "How the Mann-Whitney p is computed: auto (R's rule: exact below 50 per group without ties), yes (exact; ties fall back to the normal approximation with a warning, as R), no (normal approximation with continuity and tie correction).",
            DefaultValueFactory = _ => "auto",
        };
        exact.AcceptOnlyFromAmong("auto", "yes", "no");
        var levels = CommonOptions.Levels();
        var command = new Command("compare", "Compares variables between groups: categorical by Fisher's exact test and Pearson chi-square (with and without Yates), numeric by Student's and Welch's t-tests and Mann-Whitney; with descriptive statistics per group.")
        {
            data, by, vars, categorical, numeric, levels, exact, json,
        };
        command.SetAction(parse => io.Guard(() =>
        {
            var byColumn = parse.GetRequiredValue(by);
            var names = CommonOptions.List(parse.GetRequiredValue(vars));
            var forceCat = CommonOptions.List(parse.GetValue(categorical)).ToHashSet(StringComparer.Ordinal);
            var forceNum = CommonOptions.List(parse.GetValue(numeric)).ToHashSet(StringComparer.Ordinal);
            var levelOrder = CommonOptions.ParseLevels(parse.GetValue(levels));
            forceCat.UnionWith(levelOrder.Keys.Where(k => k != byColumn));
            new ArgumentChecks()
                .Require(names.Length > 0, "--vars needs at least one column to compare")
                .Distinct("--vars", names)
                .NotAlso("--vars", names, ("--by", byColumn))
                .NotAlso("--categorical", forceCat, forceNum.Select(n => ("--numeric", (string?)n)).ToArray())
                .Within("--levels", levelOrder.Keys, "--by or --vars", [byColumn, .. names])
                .ThrowIfAny();

            var table = io.ReadCsv(parse.GetRequiredValue(data));
            var input = AnalysisData.LoadColumns(table, [byColumn], names);
            var group = CommonOptions.Order(Factor.FromValues(byColumn, input.Text(byColumn)), levelOrder, input.File);
            var results = new List<object>();
            var printed = new List<string>();
            foreach (var name in names.Where(n => n != byColumn))
            {
                var text = input.Text(name);
                var (isCategorical, why) = CommonOptions.Classify(input, name, forceCat, forceNum);

                if (isCategorical)
                {
                    var r = GroupComparison.Categorical(group, CommonOptions.Order(Factor.FromValues(name, text), levelOrder, input.File));
                    results.Add(new { variable = name, kind = "categorical", treatedAs = why, result = r });
                    printed.Add(PrintCategorical(name, why, r));
                }
                else
                {
                    var method = parse.GetValue(exact) switch
                    {
                        "yes" => MannWhitneyMethod.Exact,
                        "no" => MannWhitneyMethod.NormalApproximation,
                        _ => MannWhitneyMethod.Auto,
                    };
                    var r = GroupComparison.Numeric(group, name, input.Numeric(name), method);
                    results.Add(new { variable = name, kind = "numeric", treatedAs = why, result = r });
                    printed.Add(PrintNumeric(name, why, r));
                }
            }

            if (parse.GetValue(json))
            {
                io.Json(new { command = "compare", version = JsonOutput.Version, input = CommonOptions.InputSection(input), by = byColumn, groups = group.Levels, comparisons = results });
            }
            else
            {
                io.Out.WriteLine($"Comparison by {byColumn}: {Path.GetFileName(input.File)} (groups: {string.Join(", ", group.Levels)})");
                io.PrintRows(input);
                foreach (var p in printed)
                {
                    io.Out.WriteLine();
                    io.Out.Write(p);
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string PrintCategorical(string name, string why, CategoricalComparison r)
    {
        var sw = new StringWriter(CultureInfo.InvariantCulture);
        sw.WriteLine($"{name}: {why}");
        var header = r.ColumnLevels.Prepend("level").ToArray();
        var t = new TextTable(header);
        for (int i = 0; i < r.RowLevels.Count; i++)
        {
            var row = new List<string> { r.RowLevels[i] };
            for (int j = 0; j < r.ColumnLevels.Count; j++)
            {
                row.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Counts[i][j]} ({Fmt.N(r.ColumnPercents[i][j], 1)}%)"));
            }

            t.Add(row.ToArray());
        }

        var missing = new List<string> { "missing" };
        missing.AddRange(r.MissingByGroup.Select(Fmt.I));
        t.Add(missing.ToArray());
        sw.Write(t.ToString());
        sw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fisher's exact test p = {(r.Fisher is null ? "NA" : Fmt.P(r.Fisher.P))}"));
        if (r.ChiSquareUncorrected is not null)
        {
            sw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pearson chi-square = {Fmt.G(r.ChiSquareUncorrected.Statistic)} on {r.ChiSquareUncorrected.DegreesOfFreedom} df, p = {Fmt.P(r.ChiSquareUncorrected.P)}"));
        }

        if (r.ChiSquare is not null && r.ChiSquare.CorrectionApplied)
        {
            sw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Chi-square with Yates' continuity correction = {Fmt.G(r.ChiSquare.Statistic)} on {r.ChiSquare.DegreesOfFreedom} df, p = {Fmt.P(r.ChiSquare.P)}"));
        }

        foreach (var w in r.Warnings)
        {
            sw.WriteLine($"warning: {w.Message}");
        }

        return sw.ToString();
    }

    private static string PrintNumeric(string name, string why, NumericComparison r)
    {
        var sw = new StringWriter(CultureInfo.InvariantCulture);
        sw.WriteLine($"{name}: {why}");
        var t = new TextTable("group", "n", "missing", "mean", "sd", "median", "Q1", "Q3", "min", "max");
        for (int i = 0; i < r.GroupLevels.Count; i++)
        {
            var s = r.Groups[i];
            t.Add(r.GroupLevels[i], Fmt.I(s.N), Fmt.I(s.Missing), Fmt.G(s.Mean), Fmt.G(s.SD), Fmt.G(s.Median), Fmt.G(s.Q1), Fmt.G(s.Q3), Fmt.G(s.Min), Fmt.G(s.Max));
        }

        sw.Write(t.ToString());
        if (r.Student is not null)
        {
            sw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Student's t = {Fmt.G(r.Student.T)}, df = {Fmt.G(r.Student.DegreesOfFreedom)}, p = {Fmt.P(r.Student.P)}"));
        }

        if (r.Welch is not null)
        {
            sw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Welch's t = {Fmt.G(r.Welch.T)}, df = {Fmt.G(r.Welch.DegreesOfFreedom)}, p = {Fmt.P(r.Welch.P)}"));
        }

        if (r.MannWhitney is not null)
        {
            sw.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mann-Whitney W = {Fmt.G(r.MannWhitney.W)}, p = {Fmt.P(r.MannWhitney.P)} ({r.MannWhitney.Method}); normal approximation: z = {Fmt.G(r.MannWhitney.NormalZ)}, tie-corrected sigma = {Fmt.G(r.MannWhitney.Sigma)}"));
        }

        foreach (var w in r.Warnings)
        {
            sw.WriteLine($"warning: {w.Message}");
        }

        return sw.ToString();
    }
}
