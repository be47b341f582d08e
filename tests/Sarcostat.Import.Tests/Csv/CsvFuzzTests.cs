using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Import.Tests.Csv;

/// <summary>
/// Seeded random mutations of valid CSV files (deleted, duplicated and inserted bytes: quotes, separators, line breaks,
/// NUL, ESC, a Windows-1252 byte, huge cells). Every run must either fail with problems located at a file and row, or
/// read every row no edit touched exactly as in the clean file; and always agree with a plain second implementation
/// of the documented rules (<see cref="ReferenceCsv"/>) on every record, problem and count.
/// SARCOSTAT_LONG_TESTS=1 runs ten times as many cases.
/// </summary>
public class CsvFuzzTests
{
    private static readonly int Scale = Environment.GetEnvironmentVariable("SARCOSTAT_LONG_TESTS") == "1" ? 10 : 1;

    private static readonly string[] Groups = ["bras", "épaule", "Épaule", "jambe"];

    internal static CleanCsv Survival(Random rng, bool mixedLineEnds = true) =>
        CleanCsv.Make(rng, ["id", "time", "event", "group", "note"], rng.Next(1, 30), (i, r) =>
        [
            string.Create(CultureInfo.InvariantCulture, $"P{i:D4}"),
            (r.Next(1, 2000) / 10.0).ToString(CultureInfo.InvariantCulture),
            r.Next(2).ToString(CultureInfo.InvariantCulture),
            Groups[r.Next(Groups.Length)],
            r.Next(5) switch { 0 => "", 1 => "ok", 2 => "nodule, 5\" wide", 3 => "two\nlines", _ => "résection R0" },
        ], mixedLineEnds);

    [Fact]
    public void Mutated_files_fail_with_located_problems_or_keep_every_untouched_row_and_agree_with_the_reference()
    {
        var rng = new Random(20260903);
        int failed = 0, succeeded = 0;
        for (int n = 0; n < 3000 * Scale; n++)
        {
            var clean = Survival(rng);
            var mutations = Mutation.Random(rng, clean.Bytes, allowHuge: n % 10 == 0);
            var bytes = Mutation.Apply(clean.Bytes, mutations);
            var context = $"case {n}: {string.Join(", ", mutations)}";
            var options = n % 3 == 0 ? new CsvReadOptions { BufferBytes = 16 + rng.Next(100) } : CsvReadOptions.Default;
            var got = ReadOutcome.Of(bytes, options);
            var expected = ReferenceCsv.Parse(bytes, got.Separator);

            got.Header.Should().Equal(expected.Header, context);
            got.Records.Select(r => (r.Row, r.Malformed, string.Join("\u0001", r.Fields))).Should()
                .Equal(expected.Records.Select(r => (r.Row, r.Malformed, string.Join("\u0001", r.Fields))), context);
            got.Problems.Where(p => p.Severity == Severity.Error).Select(p => (p.Row, p.Rule)).Should().Equal(expected.Problems, context);
            (got.Stopped, got.RowsRead, got.RowsRejected).Should().Be((expected.Stopped, expected.RowsRead, expected.RowsRejected), context);

            // Rows read + rows reported bad = the file's non-blank data rows (up to a stop).
            (got.RowsRead + got.RowsRejected).Should().Be(got.Records.Count + (got.Stopped && got.Header.Length > 0 ? 1 : 0), context);
            got.Problems.Where(p => p.Severity == Severity.Error && (p.File != "data.csv" || p.Row == null)).Should().BeEmpty(context);

            var errors = got.Problems.Any(p => p.Severity == Severity.Error);
            if (errors)
            {
                failed++;
                continue;
            }

            succeeded++;
            var records = got.Records.Select(r => r.Fields).ToList();
            foreach (var row in Mutation.Untouched(clean, mutations))
            {
                // Every untouched row is read as it was, or (legal CSV) sits inside a quoted field that an edit opened and closed.
                var whole = string.Join(",", row.Select(CleanCsv.Quote));
                records.Any(r => r.SequenceEqual(row) || r.Any(f => f.Contains(whole, StringComparison.Ordinal))).Should().BeTrue($"{context}: row {row[0]} was lost");
            }
        }

        failed.Should().BeGreaterThan(300 * Scale);
        succeeded.Should().BeGreaterThan(150 * Scale);
    }

    [Fact]
    public void Mutated_cohort_files_fail_with_located_problems_or_keep_every_untouched_patient_and_count_every_row()
    {
        var rng = new Random(7_2026);
        var header = Cohorts.PatientsHeader.Split(',');
        for (int n = 0; n < 200 * Scale; n++)
        {
            var clean = CleanCsv.Make(rng, header, rng.Next(1, 15), (i, _) => Cohorts.Patient($"S{i + 1}").Split(','), mixedLineEnds: true);
            var mutations = Mutation.Random(rng, clean.Bytes, allowHuge: n % 20 == 0);
            var bytes = Mutation.Apply(clean.Bytes, mutations);
            var context = $"case {n}: {string.Join(", ", mutations)}";
            using var dir = new TempDir();
            File.WriteAllBytes(dir["patients.csv"], bytes);
            var procedures = string.Join("\n", clean.Rows.Select((_, i) => $"S{i + 1},2016-07-01,vats,R0"));
            dir.Write("procedures.csv", $"{Cohorts.ProceduresHeader}\n{procedures}\n");

            var result = Cohorts.Import(dir.Path);
            using var csv = CsvRecordReader.FromBytes(bytes, "patients.csv");
            var expected = ReferenceCsv.Parse(bytes, csv.Separator);

            result.Problems.Where(p => p.Severity == Severity.Error && p.File == "patients.csv" && p.Row == null).Should().BeEmpty(context);
            foreach (var (row, rule) in expected.Problems)
            {
                result.Problems.Should().Contain(p => p.File == "patients.csv" && p.Row == row && p.Rule == rule, context);
            }

            var table = result.Tables.FirstOrDefault(t => t.File == "patients.csv");
            if (table is not null && expected.Header.Length > 0)
            {
                table.RowsRead.Should().Be(expected.Records.Count(r => r.Malformed || r.Fields.Any(f => !string.IsNullOrWhiteSpace(f))), context);
                (table.RowsAccepted + table.RowsRejected).Should().Be(table.RowsRead, context);
            }

            if (!result.HasErrors)
            {
                var ids = result.Patients.Select(p => p.StudyId).ToHashSet();
                foreach (var row in Mutation.Untouched(clean, mutations))
                {
                    ids.Should().Contain(row[0], context);
                }
            }
        }
    }
}
