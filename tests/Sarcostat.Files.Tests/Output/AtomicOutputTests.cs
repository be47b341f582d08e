using Sarcostat.Files.Output;

namespace Sarcostat.Files.Tests.Output;

public sealed class AtomicOutputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sarcostat-atomic-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string P(string relative) => Path.Combine(_root, relative);

    [Fact]
    public void An_existing_file_is_refused_unless_overwrite_and_is_then_replaced_whole()
    {
        File.WriteAllText(P("out.csv"), "user's");
        var act = () => AtomicOutput.WriteFile(P("out.csv"), t => File.WriteAllText(t, "new"));
        act.Should().Throw<OutputException>().Where(e => e.Refused).WithMessage("*exists*--force*");
        File.ReadAllText(P("out.csv")).Should().Be("user's");

        AtomicOutput.WriteFile(P("out.csv"), t => File.WriteAllText(t, "new"), overwrite: true);
        File.ReadAllText(P("out.csv")).Should().Be("new");
        Directory.EnumerateFileSystemEntries(_root).Should().ContainSingle("no temporary folder is left");
    }

    [Fact]
    public void A_failing_write_leaves_no_target_and_no_temporary_folder()
    {
        var act = () => AtomicOutput.WriteFiles(
        [
            (P("a.csv"), t => File.WriteAllText(t, "a")),
            (P("b.csv"), _ => throw new IOException("disk full (injected)")),
        ]);
        act.Should().Throw<OutputException>().Where(e => !e.Refused).WithMessage("*disk full (injected)*Nothing was written*");
        Directory.EnumerateFileSystemEntries(_root).Should().BeEmpty();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Paths_that_cannot_be_outputs_are_refused_with_one_line(string path)
    {
        var file = () => OutputPath.CheckFile(path, "--problems");
        var folder = () => OutputPath.CheckFolder(path, "--out");
        file.Should().Throw<OutputException>().Where(e => e.Refused && !e.Message.Contains('\n', StringComparison.Ordinal) && !e.Message.Contains('\0', StringComparison.Ordinal));
        folder.Should().Throw<OutputException>().Where(e => e.Refused && e.Message.StartsWith("--out ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_path_under_a_file_a_folder_where_a_file_goes_and_a_too_long_name_are_refused()
    {
        File.WriteAllText(P("data.csv"), "x");
        Directory.CreateDirectory(P("dir"));
        ((Action)(() => OutputPath.CheckFolder(P("data.csv/sub")))).Should().Throw<OutputException>().WithMessage("*lies under*data.csv*which is a file*");
        ((Action)(() => OutputPath.CheckFile(P("dir")))).Should().Throw<OutputException>().WithMessage("*is a folder*");
        ((Action)(() => OutputPath.CheckFolder(P("data.csv")))).Should().Throw<OutputException>().WithMessage("*is a file*");
        ((Action)(() => OutputPath.CheckFile(P(new string('n', 300))))).Should().Throw<OutputException>().WithMessage("*longer than 255 bytes*");
    }

    [Fact]
    public void Paths_are_compared_after_resolving_links()
    {
        File.WriteAllText(P("data.csv"), "x");
        Directory.CreateDirectory(P("real"));
        File.CreateSymbolicLink(P("alias.csv"), P("data.csv"));
        Directory.CreateSymbolicLink(P("link"), P("real"));
        OutputPath.Same(P("alias.csv"), P("data.csv")).Should().BeTrue();
        OutputPath.Same(P("link/../data.csv"), P("data.csv")).Should().BeTrue();
        OutputPath.Same(P("link/new.csv"), P("real/new.csv")).Should().BeTrue();
        OutputPath.Same(P("other.csv"), P("data.csv")).Should().BeFalse();
        OutputPath.Within(P("link/x.csv"), P("real")).Should().BeTrue();
    }

    [Fact]
    public void A_folder_without_manifest_is_refused_and_with_force_only_namesakes_are_replaced()
    {
        Directory.CreateDirectory(P("out"));
        File.WriteAllText(P("out/mine.txt"), "mine");
        File.WriteAllText(P("out/a.csv"), "old a");
        IReadOnlyList<string> Write(string dir)
        {
            File.WriteAllText(Path.Combine(dir, "a.csv"), "new a");
            return ["a.csv"];
        }

        var act = () => AtomicOutput.WriteFolder(P("out"), Write, new FolderOptions("test"));
        act.Should().Throw<OutputException>().Where(e => e.Refused).WithMessage("*not empty*Nothing was written*--force*");
        File.ReadAllText(P("out/a.csv")).Should().Be("old a");

        var output = AtomicOutput.WriteFolder(P("out"), Write, new FolderOptions("test", Force: true));
        File.ReadAllText(P("out/a.csv")).Should().Be("new a");
        output.Kept.Should().Equal("mine.txt");
        Directory.EnumerateFileSystemEntries(_root).Should().ContainSingle();
    }

    [Fact]
    public void Only_marked_temporary_folders_of_runs_that_ended_before_this_one_are_cleaned()
    {
        var mine = AtomicOutput.CreateTempFolder(_root, "report");
        var marker = File.ReadAllLines(Path.Combine(mine, AtomicOutput.TempMarker));
        marker.Should().Contain($"pid {Environment.ProcessId}").And.Contain(l => l.StartsWith("started ", StringComparison.Ordinal));

        string Fake(string name, int pid, DateTime started)
        {
            var dir = P(name);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, AtomicOutput.TempMarker), $"x\npid {pid}\nstarted {started:O}\n");
            return dir;
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var processStart = self.StartTime.ToUniversalTime();
        var dead = Fake(".sarcostat-tmp-a-1", int.MaxValue - 1, processStart.AddHours(-1));
        var alive = Fake(".sarcostat-tmp-b-1", 1, processStart.AddHours(-1));
        var ancient = Fake(".sarcostat-tmp-c-1", 1, processStart.AddDays(-30));

        AtomicOutput.CleanStale(_root).Should().BeEquivalentTo([dead, ancient]);

        Directory.Exists(mine).Should().BeTrue("this run's own temporary folder is in use");
        Directory.Exists(alive).Should().BeTrue("a run whose process still runs may still be writing");
    }
}
