using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Tests.Running;

/// <summary>
/// The analysed cohort of a protocol computed without the runner (derivation and selection called directly), and
/// helpers to find rows and cells in a report. Tests compute the engine's results from this and compare them with the
/// report's cells.
/// </summary>
internal sealed class Engine
{
    public Engine(StudyProtocol protocol, IReadOnlyList<Patient> patients)
    {
        Protocol = protocol;
        Methods = protocol.ResolveMethods();
        var derived = CohortDerivation.Derive(patients, protocol.DerivationOptions());
        Selection = CohortSelection.Apply(derived, protocol.Selection.Steps.Select(s => s.Rule).ToList());
        Analysed = Selection.Analysed;
    }

    public StudyProtocol Protocol { get; }

    public StatisticalMethods Methods { get; }

    public SelectionResult Selection { get; }

    public DerivedCohort Analysed { get; }

    public EndpointData Data(Endpoint e) => Analysed.DataFor(e);

    public static TableItem Table(StudyReport report, string id) => report.Tables.Single(t => t.Id == id);

    public static T Figure<T>(StudyReport report, string id)
        where T : FigureItem => report.Figures.OfType<T>().Single(f => f.Id == id);

    /// <summary>The index of the first row at or after <paramref name="from"/> whose first cell reads <paramref name="label"/>.</summary>
    public static int Row(TableItem table, string label, int from = 0)
    {
        for (int i = from; i < table.Rows.Count; i++)
        {
            if (table.Rows[i].Cells[0].Text == label)
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"{table.Id} has no row '{label}' after row {from}; rows: {string.Join(" / ", table.Rows.Select(r => r.Cells[0].Text))}");
    }

    public static int ColumnIndex(TableItem table, string column)
    {
        int c = table.Columns.ToList().IndexOf(column);
        return c >= 0 ? c : throw new Xunit.Sdk.XunitException($"{table.Id} has no column '{column}'; columns: {string.Join(" / ", table.Columns)}");
    }

    public static TableCell Cell(TableItem table, int row, string column)
    {
        int c = table.Columns.ToList().IndexOf(column);
        if (c < 0)
        {
            throw new Xunit.Sdk.XunitException($"{table.Id} has no column '{column}'; columns: {string.Join(" / ", table.Columns)}");
        }

        return table.Rows[row].Cells[c];
    }

    public static double Value(TableItem table, int row, string column) =>
        Cell(table, row, column).Value ?? throw new Xunit.Sdk.XunitException($"{table.Id} row {row} column '{column}' ('{Cell(table, row, column).Text}') has no value.");
}
