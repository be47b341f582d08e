using System.Diagnostics;
using System.Text.Json;
using Sarcostat.Survival.Comparisons;

namespace Sarcostat.Survival.Tests.Comparisons;

public class FisherExactTests
{
    private static readonly JsonElement Tables = Golden.Load("compare_tables");

    public static TheoryData<string> FisherCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Tables.GetProperty("fisher").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    internal static int[][] Table(JsonElement e) =>
        e.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();

    private static JsonElement Case(string name) =>
        Tables.GetProperty("fisher").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    // R: fisher.test(table, workspace = 2e8) for every table in tools/reference/compare.R (2x2 hand-made with a zero
    // cell and a zero margin, 2x3, 3x3, 2x5, 3x4, 4x4 sparse, a zero column, lung table(ph.ecog, sex), 2x10, 5x5).
    [Theory]
    [MemberData(nameof(FisherCases))]
    public void P_value_matches_R(string name)
    {
        var c = Case(name);
        var result = FisherExact.Test(Table(c.GetProperty("table")));
        Approx.Equal(Golden.Number(c.GetProperty("p")), result.P, Approx.NonIterative, $"{name} p");
    }

    // R: fisher.test(table)$estimate and $conf.int for the 2x2 tables. These come from uniroot, whose tolerance (1.2e-4)
    // leaves them off the exact roots in the 4th-5th digit; the engine reruns R's root finder (Brent's zeroin, same
    // brackets, tolerance and function values) step for step, so it reproduces R's numbers to 1e-10 (observed: 1e-13),
    // far inside the 1e-6 allowed for iterative results.
    [Theory]
    [MemberData(nameof(FisherCases))]
    public void Odds_ratio_and_interval_match_R_for_2x2_tables(string name)
    {
        var c = Case(name);
        var table = Table(c.GetProperty("table"));
        var result = FisherExact.Test(table);
        if (table.Length != 2 || table[0].Length != 2)
        {
            result.OddsRatio.Should().BeNull();
            result.Lower.Should().BeNull();
            result.Upper.Should().BeNull();
            return;
        }

        Approx.Equal(Golden.Number(c.GetProperty("odds_ratio")), result.OddsRatio!.Value, Approx.NonIterative, $"{name} odds ratio");
        Approx.Equal(Golden.Number(c.GetProperty("lower")), result.Lower!.Value, Approx.NonIterative, $"{name} lower");
        Approx.Equal(Golden.Number(c.GetProperty("upper")), result.Upper!.Value, Approx.NonIterative, $"{name} upper");
    }

    [Fact]
    public void Zero_cell_2x2_gives_an_infinite_odds_ratio_and_upper_limit()
    {
        // R: fisher.test(matrix(c(3, 2, 0, 7), 2)) -> p = 0.04545, OR = Inf, CI = [0.7233, Inf]
        var result = FisherExact.Test([[3, 0], [2, 7]]);
        result.OddsRatio.Should().Be(double.PositiveInfinity);
        result.Upper.Should().Be(double.PositiveInfinity);
        Approx.Equal(1.0 / 22.0, result.P, Approx.ClosedForm, "p = P(3) + P(0) = 1/22");
    }

