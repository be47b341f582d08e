using System.Globalization;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// Harrell's concordance of a risk score with survival, its standard error and the pair counts, as R's
/// <c>concordance()</c> reports them for a Cox fit.
/// </summary>
/// <param name="C">The concordance (concordant + tied.x / 2) / (concordant + discordant + tied.x).</param>
/// <param name="StdError">Its infinitesimal-jackknife standard error, R <c>sqrt(concordance(fit)$var)</c>.</param>
/// <param name="Concordant">Comparable pairs in which the member with the shorter survival has the higher risk score.</param>
/// <param name="Discordant">Comparable pairs in which it has the lower risk score.</param>
/// <param name="TiedX">Comparable pairs with equal risk scores.</param>
/// <param name="TiedY">Pairs of events at the same time with different risk scores (not comparable).</param>
/// <param name="TiedXY">Pairs of events at the same time with equal risk scores (not comparable).</param>
/// <remarks>R: <c>concordance(fit)</c>: <c>$concordance</c>, <c>sqrt($var)</c>, <c>$count</c>.</remarks>
public sealed record ConcordanceResult(
    double C, double StdError, long Concordant, long Discordant, long TiedX, long TiedY, long TiedXY)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ConcordanceResult(C={C:G6}, se={StdError:G4}, pairs={Concordant + Discordant + TiedX})");
}

/// <summary>Harrell's concordance index for censored survival data (R <c>survival::concordance</c>).</summary>
/// <remarks>R: <c>concordance(fit)</c> with the defaults <c>timewt = "n"</c>, <c>timefix = TRUE</c>; see
/// docs/statistics/model-checks.md.</remarks>
public static class Concordance
{
    /// <summary>Harrell's C of a Cox fit's linear predictor: pass the fit's own inputs and the fit.</summary>
    /// <param name="time">The fit's follow-up times.</param>
    /// <param name="status">The fit's event indicators.</param>
    /// <param name="covariates">The fit's covariates.</param>
    /// <param name="fit">The fit.</param>
    /// <param name="strata">The fit's strata, if any (pairs are compared within a stratum only).</param>
    /// <returns>C, its standard error and the pair counts.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, or inputs that do not give the fit's terms.</exception>
    /// <remarks>R: <c>concordance(coxph(...))</c>.</remarks>
    public static ConcordanceResult Harrell(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, CoxFit fit, Factor? strata = null)
    {
        var d = CoxModelData.Build(time, status, covariates, strata, fit);
        return ConcordanceKernel.Compute(d.Time, d.Status, d.Eta, d.Order, d.StratumStarts);
    }

    /// <summary>
    /// Harrell's C of any risk score (higher score = shorter expected survival), with its standard error and counts.
    /// </summary>
    /// <param name="time">Follow-up times, finite.</param>
    /// <param name="status">True for an event.</param>
    /// <param name="risk">The risk score per row, finite (e.g. a Cox linear predictor).</param>
    /// <param name="strata">Optional stratum per row; pairs are compared within a stratum only.</param>
    /// <param name="timeFix">Whether near-tied times are merged first (R <c>timefix</c>, default as R).</param>
    /// <returns>C, its standard error and the pair counts.</returns>
    /// <exception cref="ArgumentException">Null or mismatched inputs, non-finite time or risk.</exception>
    /// <remarks>R: <c>concordance(Surv(time, status) ~ risk, reverse = TRUE)</c>, <c>+ strata(s)</c>.</remarks>
    public static ConcordanceResult Harrell(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<double> risk, IReadOnlyList<int>? strata = null, TimeFix timeFix = TimeFix.R)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(risk);
        int n = time.Count;
        if (status.Count != n)
        {
            throw new ArgumentException($"status has {status.Count} values but time has {n}.", nameof(status));
        }

        if (risk.Count != n)
        {
            throw new ArgumentException($"risk has {risk.Count} values but time has {n}.", nameof(risk));
        }

