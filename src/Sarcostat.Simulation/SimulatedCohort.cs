using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>A term of the generating model as truth.json records it.</summary>
/// <param name="Term">Term name.</param>
/// <param name="Description">The covariate in the paper's words.</param>
/// <param name="Source">The paper's table.</param>
/// <param name="HazardRatio">exp(β).</param>
/// <param name="Coef">β = ln HR.</param>
/// <param name="Prevalence">P(covariate = 1) under the spec (exact, from the marginal models).</param>
public sealed record TruthTerm(string Term, string Description, string Source, double HazardRatio, double Coef, double Prevalence);

/// <summary>
/// The generating truth of a simulated cohort: the Cox model (terms, hazard ratios, tuned baseline), the survival target
/// it was tuned to, and the censoring. What a recovery test compares estimates with; written as truth.json.
/// </summary>
/// <param name="Spec">Spec name.</param>
/// <param name="Paper">The paper the spec follows.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Size">Number of patients.</param>
/// <param name="Endpoint">The endpoint the model generates.</param>
/// <param name="Terms">Terms with hazard ratios and prevalences.</param>
/// <param name="Baseline">The Weibull baseline, tuned so the marginal survival meets <paramref name="Target"/>.</param>
/// <param name="Target">The target survival.</param>
/// <param name="AccrualStart">First possible first-PM date.</param>
/// <param name="AccrualEnd">Last possible first-PM date.</param>
/// <param name="DataCutoff">Administrative censoring date.</param>
/// <param name="LossToFollowUpPerYear">Annual probability of loss to follow-up.</param>
/// <param name="OtherCauseShareOfDeaths">OS: share of deaths labelled other cause.</param>
/// <param name="OtherCauseFiveYearRisk">DSS: 5-year risk of death from another cause (competing, independent).</param>
/// <param name="MonthDays">Days per month used for every time (30.4375).</param>
public sealed record SimulationTruth(
    string Spec,
    string Paper,
    int Seed,
    int Size,
    SimulatedEndpoint Endpoint,
    IReadOnlyList<TruthTerm> Terms,
    WeibullBaseline Baseline,
    SurvivalTarget Target,
    DateOnly AccrualStart,
    DateOnly AccrualEnd,
    DateOnly DataCutoff,
    double LossToFollowUpPerYear,
    double OtherCauseShareOfDeaths,
    double OtherCauseFiveYearRisk,
    double MonthDays);

/// <summary>A simulated cohort: typed patient records (each with its metastasectomies) and the truth that generated them.</summary>
public sealed class SimulatedCohort
{
    internal SimulatedCohort(SimulationSpec spec, int seed, IReadOnlyList<Patient> patients, SimulationTruth truth)
    {
        Spec = spec;
        Seed = seed;
        Patients = patients;
        Truth = truth;
    }

    /// <summary>The spec it follows.</summary>
    public SimulationSpec Spec { get; }

    /// <summary>The seed it was generated with.</summary>
    public int Seed { get; }

    /// <summary>The patients, in order of their first metastasectomy (study ids numbered in that order).</summary>
    public IReadOnlyList<Patient> Patients { get; }

    /// <summary>The generating truth.</summary>
    public SimulationTruth Truth { get; }

    /// <summary>Size and seed only.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SimulatedCohort({Spec.Name}, n={Patients.Count}, seed={Seed})");
}
