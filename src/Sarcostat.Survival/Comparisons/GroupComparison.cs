using System.Globalization;

namespace Sarcostat.Survival.Comparisons;

/// <summary>Cross-tabulation of a categorical variable by group, with Fisher's exact and chi-squared tests.</summary>
public sealed class CategoricalComparison
{
    internal CategoricalComparison(
        string by,
        string variable,
        IReadOnlyList<string> rowLevels,
        IReadOnlyList<string> columnLevels,
        int[][] counts,
        double?[][] columnPercents,
        IReadOnlyList<int> rowTotals,
        IReadOnlyList<int> columnTotals,
        IReadOnlyList<int> missingByGroup,
        int missingGroup,
        FisherExactResult? fisher,
        ChiSquareResult? chiSquare,
        ChiSquareResult? chiSquareUncorrected,
        IReadOnlyList<AnalysisWarning> warnings)
    {
        By = by;
        Variable = variable;
        RowLevels = rowLevels;
        ColumnLevels = columnLevels;
        Counts = counts;
        ColumnPercents = columnPercents;
        RowTotals = rowTotals;
        ColumnTotals = columnTotals;
        MissingByGroup = missingByGroup;
        MissingGroup = missingGroup;
        Fisher = fisher;
        ChiSquare = chiSquare;
        ChiSquareUncorrected = chiSquareUncorrected;
        Warnings = warnings;
    }

    /// <summary>Name of the grouping variable (the columns).</summary>
    public string By { get; }

    /// <summary>Name of the compared variable (the rows).</summary>
    public string Variable { get; }

    /// <summary>Levels of the variable: the rows of <see cref="Counts"/>, all of the factor's levels.</summary>
    public IReadOnlyList<string> RowLevels { get; }

    /// <summary>Levels of the grouping variable: the columns of <see cref="Counts"/>, all of the factor's levels.</summary>
    public IReadOnlyList<string> ColumnLevels { get; }

    /// <summary>Counts, rows (variable levels) × columns (groups), over observations with both values present.</summary>
    public int[][] Counts { get; }

    /// <summary>100·count / column total, rows × columns; null where the column total is 0.</summary>
    public double?[][] ColumnPercents { get; }

    /// <summary>Row totals (per variable level).</summary>
    public IReadOnlyList<int> RowTotals { get; }

    /// <summary>Column totals (per group), non-missing variable only.</summary>
    public IReadOnlyList<int> ColumnTotals { get; }

    /// <summary>Total count in the table.</summary>
    public int N => ColumnTotals.Sum();

    /// <summary>Per group: observations whose variable is missing (not in the table).</summary>
    public IReadOnlyList<int> MissingByGroup { get; }

    /// <summary>Observations whose group is missing (not in the table).</summary>
    public int MissingGroup { get; }

    /// <summary>Fisher's exact test on the table without empty rows and columns; null when fewer than 2 remain either way, or when the table is too large for exact enumeration (see <see cref="Warnings"/>).</summary>
    public FisherExactResult? Fisher { get; }

    /// <summary>Pearson's chi-squared test as R's default <c>chisq.test</c> (Yates-corrected for a 2 × 2 table), on the table without empty rows and columns; null as <see cref="Fisher"/>.</summary>
    public ChiSquareResult? ChiSquare { get; }

    /// <summary>Pearson's chi-squared test without continuity correction (<c>correct = FALSE</c>); equals <see cref="ChiSquare"/> unless the table is 2 × 2.</summary>
    public ChiSquareResult? ChiSquareUncorrected { get; }

    /// <summary>Problems found: empty levels dropped before testing, too few levels, a table too large for Fisher.</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CategoricalComparison({Variable} by {By}, {RowLevels.Count}x{ColumnLevels.Count}, n={N}, fisher p={Fisher?.P:G6})");
}

