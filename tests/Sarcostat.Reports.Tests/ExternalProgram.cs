using System.Diagnostics;

namespace Sarcostat.Reports.Tests;

/// <summary>Runs a program of the machine (Chromium, LibreOffice, poppler) for a rendering test.</summary>
internal static class ExternalProgram
{
    /// <summary>Runs <paramref name="program"/> with its own arguments; kills it after two minutes; returns standard output.</summary>
    public static string Run(string program, IReadOnlyList<string> arguments, bool checkExitCode)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 120 s.");
        }

        if (checkExitCode)
        {
            process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)}: {stderr.Result}");
        }

        return stdout.Result;
    }
}