    [Fact]
    public void Zero_margin_2x2_gives_p_one_and_the_uninformative_interval_as_R()
    {
        // R: fisher.test(matrix(c(0, 3, 0, 5), 2)) -> p = 1, OR = 0, CI = [0, Inf]
        var result = FisherExact.Test([[0, 0], [3, 5]]);
        result.P.Should().Be(1);
        result.OddsRatio.Should().Be(0);
        result.Lower.Should().Be(0);
        result.Upper.Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void Hand_computed_2x3_p_value_is_reproduced()
    {
        // Margins rows (2, 2), columns (1, 1, 2): 6 tables; the observed [[1,1,0],[0,0,2]] has P = 1·1·2!·2!·2!/(4!·2!) = 1/6,
        // the others: [[0,0,2],[1,1,0]] 1/6 and the four with one 1 in column 3 of each row, each 1/6·... : all tables
        // have P in {1/6, 1/6·...}. Enumerate by hand: P(x) = 2!2!1!1!2!/(4! Π x!) = 8/(24 Π x!) = 1/(3 Π x!).
        // [[1,1,0],[0,0,2]]: Π x! = 2 -> 1/6; [[0,0,2],[1,1,0]]: 1/6; [[1,0,1],[0,1,1]]: 1/3; [[0,1,1],[1,0,1]]: 1/3.
        // Observed 1/6 -> p = 1/6 + 1/6 = 1/3.
        var result = FisherExact.Test([[1, 1, 0], [0, 0, 2]]);
        Approx.Equal(1.0 / 3.0, result.P, Approx.ClosedForm, "p");
    }

    [Fact]
    public void Permuting_and_transposing_an_rxc_table_does_not_change_p()
    {
        var table = Table(Case("three_by_four").GetProperty("table"));
        double p = FisherExact.Test(table).P;
        var rowsReversed = table.Reverse().ToArray();
        var columnsRotated = table.Select(r => r.Skip(1).Append(r[0]).ToArray()).ToArray();
        var transposed = Enumerable.Range(0, table[0].Length).Select(j => table.Select(r => r[j]).ToArray()).ToArray();
        Approx.Equal(p, FisherExact.Test(rowsReversed).P, 1e-12, "rows reversed");
        Approx.Equal(p, FisherExact.Test(columnsRotated).P, 1e-12, "columns rotated");
        Approx.Equal(p, FisherExact.Test(transposed).P, 1e-12, "transposed");
    }

    [Fact]
    public void Swapping_2x2_rows_inverts_the_odds_ratio_and_its_interval()
    {
        var a = FisherExact.Test([[10, 5], [3, 12]]);
        var b = FisherExact.Test([[3, 12], [10, 5]]);
        Approx.Equal(a.P, b.P, 1e-12, "p");
        // R's root finder stops at |dψ| ≈ 1.2e-4 on ψ ≤ 1 or on 1/ψ, so the identity holds to that precision only.
        Approx.Equal(1 / a.OddsRatio!.Value, b.OddsRatio!.Value, 1e-3, "1/OR");
        Approx.Equal(1 / a.Upper!.Value, b.Lower!.Value, 1e-3, "1/upper");
        Approx.Equal(1 / a.Lower!.Value, b.Upper!.Value, 1e-3, "1/lower");
    }

    [Fact]
    public void Empty_rows_and_columns_do_not_change_an_rxc_p_value()
    {
        var table = Table(Case("three_by_three").GetProperty("table"));
        var padded = table.Select(r => r.Append(0).ToArray()).Append(new int[4]).ToArray();
        Approx.Equal(FisherExact.Test(table).P, FisherExact.Test(padded).P, 1e-12, "padded with a zero row and column");
    }

    [Fact]
    public void A_3x2_table_with_an_empty_row_gives_the_2x2_p_value()
    {
        // R: fisher.test(matrix(c(10, 0, 3, 5, 0, 12), 3)) equals fisher.test(matrix(c(10, 3, 5, 12), 2))$p.value
        var p2 = FisherExact.Test([[10, 5], [3, 12]]).P;
        var p3 = FisherExact.Test([[10, 5], [0, 0], [3, 12]]);
        Approx.Equal(p2, p3.P, 1e-12, "p");
        p3.OddsRatio.Should().BeNull("R reports no odds ratio for a 3 x 2 table");
    }

    [Fact]
    public void A_table_too_large_for_exact_enumeration_is_refused_quickly()
    {
        var rng = new Random(7);
        var table = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 6).Select(_ => 20 + rng.Next(20)).ToArray()).ToArray();
        var clock = Stopwatch.StartNew();
        var act = () => FisherExact.Test(table);
        act.Should().Throw<ExactComputationLimitException>().WithMessage("*chi-square*");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the a-priori size estimate refuses it before enumerating");
    }

    [Fact]
    public void Clinical_size_tables_finish_within_seconds()
    {
        var clock = Stopwatch.StartNew();
        FisherExact.Test(Table(Case("two_by_ten").GetProperty("table")));
        FisherExact.Test(Table(Case("five_by_five_moderate").GetProperty("table")));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "R takes about 1 s for these; the engine a few seconds on a loaded machine");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Network_p_value_equals_brute_force_enumeration_of_all_tables(int seed)
    {
        var rng = new Random(seed);
        int rows = 2 + rng.Next(3), columns = 2 + rng.Next(3);
        if (rows == 2 && columns == 2)
        {
            columns = 3;
        }

        var table = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => rng.Next(6)).ToArray()).ToArray();
        Approx.Equal(BruteForceP(table), FisherExact.Test(table).P, 1e-12, $"seed {seed}: {string.Join(" | ", table.Select(r => string.Join(",", r)))}");
    }

    /// <summary>Sums P over every table with the observed margins and Σ log x! ≥ observed − 3.45254e-7 (FEXACT's rule).</summary>
    private static double BruteForceP(int[][] table)
    {
        int r = table.Length, c = table[0].Length;
        var rowSums = table.Select(x => x.Sum()).ToArray();
        var colSums = Enumerable.Range(0, c).Select(j => table.Sum(x => x[j])).ToArray();
        int n = rowSums.Sum();
        double Lf(int k) => MathNet.Numerics.SpecialFunctions.FactorialLn(k);
        double constant = rowSums.Sum(Lf) + colSums.Sum(Lf) - Lf(n);
        double observed = table.Sum(x => x.Sum(Lf));
        double p = 0;
        var rowLeft = (int[])rowSums.Clone();
        var colLeft = (int[])colSums.Clone();

        void Cell(int i, int j, double sumLf)
        {
            if (i == r)
            {
                if (sumLf >= observed - 3.45254e-7)
                {
                    p += Math.Exp(constant - sumLf);
                }

                return;
            }

            int ni = j + 1 == c ? i + 1 : i, nj = j + 1 == c ? 0 : j + 1;
            if (j == c - 1 || i == r - 1)
            {
                // Last column or last row: forced.
                int forced = j == c - 1 ? rowLeft[i] : colLeft[j];
                if (forced > colLeft[j] || forced > rowLeft[i])
                {
                    return;
                }

                rowLeft[i] -= forced;
                colLeft[j] -= forced;
                Cell(ni, nj, sumLf + Lf(forced));
                rowLeft[i] += forced;
                colLeft[j] += forced;
                return;
            }

            for (int x = 0; x <= Math.Min(rowLeft[i], colLeft[j]); x++)
            {
                rowLeft[i] -= x;
                colLeft[j] -= x;
                Cell(ni, nj, sumLf + Lf(x));
                rowLeft[i] += x;
                colLeft[j] += x;
            }
        }

        Cell(0, 0, 0);
        return p;
    }

    [Fact]
    public void Bad_tables_are_rejected_with_the_parameter_name()
    {
        FluentActions.Invoking(() => FisherExact.Test(null!)).Should().Throw<ArgumentNullException>().WithParameterName("table");
        FluentActions.Invoking(() => FisherExact.Test([[1, 2]])).Should().Throw<ArgumentException>().WithParameterName("table");
        FluentActions.Invoking(() => FisherExact.Test([[1], [2]])).Should().Throw<ArgumentException>().WithParameterName("table");
        FluentActions.Invoking(() => FisherExact.Test([[1, 2], [3]])).Should().Throw<ArgumentException>().WithMessage("*row 1*");
        FluentActions.Invoking(() => FisherExact.Test([[1, -2], [3, 4]])).Should().Throw<ArgumentException>().WithMessage("*[0][1]*");
        FluentActions.Invoking(() => FisherExact.Test([[1, 2], [3, 4]], confidenceLevel: 1.0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
