using Microsoft.VisualBasic.FileIO;
using Sarcostat.Reports.Csv;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class CsvRendererTests
{
    private static string Render(TableItem table)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        CsvRenderer.Write(table, writer);
        return writer.ToString();
    }

    /// <summary>Parses with .NET's own RFC 4180 reader (quoted fields, doubled quotes), independent of the writer.</summary>
    internal static List<string[]> Parse(string csv)
    {
        using var parser = new TextFieldParser(new StringReader(csv)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var records = new List<string[]>();
        while (!parser.EndOfData)
        {
            records.Add(parser.ReadFields()!);
        }

        return records;
    }

    [Fact]
    public void Interval_cells_get_lower_and_upper_columns_at_full_precision()
    {
        var table = SampleReports.Table3();
        var records = Parse(Render(table));
        records[0].Should().Equal("variable", "level", "indent", "HR", "HR (value)", "95% CI", "95% CI (lower)", "95% CI (upper)", "p", "p (value)");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var ci = table.Rows[r].Cells[2];
            records[r + 1][5].Should().Be(ci.Text);
            double.Parse(records[r + 1][6], System.Globalization.CultureInfo.InvariantCulture).Should().Be(ci.Lower!.Value);
            double.Parse(records[r + 1][7], System.Globalization.CultureInfo.InvariantCulture).Should().Be(ci.Upper!.Value);
        }
    }

    [Fact]
    public void The_csv_round_trips_through_a_csv_parser_with_every_cell_text_as_shown()
    {
        var table = SampleReports.Table2();
        var records = Parse(Render(table));

        records[0].Should().Equal("variable", "level", "indent", "n", "n (value)", "5-Year Survival (%)", "5-Year Survival (%) (value)", "p", "p (value)");
        records.Should().HaveCount(table.Rows.Count + 1);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var record = records[r + 1];
            record.Should().HaveCount(9);
            (row.Indent == 0 ? record[0] : record[1]).Should().Be(row.Cells[0].Text);
            record[2].Should().Be(row.Indent.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var shown = new[] { record[3], record[5], record[7] };
            shown.Should().Equal(Enumerable.Range(1, 3).Select(c => c < row.Cells.Count ? row.Cells[c].Text : string.Empty));
        }
    }

    [Fact]
    public void Level_rows_carry_the_name_of_their_variable()
    {
        var records = Parse(Render(SampleReports.Table2()));
        records[1].Take(3).Should().Equal("Sex", string.Empty, "0");
        records[2].Take(3).Should().Equal("Sex", "Male", "1");
        records[5].Take(3).Should().Equal("Disease-free interval", "<12 months", "1");
        records[9].Take(3).Should().Equal("Primary histology", "Dedifferentiated, \"DDLPS\"", "2");
    }

    [Fact]
    public void Values_are_kept_at_full_precision_beside_the_text()
    {
        var records = Parse(Render(SampleReports.Table2()));
        var lesion = records.Single(r => r[1] == "<20 mm");
        lesion[7].Should().Be("<0.001");
        lesion[8].Should().Be("2E-05");
        double.Parse(lesion[8], System.Globalization.CultureInfo.InvariantCulture).Should().Be(0.00002);
        records.Single(r => r[1] == "Male")[6].Should().Be("53.2");
    }

    [Fact]
    public void Fields_with_commas_quotes_or_edge_spaces_are_quoted_and_records_end_with_crlf()
    {
        var text = Render(SampleReports.Table2());
        text.Should().Contain("\"Dedifferentiated, \"\"DDLPS\"\"\"");
        text.Should().EndWith("\r\n");
        text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Should().NotContain("\n");

        var spaced = new TableItem("t", "T", ["Variable", "Value"], [new TableRow([" leading", new TableCell("x", null)])], []);
        Render(spaced).Should().Contain("\" leading\"");
    }

    [Fact]
    public void Non_finite_values_use_r_spellings()
    {
        CsvRenderer.FormatValue(double.PositiveInfinity).Should().Be("Inf");
        CsvRenderer.FormatValue(double.NegativeInfinity).Should().Be("-Inf");
        CsvRenderer.FormatValue(double.NaN).Should().Be("NA");
        CsvRenderer.FormatValue(null).Should().BeEmpty();
        CsvRenderer.FormatValue(0.1 + 0.2).Should().Be("0.30000000000000004");
    }

    [Fact]
    public void A_column_without_estimates_gets_no_value_column()
    {
        var records = Parse(Render(SampleReports.Table3()));
        records[0].Should().Equal("variable", "level", "indent", "HR", "HR (value)", "95% CI", "95% CI (lower)", "95% CI (upper)", "p", "p (value)");
        records[1].Should().Equal("Disease-free interval (<12 months)", string.Empty, "0", "3.544", "3.544", "1.422\u20138.832", "1.422", "8.832", "0.007", "0.007");
        var plain = SampleReports.Table2();
        Parse(Render(plain))[0].Should().NotContain(h => h.EndsWith("(lower)", StringComparison.Ordinal), "a table without intervals has no limit columns");
    }

    [Fact]
    public void Rendering_twice_gives_identical_text()
    {
        Render(SampleReports.Table2()).Should().Be(Render(SampleReports.Table2()));
    }
}
