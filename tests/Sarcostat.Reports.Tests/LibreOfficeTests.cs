using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sarcostat.Reports.Tests;

/// <summary>
/// A fact that runs where LibreOffice (Debian: libreoffice-writer-nogui) and poppler-utils are installed; CI installs
/// both, and there (CI=true) a missing tool fails the test instead of skipping it.
/// </summary>
public sealed class LibreOfficeFactAttribute : FactAttribute
{
    public LibreOfficeFactAttribute()
    {
        if (LibreOffice.Path is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui poppler-utils)";
        }
    }
}

internal static class LibreOffice
{
    public static string? Path { get; } = new[] { "/usr/bin/soffice", "/usr/bin/libreoffice" }.FirstOrDefault(File.Exists);

    /// <summary>Runs a program, failing the test on a non-zero exit or after two minutes; returns standard output.</summary>
    public static string Run(string program, params string[] arguments) => ExternalProgram.Run(program, arguments, checkExitCode: true);
}

public class LibreOfficeTests
{
    [LibreOfficeFact]
    public void The_word_report_renders_in_libreoffice_with_every_figure_of_the_html_report_and_no_blank_figure()
    {
        LibreOffice.Path.Should().NotBeNull("CI installs libreoffice-writer-nogui");
        using var temp = new TempFolder();
        var outDir = temp["report"];
        ReportWriter.Write(SampleReports.Paper001Like(), outDir);
        var htmlFigures = Regex.Count(File.ReadAllText(Path.Combine(outDir, "report.html")), "<figure class=\"report-figure");
        htmlFigures.Should().BePositive();

        // LibreOffice headless: .docx to PDF, with its own throw-away profile.
        var pdfDir = temp["pdf"];
        LibreOffice.Run(LibreOffice.Path!, "-env:UserInstallation=file://" + temp["profile"], "--headless", "--convert-to", "pdf", "--outdir", pdfDir, Path.Combine(outDir, "report.docx"));
        var pdf = Path.Combine(pdfDir, "report.pdf");
        File.Exists(pdf).Should().BeTrue();

        // pdfimages -list: one row per image drawn in the PDF (after two header lines).
        var list = LibreOffice.Run("pdfimages", "-list", pdf).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > 3 && c[2] == "image").ToList();
        list.Should().HaveCount(htmlFigures, "the Word report shows every figure the HTML report shows");

        // Render each page that holds a figure and check that the picture area is not blank.
        var pages = list.Select(c => int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        foreach (var page in pages)
        {
            var prefix = Path.Combine(temp.Path, "page" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
            LibreOffice.Run("pdftoppm", "-png", "-r", "50", "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-singlefile", pdf, prefix);
            var png = Png.Read(File.ReadAllBytes(prefix + ".png"));
            int dark = 0;
            for (var y = 0; y < png.Height; y++)
            {
                for (var x = 0; x < png.Width; x++)
                {
                    var (r, g, b) = png[x, y];
                    if (r + g + b < 300)
                    {
                        dark++;
                    }
                }
            }

            ((double)dark / (png.Width * png.Height)).Should().BeGreaterThan(0.005, $"page {page} shows a figure");
        }
    }
}
