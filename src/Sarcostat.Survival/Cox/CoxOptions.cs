namespace Sarcostat.Survival.Cox;

/// <summary>
/// Settings of a Cox proportional hazards fit. Every default is R's (<c>coxph</c> and <c>coxph.control</c>).
/// </summary>
/// <remarks>R: <c>coxph(ties = "efron", control = coxph.control(eps = 1e-9, toler.chol = .Machine$double.eps^0.75,
/// iter.max = 20, toler.inf = sqrt(eps), timefix = TRUE))</c> and <c>summary(fit, conf.int = 0.95)</c>.</remarks>
public sealed record CoxOptions
{
    /// <summary>How tied event times enter the partial likelihood (R <c>ties</c>; default Efron as R).</summary>
    public TieMethod Ties { get; init; } = TieMethod.Efron;

    /// <summary>
    /// Convergence criterion: iteration stops when |1 − loglik_old / loglik_new| ≤ <see cref="Epsilon"/>
    /// (R <c>coxph.control(eps)</c>, default 1e-9). Also the absolute threshold of the infinite-coefficient check.
    /// </summary>
    public double Epsilon { get; init; } = 1e-9;

    /// <summary>Maximum number of Newton-Raphson iterations (R <c>iter.max</c>, default 20). Zero evaluates at β = 0 only.</summary>
    public int MaxIterations { get; init; } = 20;

    /// <summary>
    /// Pivot tolerance of the Cholesky decomposition of the information matrix, relative to its largest diagonal
    /// element: a smaller pivot marks the column as redundant (R <c>toler.chol</c>, default machine-epsilon^0.75).
    /// </summary>
    public double TolerChol { get; init; } = Math.Pow(2.220446049250313e-16, 0.75);

    /// <summary>
    /// Relative tolerance of R's infinite-coefficient check after convergence (R <c>toler.inf</c>, default √1e-9).
    /// </summary>
    public double TolerInf { get; init; } = Math.Sqrt(1e-9);

    /// <summary>Level of the confidence intervals of the hazard ratios (R <c>summary(fit, conf.int)</c>, default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Whether near-tied times are merged before fitting (R <c>timefix</c>, default as R).</summary>
    public TimeFix TimeFix { get; init; } = TimeFix.R;

    /// <summary>Checks the settings as R's <c>coxph.control</c> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    internal void Validate()
    {
        if (MaxIterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "The number of iterations must be >= 0.");
        }

        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "The convergence criterion must be a finite number > 0.");
        }

        if (!(TolerChol > 0) || TolerChol >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TolerChol), TolerChol, "The Cholesky tolerance must lie in (0, 1).");
        }

        if (!(TolerInf > 0) || double.IsInfinity(TolerInf))
        {
            throw new ArgumentOutOfRangeException(nameof(TolerInf), TolerInf, "The infinite-coefficient tolerance must be a finite number > 0.");
        }

        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must lie in (0, 1).");
        }

        if (!Enum.IsDefined(Ties))
        {
            throw new ArgumentOutOfRangeException(nameof(Ties), Ties, "Unknown tie method.");
        }

        if (!Enum.IsDefined(TimeFix))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeFix), TimeFix, "Unknown time-fix rule.");
        }
    }
}
