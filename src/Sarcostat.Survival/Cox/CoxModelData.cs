namespace Sarcostat.Survival.Cox;

/// <summary>
/// The complete-case design of a Cox fit (<see cref="CoxDesign"/>, shared with <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>), with the linear predictor
/// of the fit: what the model checks (<see cref="CoxZph"/>, <see cref="Concordance"/>) need.
/// </summary>
internal sealed class CoxModelData
{
    private CoxModelData(double[] time, bool[] status, double[][] x, int[] stratum, int strataCount, double[] eta, int[][] assign, string[] termNames)
    {
        Time = time;
        Status = status;
        X = x;
        Stratum = stratum;
        StrataCount = strataCount;
        Eta = eta;
        Assign = assign;
        TermNames = termNames;
    }

    /// <summary>Times of the complete cases, after the fit's time fix.</summary>
    public double[] Time { get; }

    /// <summary>Event indicators of the complete cases.</summary>
    public bool[] Status { get; }

    /// <summary>Design columns: X[j][i] is column j of row i.</summary>
    public double[][] X { get; }

    /// <summary>Dense stratum code per row (0 when unstratified), in the factor's level order.</summary>
    public int[] Stratum { get; }

    /// <summary>Number of strata present.</summary>
    public int StrataCount { get; }

    /// <summary>Centred linear predictor (x − means)·β, R <c>fit$linear.predictors</c>.</summary>
    public double[] Eta { get; }

    /// <summary>Design columns per covariate (R <c>fit$assign</c>).</summary>
    public int[][] Assign { get; }

    /// <summary>Covariate names (R's term labels).</summary>
    public string[] TermNames { get; }

    /// <summary>
    /// Contract: the same time, status, covariates and strata that produced <paramref name="fit"/>. Rebuilds the
    /// complete cases and the treatment-coded design exactly as <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/> does; throws
    /// ArgumentException on null or mismatched inputs, or when the design's terms differ from the fit's.
    /// </summary>
    public static CoxModelData Build(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, Factor? strata, CoxFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);

        // cox.zph and concordance of one fit (the CLI asks for both) share one build, kept beside the fit for as long as
        // it lives and reused when called with the very same input objects (which must not change after the fit).
        if (Cache.TryGetValue(fit, out var last) && ReferenceEquals(last.Time, time) && ReferenceEquals(last.Status, status)
            && ReferenceEquals(last.Covariates, covariates) && ReferenceEquals(last.Strata, strata))
        {
            return last.Data;
        }

        var data = BuildNew(time, status, covariates, strata, fit);
        Cache.AddOrUpdate(fit, new Cached(time, status, covariates, strata, data));
        return data;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CoxFit, Cached> Cache = new();

    private sealed record Cached(IReadOnlyList<double> Time, IReadOnlyList<bool> Status, IReadOnlyList<Covariate> Covariates, Factor? Strata, CoxModelData Data);

    private static CoxModelData BuildNew(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, Factor? strata, CoxFit fit)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(fit);
        var design = CoxDesign.Build(time, status, covariates, strata);
        var rows = design.Rows;
        var columns = design.Columns;
        var termNames = design.Terms.Select(t => t.Name).ToList();
        int m = rows.Length, p = columns.Count;
        if (fit.Terms.Count != p || !fit.Terms.Select(t => t.Term).SequenceEqual(termNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The covariates give terms [{string.Join(", ", termNames)}] but the fit has [{string.Join(", ", fit.Terms.Select(t => t.Term))}]; pass the fit's own inputs.",
                nameof(fit));
        }

        if (fit.N != m)
        {
            throw new ArgumentException($"The inputs have {m} complete cases but the fit used {fit.N}; pass the fit's own inputs.", nameof(fit));
        }

        var t = TimeFixer.Apply(design.Time, fit.Options.TimeFix);
        var s = design.Status;
        var eta = new double[m];
        for (int j = 0; j < p; j++)
        {
            double b = fit.Terms[j].Coef;
            double mean = fit.Means[j];
            var col = columns[j];
            for (int i = 0; i < m; i++)
            {
                eta[i] += (col[i] - mean) * b;
            }
        }

        var stratum = new int[m];
        int strataCount = 1;
        if (strata is not null)
        {
            var present = new SortedSet<int>(rows.Select(r => strata.Codes[r]));
            var dense = new Dictionary<int, int>();
            foreach (var code in present)
            {
                dense[code] = dense.Count;
            }

            for (int i = 0; i < m; i++)
            {
                stratum[i] = dense[strata.Codes[rows[i]]];
            }

            strataCount = Math.Max(1, dense.Count);
        }

        return new CoxModelData(t, s, [.. columns], stratum, strataCount, eta, design.Assign, [.. covariates.Select(c => c.Name)]);
    }
}
