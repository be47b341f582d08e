using System.Globalization;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// The disease-free interval (DFI): 0 for a synchronous metastasis, otherwise a log-normal number of months between
/// the primary surgery and the detection of the lung metastasis, fitted to the paper's median and its share below the
/// cut point (both papers dichotomise at 12 months).
/// </summary>
/// <remarks>
/// With s the synchronous share, the metachronous part needs F(median) = (½ − s)/(1 − s) and F(cut) = (q − s)/(1 − s),
/// so σ = (ln cut − ln median) / (z_cut − z_median) and μ = ln median − σ z_median, z = Φ⁻¹(·). It is truncated to
/// [MinMonths, MaxMonths] (the paper's range). Days = round(months × 30.4375).
/// </remarks>
/// <param name="SynchronousShare">s: share of synchronous metastases (DFI 0), in [0, 1).</param>
/// <param name="MedianMonths">The overall median DFI reported by the paper.</param>
/// <param name="CutMonths">The cut point (12).</param>
/// <param name="ShareBelowCut">q: the share with DFI &lt; cut (a table's count / n).</param>
/// <param name="MinMonths">Shortest metachronous DFI.</param>
/// <param name="MaxMonths">Longest DFI (the paper's range).</param>
public sealed record DfiModel(double SynchronousShare, double MedianMonths, double CutMonths, double ShareBelowCut, double MinMonths, double MaxMonths)
{
    /// <summary>The log-normal of the metachronous DFI in months (before truncation).</summary>
    public LogNormal Metachronous
    {
        get
        {
            double s = SynchronousShare;
            double zMedian = Gaussian.Quantile((0.5 - s) / (1 - s));
            double zCut = Gaussian.Quantile((ShareBelowCut - s) / (1 - s));
            double sigma = (Math.Log(CutMonths) - Math.Log(MedianMonths)) / (zCut - zMedian);
            if (!(sigma > 0) || !double.IsFinite(sigma))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"DFI: a median of {MedianMonths} months with {ShareBelowCut} below {CutMonths} months and {s} synchronous is not a log-normal mixture."));
            }

            return new LogNormal(Math.Log(MedianMonths) - sigma * zMedian, sigma);
        }
    }

    /// <summary>
    /// P(DFI &lt; cut) for the DFI in whole days, as an analysis computes it from the dates (days / 30.4375 &lt; cut):
    /// s + (1 − s) P(round(X·30.4375) &lt; cut·30.4375).
    /// </summary>
    public double ProbabilityBelowCut(double monthDays)
    {
        var ln = Metachronous;
        double lastShortDay = Math.Ceiling(CutMonths * monthDays) - 1;
        double x = Math.Min((lastShortDay + 0.5) / monthDays, MaxMonths);
        double fa = ln.Cdf(MinMonths);
        double fb = ln.Cdf(MaxMonths);
        double inside = x <= MinMonths ? 0 : (ln.Cdf(x) - fa) / (fb - fa);
        return SynchronousShare + (1 - SynchronousShare) * inside;
    }

    /// <summary>Draws the DFI in days (0 when synchronous).</summary>
    public int SampleDays(Random random, double monthDays, out bool synchronous)
    {
        ArgumentNullException.ThrowIfNull(random);
        synchronous = random.NextDouble() < SynchronousShare;
        if (synchronous)
        {
            return 0;
        }

        double months = Metachronous.SampleTruncated(random, MinMonths, MaxMonths);
        return (int)Math.Floor(months * monthDays + 0.5);
    }
}

/// <summary>
/// The number of lung nodules: 1 with the solitary share, otherwise 2 + a geometric count with the given mean,
/// truncated at <see cref="Max"/> (sampled by inversion of the truncated distribution).
/// </summary>
/// <param name="SolitaryShare">P(one nodule).</param>
/// <param name="MeanExtraWhenMultiple">Mean of (count − 2) among multiple nodules, before truncation.</param>
/// <param name="Max">Largest count (the paper's range).</param>
public sealed record NoduleModel(double SolitaryShare, double MeanExtraWhenMultiple, int Max)
{
    /// <summary>Draws a count.</summary>
    public int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() < SolitaryShare)
        {
            return 1;
        }

        // Geometric on {0, 1, ...} with P(k) ∝ (1 − p)^k, p = 1 / (1 + mean), truncated to k ≤ Max − 2.
        double q = MeanExtraWhenMultiple / (1 + MeanExtraWhenMultiple);
        int kMax = Max - 2;
        double u = random.NextDouble();
        double tail = 1 - Math.Pow(q, kMax + 1);
        int k = q <= 0 ? 0 : (int)Math.Floor(Math.Log(1 - u * tail) / Math.Log(q));
        return 2 + Math.Clamp(k, 0, kMax);
    }
}

