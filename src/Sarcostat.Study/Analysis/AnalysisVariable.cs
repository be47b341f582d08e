namespace Sarcostat.Study.Analysis;

/// <summary>
/// A variable as an analysis sees it: one value per row of the survival data it is analysed with, in the same order.
/// Names, not labels: how a variable is shown is the layout's business.
/// </summary>
/// <param name="Name">The variable's name (a column of the cohort or of a CSV file).</param>
public abstract record AnalysisVariable(string Name)
{
    /// <summary>The number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Whether row <paramref name="row"/> has a usable value.</summary>
    public abstract bool IsKnown(int row);

    /// <summary>The variable at <paramref name="rows"/> only, in that order (the rows a survival response kept).</summary>
    internal abstract AnalysisVariable At(IReadOnlyList<int> rows);
}

/// <summary>
/// A categorical variable: a level (or null, missing) per row, and the order of its levels. A value that is not one
/// of <paramref name="Levels"/> counts as missing.
/// </summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Values">The level of each row, or null when missing.</param>
/// <param name="Levels">
/// The levels in the order tables show them and groups are formed (may list levels nobody has: they are reported with
/// n = 0 and left out of every test and model).
/// </param>
public sealed record CategoricalVariable(string Name, IReadOnlyList<string?> Values, IReadOnlyList<string> Levels) : AnalysisVariable(Name)
{
    private readonly Dictionary<string, int> _index = IndexOf(Levels);

    /// <summary>The reference level of a Cox model, or null for the first level present (R's default: the first factor level).</summary>
    public string? Reference { get; init; }

    /// <inheritdoc/>
    public override int Count => Values.Count;

    /// <inheritdoc/>
    public override bool IsKnown(int row) => CodeOf(row) >= 0;

    /// <inheritdoc/>
    internal override AnalysisVariable At(IReadOnlyList<int> rows) => this with { Values = rows.Select(r => Values[r]).ToList() };

    /// <summary>The position of row <paramref name="row"/>'s value in <see cref="Levels"/>, or -1 when missing or not a level.</summary>
    public int CodeOf(int row) => Values[row] is { } v && _index.TryGetValue(v, out var c) ? c : -1;

    private static Dictionary<string, int> IndexOf(IReadOnlyList<string> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < levels.Count; i++)
        {
            if (!index.TryAdd(levels[i], i))
            {
                throw new ArgumentException($"Level '{levels[i]}' is listed twice.", nameof(levels));
            }
        }

        return index;
    }
}

/// <summary>A numeric variable (entered in a Cox model per unit); NaN is missing.</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Values">The value of each row; NaN when missing.</param>
public sealed record NumericVariable(string Name, IReadOnlyList<double> Values) : AnalysisVariable(Name)
{
    /// <inheritdoc/>
    public override int Count => Values.Count;

    /// <inheritdoc/>
    public override bool IsKnown(int row) => !double.IsNaN(Values[row]);

    /// <inheritdoc/>
    internal override AnalysisVariable At(IReadOnlyList<int> rows) => this with { Values = rows.Select(r => Values[r]).ToArray() };
}
