using System.Globalization;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Study.Analysis;

/// <summary>How a variable entered a Cox model.</summary>
/// <param name="Variable">The variable.</param>
/// <param name="Levels">Categorical: the levels in the model, reference first (those present among the complete cases); numeric: empty.</param>
/// <param name="Counts">Categorical: patients per level among the complete cases; numeric: empty.</param>
public sealed record ModelTerm(AnalysisVariable Variable, IReadOnlyList<string> Levels, IReadOnlyDictionary<string, int> Counts)
{
    /// <summary>The reference level (categorical), or null.</summary>
    public string? Reference => Levels.Count > 0 ? Levels[0] : null;

    /// <summary>Whether the variable is categorical.</summary>
    public bool IsCategorical => Variable is CategoricalVariable;
}

/// <summary>A fitted (or unfittable) Cox model of several variables on their complete cases.</summary>
/// <param name="Fit">The fit, or null when it could not be fitted (<see cref="Problem"/> says why).</param>
/// <param name="Terms">The variables that entered, in the order given.</param>
/// <param name="Covariates">The covariates passed to the engine (the inputs of the model checks and of Firth's fit).</param>
/// <param name="Tests">The likelihood-ratio and Wald test of each covariate as a whole (R <c>drop1</c>); empty without a fit.</param>
/// <param name="Problem">Why no model was fitted (the engine's words), or null.</param>
/// <param name="Issues">Variables left out, absent references, the fit's and the tests' warnings, in that order.</param>
public sealed record CoxModelResult(
    CoxFit? Fit,
    IReadOnlyList<ModelTerm> Terms,
    IReadOnlyList<Covariate> Covariates,
    IReadOnlyList<CoxCovariateTest> Tests,
    string? Problem,
    IReadOnlyList<AnalysisIssue> Issues)
{
    /// <summary>The model's coefficient of <paramref name="variable"/> (at <paramref name="level"/> for a categorical one), or null.</summary>
    public CoxTerm? Term(string variable, string? level) =>
        Fit?.Terms.FirstOrDefault(t => t.Covariate == variable && t.Level == level);

    /// <summary>The likelihood-ratio test of <paramref name="variable"/> as a whole (R <c>drop1</c>), or null.</summary>
    public TestStatistic? FactorTest(string variable) =>
        Tests.FirstOrDefault(t => t.Covariate == variable)?.LikelihoodRatio;
}

/// <summary>
/// A Cox model of study variables: complete cases, each categorical variable with the levels present among them and
/// its reference first, the engine's fit and the test of each variable as a whole. The one code path of the report's
/// univariate and multivariate tables, the CLI's <c>univariate</c> and the registry's analyses.
/// </summary>
public static class CoxModelAnalysis
{
    /// <summary>
    /// Fits <c>coxph(Surv(time, status) ~ v1 + v2 + ...)</c> on the rows where every variable is known (R's
    /// <c>na.omit</c>), with <c>drop1(fit, test = "Chisq")</c> for each variable.
    /// </summary>
    /// <param name="time">Follow-up time per row.</param>
    /// <param name="status">Event (true) or censored per row.</param>
    /// <param name="variables">The variables, each with one value per row.</param>
    /// <param name="options">Ties, confidence level and time handling (R's defaults when not set).</param>
    /// <returns>
    /// The model. A categorical variable with fewer than two levels among the complete cases is left out
    /// (<c>not-estimable</c>); a declared reference nobody has is replaced by the first level present
    /// (<c>reference-absent</c>); data the engine cannot fit give no fit and a <c>model-not-fitted</c> issue.
    /// </returns>
    /// <exception cref="ArgumentException">A variable's length differs from the data's.</exception>
    public static CoxModelResult Fit(double[] time, bool[] status, IReadOnlyList<AnalysisVariable> variables, CoxOptions options) =>
        Fit(SurvivalResponse.Create(time, status), variables, options);

    /// <summary>As <see cref="Fit(double[], bool[], IReadOnlyList{AnalysisVariable}, CoxOptions)"/>, on a survival response (rows it left out are left out of the model).</summary>
    /// <param name="response">Time and status.</param>
    /// <param name="variables">The variables, one value per row of the response's input.</param>
    /// <param name="options">Ties, confidence level and time handling.</param>
    public static CoxModelResult Fit(SurvivalResponse response, IReadOnlyList<AnalysisVariable> variables, CoxOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var v in variables)
        {
            if (v.Count != response.Count)
            {
                throw new ArgumentException($"Variable '{v.Name}' has {v.Count} values for {response.Count} rows.", nameof(variables));
            }
        }

