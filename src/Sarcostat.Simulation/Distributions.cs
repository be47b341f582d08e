using System.Globalization;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>One outcome of a categorical distribution and its weight (a count from a paper's table, or a percentage).</summary>
/// <typeparam name="T">The outcome type; null (for a reference type or nullable) means "missing".</typeparam>
/// <param name="Value">The outcome.</param>
/// <param name="Weight">Its weight, ≥ 0; weights are normalised by their sum.</param>
public sealed record Weighted<T>(T Value, double Weight);

/// <summary>
/// A categorical distribution given by weights, as a paper's table gives counts ("ECOG 0: 78, 1: 26, 2: 5, 3: 1").
/// Sampling is by inversion of one uniform draw, so a seeded <see cref="Random"/> gives the same outcome sequence.
/// </summary>
/// <typeparam name="T">The outcome type; a null outcome means the value is missing (e.g. "Loss data 14").</typeparam>
public sealed class Categorical<T>
{
    private readonly double[] _cumulative;

    /// <summary>Builds the distribution.</summary>
    /// <param name="outcomes">Outcomes with non-negative weights, at least one positive.</param>
    /// <exception cref="ArgumentException">No outcome, a negative or non-finite weight, or all weights zero.</exception>
    public Categorical(IReadOnlyList<Weighted<T>> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            throw new ArgumentException("A categorical distribution needs at least one outcome.", nameof(outcomes));
        }

        _cumulative = new double[outcomes.Count];
        double sum = 0;
        for (int i = 0; i < outcomes.Count; i++)
        {
            double w = outcomes[i].Weight;
            if (!double.IsFinite(w) || w < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Weight {w} of outcome '{outcomes[i].Value}' must be finite and non-negative."),
                    nameof(outcomes));
            }

            sum += w;
            _cumulative[i] = sum;
        }

        if (sum <= 0)
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(outcomes));
        }

        Outcomes = outcomes;
        Total = sum;
    }

    /// <summary>The outcomes with their weights, in the given order (the order of sampling by inversion).</summary>
    public IReadOnlyList<Weighted<T>> Outcomes { get; }

    /// <summary>The sum of the weights.</summary>
    public double Total { get; }

    /// <summary>The probability of the outcomes that satisfy <paramref name="predicate"/>.</summary>
    public double Probability(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        double w = 0;
        foreach (var o in Outcomes)
        {
            if (predicate(o.Value))
            {
                w += o.Weight;
            }
        }

        return w / Total;
    }

    /// <summary>Draws one outcome: the first whose cumulative weight exceeds U·total, U uniform on [0, 1).</summary>
    public T Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble() * Total;
        for (int i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i] && Outcomes[i].Weight > 0)
            {
                return Outcomes[i].Value;
            }
        }

        // u == Total only through rounding: the last outcome with positive weight.
        for (int i = Outcomes.Count - 1; ; i--)
        {
            if (Outcomes[i].Weight > 0)
            {
                return Outcomes[i].Value;
            }
        }
    }
}

/// <summary>Builds <see cref="Categorical{T}"/> distributions from (value, weight) pairs.</summary>
public static class Categorical
{
    /// <summary>A categorical distribution with the given outcomes and weights.</summary>
    public static Categorical<T> Of<T>(params (T Value, double Weight)[] outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return new Categorical<T>(outcomes.Select(o => new Weighted<T>(o.Value, o.Weight)).ToList());
    }
}

/// <summary>
/// The log-normal distribution: ln X ~ Normal(μ, σ²). The simulator's model for positive, right-skewed quantities
/// (nodule size, hospital stay, disease-free interval), fitted to what a paper reports (mean ± SD, or a median and a
/// percentage below a cut point).
/// </summary>
/// <param name="Mu">μ, the mean of ln X (ln of the median).</param>
/// <param name="Sigma">σ &gt; 0, the standard deviation of ln X.</param>
public sealed record LogNormal(double Mu, double Sigma)
{
    /// <summary>The median, e^μ.</summary>
    public double Median => Math.Exp(Mu);

    /// <summary>The mean, e^(μ + σ²/2).</summary>
    public double Mean => Math.Exp(Mu + Sigma * Sigma / 2);

