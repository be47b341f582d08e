using System.Text;

namespace Sarcostat.Cli.Tests.Corpus;

/// <summary>Large CSV inputs of the corpus (tests/corpus/csv), written at run time instead of committed.</summary>
public static class CsvGenerators
{
    /// <summary>Row 3 opens a quote in column g that closes 200 KB later, after many rows: over the 128 KiB field limit.</summary>
    [CorpusGenerator("csv-quoted-over-limit")]
    public static void QuotedOverLimit(string folder)
    {
        var sb = new StringBuilder("t,e,g\n5,1,a\n6,0,\"b\n");
        while (sb.Length < 200_000)
        {
            sb.Append("7,1,a\n");
        }

        sb.Append("8,1,b\"\n9,0,a\n");
        File.WriteAllText(Path.Combine(folder, "data.csv"), sb.ToString());
    }

    /// <summary>Row 4 has a 300,000-character cell in column t (a distinctive text that must never be echoed).</summary>
    [CorpusGenerator("csv-huge-cell")]
    public static void HugeCell(string folder)
    {
        var huge = string.Concat(Enumerable.Repeat("SECRET", 50_000));
        File.WriteAllText(Path.Combine(folder, "data.csv"), $"t,e,g\n5,1,a\n6,0,b\n{huge},1,a\n8,1,b\n");
    }
}
