using MathNet.Numerics;

namespace Sarcostat.Survival.Comparisons;

/// <summary>
/// Exact two-sided p-value of Fisher's test for an r × c table by a network enumeration with bounds
/// (after Mehta and Patel's network algorithm, the method of R's FEXACT).
/// </summary>
/// <remarks>
/// <para>
/// With row sums R_i, column sums C_j and total n fixed, a table x has probability
/// P(x) = Π R_i! Π C_j! / (n! Π x_ij!). The p-value is the sum of P(y) over all tables y with the same margins and
/// Σ log y_ij! ≥ Σ log x_ij! − τ, i.e. P(y) ≤ P(x)·e^τ, with FEXACT's tolerance τ = 3.45254e-7 on the log scale.
/// </para>
/// <para>
/// Tables are built column by column. A node of the network at stage k is the (sorted) vector of row sums still
/// to be filled by columns k..c−1; filling column k is an arc of value −Σ_i log x_ik!. Over all completions of a node
/// the total Σ Π 1/x! has the closed form S!/(Π v_i! Π_{j≥k} C_j!) (S = Σ v_i), and the largest and smallest
/// completion values are computed exactly and memoised per node (by dynamic programming over the network; the
/// last two columns in closed form: the largest by greedy allocation of a separable convex function, the smallest
/// at a vertex of the polytope). The forward pass carries, at each node, the values of the partial tables reaching it
/// (equal values, to 1e-11 on the log scale, merged with a multiplicity), sorted: for an arc, those whose every
/// completion is at most the threshold form a prefix and are added at once from cumulative sums; those with none
/// form a suffix and are dropped; only the middle is carried on. As soon as listing all completions of the pending
/// nodes costs no more than one more expansion (meet in the middle), each pending node's completion values are
/// listed, sorted and cumulated, and every waiting partial table is finished by one binary search.
/// </para>
/// <para>
/// Rows and columns with a zero sum are dropped (they do not change the p-value); the smaller dimension becomes
/// the node vector. The work is bounded (<see cref="DefaultBudget"/> steps, <see cref="MaxStoredEntries"/> partial
/// tables, an a-priori size check, 62-bit node keys): beyond, an <see cref="ExactComputationLimitException"/> is
/// thrown rather than running for minutes.
/// R: <c>fisher.test(x)</c> for tables other than 2 × 2 (FEXACT, <c>workspace</c> large enough).
/// </para>
/// </remarks>
internal static class FisherNetwork
{
    /// <summary>FEXACT's relative tolerance (on the log scale) for "as or less probable than observed".</summary>
    public const double Tolerance = 3.45254e-7;

    /// <summary>Work budget in elementary steps (about 0.1 µs each): some 10 s of computing at most.</summary>
    public const long DefaultBudget = 100_000_000;

    /// <summary>Most partial tables held at once (16 bytes each).</summary>
    private const long MaxStoredEntries = 20_000_000;

    /// <summary>Tables whose a-priori network size (<see cref="Network.EstimatedSize"/>) exceeds this are refused at once.</summary>
    private const double MaxEstimatedSize = 1e10;

    /// <summary>Partial tables whose values differ by less than this (log scale) are the same up to round-off.</summary>
    private const double MergeTolerance = 1e-11;

    /// <summary>
    /// Computes the p-value. Contract: <paramref name="table"/> validated (rectangular, ≥ 2 × 2, non-negative).
    /// Returns 1 when fewer than two non-empty rows or columns remain. Throws
    /// <see cref="ExactComputationLimitException"/> when the budget is exceeded or the node vectors cannot be encoded.
    /// </summary>
    public static double PValue(int[][] table, long budget = DefaultBudget)
    {
        var (rowSums, colSums, n) = ContingencyTable.Margins(table, nameof(table));
        var keepRows = Enumerable.Range(0, rowSums.Length).Where(i => rowSums[i] > 0).ToArray();
        var keepCols = Enumerable.Range(0, colSums.Length).Where(j => colSums[j] > 0).ToArray();
        if (keepRows.Length < 2 || keepCols.Length < 2)
        {
            return 1.0;
        }

        // x[i][j] with i over the smaller dimension (the node vector), j over the columns processed in stages.
        bool transpose = keepRows.Length > keepCols.Length;
        int r = transpose ? keepCols.Length : keepRows.Length;
        int c = transpose ? keepRows.Length : keepCols.Length;
        var x = new int[r][];
        for (int i = 0; i < r; i++)
        {
            x[i] = new int[c];
            for (int j = 0; j < c; j++)
            {
                x[i][j] = transpose ? table[keepRows[j]][keepCols[i]] : table[keepRows[i]][keepCols[j]];
            }
        }

        var state = new Network(x, n, budget);
        if (state.EstimatedSize() > MaxEstimatedSize)
        {
            throw TooLarge(r, c, n, budget);
        }

        return state.Run();
    }

