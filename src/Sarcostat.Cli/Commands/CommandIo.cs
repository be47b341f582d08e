using System.CommandLine;
using System.Globalization;
using Sarcostat.Cli.Input;
using Sarcostat.Cli.Output;
using Sarcostat.Survival;

namespace Sarcostat.Cli.Commands;

/// <summary>The output streams of one invocation, and the one place that turns failures into messages and exit codes.</summary>
internal sealed class CommandIo(TextWriter stdout, TextWriter stderr)
{
    /// <summary>Standard output: results.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error: problems and warnings.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>
    /// Runs a command body. Problems in the user's data become one line each on standard error and exit code 1;
    /// an output path refused before writing is one line and exit code 2 (a failure while writing, exit code 1);
    /// no stack trace is shown for them. Anything else is a bug and propagates.
    /// </summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            const int Shown = 50;
            foreach (var p in e.Problems.Take(Shown))
            {
                Error.WriteLine(p.ToString());
            }

            if (e.Problems.Count > Shown)
            {
                Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... and {e.Problems.Count - Shown} more problems ({e.Problems.Count} in all)."));
            }

            return ExitCodes.InputProblem;
        }
        catch (Files.Output.OutputException e)
        {
            // An output refused before anything ran is a usage error; a failure while writing is not.
            Error.WriteLine($"sarcostat: {e.Message}");
            return e.Refused ? ExitCodes.Usage : ExitCodes.InputProblem;
        }
        catch (UsageException e)
        {
            foreach (var m in e.Mistakes)
            {
                Error.WriteLine($"sarcostat: {m}.");
            }

            Error.WriteLine("Run 'sarcostat COMMAND --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (AnalysisDataException e)
        {
            Error.WriteLine($"sarcostat: {e.Message} [{e.Code}]");
            return ExitCodes.InputProblem;
        }
    }

    /// <summary>Reads a CSV input (<see cref="CsvTable.Read"/>) and prints its file-level warnings (e.g. read as Windows-1252) to standard error.</summary>
    public CsvTable ReadCsv(string path)
    {
        var table = CsvTable.Read(path);
        foreach (var w in table.Warnings)
        {
            Error.WriteLine(w.ToString());
        }

        return table;
    }

    /// <summary>
    /// Reads the time and event columns and the needed columns of a CSV file column by column (<see cref="ColumnarCsv"/>),
    /// printing the reader's warnings (a file read as Windows-1252).
    /// </summary>
    public AnalysisData ReadColumns(string path, string time, string @event, IReadOnlyList<ColumnNeed> needs)
    {
        Phases.Mark("start");
        return ColumnarCsv.Read(path, time, @event, needs, w => Error.WriteLine(w.ToString()));
    }

    /// <summary>Prints analysis warnings (never hidden) to standard error, one per line.</summary>
    public void Warn(IEnumerable<AnalysisWarning> warnings, string? context = null)
    {
        foreach (var w in warnings)
        {
            Error.WriteLine(context is null ? $"warning: {w.Message}" : $"warning ({context}): {w.Message}");
        }
    }

    /// <summary>Prints the summary of rows read, analysed and left out.</summary>
    public void PrintRows(AnalysisData data)
    {
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.RowsRead} rows read; {data.RowsKept} analysed; {data.RowsRead - data.RowsKept} left out"));
        foreach (var d in data.Dropped)
        {
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  left out, {d.Reason}: {d.Count} (rows {RowList(d.Rows)})"));
        }
    }

    /// <summary>Writes the JSON document.</summary>
    public void Json(object document) => JsonOutput.Write(Out, document);

    /// <summary>A short list of row numbers: the first ten, then a count.</summary>
    public static string RowList(IReadOnlyList<int> rows) =>
        string.Join(", ", rows.Take(10).Select(r => r.ToString(CultureInfo.InvariantCulture))) + (rows.Count > 10 ? string.Create(CultureInfo.InvariantCulture, $", ... {rows.Count - 10} more") : string.Empty);
}

/// <summary>Options shared by the survival commands.</summary>
internal static class CommonOptions
{
    /// <summary>The DATA.csv argument.</summary>
    public static Argument<string> Data() => new("DATA") { Description = "CSV file, one row per observation (any delimiter; header row; empty or NA = missing)." };

    /// <summary>--time COL.</summary>
    public static Option<string> Time() => new("--time") { Description = "Column holding the follow-up time (a number >= 0, any unit).", Required = true };

    /// <summary>--event COL.</summary>
    public static Option<string> Event() => new("--event") { Description = "Column holding the event indicator: 1 = event (e.g. death), 0 = censored.", Required = true };

    /// <summary>--json.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print a JSON document with every number at full precision instead of tables (see docs/cli.md)." };

    /// <summary>--timefix r|exact.</summary>
    public static Option<string> TimeFix() => new("--timefix")
    {
        Description = "r (default): merge times that differ only by round-off, as R's timefix = TRUE (aeqSurv); exact: use times as given.",
        DefaultValueFactory = _ => "r",
    };

    /// <summary>Parses a --timefix value (already restricted by AcceptOnlyFromAmong).</summary>
    public static Survival.TimeFix ParseTimeFix(string value) => value == "exact" ? Survival.TimeFix.Exact : Survival.TimeFix.R;

