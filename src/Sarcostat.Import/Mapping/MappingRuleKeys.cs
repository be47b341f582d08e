using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Files.Config;

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

    /// <summary>
    /// Reads <c>severity: {RULE: {level: ignore|warning|error, reason: "..."}}</c>. Unknown rule codes, levels a rule
    /// may not take (see <see cref="SeverityOverride.Lowerable"/>) and a missing reason are errors on their line.
    /// </summary>
    public static IReadOnlyList<SeverityOverride> ReadSeverity(ConfigNode node, string key, Action<ConfigNode?, string, string, string?> error)
    {
        var overrides = new List<SeverityOverride>();
        if (node is not ConfigMap map)
        {
            error(node, key, "a map of rule codes, such as {missing-recommended: {level: ignore, reason: \"the registry never recorded ECOG\"}}", node.Kind);
            return overrides;
        }

        foreach (var (rule, value) in MappingLoader.Distinct(map, key + ".", error))
        {
            var at = key + "." + rule;
            if (!SeverityOverride.Known.Contains(rule))
            {
                error(value, at, "a rule code of docs/import.md (Problem rules), such as missing-recommended, date-order, unmapped-column", rule);
                continue;
            }

            if (value is not ConfigMap entry)
            {
                error(value, at, "{level: ignore|warning|error, reason: \"why the study changes this rule\"}", value.Kind);
                continue;
            }

            string? levelText = null;
            string? reason = null;
            bool hasLevel = false, hasReason = false;
            foreach (var (k, v) in MappingLoader.Distinct(entry, at + ".", error))
            {
                switch (k)
                {
                    case "level":
                        hasLevel = true;
                        levelText = MappingLoader.Scalar(v, at + ".level", "ignore, warning or error", error);
                        break;
                    case "reason":
                        hasReason = true;
                        reason = MappingLoader.Scalar(v, at + ".reason", "a reason, such as \"the registry never recorded ECOG\"", error);
                        break;
                    default:
                        error(v, at + "." + k, "level or reason (unknown key)", null);
                        break;
                }
            }

            if (!hasReason)
            {
                error(value, at + ".reason", "a reason: a rule's severity is changed only with its reason, which validate prints", null);
            }

            if (!hasLevel)
            {
                error(value, at + ".level", "ignore, warning or error", null);
            }

            if (levelText is null)
            {
                continue;
            }

            Severity? level;
            switch (levelText.Trim().ToUpperInvariant())
            {
                case "IGNORE":
                    level = null;
                    break;
                case "WARNING":
                    level = Severity.Warning;
                    break;
                case "ERROR":
                    level = Severity.Error;
                    break;
                default:
                    error(value, at + ".level", "ignore, warning or error", levelText);
                    continue;
            }

            if (!SeverityOverride.Warnings.Contains(rule) && level != Severity.Error && !SeverityOverride.Lowerable.Contains(rule))
            {
                error(value, at + ".level", "error: " + rule + " protects privacy, the tables' structure or a value the analysis needs, and is never lowered (rules a mapping may lower to warning: " + string.Join(", ", SeverityOverride.Lowerable.Order(StringComparer.Ordinal)) + ")", levelText);
                continue;
            }

            if (!SeverityOverride.Warnings.Contains(rule) && level is null)
            {
                error(value, at + ".level", "warning or error: an error rule is lowered to a warning at most, so that its problems stay listed", levelText);
                continue;
            }

            if (reason is not null)
            {
                overrides.Add(new SeverityOverride(rule, level, reason.Trim()));
            }
        }

        return overrides;
    }
}
