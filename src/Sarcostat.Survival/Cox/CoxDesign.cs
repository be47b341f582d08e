using System.Globalization;

namespace Sarcostat.Survival.Cox;

/// <summary>A term (column) of a Cox design: its name as R names it, its source covariate, and its level for a dummy.</summary>
internal sealed record TermInfo(string Name, string Covariate, string? Level);

/// <summary>
/// The complete-case, treatment-coded design of a Cox model, built once from <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>'s inputs;
/// shared by the fit and by the model checks (<see cref="CoxZph"/>, <see cref="Concordance"/>), so that all of them
/// see the same rows and columns.
/// </summary>
/// <param name="Rows">Indices of the complete cases in the input.</param>
/// <param name="Time">Their times (not yet time-fixed).</param>
/// <param name="Status">Their event indicators.</param>
/// <param name="Columns">Design columns over the complete cases: one per numeric covariate, one dummy per non-reference level.</param>
/// <param name="Terms">One per column.</param>
/// <param name="Assign">Columns per covariate, in covariate order (R <c>fit$assign</c>).</param>
/// <param name="StrataCodes">Stratum code per complete case, or null.</param>
/// <param name="EventsDropped">Events among the rows left out.</param>
internal sealed record CoxDesign(
    int[] Rows,
    double[] Time,
    bool[] Status,
    IReadOnlyList<double[]> Columns,
    IReadOnlyList<TermInfo> Terms,
    int[][] Assign,
    int[]? StrataCodes,
    int EventsDropped)
{
    /// <summary>
    /// Contract: lists of equal length n; times finite; numeric covariates finite or NaN (missing); factor code −1 missing.
    /// Rows with any missing covariate or stratum are left out. Throws ArgumentException for mismatched or invalid input,
    /// and <see cref="CoxDesignException"/> for a factor with a single level.
    /// </summary>
    public static CoxDesign Build(IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, Factor? strata)
    {
        int n = time.Count;
        if (status.Count != n)
        {
            throw new ArgumentException($"status has {status.Count} values but time has {n}.", nameof(status));
        }

        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(time[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"time[{i}] is {time[i]}; times must be finite numbers."),
                    nameof(time));
            }
        }

        if (strata is not null && strata.Count != n)
        {
            throw new ArgumentException($"strata has {strata.Count} values but time has {n}.", nameof(strata));
        }

        var keep = new bool[n];
        Array.Fill(keep, true);
        for (int c = 0; c < covariates.Count; c++)
        {
            switch (covariates[c])
            {
                case NumericCovariate num:
                    if (num.Values is null || num.Values.Count != n)
                    {
                        throw new ArgumentException(
                            $"Covariate '{num.Name}' has {num.Values?.Count ?? 0} values but time has {n}.", nameof(covariates));
                    }

                    for (int i = 0; i < n; i++)
                    {
                        double v = num.Values[i];
                        if (double.IsNaN(v))
                        {
                            keep[i] = false;
                        }
                        else if (double.IsInfinity(v))
                        {
                            throw new ArgumentException(
                                string.Create(CultureInfo.InvariantCulture, $"Covariate '{num.Name}' is {v} at row {i}; values must be finite (NaN = missing)."),
                                nameof(covariates));
                        }
                    }

                    break;
                case CategoricalCovariate cat:
                    if (cat.Factor.Count != n)
                    {
                        throw new ArgumentException(
                            $"Covariate '{cat.Name}' has {cat.Factor.Count} values but time has {n}.", nameof(covariates));
                    }

                    for (int i = 0; i < n; i++)
                    {
                        if (cat.Factor.Codes[i] < 0)
                        {
                            keep[i] = false;
                        }
                    }

                    break;
                case null:
                    throw new ArgumentException($"covariates[{c}] is null.", nameof(covariates));
                default:
                    throw new ArgumentException($"Unsupported covariate type {covariates[c].GetType().Name}.", nameof(covariates));
            }
        }

        if (strata is not null)
        {
            for (int i = 0; i < n; i++)
            {
                if (strata.Codes[i] < 0)
                {
                    keep[i] = false;
                }
            }
        }

        var rows = new List<int>(n);
        int eventsDropped = 0;
        for (int i = 0; i < n; i++)
        {
            if (keep[i])
            {
                rows.Add(i);
            }
            else if (status[i])
            {
                eventsDropped++;
            }
        }

        int m = rows.Count;
        var t = new double[m];
        var s = new bool[m];
        for (int k = 0; k < m; k++)
        {
            t[k] = time[rows[k]];
            s[k] = status[rows[k]];
        }

        // Design matrix: one column per numeric covariate, one dummy per non-reference level.
        var terms = new List<TermInfo>();
        var columns = new List<double[]>();
        var assign = new List<int[]>();
        foreach (var cov in covariates)
        {
            int first = columns.Count;
            if (cov is NumericCovariate num)
            {
                var col = new double[m];
                for (int k = 0; k < m; k++)
                {
                    col[k] = num.Values[rows[k]];
                }

                terms.Add(new TermInfo(num.Name, num.Name, null));
                columns.Add(col);
            }
            else if (cov is CategoricalCovariate cat)
            {
                var levels = cat.Factor.Levels;
                if (levels.Count < 2)
                {
                    throw new CoxDesignException(
                        $"covariate '{cat.Name}' is constant among the {m} complete cases (it has a single level).", [cat.Name]);
                }

                for (int l = 1; l < levels.Count; l++)
                {
                    var col = new double[m];
                    for (int k = 0; k < m; k++)
                    {
                        col[k] = cat.Factor.Codes[rows[k]] == l ? 1 : 0;
                    }

                    terms.Add(new TermInfo(cat.Name + levels[l], cat.Name, levels[l]));
                    columns.Add(col);
                }
            }

            assign.Add(Enumerable.Range(first, columns.Count - first).ToArray());
        }

        int[]? strataCodes = null;
        if (strata is not null)
        {
            strataCodes = new int[m];
            for (int k = 0; k < m; k++)
            {
                strataCodes[k] = strata.Codes[rows[k]];
            }
        }

        return new CoxDesign([.. rows], t, s, columns, terms, [.. assign], strataCodes, eventsDropped);
    }
}
