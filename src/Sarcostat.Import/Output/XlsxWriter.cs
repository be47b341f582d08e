using System.Globalization;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Sarcostat.Import.Output;

/// <summary>
/// The one minimal workbook writer (DocumentFormat.OpenXml): sheets of rows of cells, where a cell is text, a number,
/// a boolean or a date (an Excel date serial in the given display format). The bytes depend on the content alone:
/// part relationship ids are fixed and the zip entries carry a fixed time (the package writer would stamp them with
/// the clock and draw random ids), so the same input gives a byte-identical file. Used for the blank template, the
/// simulator's messy hospital workbook, and by tests to build inputs.
/// </summary>
public static class XlsxWriter
{
    private const uint DateStyle = 1;
    private const uint HeaderStyle = 2;

    /// <summary>The fixed time of every zip entry (the zip format's DOS time cannot be earlier than 1980).</summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the workbook to <paramref name="path"/> (overwritten). The first row of each sheet is written bold.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sheets">Sheets in order: a name and rows of cells (string, bool, DateOnly, DateTime, a number, or null for an empty cell).</param>
    /// <param name="dateFormat">Excel's display format of date cells.</param>
    public static void Write(string path, IReadOnlyList<(string Name, IReadOnlyList<IReadOnlyList<object?>> Rows)> sheets, string dateFormat = "yyyy-mm-dd") =>
        File.WriteAllBytes(path, Build(sheets, dateFormat));

    /// <summary>The workbook's bytes; sheets in the order given, the first row of each bold.</summary>
    /// <param name="sheets">Sheets in order: a name and rows of cells (string, bool, DateOnly, DateTime, a number, or null for an empty cell).</param>
    /// <param name="dateFormat">Excel's display format of date cells (e.g. dd.mm.yyyy, as a hospital's Excel shows them).</param>
    public static byte[] Build(IReadOnlyList<(string Name, IReadOnlyList<IReadOnlyList<object?>> Rows)> sheets, string dateFormat = "yyyy-mm-dd")
    {
        ArgumentNullException.ThrowIfNull(sheets);
        using var package = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            // An explicit relationship id: AddWorkbookPart() draws a random one, and the bytes must follow the content alone.
            var workbook = doc.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rIdWorkbook");
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>("rIdStyles");
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = dateFormat }) { Count = 1 },
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
            DateOnly d => Serial(d.ToDateTime(TimeOnly.MinValue), reference),
            DateTime t => Serial(t, reference),
            int i => new Cell { CellReference = reference, CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture)), StyleIndex = style },
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
