using System.Diagnostics;

namespace Sarcostat.Reports.Tests;

/// <summary>A fact that runs only where Debian's chromium is installed (apt-get install chromium).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = "chromium is not installed (apt-get install -y chromium)";
        }
    }
}

internal static class Chromium
{
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Runs headless Chromium with its own throw-away profile, no network services; returns stdout.</summary>
    public static string Run(string userDataDir, params string[] arguments)
    {
        string[] flags =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + userDataDir,
        ];

        // Chromium's exit code is not checked: it can exit non-zero after writing what was asked.
        return ExternalProgram.Run(Path!, [.. flags, .. arguments], checkExitCode: false);
    }
}

public class ChromiumTests
{
    [ChromiumFact]
    public void The_html_report_renders_in_chromium_with_its_headings_and_is_not_blank()
    {
        using var temp = new TempFolder();
        var outDir = temp["report"];
        ReportWriter.Write(SampleReports.Paper001Like(), outDir);
        var html = Path.Combine(outDir, "report.html");
        var url = new Uri(html).AbsoluteUri;

        var dom = Chromium.Run(temp["profile-dom"], "--dump-dom", url);
        foreach (var heading in new[] { "Contents", "Methods", "Patients", "Disease-specific survival", "Warnings" })
        {
            dom.Should().Contain($">{heading}</h2>");
        }

        dom.Should().Contain("Table 2. Univariate analyses").And.Contain("Number at risk");

        var png = temp["report.png"];
        Chromium.Run(temp["profile-shot"], "--screenshot=" + png, "--window-size=1200,2400", url);
        var image = Png.Read(File.ReadAllBytes(png));
        image.Width.Should().Be(1200);

        // Ink (dark pixels) must cover a reasonable share of the page: text, rules and curves, not an empty page.
        var dark = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image[x, y];
                if (r + g + b < 3 * 128)
                {
                    dark++;
                }
            }
        }

        ((double)dark / (image.Width * image.Height)).Should().BeGreaterThan(0.005);

        // Keep the screenshot and the report for a person to look at when asked to.
        if (Environment.GetEnvironmentVariable("SARCOSTAT_SAMPLE_DIR") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(png, Path.Combine(keep, "report.png"), overwrite: true);
            foreach (var file in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(keep, "report", Path.GetRelativePath(outDir, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }
    }
}
