using System.Globalization;
using MathNet.Numerics;

namespace Sarcostat.Survival.RankTests;

/// <summary>
/// The k-sample G^ρ family of tests for equal survival: the log-rank test (ρ = 0) and the Peto &amp; Peto
/// modification of the Gehan-Wilcoxon test (ρ = 1), optionally stratified.
/// </summary>
public static class LogRank
{
    /// <summary>
    /// Tests whether the survival curves of the groups differ, optionally within strata.
    /// </summary>
    /// <remarks>
    /// <para>
    /// At every distinct event time t of a stratum, with n(t) at risk, d(t) events, n_g(t) at risk and d_g(t) events in
    /// group g, and weight w(t) = S(t−)^ρ (S the Kaplan-Meier estimate of the stratum's pooled data, left-continuous):
    /// O_g = Σ w·d_g, E_g = Σ w·d·n_g/n, V_gh = Σ w²·d·(n − d)/(n − 1)·(n_g/n)·(δ_gh − n_h/n) (the hypergeometric
    /// variance; times with n = 1 add nothing to V). O, E and V are summed over strata.
    /// The statistic is (O − E)ᵀ V⁻ (O − E) over the groups with E &gt; 0 with the first of them left out, on
    /// (number of groups with E &gt; 0) − 1 degrees of freedom.
    /// </para>
    /// <para>R: <c>survdiff(Surv(time, status) ~ group + strata(strata), rho = Rho, timefix = TRUE)</c>.</para>
    /// <para>
    /// Rows whose group or stratum is missing (code −1) are left out and counted in <see cref="LogRankResult.NDropped"/>;
    /// near-ties are merged afterwards (<see cref="TimeFixer"/>), as R applies <c>aeqSurv</c> to the model frame.
    /// Cost: one sort (<see cref="TimeSort"/>; none for whole-number times in a narrow range), then O(n·k) plus O(D·k²)
    /// for D distinct event times. A thin entry over <see cref="Test(SurvivalResponse, LogRankOptions?)"/>; a
    /// <see cref="SurvivalResponse"/> sorts once for log-rank and Kaplan-Meier on the same data.
    /// </para>
    /// </remarks>
    /// <param name="time">Follow-up times; finite and non-negative.</param>
    /// <param name="status">Event indicator: true = event, false = censored.</param>
    /// <param name="group">The groups to compare.</param>
    /// <param name="strata">Optional strata: the test compares groups within each stratum and sums over strata.</param>
    /// <param name="options">ρ and the near-tie rule; R's defaults when null.</param>
    /// <returns>The table of observed and expected events, the variance matrix and the chi-square test.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Lengths differ, or ρ is not finite.</exception>
    /// <exception cref="SurvivalResponseException">A time is negative, NaN or infinite (the message names the index and value).</exception>
    /// <exception cref="InsufficientGroupsException">Fewer than two groups have a usable observation.</exception>
    public static LogRankResult Test(
        IReadOnlyList<double> time,
        IReadOnlyList<bool> status,
        Factor group,
        Factor? strata = null,
        LogRankOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        options ??= new LogRankOptions();
        CheckRho(options);
        return Test(SurvivalResponse.Create(time, status, group, strata), options);
    }

