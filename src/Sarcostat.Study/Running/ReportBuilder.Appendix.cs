using System.Globalization;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Running;

/// <summary>
/// The data appendix: every amendment applied to the data, with its reason (study ids and fields, never identifying
/// values), and every validation rule whose severity the study changed, with its reason.
/// </summary>
internal sealed partial class ReportBuilder
{
    private ReportSection? DataAppendix()
    {
        var items = new List<ReportItem>();
        if (AmendmentsTable() is { } amendments)
        {
            items.Add(amendments);
        }

        if (_context.SeverityChanges.Count > 0)
        {
            var rows = _context.SeverityChanges
                .Select(c => new TableRow([Cell(c.Source), Cell(c.Rule), Cell(c.Level), Cell(JournalFormat.Count(c.Problems), c.Problems), Cell(c.Reason)]))
                .ToList();
            items.Add(new TableItem("validation-severity", "Validation rules whose severity the study changed", ["Source", "Rule", "Severity", "Problems", "Reason"], rows,
            [
                "Set in the source's mapping (severity:); rule codes and their default severities: docs/import.md. An error lowered to a warning no longer blocks the analysis; \"ignore\" leaves a warning out of the validation report.",
            ]));
        }

        return items.Count == 0 ? null : new ReportSection("data-appendix", "Data appendix", items);
    }

    private TableItem? AmendmentsTable()
    {
        if (_context.AmendmentsFile is null)
        {
            return null;
        }

        var rows = _context.Amendments
            .Select(a => new TableRow([
                Cell(a.StudyId ?? "-"),
                Cell(a.Field ?? "-"),
                Cell(a.KindName),
                Cell(a.Change),
                Cell(a.Reason),
                Cell(WithoutFileName(a.Location)),
                Cell(a.Line.ToString(CultureInfo.InvariantCulture)),
            ]))
            .ToList();
        var sha = _context.DataFingerprints.FirstOrDefault(kv => kv.Key == _context.AmendmentsFile).Value;
        var footnotes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{rows.Count} amendment{(rows.Count == 1 ? string.Empty : "s")} applied from the study's amendments file ({_context.AmendmentsFile}{(sha is null ? string.Empty : $", SHA-256 {sha}")}); the source files were not edited. Where: the row and column of the extract, as the validation report numbers them (file names are not printed: they often carry a patient's name); Line: the entry's line in the amendments file."),
            "Changes to identifying columns are shown as \"changed\" or \"set missing\", without values.",
        };
        return new TableItem("amendments", "Amendments to the data", ["Study id", "Field", "Kind", "Change", "Reason", "Where", "Line"], rows, footnotes);
    }

    /// <summary>
    /// A location without its file names: <c>a.csv row 27, column "x"</c> becomes <c>row 27, column "x"</c>, and a
    /// resolved conflict's two places, <c>a.xlsx[patients] row 48 and b.csv row 29</c>, become <c>row 48 and row 29</c>.
    /// </summary>
    private static string WithoutFileName(string location) =>
        string.Join(" and ", location.Split(" and ").Select(part =>
        {
            var at = part.IndexOf(" row ", StringComparison.Ordinal);
            return at >= 0 ? part[(at + 1)..] : part;
        }));
}
