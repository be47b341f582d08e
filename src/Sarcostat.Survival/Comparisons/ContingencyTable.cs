namespace Sarcostat.Survival.Comparisons;

/// <summary>Validation and margins of an r × c table of counts given as a jagged array (rows × columns).</summary>
internal static class ContingencyTable
{
    /// <summary>
    /// Checks that <paramref name="table"/> is a non-null rectangular array with at least 2 rows and 2 columns of
    /// non-negative counts (R: "'x' must have at least 2 rows and columns", "all entries of 'x' must be nonnegative
    /// and finite"), and returns its row count and column count.
    /// </summary>
    public static (int Rows, int Columns) Validate(int[][] table, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(table, parameterName);
        if (table.Length < 2)
        {
            throw new ArgumentException($"The table must have at least 2 rows and 2 columns; it has {table.Length} row(s).", parameterName);
        }

        int columns = -1;
        for (int i = 0; i < table.Length; i++)
        {
            var row = table[i] ?? throw new ArgumentException($"Row {i} of the table is null.", parameterName);
            if (columns < 0)
            {
                columns = row.Length;
            }
            else if (row.Length != columns)
            {
                throw new ArgumentException($"The table is not rectangular: row 0 has {columns} columns, row {i} has {row.Length}.", parameterName);
            }

            for (int j = 0; j < row.Length; j++)
            {
                if (row[j] < 0)
                {
                    throw new ArgumentException($"Counts must be non-negative; cell [{i}][{j}] is {row[j]}.", parameterName);
                }
            }
        }

        if (columns < 2)
        {
            throw new ArgumentException($"The table must have at least 2 rows and 2 columns; it has {columns} column(s).", parameterName);
        }

        return (table.Length, columns);
    }

    /// <summary>Row sums, column sums and the total (in 64 bits, then checked to fit in an int).</summary>
    public static (int[] RowSums, int[] ColumnSums, int Total) Margins(int[][] table, string parameterName)
    {
        int r = table.Length, c = table[0].Length;
        var rows = new long[r];
        var cols = new long[c];
        long total = 0;
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                rows[i] += table[i][j];
                cols[j] += table[i][j];
                total += table[i][j];
            }
        }

        if (total > int.MaxValue)
        {
            throw new ArgumentException($"The table's total count {total} is too large.", parameterName);
        }

        return (rows.Select(v => (int)v).ToArray(), cols.Select(v => (int)v).ToArray(), (int)total);
    }
}
