using System.Diagnostics;
using System.Reflection;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>The Methods text cites the software with its version and commit, and under SPSS says who computed (issue 12).</summary>
public class SoftwareCitationTests
{
    private static readonly IReadOnlyList<Cohort.Patient> Patients = TestCohort.Build(140, 5);

    private static string MethodsText(StudyReport report) =>
        string.Join(" ", report.Sections.Single(s => s.Id == "methods").Items.OfType<TextItem>().Single().Paragraphs);

    private static string Run(Convention convention, string? commit) => MethodsText(StudyRunner.Run(
        ProtocolLoader.Shipped("nakayama2022").WithConvention(convention),
        Patients,
        new RunContext("0.1.0-test", new DateOnly(2025, 1, 1)) { SoftwareCommit = commit }));

    [Fact]
    public void The_methods_name_the_version_and_the_commit()
    {
        var commit = SoftwareBuild.Commit;
        Run(Convention.R, commit).Should().Contain($"Analyses were performed with Sarcostat 0.1.0-test (commit {commit}), with the defaults of R's survival package");
        Run(Convention.R, null).Should().Contain("Analyses were performed with Sarcostat 0.1.0-test, with").And.NotContain("(commit");
    }

    [Fact]
    public void Under_spss_the_methods_name_the_spss_rules_and_that_sarcostat_computed()
    {
        var text = Run(Convention.Spss, "1a2b3c4");
        text.Should().Contain("Sarcostat 0.1.0-test (commit 1a2b3c4), following SPSS's conventions: Breslow's method for tied event times in Cox models, plain (linear) survival CIs, S ± z·SE and SPSS's symmetric CI of the median survival time, median ± z·SE.")
            .And.Contain("Every number was computed by Sarcostat (with statistics computed as in R's survival package), not by SPSS");
        Run(Convention.R, "1a2b3c4").Should().NotContain("not by SPSS");
    }

    [Fact]
    public void Under_spss_an_overridden_method_is_not_claimed_as_spss()
    {
        var protocol = ProtocolLoader.Shipped("nakayama2022").WithConvention(Convention.Spss) with { Ties = Survival.TieMethod.Efron };
        var text = MethodsText(StudyRunner.Run(protocol, Patients, new RunContext("0.1.0-test", new DateOnly(2025, 1, 1))));
        text.Should().Contain("following SPSS's conventions: plain (linear) survival CIs").And.NotContain("Breslow's method");
    }

    [Fact]
    public void The_embedded_commit_is_the_checkout_s_head_or_unknown_without_git()
    {
        var embedded = typeof(SoftwareBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == SoftwareBuild.CommitKey).Value;
        SoftwareBuild.Commit.Should().Be(embedded);
        var head = GitHead();
        if (head is null)
        {
            SoftwareBuild.Commit.Should().Be("unknown");
        }
        else
        {
            SoftwareBuild.Commit.Should().MatchRegex("^[0-9a-f]{7,40}$");
            head.Should().StartWith(SoftwareBuild.Commit, "the build embeds the commit it was built from");
        }
    }

    /// <summary>The full HEAD commit of the checkout the tests run in, or null without git.</summary>
    private static string? GitHead()
    {
        try
        {
            var start = new ProcessStartInfo("git", "rev-parse HEAD")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Length >= 7 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
