namespace Sarcostat.Survival.Cox;

/// <summary>A covariate of a regression model: a named variable that becomes one or more columns (terms) of the design.</summary>
/// <param name="Name">The variable's name; numeric covariates give a term of this name, categorical ones name + level.</param>
public abstract record Covariate(string Name);

/// <summary>A numeric covariate entering the model linearly as one term. <see cref="double.NaN"/> marks a missing value.</summary>
/// <param name="Name">The variable's name (also the term's name).</param>
/// <param name="Values">One value per observation; NaN = missing (the row is dropped from a complete-case fit).</param>
public sealed record NumericCovariate(string Name, IReadOnlyList<double> Values) : Covariate(Name);

/// <summary>
/// A categorical covariate entering the model as treatment (dummy) contrasts: one 0/1 term per level except the first,
/// which is the reference. Terms are named name + level, as R names them (<c>celltypesmallcell</c>).
/// </summary>
/// <remarks>R: <c>contr.treatment</c>, the default contrasts for an unordered factor; <c>relevel</c> corresponds to
/// <see cref="Factor.WithReference"/>.</remarks>
/// <param name="Factor">The variable; code −1 marks a missing value.</param>
public sealed record CategoricalCovariate(Factor Factor) : Covariate(Factor?.Name ?? throw new ArgumentNullException(nameof(Factor)));