    private static ExactComputationLimitException TooLarge(int r, int c, int n, long budget) =>
        new($"Fisher's exact test: the {r} x {c} table (n = {n}) is too large for exact enumeration within {budget} steps; " +
            "use the chi-square test (or a Monte Carlo p-value outside this tool).");

    private sealed class Network
    {
        private readonly int _r;
        private readonly int _c;
        private readonly int[] _rows;      // row sums (node vector at stage 0, unsorted)
        private readonly int[] _cols;      // column sums in processing order
        private readonly double[] _lf;     // log k! for k = 0..n
        private readonly double[] _colSuffixLf; // Σ_{j ≥ k} log C_j!
        private readonly int _bits;
        private readonly long _budget;
        private readonly Dictionary<long, (double Max, double Min, double Count)>[] _bounds;
        private readonly double _constant; // Σ log R_i! + Σ log C_j! − log n!
        private readonly double _threshold; // Σ −log x_ij! of the observed table + τ
        private long _work;
        private long _stored; // partial tables added at the current stage

        public Network(int[][] x, int n, long budget)
        {
            _r = x.Length;
            _c = x[0].Length;
            _budget = budget;
            _lf = new double[n + 1];
            for (int k = 0; k <= n; k++)
            {
                _lf[k] = SpecialFunctions.FactorialLn(k);
            }

            _rows = new int[_r];
            var cols = new int[_c];
            double observed = 0;
            for (int i = 0; i < _r; i++)
            {
                for (int j = 0; j < _c; j++)
                {
                    _rows[i] += x[i][j];
                    cols[j] += x[i][j];
                    observed -= _lf[x[i][j]];
                }
            }

            // Small columns first: the largest column comes last, where its filling is forced.
            Array.Sort(cols);
            _cols = cols;
            _colSuffixLf = new double[_c + 1];
            for (int j = _c - 1; j >= 0; j--)
            {
                _colSuffixLf[j] = _colSuffixLf[j + 1] + _lf[_cols[j]];
            }

            double constant = -_lf[n];
            foreach (var v in _rows)
            {
                constant += _lf[v];
            }

            constant += _colSuffixLf[0];
            _constant = constant;
            _threshold = observed + Tolerance;

            int maxRow = _rows.Max();
            _bits = 1;
            while ((1L << _bits) <= maxRow)
            {
                _bits++;
            }

            if ((long)_bits * _r > 62)
            {
                throw new ExactComputationLimitException(
                    $"Fisher's exact test: a {_r} x {_c} table with row sums up to {maxRow} is too large for exact enumeration; use the chi-square test.");
            }

            _bounds = new Dictionary<long, (double, double, double)>[_c];
            for (int k = 0; k < _c; k++)
            {
                _bounds[k] = [];
            }
        }

        /// <summary>
        /// A rough a-priori size of the network: Σ over stages of (row-sum vectors at the stage / r!) × (fillings of the
        /// stage's column). Used only to refuse hopeless tables at once instead of after the budget is spent.
        /// </summary>
        public double EstimatedSize()
        {
            double factorial = 1;
            for (int i = 2; i <= _r; i++)
            {
                factorial *= i;
            }

            double size = 0;
            int remaining = _rows.Sum();
            for (int k = 0; k < _c - 1; k++)
            {
                double nodes = Math.Max(1, CountFills(_rows, remaining) / factorial);
                var caps = _rows.Select(v => Math.Min(v, _cols[k])).ToArray();
                size += nodes * CountFills(caps, _cols[k]);
                remaining -= _cols[k];
            }

            return size;
        }

