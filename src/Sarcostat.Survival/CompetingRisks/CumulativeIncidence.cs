using System.Globalization;

namespace Sarcostat.Survival.CompetingRisks;

/// <summary>
/// Nonparametric cumulative incidence of competing risks (Aalen-Johansen estimator) with cmprsk's variance, and
/// Gray's test between groups. R: <c>cmprsk::cuminc(ftime, fstatus, group, strata, rho = 0, cencode)</c> (cmprsk 2.2).
/// </summary>
/// <remarks>
/// <para>
/// Per group, at each distinct time t with n at risk, d₁ events of the cause, d₂ of the other causes, and S(t−) the
/// all-cause Kaplan-Meier estimate just before t: S(t) = S(t−)(n − d)/n and F(t) = F(t−) + S(t−)d₁/n
/// (Kalbfleisch &amp; Prentice 1980, eq. 7.14). The estimate equals R's multi-state
/// <c>survfit(Surv(time, factor(status)) ~ 1)</c> <c>pstate</c> (checked in tools/reference/cmprsk.R).
/// </para>
/// <para>
/// Variance: the delta-method (Aalen 1978 / Gray) estimator of cmprsk's Fortran routine <c>cinc</c>: with
/// w(d) = S(t−)²·(1 − (d − 1)/(n − 1))·d/n² (the tie-corrected binomial term; 1 for d = 1), three sums run over time:
/// for the other causes (when S(t) &gt; 0) a = F(t)/S(t), b = 1/S(t); for the cause a = 1 + F(t)/S(t), b = 1/S(t)
/// (b = 0 when S(t) = 0); each adds v₁ += a²w, v₂ += abw, v₃ += b²w, and at the cause's event times
/// Var F(t) = v₁ + F(t)²v₃ − 2F(t)v₂. The variance thus changes only at the cause's event times, as in cmprsk.
/// This is not survfit's infinitesimal-jackknife standard error of <c>pstate</c> (see docs/statistics/competing-risks.md).
/// </para>
/// <para>Times are compared exactly (cmprsk applies no near-tie merge).</para>
/// </remarks>
public static class CumulativeIncidence
{
    /// <summary>
    /// Estimates the cumulative incidence of every cause, per group, with variance and pointwise CI, and Gray's test
    /// between groups for every cause (stratified when <paramref name="strata"/> is given).
    /// </summary>
    /// <param name="time">Follow-up time per row: finite, ≥ 0.</param>
    /// <param name="status">Status per row: <paramref name="censorLevel"/> for censored, any other level is a cause;
    /// code −1 (missing) leaves the row out.</param>
    /// <param name="censorLevel">The status level meaning censored (R <c>cencode</c>); it need not occur.</param>
    /// <param name="group">Optional grouping variable: one curve per cause and group, and Gray's test. Rows with a
    /// missing group are left out; levels that do not occur are dropped (as cuminc does).</param>
    /// <param name="strata">Optional strata for Gray's test only (R <c>strata</c>); rows with a missing stratum are left out.</param>
    /// <param name="options">Settings.</param>
    /// <exception cref="ArgumentException">Null or mismatched inputs, a time that is not finite or is negative.</exception>
    /// <exception cref="CompetingRisksException">No row left (<c>competing-risks-no-data</c>), or no event of any cause
    /// (<c>competing-risks-no-events</c>).</exception>
    public static CumulativeIncidenceResult Estimate(
        IReadOnlyList<double> time,
        Factor status,
        string censorLevel,
        Factor? group = null,
        Factor? strata = null,
        CumulativeIncidenceOptions? options = null)
    {
        options ??= new CumulativeIncidenceOptions();
        options.Validate();
        int censorCode = CompetingRisksInput.Check(time, status, censorLevel, group, strata);

        // na.omit over status, group and strata; then sort by time.
        var rows = new List<int>(time.Count);
        for (int i = 0; i < time.Count; i++)
        {
            if (status.Codes[i] >= 0 && (group is null || group.Codes[i] >= 0) && (strata is null || strata.Codes[i] >= 0))
            {
                rows.Add(i);
            }
        }

        int n = rows.Count;
        if (n == 0)
        {
            throw new CompetingRisksException("competing-risks-no-data",
                "No row is left for the cumulative incidence: every row has a missing status" + (group is null ? string.Empty : ", group") + (strata is null ? string.Empty : " or stratum") + ".");
        }

        var t = new double[n];
        var order = new int[n];
        for (int k = 0; k < n; k++)
        {
            t[k] = time[rows[k]];
            order[k] = rows[k];
        }

        Array.Sort(t, order);
        var st = new int[n];
        var g = new int[n];
        var s = new int[n];
        for (int k = 0; k < n; k++)
        {
            st[k] = status.Codes[order[k]];
            g[k] = group is null ? 0 : group.Codes[order[k]];
            s[k] = strata is null ? 0 : strata.Codes[order[k]];
        }

        // Causes: levels other than the censoring level that occur (cuminc: sort(unique(fstatus[not censored]))).
        var statusCount = new int[status.Levels.Count];
        foreach (var c in st)
        {
            statusCount[c]++;
        }

        var causeCodes = Enumerable.Range(0, statusCount.Length).Where(l => l != censorCode && statusCount[l] > 0).ToArray();
        if (causeCodes.Length == 0)
        {
            throw new CompetingRisksException("competing-risks-no-events", string.Create(CultureInfo.InvariantCulture,
                $"None of the {n} rows has an event of any cause (every status is the censoring level '{censorLevel}'); there is no cumulative incidence to estimate."));
        }

        // Groups that occur, renumbered 0..ng-1 in level order (cuminc drops empty levels).
        int levelCount = group?.Levels.Count ?? 1;
        var groupCount = new int[levelCount];
        foreach (var c in g)
        {
            groupCount[c]++;
        }

        var present = Enumerable.Range(0, levelCount).Where(l => groupCount[l] > 0).ToArray();
        var renumber = new int[levelCount];
        for (int k = 0; k < present.Length; k++)
        {
            renumber[present[k]] = k;
        }

        for (int k = 0; k < n; k++)
        {
            g[k] = renumber[g[k]];
        }

        int ng = present.Length;
        var groupNames = group is null ? Array.Empty<string>() : present.Select(l => group.Levels[l]).ToArray();
        var curves = new List<CumulativeIncidenceCurve>(causeCodes.Length * ng);
        var tests = new List<GrayTest>();
        var warnings = new List<AnalysisWarning>();
        foreach (int cause in causeCodes)
        {
            for (int j = 0; j < ng; j++)
            {
                curves.Add(Curve(t, st, g, j, cause, censorCode, status.Levels[cause], group is null ? null : groupNames[j], options));
            }

            if (ng > 1)
            {
                var kind = new int[n];
                for (int k = 0; k < n; k++)
                {
                    kind[k] = st[k] == cause ? 1 : st[k] == censorCode ? 0 : 2;
                }

                var test = GrayTestComputation.Test(t, kind, g, s, ng, strata?.Levels.Count ?? 1, options.Rho, status.Levels[cause], strata is not null);
                if (double.IsNaN(test.Statistic))
                {
                    warnings.Add(new AnalysisWarning("gray-test-singular",
                        $"Gray's test for cause '{status.Levels[cause]}' cannot be computed: the variance of its scores is singular (R reports -1)."));
                }

                tests.Add(test);
            }
        }

        if (group is not null && ng < 2)
        {
            warnings.Add(new AnalysisWarning("gray-test-one-group", string.Create(CultureInfo.InvariantCulture,
                $"Only one group of '{group.Name}' occurs among the {n} rows used; Gray's test needs two or more and is not computed.")));
        }

        int censored = censorCode < 0 ? 0 : statusCount[censorCode];
        return new CumulativeIncidenceResult(
            causeCodes.Select(c => status.Levels[c]).ToArray(), groupNames, curves, tests, n, time.Count - n, censored,
            censorLevel, group?.Name, strata?.Name, options, warnings);
    }

