namespace Sarcostat.Survival;

/// <summary>
/// A statistical problem reported beside a result instead of being hidden: non-convergence, an infinite
/// estimate, a group without events, a degenerate interval.
/// </summary>
/// <param name="Code">A stable machine-readable code, e.g. <c>"monotone-likelihood"</c>.</param>
/// <param name="Message">A sentence for a person, naming the term or group concerned and a hint when one is known.</param>
public sealed record AnalysisWarning(string Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
