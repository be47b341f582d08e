using System.IO.Compression;
using System.Text;
using Sarcostat.Cohort;

namespace Sarcostat.Import.Tests;

/// <summary>
/// Seeded mutation fuzz of a valid small workbook through the import (issue 9): bytes of the zip flipped, deleted,
/// inserted or duplicated, and the XML inside its parts mutated and re-zipped. Every run must either succeed or
/// report located problems; no exception may escape, and a run without errors must read every patient of the seed.
/// A few hundred cases by default; SARCOSTAT_LONG_TESTS=1 runs thousands.
/// </summary>
public class XlsxFuzzTests
{
    private static int Cases => Environment.GetEnvironmentVariable("SARCOSTAT_LONG_TESTS") == "1" ? 5000 : 300;

    private static byte[] Seed()
    {
        using var dir = new TempDir();
        // One sheet holding patients with their metastasectomy date (a patients row may carry its first procedure).
        var header = (Cohorts.PatientsHeader + ",pm_date").Split(',');
        var rows = new List<object?[]> { header };
        for (int i = 1; i <= 4; i++)
        {
            rows.Add((Cohorts.Patient("S" + i) + ",2016-07-01").Split(',').Select(v => (object?)(v.Length == 0 ? null : v)).ToArray());
        }

        return File.ReadAllBytes(dir.Xlsx("seed.xlsx", ("patients", rows.ToArray())));
    }

    [Fact]
    public void The_seed_is_read_cleanly()
    {
        using var dir = new TempDir();
        var path = dir["p.xlsx"];
        File.WriteAllBytes(path, Seed());
        var result = Cohorts.Import(path);
        result.Errors().Should().BeEmpty();
        result.Patients.Should().HaveCount(4);
    }

    [Fact]
    public void Mutated_workbooks_fail_with_located_problems_or_read_every_patient()
    {
        var seed = Seed();
        var rng = new Random(20260903);
        using var dir = new TempDir();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < Cases; i++)
        {
            var bytes = i % 2 == 0 ? MutateBytes(seed, rng) : MutateXml(seed, rng);
            var path = dir[$"f{i % 7}.xlsx"];
            File.WriteAllBytes(path, bytes);
            ImportResult result;
            try
            {
                result = Cohorts.Import(path);
            }
            catch (Exception e)
            {
                var copy = Path.Combine(Path.GetTempPath(), $"sarcostat-fuzz-{i}.xlsx");
                File.WriteAllBytes(copy, bytes);
                throw new Xunit.Sdk.XunitException($"case {i}: {e.GetType().Name} escaped the import ({e.Message}); input kept at {copy}");
            }

            var errors = result.Errors().ToList();
            foreach (var p in result.Problems)
            {
                p.File.Should().Contain(Path.GetFileName(path), $"case {i}: every problem names the file: {p}");
                p.Rule.Should().NotBeNullOrEmpty();
            }

            if (errors.Count == 0)
            {
                // Mutations that leave the data intact (a byte of padding, an attribute) must lose nothing.
                result.Patients.Count.Should().Be(4, $"case {i}: a run without errors reads every patient");
            }

            var key = errors.Count == 0 ? "clean" : errors[0].Rule;
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        outcomes.Keys.Should().Contain("unreadable-file").And.Contain("not-a-workbook", "the mutations must reach both the zip and the XML");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(Cases == 300 ? 20 : 600));
    }

    private static byte[] MutateBytes(byte[] seed, Random rng)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(b.Count);
            switch (rng.Next(4))
            {
                case 0:
                    b[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    b.RemoveRange(at, Math.Min(1 + rng.Next(16), b.Count - at));
                    break;
                case 2:
                    b.InsertRange(at, Enumerable.Range(0, 1 + rng.Next(16)).Select(_ => (byte)rng.Next(256)));
                    break;
                default:
                    int len = Math.Min(1 + rng.Next(64), b.Count - at);
                    b.InsertRange(rng.Next(b.Count), b.GetRange(at, len));
                    break;
            }
        }

        return b.ToArray();
    }

    private static readonly string[] Insertions = ["<", ">", "&", "\"", "'", "</row>", "<row r=\"2\">", "<c r=\"A2\" t=\"s\"><v>99999</v></c>", "<v>1e400</v>", "<!DOCTYPE x>", "\0", "\uFFFD", "r=\"XFD1048576\"", "t=\"d\"", "<v>-1</v>", "s=\"999\""];

    private static byte[] MutateXml(byte[] seed, Random rng)
    {
        var parts = new List<(string Name, string Text)>();
        using (var zip = new ZipArchive(new MemoryStream(seed), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                parts.Add((entry.FullName, reader.ReadToEnd()));
            }
        }

        // Mostly the sheet and the shared strings, sometimes any part.
        var candidates = parts.Select((p, i) => (p, i)).Where(x => x.p.Name.Contains("sheet", StringComparison.OrdinalIgnoreCase) || x.p.Name.Contains("sharedStrings", StringComparison.OrdinalIgnoreCase)).Select(x => x.i).ToList();
        int index = rng.Next(4) == 0 || candidates.Count == 0 ? rng.Next(parts.Count) : candidates[rng.Next(candidates.Count)];
        var text = new StringBuilder(parts[index].Text);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            int at = rng.Next(text.Length);
            switch (rng.Next(3))
            {
                case 0:
                    text.Remove(at, Math.Min(1 + rng.Next(40), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, Insertions[rng.Next(Insertions.Length)]);
                    break;
                default:
                    int len = Math.Min(1 + rng.Next(200), text.Length - at);
                    text.Insert(rng.Next(text.Length), text.ToString(at, len));
                    break;
            }
        }

        parts[index] = (parts[index].Name, text.ToString());
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, body) in parts)
            {
                var entry = zip.CreateEntry(name);
                using var w = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                w.Write(body);
            }
        }

        return output.ToArray();
    }
}
