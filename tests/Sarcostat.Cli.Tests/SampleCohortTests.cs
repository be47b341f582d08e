namespace Sarcostat.Cli.Tests;

/// <summary>The committed demo cohorts in samples/ are exactly what the simulator writes with their documented seed.</summary>
public class SampleCohortTests
{
    private static string SamplesFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "samples", "chang2024")))
        {
            dir = dir.Parent;
        }

        return dir is null ? throw new DirectoryNotFoundException("samples/ not found above the test folder") : Path.Combine(dir.FullName, "samples");
    }

    [Theory]
    [InlineData("chang2024")]
    [InlineData("nakayama2022")]
    public void Committed_sample_equals_a_fresh_simulation_with_seed_1(string like)
    {
        using var d = Cli.Temp();
        var fresh = Path.Combine(d.Path, like);
        Cli.Run("simulate", "--like", like, "--seed", "1", "--out", fresh).ExitCode.Should().Be(0);
        var committed = Path.Combine(SamplesFolder(), like);
        var files = Directory.GetFiles(committed).Select(Path.GetFileName).Order().ToArray();
        Directory.GetFiles(fresh).Select(Path.GetFileName).Order().Should().Equal(files);
        foreach (var f in files)
        {
            File.ReadAllBytes(Path.Combine(fresh, f!)).Should().Equal(File.ReadAllBytes(Path.Combine(committed, f!)), f);
        }
    }
}