    /// <summary>
    /// One curve (cmprsk's <c>cinc</c> on the rows of group <paramref name="groupIndex"/>): the estimator and variance
    /// described on the class. Contract: <paramref name="t"/> ascending; status codes per row.
    /// </summary>
    private static CumulativeIncidenceCurve Curve(
        double[] t, int[] status, int[] g, int groupIndex, int cause, int censor, string causeName, string? groupName, CumulativeIncidenceOptions options)
    {
        var idx = new List<int>();
        for (int k = 0; k < t.Length; k++)
        {
            if (g[k] == groupIndex)
            {
                idx.Add(k);
            }
        }

        int m = idx.Count;
        int events = 0, competing = 0, censored = 0;
        double sPrev = 1, f = 0, v1 = 0, v2 = 0, v3 = 0;
        double atRisk = m;
        var steps = new List<CumulativeIncidenceStep>();
        int lo = 0;
        while (lo < m)
        {
            double time = t[idx[lo]];
            int hi = lo;
            int d1 = 0, d2 = 0;
            while (hi < m && t[idx[hi]] == time)
            {
                int c = status[idx[hi]];
                if (c == cause)
                {
                    d1++;
                }
                else if (c != censor)
                {
                    d2++;
                }

                hi++;
            }

            int block = hi - lo;
            events += d1;
            competing += d2;
            censored += block - d1 - d2;
            int d = d1 + d2;
            if (d > 0)
            {
                double sNow = sPrev * (atRisk - d) / atRisk;
                if (d1 > 0)
                {
                    f += sPrev * d1 / atRisk;
                }

                if (d2 > 0 && sNow > 0)
                {
                    double w = Weight(sPrev, d2, atRisk);
                    double b = 1 / sNow, a = f / sNow;
                    v1 += a * a * w;
                    v2 += b * a * w;
                    v3 += b * b * w;
                }

                if (d1 > 0)
                {
                    double w = Weight(sPrev, d1, atRisk);
                    double b = sNow > 0 ? 1 / sNow : 0;
                    double a = 1 + (b * f);
                    v1 += a * a * w;
                    v2 += b * a * w;
                    v3 += b * b * w;
                    steps.Add(new CumulativeIncidenceStep(time, f, v1 + (f * f * v3) - (2 * f * v2)));
                }

                sPrev = sNow;
            }

            atRisk -= block;
            lo = hi;
        }

        double last = m == 0 ? double.NaN : t[idx[m - 1]];
        return new CumulativeIncidenceCurve(causeName, groupName, m, events, competing, censored, last, steps, options);
    }

    /// <summary>S(t−)²·(1 − (d − 1)/(n − 1))·d/n²: the variance of a jump of d tied events among n at risk (cmprsk <c>t6</c>).</summary>
    private static double Weight(double sPrev, int d, double atRisk)
    {
        double tie = d > 1 ? 1 - ((d - 1.0) / (atRisk - 1.0)) : 1;
        return sPrev * sPrev * tie * d / (atRisk * atRisk);
    }
}