        if (response.Kept < response.Count)
        {
            variables = variables.Select(v => v.At(response.Rows)).ToList();
        }

        var time = response.Time.ToArray();
        var status = response.Status.ToArray();
        int n = time.Length;
        var complete = new bool[n];
        for (int i = 0; i < n; i++)
        {
            bool all = true;
            foreach (var v in variables)
            {
                all &= v.IsKnown(i);
            }

            complete[i] = all;
        }

        var issues = new List<AnalysisIssue>();
        var (terms, covariates) = Terms(variables, complete, issues);
        if (covariates.Count == 0)
        {
            return new CoxModelResult(null, terms, covariates, [], "no variable can enter the model", issues);
        }

        CoxCovariateTestResult result;
        try
        {
            result = CoxCovariateTests.Test(time, status, covariates, null, options);
        }
        catch (AnalysisDataException e)
        {
            issues.Add(new AnalysisIssue("model-not-fitted", AnalysisIssueSource.CoxModel, null, $"no Cox model: {e.Message}") { Detail = e.Message });
            return new CoxModelResult(null, terms, covariates, [], e.Message, issues);
        }

        issues.AddRange(result.Fit.Warnings.Select(w => new AnalysisIssue(w.Code, AnalysisIssueSource.CoxModel, null, w.Message) { Detail = w.Message }));
        foreach (var test in result.Tests)
        {
            issues.AddRange(test.Warnings.Select(w => new AnalysisIssue(
                w.Code,
                AnalysisIssueSource.CoxFactorTest,
                test.Covariate,
                $"likelihood-ratio test of '{test.Covariate}': {w.Message}")
            { Detail = w.Message }));
        }

        return new CoxModelResult(result.Fit, terms, covariates, result.Tests, null, issues);
    }

    /// <summary>
    /// How each variable enters the model on the rows marked <paramref name="complete"/>: the levels present there
    /// (reference first) with their counts, or left out (<c>not-estimable</c>) with fewer than two; a declared reference
    /// nobody has is replaced by the first level present (<c>reference-absent</c>). The covariates are over all rows.
    /// </summary>
    internal static (List<ModelTerm> Terms, List<Covariate> Covariates) Terms(IReadOnlyList<AnalysisVariable> variables, bool[] complete, List<AnalysisIssue> issues)
    {
        var terms = new List<ModelTerm>();
        var covariates = new List<Covariate>();
        foreach (var v in variables)
        {
            if (v is NumericVariable numeric)
            {
                terms.Add(new ModelTerm(v, [], new Dictionary<string, int>()));
                covariates.Add(new NumericCovariate(v.Name, numeric.Values));
                continue;
            }

            var c = (CategoricalVariable)v;
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < complete.Length; i++)
            {
                if (complete[i])
                {
                    var l = c.Levels[c.CodeOf(i)];
                    counts[l] = counts.GetValueOrDefault(l) + 1;
                }
            }

            var present = c.Levels.Where(counts.ContainsKey).ToList();
            if (present.Count < 2)
            {
                issues.Add(new AnalysisIssue(
                    "not-estimable",
                    AnalysisIssueSource.CoxModel,
                    v.Name,
                    string.Create(CultureInfo.InvariantCulture, $"'{v.Name}' has {present.Count} level(s) among the complete cases; it cannot enter the Cox model."))
                { Count = present.Count });
                continue;
            }

            var reference = c.Reference;
            if (reference is not null && !present.Contains(reference))
            {
                issues.Add(new AnalysisIssue(
                    "reference-absent",
                    AnalysisIssueSource.CoxModel,
                    v.Name,
                    $"the reference level '{reference}' of '{v.Name}' has no patient; '{present[0]}' is the reference instead.")
                { Level = reference });
                reference = null;
            }

            reference ??= present[0];
            var order = new List<string> { reference };
            order.AddRange(present.Where(l => l != reference));
            terms.Add(new ModelTerm(v, order, counts));
            covariates.Add(new CategoricalCovariate(FactorOf(c, order)));
        }

        return (terms, covariates);
    }

    /// <summary>The variable as an engine factor over <paramref name="levels"/> (other values and missing: code −1).</summary>
    internal static Factor FactorOf(CategoricalVariable v, IReadOnlyList<string> levels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < levels.Count; i++)
        {
            index[levels[i]] = i;
        }

        var codes = new int[v.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = v.Values[i] is { } l && index.TryGetValue(l, out var c) ? c : -1;
        }

        return Factor.FromCodes(v.Name, codes, [.. levels]);
    }
}
