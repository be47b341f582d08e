using System.Globalization;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Analysis;

/// <summary>What a univariate screen computes, and how (R's defaults unless set).</summary>
public sealed record UnivariateScreenOptions
{
    /// <summary>Run the log-rank test of each categorical variable (R <c>survdiff</c>). Default true.</summary>
    public bool LogRank { get; init; } = true;

    /// <summary>
    /// Fit the univariate Cox model of each categorical variable (R <c>coxph</c> with <c>drop1</c>). Default true.
    /// A numeric variable always gets its Cox model: it is its only test.
    /// </summary>
    public bool CoxModels { get; init; } = true;

    /// <summary>Fit a Kaplan-Meier curve per level of each categorical variable. Default false.</summary>
    public bool Curves { get; init; }

    /// <summary>Options of the Cox models (ties, confidence level, time handling).</summary>
    public CoxOptions Cox { get; init; } = new();

    /// <summary>Options of the log-rank tests.</summary>
    public LogRankOptions LogRankTest { get; init; } = new();

    /// <summary>Options of the Kaplan-Meier curves.</summary>
    public KaplanMeierOptions KaplanMeier { get; init; } = new();
}

/// <summary>Patients and events at one level of a variable (or, with a null level, among the patients with a known value).</summary>
/// <param name="Level">The level, or null for all known values.</param>
/// <param name="N">Patients.</param>
/// <param name="Events">Events among them.</param>
/// <param name="Curve">The level's Kaplan-Meier curve, when the screen fitted curves and the level has patients.</param>
public sealed record LevelSummary(string? Level, int N, int Events, KaplanMeierFit? Curve = null);

/// <summary>One variable of a univariate screen: its counts, the log-rank test and its univariate Cox model.</summary>
/// <param name="Variable">The variable.</param>
/// <param name="Known">Patients with a known value and their events.</param>
/// <param name="Missing">Patients with a missing value (left out of this variable's analyses).</param>
/// <param name="Levels">Categorical: every level in the variable's order (levels nobody has with n = 0); numeric: empty.</param>
/// <param name="LogRank">The log-rank test over the levels with patients, or null (not asked, fewer than two such levels, or not computable).</param>
/// <param name="Cox">The univariate Cox model, or null (not asked, or fewer than two levels with patients).</param>
/// <param name="Issues">This variable's statistical trouble, in the order met.</param>
public sealed record UnivariateVariableResult(
    AnalysisVariable Variable,
    LevelSummary Known,
    int Missing,
    IReadOnlyList<LevelSummary> Levels,
    LogRankResult? LogRank,
    CoxModelResult? Cox,
    IReadOnlyList<AnalysisIssue> Issues)
{
    /// <summary>The variable's term in its Cox model, or null.</summary>
    public ModelTerm? Term => Cox is { Terms.Count: 1 } ? Cox.Terms[0] : null;

    /// <summary>Whether the variable entered its Cox model with more than two levels.</summary>
    public bool IsMultiLevel => Term is { Levels.Count: > 2 };

    /// <summary>The log-rank p, or null.</summary>
    public double? LogRankP => LogRank?.P;

    /// <summary>
    /// The Cox p of the variable: the Wald p of its one coefficient (numeric, or two levels), the likelihood-ratio p
    /// of the factor as a whole for more than two levels; null without a model.
    /// </summary>
    public double? CoxP => Variable is NumericVariable
        ? Cox?.Term(Variable.Name, null)?.P
        : Term is not { } t || Cox?.Fit is null ? null
        : IsMultiLevel ? Cox.Fit.LikelihoodRatio.P
        : Cox.Term(Variable.Name, t.Levels[1])?.P;

    /// <summary>The likelihood-ratio p of the univariate model (the variable as a whole), or null.</summary>
    public double? LikelihoodRatioP => Variable is NumericVariable || Term is not null ? Cox?.Fit?.LikelihoodRatio.P : null;

    /// <summary>Why the log-rank test could not be run (the engine's words), or null.</summary>
    public string? LogRankProblem { get; init; }
}

/// <summary>
/// The univariate screen of a survival study: each variable on its own, its patients and events per level, the
/// log-rank test (R <c>survdiff</c>) beside its univariate Cox model (R <c>coxph</c>: hazard ratio and Wald p per
/// level, likelihood-ratio p of the factor as a whole). The one code path of the report's univariate tables, the
/// CLI's <c>univariate</c> command and the registry's API; layouts add labels and journal formatting.
/// </summary>
public static class UnivariateScreen
{
    /// <summary>Screens <paramref name="variables"/> against a survival response (the engine's one checked input).</summary>
    /// <param name="response">Time and status; rows it left out (a missing time or status) are left out of every variable's analysis too.</param>
    /// <param name="variables">The variables, each with one value per row of the response's input (<see cref="SurvivalResponse.Count"/>).</param>
    /// <param name="options">What to compute and how.</param>
    /// <returns>One result per variable, in the order given. Trouble is reported as issues beside each result, never thrown.</returns>
    /// <exception cref="ArgumentException">A variable's length differs from the response's.</exception>
    public static IReadOnlyList<UnivariateVariableResult> Run(SurvivalResponse response, IReadOnlyList<AnalysisVariable> variables, UnivariateScreenOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(options);
        var time = response.Time.ToArray();
        var status = response.Status.ToArray();
        return variables.Select(v => v.Count == response.Count
                ? Screen(time, status, response.Kept == response.Count ? v : v.At(response.Rows), options)
                : throw new ArgumentException($"Variable '{v.Name}' has {v.Count} values for {response.Count} rows.", nameof(variables)))
            .ToList();
    }

