using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sarcostat.Cli.Output;

/// <summary>
/// Writes the <c>--json</c> document: an envelope naming the command, the input and the software, around the
/// engine's result objects serialised at full precision (shortest round-trip form of every double).
/// </summary>
/// <remarks>
/// The one rule for numbers (docs/cli.md, "Numbers"), applied here for every command: a finite number is a JSON
/// number; a non-finite one is the string <c>"Inf"</c>, <c>"-Inf"</c> or <c>"NaN"</c>, as R's
/// <c>jsonlite::toJSON(na = "string")</c> writes them and the report's results.json does; <c>null</c> means "not
/// available" (R's NA: not estimable, not reached, not asked for). JSON itself has no non-finite numbers, and
/// .NET's default names ("Infinity") differ from R's.
/// </remarks>
internal static class JsonOutput
{
    /// <summary>The serialiser settings: camelCase names, enums as strings, non-finite numbers as "Inf"/"-Inf"/"NaN", nulls kept.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new RDoubleConverter(), new RSingleConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
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

    /// <summary>The text written for a non-finite number: "Inf", "-Inf" or "NaN" (R's names); null for a finite one.</summary>
    public static string? NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Inf" : double.IsNegativeInfinity(value) ? "-Inf" : null;

    /// <summary>Reads a number written by this rule back (a JSON number, or one of the three strings).</summary>
    private static double ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() switch
            {
                "Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var other => throw new JsonException($"'{other}' is not a number, \"Inf\", \"-Inf\" or \"NaN\"."),
            };
        }

        return reader.GetDouble();
    }

    /// <summary>Doubles (and, through System.Text.Json's nullable wrapper, double?) by the rule above.</summary>
    private sealed class RDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadNumber(ref reader);

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (NonFiniteName(value) is { } name)
            {
                writer.WriteStringValue(name);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }
    }

    /// <summary>Singles by the same rule.</summary>
    private sealed class RSingleConverter : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => (float)ReadNumber(ref reader);

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (NonFiniteName(value) is { } name)
            {
                writer.WriteStringValue(name);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }
    }
}
