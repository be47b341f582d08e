using System.Globalization;

namespace Sarcostat.Survival.Cox;

/// <summary>
/// The test of one covariate of a Cox model as a whole: all its terms at once (every non-reference level of a factor).
/// </summary>
/// <param name="Covariate">The covariate's name.</param>
/// <param name="Terms">Its terms in the model (one for a numeric covariate or a two-level factor).</param>
/// <param name="LikelihoodRatio">Likelihood-ratio test against the model without the covariate, fitted on the same
/// patients: 2(l_full − l_reduced) on as many df as terms; R <c>drop1(fit, test = "Chisq")</c>.</param>
/// <param name="Wald">Wald test of the covariate's coefficients, b′V⁻¹b with V their block of the variance matrix; R
/// <c>survival:::coxph.wtest(fit$var[k, k], coef(fit)[k])$test</c>.</param>
/// <param name="ReducedLogLik">The log partial likelihood of the model without the covariate (the null model's when it is
/// the only covariate).</param>
/// <param name="Warnings">Warnings of the reduced fit (non-convergence, monotone likelihood), which make its test
/// unreliable.</param>
public sealed record CoxCovariateTest(
    string Covariate,
    IReadOnlyList<string> Terms,
    TestStatistic LikelihoodRatio,
    TestStatistic Wald,
    double ReducedLogLik,
    IReadOnlyList<AnalysisWarning> Warnings);

/// <summary>A Cox model and the test of each of its covariates as a whole.</summary>
/// <param name="Fit">The full model.</param>
/// <param name="Tests">One test per covariate, in the order of the covariates.</param>
public sealed record CoxCovariateTestResult(CoxFit Fit, IReadOnlyList<CoxCovariateTest> Tests);

/// <summary>
/// Tests of each covariate of a Cox model as a whole: the likelihood-ratio test of dropping it (R's
/// <c>drop1(fit, test = "Chisq")</c>) and the Wald test of its coefficients. For a factor of more than two levels this is
/// the one p-value of the factor, which the per-level Wald p-values of <see cref="CoxFit.Terms"/> are not.
/// </summary>
/// <remarks>
/// Every reduced model is fitted on the complete cases of the full model (as <c>drop1</c> does, on the full model's
/// model frame), so the likelihoods are comparable even when the dropped covariate has missing values. Golden values:
/// tools/reference/cox.R (<c>drop1</c> and <c>coxph.wtest</c>). See docs/statistics/cox.md.
/// </remarks>
public static class CoxCovariateTests
{
    /// <summary>
    /// Fits the model on the covariates and, for each covariate, the model without it on the same rows.
    /// </summary>
    /// <param name="time">Follow-up time per row; finite.</param>
    /// <param name="status">True for an event.</param>
    /// <param name="covariates">At least one covariate.</param>
    /// <param name="strata">Optional stratification variable (kept in every reduced model).</param>
    /// <param name="options">Settings; defaults are R's.</param>
    /// <returns>The full fit and one test per covariate.</returns>
    /// <exception cref="ArgumentException">As <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <remarks>R: <c>fit &lt;- coxph(Surv(time, status) ~ covariates + strata(s)); drop1(fit, test = "Chisq")</c>.</remarks>
    public static CoxCovariateTestResult Test(
        IReadOnlyList<double> time,
        IReadOnlyList<bool> status,
        IReadOnlyList<Covariate> covariates,
        Factor? strata = null,
        CoxOptions? options = null)
    {
        options ??= new CoxOptions();
        options.Validate();
        return Test(SurvivalResponse.Create(time, status, null, strata), covariates, options);
    }

    /// <summary>
    /// Fits the model of a survival response on the covariates and, for each covariate, the model without it on the
    /// same rows. Rows are dropped and counted as in <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.
    /// </summary>
    /// <param name="response">Time and status, optional strata (kept in every reduced model), checked.</param>
    /// <param name="covariates">At least one covariate, one value per row of the response's input.</param>
    /// <param name="options">Settings; defaults are R's.</param>
    /// <returns>The full fit and one test per covariate.</returns>
    /// <exception cref="ArgumentException">As <see cref="CoxRegression.Fit(SurvivalResponse, IReadOnlyList{Covariate}, CoxOptions?)"/>.</exception>
    /// <exception cref="CoxNoEventsException">No event among the complete cases.</exception>
    /// <exception cref="CoxDesignException">A constant covariate or collinear terms.</exception>
    /// <remarks>R: <c>fit &lt;- coxph(Surv(time, status) ~ covariates + strata(s)); drop1(fit, test = "Chisq")</c>.</remarks>
    public static CoxCovariateTestResult Test(SurvivalResponse response, IReadOnlyList<Covariate> covariates, CoxOptions? options = null)
    {
        options ??= new CoxOptions();
        options.Validate();
        var d = CoxRegression.Prepare(response, covariates, out var kept);
        var full = CoxRegression.FitCore(d.Time, d.Status, d.X, d.P, d.Terms, d.Strata, options, d.NDropped, d.EventsDropped);
        full.Inputs = kept;
        full.Design = d;
        covariates = kept.Covariates;
        int n = d.Time.Length;
        var beta = full.Terms.Select(t => t.Coef).ToArray();
        var tests = new List<CoxCovariateTest>(covariates.Count);
        foreach (var covariate in covariates)
        {
            var own = Enumerable.Range(0, d.P).Where(j => d.Terms[j].Covariate == covariate.Name).ToArray();
            var rest = Enumerable.Range(0, d.P).Where(j => d.Terms[j].Covariate != covariate.Name).ToArray();
            int k = own.Length;

            double reducedLogLik;
            IReadOnlyList<AnalysisWarning> warnings = [];
            if (rest.Length == 0)
            {
                reducedLogLik = full.LogLikNull;
            }
            else
            {
                var x = new double[n * rest.Length];
                for (int j = 0; j < rest.Length; j++)
                {
                    Array.Copy(d.X, rest[j] * n, x, j * n, n);
                }

                var reduced = CoxRegression.FitCore(d.Time, d.Status, x, rest.Length, rest.Select(j => d.Terms[j]).ToList(), d.Strata, options, d.NDropped, d.EventsDropped);
                reducedLogLik = reduced.LogLik;
                warnings = reduced.Warnings
                    .Select(w => new AnalysisWarning(w.Code, string.Create(CultureInfo.InvariantCulture, $"Model without '{covariate.Name}': {w.Message}")))
                    .ToList();
            }

            double lr = 2 * (full.LogLik - reducedLogLik);
            var block = new double[k * k];
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    block[(a * k) + b] = full.Variance[own[a]][own[b]];
                }
            }

            double wald = CoxRegression.WaldTest(block, own.Select(j => beta[j]).ToArray(), k, options.TolerChol);
            tests.Add(new CoxCovariateTest(
                covariate.Name,
                own.Select(j => d.Terms[j].Name).ToList(),
                new TestStatistic(lr, k, CoxRegression.ChiSquareUpper(lr, k)),
                new TestStatistic(wald, k, CoxRegression.ChiSquareUpper(wald, k)),
                reducedLogLik,
                warnings));
        }

        return new CoxCovariateTestResult(full, tests);
    }
}
