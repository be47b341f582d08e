using System.Globalization;

namespace Sarcostat.Survival.Comparisons;

/// <summary>Summary of a numeric variable; every statistic is null when it is not defined (no data, or SD with N &lt; 2).</summary>
public sealed class NumericSummary
{
    internal NumericSummary(int n, int missing, double? mean, double? sd, double? median, double? q1, double? q3, double? min, double? max)
    {
        N = n;
        Missing = missing;
        Mean = mean;
        SD = sd;
        Median = median;
        Q1 = q1;
        Q3 = q3;
        Min = min;
        Max = max;
    }

    /// <summary>Number of non-missing values.</summary>
    public int N { get; }

    /// <summary>Number of missing (NaN) values.</summary>
    public int Missing { get; }

    /// <summary>Arithmetic mean (R <c>mean</c>).</summary>
    public double? Mean { get; }

    /// <summary>Sample standard deviation with divisor N − 1 (R <c>sd</c>); null when N &lt; 2.</summary>
    public double? SD { get; }

    /// <summary>Median (R <c>median</c>).</summary>
    public double? Median { get; }

    /// <summary>First quartile, R <c>quantile(x, 0.25)</c> (type 7).</summary>
    public double? Q1 { get; }

    /// <summary>Third quartile, R <c>quantile(x, 0.75)</c> (type 7).</summary>
    public double? Q3 { get; }

    /// <summary>Smallest value.</summary>
    public double? Min { get; }

    /// <summary>Largest value.</summary>
    public double? Max { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"NumericSummary(n={N}, missing={Missing}, mean={Mean:G6}, sd={SD:G6}, median={Median:G6})");
}

/// <summary>Count and percentages of one level of a categorical variable.</summary>
/// <param name="Level">The level.</param>
/// <param name="Count">Number of observations with this level.</param>
/// <param name="Percent">100·Count / (non-missing observations); null when there are none.</param>
/// <param name="PercentOfAll">100·Count / (all observations, missing included); null when there are none.</param>
public sealed record LevelCount(string Level, int Count, double? Percent, double? PercentOfAll);

/// <summary>Frequency table of a categorical variable.</summary>
public sealed class CategoricalSummary
{
    internal CategoricalSummary(string name, IReadOnlyList<LevelCount> levels, int n, int missing)
    {
        Name = name;
        Levels = levels;
        N = n;
        Missing = missing;
    }

    /// <summary>The variable's name.</summary>
    public string Name { get; }

    /// <summary>One entry per level, in the factor's level order (levels with no observation included, count 0).</summary>
    public IReadOnlyList<LevelCount> Levels { get; }

    /// <summary>Number of non-missing observations.</summary>
    public int N { get; }

    /// <summary>Number of missing observations.</summary>
    public int Missing { get; }

    /// <summary>All observations, N + Missing.</summary>
    public int Total => N + Missing;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CategoricalSummary({Name}, n={N}, missing={Missing}, levels={Levels.Count})");
}

/// <summary>Descriptive statistics as clinical tables report them ("Table 1").</summary>
public static class Descriptives
{
    /// <summary>Summarises a numeric variable; NaN values are missing.</summary>
    /// <param name="values">The values; NaN marks a missing value. ±∞ count as values (as R).</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <remarks>
    /// Mean x̄ = Σx/N over the sorted values (with a second refining pass, as R), so independent of row order; SD = √(Σ(x − x̄)²/(N − 1)); quartiles of type 7:
    /// with the sorted values x_(1..N), h = 1 + (N − 1)p, Q(p) = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋));
    /// median = Q(0.5) (mean of the two middle values for even N).
    /// R: <c>mean(x, na.rm = TRUE)</c>, <c>sd(x, na.rm = TRUE)</c>, <c>median(x, na.rm = TRUE)</c>,
    /// <c>quantile(x, c(0.25, 0.75), na.rm = TRUE)</c>, <c>min</c>, <c>max</c>, <c>sum(is.na(x))</c>.
    /// </remarks>
    public static NumericSummary Numeric(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var x = Sample.NonMissing(values, out int missing);
        int n = x.Length;
        if (n == 0)
        {
            return new NumericSummary(0, missing, null, null, null, null, null, null, null);
        }

        // Mean and SD are summed over the sorted values, so that the same values in another row order (the registry's
        // pooled cohort against the extract) give the same bits and the same rounded table cell. They are taken on
        // the data divided by an exact power of two when they are huge or tiny (see Sample.ScaleExponent): Σx of
        // values near 1e308 overflows, the mean itself does not.
        var sorted = (double[])x.Clone();
        Array.Sort(sorted);
        int k = Sample.ScaleExponent(sorted);
        var scaled = Sample.Scaled(sorted, k);
        double mean = Sample.Mean(scaled);
        double? sd = n >= 2 ? Math.ScaleB(Math.Sqrt(Sample.Variance(scaled, mean)), k) : null;
        mean = Math.ScaleB(mean, k);
        return new NumericSummary(
            n,
            missing,
            mean,
            sd,
            Sample.Median(sorted),
            Sample.QuantileType7(sorted, 0.25),
            Sample.QuantileType7(sorted, 0.75),
            sorted[0],
            sorted[n - 1]);
    }

    /// <summary>Counts each level of a factor, with percentages of the non-missing and of all observations.</summary>
    /// <param name="factor">The categorical variable (code −1 = missing).</param>
    /// <exception cref="ArgumentNullException"><paramref name="factor"/> is null.</exception>
    /// <remarks>
    /// Percent = 100·count/N with N the non-missing count; PercentOfAll = 100·count/(N + missing).
    /// R: <c>table(f)</c>, <c>100 * prop.table(table(f))</c>, <c>100 * (table(f) / length(f))</c>, <c>sum(is.na(f))</c>.
    /// </remarks>
    public static CategoricalSummary Categorical(Factor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        var counts = new int[factor.Levels.Count];
        int missing = 0;
        foreach (var code in factor.Codes)
        {
            if (code < 0)
            {
                missing++;
            }
            else
            {
                counts[code]++;
            }
        }

        int n = factor.Count - missing;
        int all = factor.Count;
        var levels = new LevelCount[counts.Length];
        for (int k = 0; k < counts.Length; k++)
        {
            levels[k] = new LevelCount(
                factor.Levels[k],
                counts[k],
                n > 0 ? 100 * ((double)counts[k] / n) : null,
                all > 0 ? 100 * ((double)counts[k] / all) : null);
        }

        return new CategoricalSummary(factor.Name, levels, n, missing);
    }
}
