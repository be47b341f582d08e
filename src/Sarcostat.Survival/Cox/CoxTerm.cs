namespace Sarcostat.Survival.Cox;

/// <summary>
/// One row of a Cox model's coefficient table, in R's <c>summary(coxph)</c> vocabulary.
/// </summary>
/// <remarks>R: <c>summary(fit)$coefficients</c> (coef, exp(coef), se(coef), z, Pr(&gt;|z|)) and
/// <c>summary(fit)$conf.int</c> (lower .95, upper .95).</remarks>
/// <param name="Term">The design column's name: the covariate's name, or name + level for a dummy (R's coefficient name).</param>
/// <param name="Covariate">The source variable the term comes from.</param>
/// <param name="Level">For a dummy term, the level it indicates (compared with the reference level); null for a numeric term.</param>
/// <param name="Coef">The estimated log hazard ratio β.</param>
/// <param name="HazardRatio">exp(β).</param>
/// <param name="StdError">Its model-based standard error, √Var(β).</param>
/// <param name="Z">Wald z = β / se.</param>
/// <param name="P">Two-sided p-value of z; R <c>pchisq(z^2, 1, lower.tail = FALSE)</c>.</param>
/// <param name="Lower">Lower confidence limit of the hazard ratio, exp(β − z₁₋α/₂·se).</param>
/// <param name="Upper">Upper confidence limit of the hazard ratio, exp(β + z₁₋α/₂·se).</param>
public sealed record CoxTerm(
    string Term,
    string Covariate,
    string? Level,
    double Coef,
    double HazardRatio,
    double StdError,
    double Z,
    double P,
    double Lower,
    double Upper);
