namespace Sarcostat.Survival;

/// <summary>One row of the log-rank table, as <c>print.survdiff</c> shows it.</summary>
/// <remarks>
/// R: <c>print(survdiff(...))</c> columns N, Observed, Expected, (O-E)^2/E, (O-E)^2/V. Observed and expected are
/// summed over strata. For ρ ≠ 0 both are weighted sums (Σ S(t−)^ρ·d), as R reports them; <see cref="Events"/>
/// keeps the plain count of events.
/// </remarks>
/// <param name="Level">The group's level (a level of the group <see cref="Factor"/>).</param>
/// <param name="N">Number of observations in the group that entered the test.</param>
/// <param name="Observed">Observed events, O = Σ_t w(t)·d_g(t) (weighted when ρ ≠ 0).</param>
/// <param name="Expected">Expected events under equal hazards, E = Σ_t w(t)·d(t)·n_g(t)/n(t).</param>
/// <param name="OMinusESquaredOverE">(O − E)²/E; NaN when E = 0 (as R).</param>
/// <param name="OMinusESquaredOverV">(O − E)²/V_gg with V_gg the group's diagonal element of <see cref="LogRankResult.Variance"/>; NaN when both are 0.</param>
/// <param name="Events">Number of events in the group (unweighted).</param>
public sealed record LogRankGroup(
    string Level,
    int N,
    double Observed,
    double Expected,
    double OMinusESquaredOverE,
    double OMinusESquaredOverV,
    int Events);
