namespace Sarcostat.Survival.Comparisons;

/// <summary>
/// Brent's root finder exactly as R's <c>uniroot</c> runs it, so that results that R obtains by root finding
/// (the conditional odds ratio of <c>fisher.test</c> and its confidence limits) are reproduced to the digit,
/// including R's loose default tolerance.
/// </summary>
/// <remarks>
/// Algorithm: R. P. Brent (1973), <i>Algorithms for Minimization without Derivatives</i>, ch. 4 ("zeroin"):
/// keep a bracket [b, c] with f(b)·f(c) ≤ 0 and b the best point; try inverse quadratic (or secant)
/// interpolation, accept it when it falls well inside the bracket and shrinks faster than bisection,
/// otherwise bisect; never step by less than the working tolerance 2·ε·|b| + tol/2.
/// R: <c>uniroot(f, c(lower, upper))</c> with <c>tol = .Machine$double.eps^0.25</c>, <c>maxiter = 1000</c>:
/// f is evaluated at both ends first, then the zeroin iteration runs (R's C routine <c>R_zeroin2</c>).
/// </remarks>
internal static class RootFinder
{
    /// <summary>R's default <c>uniroot</c> tolerance, <c>.Machine$double.eps^0.25</c> = 2^-13.</summary>
    public const double DefaultTolerance = 1.220703125e-4;

    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// Finds a root of <paramref name="f"/> in [<paramref name="lower"/>, <paramref name="upper"/>].
    /// </summary>
    /// <remarks>
    /// Contract: lower &lt; upper; f(lower) and f(upper) must not have the same strict sign (as R, which
    /// stops with "f() values at end points not of opposite sign"); an <see cref="InvalidOperationException"/>
    /// is thrown otherwise. Returns the last iterate after <paramref name="maxIterations"/> steps without
    /// convergence (R warns and returns it too).
    /// </remarks>
    public static double Uniroot(Func<double, double> f, double lower, double upper, double tolerance = DefaultTolerance, int maxIterations = 1000)
    {
        double fLower = f(lower);
        double fUpper = f(upper);
        if (double.IsNaN(fLower) || double.IsNaN(fUpper) || Math.Sign(fLower) * Math.Sign(fUpper) > 0)
        {
            throw new InvalidOperationException(
                $"Root finding: f() values at end points not of opposite sign (f({lower:R}) = {fLower:R}, f({upper:R}) = {fUpper:R}).");
        }

        return Zeroin(f, lower, upper, fLower, fUpper, tolerance, maxIterations);
    }

    private static double Zeroin(Func<double, double> f, double a, double b, double fa, double fb, double tol, int maxIterations)
    {
        // b: current best estimate; a: previous estimate; c: the point bracketing the root with b.
        double c = a, fc = fa;
        if (fa == 0)
        {
            return a;
        }

        if (fb == 0)
        {
            return b;
        }

        for (int iteration = 0; iteration <= maxIterations; iteration++)
        {
            double previousStep = b - a;
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                // Make b the better of the two bracketing points.
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }

            double workingTolerance = (2 * Epsilon * Math.Abs(b)) + (tol / 2);
            double step = (c - b) / 2; // the bisection step

            if (Math.Abs(step) <= workingTolerance || fb == 0)
            {
                return b;
            }

            if (Math.Abs(previousStep) >= workingTolerance && Math.Abs(fa) > Math.Abs(fb))
            {
                // Interpolation step p/q (division postponed).
                double p, q;
                double cb = c - b;
                if (a == c)
                {
                    // Two distinct points: secant.
                    double s = fb / fa;
                    p = cb * s;
                    q = 1.0 - s;
                }
                else
                {
                    // Inverse quadratic interpolation through (a, fa), (b, fb), (c, fc).
                    double qa = fa / fc, r = fb / fc, s = fb / fa;
                    p = s * ((cb * qa * (qa - r)) - ((b - a) * (r - 1.0)));
                    q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
                }

                if (p > 0)
                {
                    q = -q;
                }
                else
                {
                    p = -p;
                }

                // Accept when b + p/q stays well inside [b, c] and the step shrinks fast enough.
                if (p < (0.75 * cb * q) - (Math.Abs(workingTolerance * q) / 2) && p < Math.Abs(previousStep * q / 2))
                {
                    step = p / q;
                }
            }

            if (Math.Abs(step) < workingTolerance)
            {
                step = step > 0 ? workingTolerance : -workingTolerance;
            }

            a = b;
            fa = fb;
            b += step;
            fb = f(b);
            if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0))
            {
                c = a;
                fc = fa;
            }
        }

        return b;
    }
}
