namespace Sarcostat.Survival.Cox;

/// <summary>
/// Settings of a Firth-penalised Cox fit. Ties are always Breslow's (as R's <c>coxphf</c>); the defaults follow
/// <c>coxphf</c> except the convergence criterion, which is tighter (see <see cref="Epsilon"/>).
/// </summary>
/// <remarks>R: <c>coxphf(..., alpha = 0.05, maxit = 50, maxhs = 5, epsilon = 1e-6, maxstep = 0.5)</c>.</remarks>
public sealed record CoxFirthOptions
{
    /// <summary>
    /// Convergence: iteration stops when the largest Newton step |Δβ_r| is at most this (default 1e-9; coxphf's
    /// <c>epsilon</c> is 1e-6 together with a score criterion 1e-4, which stops earlier and agrees to its printed digits).
    /// Also the accuracy of the profile-likelihood limits.
    /// </summary>
    public double Epsilon { get; init; } = 1e-9;

    /// <summary>Maximum Newton-Raphson iterations of the fit and of each inner (profile) maximisation (default 100; coxphf 50).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Maximum number of step halvings per iteration when the penalised likelihood decreases (coxphf <c>maxhs</c>, 5).</summary>
    public int MaxStepHalvings { get; init; } = 5;

    /// <summary>Largest change of any coefficient in one iteration; a longer step is shrunk (coxphf <c>maxstep</c>, 0.5).</summary>
    public double MaxStep { get; init; } = 0.5;

    /// <summary>Level of the profile-likelihood confidence intervals (coxphf 1 − <c>alpha</c>, default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Whether near-tied times are merged before fitting (R's <c>timefix</c> of <c>coxph</c>; default as R).</summary>
    public TimeFix TimeFix { get; init; } = TimeFix.R;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range.</exception>
    internal void Validate()
    {
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "The convergence criterion must be a finite number > 0.");
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "The number of iterations must be >= 1.");
        }

        if (MaxStepHalvings < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStepHalvings), MaxStepHalvings, "The number of step halvings must be >= 0.");
        }

        if (!(MaxStep > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxStep), MaxStep, "The largest step must be > 0.");
        }

        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must lie in (0, 1).");
        }

        if (!Enum.IsDefined(TimeFix))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeFix), TimeFix, "Unknown time-fix rule.");
        }
    }
}
