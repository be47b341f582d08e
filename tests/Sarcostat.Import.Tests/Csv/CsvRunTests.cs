using System.Globalization;
using System.Text;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Import.Tests.Csv;

/// <summary>
/// Runs of plain records (<see cref="CsvRecordReader.ReadRun"/>, the columnar reader's fast path) give exactly what
/// <see cref="CsvRecordReader.Read"/> gives record by record: the same rows, cells, problems and counts, on seeded
/// random files with quotes, CRLF and CR line ends, blank lines, a BOM, odd bytes (NUL, ESC, C1 controls, a no-break
/// space, Windows-1252), fields straddling the buffer's end (tiny buffers) and runs cut at any length.
/// </summary>
public class CsvRunTests
{
    private static readonly string[] Cells =
    [
        "1", "2.5", "-0", "abc", "", " ", "NA", " 3 ", "é", "x\u00A0y", "\u00A0", "a,b", "say \"hi\"", "two\nlines",
        "cr\rinside", "crlf\r\ninside", "\"", "12345678901234567890", "tab\there", "\u0085", "\u2003",
    ];

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",;\t|\"\r\n");

    /// <summary>Reads every record through runs (at most <paramref name="maxRecords"/> at once) and the record path for the rest.</summary>
    internal static ReadOutcome OfRuns(byte[] data, CsvReadOptions? options, int maxRecords)
    {
        using var r = CsvRecordReader.FromBytes(data, "data.csv", options);
        var records = new List<(int, bool, string[])>();
        while (true)
        {
            int n = r.ReadRun(maxRecords);
            if (n > 0)
            {
                n.Should().BeLessThanOrEqualTo(maxRecords);
                for (int i = 0; i < n; i++)
                {
                    records.Add((r.RunFirstRow + i, false, Enumerable.Range(0, r.Header.Count).Select(k => Encoding.UTF8.GetString(r.GetRunSpan(i, k))).ToArray()));
                }

                r.Row.Should().Be(r.RunFirstRow + n - 1);
                continue;
            }

            if (!r.Read())
            {
                break;
            }

            records.Add((r.Row, r.IsMalformed, Enumerable.Range(0, r.FieldCount).Select(r.GetString).ToArray()));
        }

        return new ReadOutcome(r.Header.ToArray(), records, r.Problems.ToList(), r.Stopped, r.RowsRead, r.RowsRejected, r.BlankRows, r.Separator);
    }

    private static void SameAsRecordPath(byte[] bytes, CsvReadOptions options, int maxRecords, string context)
    {
        var expected = ReadOutcome.Of(bytes, options);
        var got = OfRuns(bytes, options, maxRecords);
        got.Header.Should().Equal(expected.Header, context);
        got.Records.Select(r => (r.Row, r.Malformed, string.Join("\u0001", r.Fields))).Should()
            .Equal(expected.Records.Select(r => (r.Row, r.Malformed, string.Join("\u0001", r.Fields))), context);
        got.Problems.Select(p => p.ToString()).Should().Equal(expected.Problems.Select(p => p.ToString()), context);
        (got.Stopped, got.RowsRead, got.RowsRejected, got.BlankRows, got.Separator).Should()
            .Be((expected.Stopped, expected.RowsRead, expected.RowsRejected, expected.BlankRows, expected.Separator), context);
    }

    private static byte[] RandomFile(Random rng, out string about)
    {
        int columns = rng.Next(1, 6), rows = rng.Next(0, rng.Next(3) == 0 ? 3000 : 60);
        char sep = ",;\t|"[rng.Next(4)];
        string nl = rng.Next(4) switch { 0 => "\r\n", 1 => "\r", _ => "\n" };
        int oddness = rng.Next(4);
        var sb = new StringBuilder();
        if (rng.Next(5) == 0)
        {
            sb.Append('\uFEFF');
        }

        sb.Append(string.Join(sep, Enumerable.Range(0, columns).Select(c => "c" + c.ToString(CultureInfo.InvariantCulture)))).Append(nl);
        for (int i = 0; i < rows; i++)
        {
            if (oddness > 0 && rng.Next(40) == 0)
            {
                sb.Append(rng.Next(3) == 0 ? new string(sep, columns - 1) : string.Empty).Append(nl);   // blank rows
                continue;
            }

            int n = oddness > 0 && rng.Next(50) == 0 ? columns + rng.Next(-1, 2) : columns;
            var cells = new string[Math.Max(1, n)];
            for (int k = 0; k < cells.Length; k++)
            {
                string cell = oddness == 0 || rng.Next(3) > 0
                    ? (rng.Next(10000) / 10.0).ToString(CultureInfo.InvariantCulture)
                    : Cells[rng.Next(Cells.Length)];
                bool quote = cell.AsSpan().IndexOfAny(Special) >= 0 || (oddness > 1 && rng.Next(8) == 0);
                cells[k] = quote && (oddness < 3 || rng.Next(10) > 0) ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
            }

            sb.Append(string.Join(sep, cells));
            if (i < rows - 1 || rng.Next(3) > 0)
            {
                sb.Append(nl);
            }
        }

        about = string.Create(CultureInfo.InvariantCulture, $"{columns} columns, {rows} rows, separator {(int)sep}, line end {nl.Length}/{(int)nl[0]}, oddness {oddness}");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        if (oddness == 3 && bytes.Length > 0)
        {
            // Odd bytes: NUL, ESC, DEL, a lone 0xC2, a Windows-1252 byte, a C1 control.
            byte[][] odd = [[0], [0x1B], [0x7F], [0xC2], [0xE9], [0xC2, 0x85]];
            var list = bytes.ToList();
            for (int m = rng.Next(1, 4); m > 0; m--)
            {
                list.InsertRange(rng.Next(list.Count), odd[rng.Next(odd.Length)]);
            }

            bytes = [.. list];
        }

        return bytes;
    }

    [Fact]
    public void Runs_give_the_same_records_problems_and_counts_as_the_record_path_on_random_files()
    {
        var rng = new Random(20261203);
        int withRuns = 0;
        for (int n = 0; n < 1500; n++)
        {
            var bytes = RandomFile(rng, out var about);
            var options = rng.Next(3) switch
            {
                0 => new CsvReadOptions { BufferBytes = 16 + rng.Next(200) },
                1 => new CsvReadOptions { BufferBytes = 1024 + rng.Next(9000), MaxFieldBytes = 20 + rng.Next(2000) },
                _ => CsvReadOptions.Default,
            };
            int maxRecords = rng.Next(3) switch { 0 => 1, 1 => rng.Next(1, 20), _ => int.MaxValue };
            SameAsRecordPath(bytes, options, maxRecords, $"case {n}: {about}, buffer {options.BufferBytes}, runs of {maxRecords}");
            using var r = CsvRecordReader.FromBytes(bytes, "data.csv", options);
            withRuns += r.ReadRun() > 0 ? 1 : 0;
        }

        withRuns.Should().BeGreaterThan(500, "most files start with plain records");
    }

    [Fact]
    public void Runs_agree_with_the_record_path_on_the_mutation_fuzzers_files()
    {
        var rng = new Random(1203);
        for (int n = 0; n < 1500; n++)
        {
            var clean = CsvFuzzTests.Survival(rng);
            var mutations = Mutation.Random(rng, clean.Bytes, allowHuge: n % 10 == 0);
            var bytes = Mutation.Apply(clean.Bytes, mutations);
            var options = n % 3 == 0 ? new CsvReadOptions { BufferBytes = 16 + rng.Next(100) } : CsvReadOptions.Default;
            SameAsRecordPath(bytes, options, n % 2 == 0 ? int.MaxValue : 1 + rng.Next(5), $"case {n}: {string.Join(", ", mutations)}");
        }
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,4\n", 2)]
    [InlineData("a,b\r\n1,2\r\n3,4\r\n", 2)]
    [InlineData("a,b\n\"1\",\"\"\n3,4\n", 2)]                 // quotes around whole fields, an empty quoted field
    [InlineData("a,b\n1,2\n3,4", 1)]                         // the last record without a line end: record path
    [InlineData("a,b\n1,2\n\n3,4\n", 1)]                     // a blank line ends the run
    [InlineData("a,b\n1,2\n3,4,5\n", 1)]                     // too many cells: record path, with its problem
    [InlineData("a,b\n1,2\n\"x,y\",4\n", 1)]                 // a separator inside quotes
    [InlineData("a,b\n1,2\n\"x\"\"y\",4\n", 1)]              // a doubled quote
    [InlineData("a,b\n1,2\n\"x\ny\",4\n", 1)]                // a line break inside quotes
    [InlineData("a,b\n1,2\n3,x\"y\n", 1)]                    // a stray quote
    [InlineData("a,b\n1,2\n3,\"x\"y\n", 1)]                  // text after a closing quote
    [InlineData("a,b\n1,2\n3,x\u0001\n", 1)]                 // a control character
    [InlineData("a,b\n1,2\n3,\u0085\n", 1)]                  // a C1 control
    [InlineData("a,b\n1,2\n3,\u00A0\n", 2)]                  // a no-break space is text
    [InlineData("a,b\n1,2\r3,4\n", 0)]                       // a CR line end: record path
    [InlineData("a,b\n , \n3,4\n", 0)]                       // spaces only: a blank row, record path
    public void A_run_stops_before_the_first_record_that_is_not_plain(string text, int expected)
    {
        using var r = CsvRecordReader.FromBytes(Encoding.UTF8.GetBytes(text), "data.csv");
        r.ReadRun().Should().Be(expected, text);
        SameAsRecordPath(Encoding.UTF8.GetBytes(text), CsvReadOptions.Default, int.MaxValue, text);
    }

    [Fact]
    public void After_a_record_that_grew_the_buffer_runs_index_at_most_a_window_and_still_agree()
    {
        // A 1.2 MB row (a cell-count problem) grows the buffer past the 1 MiB run window; 200,000 short rows follow.
        var sb = new StringBuilder("a,b\n1,2\n");
        sb.AppendJoin(',', Enumerable.Repeat("xyz", 300_000)).Append('\n');
        for (int i = 0; i < 200_000; i++)
        {
            sb.Append(i % 1000).Append(',').Append(i % 7 == 0 ? "\"q\"" : "2.5").Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        SameAsRecordPath(bytes, CsvReadOptions.Default, int.MaxValue, "long row then short rows");
        OfRuns(bytes, CsvReadOptions.Default, int.MaxValue).RowsRead.Should().Be(200_001);
    }

    [Fact]
    public void A_run_tells_the_bytes_its_records_take()
    {
        // Two records of 7 bytes each with their line ends (LF, CRLF), then a record of three cells that ends the run.
        using var r = CsvRecordReader.FromBytes(Encoding.UTF8.GetBytes("a,b\n12,345\n6,789\r\n1,2,3\n"), "data.csv");
        r.RunBytes.Should().Be(0);
        r.ReadRun().Should().Be(2);
        r.RunCount.Should().Be(2);
        r.RunBytes.Should().Be(7 + 7);
        r.ReadRun().Should().Be(0);
        r.RunBytes.Should().Be(0);
        r.RunCount.Should().Be(0);
    }

    [Fact]
    public void A_run_gives_the_cells_without_quotes_and_line_ends()
    {
        using var r = CsvRecordReader.FromBytes(Encoding.UTF8.GetBytes("a;b;c\r\n\"x\";;\"\"\r\n 1 ;2;\"3\"\r\n"), "data.csv");
        r.ReadRun().Should().Be(2);
        r.RunFirstRow.Should().Be(2);
        Encoding.UTF8.GetString(r.GetRunSpan(0, 0)).Should().Be("x");
        r.GetRunSpan(0, 1).IsEmpty.Should().BeTrue();
        r.GetRunSpan(0, 2).IsEmpty.Should().BeTrue();
        Encoding.UTF8.GetString(r.GetRunSpan(1, 0)).Should().Be(" 1 ");
        Encoding.UTF8.GetString(r.GetRunSpan(1, 2)).Should().Be("3");
        r.GetRunSpan(2, 0).IsEmpty.Should().BeTrue("past the run");
        r.FieldCount.Should().Be(0);
        r.GetSpan(0).IsEmpty.Should().BeTrue("the record path's cells are not the run's");
        r.RowsRead.Should().Be(2);
        r.Read().Should().BeFalse();
    }
}