        public double Run()
        {
            var root = (int[])_rows.Clone();
            Array.Sort(root);
            var current = new Dictionary<long, Node>
            {
                [Key(root)] = new Node(root),
            };
            current[Key(root)].Add(0.0, 1.0);
            var p = new NeumaierSum();
            var pending = new List<(Node Node, List<(double Past, double Count)> Survivors)>();

            for (int k = 0; k < _c && current.Count > 0; k++)
            {
                // Resolve what the bounds decide; keep the rest.
                pending.Clear();
                double survivorCount = 0, completionCount = 0, expansionCount = 0, largestList = 0;
                foreach (var node in current.Values)
                {
                    var bounds = Bounds(k, node.Vector);
                    double logTotal = LogTotal(k, node.Vector);
                    List<(double Past, double Count)>? survivors = null;
                    foreach (var (past, count) in node.Merged())
                    {
                        if (past + bounds.Max <= _threshold)
                        {
                            p.Add(count * Math.Exp(_constant + past + logTotal));
                        }
                        else if (past + bounds.Min <= _threshold)
                        {
                            (survivors ??= []).Add((past, count));
                        }
                    }

                    if (survivors is not null)
                    {
                        pending.Add((node, survivors));
                        survivorCount += survivors.Count;
                        completionCount += bounds.Count;
                        largestList = Math.Max(largestList, bounds.Count);
                        expansionCount += survivors.Count * CountFills(node.Vector, _cols[k]);
                    }
                }

                Spend(current.Count);
                if (pending.Count == 0)
                {
                    break;
                }

                // Meet in the middle: once listing every completion of the pending nodes costs no more than expanding
                // the partial tables waiting at them by one column, finish by sorted lists of completion values (built one
                // node at a time, so memory is bounded by the largest list).
                if (completionCount <= expansionCount + 4096 && largestList <= MaxStoredEntries)
                {
                    Spend((long)completionCount);
                    foreach (var (node, survivors) in pending)
                    {
                        p.Add(FinishByCompletionList(k, node.Vector, survivors));
                    }

                    break;
                }

                var next = new Dictionary<long, Node>();
                _stored = 0;
                foreach (var (node, survivors) in pending)
                {
                    Expand(k, node.Vector, survivors, next, ref p);
                }

                current = next;
            }

            return Math.Max(0.0, Math.Min(1.0, p.Value));
        }

        /// <summary>
        /// Extends the partial tables waiting at node v of stage k by every filling of column k. With the partial tables
        /// sorted by value, those whose extension through a filling completes below the threshold in every way form a
        /// prefix (added at once from cumulative sums) and those that cannot form a suffix (dropped): only the middle
        /// is carried to the child node.
        /// </summary>
        private void Expand(int k, int[] v, List<(double Past, double Count)> survivors, Dictionary<long, Node> next, ref NeumaierSum p)
        {
            int s = survivors.Count; // ascending by past (see Node.Merged)
            var pasts = new double[s];
            var cumulative = new double[s + 1]; // Σ_{j < i} count_j·exp(past_j − top)
            double top = survivors[s - 1].Past;
            var sum = new NeumaierSum();
            for (int i = 0; i < s; i++)
            {
                pasts[i] = survivors[i].Past;
                sum.Add(survivors[i].Count * Math.Exp(survivors[i].Past - top));
                cumulative[i + 1] = sum.Value;
            }

            var child = new int[_r];
            var fill = new int[_r];
            var found = new NeumaierSum();
            EnumerateFills(v, _cols[k], fill, arc =>
            {
                for (int i = 0; i < _r; i++)
                {
                    child[i] = v[i] - fill[i];
                }

                SortSmall(child);
                var bounds = Bounds(k + 1, child);
                int all = UpperBound(pasts, _threshold - arc - bounds.Max);
                int some = UpperBound(pasts, _threshold - arc - bounds.Min);
                if (all > 0)
                {
                    found.Add(Math.Exp(_constant + arc + LogTotal(k + 1, child) + top) * cumulative[all]);
                }

                if (some > all)
                {
                    long key = Key(child);
                    if (!next.TryGetValue(key, out var target))
                    {
                        target = new Node((int[])child.Clone());
                        next[key] = target;
                    }

                    int before = target.Count;
                    for (int i = all; i < some; i++)
                    {
                        target.Add(pasts[i] + arc, survivors[i].Count);
                    }

                    if (target.Count > target.CompactAt)
                    {
                        target.Compact();
                    }

                    _stored += target.Count - before;
                    if (_stored > MaxStoredEntries)
                    {
                        // Merge everything held so far; refuse only if the distinct partial tables alone are too many.
                        _stored = 0;
                        foreach (var held in next.Values)
                        {
                            held.Compact();
                            _stored += held.Count;
                            Spend(held.Count);
                        }

                        if (_stored > MaxStoredEntries / 2)
                        {
                            throw TooLarge(_r, _c, _rows.Sum(), _budget);
                        }
                    }
                }

                Spend(1 + some - all);
            });
            p.Add(found.Value);
        }

