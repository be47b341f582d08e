using System.Globalization;
using System.Text;
using Sarcostat.Import.Reading.Csv;
using Sarcostat.Import.Tests.Csv;

namespace Sarcostat.Cli.Tests.Csv;

/// <summary>The engine commands read CSV through the one strict reader: encodings, located errors, and a fuzz test end to end.</summary>
public class CsvReaderCliTests
{
    private static readonly int Scale = Environment.GetEnvironmentVariable("SARCOSTAT_LONG_TESTS") == "1" ? 10 : 1;

    [Fact]
    public void Two_accented_group_labels_in_a_Windows_1252_file_stay_two_groups_with_a_warning()
    {
        using var dir = Cli.Temp();
        var path = Path.Combine(dir.Path, "groups.csv");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(path, Encoding.GetEncoding(1252).GetBytes("id,t,e,g\n1,5,1,épaule\n2,6,0,Épaule\n3,7,1,épaule\n4,8,1,Épaule\n5,9,0,épaule\n"));

        var km = Cli.Run("km", path, "--time", "t", "--event", "e", "--group", "g", "--json");
        km.ExitCode.Should().Be(0, km.Error);
        km.Error.Should().Contain($"{path}: warning: expected UTF-8 text.").And.Contain("[not-utf8]");
        var groups = km.Json().GetProperty("fits").EnumerateArray().Select(g => (g.GetProperty("group").GetString(), g.GetProperty("n").GetInt32())).ToList();
        groups.Should().BeEquivalentTo([("épaule", 3), ("Épaule", 2)]);

        var compare = Cli.Run("compare", path, "--by", "g", "--vars", "t");
        compare.ExitCode.Should().Be(0, compare.Error);
        compare.Out.Should().Contain("épaule").And.Contain("Épaule").And.NotContain("\uFFFD");
    }

    [Theory]
    [InlineData("t,e,g\n5,1,a\n6,0,\"b\n7,1,a\n8,1,b\n", 3, "g")]
    [InlineData("t,e,g\n5,1,a\n6,\"0,b\n7,1,a\n8,1,b\n", 3, "e")]
    public void A_quote_never_closed_stops_the_command_instead_of_shortening_the_analysis(string text, int row, string column)
    {
        using var dir = Cli.Temp();
        var path = dir.Write("data.csv", text);
        var r = Cli.Run("km", path, "--time", "t", "--event", "e", "--group", "g");
        r.ExitCode.Should().Be(1);
        r.Out.Should().BeEmpty();
        r.Error.Should().Contain($"{path} row {row}, column \"{column}\": expected the quote opened here to be closed").And.Contain("[unclosed-quote]");
    }

    [Fact]
    public void Mutated_files_through_km_fail_with_located_problems_or_give_the_analysis_of_the_rows_the_reader_read()
    {
        var rng = new Random(3_2026);
        int ok = 0;
        for (int n = 0; n < 150 * Scale; n++)
        {
            var clean = CleanCsv.Make(rng, ["id", "time", "event", "group", "note"], rng.Next(2, 25), (i, r) =>
            [
                string.Create(CultureInfo.InvariantCulture, $"P{i}"),
                r.Next(1, 60).ToString(CultureInfo.InvariantCulture),
                r.Next(2).ToString(CultureInfo.InvariantCulture),
                r.Next(3) switch { 0 => "épaule", 1 => "Épaule", _ => "bras" },
                r.Next(3) switch { 0 => "", 1 => "a \"b\", c", _ => "x\ny" },
            ], mixedLineEnds: true);
            var mutations = Mutation.Random(rng, clean.Bytes, allowHuge: n % 25 == 0);
            var bytes = Mutation.Apply(clean.Bytes, mutations);
            var context = $"case {n}: {string.Join(", ", mutations)}";
            using var a = Cli.Temp();
            using var b = Cli.Temp();
            var path = Path.Combine(a.Path, "data.csv");
            File.WriteAllBytes(path, bytes);
            string[] Args(string file) => ["km", file, "--time", "time", "--event", "event", "--group", "group"];
            var got = Cli.Run(Args(path));
            got.ExitCode.Should().BeOneOf([0, 1], context);
            got.Error.Should().NotContain("   at ", context);

            char sep;
            using (var csv = CsvRecordReader.FromBytes(bytes, "data.csv"))
            {
                sep = csv.Separator;
            }

            var expected = ReferenceCsv.Parse(bytes, sep);
            if (expected.Problems.Count > 0)
            {
                got.ExitCode.Should().Be(1, context);
                var (row, rule) = expected.Problems[0];
                got.Error.Split('\n').Should().Contain(l => l.StartsWith(path + " row " + row, StringComparison.Ordinal) && l.TrimEnd().EndsWith($"[{rule}]", StringComparison.Ordinal), context);
                continue;
            }

            // No problem: every row no edit touched is among the records (or, legal CSV, inside a multi-line quoted cell)...
            foreach (var row in Mutation.Untouched(clean, mutations))
            {
                var whole = string.Join(",", row.Select(CleanCsv.Quote));
                expected.Records.Any(r => r.Fields.SequenceEqual(row) || r.Fields.Any(f => f.Contains(whole, StringComparison.Ordinal)))
                    .Should().BeTrue($"{context}: row {row[0]} was lost");
            }

            // ... and the reader read the file without a problem: the command must give what it gives on a clean copy of the
            // records the reference parser found, each at its own row number (blank lines keep the numbering).
            var canonical = new StringBuilder(string.Join(",", expected.Header.Select(CleanCsv.Quote))).Append('\n');
            int at = 1;
            foreach (var (recordRow, _, fields) in expected.Records)
            {
                for (; at + 1 < recordRow; at++)
                {
                    canonical.Append('\n');
                }

                canonical.Append(string.Join(",", fields.Select(CleanCsv.Quote))).Append('\n');
                at = recordRow;
            }

            var copy = Path.Combine(b.Path, "data.csv");
            File.WriteAllText(copy, canonical.ToString());
            var want = Cli.Run(Args(copy));
            static string Lines(string s, string dir) => string.Join("\n", s.Replace(dir, "DIR", StringComparison.Ordinal).Split('\n').Where(l => !l.Contains("[not-utf8]", StringComparison.Ordinal)));
            (got.ExitCode, Lines(got.Out, a.Path), Lines(got.Error, a.Path)).Should().Be((want.ExitCode, Lines(want.Out, b.Path), Lines(want.Error, b.Path)), context);
            if (got.ExitCode == 0)
            {
                ok++;
                got.Out.Should().Contain($"{expected.RowsRead} rows read", context);
            }
        }

        ok.Should().BeGreaterThan(10 * Scale);
    }
}
