using System.IO.Compression;

namespace Sarcostat.Cli.Tests;

/// <summary>Identifiers stay out of messages and reports (issue 9).</summary>
public class IdentifierTests
{
    private static string Samples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "samples", "chang2024")))
        {
            dir = dir.Parent;
        }

        return dir is null ? throw new DirectoryNotFoundException("samples/ not found above the test folder") : Path.Combine(dir.FullName, "samples", "chang2024");
    }

    /// <summary>Every text of every file in a folder, docx/xlsx parts included.</summary>
    private static IEnumerable<(string File, string Text)> Texts(string folder)
    {
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (f.EndsWith(".docx", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(f);
                foreach (var e in zip.Entries)
                {
                    using var r = new StreamReader(e.Open());
                    yield return ($"{f}:{e.FullName}", r.ReadToEnd());
                }
            }
            else
            {
                yield return (f, File.ReadAllText(f));
            }
        }
    }

    [Fact]
    public void A_cohort_file_named_after_a_patient_never_appears_in_the_report()
    {
        using var d = Cli.Temp();
        var cohort = Directory.CreateDirectory(Path.Combine(d.Path, "cohort")).FullName;
        File.Copy(Path.Combine(Samples(), "patients.csv"), Path.Combine(cohort, "Smith_John_1962.csv"));
        File.Copy(Path.Combine(Samples(), "procedures.csv"), Path.Combine(cohort, "Smith_John_1962_operations.csv"));
        var outDir = Path.Combine(d.Path, "report");
        var r = Cli.Run("report", cohort, "--out", outDir, "--date", "2026-11-22");
        r.ExitCode.Should().Be(0, r.Error);
        var texts = Texts(outDir).ToList();
        texts.Should().Contain(t => t.File.EndsWith("report.html", StringComparison.Ordinal));
        texts.Select(t => t.Text).Should().Contain(t => t.Contains("input 1 (CSV)", StringComparison.Ordinal), "the provenance lists the inputs by number and hash");
        foreach (var (file, text) in texts)
        {
            text.Should().NotContain("Smith", file).And.NotContain("John_1962", file);
        }
    }

    [Fact]
    public void A_conflict_on_the_date_of_birth_gives_the_gap_and_both_places_never_the_dates()
    {
        using var d = Cli.Temp();
        const string Header = "study_id,sex,birth_date,histology,primary_surgery_date,lung_met_date,pm_date,vital_status,last_contact_date";
        d.Write("a.csv", Header + "\nS1,male,1962-04-01,leiomyosarcoma,2015-01-10,2016-03-01,2016-04-01,alive,2020-01-01\n");
        d.Write("b.csv", Header + "\nS1,male,1962-04-11,leiomyosarcoma,2015-01-10,2016-03-01,2016-04-01,alive,2020-01-01\n");
        var r = Cli.Run("validate", Path.Combine(d.Path, "a.csv"), Path.Combine(d.Path, "b.csv"));
        r.ExitCode.Should().Be(1);
        var all = r.Out + r.Error;
        all.Should().Contain("b.csv row 2, column \"birth_date\"").And.Contain("a.csv row 2").And.Contain("differ by 10 days");
        all.Should().NotContain("1962-04-01").And.NotContain("1962-04-11").And.NotContain("1962");
    }
}
