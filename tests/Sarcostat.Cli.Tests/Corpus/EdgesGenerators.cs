using System.IO.Compression;
using System.Security;
using System.Text;

namespace Sarcostat.Cli.Tests.Corpus;

/// <summary>Generators of the non-CSV input edges of the corpus (YAML, workbooks): large or binary inputs written by code.</summary>
public static class EdgesGenerators
{
    /// <summary>A mapping nested 100,000 flow lists deep: tree building recurses, so the depth must be refused first.</summary>
    [CorpusGenerator("yaml-deep-nesting")]
    public static void YamlDeepNesting(string folder) =>
        File.WriteAllText(Path.Combine(folder, "m.yaml"), new string('[', 100_000) + new string(']', 100_000) + "\n");

    /// <summary>A protocol nested 100,000 flow mappings deep.</summary>
    [CorpusGenerator("protocol-deep-nesting")]
    public static void ProtocolDeepNesting(string folder)
    {
        var text = new StringBuilder();
        for (int i = 0; i < 100_000; i++)
        {
            text.Append("{a: ");
        }

        text.Append('1').Append('}', 100_000).Append('\n');
        File.WriteAllText(Path.Combine(folder, "p.yaml"), text.ToString());
    }

    /// <summary>The header and one valid patient row of the canonical patients table.</summary>
    internal static readonly string[][] ValidRows =
    [
        ["study_id", "sex", "birth_date", "histology", "primary_surgery_date", "lung_met_date", "pm_date", "vital_status", "last_contact_date"],
        ["S1", "male", "1960-01-01", "leiomyosarcoma", "2015-01-10", "2016-03-01", "2016-04-01", "alive", "2020-01-01"],
        ["S2", "female", "1970-01-01", "leiomyosarcoma", "2015-02-10", "2016-05-01", "2016-06-01", "alive", "2020-01-01"],
    ];

    /// <summary>A sheet's XML with inline-string cells (no shared-string table needed).</summary>
    internal static string SheetXml(IEnumerable<string[]> rows, string? prolog = null, string? extraRows = null)
    {
        var xml = new StringBuilder(prolog ?? "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
        xml.Append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        int r = 0;
        foreach (var row in rows)
        {
            r++;
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<row r=\"{r}\">");
            for (int c = 0; c < row.Length; c++)
            {
                xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<c r=\"{(char)('A' + c)}{r}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(row[c])}</t></is></c>");
            }

            xml.Append("</row>");
        }

        xml.Append(extraRows).Append("</sheetData></worksheet>");
        return xml.ToString();
    }

    /// <summary>Writes a minimal .xlsx package: one sheet named patients with the given sheet XML.</summary>
    internal static void WriteXlsx(string path, string sheetXml, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Part(string name, string text)
        {
            var entry = zip.CreateEntry(name, level);
            using var w = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            w.Write(text);
        }

        Part("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
        Part("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Part("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"patients\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        Part("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
        Part("xl/worksheets/sheet1.xml", sheetXml);
    }

    /// <summary>A valid small workbook (the control case, and the seed of the fuzz test).</summary>
    [CorpusGenerator("xlsx-valid")]
    public static void XlsxValid(string folder) => WriteXlsx(Path.Combine(folder, "p.xlsx"), SheetXml(ValidRows));

    /// <summary>The sheet XML cut in the middle of a row: a valid zip whose sheet is not well-formed XML.</summary>
    [CorpusGenerator("xlsx-corrupt-sheet-xml")]
    public static void XlsxCorruptSheet(string folder)
    {
        var xml = SheetXml(ValidRows);
        WriteXlsx(Path.Combine(folder, "p.xlsx"), xml[..(xml.Length * 2 / 3)] + "<c r=\"Z9\"><is><t>x</c></row>");
    }

    /// <summary>A sheet with a DTD declaring an external entity (XXE) that a resolving parser would read.</summary>
    [CorpusGenerator("xlsx-dtd")]
    public static void XlsxDtd(string folder) => WriteXlsx(Path.Combine(folder, "p.xlsx"), SheetXml(
        [ValidRows[0], ["&xxe;", .. ValidRows[1][1..]]],
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"));

    /// <summary>An encrypted workbook as Excel stores it: an OLE compound file holding an EncryptionInfo stream.</summary>
    [CorpusGenerator("xlsx-encrypted")]
    public static void XlsxEncrypted(string folder)
    {
        var bytes = new byte[4096];
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes("EncryptionInfo").CopyTo(bytes, 1024);
        Encoding.Unicode.GetBytes("EncryptedPackage").CopyTo(bytes, 1152);
        File.WriteAllBytes(Path.Combine(folder, "p.xlsx"), bytes);
    }

    /// <summary>A cell of 40,000 characters in row 3, column sex (Excel's limit is 32,767).</summary>
    [CorpusGenerator("xlsx-cell-too-long")]
    public static void XlsxCellTooLong(string folder)
    {
        var rows = ValidRows.Select(r => (string[])r.Clone()).ToArray();
        rows[2][1] = string.Concat(Enumerable.Repeat("SECRET", 40_000 / 6));
        WriteXlsx(Path.Combine(folder, "p.xlsx"), SheetXml(rows));
    }

    /// <summary>A sheet whose last row is row 1,048,577, one beyond Excel's limit (the rows between are empty).</summary>
    [CorpusGenerator("xlsx-too-many-rows")]
    public static void XlsxTooManyRows(string folder) => WriteXlsx(Path.Combine(folder, "p.xlsx"), SheetXml(
        ValidRows, extraRows: "<row r=\"1048577\"><c r=\"A1048577\" t=\"inlineStr\"><is><t>S3</t></is></c></row>"));

    /// <summary>A zip bomb: a sheet padded with 16 MiB of spaces, which deflate to about 16 KB (the ratio check refuses it from the zip directory).</summary>
    [CorpusGenerator("xlsx-zip-bomb")]
    public static void XlsxZipBomb(string folder)
    {
        var xml = SheetXml(ValidRows);
        int cut = xml.IndexOf("<sheetData>", StringComparison.Ordinal);
        WriteXlsx(Path.Combine(folder, "p.xlsx"), xml[..cut] + new string(' ', 16 << 20) + xml[cut..]);
    }

    /// <summary>A workbook whose only sheet has no rows at all.</summary>
    [CorpusGenerator("xlsx-empty-sheet")]
    public static void XlsxEmptySheet(string folder) => WriteXlsx(Path.Combine(folder, "p.xlsx"), SheetXml([]));
}