/// <summary>A numeric variable summarised per group, with two-group tests.</summary>
public sealed class NumericComparison
{
    internal NumericComparison(
        string by,
        string name,
        IReadOnlyList<string> groupLevels,
        IReadOnlyList<NumericSummary> groups,
        NumericSummary overall,
        int missingGroup,
        TTestResult? student,
        TTestResult? welch,
        MannWhitneyResult? mannWhitney,
        IReadOnlyList<AnalysisWarning> warnings)
    {
        By = by;
        Name = name;
        GroupLevels = groupLevels;
        Groups = groups;
        Overall = overall;
        MissingGroup = missingGroup;
        Student = student;
        Welch = welch;
        MannWhitney = mannWhitney;
        Warnings = warnings;
    }

    /// <summary>Name of the grouping variable.</summary>
    public string By { get; }

    /// <summary>Name of the numeric variable.</summary>
    public string Name { get; }

    /// <summary>The groups (levels of the grouping factor), in order.</summary>
    public IReadOnlyList<string> GroupLevels { get; }

    /// <summary>One summary per group, in the order of <see cref="GroupLevels"/>.</summary>
    public IReadOnlyList<NumericSummary> Groups { get; }

    /// <summary>Summary over every observation whose group is known (the union of the groups).</summary>
    public NumericSummary Overall { get; }

    /// <summary>Observations whose group is missing (excluded from every summary and test).</summary>
    public int MissingGroup { get; }

    /// <summary>Student's t-test, first group minus second (two groups only; null otherwise or when not computable).</summary>
    public TTestResult? Student { get; }

    /// <summary>Welch's t-test, first group minus second (two groups only; null otherwise or when not computable).</summary>
    public TTestResult? Welch { get; }

    /// <summary>Wilcoxon–Mann–Whitney test with R's automatic choice of method (two groups only).</summary>
    public MannWhitneyResult? MannWhitney { get; }

    /// <summary>Why a test is absent (not two groups, too few observations, constant data).</summary>
    public IReadOnlyList<AnalysisWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"NumericComparison({Name} by {By}, groups={GroupLevels.Count}, n={Overall.N}, missing={Overall.Missing})");
}

/// <summary>
/// Building blocks of a group-comparison table (<c>sarcostat compare --by g --vars a,b</c>): a categorical variable
/// cross-tabulated by group, a numeric variable summarised by group, each with the usual tests.
/// </summary>
public static class GroupComparison
{
    /// <summary>Cross-tabulates <paramref name="variable"/> (rows) by <paramref name="by"/> (columns) and tests independence.</summary>
    /// <param name="by">The grouping factor (columns).</param>
    /// <param name="variable">The categorical variable (rows).</param>
    /// <exception cref="ArgumentNullException">A factor is null.</exception>
    /// <exception cref="ArgumentException">The factors have different lengths.</exception>
    /// <remarks>
    /// The table counts the observations where both values are present; every level of each factor appears (a level
    /// without observations is a row or column of zeros). Column percent = 100·count / column total. The tests run on
    /// the table with empty rows and columns removed (as R's <c>chisq.test(x, y)</c>, which re-factors its inputs;
    /// an empty row or column changes no Fisher p-value, but the 2 × 2 odds ratio is only reported when two levels
    /// remain on each side). Fisher: <see cref="FisherExact.Test"/>; chi-squared: <see cref="ChiSquareTest.Test"/>
    /// with and without Yates' correction. With fewer than two non-empty levels on a side the tests are absent
    /// (R stops: "'x' and 'y' must have at least 2 levels"); a table too large for exact enumeration leaves Fisher
    /// absent. Each case adds a warning.
    /// R: <c>table(variable, by)</c>, <c>prop.table(t, 2)</c>, <c>fisher.test(t)</c>, <c>chisq.test(t)</c>,
    /// <c>chisq.test(t, correct = FALSE)</c>, with t the table without empty rows and columns.
    /// </remarks>
    public static CategoricalComparison Categorical(Factor by, Factor variable)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(variable);
        if (by.Count != variable.Count)
        {
            throw new ArgumentException(
                $"The grouping variable '{by.Name}' has {by.Count} observations but '{variable.Name}' has {variable.Count}.", nameof(variable));
        }

