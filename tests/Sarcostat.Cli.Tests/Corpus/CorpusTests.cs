using System.Reflection;
using System.Security.Cryptography;
using YamlDotNet.RepresentationModel;

namespace Sarcostat.Cli.Tests.Corpus;

/// <summary>
/// The malformed-input corpus (tests/corpus, docs/reliability.md): every case is a folder holding its input files and
/// a <c>case.yaml</c> that says which command runs and what it must say. Each case runs through the whole command line
/// in-process and must fail with the exit code and the located problems it names, never reach the last-resort
/// handler (exit code 70), never print a stack trace, and leave every file it was given unchanged.
/// </summary>
/// <remarks>
/// case.yaml keys:
/// <list type="bullet">
/// <item><c>about</c>: one line saying what is wrong with the input.</item>
/// <item><c>args</c>: the command line; <c>{case}</c> is a fresh copy of the case folder, <c>{tmp}</c> an empty temporary folder.</item>
/// <item><c>generate</c> (optional): the name of a <see cref="CorpusGeneratorAttribute"/> method that writes large inputs into the copy first.</item>
/// <item><c>exit</c>: the expected exit code (1 data, 2 usage).</item>
/// <item><c>problems</c> (optional): located problems, each with <c>code</c> and any of <c>file</c>, <c>row</c>, <c>column</c>; a line of standard error must hold all of them.</item>
/// <item><c>stderr</c> (optional): text that standard error must contain; <c>not_stderr</c>: text it must not contain (an identifier, a raw escape).</item>
/// <item><c>absent</c> (optional): paths (with the placeholders) that must not exist afterwards (no partial output).</item>
/// </list>
/// </remarks>
public class CorpusTests
{
    /// <summary>The corpus folder copied beside the test assembly.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "corpus");

    public static IReadOnlyList<string> CaseNames() =>
        Directory.EnumerateFiles(Root, "case.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Root, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> Cases() => new(CaseNames());

    [Fact]
    public void The_corpus_is_there_and_every_case_names_what_it_expects()
    {
        var cases = CaseNames();
        cases.Should().NotBeEmpty();
        foreach (var name in cases)
        {
            var spec = CorpusCase.Load(Path.Combine(Root, name));
            spec.About.Should().NotBeNullOrWhiteSpace(name);
            spec.Exit.Should().BeOneOf([1, 2], $"{name}: bad input exits with 1 (data) or 2 (usage)");
            (spec.Problems.Count + spec.Stderr.Count).Should().BePositive($"{name} must say what the message holds");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gets_a_located_error_and_changes_nothing(string name)
    {
        var spec = CorpusCase.Load(Path.Combine(Root, name));
        using var tmp = new TempDir();
        var copy = Path.Combine(tmp.Path, "case");
        var scratch = Path.Combine(tmp.Path, "tmp");
        CopyFolder(Path.Combine(Root, name), copy);
        Directory.CreateDirectory(scratch);
        if (spec.Generate is not null)
        {
            CorpusGeneratorAttribute.Run(spec.Generate, copy);
        }

        string Expand(string s) => s.Replace("{case}", copy, StringComparison.Ordinal).Replace("{tmp}", scratch, StringComparison.Ordinal);
        var before = Fingerprint(copy);

        var r = Cli.Run(spec.Args.Select(Expand).ToArray());

        r.ExitCode.Should().NotBe(70, $"{name}: no input of the corpus may reach the last-resort handler:\n{r.Error}");
        r.ExitCode.Should().Be(spec.Exit, $"{name}: {spec.About}\n{r.Error}");
        r.Error.Should().NotContain("   at ", $"{name}: no stack trace reaches the user");
        r.Error.Should().NotContain("\u001b", $"{name}: no raw escape sequence is printed");
        // validate prints the problems of the data on standard output (its report), errors of setup on standard error.
        var lines = (r.Error + "\n" + r.Out).Split('\n');
        foreach (var p in spec.Problems)
        {
            lines.Any(l => p.Matches(l, Expand)).Should().BeTrue($"{name}: a line with {p} in\n{r.Error}");
        }

        foreach (var s in spec.Stderr)
        {
            r.Error.Should().Contain(Expand(s), name);
        }

        foreach (var s in spec.NotStderr)
        {
            r.Error.Should().NotContain(Expand(s), name);
            r.Out.Should().NotContain(Expand(s), name);
        }

        foreach (var a in spec.Absent)
        {
            var path = Expand(a);
            (File.Exists(path) || Directory.Exists(path)).Should().BeFalse($"{name}: {a} must not be written");
        }

        var after = Fingerprint(copy);
        foreach (var (file, hash) in before)
        {
            after.Should().ContainKey(file, $"{name}: {file} must not be deleted");
            after[file].Should().Be(hash, $"{name}: {file} must not be changed");
        }
    }

    private static Dictionary<string, string> Fingerprint(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))),
            StringComparer.Ordinal);

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
    }
}

