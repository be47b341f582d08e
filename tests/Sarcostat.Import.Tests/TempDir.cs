using System.Text;
using Sarcostat.Import.Output;

namespace Sarcostat.Import.Tests;

/// <summary>A temporary directory for one test, deleted afterwards; writes small input files.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sarcostat-import-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes lines (joined with \n, final newline) as UTF-8 without a byte order mark unless asked.</summary>
    public string Write(string name, string text, bool bom = false)
    {
        var path = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(bom));
        return path;
    }

    /// <summary>Writes a workbook with OpenXml; cells are strings, numbers, booleans, DateOnly (stored as Excel dates) or null.</summary>
    public string Xlsx(string name, params (string Sheet, object?[][] Rows)[] sheets)
    {
        var path = this[name];
        XlsxWriter.Write(path, sheets.Select(s => (s.Sheet, (IReadOnlyList<IReadOnlyList<object?>>)s.Rows.Select(r => (IReadOnlyList<object?>)r).ToList())).ToList());
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
