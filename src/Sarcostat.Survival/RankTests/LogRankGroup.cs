namespace Sarcostat.Survival.RankTests;

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
    int Events)
{
    /// <summary>O − E, observed minus expected events (summed over strata; weighted when ρ ≠ 0).</summary>
    /// <remarks>R: <c>rowSums(obs) - rowSums(exp)</c> of the <c>survdiff</c> object (<c>obs - exp</c> without strata).</remarks>
    public double OMinusE => Observed - Expected;
}

/// <summary>Observed and expected events of one stratum of a stratified test.</summary>
/// <param name="Stratum">The stratum's level (a level of the strata <see cref="Factor"/>).</param>
/// <param name="N">Number of observations of the stratum that entered the test (R: <c>survdiff(...)$strata</c>).</param>
/// <param name="Groups">Per group, in the order of <see cref="LogRankResult.Groups"/> (0 and 0 for a group absent
/// from the stratum).</param>
public sealed record LogRankStratum(string Stratum, int N, IReadOnlyList<LogRankStratumGroup> Groups);

/// <summary>One group's observed and expected events within one stratum.</summary>
/// <param name="Level">The group's level.</param>
/// <param name="Observed">Observed events in the stratum, Σ w·d_g (weighted when ρ ≠ 0). R: <c>survdiff(...)$obs[g, h]</c>.</param>
/// <param name="Expected">Expected events in the stratum, Σ w·d·n_g/n. R: <c>survdiff(...)$exp[g, h]</c>.</param>
public sealed record LogRankStratumGroup(string Level, double Observed, double Expected);