    /// <summary>--ties of the Cox models: efron (R's default), breslow or exact.</summary>
    public static Option<string> Ties()
    {
        var ties = new Option<string>("--ties")
        {
            Description = "Tied event times in Cox models: efron (default, R), breslow (SPSS, Stata, SAS) or exact (R ties = \"exact\": the exact partial likelihood, for few, heavily tied times; slow with many tied deaths).",
            DefaultValueFactory = _ => "efron",
        };
        ties.AcceptOnlyFromAmong("efron", "breslow", "exact");
        return ties;
    }

    /// <summary>The tie method an --ties value names.</summary>
    public static TieMethod ParseTies(string? value) => value switch
    {
        "breslow" => TieMethod.Breslow,
        "exact" => TieMethod.Exact,
        _ => TieMethod.Efron,
    };

    /// <summary>How the text output names a tie method.</summary>
    public static string TiesLabel(TieMethod ties) => ties switch
    {
        TieMethod.Breslow => "Breslow (SPSS)",
        TieMethod.Exact => "exact partial likelihood (R ties = \"exact\")",
        _ => "Efron (R default)",
    };

    /// <summary>--conf-level of hazard-ratio intervals.</summary>
    public static Option<double> HazardRatioLevel() =>
        new("--conf-level") { Description = "Confidence level of the hazard-ratio intervals (default 0.95).", DefaultValueFactory = _ => 0.95 };

    /// <summary>--reference COLUMN=LEVEL of categorical columns (parse with CoxCommand.ParseReferences).</summary>
    public static Option<string[]> Reference() =>
        new("--reference") { Description = "Reference level of a categorical column, as COLUMN=LEVEL; repeat for several. Default: the first level in sorted order (numeric order for numeric codes)." };

    /// <summary>The <c>--levels</c> option: the level order of categorical columns (R <c>factor(x, levels = ...)</c>).</summary>
    public static Option<string[]> Levels() =>
        new("--levels")
        {
            Description = "Level order of a categorical column, as COLUMN=L1,L2,...: the first level is the reference (and the first group of a two-group comparison); repeat the option for several columns. It must name each level of the column once. Default: numeric order for numeric codes, otherwise byte order (so Lev, Lev+5FU, Obs).",
            AllowMultipleArgumentsPerToken = false,
        };

    /// <summary>Parses <c>--levels COLUMN=L1,L2,...</c> values (repeatable); a value without "=" or a column given twice is a usage error.</summary>
    public static Dictionary<string, string[]> ParseLevels(string[]? values)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var mistakes = new List<string>();
        foreach (var v in values ?? [])
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == v.Length - 1)
            {
                mistakes.Add($"--levels needs COLUMN=L1,L2,... (e.g. rx=Obs,Lev,Lev+5FU), not '{Files.Output.SafeText.Escape(v)}'");
                continue;
            }

            var column = v[..eq].Trim();
            if (!result.TryAdd(column, [.. v[(eq + 1)..].Split(',').Select(l => l.Trim())]))
            {
                mistakes.Add($"--levels gives the order of '{Files.Output.SafeText.Escape(column)}' twice");
            }
        }

        return mistakes.Count > 0 ? throw new UsageException(mistakes) : result;
    }

    /// <summary>
    /// The factor with the level order <c>--levels</c> gives for its column (<see cref="Factor.WithLevels"/>), or as it
    /// is; an order that does not name each level of the data once is an input problem naming the levels found.
    /// </summary>
    public static Factor Order(Factor factor, IReadOnlyDictionary<string, string[]> levels, string file)
    {
        if (!levels.TryGetValue(factor.Name, out var order))
        {
            return factor;
        }

        try
        {
            return factor.WithLevels(order);
        }
        catch (ArgumentException e)
        {
            throw new InputException(InputProblem.Of(Path.GetFileName(file), null, factor.Name, string.Join(",", order),
                $"an order naming each level of the column once ({string.Join(", ", factor.Levels)})", e.Message));
        }
    }

    /// <summary>A number column with at most this many distinct values is categorical unless --numeric says otherwise.</summary>
    public const int MaxDistinctForCategorical = 5;

    /// <summary>
    /// Whether a column is analysed as categorical, and why: --categorical / --numeric first; then a column holding text,
    /// or numbers with at most <see cref="MaxDistinctForCategorical"/> distinct values, is categorical.
    /// </summary>
    public static (bool Categorical, string Why) Classify(AnalysisData input, string name, IReadOnlySet<string> forceCategorical, IReadOnlySet<string> forceNumeric)
    {
        var present = input.Text(name).Where(v => v is not null).Select(v => v!).ToList();
        if (forceCategorical.Contains(name))
        {
            return (true, "categorical (--categorical)");
        }

        if (forceNumeric.Contains(name))
        {
            input.Numeric(name); // fails with every non-number listed
            return (false, "numeric (--numeric)");
        }

        if (!present.TrueForAll(v => CsvTable.TryNumber(v, out _)))
        {
            return (true, "categorical (holds text)");
        }

        int distinct = present.Distinct(StringComparer.Ordinal).Count();
        return distinct <= MaxDistinctForCategorical
            ? (true, string.Create(CultureInfo.InvariantCulture, $"categorical ({distinct} distinct values; --numeric to override)"))
            : (false, "numeric");
    }

    /// <summary>Splits a comma-separated list, trimming blanks.</summary>
    public static string[] List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The input section of every JSON document.</summary>
    public static object InputSection(AnalysisData data) => new
    {
        file = Path.GetFileName(data.File),
        rowsRead = data.RowsRead,
        rowsAnalysed = data.RowsKept,
        dropped = data.Dropped,
    };
}
