using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// Writes the simulated hospital workbook (DocumentFormat.OpenXml): sheets of rows of cells, where a cell is text, a
/// number, a boolean or a date (an Excel date serial, shown dd.mm.yyyy as a hospital's Excel would). The zip package
/// is rewritten with fixed entry times, so that the same seed gives byte-identical files (the package writer stamps
/// entries with the clock).
/// </summary>
internal static class SimulationXlsx
{
    private const uint DateStyle = 1;
    private const uint HeaderStyle = 2;

    /// <summary>The fixed time of every zip entry (the zip format's DOS time cannot be earlier than 1980).</summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The workbook's bytes; sheets in the order given, the first row of each bold.</summary>
    public static byte[] Build(IReadOnlyList<(string Name, IReadOnlyList<IReadOnlyList<object?>> Rows)> sheets)
    {
        using var package = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            // An explicit relationship id: AddWorkbookPart() draws a random one, and the bytes must follow the seed alone.
            var workbook = doc.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rIdWorkbook");
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>("rIdStyles");
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd.mm.yyyy" }) { Count = 1 },
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
                var part = workbook.AddNewPart<WorksheetPart>(string.Create(CultureInfo.InvariantCulture, $"rIdSheet{id}"));
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

        return WithFixedTimes(package.ToArray());
    }

    /// <summary>The same zip entries, in the same order, with <see cref="EntryTime"/> as their time.</summary>
    private static byte[] WithFixedTimes(byte[] zip)
    {
        using var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var rewritten = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                var copy = rewritten.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = EntryTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }

    private static Cell? Cell(object? value, string reference, bool header)
    {
        var style = header ? HeaderStyle : 0;
        return value switch
        {
            null => null,
            string s => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s) { Space = SpaceProcessingModeValues.Preserve }), StyleIndex = style },
            bool b => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b ? "1" : "0"), StyleIndex = style },
            DateOnly d => new Cell { CellReference = reference, CellValue = new CellValue(d.ToDateTime(TimeOnly.MinValue).ToOADate().ToString("R", CultureInfo.InvariantCulture)), StyleIndex = DateStyle },
            int i => new Cell { CellReference = reference, CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture)), StyleIndex = style },
            double x => new Cell { CellReference = reference, CellValue = new CellValue(x.ToString("R", CultureInfo.InvariantCulture)), StyleIndex = style },
            _ => throw new ArgumentException($"Cannot write a {value.GetType().Name} to a workbook cell.", nameof(value)),
        };
    }

    /// <summary>A1-style reference of a 0-based column and 1-based row.</summary>
    private static string Reference(int column, uint row)
    {
        var letters = string.Empty;
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }
}