        /// <summary>Number of entries of ascending <paramref name="sorted"/> that are ≤ <paramref name="limit"/>.</summary>
        private static int UpperBound(double[] sorted, double limit)
        {
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= limit)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        /// <summary>
        /// Sum over the partial tables (past, count) waiting at node v of stage k of the probability of their completions
        /// with total value ≤ threshold: the completion values of v are listed, sorted, and summed cumulatively, so each
        /// partial table costs one binary search.
        /// </summary>
        private double FinishByCompletionList(int k, int[] v, List<(double Past, double Count)> survivors)
        {
            var list = new List<double>();
            Complete(k, (int[])v.Clone(), 0.0, list);
            var values = list.ToArray();
            Array.Sort(values);
            double top = values[^1];
            var cumulative = new double[values.Length + 1]; // cumulative[i] = Σ_{j < i} exp(values[j] − top)
            var sum = new NeumaierSum();
            for (int i = 0; i < values.Length; i++)
            {
                sum.Add(Math.Exp(values[i] - top));
                cumulative[i + 1] = sum.Value;
            }

            var total = new NeumaierSum();
            foreach (var (past, count) in survivors)
            {
                // Completions with past + value ≤ threshold.
                int below = UpperBound(values, _threshold - past);
                if (below > 0)
                {
                    total.Add(count * Math.Exp(_constant + past + top) * cumulative[below]);
                }
            }

            Spend(survivors.Count); // the listing itself was paid for by the caller
            return total.Value;
        }

        /// <summary>Appends the value Σ −log x! of every completion of columns k..c−1 from residual row sums v (v restored on return).</summary>
        private void Complete(int k, int[] v, double acc, List<double> output)
        {
            if (k == _c - 1)
            {
                double value = acc;
                foreach (var vi in v)
                {
                    value -= _lf[vi];
                }

                output.Add(value);
                return;
            }

            FillRow(k, 0, v, _cols[k], acc, output);
        }

        private void FillRow(int k, int i, int[] v, int remaining, double acc, List<double> output)
        {
            if (i == _r - 1)
            {
                v[i] -= remaining;
                Complete(k + 1, v, acc - _lf[remaining], output);
                v[i] += remaining;
                return;
            }

            int capacityAfter = 0;
            for (int j = i + 1; j < _r; j++)
            {
                capacityAfter += v[j];
            }

            int lo = Math.Max(0, remaining - capacityAfter);
            int hi = Math.Min(v[i], remaining);
            for (int xi = lo; xi <= hi; xi++)
            {
                v[i] -= xi;
                FillRow(k, i + 1, v, remaining - xi, acc - _lf[xi], output);
                v[i] += xi;
            }
        }

        private double LogTotal(int k, int[] v)
        {
            int s = 0;
            double sum = 0;
            foreach (var vi in v)
            {
                s += vi;
                sum -= _lf[vi];
            }

            return sum + _lf[s] - _colSuffixLf[k];
        }

