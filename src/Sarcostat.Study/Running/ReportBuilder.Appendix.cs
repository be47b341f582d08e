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
        var table = new TableItem("amendments", "Amendments to the data", ["Study id", "Field", "Kind", "Change", "Reason", "Where", "Line"], rows, footnotes);
        return new ReportSection("data-appendix", "Data appendix", [table]);
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
