using Sarcostat.Survival.CountingProcess;
using Sarcostat.Survival.Cox;

namespace Sarcostat.Survival.Tests.CountingProcess;

/// <summary>
/// Properties the counting-process fit must have whatever the data: with start = 0 and unit weights it is the
/// right-censored fit of <see cref="CoxRegression.Fit"/> (an independent, heavily optimised kernel) to 1e-9; splitting a
/// row's follow-up into two (start, stop] rows changes nothing (R's survSplit); an integer weight equals repeating the row.
/// </summary>
public sealed class CountingProcessCoxIdentityTests
{
    private static readonly Lazy<CsvData> Lung = new(() => CsvData.Load("lung"));
    private static readonly Lazy<CsvData> Veteran = new(() => CsvData.Load("veteran"));

    private static void Same(CoxFit expected, CountingProcessCoxFit actual, double rel)
    {
        Approx.Equal(expected.Terms.Select(t => t.Coef).ToArray(), actual.Terms.Select(t => t.Coef).ToArray(), rel, "coef");
        Approx.Equal(expected.Terms.Select(t => t.StdError).ToArray(), actual.Terms.Select(t => t.StdError).ToArray(), rel, "se");
        Approx.Equal(expected.Terms.Select(t => t.Lower).ToArray(), actual.Terms.Select(t => t.Lower).ToArray(), rel, "lower");
        Approx.Equal(expected.LogLik, actual.LogLik, rel, "loglik");
        Approx.Equal(expected.LogLikNull, actual.LogLikNull, rel, "loglik null");
        Approx.Equal(expected.Score.Statistic, actual.Score.Statistic, rel, "score test");
        Approx.Equal(expected.Wald.Statistic, actual.Wald.Statistic, rel, "Wald test");
        Assert.Equal(expected.Terms.Select(t => t.Term), actual.Terms.Select(t => t.Term));
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.N, actual.N);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.NDropped, actual.NDropped);
        Assert.False(actual.Robust);
    }

    private static void Same(CountingProcessCoxFit expected, CountingProcessCoxFit actual, double rel)
    {
        Approx.Equal(expected.Terms.Select(t => t.Coef).ToArray(), actual.Terms.Select(t => t.Coef).ToArray(), rel, "coef");
        Approx.Equal(expected.Terms.Select(t => t.StdError).ToArray(), actual.Terms.Select(t => t.StdError).ToArray(), rel, "se");
        Approx.Equal(expected.LogLik, actual.LogLik, rel, "loglik");
        Approx.Equal(expected.Score.Statistic, actual.Score.Statistic, rel, "score test");
    }

    private static List<Covariate> LungCovariates(Func<string, double[]> col) =>
    [
        new NumericCovariate("age", col("age")),
        new NumericCovariate("sex", col("sex")),
        new NumericCovariate("ph.ecog", col("ph.ecog")),
    ];

    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void Start_zero_and_unit_weights_is_the_right_censored_fit(TieMethod ties)
    {
        var lung = Lung.Value;
        var time = lung.Numeric("time");
        var status = lung.Event("status");
        var covs = LungCovariates(lung.Numeric);
        var options = new CoxOptions { Ties = ties };
        var expected = CoxRegression.Fit(time, status, covs, options: options);
        var actual = CountingProcessCox.Fit(new double[time.Length], time, status, covs, weights: Enumerable.Repeat(1.0, time.Length).ToArray(), options: options);
        Same(expected, actual, 1e-9);
    }

    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void Start_zero_with_a_factor_and_strata_is_the_right_censored_fit(TieMethod ties)
    {
        var vet = Veteran.Value;
        var time = vet.Numeric("time");
        var status = vet.Event("status");
        List<Covariate> covs =
        [
            new CategoricalCovariate(Factor.FromValues("celltype", vet.Text("celltype"))),
            new NumericCovariate("karno", vet.Numeric("karno")),
        ];
        var strata = Factor.FromValues("trt", vet.Text("trt"));
        var options = new CoxOptions { Ties = ties };
        var expected = CoxRegression.Fit(time, status, covs, strata, options);
        var actual = CountingProcessCox.Fit(new double[time.Length], time, status, covs, strata, options: options);
        Same(expected, actual, 1e-9);
    }

    // R: survSplit(Surv(time, status) ~ ., lung, cut = ...) leaves coxph's fit unchanged.
    [Theory]
    [InlineData(TieMethod.Efron)]
    [InlineData(TieMethod.Breslow)]
    public void Splitting_follow_up_into_two_rows_changes_nothing(TieMethod ties)
    {
        var lung = Lung.Value;
        var time = lung.Numeric("time");
        var status = lung.Event("status");
        var covs = LungCovariates(lung.Numeric);
        var options = new CoxOptions { Ties = ties };
        var whole = CountingProcessCox.Fit(new double[time.Length], time, status, covs, options: options);

        // Split each row at an event time of another patient when it lies inside its follow-up (so that split points
        // coincide with event times, the delicate case), else at half its follow-up.
        var cuts = time.Select((t, i) => time[(i * 7) % time.Length] < t ? time[(i * 7) % time.Length] : t / 2).ToArray();
        int n = time.Length;
        var start = new double[2 * n];
        var stop = new double[2 * n];
        var st = new bool[2 * n];
        var rowOf = new int[2 * n];
        for (int i = 0; i < n; i++)
        {
            (start[i], stop[i], st[i], rowOf[i]) = (0, cuts[i], false, i);
            (start[n + i], stop[n + i], st[n + i], rowOf[n + i]) = (cuts[i], time[i], status[i], i);
        }

        var split = LungCovariates(name => rowOf.Select(i => lung.Numeric(name)[i]).ToArray());
        var id = Factor.FromValues("id", rowOf.Select(i => (string?)i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
        var fit = CountingProcessCox.Fit(start, stop, st, split, options: options);
        Same(whole, fit, 1e-9);

        // Clustered on the patient, the robust variance of the split data equals the row-wise robust variance unsplit.
        var robustWhole = CountingProcessCox.Fit(new double[n], time, status, covs, robust: true, options: options);
        var robustSplit = CountingProcessCox.Fit(start, stop, st, split, cluster: id, options: options);
        Approx.Equal(
            robustWhole.Terms.Select(t => t.RobustStdError!.Value).ToArray(),
            robustSplit.Terms.Select(t => t.RobustStdError!.Value).ToArray(), 1e-9, "robust se");
        Approx.Equal(robustWhole.RobustScore!.Statistic, robustSplit.RobustScore!.Statistic, 1e-9, "robust score");
        Assert.Equal(robustWhole.N, robustSplit.Clusters); // patients with a missing covariate are not clusters
    }

    [Fact]
    public void An_integer_weight_equals_repeating_the_row()
    {
        var lung = Lung.Value;
        var time = lung.Numeric("time");
        var status = lung.Event("status");
        int n = time.Length;
        var w = Enumerable.Range(0, n).Select(i => (double)((i % 3) + 1)).ToArray();
        var rows = Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        // Breslow: with Efron ties a weighted event is not the same as d tied events (Efron averages over the d events).
        var breslow = new CoxOptions { Ties = TieMethod.Breslow };
        var weighted = CountingProcessCox.Fit(new double[n], time, status, LungCovariates(lung.Numeric), weights: w, options: breslow);
        var repeated = CountingProcessCox.Fit(
            new double[rows.Length], rows.Select(i => time[i]).ToArray(), rows.Select(i => status[i]).ToArray(),
            LungCovariates(name => rows.Select(i => lung.Numeric(name)[i]).ToArray()), options: breslow);
        Same(repeated, weighted, 1e-9);
        Assert.False(weighted.Robust); // integer weights: R's default is the model-based variance
    }

    [Fact]
    public void Bad_arguments_are_argument_errors_and_data_without_events_a_data_error()
    {
        double[] start = [0, 0, 1], stop = [1, 2, 3];
        bool[] status = [true, false, true];
        List<Covariate> x = [new NumericCovariate("x", [1.0, 2.0, 0.5])];
        Assert.Throws<ArgumentException>(() => CountingProcessCox.Fit([0, 2, 1], stop, status, x));
        Assert.Throws<ArgumentException>(() => CountingProcessCox.Fit([0, 0, 3], stop, status, x));
        Assert.Throws<ArgumentException>(() => CountingProcessCox.Fit(start, stop, status, x, weights: [1, 0, 1]));
        Assert.Throws<ArgumentException>(() => CountingProcessCox.Fit(start, stop, status, x, weights: [1, double.NaN, 1]));
        Assert.Throws<ArgumentException>(() => CountingProcessCox.Fit(start, stop, status, x, weights: [1, 1]));
        Assert.Throws<ArgumentException>(() =>
            CountingProcessCox.Fit(start, stop, status, x, cluster: Factor.FromValues("id", ["a", "b", "a"]), robust: false));
        Assert.Throws<ArgumentException>(() =>
            CountingProcessCox.Fit(start, stop, status, x, cluster: Factor.FromValues("id", ["a", null, "a"])));
        // R: aeqSurv merges 1 and 1 + 1e-12, leaving a zero-length interval; exact times accept it.
        var z = Assert.Throws<ZeroLengthIntervalException>(() => CountingProcessCox.Fit([0, 0, 1], [1, 2, 1 + 1e-12], status, x));
        Assert.Equal("cox-zero-length-interval", z.Code);
        Assert.Equal(2, z.Row);
        var e = Assert.Throws<CoxNoEventsException>(() => CountingProcessCox.Fit(start, stop, [false, false, false], x));
        Assert.Equal("cox-no-events", e.Code);
    }
}