        /// <summary>
        /// Largest and smallest Σ −log x! over the completions of node v at stage k, and the number of completions
        /// (memoised per node).
        /// </summary>
        private (double Max, double Min, double Count) Bounds(int k, int[] v)
        {
            long key = Key(v);
            if (_bounds[k].TryGetValue(key, out var known))
            {
                return known;
            }

            v = (int[])v.Clone(); // the caller's buffer is reused

            (double Max, double Min, double Count) result;
            if (k == _c - 1)
            {
                double value = 0;
                foreach (var vi in v)
                {
                    value -= _lf[vi];
                }

                result = (value, value, 1);
            }
            else if (k == _c - 2 && _r <= 12)
            {
                result = (TwoColumnMax(v, _cols[k]), TwoColumnMin(v, _cols[k]), CountFills(v, _cols[k]));
            }
            else
            {
                double max = double.NegativeInfinity, min = double.PositiveInfinity, count = 0;
                var fill = new int[_r];
                var child = new int[_r];
                EnumerateFills(v, _cols[k], fill, arc =>
                {
                    for (int i = 0; i < _r; i++)
                    {
                        child[i] = v[i] - fill[i];
                    }

                    SortSmall(child);
                    var below = Bounds(k + 1, child);
                    max = Math.Max(max, arc + below.Max);
                    min = Math.Min(min, arc + below.Min);
                    count += below.Count;
                    Spend(1);
                });
                result = (max, min, count);
            }

            _bounds[k][key] = result;
            return result;
        }

        /// <summary>Number of x with 0 ≤ x_i ≤ v_i and Σ x_i = total (a bounded-composition count by cumulative sums).</summary>
        private static double CountFills(int[] v, int total)
        {
            var ways = new double[total + 1];
            ways[0] = 1;
            var next = new double[total + 1];
            foreach (var vi in v)
            {
                // next[s] = Σ_{x = 0..min(vi, s)} ways[s − x]
                double running = 0;
                for (int s = 0; s <= total; s++)
                {
                    running += ways[s];
                    if (s - vi - 1 >= 0)
                    {
                        running -= ways[s - vi - 1];
                    }

                    next[s] = running;
                }

                (ways, next) = (next, ways);
            }

            return ways[total];
        }

        /// <summary>
        /// max over x (Σ x_i = total, 0 ≤ x_i ≤ v_i) of −Σ [log x_i! + log (v_i − x_i)!]: minimises a separable convex
        /// function under one sum constraint; a proportional start, then exchanges until no pair improves (optimal).
        /// </summary>
        private double TwoColumnMax(int[] v, int total)
        {
            int s = v.Sum();
            var x = new int[_r];
            int placed = 0;
            for (int i = 0; i < _r; i++)
            {
                x[i] = (int)((long)v[i] * total / s);
                placed += x[i];
            }

            // Marginal cost of one more unit in row i: log(x_i + 1) − log(v_i − x_i).
            while (placed < total)
            {
                int best = -1;
                double bestCost = double.PositiveInfinity;
                for (int i = 0; i < _r; i++)
                {
                    if (x[i] < v[i])
                    {
                        double cost = Math.Log(x[i] + 1.0) - Math.Log(v[i] - x[i]);
                        if (cost < bestCost)
                        {
                            bestCost = cost;
                            best = i;
                        }
                    }
                }

                x[best]++;
                placed++;
            }

            while (true)
            {
                // Move one unit from the row where removing saves most to the row where adding costs least.
                int from = -1, to = -1;
                double saving = double.NegativeInfinity, cost = double.PositiveInfinity;
                for (int i = 0; i < _r; i++)
                {
                    if (x[i] > 0)
                    {
                        double sv = Math.Log(x[i]) - Math.Log(v[i] - x[i] + 1.0);
                        if (sv > saving)
                        {
                            saving = sv;
                            from = i;
                        }
                    }

                    if (x[i] < v[i])
                    {
                        double cs = Math.Log(x[i] + 1.0) - Math.Log(v[i] - x[i]);
                        if (cs < cost)
                        {
                            cost = cs;
                            to = i;
                        }
                    }
                }

                if (from < 0 || to < 0 || from == to || cost >= saving - 1e-12)
                {
                    break;
                }

                x[from]--;
                x[to]++;
                Spend(_r);
            }

            double value = 0;
            for (int i = 0; i < _r; i++)
            {
                value -= _lf[x[i]] + _lf[v[i] - x[i]];
            }

            return value;
        }

