using System.Text.Json;
using System.Text.Json.Serialization;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;
using Sarcostat.Survival.Rmst;

namespace Sarcostat.Survival.Tests;

/// <summary>
/// Every estimator that takes a <see cref="SurvivalResponse"/> gives, on a response with rows left out for each reason,
/// the numbers its array overload gives on the complete cases selected by hand (a second code path: a plain filter
/// here, the response's accounting there), bit for bit, and counts the rows left out. Results are compared as their
/// JSON serialisation, which writes doubles round-trip exactly, so any difference in any number fails.
/// </summary>
public sealed class SurvivalResponseEstimatorTests
{
    private static readonly JsonSerializerOptions Exact = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
    };

    /// <summary>
    /// 80 rows: times in whole days with ties, ~65 % events; 4 rows without a time, 3 without a status, 5 without a
    /// group, 4 without a stratum; a numeric covariate with 3 missing values and a three-level factor.
    /// </summary>
    private sealed class Data
    {
        public Data(int seed)
        {
            var rng = new Random(seed);
            int n = 80;
            Time = new double?[n];
            Status = new int?[n];
            var g = new int[n];
            var s = new int[n];
            X = new double[n];
            var f = new string?[n];
            for (int i = 0; i < n; i++)
            {
                g[i] = rng.Next(3);
                s[i] = rng.Next(2);
                double t = Math.Ceiling(-Math.Log(1 - rng.NextDouble()) * (g[i] == 1 ? 200 : 320));
                double c = Math.Ceiling(rng.NextDouble() * 700);
                Time[i] = Math.Min(t, c);
                Status[i] = t <= c ? 1 : 0;
                X[i] = Math.Round(rng.NextDouble() * 10, 1) + (g[i] * 0.7);
                f[i] = new[] { "low", "mid", "high" }[rng.Next(3)];
            }

            foreach (int i in new[] { 3, 17, 40, 77 })
            {
                Time[i] = null;
            }

            foreach (int i in new[] { 5, 41, 60 })
            {
                Status[i] = null;
            }

            foreach (int i in new[] { 3, 8, 22, 50, 61 })
            {
                g[i] = -1;
            }

            foreach (int i in new[] { 9, 23, 60, 70 })
            {
                s[i] = -1;
            }

            foreach (int i in new[] { 11, 30, 71 })
            {
                X[i] = double.NaN;
            }

            Group = Factor.FromCodes("arm", g, ["A", "B", "C"]);
            Strata = Factor.FromCodes("site", s, ["north", "south"]);
            Level = Factor.FromValues("grade", f);
        }

        public double?[] Time { get; }

        public int?[] Status { get; }

        public Factor Group { get; }

        public Factor Strata { get; }

        public double[] X { get; }

        public Factor Level { get; }

        public IReadOnlyList<Covariate> Covariates => [new NumericCovariate("x", X), new CategoricalCovariate(Level)];

        /// <summary>The rows with a time and a status, and (when asked) a group and a stratum: filtered by hand.</summary>
        public int[] Complete(bool group, bool strata) => Enumerable.Range(0, Time.Length)
            .Where(i => Time[i] is not null && Status[i] is not null && (!group || Group.Codes[i] >= 0) && (!strata || Strata.Codes[i] >= 0))
            .ToArray();

        public static double[] Times(Data d, int[] rows) => rows.Select(i => d.Time[i]!.Value).ToArray();

        public static bool[] Events(Data d, int[] rows) => rows.Select(i => d.Status[i] == 1).ToArray();

        public static Factor Sub(Factor f, int[] rows) => Factor.FromCodes(f.Name, rows.Select(i => f.Codes[i]).ToArray(), [.. f.Levels]);

        public IReadOnlyList<Covariate> CovariatesAt(int[] rows) =>
            [new NumericCovariate("x", rows.Select(i => X[i]).ToArray()), new CategoricalCovariate(Sub(Level, rows))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Kaplan_Meier_follow_up_and_restricted_means_equal_the_arrays_of_the_complete_cases(int seed)
    {
        var d = new Data(seed);
        var response = SurvivalResponse.FromValues(d.Time, d.Status, d.Group);
        var rows = d.Complete(group: true, strata: false);
        var t = Data.Times(d, rows);
        var e = Data.Events(d, rows);
        var g = Data.Sub(d.Group, rows);
        response.Kept.Should().Be(rows.Length);
        response.Rows.Should().Equal(rows);

        foreach (var fix in new[] { TimeFix.R, TimeFix.Exact })
        {
            var options = new KaplanMeierOptions { TimeFix = fix, ConfidenceType = ConfidenceIntervalType.LogLog };
            var byResponse = Survival.Curves.KaplanMeier.FitByGroup(response, options);
            var byArrays = Survival.Curves.KaplanMeier.FitByGroup(t, e, g, options);
            Json(byResponse.Fits).Should().Be(Json(byArrays.Fits)).And.Contain("\"StdErr\":0.", "the steps' numbers are compared");
            byResponse.Dropped.Should().Equal(3, 5, 8, 17, 22, 40, 41, 50, 60, 61, 77);
            byResponse.Warnings.Should().ContainSingle(w => w.Code == "missing-group")
                .Which.Message.Should().StartWith("4 observation(s) with a missing 'arm'", "row 3 lacks its time first");

            Json(Survival.Curves.KaplanMeier.Fit(response, options)).Should().Be(Json(Survival.Curves.KaplanMeier.Fit(t, e, options)));
            Json(Survival.Curves.KaplanMeier.FollowUp(response, options)).Should().Be(Json(Survival.Curves.KaplanMeier.FollowUp(t, e, options)));
            Json(RestrictedMean.ByGroup(response, 365, options)).Should().Be(Json(RestrictedMean.ByGroup(byArrays.Fits, 365, options.ConfidenceLevel)));
        }
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 0.0)]
    public void Log_rank_with_and_without_strata_equals_the_arrays_of_the_complete_cases(int seed, double rho)
    {
        var d = new Data(seed);
        var options = new LogRankOptions { Rho = rho };

        var stratified = SurvivalResponse.FromValues(d.Time, d.Status, d.Group, d.Strata);
        var rows = d.Complete(group: true, strata: true);
        var expected = Survival.RankTests.LogRank.Test(Data.Times(d, rows), Data.Events(d, rows), Data.Sub(d.Group, rows), Data.Sub(d.Strata, rows), options);
        var actual = Survival.RankTests.LogRank.Test(stratified, options);
        actual.NDropped.Should().Be(expected.NDropped + d.Time.Length - rows.Length);
        Json(Without(actual)).Should().Be(Json(Without(expected)));

        // Without strata: once unsorted, once on the sort Kaplan-Meier left in the response.
        var plain = SurvivalResponse.FromValues(d.Time, d.Status, d.Group);
        rows = d.Complete(group: true, strata: false);
        expected = Survival.RankTests.LogRank.Test(Data.Times(d, rows), Data.Events(d, rows), Data.Sub(d.Group, rows), null, options);
        Json(Without(Survival.RankTests.LogRank.Test(plain, options))).Should().Be(Json(Without(expected)));
        _ = Survival.Curves.KaplanMeier.FitByGroup(plain);
        Json(Without(Survival.RankTests.LogRank.Test(plain, options))).Should().Be(Json(Without(expected)));
        Survival.RankTests.LogRank.Test(plain, options).NDropped.Should().Be(d.Time.Length - rows.Length);
    }

    [Theory]
    [InlineData(1, TieMethod.Efron)]
    [InlineData(2, TieMethod.Breslow)]
    [InlineData(3, TieMethod.Efron)]
    public void Cox_its_checks_its_covariate_tests_and_Firth_equal_the_arrays_of_the_complete_cases(int seed, TieMethod ties)
    {
        var d = new Data(seed);
        var options = new CoxOptions { Ties = ties };
        var response = SurvivalResponse.FromValues(d.Time, d.Status, null, d.Strata);
        var rows = d.Complete(group: false, strata: true);
        var t = Data.Times(d, rows);
        var e = Data.Events(d, rows);
        var s = Data.Sub(d.Strata, rows);
        var covariates = d.CovariatesAt(rows);

        var expected = CoxRegression.Fit(t, e, covariates, s, options);
        var actual = CoxRegression.Fit(response, d.Covariates, options);
        Json(Numbers(actual)).Should().Be(Json(Numbers(expected))).And.Contain("\"Coef\":", "the coefficients are compared");
        actual.NDropped.Should().Be(expected.NDropped + response.DroppedCount);
        expected.NDropped.Should().BeGreaterThan(0, "some covariate values are missing among the complete responses");
        int eventsWithoutStratum = Enumerable.Range(0, d.Time.Length).Count(i => d.Time[i] is not null && d.Status[i] == 1 && d.Strata.Codes[i] < 0);
        actual.EventsDropped.Should().Be(expected.EventsDropped + eventsWithoutStratum);
        response.EventsDropped.Should().Be(eventsWithoutStratum);

        // The fit keeps its complete cases: its checks need nothing else and agree with the arrays' fit.
        Json(actual.Zph()).Should().Be(Json(expected.Zph()));
        Json(actual.Concordance()).Should().Be(Json(expected.Concordance()));

        var tests = CoxCovariateTests.Test(response, d.Covariates, options);
        var testsExpected = CoxCovariateTests.Test(t, e, covariates, s, options);
        Json(tests.Tests).Should().Be(Json(testsExpected.Tests));
        Json(Numbers(tests.Fit)).Should().Be(Json(Numbers(testsExpected.Fit)));

        var firth = CoxFirth.Fit(response, d.Covariates);
        var firthExpected = CoxFirth.Fit(t, e, covariates, s);
        Json(new { firth.Terms, firth.Variance, firth.PenalizedLogLik, firth.LogLik, firth.LikelihoodRatio, firth.N, firth.Events })
            .Should().Be(Json(new { firthExpected.Terms, firthExpected.Variance, firthExpected.PenalizedLogLik, firthExpected.LogLik, firthExpected.LikelihoodRatio, firthExpected.N, firthExpected.Events }));
        firth.NDropped.Should().Be(firthExpected.NDropped + response.DroppedCount);
    }

    [Fact]
    public void Cox_on_a_response_checks_that_each_covariate_has_a_value_per_input_row()
    {
        var response = SurvivalResponse.FromValues([1.0, 2, null, 4], [1, 0, 1, 1]);
        FluentActions.Invoking(() => CoxRegression.Fit(response, [new NumericCovariate("x", [1, 2, 3])]))
            .Should().Throw<ArgumentException>().WithMessage("Covariate 'x' has 3 values but the response has 4 rows.*");
        FluentActions.Invoking(() => CoxRegression.Fit((SurvivalResponse)null!, [new NumericCovariate("x", [1, 2, 3, 4])]))
            .Should().Throw<ArgumentNullException>();
    }

    private static object Numbers(CoxFit f) => new
    {
        f.Terms, f.Variance, f.Means, f.LogLik, f.LogLikNull, f.Iterations, f.Converged, f.LikelihoodRatio, f.Wald, f.Score, f.N, f.Events, f.Warnings,
    };

    private static object Without(LogRankResult r) => new
    {
        r.Groups, r.Variance, r.ChiSquare, r.DegreesOfFreedom, r.P, r.Rho, r.N, r.Stratified, r.StrataCount, r.Strata, r.Warnings,
    };

    private static string Json(object value) => JsonSerializer.Serialize(value, Exact);
}
