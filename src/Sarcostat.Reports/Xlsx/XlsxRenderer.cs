using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Xlsx;

/// <summary>
/// Writes every table of a report into one Excel workbook (.xlsx, OpenXML SDK): a "Contents" sheet listing each table's
/// sheet, title and footnotes, then one sheet per table in the long layout of the CSV export (<see cref="LongTable"/>):
/// the texts as printed and, beside them, the estimates and confidence limits as numbers at full precision.
/// </summary>
/// <remarks>
/// <para>Sheet names are the table ids (Excel allows 31 characters; longer ids are cut and numbered). Numbers are
/// numeric cells, so a statistician can compute with them; non-finite values are the texts "Inf", "-Inf", "NA".
/// Text that starts with "=", "+", "-" or "@" is a string cell, never a formula (no cell carries a formula).</para>
/// <para>The header row is bold and frozen. Like the .docx, the bytes depend only on the report: fixed relationship
/// ids and zip entries dated the report's date.</para>
/// </remarks>
public static class XlsxRenderer
{
    /// <summary>Writes the workbook of <paramref name="report"/>'s tables to <paramref name="output"/>.</summary>
    /// <param name="report">The report.</param>
    /// <param name="output">A writable stream; written from its current position and left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A table row has more cells than the table has columns.</exception>
    public static void Write(StudyReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var tables = report.Tables.ToList();
        var names = SheetNames(tables);

        using var package = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            // Fixed relationship ids everywhere (AddWorkbookPart would draw a random one).
            var workbook = document.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rIdWorkbook");
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>("rIdStyles");
            styles.Stylesheet = Stylesheet();
            var sheets = workbook.Workbook.AppendChild(new Sheets());

            var contents = new List<IReadOnlyList<LongCell>>();
            for (var t = 0; t < tables.Count; t++)
            {
                contents.Add([LongCell.OfText(names[t]), LongCell.OfText(tables[t].Title), LongCell.OfText(string.Join(" ", tables[t].Footnotes.Select((f, k) => tables[t].MarkerOf(k) is { } m ? $"({m}) {f}" : f)))]);
            }

            AddSheet(workbook, sheets, 1, "Contents", ["sheet", "title", "footnotes"], contents);
            for (var t = 0; t < tables.Count; t++)
            {
                var layout = LongTable.Of(tables[t]);
                AddSheet(workbook, sheets, (uint)(t + 2), names[t], layout.Header, layout.Rows);
            }
        }

        ZipNormaliser.Copy(package, output, report.Provenance.GeneratedOn);
    }

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, uint number, string name, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<LongCell>> rows)
    {
        var id = "rIdSheet" + number.ToString(CultureInfo.InvariantCulture);
        var part = workbook.AddNewPart<WorksheetPart>(id);
        var data = new SheetData();
        data.Append(Row(1, header.Select(LongCell.OfText).ToList(), bold: true));
        for (var r = 0; r < rows.Count; r++)
        {
            data.Append(Row((uint)(r + 2), rows[r], bold: false));
        }

        var widths = new Columns();
        for (var c = 0; c < header.Count; c++)
        {
            var longest = Math.Max(header[c].Length, rows.Count == 0 ? 0 : rows.Max(r => c < r.Count ? Width(r[c]) : 0));
            widths.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = Math.Clamp(longest + 2, 6, 80), CustomWidth = true });
        }

        var view = new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1D, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
        { WorkbookViewId = 0U, TabSelected = number == 1 });
        part.Worksheet = new Worksheet(view, widths, data);
        sheets.Append(new Sheet { Id = id, SheetId = number, Name = name });
    }

    private static int Width(LongCell cell) => cell.IsNumber ? (cell.Number is null ? 0 : 12) : (cell.Text ?? string.Empty).Length;

    private static Row Row(uint index, IReadOnlyList<LongCell> cells, bool bold)
    {
        var row = new Row { RowIndex = index };
        for (var c = 0; c < cells.Count; c++)
        {
            var reference = ColumnName(c) + index.ToString(CultureInfo.InvariantCulture);
            var cell = cells[c];
            if (cell.IsNumber)
            {
                if (cell.Number is not { } v)
                {
                    continue;
                }

                row.Append(double.IsFinite(v)
                    ? new Cell { CellReference = reference, CellValue = new CellValue(v.ToString("R", CultureInfo.InvariantCulture)), DataType = CellValues.Number }
                    : Text(reference, double.IsNaN(v) ? "NA" : v > 0 ? "Inf" : "-Inf", bold));
            }
            else if (!string.IsNullOrEmpty(cell.Text))
            {
                row.Append(Text(reference, cell.Text, bold));
            }
        }

        return row;
    }

    private static Cell Text(string reference, string text, bool bold) => new(new InlineString(new Text(Markup.XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        StyleIndex = bold ? 1U : 0U,
    };

    /// <summary>A1-style column letters: 0 = A, 25 = Z, 26 = AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Sheet names: the table id, without the characters Excel forbids, at most 31 characters, unique ignoring case.</summary>
    private static List<string> SheetNames(IReadOnlyList<TableItem> tables)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Contents" };
        var names = new List<string>();
        foreach (var table in tables)
        {
            var name = new string(table.Id.Where(ch => ch is not ('\\' or '/' or '?' or '*' or '[' or ']' or ':' or '\'')).ToArray());
            name = name.Length == 0 ? "table" : name[..Math.Min(name.Length, 31)];
            var candidate = name;
            for (var k = 2; !used.Add(candidate); k++)
            {
                var suffix = "~" + k.ToString(CultureInfo.InvariantCulture);
                candidate = name[..Math.Min(name.Length, 31 - suffix.Length)] + suffix;
            }

            names.Add(candidate);
        }

        return names;
    }

    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(new FontSize { Val = 11D }, new FontName { Val = "Arial" }), new Font(new Bold(), new FontSize { Val = 11D }, new FontName { Val = "Arial" })) { Count = 2U },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2U },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1U },
        new CellFormats(
            new CellFormat { FontId = 0U, FillId = 0U, BorderId = 0U },
            new CellFormat { FontId = 1U, FillId = 0U, BorderId = 0U, ApplyFont = true })
        { Count = 2U });
}
