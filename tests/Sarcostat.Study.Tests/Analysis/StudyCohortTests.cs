using Sarcostat.Cohort.Derivation;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Tests.Running;

namespace Sarcostat.Study.Tests.Analysis;

/// <summary>
/// The study layer's analysis service called directly (as the registry's API will) gives the numbers the report lays
/// out, bit for bit: one code path from the protocol's cohort to the univariate screen and the Cox model.
/// </summary>
public class StudyCohortTests
{
    private static readonly RunContext Context = new("0.1.0-test", new DateOnly(2025, 1, 1));

    [Fact]
    public void The_service_gives_the_numbers_of_the_reports_univariate_and_multivariate_tables()
    {
        var protocol = ProtocolLoader.Shipped("chang2024");
        var patients = TestCohort.Build(160, 11);
        var report = StudyRunner.Run(protocol, patients, Context);
        var study = StudyCohort.Prepare(protocol, patients);
        study.Analysed.Count.Should().Be(report.Cohort!.Rows.Count);

        var table5 = protocol.Items.OfType<UnivariateTableSpec>().Single(t => t.Id == "table-5");
        var factors = protocol.RowsOf(table5).Select(r => r.Variable).OfType<string>().ToList();
        var screened = study.Univariate(Endpoint.OverallSurvival, factors);

        // Table S3: LR p and log-rank p of each factor, on the factor's first row that carries them.
        var s3 = Engine.Table(report, "table-s3");
        var lr = s3.Rows.Select(r => r.Cells[Engine.ColumnIndex(s3, "LR p")].Value).OfType<double>().ToList();
        var logRank = s3.Rows.Select(r => r.Cells[Engine.ColumnIndex(s3, "Log-rank p")].Value).OfType<double>().ToList();
        lr.Should().Equal(screened.Select(r => r.LikelihoodRatioP).OfType<double>());
        logRank.Should().Equal(screened.Select(r => r.LogRankP).OfType<double>());
        lr.Should().HaveCountGreaterThan(5, "the comparison is not vacuous");

        // Table 6: the multivariate model of the factors with p < 0.05 in Table 5 (the Cox p of each factor).
        var selected = screened.Where(r => r.CoxP < protocol.Alpha).Select(r => r.Variable.Name).ToList();
        selected.Should().NotBeEmpty();
        var model = study.CoxModel(Endpoint.OverallSurvival, selected);
        var t6 = Engine.Table(report, "table-6");
        var hr = t6.Rows.Select(r => r.Cells[Engine.ColumnIndex(t6, "HR")].Value).OfType<double>().Where(v => v != 1).Order().ToList();
        hr.Should().Equal(model.Fit!.Terms.Select(t => t.HazardRatio).Order());
    }

    [Fact]
    public void An_unknown_variable_is_an_argument_error_that_names_it()
    {
        var study = StudyCohort.Prepare(ProtocolLoader.Shipped("chang2024"), TestCohort.Build(40, 3));
        var act = () => study.Univariate(Endpoint.OverallSurvival, ["no_such_thing"]);
        act.Should().Throw<ArgumentException>().WithMessage("*'no_such_thing'*");
    }
}
