using System.Globalization;

namespace Sarcostat.Survival;

/// <summary>
/// The complete-case design of a Cox fit rebuilt from <see cref="CoxRegression.Fit"/>'s inputs, with the linear predictor
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
    /// complete cases and the treatment-coded design exactly as <see cref="CoxRegression.Fit"/> does; throws
    /// ArgumentException on null or mismatched inputs, or when the design's terms differ from the fit's.
    /// </summary>
    public static CoxModelData Build(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, Factor? strata, CoxFit fit)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(fit);
        int n = time.Count;
        if (status.Count != n)
        {
            throw new ArgumentException($"status has {status.Count} values but time has {n}.", nameof(status));
        }

        if (strata is not null && strata.Count != n)
        {
            throw new ArgumentException($"strata has {strata.Count} values but time has {n}.", nameof(strata));
        }

        var keep = new bool[n];
        Array.Fill(keep, true);
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(time[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] is {time[i]}; times must be finite numbers."), nameof(time));
            }

            if (strata is not null && strata.Codes[i] < 0)
            {
                keep[i] = false;
            }
        }

        for (int c = 0; c < covariates.Count; c++)
        {
            var cov = covariates[c] ?? throw new ArgumentException($"covariates[{c}] is null.", nameof(covariates));
            int count = cov switch
            {
                NumericCovariate num => num.Values?.Count ?? 0,
                CategoricalCovariate cat => cat.Factor.Count,
                _ => throw new ArgumentException($"Unsupported covariate type {cov.GetType().Name}.", nameof(covariates)),
            };
            if (count != n)
            {
                throw new ArgumentException($"Covariate '{cov.Name}' has {count} values but time has {n}.", nameof(covariates));
            }

            for (int i = 0; i < n; i++)
            {
                bool missing = cov is NumericCovariate nc ? double.IsNaN(nc.Values[i]) : ((CategoricalCovariate)cov).Factor.Codes[i] < 0;
                if (missing)
                {
                    keep[i] = false;
                }
            }
        }

        var rows = Enumerable.Range(0, n).Where(i => keep[i]).ToArray();
        int m = rows.Length;
        var columns = new List<double[]>();
        var assign = new List<int[]>();
        var names = new List<string>();
        var termNames = new List<string>();
        foreach (var cov in covariates)
        {
            var cols = new List<int>();
            if (cov is NumericCovariate num)
            {
                cols.Add(columns.Count);
                columns.Add(rows.Select(r => num.Values[r]).ToArray());
                termNames.Add(num.Name);
            }
            else
            {
                var f = ((CategoricalCovariate)cov).Factor;
                for (int l = 1; l < f.Levels.Count; l++)
                {
                    cols.Add(columns.Count);
                    columns.Add(rows.Select(r => f.Codes[r] == l ? 1.0 : 0.0).ToArray());
                    termNames.Add(cov.Name + f.Levels[l]);
                }
            }

            assign.Add([.. cols]);
            names.Add(cov.Name);
        }

        int p = columns.Count;
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

        var t = TimeFixer.Apply(rows.Select(r => time[r]).ToArray(), fit.Options.TimeFix);
        var s = rows.Select(r => status[r]).ToArray();
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

        return new CoxModelData(t, s, [.. columns], stratum, strataCount, eta, [.. assign], [.. names]);
    }
}
