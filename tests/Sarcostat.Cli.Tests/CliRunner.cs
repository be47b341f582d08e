using System.Text.Json;

namespace Sarcostat.Cli.Tests;

/// <summary>Runs the sarcostat command in-process and captures its output.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output parsed as JSON.</summary>
    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Out);
        return doc.RootElement.Clone();
    }
}

public static class Cli
{
    public static CliResult Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return new CliResult(code, o.ToString(), e.ToString());
    }

    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name + ".csv");

    public static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "golden", name + ".json");

    /// <summary>Writes a temporary CSV file and returns its path; the folder is removed by <see cref="TempDir.Dispose"/>.</summary>
    public static TempDir Temp() => new();
}

public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("sarcostat-test-").FullName;

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
