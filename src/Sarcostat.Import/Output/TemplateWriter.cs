using CsvHelper;
using Sarcostat.Cohort;

namespace Sarcostat.Import.Output;

/// <summary>
/// Writes the blank canonical template (<c>sarcostat template</c>): the patients and procedures tables with their
/// headers only (the dictionary's field names, in dictionary order) and the codes table (field, code, label) listing
/// every code field's codes and yes/no for boolean fields. Files are written to temporary files and moved into place,
/// so a failure leaves nothing half-written.
/// </summary>
public static class TemplateWriter
{
    /// <summary>The file names <see cref="WriteCsv"/> writes.</summary>
    public static readonly IReadOnlyList<string> CsvFiles = ["patients.csv", "procedures.csv", "codes.csv"];

    /// <summary>Writes patients.csv, procedures.csv and codes.csv into <paramref name="directory"/> (created when missing).</summary>
    /// <param name="directory">The target directory.</param>
    /// <param name="dictionary">The dictionary; <see cref="DataDictionary.Default"/> when null.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> WriteCsv(string directory, DataDictionary? dictionary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var d = dictionary ?? DataDictionary.Default;
        Directory.CreateDirectory(directory);
        var paths = CsvFiles.Select(f => Path.Combine(directory, f)).ToList();
        AtomicFile.WriteAll(
        [
            (paths[0], temp => WriteCsvFile(temp, [PatientColumns(d)])),
            (paths[1], temp => WriteCsvFile(temp, [ProcedureColumns(d)])),
            (paths[2], temp => WriteCsvFile(temp, [["field", "code", "label"], .. CodeRows(d)])),
        ]);
        return paths;
    }

    /// <summary>Writes a workbook with sheets patients, procedures (headers only) and codes.</summary>
    /// <param name="path">The .xlsx file to write (overwritten).</param>
    /// <param name="dictionary">The dictionary; <see cref="DataDictionary.Default"/> when null.</param>
    public static void WriteXlsx(string path, DataDictionary? dictionary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var d = dictionary ?? DataDictionary.Default;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        AtomicFile.Write(path, temp => XlsxWriter.Write(temp,
        [
            ("patients", [PatientColumns(d)]),
            ("procedures", [ProcedureColumns(d)]),
            ("codes", [["field", "code", "label"], .. CodeRows(d)]),
        ]));
    }

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
        using var stream = File.Create(path);
        using var csv = CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\n" });
        foreach (var row in rows)
        {
            csv.WriteRecord(row.ToArray());
        }
    }
}