        int rows = variable.Levels.Count, columns = by.Levels.Count;
        var counts = new int[rows][];
        for (int i = 0; i < rows; i++)
        {
            counts[i] = new int[columns];
        }

        var missingByGroup = new int[columns];
        int missingGroup = 0;
        for (int k = 0; k < by.Count; k++)
        {
            int g = by.Codes[k], v = variable.Codes[k];
            if (g < 0)
            {
                missingGroup++;
            }
            else if (v < 0)
            {
                missingByGroup[g]++;
            }
            else
            {
                counts[v][g]++;
            }
        }

        var rowTotals = counts.Select(r => r.Sum()).ToArray();
        var columnTotals = Enumerable.Range(0, columns).Select(j => counts.Sum(r => r[j])).ToArray();
        var percents = new double?[rows][];
        for (int i = 0; i < rows; i++)
        {
            percents[i] = new double?[columns];
            for (int j = 0; j < columns; j++)
            {
                percents[i][j] = columnTotals[j] > 0 ? 100 * ((double)counts[i][j] / columnTotals[j]) : null;
            }
        }

        var warnings = new List<AnalysisWarning>();
        var keepRows = Enumerable.Range(0, rows).Where(i => rowTotals[i] > 0).ToArray();
        var keepColumns = Enumerable.Range(0, columns).Where(j => columnTotals[j] > 0).ToArray();
        FisherExactResult? fisher = null;
        ChiSquareResult? chi = null, chiUncorrected = null;
        if (keepRows.Length < 2 || keepColumns.Length < 2)
        {
            warnings.Add(new AnalysisWarning(
                "too-few-levels",
                $"'{variable.Name}' has {keepRows.Length} and '{by.Name}' {keepColumns.Length} level(s) with observations; the tests need at least 2 of each."));
        }
        else
        {
            if (keepRows.Length < rows || keepColumns.Length < columns)
            {
                var empty = Enumerable.Range(0, rows).Where(i => rowTotals[i] == 0).Select(i => $"'{variable.Name}' = {variable.Levels[i]}")
                    .Concat(Enumerable.Range(0, columns).Where(j => columnTotals[j] == 0).Select(j => $"'{by.Name}' = {by.Levels[j]}"));
                warnings.Add(new AnalysisWarning(
                    "empty-level",
                    $"Levels without observations were left out of the tests: {string.Join(", ", empty)}."));
            }

            var table = keepRows.Select(i => keepColumns.Select(j => counts[i][j]).ToArray()).ToArray();
            try
            {
                fisher = FisherExact.Test(table);
            }
            catch (ExactComputationLimitException e)
            {
                warnings.Add(new AnalysisWarning("fisher-too-large", e.Message));
            }

            chi = ChiSquareTest.Test(table, yatesCorrection: true);
            chiUncorrected = ChiSquareTest.Test(table, yatesCorrection: false);
        }

