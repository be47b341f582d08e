namespace Sarcostat.Survival.CompetingRisks;

/// <summary>
/// Gray's test that the cumulative incidence of one cause is the same in every group (Gray 1988, Ann Stat 16:1141).
/// R: one row of <c>cuminc(...)$Tests</c>.
/// </summary>
/// <param name="Cause">The cause tested.</param>
/// <param name="Statistic">s′V⁻¹s on the scores of the first k − 1 groups; NaN when V is singular (R reports −1 then).</param>
/// <param name="DegreesOfFreedom">Number of groups − 1.</param>
/// <param name="P">P(χ²(df) ≥ statistic); NaN when the statistic is.</param>
/// <param name="Stratified">Whether scores and variances were summed over strata.</param>
public sealed record GrayTest(string Cause, double Statistic, int DegreesOfFreedom, double P, bool Stratified);

/// <summary>
/// Cumulative incidence functions of every cause in every group, with Gray's test between groups per cause.
/// R: <c>cmprsk::cuminc(ftime, fstatus, group, strata, rho, cencode)</c>.
/// </summary>
public sealed class CumulativeIncidenceResult
{
    internal CumulativeIncidenceResult(
        IReadOnlyList<string> causes, IReadOnlyList<string> groups, IReadOnlyList<CumulativeIncidenceCurve> curves,
        IReadOnlyList<GrayTest> tests, int n, int dropped, int censored, string censorLevel, string? groupName, string? strataName,
        CumulativeIncidenceOptions options, IReadOnlyList<AnalysisWarning> warnings)
    {
        Causes = causes;
        Groups = groups;
        Curves = curves;
        Tests = tests;
        N = n;
        Dropped = dropped;
        Censored = censored;
        CensorLevel = censorLevel;
        GroupName = groupName;
        StrataName = strataName;
        Options = options;
        Warnings = warnings;
    }

    /// <summary>The causes: every status level other than the censoring level that occurs, in level order.</summary>
    public IReadOnlyList<string> Causes { get; }

    /// <summary>The groups that occur, in level order (empty without a grouping variable).</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>One curve per cause and group: cause after cause, groups in order within each (cmprsk's order).</summary>
    public IReadOnlyList<CumulativeIncidenceCurve> Curves { get; }

    /// <summary>Gray's test per cause, in <see cref="Causes"/> order; empty with fewer than two groups.</summary>
    public IReadOnlyList<GrayTest> Tests { get; }

    /// <summary>Rows used.</summary>
    public int N { get; }

    /// <summary>Rows left out for a missing status, group or stratum.</summary>
    public int Dropped { get; }

    /// <summary>Censored rows used.</summary>
    public int Censored { get; }

    /// <summary>The status level meaning censored.</summary>
    public string CensorLevel { get; }

    /// <summary>The grouping variable's name, or null.</summary>
    public string? GroupName { get; }

    /// <summary>The stratification variable's name (Gray's test only), or null.</summary>
    public string? StrataName { get; }

    /// <summary>The settings used.</summary>
    public CumulativeIncidenceOptions Options { get; }

    /// <summary>
    /// Statistical trouble: <c>gray-test-singular</c> (a test could not be computed), <c>gray-test-one-group</c> (a grouping
    /// variable with a single group among the rows used: no test).
    /// </summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <summary>The curve of a cause in a group (null group without groups), or null when there is none.</summary>
    public CumulativeIncidenceCurve? Curve(string cause, string? group = null) =>
        Curves.FirstOrDefault(c => c.Cause == cause && c.Group == group);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"CumulativeIncidenceResult(n={N}, causes={Causes.Count}, groups={Math.Max(1, Groups.Count)}, tests={Tests.Count})");
}
