using System.Collections;
using System.Runtime.CompilerServices;

namespace Sarcostat.Survival.Curves;

/// <summary>
/// The steps of a Kaplan-Meier curve stored by column (time, counts, Ŝ, σ²), so that a fit on millions of
/// distinct times costs a few array writes per time instead of an object per time. Rows
/// (<see cref="KaplanMeierStep"/>, with their confidence limits) are made on access, and so is σ = √σ² (the same
/// number as when taken while fitting, without a square root per time for a curve whose steps are never read).
/// </summary>
internal sealed class KaplanMeierSteps : IReadOnlyList<KaplanMeierStep>
{
    private double[] _time;
    private int[] _nRisk;
    private int[] _nEvent;
    private int[] _nCensor;
    private double[] _survival;
    private double[] _variance;
    private readonly Lazy<(double[] Hazard, double[] Variance)> _hazard;
    private readonly ConfidenceIntervalType _type;
    private readonly double _z;

    /// <summary>Creates an empty list.</summary>
    /// <param name="capacity">Expected number of distinct times (arrays grow by doubling beyond it).</param>
    /// <param name="type">Confidence interval type of the limits made on access.</param>
    /// <param name="z">Normal quantile of the confidence level.</param>
    internal KaplanMeierSteps(int capacity, ConfidenceIntervalType type, double z)
    {
        // Uninitialised: every slot below Count is written before it is read (no zeroing pass over 36 bytes a step).
        capacity = Math.Max(capacity, 4);
        _time = GC.AllocateUninitializedArray<double>(capacity);
        _nRisk = GC.AllocateUninitializedArray<int>(capacity);
        _nEvent = GC.AllocateUninitializedArray<int>(capacity);
        _nCensor = GC.AllocateUninitializedArray<int>(capacity);
        _survival = GC.AllocateUninitializedArray<double>(capacity);
        _variance = GC.AllocateUninitializedArray<double>(capacity);
        _type = type;
        _z = z;

        // Made on the first read of a step, not while fitting: a curve whose steps are never read (a median of
        // 10⁷ times) costs no extra pass and no 160 MB.
        _hazard = new Lazy<(double[], double[])>(NelsonAalen);
    }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <inheritdoc />
    public KaplanMeierStep this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"A step index must lie in 0..{Count - 1}.");
            }

            double s = _survival[index], sigma = Sigma(index);
            var (lower, upper) = Limits(index);
            var (hazard, hazardVariance) = _hazard.Value;
            return new KaplanMeierStep(
                _time[index], _nRisk[index], _nEvent[index], _nCensor[index], s, Finite(s * sigma), sigma, lower, upper,
                hazard[index], Math.Sqrt(hazardVariance[index]));
        }
    }

    /// <summary>Time of step k.</summary>
    internal double Time(int k) => _time[k];

    /// <summary>Ŝ at step k.</summary>
    internal double Survival(int k) => _survival[k];

    /// <summary>Events at step k.</summary>
    internal int NEvent(int k) => _nEvent[k];

    /// <summary>Number at risk at step k.</summary>
    internal int NRisk(int k) => _nRisk[k];

    /// <summary>Censorings at step k.</summary>
    internal int NCensor(int k) => _nCensor[k];

    /// <summary>Nelson-Aalen cumulative hazard at step k and its standard error.</summary>
    internal (double Hazard, double StdErr) Hazard(int k)
    {
        var (hazard, variance) = _hazard.Value;
        return (hazard[k], Math.Sqrt(variance[k]));
    }

    /// <summary>Greenwood standard error of Ŝ at step k, null where undefined.</summary>
    internal double? StdErr(int k) => Finite(_survival[k] * Sigma(k));

    /// <summary>Confidence limits at step k.</summary>
    internal (double? Lower, double? Upper) Limits(int k) => KaplanMeierEstimator.Limits(_survival[k], Sigma(k), _type, _z);

    /// <summary>Lower confidence limit at step k (as <see cref="Limits"/>, without computing the upper one).</summary>
    internal double? Lower(int k) => KaplanMeierEstimator.LowerLimit(_survival[k], Sigma(k), _type, _z);

    /// <summary>Upper confidence limit at step k (as <see cref="Limits"/>, without computing the lower one).</summary>
    internal double? Upper(int k) => KaplanMeierEstimator.UpperLimit(_survival[k], Sigma(k), _type, _z);

    /// <summary>The interval type of the limits.</summary>
    internal ConfidenceIntervalType Type => _type;

    /// <summary>σ at step k: the Greenwood standard error of −log Ŝ, √Σ d_j / (n_j (n_j − d_j)).</summary>
    internal double Sigma(int k) => Math.Sqrt(_variance[k]);

    /// <summary>Appends a step (building only); <paramref name="variance"/> is σ².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(double time, int nRisk, int nEvent, int nCensor, double survival, double variance)
    {
        int k = Count++;
        if (k == _time.Length)
        {
            int size = k * 2;
            Array.Resize(ref _time, size);
            Array.Resize(ref _nRisk, size);
            Array.Resize(ref _nEvent, size);
            Array.Resize(ref _nCensor, size);
            Array.Resize(ref _survival, size);
            Array.Resize(ref _variance, size);
        }

        _time[k] = time;
        _nRisk[k] = nRisk;
        _nEvent[k] = nEvent;
        _nCensor[k] = nCensor;
        _survival[k] = survival;
        _variance[k] = variance;
    }

    /// <summary>Number of steps with Time ≤ t (R: <c>findInterval(t, time)</c>).</summary>
    internal int CountAtOrBefore(double t)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_time[mid] <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Number of steps with Time &lt; t (R: <c>findInterval(t, time, left.open = TRUE)</c>).</summary>
    internal int CountBefore(double t)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_time[mid] < t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// The Nelson-Aalen cumulative hazard and its variance at every step, one pass:
    /// Λ̂(t) = Σ_{t_j ≤ t} d_j / n_j, Var = Σ_{t_j ≤ t} d_j / n_j². R: <c>survfit</c>'s <c>cumhaz</c> and
    /// <c>std.chaz</c>² with its default <c>ctype = 1</c> (survfitKM: hazard d/n, variance d/n² summed over times).
    /// </summary>
    private (double[] Hazard, double[] Variance) NelsonAalen()
    {
        var hazard = new double[Count];
        var variance = new double[Count];
        double h = 0, v = 0;
        for (int k = 0; k < Count; k++)
        {
            int d = _nEvent[k];
            if (d > 0)
            {
                double n = _nRisk[k];
                h += d / n;
                v += d / (n * n);
            }

            hazard[k] = h;
            variance[k] = v;
        }

        return (hazard, variance);
    }

    /// <inheritdoc />
    public IEnumerator<KaplanMeierStep> GetEnumerator()
    {
        for (int k = 0; k < Count; k++)
        {
            yield return this[k];
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