/// <summary>Postoperative ICU stay: 0 days with <see cref="ZeroShare"/>, otherwise a rounded log-normal number of days.</summary>
/// <param name="ZeroShare">Share with no ICU stay.</param>
/// <param name="Positive">Days when there was an ICU stay.</param>
public sealed record IcuStayModel(double ZeroShare, RoundedLogNormal Positive)
{
    /// <summary>Draws one stay.</summary>
    public int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(Positive);
        return random.NextDouble() < ZeroShare ? 0 : Positive.Sample(random);
    }
}

/// <summary>A complication type and its Clavien-Dindo grade (dictionary codes).</summary>
/// <param name="Type">complication code (none, prolonged_air_leak, ...).</param>
/// <param name="ClavienDindo">clavien_dindo code (none, I, II, IIIa, ...).</param>
public sealed record Complication(string Type, string ClavienDindo);

/// <summary>Diabetes and hypertension, drawn jointly (paper 000 reports how many had both).</summary>
/// <param name="Diabetes">Diabetes mellitus.</param>
/// <param name="Hypertension">Hypertension.</param>
public sealed record Comorbidity(bool Diabetes, bool Hypertension);

/// <summary>Which endpoint the survival model generates.</summary>
public enum SimulatedEndpoint
{
    /// <summary>Death from any cause (the Cox model is for all deaths; a share is labelled "other cause").</summary>
    OverallSurvival,

    /// <summary>Death from sarcoma (the Cox model is for sarcoma deaths; deaths from other causes are an independent competing process).</summary>
    DiseaseSpecificSurvival,
}

/// <summary>What a term of the generating Cox model indicates (a 0/1 covariate computed from the patient record).</summary>
public enum TermKind
{
    /// <summary>DFI (lung_met_date − primary_surgery_date, days / 30.4375; 0 when synchronous) ≥ the DFI model's cut.</summary>
    DfiAtLeastCut,

    /// <summary>DFI &lt; the DFI model's cut.</summary>
    DfiBelowCut,

    /// <summary>local_recurrence_at_pm = yes.</summary>
    LocalRecurrence,

    /// <summary>nodules ≥ 2.</summary>
    MultipleNodules,

    /// <summary>largest_nodule_mm ≥ <see cref="SimulatedTerm.Cut"/>.</summary>
    LargestNoduleAtLeast,

    /// <summary>margin of the first metastasectomy is R1 or R2.</summary>
    NonCurativeResection,

    /// <summary>histology = <see cref="SimulatedTerm.Code"/>.</summary>
    Histology,
}

/// <summary>One term of the generating Cox model: a 0/1 covariate and its hazard ratio, with where the number comes from.</summary>
/// <param name="Name">Term name as it appears in truth.json and in a fitted model (snake_case).</param>
/// <param name="Kind">What the covariate indicates.</param>
/// <param name="HazardRatio">exp(β).</param>
/// <param name="Source">The table the hazard ratio comes from ("Table 6").</param>
/// <param name="Description">The covariate in words, as the paper labels it.</param>
public sealed record SimulatedTerm(string Name, TermKind Kind, double HazardRatio, string Source, string Description)
{
    /// <summary>Cut point (mm) for <see cref="TermKind.LargestNoduleAtLeast"/>.</summary>
    public int? Cut { get; init; }

    /// <summary>Histology code for <see cref="TermKind.Histology"/>.</summary>
    public string? Code { get; init; }

    /// <summary>β = ln HR.</summary>
    public double Coef => Math.Log(HazardRatio);
}

/// <summary>The survival a baseline is tuned to: S(Months) = Survival for the cohort as a whole, and optionally a median.</summary>
/// <param name="Months">Time point, months from the first metastasectomy (60 = 5 years).</param>
/// <param name="Survival">Marginal survival at that time (0.629 = 62.9%).</param>
/// <param name="MedianMonths">Marginal median survival; when given the Weibull shape is tuned too, otherwise the baseline is exponential.</param>
public sealed record SurvivalTarget(double Months, double Survival, double? MedianMonths = null);

/// <summary>
/// A Weibull baseline: cumulative hazard H₀(t) = (t / Scale)^Shape, t in months; Shape = 1 is exponential.
/// A patient with linear predictor η = x'β survives to t with probability exp(−H₀(t) e^η).
/// </summary>
/// <param name="Shape">k &gt; 0.</param>
/// <param name="ScaleMonths">λ &gt; 0, months.</param>
public sealed record WeibullBaseline(double Shape, double ScaleMonths)
{
    /// <summary>H₀(t).</summary>
    public double CumulativeHazard(double months) => Math.Pow(Math.Max(months, 0) / ScaleMonths, Shape);

    /// <summary>Draws an event time by inversion: T = λ (−ln U / e^η)^(1/k), U uniform on (0, 1].</summary>
    public double SampleMonths(Random random, double linearPredictor)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = 1 - random.NextDouble();
        return ScaleMonths * Math.Pow(-Math.Log(u) / Math.Exp(linearPredictor), 1 / Shape);
    }
}
