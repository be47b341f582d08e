using System.Globalization;
using System.Text.RegularExpressions;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>The analysed cohort export (cohort.csv): one row per analysed patient, endpoints as derived, no identifiers.</summary>
public class CohortExportTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    private static (StudyReport Report, SelectionResult Selection) Run(string name, int n = 130, int seed = 3)
    {
        var protocol = ProtocolLoader.Shipped(name);
        var patients = TestCohort.Build(n, seed);
        var report = StudyRunner.Run(protocol, patients, Context);
        var derived = CohortDerivation.Derive(patients, protocol.DerivationOptions());
        var selection = ListedExclusions.Apply(derived, [], protocol.Selection.Steps.Select(s => s.Rule).ToList());
        return (report, selection);
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void One_row_per_analysed_patient_and_as_many_as_the_flow_counts(string name)
    {
        var (report, selection) = Run(name);
        var cohort = report.Cohort!;
        cohort.Rows.Should().HaveCount(selection.Analysed.Count);
        cohort.Rows.Select(r => r[0]).Should().BeEquivalentTo(selection.Analysed.Patients.Select(p => p.StudyId));
        cohort.Rows.Select(r => r[0]).Should().BeInAscendingOrder(StringComparer.Ordinal);
        cohort.Rows.Should().OnlyContain(r => r.Count == cohort.Columns.Count);
        if (report.Figures.OfType<FlowFigure>().FirstOrDefault() is { } flow)
        {
            flow.Boxes[^1].Count.Should().Be(cohort.Rows.Count, "the flow's last box is the analysed cohort");
        }

        if (name == "nakayama2022")
        {
            selection.Analysed.Count.Should().BeLessThan(130, "the test cohort has patients this protocol's selection excludes: the export is not the whole input");
        }
    }

    [Fact]
    public void Times_and_events_are_the_derived_endpoints_of_each_patient()
    {
        var (report, selection) = Run("nakayama2022");
        var cohort = report.Cohort!;
        var names = cohort.Columns.Select(c => c.Name).ToList();
        names.Take(9).Should().Equal("study_id", "os_time", "os_event", "dss_time", "dss_event", "dfs_time", "dfs_event", "pfs_time", "pfs_event");
        int compared = 0;
        foreach (var row in cohort.Rows)
        {
            var patient = selection.Analysed.Find(row[0])!;
            foreach (var e in Endpoints.All)
            {
                var time = row[names.IndexOf(DerivedNames.TimeOf(e))];
                var ev = row[names.IndexOf(DerivedNames.EventOf(e))];
                if (patient.Outcome(e) is { } o)
                {
                    double.Parse(time, CultureInfo.InvariantCulture).Should().Be(o.Time, "full precision");
                    int.Parse(ev, CultureInfo.InvariantCulture).Should().Be(o.Event);
                    compared++;
                }
                else
                {
                    time.Should().BeEmpty();
                    ev.Should().BeEmpty();
                }
            }
        }

        compared.Should().BeGreaterThan(cohort.Rows.Count * 2);
        cohort.Rows.Select(r => r[names.IndexOf("os_event")]).Should().Contain("1").And.Contain("0");
    }

    [Fact]
    public void The_report_variables_are_columns_with_their_levels_in_the_dictionary()
    {
        var (report, selection) = Run("nakayama2022");
        var cohort = report.Cohort!;
        var names = cohort.Columns.Select(c => c.Name).ToList();
        names.Should().Contain(n => n.StartsWith("dfi", StringComparison.Ordinal), "the disease-free interval is a factor of the paper");
        names.Count.Should().BeGreaterThan(12, "the factors of the univariate table are exported");
        var categorical = cohort.Columns.Where(c => c.Levels.Length > 0).ToList();
        categorical.Should().NotBeEmpty();
        foreach (var c in categorical)
        {
            var allowed = c.Levels.Split("; ").Select(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)]).ToHashSet();
            int i = names.IndexOf(c.Name);
            cohort.Rows.Select(r => r[i]).Where(v => v.Length > 0).Should().OnlyContain(v => allowed.Contains(v), c.Name);
        }

        cohort.Columns.Single(c => c.Name == "os_time").Unit.Should().Be("months");
        cohort.Columns.Single(c => c.Name == "dss_time").Meaning.Should().StartWith("DSS: ").And.EndWith(".").And.NotEndWith("..");
        cohort.Columns.Should().OnlyContain(c => c.Meaning.Length > 0);
        selection.Analysed.Count.Should().Be(cohort.Rows.Count);
    }

    [Fact]
    public void No_identifying_column_and_no_date_is_exported()
    {
        var (report, _) = Run("chang2024");
        var cohort = report.Cohort!;
        cohort.Columns.Select(c => c.Name).Should().NotContain(n =>
            n.Contains("name", StringComparison.OrdinalIgnoreCase) || n.Contains("birth", StringComparison.OrdinalIgnoreCase)
            || n.Contains("record", StringComparison.OrdinalIgnoreCase) || n.Contains("date", StringComparison.OrdinalIgnoreCase)
            || n.Contains("mrn", StringComparison.OrdinalIgnoreCase));
        var date = new Regex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.None, TimeSpan.FromSeconds(1));
        cohort.Rows.SelectMany(r => r).Should().NotContain(v => date.IsMatch(v));
    }

    [Fact]
    public void The_export_is_deterministic_and_ignores_the_order_of_the_records()
    {
        var patients = TestCohort.Build(130, 3);
        var shuffled = patients.ToArray();
        new Random(7).Shuffle(shuffled);
        var protocol = ProtocolLoader.Shipped("chang2024");
        var a = StudyRunner.Run(protocol, patients, Context).Cohort!;
        var b = StudyRunner.Run(protocol, shuffled, Context).Cohort!;
        b.Columns.Should().Equal(a.Columns);
        b.Rows.Select(r => string.Join("|", r)).Should().Equal(a.Rows.Select(r => string.Join("|", r)));
    }
}
