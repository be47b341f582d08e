using System.Globalization;

namespace Sarcostat.Import.Mapping;

/// <summary>The mapping keys about validation rather than reading: <c>extract_date:</c> (and <c>severity:</c>).</summary>
internal static class MappingRuleKeys
{
    /// <summary>Reads <c>extract_date: yyyy-MM-dd</c>; an error (and null) for anything else.</summary>
    public static DateOnly? ReadExtractDate(ConfigNode node, string key, Action<ConfigNode?, string, string, string?> error)
    {
        const string Expected = "the day the source was extracted, as yyyy-MM-dd (such as 2024-06-30)";
        if (MappingLoader.Scalar(node, key, Expected, error) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        error(node, key, Expected, text);
        return null;
    }
}
