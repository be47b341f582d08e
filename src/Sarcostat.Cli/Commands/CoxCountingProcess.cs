using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Cohort;
using Sarcostat.Survival;
using Sarcostat.Survival.CountingProcess;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Cli.Commands;

/// <summary>
/// <c>sarcostat cox --start COL [--weights COL] [--cluster COL]</c>: the Cox model on (start, stop] rows with case weights
/// and the robust variance clustered on a subject (R <c>coxph(Surv(start, stop, event) ~ x + cluster(id), weights = w)</c>).
/// </summary>
internal static class CoxCountingProcess
{
    /// <summary>Rule code: a row whose start time is not before its stop (--time) time.</summary>
    public const string StartNotBeforeStop = "start-not-before-stop";

    /// <summary>Rule code: a case weight that is zero, negative or infinite.</summary>
    public const string WeightNotPositive = "weight-not-positive";

    /// <summary>The extra columns to read: each is required (a row missing one is left out and counted, as R's na.omit).</summary>
    public static IEnumerable<ColumnNeed> Needs(string? start, string? weights, string? cluster)
    {
        if (start is not null)
        {
            yield return new ColumnNeed(start, ColumnKind.Auto, Required: true);
        }

        if (weights is not null)
        {
            yield return new ColumnNeed(weights, ColumnKind.Auto, Required: true);
        }

        if (cluster is not null)
        {
            yield return new ColumnNeed(cluster, ColumnKind.Factor, Required: true);
        }
    }

