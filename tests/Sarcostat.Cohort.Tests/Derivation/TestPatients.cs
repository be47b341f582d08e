using System.Globalization;

namespace Sarcostat.Cohort.Tests.Derivation;

/// <summary>Hand-made patients for derivation and selection tests.</summary>
internal static class TestPatients
{
    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A patient with one metastasectomy on <paramref name="pm"/> (none when null) and nothing else.</summary>
    public static Patient Base(string id, string? pm = "2015-01-10") => new()
    {
        StudyId = id,
        Procedures = pm is null ? [] : [new Metastasectomy { Date = D(pm) }],
    };

    /// <summary>Alive at <paramref name="lastContact"/>, first PM 2015-01-10.</summary>
    public static Patient Alive(string id, string lastContact, string pm = "2015-01-10") =>
        Base(id, pm) with { VitalStatus = Codes.VitalStatus.Alive, LastContactDate = D(lastContact) };

    /// <summary>Dead on <paramref name="death"/> of <paramref name="cause"/>, first PM 2015-01-10, last contact = death.</summary>
    public static Patient Dead(string id, string death, string? cause = Codes.CauseOfDeath.Sarcoma, string pm = "2015-01-10") =>
        Base(id, pm) with
        {
            VitalStatus = Codes.VitalStatus.Dead,
            DeathDate = D(death),
            LastContactDate = D(death),
            CauseOfDeath = cause,
        };
}