    /// <summary>The log-normal with the given mean m and standard deviation s: σ² = ln(1 + s²/m²), μ = ln m − σ²/2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">m or s not positive.</exception>
    public static LogNormal FromMeanSd(double mean, double sd)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mean);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sd);
        double s2 = Math.Log(1 + sd * sd / (mean * mean));
        return new LogNormal(Math.Log(mean) - s2 / 2, Math.Sqrt(s2));
    }

    /// <summary>
    /// The log-normal with median <paramref name="median"/> and P(X &lt; <paramref name="x"/>) = <paramref name="share"/>:
    /// μ = ln median, σ = (ln x − μ) / Φ⁻¹(share).
    /// </summary>
    /// <exception cref="ArgumentException">The share is on the wrong side of ½ for x, or x equals the median.</exception>
    public static LogNormal FromMedianAndShareBelow(double median, double x, double share)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(median);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(x);
        double z = Gaussian.Quantile(share);
        double sigma = (Math.Log(x) - Math.Log(median)) / z;
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"P(X < {x}) = {share} is inconsistent with a median of {median}."),
                nameof(share));
        }

        return new LogNormal(Math.Log(median), sigma);
    }

    /// <summary>P(X ≤ x).</summary>
    public double Cdf(double x) => x <= 0 ? 0 : Gaussian.Cdf((Math.Log(x) - Mu) / Sigma);

    /// <summary>
    /// Draws from the distribution truncated to [<paramref name="lower"/>, <paramref name="upper"/>] by inversion:
    /// x = F⁻¹(F(a) + U (F(b) − F(a))), one uniform draw per value.
    /// </summary>
    public double SampleTruncated(Random random, double lower, double upper)
    {
        ArgumentNullException.ThrowIfNull(random);
        double fa = Cdf(lower);
        double fb = Cdf(upper);
        double u = fa + random.NextDouble() * (fb - fa);
        if (u <= 0)
        {
            return lower;
        }

        double x = Math.Exp(Mu + Sigma * Gaussian.Quantile(Math.Min(u, 1 - 1e-16)));
        return Math.Clamp(x, lower, upper);
    }
}

/// <summary>
/// A whole-number quantity (millimetres, days) drawn from a log-normal truncated to [Min − ½, Max + ½) and rounded
/// half up, so every value lies in [Min, Max] and P(value ≥ c) = P(X ≥ c − ½ | truncation) exactly.
/// </summary>
/// <param name="Shape">The underlying log-normal.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public sealed record RoundedLogNormal(LogNormal Shape, int Min, int Max)
{
    /// <summary>
    /// The rounded log-normal on [min, max] whose own (rounded, truncated) values have mean <paramref name="mean"/> and
    /// SD <paramref name="sd"/>, as a paper reports them ("8.5 ± 6.7 (2-41)"): fixed-point iteration from the
    /// untruncated fit, μ ← μ + ln(m / mean(μ, σ)), σ ← σ · (s/m) / (sd(μ, σ)/mean(μ, σ)), to 1e-10, 1000 steps at most.
    /// </summary>
    /// <exception cref="ArgumentException">The moments cannot be reached on [min, max].</exception>
    public static RoundedLogNormal FromMeanSd(double mean, double sd, int min, int max)
    {
        if (!(min < mean && mean < max) || !(sd > 0))
        {
            throw new ArgumentException("The mean must lie inside (min, max) and the SD must be positive.", nameof(mean));
        }

        var start = LogNormal.FromMeanSd(mean, sd);
        var model = new RoundedLogNormal(start, min, max);
        for (int i = 0; i < 1000; i++)
        {
            var (m, s) = model.Moments();
            if (Math.Abs(m - mean) < 1e-10 && Math.Abs(s - sd) < 1e-10)
            {
                return model;
            }

            model = model with { Shape = new LogNormal(model.Shape.Mu + Math.Log(mean / m), model.Shape.Sigma * (sd / mean) / (s / m)) };
        }

        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"No rounded log-normal on [{min}, {max}] has mean {mean} and SD {sd}."), nameof(sd));
    }

    /// <summary>The exact mean and SD of the rounded values: Σ v P(v), P(v) = (F(v + ½) − F(v − ½)) / (F(Max + ½) − F(Min − ½)).</summary>
    public (double Mean, double StandardDeviation) Moments()
    {
        ArgumentNullException.ThrowIfNull(Shape);
        double z = Shape.Cdf(Max + 0.5) - Shape.Cdf(Min - 0.5);
        double m = 0;
        double m2 = 0;
        for (int v = Min; v <= Max; v++)
        {
            double p = (Shape.Cdf(v + 0.5) - Shape.Cdf(v - 0.5)) / z;
            m += p * v;
            m2 += p * v * v;
        }

        return (m, Math.Sqrt(Math.Max(m2 - m * m, 0)));
    }

    /// <summary>Draws one value.</summary>
    public int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(Shape);
        double x = Shape.SampleTruncated(random, Min - 0.5, Max + 0.5);
        return Math.Clamp((int)Math.Floor(x + 0.5), Min, Max);
    }

    /// <summary>P(value ≥ <paramref name="cut"/>).</summary>
    public double ProbabilityAtLeast(int cut)
    {
        ArgumentNullException.ThrowIfNull(Shape);
        if (cut <= Min)
        {
            return 1;
        }

        if (cut > Max)
        {
            return 0;
        }

        double fa = Shape.Cdf(Min - 0.5);
        double fb = Shape.Cdf(Max + 0.5);
        return (fb - Shape.Cdf(cut - 0.5)) / (fb - fa);
    }
}