    /// <summary>Validates the columns (every problem at once), fits, and prints or writes JSON.</summary>
    public static void Run(
        CommandIo io, AnalysisData input, List<Covariate> covs, Factor? strata, CoxOptions options,
        string? start, string? weights, string? cluster, string timeColumn, string eventColumn, string[] names, string? strataColumn, bool json)
    {
        if (options.Ties is not (TieMethod.Efron or TieMethod.Breslow))
        {
            throw new UsageException(["--start, --weights and --cluster need --ties efron or breslow"]);
        }

        var file = input.File;
        var problems = new List<CohortProblem>();
        double[] t1 = start is null ? new double[input.RowsKept] : Numbers(input, start, problems);
        double[]? w = weights is null ? null : Numbers(input, weights, problems);
        if (problems.Count == 0)
        {
            for (int i = 0; i < input.RowsKept; i++)
            {
                if (start is not null && !(t1[i] < input.Time[i]))
                {
                    problems.Add(new CohortProblem(file, input.Rows[i], start,
                        StartNotBeforeStop, t1[i].ToString("R", CultureInfo.InvariantCulture),
                        string.Create(CultureInfo.InvariantCulture, $"a start time before the stop time in {timeColumn} ({input.Time[i]:R})"),
                        Severity.Error, "each (start, stop] row must have start < stop; a zero-length interval carries no risk"));
                }

                if (w is not null && !(w[i] > 0 && double.IsFinite(w[i])))
                {
                    problems.Add(new CohortProblem(file, input.Rows[i], weights,
                        WeightNotPositive, w[i].ToString("R", CultureInfo.InvariantCulture), "a finite case weight > 0", Severity.Error, null));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        var id = cluster is null ? null : input.Factor(cluster);
        CountingProcessCoxFit fit;
        try
        {
            fit = CountingProcessCox.Fit(t1, input.Time, input.Event, covs, strata, w, id, options: options);
        }
        catch (ZeroLengthIntervalException e) when (e.Row >= 0 && start is not null)
        {
            // Name the spreadsheet row rather than the engine's index.
            throw new InputException(new CohortProblem(file, input.Rows[e.Row], start, e.Code,
                t1[e.Row].ToString("R", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"a start time clearly before the stop time ({input.Time[e.Row]:R}); R's time fix merges times this close"),
                Severity.Error, "correct the times, or pass --timefix exact"));
        }

        Phases.Mark("fit");
        if (json)
        {
            io.Json(new
            {
                command = "cox",
                version = JsonOutput.Version,
                input = CommonOptions.InputSection(input),
                start,
                time = timeColumn,
                @event = eventColumn,
                covariates = names,
                strata = strataColumn,
                weights,
                cluster,
                countingProcess = fit,
            });
        }
        else
        {
            Print(io, input, fit, start, weights, cluster, strataColumn);
        }

        io.Warn(fit.Warnings);
    }

    /// <summary>A numeric column; text cells are problems naming the row (the column was read as a factor).</summary>
    private static double[] Numbers(AnalysisData input, string column, List<CohortProblem> problems)
    {
        if (input.IsNumeric(column))
        {
            return input.Numeric(column);
        }

        var text = input.Text(column);
        var values = new double[text.Count];
        for (int i = 0; i < text.Count; i++)
        {
            if (text[i] is not { } cell || !CsvTable.TryNumber(cell, out values[i]))
            {
                problems.Add(InputProblem.Of(input.File, input.Rows[i], column, text[i], "a number (with a dot for decimals)"));
            }
        }

        return values;
    }

    private static void Print(CommandIo io, AnalysisData input, CountingProcessCoxFit fit, string? start, string? weights, string? cluster, string? strataColumn)
    {
        var o = io.Out;
        o.WriteLine($"Cox proportional hazards regression{(start is null ? string.Empty : " on (start, stop] rows")}: {Path.GetFileName(input.File)}");
        io.PrintRows(input);
        var extras = new List<string>();
        if (strataColumn is not null)
        {
            extras.Add($"stratified by {strataColumn}");
        }

        if (weights is not null)
        {
            extras.Add($"case weights {weights}");
        }

        if (fit.Robust)
        {
            extras.Add(cluster is null
                ? "robust variance (each row its own cluster)"
                : string.Create(CultureInfo.InvariantCulture, $"robust variance clustered on {cluster} ({fit.Clusters} clusters)"));
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n = {fit.N} rows, events = {fit.Events}; {fit.NDropped} incomplete rows dropped ({fit.EventsDropped} with an event); ties: {(fit.Options.Ties == TieMethod.Efron ? "Efron (R default)" : "Breslow (SPSS)")}{(extras.Count == 0 ? string.Empty : "; " + string.Join("; ", extras))}"));
        o.WriteLine();
        var level = (fit.Options.ConfidenceLevel * 100).ToString("G3", CultureInfo.InvariantCulture);
        var t = fit.Robust
            ? new TextTable("term", "coef", "HR", $"{level}% lower", $"{level}% upper", "se(coef)", "robust se", "z", "p")
            : new TextTable("term", "coef", "HR", $"{level}% lower", $"{level}% upper", "se(coef)", "z", "p");
        foreach (var r in fit.Terms)
        {
            if (fit.Robust)
            {
                t.Add(r.Term, Fmt.N(r.Coef), Fmt.N(r.HazardRatio, 3), Fmt.N(r.Lower, 3), Fmt.N(r.Upper, 3), Fmt.N(r.StdError), Fmt.N(r.RobustStdError!.Value), Fmt.N(r.Z, 3), Fmt.P(r.P));
            }
            else
            {
                t.Add(r.Term, Fmt.N(r.Coef), Fmt.N(r.HazardRatio, 3), Fmt.N(r.Lower, 3), Fmt.N(r.Upper, 3), Fmt.N(r.StdError), Fmt.N(r.Z, 3), Fmt.P(r.P));
            }
        }

        o.Write(t.ToString());
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Log-likelihood: null {Fmt.N(fit.LogLikNull)}, model {Fmt.N(fit.LogLik)}; iterations {fit.Iterations}{(fit.Converged ? string.Empty : " (NOT converged)")}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Likelihood ratio test = {Fmt.N(fit.LikelihoodRatio.Statistic, 2)} on {fit.LikelihoodRatio.DegreesOfFreedom} df, p = {Fmt.P(fit.LikelihoodRatio.P)}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wald test{(fit.Robust ? " (robust)" : string.Empty)} = {Fmt.N(fit.Wald.Statistic, 2)} on {fit.Wald.DegreesOfFreedom} df, p = {Fmt.P(fit.Wald.P)}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Score (log-rank) test = {Fmt.N(fit.Score.Statistic, 2)} on {fit.Score.DegreesOfFreedom} df, p = {Fmt.P(fit.Score.P)}"));
        if (fit.RobustScore is { } rs)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Robust score test = {Fmt.N(rs.Statistic, 2)} on {rs.DegreesOfFreedom} df, p = {Fmt.P(rs.P)}"));
            o.WriteLine("(The likelihood ratio and score tests assume independent rows within a cluster; the Wald and robust score tests do not.)");
        }
    }
}