    /// <summary>
    /// Tests whether the survival curves of the response's groups differ, within its strata when it has them. Rows
    /// the response left out (missing time, status, group or stratum) are counted in <see cref="LogRankResult.NDropped"/>.
    /// </summary>
    /// <param name="response">Time, status and group (required), optional strata, checked.</param>
    /// <param name="options">ρ and the near-tie rule; R's defaults when null.</param>
    /// <returns>The table of observed and expected events, the variance matrix and the chi-square test.</returns>
    /// <remarks>
    /// R: <c>survdiff(Surv(time, status) ~ group + strata(s), rho = Rho, timefix = TRUE)</c>. Without strata, a response
    /// already sorted (by <c>KaplanMeier.FitByGroup</c>) is not sorted again: O(n·k + D·k²). Otherwise the rows are
    /// accumulated as given (<see cref="LogRankAccumulator"/>: no sort for whole-number times in a narrow range).
    /// Both paths give the same numbers bit for bit (tests/Sarcostat.Survival.Tests/SurvivalResponseTests.cs).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentException">The response has no group, or ρ is not finite.</exception>
    /// <exception cref="InsufficientGroupsException">Fewer than two groups have a usable observation.</exception>
    public static LogRankResult Test(SurvivalResponse response, LogRankOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        options ??= new LogRankOptions();
        CheckRho(options);
        var group = response.Group ?? throw new ArgumentException(
            "The response has no group: build it with the group factor to compare.", nameof(response));
        var strata = response.Strata;
        if (strata is not null || !response.IsSorted)
        {
            double[] t = response.TimeArray;
            bool[] s = response.StatusArray;
            int[] g = group.Codes as int[] ?? [.. group.Codes];
            int[]? st = strata is null ? null : strata.Codes as int[] ?? [.. strata.Codes];
            var data = Prepare(t, s, g, st, group, strata, response.DroppedCount);
            var warnings = EmptyLevelWarnings(data, group);
            var acc = LogRankAccumulator.Accumulate(data, options);
            return Summarise(data, acc, options.Rho, strata is not null, group.Name, warnings);
        }

        return TestSorted(response, group, options);
    }

    /// <summary>Log-rank without strata on the response's sorted rows (the sort shared with Kaplan-Meier).</summary>
    private static LogRankResult TestSorted(SurvivalResponse response, Factor group, LogRankOptions options)
    {
        var sorted = response.Sorted;
        var (map, levels, groupN, empty) = PresentLevels(group, sorted.GroupSizes, response.DroppedCount);

        // Codes compacted to the levels present (a pass only when a level is empty).
        int[] code = sorted.Code;
        if (empty.Count > 0)
        {
            var compact = GC.AllocateUninitializedArray<int>(code.Length);
            for (int i = 0; i < code.Length; i++)
            {
                int c = code[i];
                compact[i] = (map[c >> 1] << 1) | (c & 1);
            }

            code = compact;
        }

        var times = sorted.Times(options.TimeFix).Time;
        var prepared = new LogRankData
        {
            Time = times,
            Code = code,
            Stratum = null,
            StrataCount = 1,
            Levels = [.. levels],
            GroupN = [.. groupN],
            EmptyLevels = empty,
            Dropped = response.DroppedCount,
            WholeTimes = false,
            MinTime = times.Length == 0 ? double.PositiveInfinity : times[0],
            MaxTime = times.Length == 0 ? double.NegativeInfinity : times[^1],
        };
        var warnings = EmptyLevelWarnings(prepared, group);
        var sums = LogRankAccumulator.AccumulateSorted(times, code, levels.Count, options.Rho);
        return Summarise(prepared, sums, options.Rho, false, group.Name, warnings);
    }

