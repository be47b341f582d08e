using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Sarcostat.Import.Output;

/// <summary>
/// A minimal workbook writer (DocumentFormat.OpenXml): sheets of rows of cells, where a cell is text, a number, a
/// boolean or a date (stored as an Excel date, format yyyy-mm-dd). Used for the template and by tests to build inputs.
/// </summary>
internal static class XlsxWriter
{
    private const uint DateStyle = 1;
    private const uint HeaderStyle = 2;

    /// <summary>Writes the workbook to <paramref name="path"/> (overwritten). The first row of each sheet is written bold.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, IReadOnlyList<IReadOnlyList<object?>> Rows)> sheets)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd" }) { Count = 1 },
            new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellStyleFormats(new CellFormat()) { Count = 1 },
            new CellFormats(
                new CellFormat(),
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                new CellFormat { FontId = 1, ApplyFont = true }) { Count = 3 });
        var sheetList = workbook.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var (name, rows) in sheets)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Count; r++)
            {
                var rowIndex = (uint)(r + 1);
                var row = new Row { RowIndex = rowIndex };
                for (var c = 0; c < rows[r].Count; c++)
                {
                    if (Cell(rows[r][c], Reference(c, rowIndex), r == 0) is { } cell)
                    {
                        row.Append(cell);
                    }
                }

                data.Append(row);
            }

            part.Worksheet = new Worksheet(data);
            sheetList.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
        }

        workbook.Workbook.Save();
    }

    private static Cell? Cell(object? value, string reference, bool header)
    {
        var style = header ? HeaderStyle : 0;
        return value switch
        {
            null => null,
            string s => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s) { Space = SpaceProcessingModeValues.Preserve }), StyleIndex = style },
            bool b => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b ? "1" : "0"), StyleIndex = style },
            DateOnly d => Serial(d.ToDateTime(TimeOnly.MinValue), reference),
            DateTime t => Serial(t, reference),
            IConvertible n => new Cell { CellReference = reference, CellValue = new CellValue(Convert.ToDouble(n, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)), StyleIndex = style },
            _ => throw new ArgumentException($"Cannot write a {value.GetType().Name} to a workbook cell.", nameof(value)),
        };
    }

    private static Cell Serial(DateTime t, string reference) =>
        new() { CellReference = reference, CellValue = new CellValue(t.ToOADate().ToString("R", CultureInfo.InvariantCulture)), StyleIndex = DateStyle };

    /// <summary>A1-style reference of a 0-based column and 1-based row.</summary>
    internal static string Reference(int column, uint row)
    {
        var letters = string.Empty;
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }
}