/// <summary>
/// A normal distribution truncated to [Min, Max] (age at metastasectomy). <see cref="FromMoments"/> solves for the
/// parameters whose truncated mean and SD are a paper's reported mean ± SD.
/// </summary>
/// <param name="Mu">μ of the untruncated normal.</param>
/// <param name="Sigma">σ &gt; 0 of the untruncated normal.</param>
/// <param name="Min">Lower truncation point.</param>
/// <param name="Max">Upper truncation point.</param>
public sealed record TruncatedNormal(double Mu, double Sigma, double Min, double Max)
{
    /// <summary>The mean of the truncated distribution: μ + σ (φ(α) − φ(β)) / Z, α = (Min − μ)/σ, β = (Max − μ)/σ, Z = Φ(β) − Φ(α).</summary>
    public double Mean
    {
        get
        {
            var (a, b, z) = Standardised();
            return Mu + Sigma * (Gaussian.Density(a) - Gaussian.Density(b)) / z;
        }
    }

    /// <summary>The SD of the truncated distribution: σ √(1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²).</summary>
    public double StandardDeviation
    {
        get
        {
            var (a, b, z) = Standardised();
            double d = (Gaussian.Density(a) - Gaussian.Density(b)) / z;
            return Sigma * Math.Sqrt(1 + (a * Gaussian.Density(a) - b * Gaussian.Density(b)) / z - d * d);
        }
    }

    /// <summary>
    /// The truncated normal on [min, max] whose own mean and SD are <paramref name="mean"/> and <paramref name="sd"/>
    /// (fixed-point iteration μ ← μ + (m − mean(μ, σ)), σ ← σ · s / sd(μ, σ), 200 steps at most, to 1e-10).
    /// </summary>
    /// <exception cref="ArgumentException">The moments are not reachable within the bounds.</exception>
    public static TruncatedNormal FromMoments(double mean, double sd, double min, double max)
    {
        if (!(min < mean && mean < max) || !(sd > 0))
        {
            throw new ArgumentException("The mean must lie inside (min, max) and the SD must be positive.", nameof(mean));
        }

        var t = new TruncatedNormal(mean, sd, min, max);
        for (int i = 0; i < 200; i++)
        {
            double m = t.Mean;
            double s = t.StandardDeviation;
            if (Math.Abs(m - mean) < 1e-10 && Math.Abs(s - sd) < 1e-10)
            {
                return t;
            }

            t = t with { Mu = t.Mu + (mean - m), Sigma = t.Sigma * sd / s };
        }

        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"No normal truncated to [{min}, {max}] has mean {mean} and SD {sd}."), nameof(sd));
    }

    /// <summary>Draws one value by inversion.</summary>
    public double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double fa = Gaussian.Cdf((Min - Mu) / Sigma);
        double fb = Gaussian.Cdf((Max - Mu) / Sigma);
        double u = fa + random.NextDouble() * (fb - fa);
        double x = Mu + Sigma * Gaussian.Quantile(Math.Clamp(u, 1e-16, 1 - 1e-16));
        return Math.Clamp(x, Min, Max);
    }

    private (double A, double B, double Z) Standardised()
    {
        double a = (Min - Mu) / Sigma;
        double b = (Max - Mu) / Sigma;
        return (a, b, Gaussian.Cdf(b) - Gaussian.Cdf(a));
    }
}
