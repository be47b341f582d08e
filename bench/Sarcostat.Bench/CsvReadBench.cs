using System.Diagnostics;
using System.Globalization;
using Sarcostat.Import.Reading.Csv;

namespace Sarcostat.Bench;

/// <summary>
/// <c>csv --file F [--repeat 5]</c>: MB/s of the strict reader (<see cref="CsvRecordReader"/>) over a whole file, every
/// record and field located, no cell parsed; the first run in a fresh process (JIT included, as a one-shot CLI run
/// sees it), then the median and best of warm runs, with CPU time. <c>--runs</c>: through runs of plain records
/// (<see cref="CsvRecordReader.ReadRun"/>, the columnar reader's path), other records one by one.
/// </summary>
internal static class CsvReadBench
{
    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--file");
        if (at < 0 || at + 1 >= args.Length)
        {
            Console.Error.WriteLine("csv --file F [--repeat 5]");
            return 2;
        }

        string file = args[at + 1];
        int repeat = Math.Max(1, Options.Int(args, "--repeat", 5));
        bool runs = args.Contains("--runs");
        double mb = new FileInfo(file).Length / 1e6;
        long fields = 0;
        using var process = Process.GetCurrentProcess();
        var wall = new double[repeat + 1];
        var cpu = new double[repeat + 1];
        for (int r = 0; r <= repeat; r++)
        {
            GC.Collect();
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            fields = 0;
            using (var csv = CsvRecordReader.Open(file))
            {
                while (true)
                {
                    int n = runs ? csv.ReadRun() : 0;
                    if (n > 0)
                    {
                        fields += (long)n * csv.Header.Count;
                        continue;
                    }

                    if (!csv.Read())
                    {
                        break;
                    }

                    fields += csv.FieldCount;
                }
            }

            wall[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }

        // The encoding pre-pass on its own (CsvRecordReader.ScanUtf8, private: called by reflection), same file, warm.
        var scan = typeof(CsvRecordReader).GetMethod("ScanUtf8", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var scanCpu = new double[repeat];
        for (int r = 0; r < repeat; r++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                scan.Invoke(null, [stream]);
            }

            process.Refresh();
            scanCpu[r] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }

        var warmWall = wall[1..].Order().ToArray();
        var warmCpu = cpu[1..].Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {mb:F1} MB, {fields:N0} fields; first run {mb / wall[0]:F0} MB/s wall ({mb / cpu[0]:F0} MB/s CPU); warm median {mb / warmWall[repeat / 2]:F0} MB/s wall ({mb / warmCpu[repeat / 2]:F0} MB/s CPU), best {mb / warmWall[0]:F0} MB/s; UTF-8 pre-pass alone {scanCpu.Order().ElementAt(repeat / 2) * 1000:F1} ms CPU (median)"));
        return 0;
    }
}
