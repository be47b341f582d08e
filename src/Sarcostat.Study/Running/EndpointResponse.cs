using Sarcostat.Cohort.Derivation;
using Sarcostat.Survival;

namespace Sarcostat.Study.Running;

/// <summary>
/// The one place an endpoint's data (<see cref="EndpointData"/>, the Cohort layer's type: it does not know the engine)
/// becomes the engine's survival response. The study passes the response to every estimator, so all of them see the
/// same rows and the same accounting of rows left out.
/// </summary>
internal static class EndpointResponse
{
    /// <summary>
    /// The endpoint's time and event as a <see cref="SurvivalResponse"/>, with an optional group and strata over the
    /// same patients (<see cref="EndpointData.Patients"/> order). Patients whose group or stratum is missing are left
    /// out by the response and counted in its <see cref="SurvivalResponse.Dropped"/>; the patients for whom the endpoint
    /// cannot be derived are not in <paramref name="data"/> at all (<see cref="EndpointData.LeftOut"/>).
    /// </summary>
    /// <exception cref="SurvivalResponseException">A derived time is negative or not finite (derivation prevents it).</exception>
    public static SurvivalResponse Response(this EndpointData data, Factor? group = null, Factor? strata = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return SurvivalResponse.Create(data.Time, data.Event, group, strata);
    }
}