    private static void CheckRho(LogRankOptions options)
    {
        if (!double.IsFinite(options.Rho))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Rho must be finite; it is {options.Rho}."), nameof(options));
        }
    }

    private static List<AnalysisWarning> EmptyLevelWarnings(LogRankData data, Factor group)
    {
        var warnings = new List<AnalysisWarning>();
        if (data.EmptyLevels.Count > 0)
        {
            warnings.Add(new AnalysisWarning(
                "empty-group-level",
                $"Level(s) {Quote(data.EmptyLevels)} of '{group.Name}' have no usable observations and are left out, as R does."));
        }

        return warnings;
    }

    /// <summary>
    /// The levels with at least one usable row, in factor order: a map from factor code to compact index (−1 for an
    /// empty level), their labels and sizes, and the empty levels' labels. Throws when fewer than two remain.
    /// </summary>
    private static (int[] Map, List<string> Levels, List<int> GroupN, List<string> Empty) PresentLevels(
        Factor group, int[] perLevel, int dropped)
    {
        int levelCount = group.Levels.Count;
        var map = new int[levelCount];
        var levels = new List<string>();
        var groupN = new List<int>();
        var empty = new List<string>();
        for (int c = 0; c < levelCount; c++)
        {
            if (perLevel[c] > 0)
            {
                map[c] = levels.Count;
                levels.Add(group.Levels[c]);
                groupN.Add(perLevel[c]);
            }
            else
            {
                map[c] = -1;
                empty.Add(group.Levels[c]);
            }
        }

        if (levels.Count < 2)
        {
            throw new InsufficientGroupsException(group.Name, levels, dropped);
        }

        return (map, levels, groupN, empty);
    }

    private static string Quote(IEnumerable<string> levels) => string.Join(", ", levels.Select(l => $"'{l}'"));

    /// <summary>
    /// One pass over all rows: checks the times, finds their range and whether all are whole numbers, counts rows per
    /// level and stratum, and packs group and status; a second pass compacts only when rows or levels drop out.
    /// </summary>
    private static LogRankData Prepare(double[] time, bool[] s, int[] g, int[]? st, Factor group, Factor? strata, int droppedBefore)
    {
        var t = time;
        int rows = t.Length;
        int levelCount = group.Levels.Count;
        var perLevel = new int[levelCount];
        int[]? perStratum = strata is null ? null : new int[strata.Levels.Count];
        var code = GC.AllocateUninitializedArray<int>(rows);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        bool whole = true;
        int kept = 0;
        for (int i = 0; i < rows; i++)
        {
            double ti = t[i];
            if (!double.IsFinite(ti))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] is {ti}; times must be finite."), nameof(time));
            }

            if (ti < min)
            {
                min = ti;
            }

            if (ti > max)
            {
                max = ti;
            }

            whole &= ti == Math.Floor(ti);
            int c = g[i];
            code[i] = (c << 1) | (s[i] ? 1 : 0);
            if (c < 0)
            {
                continue;
            }

            if (st is not null)
            {
                int sc = st[i];
                if (sc < 0)
                {
                    continue;
                }

                perStratum![sc]++;
            }

            perLevel[c]++;
            kept++;
        }

        int dropped = rows - kept;
        var (map, levels, groupN, empty) = PresentLevels(group, perLevel, dropped + droppedBefore);

        // Strata: compact to the strata present; a single stratum needs no index.
        int strataCount = 1;
        int[]? stratumMap = null;
        var strataLevels = new List<string>();
        var strataN = new List<int>();
        if (perStratum is not null)
        {
            stratumMap = new int[perStratum.Length];
            strataCount = 0;
            for (int c = 0; c < perStratum.Length; c++)
            {
                stratumMap[c] = perStratum[c] > 0 ? strataCount++ : -1;
                if (perStratum[c] > 0)
                {
                    strataLevels.Add(strata!.Levels[c]);
                    strataN.Add(perStratum[c]);
                }
            }
        }

        bool multipleStrata = strataCount > 1;
        double[] tt = t;
        int[]? sst = null;
        if (dropped > 0 || empty.Count > 0 || multipleStrata)
        {
            // Compact in place (k <= i): kept times, remapped codes, compact strata.
            tt = dropped > 0 ? GC.AllocateUninitializedArray<double>(kept) : t;
            sst = multipleStrata ? GC.AllocateUninitializedArray<int>(kept) : null;
            int k = 0;
            for (int i = 0; i < rows; i++)
            {
                int c = g[i];
                if (c < 0 || (st is not null && st[i] < 0))
                {
                    continue;
                }

                tt[k] = t[i];
                code[k] = (map[c] << 1) | (code[i] & 1);
                if (sst is not null)
                {
                    sst[k] = stratumMap![st![i]];
                }

                k++;
            }

            if (kept < rows)
            {
                Array.Resize(ref code, kept);
            }
        }

        return new LogRankData
        {
            Time = tt,
            Code = code,
            Stratum = sst,
            StrataCount = strataCount,
            StrataLevels = [.. strataLevels],
            StrataN = [.. strataN],
            Levels = [.. levels],
            GroupN = [.. groupN],
            EmptyLevels = empty,
            Dropped = dropped + droppedBefore,
            WholeTimes = whole,
            MinTime = min,
            MaxTime = max,
        };
    }

    private static LogRankResult Summarise(LogRankData data, LogRankSums sums, double rho, bool stratified, string groupName, List<AnalysisWarning> warnings)
    {
        int k = data.Levels.Length;
        var variance = new double[k][];
        for (int gg = 0; gg < k; gg++)
        {
            variance[gg] = new double[k];
        }

        for (int gg = 0; gg < k; gg++)
        {
            for (int hh = gg; hh < k; hh++)
            {
                variance[gg][hh] = variance[hh][gg] = sums.Variance[(gg * k) + hh];
            }
        }

        var groups = new LogRankGroup[k];
        var atRisk = new List<int>();
        int totalEvents = 0;
        for (int gg = 0; gg < k; gg++)
        {
            double o = sums.Observed[gg], e = sums.Expected[gg];
            double d = o - e;
            groups[gg] = new LogRankGroup(data.Levels[gg], data.GroupN[gg], o, e, d * d / e, d * d / variance[gg][gg], sums.Events[gg]);
            totalEvents += sums.Events[gg];
            if (e > 0)
            {
                atRisk.Add(gg);
            }
        }

        double chi = 0;
        int df = 0;
        double p;
        if (totalEvents == 0)
        {
            p = double.NaN;
            warnings.Add(new AnalysisWarning(
                "no-events",
                "There are no events among the usable observations; the test statistic is 0 and has no p-value."));
        }
        else
        {
            foreach (var grp in groups)
            {
                if (grp.Expected == 0)
                {
                    warnings.Add(new AnalysisWarning(
                        "group-not-at-risk",
                        $"Group '{grp.Level}' of '{groupName}' has nobody at risk at any event time (expected 0); it is left out of the test and its degrees of freedom, as R does."));
                }
                else if (grp.Events == 0)
                {
                    warnings.Add(new AnalysisWarning(
                        "group-without-events",
                        $"Group '{grp.Level}' of '{groupName}' has no events; the test is still valid."));
                }
            }

            if (atRisk.Count < 2)
            {
                warnings.Add(new AnalysisWarning(
                    "one-group-at-risk",
                    $"Only group '{groups[atRisk[0]].Level}' of '{groupName}' has anyone at risk at an event time, so there is nothing to compare: the statistic is 0 on 0 degrees of freedom (p = 1, as R reports)."));
            }
            else
            {
                // survdiff: drop the first group with E > 0, solve on the rest.
                int m = atRisk.Count - 1;
                var b = new double[m];
                var vv = new double[m][];
                for (int r = 0; r < m; r++)
                {
                    int gr = atRisk[r + 1];
                    b[r] = sums.Observed[gr] - sums.Expected[gr];
                    vv[r] = new double[m];
                    for (int c = 0; c < m; c++)
                    {
                        vv[r][c] = variance[gr][atRisk[c + 1]];
                    }
                }

                chi = GeneralizedInverse.QuadraticForm(vv, b, out df);
                if (df < m)
                {
                    warnings.Add(new AnalysisWarning(
                        "singular-variance",
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The variance matrix of observed minus expected events has rank {df}, less than {m}: the groups of '{groupName}' are confounded with the strata. R's survdiff stops with an error here; a generalised inverse is used and the degrees of freedom are its rank.")));
                }
            }

            p = df == 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(df / 2.0, Math.Max(chi, 0) / 2.0);
        }

        // Per stratum O and E (R: the columns of survdiff's obs and exp matrices); only when strata were given.
        var strata = new List<LogRankStratum>();
        if (stratified)
        {
            for (int h = 0; h < data.StrataLevels.Length; h++)
            {
                var cells = new LogRankStratumGroup[k];
                for (int gg = 0; gg < k; gg++)
                {
                    cells[gg] = new LogRankStratumGroup(data.Levels[gg], sums.StratumObserved[h][gg], sums.StratumExpected[h][gg]);
                }

                strata.Add(new LogRankStratum(data.StrataLevels[h], data.StrataN[h], cells));
            }
        }

        return new LogRankResult(
            groups,
            variance,
            chi,
            df,
            p,
            rho,
            data.Time.Length,
            data.Dropped,
            stratified,
            data.StrataCount,
            strata,
            warnings);
    }
}
