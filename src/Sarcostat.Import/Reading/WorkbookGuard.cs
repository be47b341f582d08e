using System.Globalization;
using System.IO.Compression;

namespace Sarcostat.Import.Reading;

/// <summary>
/// Checks a workbook file before ExcelDataReader opens it, and the limits while it is read (docs/import.md,
/// "Workbook limits"): that an .xlsx is a zip at all, not an encrypted (password) workbook, holds no DTD (XXE: never
/// resolved, refused outright), and does not expand beyond a memory budget (zip bomb), checked FAST from the zip
/// directory and then by streaming every part once with a byte counter, before any part is parsed.
/// </summary>
internal static class WorkbookGuard
{
    /// <summary>A file that is not a workbook (an .xlsx that is text, or a broken zip).</summary>
    public const string NotAWorkbook = "not-a-workbook";

    /// <summary>A password-protected (encrypted) workbook.</summary>
    public const string EncryptedWorkbook = "encrypted-workbook";

    /// <summary>A workbook part that declares a DTD (&lt;!DOCTYPE ...&gt;): refused, never processed.</summary>
    public const string WorkbookDtd = "workbook-dtd";

    /// <summary>A workbook that expands beyond the memory budget.</summary>
    public const string WorkbookTooLarge = "workbook-too-large";

    /// <summary>A cell longer than Excel's own limit of 32,767 characters.</summary>
    public const string CellTooLong = "cell-too-long";

    /// <summary>A sheet with more rows than Excel's own limit of 1,048,576.</summary>
    public const string TooManyRows = "too-many-rows";

    /// <summary>Excel's limit on the characters of a cell; longer text is not from Excel and is refused.</summary>
    public const int MaxCellChars = 32_767;

    /// <summary>Excel's limit on the rows of a sheet (header included).</summary>
    public const int MaxRows = 1_048_576;

    /// <summary>
    /// The most a workbook may expand to, all parts together: 256 MiB of XML (a registry of tens of thousands of
    /// patients is a few MB).
    /// </summary>
    public const long MaxExpandedBytes = 256L << 20;

