using System.Globalization;
using System.Text;
using Sarcostat.Cli.Input;

namespace Sarcostat.Cli.Tests;

/// <summary>
/// The column-wise path of <see cref="ColumnarCsv"/> (runs of plain records parsed column by column) gives exactly
/// what the record path gives: bit-identical times and numbers, the same events, kept and left-out rows, factor levels
/// and codes, and the same problems in the same order, on seeded random files with missing and bad values, text in
/// number columns, many levels, quotes, CRLF, blank lines, a BOM, odd bytes and malformed rows, with runs cut at
/// every length.
/// </summary>
public sealed class ColumnarCsvRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("columnar-runs").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] OddTimes = ["NA", "", " ", "-1", "abc", "1e2", "\"4\"", "-0", "12345678901234567890", " 7 ", "\u00A03", "1,5", "NaN"];
    private static readonly string[] OddEvents = ["NA", "", "2", " 1", "\"1\"", "1.0", "0.0", "yes", "-0"];
    private static readonly string[] Groups = ["a", "b", "\"c\"", " a ", "é", "\u00A0b", "NA", ""];
    private static readonly string[] OddNumbers = ["NA", "", "lo", "1e-3", "\"2.5\"", " 3 ", "0.1234567890123456789", "-0", "+4", ".5"];
    private static readonly string[] Pads = ["plain", "\"a,b\"", "\"x\"\"y\"", "\"multi\nline\"", "", "\"\"", "x\u0001y", "\u0085", "ok\"stray"];

    private (string Path, string About) RandomFile(Random rng, int n)
    {
        int rows = rng.Next(3) == 0 ? rng.Next(2000, 6000) : rng.Next(0, 80);
        int oddness = rng.Next(5);
        string nl = rng.Next(3) == 0 ? "\r\n" : "\n";
        bool manyLevels = rng.Next(4) == 0, textX = rng.Next(4) == 0;
        var sb = new StringBuilder();
        if (rng.Next(6) == 0)
        {
            sb.Append('\uFEFF');
        }

        sb.Append("t,e,g,x,f,s,pad").Append(nl);
        string Odd(string[] pool, string usual, int per) => oddness > 0 && rng.Next(per) == 0 ? pool[rng.Next(pool.Length)] : usual;
        for (int i = 0; i < rows; i++)
        {
            if (oddness > 2 && rng.Next(100) == 0)
            {
                sb.Append(rng.Next(2) == 0 ? string.Empty : ",,,,,,").Append(nl);
                continue;
            }

            string t = Odd(OddTimes, rng.Next(1, 4000).ToString(CultureInfo.InvariantCulture), 60);
            string e = Odd(OddEvents, rng.Next(2).ToString(CultureInfo.InvariantCulture), 80);
            string g = Odd(Groups, Groups[rng.Next(3)], 10);
            string x = textX && rng.Next(200) == 0 ? "lo" : Odd(OddNumbers, (Math.Round((rng.NextDouble() * 100) - 50, 3)).ToString(CultureInfo.InvariantCulture), 40);
            string f = manyLevels ? "v" + rng.Next(100).ToString(CultureInfo.InvariantCulture) : Odd(OddNumbers, rng.Next(3).ToString(CultureInfo.InvariantCulture), 30);
            string s = Odd(["NA", "", "S3"], rng.Next(2) == 0 ? "S1" : "S2", 50);
            string pad = oddness > 1 ? Pads[rng.Next(Pads.Length)] : "p";
            var cells = new List<string> { t, e, g, x, f, s, pad };
            if (oddness > 3 && rng.Next(150) == 0)
            {
                cells.RemoveAt(rng.Next(cells.Count));   // a row with a cell missing: a reader problem
            }

            sb.Append(string.Join(',', cells));
            if (i < rows - 1 || rng.Next(4) > 0)
            {
                sb.Append(nl);
            }
        }

        var path = Path.Combine(_dir, string.Create(CultureInfo.InvariantCulture, $"data{n}.csv"));
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        return (path, string.Create(CultureInfo.InvariantCulture, $"{rows} rows, oddness {oddness}, CRLF {nl.Length == 2}, many levels {manyLevels}, text x {textX}"));
    }

    private static string Outcome(string path, IReadOnlyList<ColumnNeed> needs, bool columnWise, int runRecords)
    {
        var warnings = new List<string>();
        try
        {
            var d = ColumnarCsv.Read(path, "t", "e", needs, w => warnings.Add(w.ToString()), columnWise, runRecords);
            var columns = needs.Select(c => c.Name).Distinct().Select(name => d.IsNumeric(name)
                ? "numbers " + string.Join(",", d.Numeric(name).Select(v => BitConverter.DoubleToInt64Bits(v).ToString(CultureInfo.InvariantCulture)))
                : "factor " + string.Join("|", d.Factor(name).Levels) + " " + string.Join(",", d.Factor(name).Codes));
            return string.Join("\n",
            [
                "rows " + string.Join(",", d.Rows),
                "time " + string.Join(",", d.Time.Select(v => BitConverter.DoubleToInt64Bits(v).ToString(CultureInfo.InvariantCulture))),
                "event " + string.Join(",", d.Event.Select(v => v ? 1 : 0)),
                "read " + d.RowsRead.ToString(CultureInfo.InvariantCulture),
                "dropped " + string.Join(";", d.Dropped.Select(x => x.Reason + ":" + string.Join(",", x.Rows))),
                .. columns,
                .. warnings,
            ]);
        }
        catch (InputException e)
        {
            return "problems\n" + string.Join("\n", e.Problems.Select(p => p.ToString())) + "\n" + string.Join("\n", warnings);
        }
    }

    [Fact]
    public void Column_wise_reading_gives_the_record_paths_arrays_rows_and_problems_on_random_files()
    {
        var rng = new Random(13_2026);
        int succeeded = 0, failed = 0;
        for (int n = 0; n < 160; n++)
        {
            var (path, about) = RandomFile(rng, n);
            var needs = new List<ColumnNeed>
            {
                new("s", ColumnKind.Factor, Required: rng.Next(3) > 0),
                new("g", ColumnKind.Factor, Required: rng.Next(2) == 0),
                new("x", ColumnKind.Auto, Required: rng.Next(2) == 0),
                new("f", ColumnKind.Auto, Required: rng.Next(2) == 0),
            };
            var expected = Outcome(path, needs, columnWise: false, runRecords: 0);
            foreach (int runRecords in new[] { 1, 1 + rng.Next(40), ColumnarCsv.DefaultRunRecords })
            {
                var got = Outcome(path, needs, columnWise: true, runRecords);
                got.Should().Be(expected, $"case {n}: {about}, runs of {runRecords}");
            }

            if (expected.StartsWith("problems", StringComparison.Ordinal))
            {
                failed++;
            }
            else
            {
                succeeded++;
            }

            File.Delete(path);
        }

        succeeded.Should().BeGreaterThan(30);
        failed.Should().BeGreaterThan(30);
    }

    [Theory]
    [InlineData("t,e,x\nNA,1,lo\n1,1,0\n2,0,1\n3,1,lo\n4,0,1\n")]          // a text level first seen in a left-out row, then in a kept one: x turns text
    [InlineData("t,e,x\n1,1,0\n2,0,NA\n3,1,0\n4,0, 1\n5,1,1.0\n")]         // number levels with spaces and another spelling
    [InlineData("t,e,x\n1,1,0\n2,x,lo\n3,1,0\n")]                          // text in a row with a bad event: a problem, x stays numbers
    [InlineData("t,e,x\r\n1,1,\"lo\"\r\n2,0,\"1\"\r\n-0,1,lo\r\n")]    // quoted cells, CRLF, a time of -0
    public void Column_wise_reading_agrees_on_hand_made_cases(string text)
    {
        var path = Path.Combine(_dir, "hand.csv");
        File.WriteAllText(path, text);
        foreach (var required in new[] { false, true })
        {
            var needs = new List<ColumnNeed> { new("x", ColumnKind.Auto, required) };
            var expected = Outcome(path, needs, columnWise: false, runRecords: 0);
            foreach (int runRecords in new[] { 1, 2, ColumnarCsv.DefaultRunRecords })
            {
                Outcome(path, needs, columnWise: true, runRecords).Should().Be(expected, $"{text}, required {required}, runs of {runRecords}");
            }
        }
    }

    [Fact]
    public void Arrays_sized_from_a_first_run_of_long_records_still_grow_to_every_row()
    {
        // The first run's bytes per record (long records) estimate far fewer rows than the file holds.
        var rng = new Random(7);
        var sb = new StringBuilder("t,e,x,pad\n");
        for (int i = 0; i < 6000; i++)
        {
            string pad = i < 50 ? new string('p', 400) : string.Empty;
            string x = i % 997 == 5 ? "NA" : rng.Next(100).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{rng.Next(1, 900)},{rng.Next(2)},{x},{pad}\n");
        }

        var path = Path.Combine(_dir, "long-first.csv");
        File.WriteAllText(path, sb.ToString());
        var needs = new List<ColumnNeed> { new("x", ColumnKind.Auto, Required: true) };
        var expected = Outcome(path, needs, columnWise: false, runRecords: 0);
        expected.Should().Contain("dropped missing x:");
        Outcome(path, needs, columnWise: true, runRecords: 50).Should().Be(expected);
    }

    [Fact]
    public void A_missing_value_in_the_middle_of_a_run_leaves_out_that_row_only()
    {
        var sb = new StringBuilder("t,e,x\n");
        for (int i = 1; i <= 5000; i++)
        {
            sb.Append(i == 2500 ? "NA" : i.ToString(CultureInfo.InvariantCulture)).Append(",1,")
              .Append(i == 4000 ? string.Empty : (i * 0.5).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var path = Path.Combine(_dir, "mid.csv");
        File.WriteAllText(path, sb.ToString());
        var d = ColumnarCsv.Read(path, "t", "e", [new ColumnNeed("x", ColumnKind.Auto, Required: true)]);
        d.RowsRead.Should().Be(5000);
        d.Rows.Should().HaveCount(4998);
        d.Dropped.Select(x => (x.Reason, x.Rows.Single())).Should().Equal(("missing t", 2501), ("missing x", 4001));
        d.Time[2498].Should().Be(2499);
        d.Time[2499].Should().Be(2501);
        d.Numeric("x")[^1].Should().Be(2500);
    }
}
