using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Tests;

/// <summary>A mapping's <c>severity:</c> overrides (issue 10): per rule, with a required reason, for its own source only.</summary>
public class SeverityOverrideTests
{
    private static string Patients(params string[] rows) => Cohorts.PatientsHeader + "\n" + string.Join("\n", rows) + "\n";

    private static ImportResult Two(string aMore, string aPatients, string bPatients)
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "source: a\nfiles: {patients: a.csv, procedures: a_ops.csv}\n" + aMore);
        dir.Write("a.csv", aPatients);
        dir.Write("a_ops.csv", "study_id,pm_date\nS1,2016-07-01\nS2,2016-07-01\n");
        dir.Write("b.yaml", "source: b\nfiles: {patients: b.csv, procedures: b_ops.csv}\n");
        dir.Write("b.csv", bPatients);
        dir.Write("b_ops.csv", "study_id,pm_date\nT1,2016-07-01\n");
        return Cohorts.Import(dir.Path);
    }

    [Fact]
    public void Ignoring_missing_recommended_removes_those_warnings_of_that_source_only_and_says_how_many()
    {
        var result = Two(
            "severity:\n  missing-recommended: {level: ignore, reason: \"registry a never recorded ECOG\"}\n",
            Patients(Cohorts.Row("S1", ("ecog", "")), Cohorts.Row("S2", ("ecog", ""))),
            Patients(Cohorts.Row("T1", ("ecog", ""))));
        result.Problems.Select(p => (p.File, p.Row, p.Column, p.Rule)).Should().Equal(("b.csv", 2, "ecog", "missing-recommended"));
        var applied = result.Severities.Should().ContainSingle().Subject;
        applied.Should().Be(new AppliedSeverity("a", "a.yaml", "missing-recommended", "ignore", "registry a never recorded ECOG", 2));
        applied.ToString().Should().Be("severity of missing-recommended for a set to ignore by a.yaml (2 problems): registry a never recorded ECOG");
    }

    [Fact]
    public void Lowering_date_order_to_a_warning_accepts_the_patient_and_raising_a_warning_rejects_it()
    {
        var lowered = Two(
            "severity:\n  date-order: {level: warning, reason: lung metastasis dated at referral}\n",
            Patients(Cohorts.Row("S1", ("lung_met_date", "2015-01-01")), Cohorts.Patient("S2")),
            Patients(Cohorts.Patient("T1")));
        var p = lowered.Problems.Should().ContainSingle().Subject;
        (p.Rule, p.Severity).Should().Be(("date-order", Severity.Warning));
        lowered.RejectedStudyIds.Should().BeEmpty();

        var raised = Two(
            "severity:\n  missing-recommended: {level: error, reason: ECOG is this study's factor}\n",
            Patients(Cohorts.Row("S1", ("ecog", "")), Cohorts.Patient("S2")),
            Patients(Cohorts.Patient("T1")));
        raised.Problems.Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);
        raised.RejectedStudyIds.Should().Equal("S1");
    }

    [Theory]
    [InlineData("  missing-recomended: {level: ignore, reason: x}\n", "key 'severity.missing-recomended': expected a rule code of docs/import.md")]
    [InlineData("  missing-recommended: {level: ignore}\n", "key 'severity.missing-recommended.reason': expected a reason")]
    [InlineData("  missing-recommended: {level: off, reason: x}\n", "key 'severity.missing-recommended.level': expected ignore, warning or error; found 'off'")]
    [InlineData("  missing-recommended: ignore\n", "key 'severity.missing-recommended': expected {level: ignore|warning|error")]
    [InlineData("  identifying-column: {level: warning, reason: x}\n", "key 'severity.identifying-column.level': expected error: identifying-column protects privacy")]
    [InlineData("  date-order: {level: ignore, reason: x}\n", "key 'severity.date-order.level': expected warning or error")]
    public void A_bad_override_is_a_mapping_error_on_its_line(string entry, string message)
    {
        var act = () => SourceMapping.Parse("source: m\nseverity:\n" + entry, "m.yaml");
        act.Should().Throw<ImportSetupException>().WithMessage($"*m.yaml line 3: {message}*");
    }
}

/// <summary>docs/import.md's rule table is complete: every rule code, with its default severity.</summary>
public class RuleTableTests
{
    [Fact]
    public void Every_rule_code_has_a_row_in_the_problem_rules_table_with_its_default_severity()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Sarcostat.slnx")))
        {
            root = root.Parent!;
        }

        var rows = File.ReadAllLines(Path.Combine(root.FullName, "docs", "import.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 4)
            .GroupBy(cells => cells[1].Trim('`'))
            .ToDictionary(g => g.Key, g => g.First()[3]);
        SeverityOverride.Known.Should().HaveCountGreaterThan(25);
        foreach (var code in SeverityOverride.Known)
        {
            rows.Should().ContainKey(code);
            rows[code].Should().Be(SeverityOverride.Warnings.Contains(code) ? "warning" : "error", code);
        }
    }
}