    /// <summary>
    /// The largest compression ratio of a part bigger than 1 MiB: spreadsheet XML compresses about 10:1, rarely beyond
    /// 100:1; a zip bomb's is beyond 1000:1.
    /// </summary>
    public const double MaxRatio = 200;

    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] EmptyZipMagic = [0x50, 0x4B, 0x05, 0x06];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Doctype = "<!DOCTYPE"u8.ToArray();

    /// <summary>Checks the workbook at <paramref name="path"/>; throws a <see cref="WorkbookException"/> naming the rule.</summary>
    public static void Check(string path)
    {
        var head = new byte[8];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var isXls = Path.GetExtension(path).Equals(".xls", StringComparison.OrdinalIgnoreCase);
        if (read >= 8 && head.AsSpan().SequenceEqual(OleMagic))
        {
            // An OLE compound file: a legacy .xls (read by ExcelDataReader), or an encrypted OOXML workbook, which
            // Excel stores as a compound file with an EncryptionInfo stream whatever the extension says.
            if (!isXls || HoldsUtf16(path, "EncryptionInfo"))
            {
                throw new WorkbookException(EncryptedWorkbook, "a workbook without a password",
                    "The workbook is encrypted (password protected). Save an unprotected copy (File > Info > Protect Workbook > Encrypt with Password: clear it) and read that.");
            }

            return;
        }

        if (isXls)
        {
            return;
        }

        if (read < 4 || !(head.AsSpan(0, 4).SequenceEqual(ZipMagic) || head.AsSpan(0, 4).SequenceEqual(EmptyZipMagic)))
        {
            throw new WorkbookException(NotAWorkbook, "an Excel workbook (.xlsx: a zip package)",
                read == 0 ? "The file is empty." : "The file is not a zip package; is it a CSV or text file saved with an .xlsx name? Rename it to .csv, or save it from Excel as a workbook.");
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            long declared = 0;
            foreach (var entry in zip.Entries)
            {
                declared += entry.Length;
                if (declared > MaxExpandedBytes || (entry.Length > (1 << 20) && entry.Length > MaxRatio * Math.Max(1, entry.CompressedLength)))
                {
                    throw TooLarge(entry.Length, entry.CompressedLength);
                }
            }

            // The sizes in the zip directory are the writer's word: stream every part once, counting, and look for a
            // DTD in the XML parts (ExcelDataReader's XmlReader would refuse it with an exception; say what it is).
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                var xml = entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase);
                using var stream = entry.Open();
                var matcher = new Matcher(Doctype);
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    total += n;
                    if (total > MaxExpandedBytes)
                    {
                        throw TooLarge(total, entry.CompressedLength);
                    }

                    if (xml && matcher.Feed(buffer.AsSpan(0, n)))
                    {
                        throw new WorkbookException(WorkbookDtd, "a workbook without a document type declaration",
                            $"The part {Shown(entry.FullName)} declares a DTD (<!DOCTYPE>); Excel never writes one, and it is not processed (it could make the reader fetch files or expand entities). Save the workbook again from Excel.");
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            throw new WorkbookException(NotAWorkbook, "an Excel workbook (.xlsx: a zip package)", "The zip package is damaged (its directory or a part cannot be read). Save the workbook again from Excel.");
        }
    }

    private static WorkbookException TooLarge(long expanded, long compressed) =>
        new(WorkbookTooLarge, string.Create(CultureInfo.InvariantCulture, $"a workbook that expands to at most {MaxExpandedBytes >> 20} MiB, no part above 1 MiB compressed more than {MaxRatio:0}:1"),
            string.Create(CultureInfo.InvariantCulture, $"A part expands to {expanded:N0} bytes or more from {compressed:N0} compressed (a zip bomb, or a far larger sheet than a cohort needs); it was not read."));

    private static string Shown(string name) => name.Length > 60 ? name[..60] + "..." : name;

    /// <summary>Whether the file holds the UTF-16LE text (the OLE directory's stream names are UTF-16).</summary>
    private static bool HoldsUtf16(string path, string text)
    {
        var pattern = System.Text.Encoding.Unicode.GetBytes(text);
        var matcher = new Matcher(pattern, skipZeros: false);
        using var file = File.OpenRead(path);
        var buffer = new byte[81920];
        int n;
        long total = 0;
        while ((n = file.Read(buffer, 0, buffer.Length)) > 0 && total < (64L << 20))
        {
            total += n;
            if (matcher.Feed(buffer.AsSpan(0, n)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Finds a byte pattern across buffer boundaries, ignoring ASCII case and (by default) NUL bytes, so that a
    /// DOCTYPE in a UTF-16 part is found too.
    /// </summary>
    private sealed class Matcher(byte[] pattern, bool skipZeros = true)
    {
        private int _matched;

        public bool Feed(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                if (b == 0 && skipZeros)
                {
                    continue;
                }

                var c = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
                var p = pattern[_matched] is >= (byte)'a' and <= (byte)'z' ? (byte)(pattern[_matched] - 32) : pattern[_matched];
                if (c == p)
                {
                    if (++_matched == pattern.Length)
                    {
                        return true;
                    }
                }
                else
                {
                    // The pattern's first byte ('<' or 'E') does not recur in it, so a mismatch restarts at this byte.
                    _matched = c == Upper(pattern[0]) ? 1 : 0;
                }
            }

            return false;
        }

        private static byte Upper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
    }
}

/// <summary>A workbook breaks a rule of <see cref="WorkbookGuard"/>: the reader stops and the file gets one located problem.</summary>
internal sealed class WorkbookException(string rule, string expected, string hint, int? row = null, string? column = null, string? found = null)
    : Exception(hint)
{
    /// <summary>The rule code.</summary>
    public string Rule { get; } = rule;

    /// <summary>What was expected.</summary>
    public string Expected { get; } = expected;

    /// <summary>What to do.</summary>
    public string Hint { get; } = hint;

    /// <summary>The spreadsheet row, when the problem is in a row.</summary>
    public int? Row { get; } = row;

    /// <summary>The column's header, when the problem is in a cell.</summary>
    public string? Column { get; } = column;

    /// <summary>A description of the value found (never the value itself when it may be large or identifying).</summary>
    public string? Found { get; } = found;
}
