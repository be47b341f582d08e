using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using Sarcostat.Import.Reading;

namespace Sarcostat.Import.Tests;

/// <summary>The checks made before ExcelDataReader opens a workbook (issue 9; docs/import.md, "Workbook limits").</summary>
public class WorkbookGuardTests
{
    private const string Sheet = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>";

    private static string Zip(TempDir dir, string name, Encoding encoding, string sheet)
    {
        var path = dir[name];
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        var entry = zip.CreateEntry("xl/worksheets/sheet1.xml");
        using var w = new StreamWriter(entry.Open(), encoding);
        w.Write(sheet);
        return path;
    }

    private static string Outcome { get; set; } = "read";

    private static bool Note(Exception e)
    {
        Outcome = e.GetType().Name + ": " + e.Message;
        return true;
    }

    private static WorkbookException Refused(string path) =>
        FluentActions.Invoking(() => WorkbookGuard.Check(path)).Should().Throw<WorkbookException>().Which;

    [Fact]
    public void A_dtd_is_found_in_utf8_and_utf16_parts_whatever_its_case()
    {
        using var dir = new TempDir();
        const string Dtd = "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
        Refused(Zip(dir, "a.xlsx", new UTF8Encoding(false), Dtd + Sheet)).Rule.Should().Be("workbook-dtd");
        Refused(Zip(dir, "b.xlsx", Encoding.Unicode, Dtd.Replace("utf-8", "utf-16", StringComparison.Ordinal) + Sheet)).Rule.Should().Be("workbook-dtd");
        Refused(Zip(dir, "c.xlsx", new UTF8Encoding(false), Dtd.Replace("DOCTYPE", "doctype", StringComparison.Ordinal) + Sheet)).Rule.Should().Be("workbook-dtd");
        FluentActions.Invoking(() => WorkbookGuard.Check(Zip(dir, "d.xlsx", new UTF8Encoding(false), Sheet.Replace("&xxe;", "DOCTYPE", StringComparison.Ordinal))))
            .Should().NotThrow("the word alone is not a declaration");
    }

    [Fact]
    public void A_zip_bomb_is_refused_from_the_zip_directory_fast()
    {
        using var dir = new TempDir();
        var path = Zip(dir, "bomb.xlsx", new UTF8Encoding(false), "<worksheet>" + new string(' ', 32 << 20) + "</worksheet>");
        var clock = Stopwatch.StartNew();
        Refused(path).Rule.Should().Be("workbook-too-large");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the ratio is read from the zip directory, nothing is inflated");
    }

    [Fact]
    public void Text_an_empty_file_and_an_encrypted_package_are_named_for_what_they_are()
    {
        using var dir = new TempDir();
        Refused(dir.Write("t.xlsx", "study_id,sex\nS1,male\n")).Rule.Should().Be("not-a-workbook");
        Refused(dir.Write("e.xlsx", string.Empty)).Hint.Should().Contain("empty");
        var ole = new byte[2048];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(ole, 0);
        Encoding.Unicode.GetBytes("EncryptionInfo").CopyTo(ole, 700);
        var encrypted = dir["x.xlsx"];
        File.WriteAllBytes(encrypted, ole);
        Refused(encrypted).Rule.Should().Be("encrypted-workbook");
    }

    [Fact]
    public void A_workbook_written_by_the_template_writer_passes()
    {
        using var dir = new TempDir();
        var path = dir.Xlsx("ok.xlsx", ("patients", [["study_id", "sex"], ["S1", "male"]]));
        FluentActions.Invoking(() => WorkbookGuard.Check(path)).Should().NotThrow();
    }

    [Fact]
    public void ExcelDataReader_alone_never_resolves_the_entity()
    {
        // Without the guard, ExcelDataReader's XmlReader must refuse the DTD or at least not read the file: this is
        // the defence in depth behind the guard (docs/reliability.md).
        using var dir = new TempDir();
        var path = dir.Xlsx("raw.xlsx", ("patients", [["x"]]));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var sheet = zip.Entries.Single(e => e.FullName.EndsWith("sheet1.xml", StringComparison.OrdinalIgnoreCase));
            var name = sheet.FullName;
            sheet.Delete();
            using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            w.Write("<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>" + Sheet);
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        string? value = null;
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            if (reader.Read())
            {
                value = reader.GetValue(0) as string;
            }
        }
        catch (Exception e) when (Note(e) && e is System.Xml.XmlException or ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or NullReferenceException or InvalidOperationException)
        {
        }

        // Observed with ExcelDataReader 3.6.0 on .NET 10: XmlException "For security reasons DTD is prohibited".
        Outcome.Should().Contain("DTD", "ExcelDataReader's XmlReader prohibits DTDs (the guard says so first, with a rule code)");
        var host = File.Exists("/etc/hostname") ? File.ReadAllText("/etc/hostname").Trim() : "\0";
        (value ?? string.Empty).Should().NotContain(host);
    }
}