        return new CategoricalComparison(
            by.Name,
            variable.Name,
            variable.Levels,
            by.Levels,
            counts,
            percents,
            rowTotals,
            columnTotals,
            missingByGroup,
            missingGroup,
            fisher,
            chi,
            chiUncorrected,
            warnings);
    }

    /// <summary>Summarises a numeric variable per group and, for two groups, compares them.</summary>
    /// <param name="by">The grouping factor.</param>
    /// <param name="name">The numeric variable's name (for messages and the result).</param>
    /// <param name="values">One value per observation; NaN is missing.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> and <paramref name="by"/> have different lengths.</exception>
    /// <remarks>
    /// Observations with a missing group are excluded (counted in <see cref="NumericComparison.MissingGroup"/>).
    /// Per group <see cref="Descriptives.Numeric"/>. When <paramref name="by"/> has exactly two levels: Student's and
    /// Welch's t-tests and the Mann–Whitney test (R's automatic method), x = first level, y = second level. A test that
    /// cannot be computed (a group with too few observations, constant data) is absent with a warning; with more or
    /// fewer than two levels no test is run and a warning says so.
    /// R: <c>t.test(v ~ g, var.equal = TRUE)</c>, <c>t.test(v ~ g)</c>, <c>wilcox.test(v ~ g)</c>.
    /// </remarks>
    public static NumericComparison Numeric(Factor by, string name, IReadOnlyList<double> values) =>
        Numeric(by, name, values, MannWhitneyMethod.Auto);

    /// <summary>As <see cref="Numeric(Factor, string, IReadOnlyList{double})"/>, choosing how the Mann–Whitney p is computed.</summary>
    /// <param name="by">The grouping factor.</param>
    /// <param name="name">The numeric variable's name.</param>
    /// <param name="values">One value per observation; NaN is missing.</param>
    /// <param name="mannWhitney">Auto (R's rule), Exact (R <c>exact = TRUE</c>; ties fall back to the normal
    /// approximation with a warning) or NormalApproximation (R <c>exact = FALSE</c>).</param>
    public static NumericComparison Numeric(Factor by, string name, IReadOnlyList<double> values, MannWhitneyMethod mannWhitney)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        if (by.Count != values.Count)
        {
            throw new ArgumentException(
                $"The grouping variable '{by.Name}' has {by.Count} observations but '{name}' has {values.Count}.", nameof(values));
        }

        int groups = by.Levels.Count;
        var perGroup = new List<double>[groups];
        for (int g = 0; g < groups; g++)
        {
            perGroup[g] = [];
        }

        var known = new List<double>(values.Count);
        int missingGroup = 0;
        for (int k = 0; k < values.Count; k++)
        {
            int g = by.Codes[k];
            if (g < 0)
            {
                missingGroup++;
                continue;
            }

            perGroup[g].Add(values[k]);
            known.Add(values[k]);
        }

        var summaries = perGroup.Select(Descriptives.Numeric).ToArray();
        var warnings = new List<AnalysisWarning>();
        TTestResult? student = null, welch = null;
        MannWhitneyResult? mwResult = null;
        if (groups != 2)
        {
            warnings.Add(new AnalysisWarning(
                "not-two-groups",
                $"'{by.Name}' has {groups} level(s): the t-tests and the Mann-Whitney test compare exactly 2 groups, so '{name}' is only summarised."));
        }
        else
        {
            var x = perGroup[0];
            var y = perGroup[1];
            student = TryTest(() => TTest.Student(x, y), "Student t-test", name, by, warnings);
            welch = TryTest(() => TTest.Welch(x, y), "Welch t-test", name, by, warnings);
            mwResult = TryTest(() => Survival.Comparisons.MannWhitney.Test(x, y, mannWhitney), "Mann-Whitney test", name, by, warnings);
            if (mwResult is not null)
            {
                warnings.AddRange(mwResult.Warnings);
            }
        }

        return new NumericComparison(by.Name, name, by.Levels, summaries, Descriptives.Numeric(known), missingGroup, student, welch, mwResult, warnings);
    }

    private static T? TryTest<T>(Func<T> test, string label, string name, Factor by, List<AnalysisWarning> warnings)
        where T : class
    {
        try
        {
            return test();
        }
        catch (InsufficientDataException e)
        {
            string group = e.Group switch
            {
                "x" => by.Levels[0],
                "y" => by.Levels[1],
                _ => "both groups together",
            };
            warnings.Add(new AnalysisWarning(
                "insufficient-data",
                $"{label} of '{name}' not computed: '{by.Name}' = {group} has {e.Count} non-missing value(s), at least {e.Required} needed."));
        }
        catch (DegenerateDataException)
        {
            warnings.Add(new AnalysisWarning(
                "constant-data",
                $"{label} of '{name}' not computed: the values are constant within the groups, so the test statistic is undefined."));
        }
        catch (NotRepresentableException)
        {
            warnings.Add(new AnalysisWarning(
                "not-representable",
                $"{label} of '{name}' not computed: the values are so large that the difference of the means or its confidence limits exceed the largest number a double can hold."));
        }

        return null;
    }
}
