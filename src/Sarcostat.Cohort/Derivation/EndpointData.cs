using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// One endpoint of a cohort as the engine takes it: parallel arrays of time and status, with the study ids and the
/// derived patients in the same order, and the patients left out because the endpoint cannot be derived for them.
/// <see cref="Count"/> + <see cref="LeftOut"/>.Count is the cohort size: nobody disappears silently.
/// </summary>
public sealed record EndpointData
{
    /// <summary>The endpoint.</summary>
    public required Endpoint Endpoint { get; init; }

    /// <summary>The unit of <see cref="Time"/>.</summary>
    public required TimeUnit Unit { get; init; }

    /// <summary>The endpoint's definition under the derivation options, for the report (<see cref="Endpoints.Definition"/>).</summary>
    public required string Definition { get; init; }

    /// <summary>Study ids, in cohort order.</summary>
    public required IReadOnlyList<string> StudyIds { get; init; }

    /// <summary>The derived patients, in the same order (to read covariates by name).</summary>
    public required IReadOnlyList<DerivedPatient> Patients { get; init; }

    /// <summary>Time from the first PM in <see cref="Unit"/>.</summary>
    public required double[] Time { get; init; }

    /// <summary>Status: 1 event, 0 censored (R's <c>Surv(time, status)</c>).</summary>
    public required int[] Status { get; init; }

    /// <summary>The status as flags (true = event), as the engine's estimators take it.</summary>
    public required bool[] Event { get; init; }

    /// <summary>DSS only: 0 censored, 1 sarcoma death, 2 death from another cause (competing risk); null otherwise.</summary>
    public int[]? CompetingStatus { get; init; }

    /// <summary>The patients of the cohort for whom the endpoint cannot be derived, with the reason.</summary>
    public required IReadOnlyList<UnderivablePatient> LeftOut { get; init; }

    /// <summary>Number of patients with a derived value.</summary>
    public int Count => Time.Length;

    /// <summary>Number of events.</summary>
    public int Events => Status.Count(s => s == 1);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"EndpointData({Endpoints.Abbreviation(Endpoint)}, n={Count}, events={Events}, left out={LeftOut.Count}, {TimeUnits.Name(Unit)})");
}
