using System.Text;

namespace Sarcostat.Cli.Tests.Corpus;

/// <summary>Generators of the non-CSV input edges of the corpus (YAML, workbooks): large or binary inputs written by code.</summary>
public static class EdgesGenerators
{
    /// <summary>A mapping nested 100,000 flow lists deep: tree building recurses, so the depth must be refused first.</summary>
    [CorpusGenerator("yaml-deep-nesting")]
    public static void YamlDeepNesting(string folder) =>
        File.WriteAllText(Path.Combine(folder, "m.yaml"), new string('[', 100_000) + new string(']', 100_000) + "\n");

    /// <summary>A protocol nested 100,000 flow mappings deep.</summary>
    [CorpusGenerator("protocol-deep-nesting")]
    public static void ProtocolDeepNesting(string folder)
    {
        var text = new StringBuilder();
        for (int i = 0; i < 100_000; i++)
        {
            text.Append("{a: ");
        }

        text.Append('1').Append('}', 100_000).Append('\n');
        File.WriteAllText(Path.Combine(folder, "p.yaml"), text.ToString());
    }
}
