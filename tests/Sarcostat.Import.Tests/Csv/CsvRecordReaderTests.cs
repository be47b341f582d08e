using System.Text;
using Sarcostat.Cohort;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Import.Tests.Csv;

/// <summary>What a reader returned for one input: every record and every problem.</summary>
internal sealed record ReadOutcome(string[] Header, List<(int Row, bool Malformed, string[] Fields)> Records, List<CohortProblem> Problems, bool Stopped, int RowsRead, int RowsRejected, int BlankRows, char Separator)
{
    public static ReadOutcome Of(byte[] data, CsvReadOptions? options = null)
    {
        using var r = CsvRecordReader.FromBytes(data, "data.csv", options);
        var records = new List<(int, bool, string[])>();
        while (r.Read())
        {
            records.Add((r.Row, r.IsMalformed, Enumerable.Range(0, r.FieldCount).Select(r.GetString).ToArray()));
        }

        return new ReadOutcome(r.Header.ToArray(), records, r.Problems.ToList(), r.Stopped, r.RowsRead, r.RowsRejected, r.BlankRows, r.Separator);
    }

    public static ReadOutcome Of(string text, CsvReadOptions? options = null) => Of(Encoding.UTF8.GetBytes(text), options);

    public IEnumerable<(int? Row, string? Column, string Rule)> Where => Problems.Select(p => (p.Row, p.Column, p.Rule));

    public IEnumerable<string> Good(int column) => Records.Where(r => !r.Malformed).Select(r => r.Fields[column]);
}