        if (strata is not null && strata.Count != n)
        {
            throw new ArgumentException($"strata has {strata.Count} values but time has {n}.", nameof(strata));
        }

        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(time[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"time[{i}] is {time[i]}; times must be finite."), nameof(time));
            }

            if (!double.IsFinite(risk[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"risk[{i}] is {risk[i]}; scores must be finite."), nameof(risk));
            }
        }

        var t = TimeFixer.Apply([.. time], timeFix);
        return ConcordanceKernel.Compute(t, [.. status], [.. risk], Dense(strata, n));
    }

    /// <summary>Stratum labels (any integers) as dense codes 0..k-1 in ascending label order; all 0 without strata.</summary>
    private static int[] Dense(IReadOnlyList<int>? strata, int n)
    {
        var codes = new int[n];
        if (strata is null)
        {
            return codes;
        }

        var labels = strata.Distinct().Order().ToArray();
        for (int i = 0; i < n; i++)
        {
            codes[i] = Array.BinarySearch(labels, strata[i]);
        }

        return codes;
    }

    /// <summary>
    /// The readable version, kept to check the fast kernel (<see cref="ConcordanceKernel"/>) against in the tests.
    /// Contract: arrays of equal length, finite. Per stratum, one pass backwards in time counts for each event the
    /// at-risk rows (later times, or censored at the same time) with lower, equal, higher score using a Fenwick tree over
    /// score ranks; one pass forwards counts for each row the earlier events it is compared with. The per-row counts
    /// give R's infinitesimal-jackknife variance. O(n log n).
    /// </summary>
    internal static ConcordanceResult Reference(double[] t, bool[] ev, double[] risk, int[] strata)
    {
        int n = t.Length;
        var distinct = risk.Distinct().Order().ToArray();
        var rank = risk.Select(r => Array.BinarySearch(distinct, r) + 1).ToArray();
        var inf = new long[n, 3]; // concordant, discordant, tied.x per row
        long conc = 0, disc = 0, tiedX = 0, tiedY = 0, tiedXY = 0;
        var tree = new long[distinct.Length + 1];

        foreach (var group in Enumerable.Range(0, n).GroupBy(i => strata[i]))
        {
            var idx = group.OrderBy(i => t[i]).ThenBy(i => i).ToArray();
            int m = idx.Length;

            // Backwards: for each event, the rows still at risk after it (and censored at its time).
            Array.Clear(tree);
            long inTree = 0;
            for (int b = m - 1; b >= 0;)
            {
                int a = b;
                while (a > 0 && t[idx[a - 1]] == t[idx[b]])
                {
                    a--;
                }

                for (int k = a; k <= b; k++)
                {
                    if (!ev[idx[k]])
                    {
                        Add(tree, rank[idx[k]]);
                        inTree++;
                    }
                }

                var deathRanks = new Dictionary<int, long>();
                for (int k = a; k <= b; k++)
                {
                    int i = idx[k];
                    if (!ev[i])
                    {
                        continue;
                    }

                    long less = Prefix(tree, rank[i] - 1);
                    long eq = Prefix(tree, rank[i]) - less;
                    long more = inTree - less - eq;
                    inf[i, 0] += less;
                    inf[i, 1] += more;
                    inf[i, 2] += eq;
                    conc += less;
                    disc += more;
                    tiedX += eq;
                    deathRanks[rank[i]] = deathRanks.GetValueOrDefault(rank[i]) + 1;
                }

                long deaths = deathRanks.Values.Sum();
                long sameScore = deathRanks.Values.Sum(c => c * (c - 1) / 2);
                tiedXY += sameScore;
                tiedY += (deaths * (deaths - 1) / 2) - sameScore;
                for (int k = a; k <= b; k++)
                {
                    if (ev[idx[k]])
                    {
                        Add(tree, rank[idx[k]]);
                        inTree++;
                    }
                }

                b = a - 1;
            }

            // Forwards: for each row, the earlier events it was compared with (events at its time too, if censored).
            Array.Clear(tree);
            inTree = 0;
            for (int a = 0; a < m;)
            {
                int b = a;
                while (b + 1 < m && t[idx[b + 1]] == t[idx[a]])
                {
                    b++;
                }

                for (int pass = 0; pass < 2; pass++)
                {
                    // pass 0: events see earlier events only; then add this time's events; pass 1: censored rows.
                    for (int k = a; k <= b; k++)
                    {
                        int i = idx[k];
                        if (ev[i] != (pass == 0))
                        {
                            continue;
                        }

                        long less = Prefix(tree, rank[i] - 1);
                        long eq = Prefix(tree, rank[i]) - less;
                        long more = inTree - less - eq;
                        inf[i, 0] += more;
                        inf[i, 1] += less;
                        inf[i, 2] += eq;
                    }

                    if (pass == 0)
                    {
                        for (int k = a; k <= b; k++)
                        {
                            if (ev[idx[k]])
                            {
                                Add(tree, rank[idx[k]]);
                                inTree++;
                            }
                        }
                    }
                }

                a = b + 1;
            }
        }

        double npair = conc + disc + tiedX;
        double somer = (conc - disc) / npair;
        double var = 0;
        for (int i = 0; i < n; i++)
        {
            double dfbeta = ((inf[i, 0] - inf[i, 1]) / npair) - (somer / npair * (inf[i, 0] + inf[i, 1] + inf[i, 2]));
            var += dfbeta * dfbeta;
        }

        return new ConcordanceResult((somer + 1) / 2, Math.Sqrt(var / 4), conc, disc, tiedX, tiedY, tiedXY);
    }

    private static void Add(long[] tree, int r)
    {
        for (; r < tree.Length; r += r & -r)
        {
            tree[r]++;
        }
    }

    private static long Prefix(long[] tree, int r)
    {
        long s = 0;
        for (; r > 0; r -= r & -r)
        {
            s += tree[r];
        }

        return s;
    }
}
