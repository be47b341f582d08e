namespace Sarcostat.Cohort.Validation;

/// <summary>
/// The allowed codes of a field as a message shows them: all of them when few, else the closest to the value found
/// (by edit distance) and where the full list is, so that one line stays one line.
/// </summary>
public static class CodeList
{
    /// <summary>Fields with more codes than this are summarised.</summary>
    public const int MaxListed = 12;

    /// <summary>How many closest codes a summary names.</summary>
    public const int Closest = 3;

    /// <summary>
    /// "male, female", or for a long list "51 codes; closest: leiomyosarcoma, liposarcoma_nos, ...; all codes:
    /// docs/data-dictionary.md".
    /// </summary>
    /// <param name="codes">The allowed codes, in dictionary order.</param>
    /// <param name="found">The value found, compared ignoring case.</param>
    public static string Describe(IReadOnlyList<string> codes, string? found)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Count <= MaxListed)
        {
            return string.Join(", ", codes);
        }

        var text = (found ?? string.Empty).ToLowerInvariant();
        var closest = codes
            .Select((c, i) => (Code: c, Index: i, Distance: Distance(text, c.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Index)
            .Take(Closest)
            .Select(x => x.Code);
        return FormattableString.Invariant($"{codes.Count} codes; closest: {string.Join(", ", closest)}; all codes: docs/data-dictionary.md");
    }

    /// <summary>
    /// Levenshtein distance (insert, delete, substitute: 1 each), two rows of the dynamic-programming table, for "did
    /// you mean" hints everywhere (codes, column names, protocol keys); <paramref name="a"/>, the value found, is cut
    /// at 200 characters so that a huge cell costs no more than a short one.
    /// </summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length > 200)
        {
            a = a[..200];
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
