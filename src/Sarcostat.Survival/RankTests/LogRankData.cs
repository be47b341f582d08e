namespace Sarcostat.Survival.RankTests;

/// <summary>The rows that enter a log-rank test: rows with a group and a stratum, group codes compacted to the levels present.</summary>
internal sealed class LogRankData
{
    /// <summary>Times of the kept rows: as given (near-tie merged later), or, for <see cref="SurvivalResponse"/>, already
    /// sorted and merged (then only their number is read from here).</summary>
    public required double[] Time { get; init; }

    /// <summary>Per kept row: compact group index &lt;&lt; 1 | event.</summary>
    public required int[] Code { get; init; }

    /// <summary>Compact stratum index per kept row, or null when there is one stratum.</summary>
    public required int[]? Stratum { get; init; }

    /// <summary>Number of strata present (1 when not stratified).</summary>
    public required int StrataCount { get; init; }

    /// <summary>Labels of the strata present, in the strata factor's order; empty when not stratified.</summary>
    public string[] StrataLevels { get; init; } = [];

    /// <summary>Rows per stratum present (same order as <see cref="StrataLevels"/>); empty when not stratified.</summary>
    public int[] StrataN { get; init; } = [];

    /// <summary>The group levels present, in factor order.</summary>
    public required string[] Levels { get; init; }

    /// <summary>Rows per present level.</summary>
    public required int[] GroupN { get; init; }

    /// <summary>Levels of the factor without usable rows.</summary>
    public required List<string> EmptyLevels { get; init; }

    /// <summary>Rows left out for a missing group or stratum.</summary>
    public required int Dropped { get; init; }

    /// <summary>Whether every time (of all rows, kept or not) is a whole number.</summary>
    public required bool WholeTimes { get; init; }

    /// <summary>Smallest time over all rows (a lower bound for the kept rows); +∞ when there are none.</summary>
    public required double MinTime { get; init; }

    /// <summary>Largest time over all rows (an upper bound for the kept rows); −∞ when there are none.</summary>
    public required double MaxTime { get; init; }
}
