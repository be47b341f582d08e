namespace Sarcostat.Cohort.Tests.Derivation;

using Sarcostat.Cohort.Derivation;

public class DerivationWarningTests
{
    private static Patient P(string id, DateOnly? recurrence, DateOnly? progression) => new()
    {
        StudyId = id,
        VitalStatus = Codes.VitalStatus.Alive,
        LastContactDate = new DateOnly(2020, 1, 1),
        RecurrenceDate = recurrence,
        ProgressionDate = progression,
        Procedures = [new Metastasectomy { Date = new DateOnly(2015, 1, 1) }],
    };

    [Fact]
    public void Dfs_and_pfs_without_any_recurrence_or_progression_date_are_flagged_as_overall_survival()
    {
        var d = CohortDerivation.Derive([P("A", null, null), P("B", null, null)]);
        d.Warnings.Should().Contain(w => w.StartsWith("DFS has no recurrence date data", StringComparison.Ordinal));
        d.Warnings.Should().Contain(w => w.StartsWith("PFS has no progression date data", StringComparison.Ordinal));
    }

    [Fact]
    public void One_recorded_recurrence_and_progression_silence_the_warnings()
    {
        var d = CohortDerivation.Derive([P("A", new DateOnly(2016, 1, 1), new DateOnly(2016, 2, 1)), P("B", null, null)]);
        d.Warnings.Should().NotContain(w => w.StartsWith("DFS", StringComparison.Ordinal) || w.StartsWith("PFS", StringComparison.Ordinal));
    }
}
