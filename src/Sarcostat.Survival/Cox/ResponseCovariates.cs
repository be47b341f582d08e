namespace Sarcostat.Survival.Cox;

/// <summary>Covariates given beside a <see cref="SurvivalResponse"/>, restricted to the rows the response kept.</summary>
internal static class ResponseCovariates
{
    /// <summary>
    /// The values of <paramref name="covariates"/> at the response's kept rows (the same list when nothing was
    /// dropped). Contract: covariates are given over the rows of the response's input (<see cref="SurvivalResponse.Count"/>
    /// values each); a covariate's own missing values (NaN, code −1) are kept for the design to drop and count.
    /// </summary>
    /// <exception cref="ArgumentException">A covariate is null, of an unknown kind, or does not have
    /// <see cref="SurvivalResponse.Count"/> values (when the response dropped rows; otherwise the design checks it).</exception>
    public static IReadOnlyList<Covariate> AtKeptRows(SurvivalResponse response, IReadOnlyList<Covariate> covariates)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        if (response.KeptRows is not { } rows)
        {
            return covariates;
        }

        int count = response.Count;
        var kept = new List<Covariate>(covariates.Count);
        foreach (var c in covariates)
        {
            switch (c)
            {
                case NumericCovariate num:
                    if (num.Values is null || num.Values.Count != count)
                    {
                        throw new ArgumentException(
                            $"Covariate '{num.Name}' has {num.Values?.Count ?? 0} values but the response has {count} rows.", nameof(covariates));
                    }

                    var values = new double[rows.Length];
                    for (int k = 0; k < rows.Length; k++)
                    {
                        values[k] = num.Values[rows[k]];
                    }

                    kept.Add(new NumericCovariate(num.Name, values));
                    break;
                case CategoricalCovariate cat:
                    if (cat.Factor.Count != count)
                    {
                        throw new ArgumentException(
                            $"Covariate '{cat.Name}' has {cat.Factor.Count} values but the response has {count} rows.", nameof(covariates));
                    }

                    kept.Add(new CategoricalCovariate(cat.Factor.Subset(rows)));
                    break;
                default:
                    throw new ArgumentException($"Covariate '{c?.Name}' is null or of an unknown kind.", nameof(covariates));
            }
        }

        return kept;
    }
}
