using System.Text;
using Sarcostat.Reports.Csv;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

/// <summary>cohort.csv and cohort-dictionary.csv in the report folder.</summary>
public class CohortCsvRendererTests
{
    private static CohortExport Cohort() => new(
        [
            new("study_id", "Pseudonymised study id.", "", ""),
            new("os_time", "OS: time in months.", "months", ""),
            new("os_event", "OS event.", "0/1", ""),
            new("histology", "Histology, \"grouped\".", "", "ss = Synovial sarcoma; =other = =HYPERLINK(x)"),
        ],
        [
            ["P001", "12.345678901234567", "1", "ss"],
            ["P002", "", "", "=other"],
        ]);

    [Fact]
    public void Cohort_and_dictionary_are_written_with_the_guarded_csv_writer()
    {
        using var rows = new StringWriter();
        CohortCsvRenderer.WriteCohort(Cohort(), rows);
        rows.ToString().Should().Be(
            "study_id,os_time,os_event,histology\r\n" +
            "P001,12.345678901234567,1,ss\r\n" +
            "P002,,,'=other\r\n");

        using var dictionary = new StringWriter();
        CohortCsvRenderer.WriteDictionary(Cohort(), dictionary);
        var lines = dictionary.ToString().Split("\r\n");
        lines[0].Should().Be("name,meaning,unit,levels");
        lines[1].Should().Be("study_id,Pseudonymised study id.,,");
        lines[4].Should().Be("histology,\"Histology, \"\"grouped\"\".\",,ss = Synovial sarcoma; =other = =HYPERLINK(x)");
        lines.Should().HaveCount(6, "a header, four columns and the empty string after the last CRLF");
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_values_is_refused()
    {
        var bad = Cohort() with { Rows = [["P001", "1"]] };
        var act = () => CohortCsvRenderer.WriteCohort(bad, new StringWriter());
        act.Should().Throw<ArgumentException>().WithMessage("*2 values for 4 columns*");
    }

    [Fact]
    public void The_report_folder_has_the_cohort_files_when_the_report_carries_a_cohort()
    {
        using var temp = new TempFolder();
        var written = ReportWriter.Write(SampleReports.Small() with { Cohort = Cohort() }, temp["r"])
            .Select(f => Path.GetRelativePath(temp["r"], f).Replace('\\', '/')).ToList();
        written.Should().ContainInOrder("tables.xlsx", "results.json", "cohort.csv", "cohort-dictionary.csv", "tables/table-2.csv");
        var bytes = File.ReadAllBytes(Path.Combine(temp["r"], "cohort.csv"));
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Should().StartWith("study_id,os_time");

        using var temp2 = new TempFolder();
        ReportWriter.Write(SampleReports.Small(), temp2["r"]).Should().NotContain(f => f.EndsWith("cohort.csv", StringComparison.Ordinal));
    }
}
