using ExcelDataReader;
using Sarcostat.Cohort;
using Sarcostat.Import.Output;

namespace Sarcostat.Import.Tests;

public class TemplateWriterTests
{
    private static readonly DataDictionary D = DataDictionary.Default;

    [Fact]
    public void The_csv_template_has_the_dictionary_fields_as_headers_and_a_codes_table()
    {
        using var dir = new TempDir();
        var written = TemplateWriter.WriteCsv(dir["template"]);
        written.Select(Path.GetFileName).Should().Equal("patients.csv", "procedures.csv", "codes.csv");
        File.ReadAllLines(dir["template/patients.csv"]).Should().Equal(string.Join(",", D.FieldsOf(CohortTable.Patients).Select(f => f.Name)));
        File.ReadAllLines(dir["template/procedures.csv"]).Should().Equal("study_id,pm_date,indication,side,approach,anaesthesia,resection,nodules_resected,complete_resection,margin,hospital_stay_days,icu_stay_days,clavien_dindo,complication,mortality_30d");
        var codes = File.ReadAllLines(dir["template/codes.csv"]);
        codes[0].Should().Be("field,code,label");
        codes.Should().Contain(["sex,male,Male", "sex,female,Female", "diabetes,yes,Yes", "clavien_dindo,IIIa,Grade IIIa", "resection,wedge,Wedge resection"]);
        codes.Should().Contain("recist,PR,Partial response");
        codes.Length.Should().Be(1 + D.Fields.Where(f => f.Type == FieldType.Code).Sum(f => f.Codes.Count) + 2 * D.Fields.Count(f => f.Type == FieldType.Boolean));
        Directory.EnumerateFiles(dir["template"]).Should().HaveCount(3, "no temporary file is left behind");
    }

    [Fact]
    public void A_filled_in_csv_template_imports_cleanly()
    {
        using var dir = new TempDir();
        TemplateWriter.WriteCsv(dir.Path);
        File.Delete(dir["codes.csv"]);
        var values = new Dictionary<string, string>
        {
            ["study_id"] = "T1", ["sex"] = "female", ["histology"] = "synovial_sarcoma", ["primary_site"] = "extremity",
            ["lung_met_date"] = "2019-02-01", ["last_contact_date"] = "2022-02-01", ["vital_status"] = "alive",
            ["ecog"] = "1", ["tissue"] = "soft_tissue", ["primary_surgery_date"] = "2018-01-15", ["nodules"] = "1",
            ["laterality"] = "unilateral", ["largest_nodule_mm"] = "8.5",
        };
        var header = File.ReadAllText(dir["patients.csv"]).Trim().Split(',');
        File.AppendAllText(dir["patients.csv"], string.Join(",", header.Select(h => values.GetValueOrDefault(h, string.Empty))) + "\n");
        File.AppendAllText(dir["procedures.csv"], "T1,2019-03-01,initial,,uniportal_vats,,wedge,1,yes,R0,3,0.5,none,none,no\n");
        var result = Cohorts.Import(dir.Path);
        result.Lines().Should().BeEmpty();
        var m = result.Patients.Single().Procedures.Single();
        (m.Approach, m.IcuStayDays, m.CompleteResection, m.IsSublobar).Should().Be(("uniportal_vats", 0.5, true, true));
    }

    [Fact]
    public void The_workbook_template_has_patients_procedures_and_codes_sheets()
    {
        using var dir = new TempDir();
        TemplateWriter.WriteXlsx(dir["template.xlsx"]);
        // ExcelDataReader needs the code-page encodings on .NET; the importer registers them itself, this test reads directly.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        using var stream = File.OpenRead(dir["template.xlsx"]);
        using var reader = ExcelReaderFactory.CreateReader(stream);
        var sheets = new List<(string Name, List<string> FirstRow, int Rows)>();
        do
        {
            var rows = 0;
            var first = new List<string>();
            while (reader.Read())
            {
                if (rows++ == 0)
                {
                    first = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString() ?? string.Empty).ToList();
                }
            }

            sheets.Add((reader.Name, first, rows));
        }
        while (reader.NextResult());

        sheets.Select(s => s.Name).Should().Equal("patients", "procedures", "codes");
        sheets[0].FirstRow.Should().Equal(D.FieldsOf(CohortTable.Patients).Select(f => f.Name));
        sheets[0].Rows.Should().Be(1);
        sheets[1].FirstRow[0].Should().Be("study_id");
        sheets[2].FirstRow.Should().Equal("field", "code", "label");
        sheets[2].Rows.Should().Be(TemplateWriter.CodeRows(D).Count + 1);
    }

    [Fact]
    public void A_failed_write_leaves_nothing_half_written()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["t/codes.csv"]);
        var act = () => TemplateWriter.WriteCsv(dir["t"]);
        act.Should().Throw<IOException>();
        Directory.EnumerateFileSystemEntries(dir["t"]).Select(Path.GetFileName).Should().Equal("codes.csv");

        Directory.CreateDirectory(dir["book.xlsx"]);
        var xlsx = () => TemplateWriter.WriteXlsx(dir["book.xlsx"]);
        xlsx.Should().Throw<IOException>();
        Directory.EnumerateFiles(dir.Path).Should().BeEmpty();
    }
}
