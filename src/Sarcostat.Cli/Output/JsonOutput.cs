using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sarcostat.Cli.Output;

/// <summary>
/// Writes the <c>--json</c> document: an envelope naming the command, the input and the software, around the
/// engine's result objects serialised at full precision (shortest round-trip form of every double).
/// </summary>
internal static class JsonOutput
{
    /// <summary>The serialiser settings: camelCase names, enums as strings, NaN and infinities as "NaN"/"Infinity", nulls kept.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The software version written into every document.</summary>
    public static string Version { get; } =
        typeof(JsonOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Serialises <paramref name="document"/> to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, object document)
    {
        output.WriteLine(JsonSerializer.Serialize(document, document.GetType(), Options));
    }
}