public class CsvRecordReaderTests
{
    private static readonly CsvReadOptions Tiny = new() { BufferBytes = 16 };

    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData("\t")]
    [InlineData("|")]
    public void The_separator_is_detected(string sep)
    {
        var o = ReadOutcome.Of($"id{sep}t{sep}note\n1{sep}2.5{sep}\"a,b;c|d\te\"\n2{sep}3{sep}x\n");
        o.Separator.Should().Be(sep[0]);
        o.Header.Should().Equal("id", "t", "note");
        o.Good(2).Should().Equal("a,b;c|d\te", "x");
        o.Problems.Should().BeEmpty();
    }

    [Fact]
    public void Semicolon_files_with_decimal_commas_are_semicolon_files()
    {
        var o = ReadOutcome.Of("id;t;e\n1;1,5;0\n2;2,5;1\n");
        o.Separator.Should().Be(';');
        o.Good(1).Should().Equal("1,5", "2,5");
    }

    [Fact]
    public void Excel_sep_line_sets_the_separator_and_is_not_a_row()
    {
        var o = ReadOutcome.Of("sep=;\r\na;b\r\n1,5;2\r\n");
        o.Separator.Should().Be(';');
        o.Header.Should().Equal("a", "b");
        o.Records.Single().Should().BeEquivalentTo((2, false, new[] { "1,5", "2" }));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Line_ends_CRLF_LF_and_CR_and_blank_lines_count_as_rows(string nl)
    {
        var text = string.Join(nl, "a,b", "1,2", "", "3,\"x" + nl + "y\"", " , ", "5,6") + nl;
        foreach (var options in new[] { CsvReadOptions.Default, Tiny })
        {
            var o = ReadOutcome.Of(text, options);
            o.Records.Select(r => (r.Row, r.Fields[0], r.Fields[1])).Should().Equal((2, "1", "2"), (4, "3", "x" + nl + "y"), (6, "5", "6"));
            (o.RowsRead, o.RowsRejected, o.BlankRows).Should().Be((3, 0, 2));
            o.Problems.Should().BeEmpty();
        }
    }

    [Fact]
    public void Quoted_fields_undo_doubled_quotes_and_keep_separators_and_the_last_line_needs_no_line_end()
    {
        var o = ReadOutcome.Of("a,b\n\"he said \"\"hi\"\"\",\"\"\n\"\"\"\",\"x,\"\"y\"\"\"");
        o.Records.Select(r => r.Fields).Should().BeEquivalentTo(new[] { new[] { "he said \"hi\"", "" }, new[] { "\"", "x,\"y\"" } }, c => c.WithStrictOrdering());
        o.Problems.Should().BeEmpty();
    }

    [Fact]
    public void UTF8_with_and_without_a_byte_order_mark_and_UTF16_with_one_read_the_same()
    {
        const string text = "groupe,t\népaule,1\nÉpaule,2\n";
        var expected = new[] { "épaule", "Épaule" };
        ReadOutcome.Of(Encoding.UTF8.GetBytes(text)).Good(0).Should().Equal(expected);
        ReadOutcome.Of([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]).Header[0].Should().Be("groupe");
        foreach (var e in new[] { Encoding.Unicode, Encoding.BigEndianUnicode })
        {
            var o = ReadOutcome.Of([.. e.GetPreamble(), .. e.GetBytes(text)]);
            o.Header.Should().Equal("groupe", "t");
            o.Good(0).Should().Equal(expected);
            o.Problems.Should().BeEmpty();
        }
    }

    [Fact]
    public void Windows_1252_is_read_with_a_warning_and_distinct_accented_labels_stay_distinct()
    {
        var bytes = Encoding.Latin1.GetBytes("g,t\népaule,1\nÉpaule,2\nepaule,3\n");
        var o = ReadOutcome.Of(bytes, Tiny);
        o.Good(0).Should().Equal("épaule", "Épaule", "epaule");
        o.Problems.Single().Should().Be(new CohortProblem("data.csv", null, null, "not-utf8", null, "UTF-8 text", Severity.Warning,
            "The file was read as Windows-1252; save it as UTF-8 (\"CSV UTF-8\" in Excel)."));
    }

    [Fact]
    public void A_file_mixing_UTF8_and_another_encoding_is_read_as_UTF8_with_an_error_on_each_bad_field()
    {
        var bytes = Encoding.UTF8.GetBytes("g,t\népaule,1\nX,2\nok,3\n");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xE9;
        var o = ReadOutcome.Of(bytes);
        o.Where.Should().Equal((3, "g", "invalid-utf8"));
        o.Good(0).Should().Equal("épaule", "ok");
        (o.RowsRead, o.RowsRejected).Should().Be((2, 1));
    }

    [Fact]
    public void A_UTF8_character_cut_by_the_scan_block_boundary_is_still_UTF8()
    {
        var sb = new StringBuilder("g,t\n");
        while (sb.Length < 200_000)
        {
            sb.Append("é€𝄞,1\n");
        }

        var o = ReadOutcome.Of(sb.ToString());
        o.Problems.Should().BeEmpty();
        o.Good(0).Should().OnlyContain(g => g == "é€𝄞");
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,\"4\n5,6\n", 3, "b")]
    [InlineData("a,b,c\n1,2,3\n4,\"5,6\n7,8,9\n", 3, "b")]
    [InlineData("a,b\n1,2\n\"3,4\n", 3, "a")]
    public void A_quote_never_closed_is_an_error_where_it_opened_and_reading_stops(string text, int row, string column)
    {
        foreach (var options in new[] { CsvReadOptions.Default, Tiny })
        {
            var o = ReadOutcome.Of(text, options);
            o.Where.Should().Equal((row, column, "unclosed-quote"));
            o.Problems[0].ToString().Should().Contain("runs to the end of the file");
            o.Stopped.Should().BeTrue();
            o.Records.Select(r => r.Row).Should().Equal(2);
            (o.RowsRead, o.RowsRejected).Should().Be((1, 1));
        }
    }

    [Fact]
    public void A_quote_never_closed_in_the_header_names_the_cell()
    {
        var o = ReadOutcome.Of("a,\"b\n1,2\n");
        o.Where.Should().Equal((1, (string?)null, "unclosed-quote"));
        o.Problems[0].Expected.Should().EndWith("(cell 2)");
        o.Header.Should().BeEmpty();
    }

    [Fact]
    public void A_quoted_field_over_the_limit_stops_reading_before_the_end_of_the_file()
    {
        var text = "a,b\n1,\"" + string.Concat(Enumerable.Repeat("2,3\n", 5000)) + "\"\n";
        var o = ReadOutcome.Of(text, new CsvReadOptions { MaxFieldBytes = 1000, BufferBytes = 64 });
        o.Where.Should().Equal((2, "b", "unclosed-quote"));
        o.Problems[0].Expected.Should().Contain("within 1,000 bytes");
        o.Stopped.Should().BeTrue();
    }

    [Fact]
    public void An_unquoted_field_over_the_limit_is_an_error_that_does_not_echo_it()
    {
        var text = "a,b\n1,2\n3," + new string('7', 5000) + "\n5,6\n";
        var o = ReadOutcome.Of(text, new CsvReadOptions { MaxFieldBytes = 1000 });
        o.Where.Should().Equal((3, "b", "field-too-long"));
        o.Problems[0].ToString().Should().NotContain("7777");
        o.Stopped.Should().BeTrue();
    }

    [Fact]
    public void A_record_over_the_limit_stops_reading()
    {
        var text = "a\n" + string.Concat(Enumerable.Repeat("\"x\ny\"", 1)) + "\n" + string.Join(",", Enumerable.Repeat("123456789", 500)) + "\n";
        var o = ReadOutcome.Of(text, new CsvReadOptions { MaxRecordBytes = 1000, BufferBytes = 16 });
        o.Where.Should().Equal((3, (string?)null, "record-too-long"));
    }

    [Fact]
    public void Text_after_a_closing_quote_rejects_the_row_and_reading_goes_on()
    {
        var o = ReadOutcome.Of("a,b,c\n1,\"ab\"c,3\n4,5,6\n7,\"x\"\"\"y\"z,9\n");
        o.Where.Should().Equal((2, "b", "text-after-quote"), (4, "b", "text-after-quote"));
        o.Records.Select(r => (r.Row, r.Malformed)).Should().Equal((2, true), (3, false), (4, true));
        (o.RowsRead, o.RowsRejected).Should().Be((1, 2));
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_rejects_the_row()
    {
        var o = ReadOutcome.Of("a,b\n1,5\" nodule\n2, \"x\"\n3,\"5\"\" nodule\"\n");
        o.Where.Should().Equal((2, "b", "stray-quote"), (3, "b", "stray-quote"));
        o.Good(1).Should().Equal("5\" nodule");
    }

    [Fact]
    public void Rows_with_more_or_fewer_cells_than_the_header_are_errors()
    {
        var o = ReadOutcome.Of("a,b,c\n1,2,3\n1,2\n1,2,3,4\n,,,,\n4,5,6\n");
        o.Where.Should().Equal((3, (string?)null, "cell-count"), (4, (string?)null, "cell-count"));
        o.Problems[0].Expected.Should().Be("3 cells as in the header, found 2");
        (o.RowsRead, o.RowsRejected, o.BlankRows).Should().Be((2, 2, 1));
    }

    [Theory]
    [InlineData("\0", "\\u0000")]
    [InlineData("\u001B[31m", "\\u001B")]
    [InlineData("\u0085", "\\u0085")]
    [InlineData("\u007F", "\\u007F")]
    public void Control_characters_reject_the_row_and_are_shown_escaped(string control, string shown)
    {
        var o = ReadOutcome.Of($"a,b\n1,2{control}3\n4,\"a\tb\r\nc\"\n");
        o.Where.Should().Equal((2, "b", "control-character"));
        o.Problems[0].ToString().Should().Contain(shown).And.NotContain(control);
        o.Good(1).Should().Equal("a\tb\r\nc");
    }

    [Fact]
    public void Empty_and_header_only_files_have_no_rows()
    {
        var empty = ReadOutcome.Of(string.Empty);
        (empty.Header.Length, empty.Records.Count, empty.Problems.Count).Should().Be((0, 0, 0));
        var header = ReadOutcome.Of("\n\na,b\n\n");
        (header.Header.Length, header.Records.Count, header.BlankRows).Should().Be((2, 0, 1));
    }

    [Fact]
    public void Numbers_parse_from_the_bytes_in_the_invariant_culture()
    {
        using var r = CsvRecordReader.FromBytes(Encoding.UTF8.GetBytes("a,b,c,d,e,f,g\n 1.5 ,-2e3,\"1,5\",NaN,,1e999,x\n"), "d.csv");
        r.Read().Should().BeTrue();
        var parsed = Enumerable.Range(0, 7).Select(c => r.TryGetDouble(c, out var v) ? v : (double?)null).ToArray();
        parsed.Should().Equal(1.5, -2000.0, null, null, null, null, null);
    }

    [Fact]
    public void A_tiny_buffer_reads_the_same_records_as_the_default()
    {
        var rng = new Random(7);
        for (int n = 0; n < 300; n++)
        {
            var sb = new StringBuilder("id,t,note\n");
            for (int i = 0; i < rng.Next(1, 12); i++)
            {
                var note = rng.Next(4) switch { 0 => "", 1 => "plain", 2 => "\"q, \"\"x\"\"\r\ny\"", _ => "\"é€\"" };
                sb.Append(i).Append(',').Append(rng.NextDouble()).Append(',').Append(note).Append(rng.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" });
            }

            var a = ReadOutcome.Of(sb.ToString());
            var b = ReadOutcome.Of(sb.ToString(), Tiny);
            b.Records.Should().BeEquivalentTo(a.Records, c => c.WithStrictOrdering());
            a.Problems.Should().BeEmpty();
        }
    }
}

public class CsvRuleDocsTests
{
    [Fact]
    public void Every_rule_code_of_the_reader_is_documented_in_import_md()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Sarcostat.slnx")))
        {
            dir = dir.Parent;
        }

        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "import.md"));
        var codes = typeof(CsvRuleCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        codes.Should().HaveCount(9);
        codes.Should().OnlyContain(c => doc.Contains($"| `{c}` |", StringComparison.Ordinal));
    }
}

public class CsvAllocationTests
{
    [Fact]
    public void Reading_numbers_allocates_nothing_per_row_or_field()
    {
        // The design issue 13 builds on: spans over one pooled buffer, numbers parsed from the bytes. Allocation is
        // measured (not time): reading 20,000 rows of 6 fields must allocate about what reading 200 rows does.
        static long Allocated(int rows)
        {
            var sb = new StringBuilder("a,b,c,d,e,f\n");
            for (int i = 0; i < rows; i++)
            {
                sb.Append(i).Append(",1.5,\"2.5\",3e2, 4 ,-5\n");
            }

            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            double sum = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (var r = CsvRecordReader.FromBytes(bytes, "a.csv"))
            {
                while (r.Read())
                {
                    for (int c = 0; c < r.FieldCount; c++)
                    {
                        sum += r.TryGetDouble(c, out var v) ? v : double.NaN;
                    }
                }
            }

            double.IsNaN(sum).Should().BeFalse();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(200);
        var small = Allocated(200);
        var large = Allocated(20_000);
        (large - small).Should().BeLessThan(16 * 1024, $"200 rows: {small} bytes, 20,000 rows: {large} bytes");
    }
}
