using System.Runtime.CompilerServices;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The complete-case design of a Cox fit (the fit's own <see cref="CoxRegression.PreparedDesign"/>, or the same
/// design rebuilt from the inputs), with the linear predictor of the fit and the row order by (stratum, time): what
/// the model checks (<see cref="CoxZph"/>, <see cref="Concordance"/>) need.
/// </summary>
internal sealed class CoxModelData
{
    private int[]? _order;
    private int[]? _stratumStarts;

    private CoxModelData(
        double[] time, bool[] status, double[] x, int p, int[] stratum, int strataCount, double[] eta, int[][] assign, string[] termNames, int[]? timeOrder)
    {
        Time = time;
        Status = status;
        X = x;
        P = p;
        Stratum = stratum;
        StrataCount = strataCount;
        Eta = eta;
        Assign = assign;
        TermNames = termNames;
        TimeOrder = timeOrder;
    }

    /// <summary>Times of the complete cases, after the fit's time fix.</summary>
    public double[] Time { get; }

    /// <summary>Event indicators of the complete cases.</summary>
    public bool[] Status { get; }

    /// <summary>The n × p design, column-major (row i of column j at j·n + i), not centred; shared with the fit.</summary>
    public double[] X { get; }

    /// <summary>Number of design columns.</summary>
    public int P { get; }

    /// <summary>Number of complete cases.</summary>
    public int N => Time.Length;

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

    /// <summary><see cref="Survival.TimeOrder.Ascending"/> of <see cref="Time"/> (stable), or null when not known.</summary>
    public int[]? TimeOrder { get; private set; }

    /// <summary>Rows by stratum, then time, then row (R <c>order(strata, time)</c>), computed once for both checks.</summary>
    public int[] Order
    {
        get
        {
            EnsureOrder();
            return _order!;
        }
    }

    /// <summary>Where stratum s begins in <see cref="Order"/> (one more entry than strata).</summary>
    public int[] StratumStarts
    {
        get
        {
            EnsureOrder();
            return _stratumStarts!;
        }
    }

    /// <summary>The stable ascending time order, computed on first use.</summary>
    public int[] AscendingTimeOrder() => TimeOrder ??= Survival.TimeOrder.Ascending(Time);

    private void EnsureOrder()
    {
        if (_order is null)
        {
            _order = ConcordanceKernel.ByStratumThenTime(AscendingTimeOrder(), Stratum, out var starts);
            _stratumStarts = starts;
        }
    }

    /// <summary>
    /// The data of a fit that keeps its design (<see cref="CoxFit.Design"/>): nothing is rebuilt, the design is
    /// shared, not copied. Falls back to rebuilding from the fit's inputs. Cached beside the fit, so that cox.zph and
    /// concordance of one fit share the time fix, the linear predictor and the order.
    /// </summary>
    public static CoxModelData Of(CoxFit fit, CoxFitInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Design is not { Assign: not null } design)
        {
            return Build(inputs.Time, inputs.Status, inputs.Covariates, inputs.Strata, fit);
        }

        if (Cache.TryGetValue(fit, out var last) && last.Source is null)
        {
            return last.Data;
        }

        var data = FromDesign(design, [.. inputs.Covariates.Select(c => c.Name)], fit);
        Cache.AddOrUpdate(fit, new Cached(null, data));
        return data;
    }

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
        var source = new Inputs(time, status, covariates, strata);
        if (Cache.TryGetValue(fit, out var last) && last.Source is { } s && ReferenceEquals(s.Time, time) && ReferenceEquals(s.Status, status)
            && ReferenceEquals(s.Covariates, covariates) && ReferenceEquals(s.Strata, strata))
        {
            return last.Data;
        }

        var data = BuildNew(time, status, covariates, strata, fit);
        Cache.AddOrUpdate(fit, new Cached(source, data));
        return data;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CoxFit, Cached> Cache = new();

    private sealed record Inputs(IReadOnlyList<double> Time, IReadOnlyList<bool> Status, IReadOnlyList<Covariate> Covariates, Factor? Strata);

    /// <summary>A build and the inputs it came from (null: the fit's own design).</summary>
    private sealed record Cached(Inputs? Source, CoxModelData Data);

    private static CoxModelData BuildNew(
        IReadOnlyList<double> time, IReadOnlyList<bool> status, IReadOnlyList<Covariate> covariates, Factor? strata, CoxFit fit)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(fit);
        if (covariates.Count == 0)
        {
            throw new ArgumentException("A Cox model needs at least one covariate.", nameof(covariates));
        }

        var design = CoxRegression.Prepare(time, status, covariates, strata);
        var termNames = design.Terms.Select(t => t.Name).ToList();
        int m = design.Time.Length, p = design.P;
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

        return FromDesign(design, [.. covariates.Select(c => c.Name)], fit);
    }

    /// <summary>
    /// The checks' data from a complete-case design: the time fix (sharing its ascending order with the checks when it
    /// changes nothing), the linear predictor column by column, dense stratum codes in level order. The design is not copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CoxModelData FromDesign(CoxRegression.PreparedDesign design, string[] termNames, CoxFit fit)
    {
        int m = design.Time.Length, p = design.P;
        var x = design.X;
        int[]? timeOrder = null;
        var t = design.Time;
        if (fit.Options.TimeFix != TimeFix.Exact && m >= 2)
        {
            timeOrder = Survival.TimeOrder.Ascending(t);
            t = TimeFixer.Apply(t, timeOrder, fit.Options.TimeFix);
            if (!ReferenceEquals(t, design.Time))
            {
                // Merged times: the order of the merged times breaks the new ties by row, as the checks expect.
                timeOrder = null;
            }
        }

        var eta = new double[m];
        for (int j = 0; j < p; j++)
        {
            double b = fit.Terms[j].Coef;
            double mean = fit.Means[j];
            var col = x.AsSpan(j * m, m);
            for (int i = 0; i < m; i++)
            {
                eta[i] += (col[i] - mean) * b;
            }
        }

        var stratum = new int[m];
        int strataCount = 1;
        if (design.Strata is { } codes)
        {
            int max = -1;
            foreach (var c in codes)
            {
                max = Math.Max(max, c);
            }

            // Dense codes 0..k−1 in the order of the factor's codes present among the complete cases.
            var dense = new int[max + 1];
            foreach (var c in codes)
            {
                dense[c] = 1;
            }

            int k = 0;
            for (int c = 0; c <= max; c++)
            {
                dense[c] = dense[c] == 1 ? k++ : -1;
            }

            for (int i = 0; i < m; i++)
            {
                stratum[i] = dense[codes[i]];
            }

            strataCount = Math.Max(1, k);
        }

        return new CoxModelData(t, design.Status, x, p, stratum, strataCount, eta, design.Assign!, termNames, timeOrder);
    }
}