        /// <summary>
        /// min over x (Σ x_i = total, 0 ≤ x_i ≤ v_i) of −Σ [log x_i! + log (v_i − x_i)!]: the maximum of a convex
        /// function over the polytope lies at a vertex, where every x_i but one is 0 or v_i (integral).
        /// </summary>
        private double TwoColumnMin(int[] v, int total)
        {
            double best = double.PositiveInfinity;
            int combos = 1 << (_r - 1);
            for (int free = 0; free < _r; free++)
            {
                for (int mask = 0; mask < combos; mask++)
                {
                    int sum = 0;
                    double value = 0;
                    int bit = 0;
                    for (int i = 0; i < _r; i++)
                    {
                        if (i == free)
                        {
                            continue;
                        }

                        if ((mask & (1 << bit)) != 0)
                        {
                            sum += v[i];
                        }

                        value -= _lf[v[i]]; // x_i ∈ {0, v_i}: log 0! + log v_i! either way
                        bit++;
                    }

                    int xf = total - sum;
                    if (xf < 0 || xf > v[free])
                    {
                        continue;
                    }

                    value -= _lf[xf] + _lf[v[free] - xf];
                    best = Math.Min(best, value);
                }
            }

            Spend((long)_r * combos);
            return best;
        }

        /// <summary>Calls <paramref name="visit"/> with the arc value −Σ log x_i! for every column filling x ≤ v with Σ x = total.</summary>
        private void EnumerateFills(int[] v, int total, int[] fill, Action<double> visit)
        {
            var capacityAfter = new int[_r + 1];
            for (int i = _r - 1; i >= 0; i--)
            {
                capacityAfter[i] = capacityAfter[i + 1] + v[i];
            }

            void Place(int i, int remaining, double arc)
            {
                if (i == _r - 1)
                {
                    fill[i] = remaining;
                    visit(arc - _lf[remaining]);
                    return;
                }

                int lo = Math.Max(0, remaining - capacityAfter[i + 1]);
                int hi = Math.Min(v[i], remaining);
                for (int xi = lo; xi <= hi; xi++)
                {
                    fill[i] = xi;
                    Place(i + 1, remaining - xi, arc - _lf[xi]);
                }
            }

            Place(0, total, 0.0);
        }

        /// <summary>Insertion sort, ascending (the vectors are short).</summary>
        private static void SortSmall(int[] a)
        {
            for (int i = 1; i < a.Length; i++)
            {
                int x = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > x)
                {
                    a[j + 1] = a[j];
                    j--;
                }

                a[j + 1] = x;
            }
        }

        private long Key(int[] sorted)
        {
            long key = 0;
            for (int i = 0; i < sorted.Length; i++)
            {
                key = (key << _bits) | (uint)sorted[i];
            }

            return key;
        }

        private void Spend(long steps)
        {
            _work += steps;
            if (_work > _budget)
            {
                throw TooLarge(_r, _c, _rows.Sum(), _budget);
            }
        }

        /// <summary>Compensated (Neumaier) summation.</summary>
        private struct NeumaierSum
        {
            private double _sum;
            private double _compensation;

            public readonly double Value => _sum + _compensation;

            public void Add(double x)
            {
                double t = _sum + x;
                _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
                _sum = t;
            }
        }

        private sealed class Node(int[] vector)
        {
            private List<(double Past, double Count)> _entries = [];

            public int[] Vector { get; } = vector;

            /// <summary>Number of partial tables held (merged or not).</summary>
            public int Count => _entries.Count;

            /// <summary>Size beyond which the held partial tables are merged before more are added.</summary>
            public int CompactAt { get; private set; } = 1 << 20;

            public void Add(double past, double count) => _entries.Add((past, count));

            /// <summary>Sorts and merges the held partial tables now (many paths share a value).</summary>
            public void Compact()
            {
                _entries = Merged();
                CompactAt = Math.Max(1 << 20, 2 * _entries.Count);
            }

            /// <summary>
            /// The partial tables at this node in ascending order of value, those with equal values (within
            /// <see cref="MergeTolerance"/> of the first of a run, i.e. equal up to round-off) merged into one with the
            /// summed multiplicity.
            /// </summary>
            public List<(double Past, double Count)> Merged()
            {
                _entries.Sort(static (a, b) => a.Past.CompareTo(b.Past));
                var merged = new List<(double Past, double Count)>(_entries.Count);
                foreach (var e in _entries)
                {
                    if (merged.Count > 0 && e.Past - merged[^1].Past <= MergeTolerance)
                    {
                        merged[^1] = (merged[^1].Past, merged[^1].Count + e.Count);
                    }
                    else
                    {
                        merged.Add(e);
                    }
                }

                _entries = [];
                return merged;
            }
        }
    }
}
