using Sarcostat.Files.Config;

namespace Sarcostat.Import.Mapping;

/// <summary>Reads an import configuration file (a source mapping, an amendments file) into the shared <see cref="ConfigNode"/> tree.</summary>
internal static class ConfigFile
{
    /// <summary>Parses YAML or JSON text (by the file's extension); a syntax error becomes an <see cref="ImportSetupException"/> naming the file, line and column.</summary>
    public static ConfigNode? Parse(string text, string fileName)
    {
        try
        {
            return ConfigNode.Parse(text, ConfigText.IsJson(fileName));
        }
        catch (ConfigSyntaxException e)
        {
            throw new ImportSetupException(e.Describe(fileName), e);
        }
    }
}
