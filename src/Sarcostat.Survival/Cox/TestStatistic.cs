namespace Sarcostat.Survival.Cox;

/// <summary>A chi-square test: statistic, degrees of freedom and upper-tail p-value.</summary>
/// <param name="Statistic">The chi-square statistic.</param>
/// <param name="DegreesOfFreedom">Its degrees of freedom.</param>
/// <param name="P">P(χ²(df) ≥ statistic); R <c>pchisq(statistic, df, lower.tail = FALSE)</c>.</param>
public sealed record TestStatistic(double Statistic, int DegreesOfFreedom, double P);
