using System.Globalization;
using Sarcostat.Study.Results;

namespace Sarcostat.Study.Running;

/// <summary>The data appendix: every amendment applied to the data, with its reason (study ids and fields, never identifying values).</summary>
internal sealed partial class ReportBuilder
{
    private ReportSection? DataAppendix()
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
                Cell(a.Location),
                Cell(a.Line.ToString(CultureInfo.InvariantCulture)),
            ]))
            .ToList();
        var sha = _context.DataFingerprints.FirstOrDefault(kv => kv.Key == _context.AmendmentsFile + " (amendments)").Value;
        var footnotes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{rows.Count} amendment{(rows.Count == 1 ? string.Empty : "s")} applied from {_context.AmendmentsFile}{(sha is null ? string.Empty : $" (SHA-256 {sha})")}; the source files were not edited."),
            "Changes to identifying columns are shown as \"changed\" or \"set missing\", without values.",
        };
        var table = new TableItem("amendments", "Amendments to the data", ["Study id", "Field", "Kind", "Change", "Reason", "Where", "Line"], rows, footnotes);
        return new ReportSection("data-appendix", "Data appendix", [table]);
    }
}
