namespace Sarcostat.Cli.Tests;

/// <summary><c>sarcostat validate</c> prints each severity override of a mapping with its reason.</summary>
public class SeverityCommandTests
{
    [Fact]
    public void Validate_prints_one_line_per_override_with_its_reason_and_the_lowered_error_does_not_block()
    {
        using var d = Cli.Temp();
        const string header = "study_id,sex,histology,primary_site,lung_met_date,primary_surgery_date,last_contact_date,vital_status,pm_date";
        d.Write("a.yaml", "source: a\nfiles: {patients: a.csv}\nseverity:\n"
            + "  date-order: {level: warning, reason: \"lung metastasis dated at referral\"}\n"
            + "  missing-recommended: {level: ignore, reason: \"registry never recorded them\"}\n");
        d.Write("a.csv", header + "\n"
            + "S1,male,leiomyosarcoma,extremity,2018-01-10,2018-03-01,2021-05-01,alive,2019-02-01\n");
        var r = Cli.Run("validate", Path.Combine(d.Path, "a.yaml"));
        r.ExitCode.Should().Be(0, r.Out + r.Error);
        r.Out.Should().Contain("a.csv row 2, column \"lung_met_date\": warning: found \"2018-01-10\"");
        r.Out.Should().Contain("severity of date-order for a set to warning by a.yaml (1 problem): lung metastasis dated at referral");
        r.Out.Should().MatchRegex(@"severity of missing-recommended for a set to ignore by a\.yaml \(\d+ problems\): registry never recorded them");
        r.Out.Should().NotContain("[missing-recommended]");
    }
}
