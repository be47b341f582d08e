using System.Globalization;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// Tunes a Weibull baseline so that the cohort's marginal survival meets a target.
/// </summary>
/// <remarks>
/// Contract: the covariates are independent 0/1 variables with known prevalences pⱼ (true of the simulator: each is a
/// function of its own draws). Then the marginal survival is an exact finite mixture over the 2^k covariate patterns x:
/// S(t) = Σₓ P(x) exp(−(t/λ)^k e^(x'β)), P(x) = Πⱼ pⱼ^xⱼ (1 − pⱼ)^(1 − xⱼ).
/// S(t₁) = S₁ fixes H₀(t₁) = h by bisection (S is decreasing in h); λ = t₁ / h^(1/k). With a target median m the shape
/// k is found by bisection on S(m) − ½ (monotone in k because H₀(m) = h (m/t₁)^k); otherwise k = 1 (exponential).
/// Fails (InvalidOperationException) when no shape in [0.1, 10] meets both targets.
/// </remarks>
internal static class BaselineCalibration
{
    private const int MaxTerms = 16;

    public static WeibullBaseline Calibrate(IReadOnlyList<(double Prevalence, double Coef)> terms, SurvivalTarget target)
    {
        var patterns = Patterns(terms);
        if (target.MedianMonths is not double median)
        {
            return ForShape(patterns, target, 1);
        }

        double f(double shape) => MarginalSurvival(patterns, ForShape(patterns, target, shape), median) - 0.5;
        double lo = 0.1;
        double hi = 10;
        double flo = f(lo);
        double fhi = f(hi);
        if (Math.Sign(flo) == Math.Sign(fhi))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"No Weibull baseline has marginal survival {target.Survival} at {target.Months} months and median {median} months."));
        }

        for (int i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            double mid = (lo + hi) / 2;
            double fm = f(mid);
            if (Math.Sign(fm) == Math.Sign(flo))
            {
                lo = mid;
                flo = fm;
            }
            else
            {
                hi = mid;
            }
        }

        return ForShape(patterns, target, (lo + hi) / 2);
    }

    /// <summary>S(t) of the mixture: Σ P(x) exp(−H₀(t) e^(x'β)).</summary>
    public static double MarginalSurvival(IReadOnlyList<(double Weight, double Risk)> patterns, WeibullBaseline baseline, double months)
    {
        double h = baseline.CumulativeHazard(months);
        double s = 0;
        foreach (var (w, risk) in patterns)
        {
            s += w * Math.Exp(-h * risk);
        }

        return s;
    }

    /// <summary>The 2^k covariate patterns as (probability, relative risk e^(x'β)).</summary>
    public static IReadOnlyList<(double Weight, double Risk)> Patterns(IReadOnlyList<(double Prevalence, double Coef)> terms)
    {
        if (terms.Count > MaxTerms)
        {
            throw new ArgumentException($"At most {MaxTerms} terms can be calibrated exactly.", nameof(terms));
        }

        var list = new List<(double, double)>(1 << terms.Count);
        for (int mask = 0; mask < 1 << terms.Count; mask++)
        {
            double w = 1;
            double lp = 0;
            for (int j = 0; j < terms.Count; j++)
            {
                bool on = (mask >> j & 1) == 1;
                w *= on ? terms[j].Prevalence : 1 - terms[j].Prevalence;
                lp += on ? terms[j].Coef : 0;
            }

            list.Add((w, Math.Exp(lp)));
        }

        return list;
    }

    private static WeibullBaseline ForShape(IReadOnlyList<(double Weight, double Risk)> patterns, SurvivalTarget target, double shape)
    {
        // Bisection on ln h: S decreases from 1 (h -> 0) to P(no pattern) = 0 (h -> inf).
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-13; i++)
        {
            double mid = (lo + hi) / 2;
            double h = Math.Exp(mid);
            double s = 0;
            foreach (var (w, risk) in patterns)
            {
                s += w * Math.Exp(-h * risk);
            }

            if (s > target.Survival)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        double hAt = Math.Exp((lo + hi) / 2);
        return new WeibullBaseline(shape, target.Months / Math.Pow(hAt, 1 / shape));
    }
}
