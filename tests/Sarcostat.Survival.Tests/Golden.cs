using System.Text.Json;

namespace Sarcostat.Survival.Tests;

/// <summary>
/// Reads the golden JSON files written by tools/reference/*.R (copied to the test output's golden/ folder)
/// and the datasets in tools/reference/data (copied to data/).
/// </summary>
public static class Golden
{
    private static readonly string Root = AppContext.BaseDirectory;

    /// <summary>Parses golden/NAME.json.</summary>
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(Root, "golden", name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".json");
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    /// <summary>Path of data/NAME.csv.</summary>
    public static string DataPath(string name) =>
        Path.Combine(Root, "data", name.EndsWith(".csv", StringComparison.Ordinal) ? name : name + ".csv");

    /// <summary>
    /// Reads a number or an array of numbers; JSON null and the strings "NA", "NaN", "Inf", "-Inf" map to
    /// NaN and infinities (R's jsonlite writes them so with <c>na = "string"</c>).
    /// </summary>
    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.Null => double.NaN,
        JsonValueKind.String => e.GetString() switch
        {
            "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.NaN,
        },
        JsonValueKind.Array when e.GetArrayLength() == 1 => Number(e[0]),
        _ => throw new InvalidOperationException($"Not a number: {e}"),
    };

    /// <summary>Reads an array of numbers (a scalar becomes a one-element array).</summary>
    public static double[] Numbers(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(Number).ToArray() : [Number(e)];

    /// <summary>Reads an array of strings.</summary>
    public static string[] Strings(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.ToString()).ToArray() : [e.ToString()];
}