    /// <summary>As <see cref="Run(SurvivalResponse, IReadOnlyList{AnalysisVariable}, UnivariateScreenOptions)"/>, on arrays (a thin entry that builds the response).</summary>
    /// <exception cref="ArgumentException">Arrays or variables of different lengths.</exception>
    /// <exception cref="SurvivalResponseException">A time or status the engine cannot use (negative, not finite).</exception>
    public static IReadOnlyList<UnivariateVariableResult> Run(double[] time, bool[] status, IReadOnlyList<AnalysisVariable> variables, UnivariateScreenOptions options) =>
        Run(SurvivalResponse.Create(time, status), variables, options);

    private static UnivariateVariableResult Screen(double[] time, bool[] status, AnalysisVariable v, UnivariateScreenOptions options)
    {
        int known = 0, knownEvents = 0;
        for (int i = 0; i < time.Length; i++)
        {
            if (v.IsKnown(i))
            {
                known++;
                knownEvents += status[i] ? 1 : 0;
            }
        }

        var knownSummary = new LevelSummary(null, known, knownEvents);
        int missing = time.Length - known;
        if (v is NumericVariable)
        {
            var model = CoxModelAnalysis.Fit(time, status, [v], options.Cox);
            return new UnivariateVariableResult(v, knownSummary, missing, [], null, model, model.Issues);
        }

        var c = (CategoricalVariable)v;
        var n = new int[c.Levels.Count];
        var events = new int[c.Levels.Count];
        for (int i = 0; i < time.Length; i++)
        {
            int code = c.CodeOf(i);
            if (code >= 0)
            {
                n[code]++;
                events[code] += status[i] ? 1 : 0;
            }
        }

        var issues = new List<AnalysisIssue>();
        var present = new List<string>();
        for (int l = 0; l < c.Levels.Count; l++)
        {
            if (n[l] == 0)
            {
                continue;
            }

            present.Add(c.Levels[l]);
            if (events[l] == 0)
            {
                issues.Add(new AnalysisIssue(
                    "no-events-in-group",
                    AnalysisIssueSource.Data,
                    v.Name,
                    string.Create(CultureInfo.InvariantCulture, $"no event among the {n[l]} patient(s) with '{v.Name}' = '{c.Levels[l]}'; its survival curve stays at 1 and a hazard ratio against it is infinite or zero."))
                { Level = c.Levels[l], Count = n[l] });
            }
        }

        var group = present.Count > 0 ? CoxModelAnalysis.FactorOf(c, present) : null;
        Dictionary<string, KaplanMeierFit>? curves = null;
        if (options.Curves && group is not null)
        {
            var fits = KaplanMeier.FitByGroup(time, status, group, options.KaplanMeier).Fits;
            curves = present.Select((l, i) => (l, fits[i])).ToDictionary(x => x.l, x => x.Item2, StringComparer.Ordinal);
        }

        var levels = c.Levels.Select((l, i) => new LevelSummary(l, n[i], events[i], curves?.GetValueOrDefault(l))).ToList();
        if (present.Count < 2 && (options.LogRank || options.CoxModels))
        {
            issues.Add(new AnalysisIssue(
                "not-estimable",
                AnalysisIssueSource.Data,
                v.Name,
                string.Create(CultureInfo.InvariantCulture, $"'{v.Name}' has {present.Count} level(s) among the rows with a value; no test."))
            { Count = present.Count });
            return new UnivariateVariableResult(v, knownSummary, missing, levels, null, null, issues);
        }

        if (present.Count < 2)
        {
            return new UnivariateVariableResult(v, knownSummary, missing, levels, null, null, issues);
        }

        LogRankResult? logRank = null;
        string? logRankProblem = null;
        if (options.LogRank)
        {
            try
            {
                logRank = Survival.RankTests.LogRank.Test(time, status, group!, null, options.LogRankTest);

                // An eventless group is already reported above (no-events-in-group), in the study's words.
                issues.AddRange(logRank.Warnings.Where(w => w.Code != "group-without-events")
                    .Select(w => new AnalysisIssue(w.Code, AnalysisIssueSource.LogRank, v.Name, w.Message) { Detail = w.Message }));
            }
            catch (AnalysisDataException e)
            {
                logRankProblem = e.Message;
                issues.Add(new AnalysisIssue("test-not-run", AnalysisIssueSource.LogRank, v.Name, $"no log-rank test: {e.Message}") { Detail = e.Message });
            }
        }

        CoxModelResult? cox = null;
        if (options.CoxModels)
        {
            cox = CoxModelAnalysis.Fit(time, status, [v], options.Cox);
            issues.AddRange(cox.Issues);
        }

        return new UnivariateVariableResult(v, knownSummary, missing, levels, logRank, cox, issues) { LogRankProblem = logRankProblem };
    }
}
