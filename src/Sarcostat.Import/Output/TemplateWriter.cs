using Sarcostat.Cohort;
using Sarcostat.Files.Output;

namespace Sarcostat.Import.Output;

/// <summary>
/// Writes the blank canonical template (<c>sarcostat template</c>): the patients and procedures tables with their
/// headers only (the dictionary's field names, in dictionary order) and the codes table (field, code, label) listing
/// every code field's codes and yes/no for boolean fields. Files are written through <see cref="AtomicOutput"/> (a
/// temporary folder beside them, moved into place when all are complete), so a failure leaves nothing half-written;
/// an existing file is replaced only when the caller says so (<c>--force</c>).
/// </summary>
public static class TemplateWriter
{
    /// <summary>The file names <see cref="WriteCsv"/> writes.</summary>
    public static readonly IReadOnlyList<string> CsvFiles = ["patients.csv", "procedures.csv", "codes.csv"];

    /// <summary>The workbook <see cref="WriteAll"/> writes beside the CSV files.</summary>
    public const string XlsxFile = "template.xlsx";

    /// <summary>Writes patients.csv, procedures.csv and codes.csv into <paramref name="directory"/> (created when missing).</summary>
    /// <param name="directory">The target directory.</param>
    /// <param name="dictionary">The dictionary; <see cref="DataDictionary.Default"/> when null.</param>
    /// <param name="overwrite">Replace existing files of these names; otherwise they are refused and nothing is written.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="OutputException">A file is refused or cannot be written; nothing was written.</exception>
    public static IReadOnlyList<string> WriteCsv(string directory, DataDictionary? dictionary = null, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var targets = CsvTargets(directory, dictionary ?? DataDictionary.Default);
        AtomicOutput.WriteFiles(targets, overwrite);
        return targets.Select(t => t.Path).ToList();
    }

    /// <summary>Writes the three CSV files and <see cref="XlsxFile"/> into <paramref name="directory"/>, all or nothing.</summary>
    /// <param name="directory">The target directory (created when missing).</param>
    /// <param name="overwrite">Replace existing files of these names; otherwise they are refused and nothing is written.</param>
    /// <param name="dictionary">The dictionary; <see cref="DataDictionary.Default"/> when null.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="OutputException">A file is refused or cannot be written; nothing was written.</exception>
    public static IReadOnlyList<string> WriteAll(string directory, bool overwrite, DataDictionary? dictionary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var d = dictionary ?? DataDictionary.Default;
        var targets = CsvTargets(directory, d);
        targets.Add((Path.Combine(directory, XlsxFile), temp => WriteXlsxFile(temp, d)));
        AtomicOutput.WriteFiles(targets, overwrite);
        return targets.Select(t => t.Path).ToList();
    }

    /// <summary>Writes a workbook with sheets patients, procedures (headers only) and codes.</summary>
    /// <param name="path">The .xlsx file to write.</param>
    /// <param name="dictionary">The dictionary; <see cref="DataDictionary.Default"/> when null.</param>
    /// <param name="overwrite">Replace an existing file; otherwise it is refused.</param>
    /// <exception cref="OutputException">The file is refused or cannot be written; nothing was written.</exception>
    public static void WriteXlsx(string path, DataDictionary? dictionary = null, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var d = dictionary ?? DataDictionary.Default;
        AtomicOutput.WriteFile(path, temp => WriteXlsxFile(temp, d), overwrite);
    }

    private static List<(string Path, Action<string> Write)> CsvTargets(string directory, DataDictionary d)
    {
        var paths = CsvFiles.Select(f => Path.Combine(directory, f)).ToList();
        return
        [
            (paths[0], temp => WriteCsvFile(temp, [PatientColumns(d)])),
            (paths[1], temp => WriteCsvFile(temp, [ProcedureColumns(d)])),
            (paths[2], temp => WriteCsvFile(temp, [["field", "code", "label"], .. CodeRows(d)])),
        ];
    }

    private static void WriteXlsxFile(string path, DataDictionary d) => XlsxWriter.Write(path,
    [
        ("patients", [PatientColumns(d)]),
        ("procedures", [ProcedureColumns(d)]),
        ("codes", [["field", "code", "label"], .. CodeRows(d)]),
    ]);

    /// <summary>The patients table's columns: every patients field, in dictionary order.</summary>
    public static IReadOnlyList<string> PatientColumns(DataDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        return dictionary.FieldsOf(CohortTable.Patients).Select(f => f.Name).ToList();
    }

    /// <summary>The procedures table's columns: the key study_id, then every procedures field, in dictionary order.</summary>
    public static IReadOnlyList<string> ProcedureColumns(DataDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        return ["study_id", .. dictionary.FieldsOf(CohortTable.Procedures).Select(f => f.Name)];
    }

    /// <summary>The rows (field, code, label) of the codes table: code fields' codes, and yes/no for boolean fields.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> CodeRows(DataDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var f in dictionary.Fields)
        {
            if (f.Type == FieldType.Code)
            {
                rows.AddRange(f.Codes.Select(c => (IReadOnlyList<string>)[f.Name, c.Key, c.Value]));
            }
            else if (f.Type == FieldType.Boolean)
            {
                rows.Add([f.Name, "yes", "Yes"]);
                rows.Add([f.Name, "no", "No"]);
            }
        }

        return rows;
    }

    private static void WriteCsvFile(string path, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        using var writer = new StreamWriter(path, append: false, CsvOutput.Utf8);
        foreach (var row in rows)
        {
            CsvOutput.WriteRecord(writer, row);
        }
    }
}