/// <summary>One expected located problem: a line of standard error holds the file, row, column and ends with [code].</summary>
public sealed record ExpectedProblem(string Code, string? File, int? Row, string? Column)
{
    public bool Matches(string line, Func<string, string> expand)
    {
        line = line.TrimEnd('\r');
        if (!line.EndsWith($"[{Code}]", StringComparison.Ordinal))
        {
            return false;
        }

        if (File is not null && !line.Contains(expand(File), StringComparison.Ordinal))
        {
            return false;
        }

        if (Row is not null && !line.Contains($" row {Row}", StringComparison.Ordinal))
        {
            return false;
        }

        return Column is null || line.Contains($"column \"{Column}\"", StringComparison.Ordinal);
    }

    public override string ToString() => $"[{Code}] file={File} row={Row} column={Column}";
}

/// <summary>A parsed case.yaml.</summary>
public sealed record CorpusCase(
    string About,
    IReadOnlyList<string> Args,
    int Exit,
    string? Generate,
    IReadOnlyList<ExpectedProblem> Problems,
    IReadOnlyList<string> Stderr,
    IReadOnlyList<string> NotStderr,
    IReadOnlyList<string> Absent)
{
    public static CorpusCase Load(string folder)
    {
        var file = Path.Combine(folder, "case.yaml");
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        string? Scalar(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var n) ? ((YamlScalarNode)n).Value : null;
        IReadOnlyList<string> List(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var n)
            ? ((YamlSequenceNode)n).Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty).ToList()
            : [];
        var problems = new List<ExpectedProblem>();
        if (root.Children.TryGetValue(new YamlScalarNode("problems"), out var ps))
        {
            foreach (YamlMappingNode p in ((YamlSequenceNode)ps).Children.Cast<YamlMappingNode>())
            {
                string? Get(string key) => p.Children.TryGetValue(new YamlScalarNode(key), out var n) ? ((YamlScalarNode)n).Value : null;
                var row = Get("row");
                problems.Add(new ExpectedProblem(
                    Get("code") ?? throw new InvalidDataException($"{file}: a problem without a code"),
                    Get("file"),
                    row is null ? null : int.Parse(row, System.Globalization.CultureInfo.InvariantCulture),
                    Get("column")));
            }
        }

        return new CorpusCase(
            Scalar("about") ?? string.Empty,
            List("args"),
            int.Parse(Scalar("exit") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            Scalar("generate"),
            problems,
            List("stderr"),
            List("not_stderr"),
            List("absent"));
    }
}

/// <summary>
/// Marks a static method <c>void Name(string caseFolder)</c> that writes a large or binary input into a case's copy
/// (named by <c>generate:</c> in case.yaml), so that the repository does not hold megabytes of bad input.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CorpusGeneratorAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public static void Run(string name, string folder)
    {
        var method = typeof(CorpusGeneratorAttribute).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .SingleOrDefault(m => m.GetCustomAttribute<CorpusGeneratorAttribute>()?.Name == name)
            ?? throw new InvalidOperationException($"no [CorpusGenerator(\"{name}\")] method");
        method.Invoke(null, [folder]);
    }
}
