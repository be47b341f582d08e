using System.Globalization;

namespace Sarcostat.Survival;

/// <summary>
/// A categorical variable: integer codes into an ordered list of levels, as R's <c>factor</c>.
/// Code −1 marks a missing value.
/// </summary>
/// <remarks>
/// Levels are ordered as R orders them: numerically when every value parses as a number, otherwise by
/// ordinal string comparison (R sorts in the C locale under <c>LC_COLLATE=C</c>; the reference scripts set it).
/// The first level is the reference level of dummy coding; <see cref="WithReference"/> moves another to the front,
/// as R's <c>relevel</c>.
/// </remarks>
public sealed class Factor
{
    private Factor(string name, int[] codes, string[] levels)
    {
        Name = name;
        Codes = codes;
        Levels = levels;
    }

    /// <summary>The variable's name (used to name dummy terms: name + level, as R does).</summary>
    public string Name { get; }

    /// <summary>Level index per observation; −1 for missing.</summary>
    public IReadOnlyList<int> Codes { get; }

    /// <summary>The levels in order; the first is the reference.</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>Number of observations.</summary>
    public int Count => Codes.Count;

    /// <summary>
    /// Builds a factor from raw values. Null, empty or whitespace values are missing.
    /// </summary>
    /// <param name="name">The variable's name.</param>
    /// <param name="values">One value per observation.</param>
    /// <param name="reference">Optional reference level, moved to the front; must be one of the values.</param>
    /// <exception cref="ArgumentException">The reference level does not occur.</exception>
    public static Factor FromValues(string name, IReadOnlyList<string?> values, string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            if (!IsMissing(v))
            {
                distinct.Add(v!.Trim());
            }
        }

        var levels = distinct.ToList();
        bool numeric = levels.Count > 0 && levels.TrueForAll(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        if (numeric)
        {
            // Ordinal text breaks ties of equal numbers ("1" and "1.0"): List.Sort is unstable, and the levels' first-seen
            // order differs between readers, so without it their order could too.
            levels.Sort((a, b) => double.Parse(a, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, CultureInfo.InvariantCulture)) is var byNumber and not 0
                ? byNumber
                : string.CompareOrdinal(a, b));
        }
        else
        {
            levels.Sort(StringComparer.Ordinal);
        }

        if (reference is not null)
        {
            int at = levels.IndexOf(reference);
            if (at < 0)
            {
                throw new ArgumentException(
                    $"Reference level '{reference}' of '{name}' does not occur; levels are: {string.Join(", ", levels)}.",
                    nameof(reference));
            }

            levels.RemoveAt(at);
            levels.Insert(0, reference);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < levels.Count; i++)
        {
            index[levels[i]] = i;
        }

        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            var v = values[i];
            codes[i] = IsMissing(v) ? -1 : index[v!.Trim()];
        }

        return new Factor(name, codes, levels.ToArray());
    }

    /// <summary>Builds a factor from codes and levels already known (codes in −1..levels−1).</summary>
    public static Factor FromCodes(string name, int[] codes, string[] levels)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(levels);
        foreach (var c in codes)
        {
            if (c < -1 || c >= levels.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(codes), c, $"A code must lie in -1..{levels.Length - 1}.");
            }
        }

        return new Factor(name, (int[])codes.Clone(), (string[])levels.Clone());
    }

    /// <summary>
    /// The factor at the given rows (same name and levels, empty levels kept, as R's subsetting keeps them).
    /// Contract: every index in 0..Count−1.
    /// </summary>
    internal Factor Subset(int[] rows)
    {
        var codes = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            codes[k] = Codes[rows[k]];
        }

        return new Factor(Name, codes, (string[])Levels);
    }

    /// <summary>Returns the same factor with <paramref name="reference"/> as its first level (R: <c>relevel</c>).</summary>
    public Factor WithReference(string reference)
    {
        var values = new string?[Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Codes[i] < 0 ? null : Levels[Codes[i]];
        }

        // Keep the current order of the other levels.
        int at = Levels.ToList().IndexOf(reference);
        if (at < 0)
        {
            throw new ArgumentException(
                $"Reference level '{reference}' of '{Name}' does not occur; levels are: {string.Join(", ", Levels)}.",
                nameof(reference));
        }

        var order = new List<string>(Levels);
        order.RemoveAt(at);
        order.Insert(0, reference);
        var map = new int[Levels.Count];
        for (int i = 0; i < Levels.Count; i++)
        {
            map[i] = order.IndexOf(Levels[i]);
        }

        var codes = new int[Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = Codes[i] < 0 ? -1 : map[Codes[i]];
        }

        return new Factor(Name, codes, order.ToArray());
    }

    /// <summary>
    /// Returns the same factor with its levels in <paramref name="order"/> (the first is the reference), as R's
    /// <c>factor(x, levels = order)</c>. The order must name every level exactly once and nothing else: a level left
    /// out would turn its observations into missing values, and a name that is not a level is most likely a typo.
    /// </summary>
    /// <param name="order">The levels, each once.</param>
    /// <exception cref="ArgumentException">A level is missing from <paramref name="order"/>, named twice, or is not a level.</exception>
    public Factor WithLevels(IReadOnlyList<string> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var wanted = order.Select(o => o.Trim()).ToList();
        var twice = wanted.GroupBy(o => o, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unknown = wanted.Where(o => !Levels.Contains(o)).ToList();
        var left = Levels.Where(l => !wanted.Contains(l)).ToList();
        if (twice.Count > 0 || unknown.Count > 0 || left.Count > 0)
        {
            var parts = new List<string>();
            if (unknown.Count > 0)
            {
                parts.Add($"{string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not a level" : "are not levels")}");
            }

            if (left.Count > 0)
            {
                parts.Add($"{string.Join(", ", left.Select(u => $"'{u}'"))} {(left.Count == 1 ? "is" : "are")} missing from the order");
            }

            if (twice.Count > 0)
            {
                parts.Add($"{string.Join(", ", twice.Select(u => $"'{u}'"))} {(twice.Count == 1 ? "is" : "are")} named twice");
            }

            throw new ArgumentException($"The level order of '{Name}' must name each of its levels ({string.Join(", ", Levels)}) once: {string.Join("; ", parts)}.", nameof(order));
        }

        var map = Levels.Select(l => wanted.IndexOf(l)).ToArray();
        var codes = new int[Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = Codes[i] < 0 ? -1 : map[Codes[i]];
        }

        return new Factor(Name, codes, wanted.ToArray());
    }

    private static bool IsMissing(string? v) => string.IsNullOrWhiteSpace(v) || v.Trim() == "NA";

    /// <inheritdoc />
    public override string ToString() => $"Factor({Name}, n={Count}, levels={Levels.Count})";
}
