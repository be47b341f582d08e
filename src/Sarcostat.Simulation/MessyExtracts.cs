using Sarcostat.Import.Output;
using System.Globalization;
using System.Text;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// The second part of <c>--messy</c>, in the folder <c>extracts/</c>: the cohort as two hospitals really export it
/// (issue 10), with their mappings and an answer key of planted problems (docs/simulation.md, "Messy extracts").
/// </summary>
/// <remarks>
/// <para><c>registry.csv</c> (source <c>registry</c>): <c>;</c> separator, dates dd.MM.yyyy, one row per patient with
/// wide repeated operation columns (<c>Op date 1</c>, <c>Op approach 1</c>, <c>Op side 1</c>, ...), codes in mixed
/// case and with spaces, sizes typed with their unit (<c>2.3 cm</c>, <c>2.3cm</c>, <c>23 mm</c> in a cm column).</para>
/// <para><c>hospital.xlsx</c> (source <c>hospital</c>): sheets <c>codebook</c>, <c>patients</c>, <c>operations</c>
/// (the data are not on the first sheet), Excel dates, numeric codes for sex and status, the approach of the first
/// operation only on the patients sheet, complications blank for none.</para>
/// <para>Each patient of the cohort is in the registry only (40%), the workbook only (40%) or both (20%), agreeing
/// except where a conflict is planted. Three extra patients (not in the cohort, not in its truth) have carcinomas,
/// mapped to <c>not_sarcoma</c>. Planted problems, each on its own patient: a last contact after the extract date
/// (registry), a death after the extract date (workbook), a day/month swap that puts operation 2 before operation 1
/// (registry), a row exported twice (registry), and a conflict between the sources on the number of nodules.</para>
/// </remarks>
internal static class MessyExtracts
{
    /// <summary>The subfolder: a folder of its own, so that <c>validate DIR</c> of the messy folder reads only hospital_a and hospital_b.</summary>
    public const string Folder = "extracts";
    public const string RegistryCsv = "registry.csv";
    public const string RegistryYaml = "registry.yaml";
    public const string Workbook = "hospital.xlsx";
    public const string WorkbookYaml = "hospital.yaml";
    public const string AnswerKey = "answer_key.csv";
    public const string Layout = "layout.csv";
    public const string PatientsSheet = "patients";
    public const string OperationsSheet = "operations";

    private const string RegistryDate = "dd.MM.yyyy";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Registry column names (field -> header); fields not listed keep their names.</summary>
    private static readonly Dictionary<string, string> RegistryColumns = new(StringComparer.Ordinal)
    {
        ["study_id"] = "Patient ID",
        ["sex"] = "Sex",
        ["birth_date"] = "Date of birth",
        ["histology"] = "Histology",
        ["primary_site"] = "Primary site",
        ["primary_surgery_date"] = "Primary surgery",
        ["lung_met_date"] = "Lung metastasis",
        ["nodules"] = "Nodules",
        ["laterality"] = "Laterality",
        ["largest_nodule_mm"] = "Largest nodule (cm)",
        ["last_contact_date"] = "Last contact",
        ["vital_status"] = "Status",
        ["death_date"] = "Date of death",
        ["cause_of_death"] = "Cause of death",
    };

    /// <summary>The registry's repeated operation columns (template -> field).</summary>
    private static readonly (string Template, string Field)[] RegistryRepeat =
    [
        ("Op date {i}", "pm_date"),
        ("Op approach {i}", "approach"),
        ("Op side {i}", "side"),
        ("Op resection {i}", "resection"),
        ("Op margin {i}", "margin"),
    ];

    /// <summary>Workbook patients-sheet names (field -> header).</summary>
    private static readonly Dictionary<string, string> WorkbookColumns = new(StringComparer.Ordinal)
    {
        ["study_id"] = "Study ID",
        ["sex"] = "Sex",
        ["birth_date"] = "Birth date",
        ["histology"] = "Diagnosis",
        ["primary_surgery_date"] = "Date of primary surgery",
        ["lung_met_date"] = "Date of lung metastasis",
        ["nodules"] = "Number of nodules",
        ["largest_nodule_mm"] = "Largest nodule (mm)",
        ["last_contact_date"] = "Last follow-up",
        ["vital_status"] = "Status",
        ["death_date"] = "Date of death",
    };

    /// <summary>Workbook operations-sheet names (field -> header); the approach is on the patients sheet only.</summary>
    private static readonly Dictionary<string, string> OperationColumns = new(StringComparer.Ordinal)
    {
        ["study_id"] = "Study ID",
        ["pm_date"] = "Date of surgery",
        ["side"] = "Side",
        ["resection"] = "Resection",
        ["anaesthesia"] = "Anaesthesia",
        ["nodules_resected"] = "Nodules resected",
        ["complete_resection"] = "Complete resection",
        ["margin"] = "Margin",
        ["hospital_stay_days"] = "Hospital stay (days)",
        ["icu_stay_days"] = "ICU stay (days)",
        ["clavien_dindo"] = "Clavien-Dindo",
        ["complication"] = "Complications",
        ["mortality_30d"] = "30-day mortality",
    };

    private const string FirstApproach = "Approach (first PM)";

    private static readonly string[] RegistryCarcinomas = ["Adenocarcinoma", "Squamous cell carcinoma"];
    private const string WorkbookCarcinoma = "Renal cell carcinoma";

    private sealed record Entry(Patient Patient, string? Carcinoma);

    /// <summary>The files (paths relative to the output folder) and the answer key.</summary>
    public static (List<(string Name, byte[] Content)> Files, List<PlantedProblem> Key) Render(SimulatedCohort cohort, int seed)
    {
        var spec = cohort.Spec;
        var patients = cohort.Patients;
        int n = patients.Count;
        var random = new Random(unchecked(seed ^ 0x45585452)); // "EXTR": a stream apart from the cohort's and hospital_a/b's
        var extract = spec.DataCutoff;

        // 1. Sources per patient: 0 = registry only, 1 = workbook only, 2 = both.
        var group = new int[n];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            group[i] = u < 0.4 ? 0 : u < 0.8 ? 1 : 2;
        }

        // 2. Planted patients, distinct, in a seeded random order; they override the group.
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        var taken = new HashSet<int>();
        int? Pick(Func<Patient, bool> fits)
        {
            foreach (int i in order)
            {
                if (!taken.Contains(i) && fits(patients[i]))
                {
                    taken.Add(i);
                    return i;
                }
            }

            return null;
        }

        int? swap = Pick(p => Swapped(p, extract) is { Operation: 2 }) ?? Pick(p => Swapped(p, extract) is not null);
        int? futureContact = Pick(p => p.VitalStatus == Codes.VitalStatus.Alive && p.LastContactDate is { } d && Future(d, extract) is not null);
        int? futureDeath = Pick(p => p.VitalStatus == Codes.VitalStatus.Dead && p.DeathDate is { } d && Future(d, extract) is not null);
        int? conflict = Pick(p => p.Nodules is not null);
        int? duplicate = Pick(_ => true);
        foreach (var i in new[] { swap, futureContact, duplicate })
        {
            if (i is int k)
            {
                group[k] = 0;
            }
        }

        if (futureDeath is int fd)
        {
            group[fd] = 1;
        }

        if (conflict is int c)
        {
            group[c] = 2;
        }

        // 3. Three patients who are not in the cohort: carcinomas, kept and excluded by the protocol's not-a-sarcoma step.
        int width = patients.Count == 0 ? 4 : patients[0].StudyId.Length - spec.StudyIdPrefix.Length - 1;
        var extra = CohortSimulator.Simulate(spec, 3, unchecked((seed * 7919) + 17)).Patients
            .Select((p, k) => p with { StudyId = spec.StudyIdPrefix + "-" + (n + k + 1).ToString(Inv).PadLeft(width, '0'), Histology = Codes.Histology.NotSarcoma })
            .ToList();

        var registry = new List<Entry>();
        var workbook = new List<Entry>();
        for (int i = 0; i < n; i++)
        {
            if (group[i] is 0 or 2)
            {
                registry.Add(new Entry(patients[i], null));
            }

            if (group[i] is 1 or 2)
            {
                workbook.Add(new Entry(patients[i], null));
            }
        }

        registry.Add(new Entry(extra[0], RegistryCarcinomas[0]));
        registry.Add(new Entry(extra[1], RegistryCarcinomas[1]));
        workbook.Add(new Entry(extra[2], WorkbookCarcinoma));
        var registryOrder = registry.ToArray();
        random.Shuffle(registryOrder);
        var workbookOrder = workbook.ToArray();
        random.Shuffle(workbookOrder);

        var key = new List<PlantedProblem>();
        var registryFiles = RenderRegistry(cohort, seed, registryOrder, random, extract, swap is int s ? patients[s] : null,
            futureContact is int f ? patients[f] : null, duplicate is int dup ? patients[dup] : null, conflict is int cr ? patients[cr] : null, key);
        var workbookFiles = RenderWorkbook(cohort, seed, workbookOrder, extract, futureDeath is int d2 ? patients[d2] : null,
            conflict is int cw ? patients[cw] : null, key);

        var ordered = key.OrderBy(k => k.File, StringComparer.Ordinal).ThenBy(k => k.Sheet, StringComparer.Ordinal).ThenBy(k => k.Row)
            .ThenBy(k => k.Column, StringComparer.Ordinal).ToList();
        var answerKey = CsvText.Table(
            ["file", "sheet", "row", "column", "rule", "severity", "study_id", "description", "amendment"],
            ordered.Select(k => (IReadOnlyList<string>)[k.File, k.Sheet ?? string.Empty, k.Row.ToString(Inv), k.Column, k.Rule ?? string.Empty, k.Severity, k.StudyId, k.Description, k.Amendment ?? string.Empty]));

        var inRegistry = registry.Select(e => e.Patient.StudyId).ToHashSet(StringComparer.Ordinal);
        var inWorkbook = workbook.Select(e => e.Patient.StudyId).ToHashSet(StringComparer.Ordinal);
        var layout = CsvText.Table(
            ["study_id", "registry", "hospital", "in_cohort", "not_sarcoma"],
            patients.Concat(extra).Select(p => (IReadOnlyList<string>)[
                p.StudyId,
                YesNo(inRegistry.Contains(p.StudyId)),
                YesNo(inWorkbook.Contains(p.StudyId)),
                YesNo(!extra.Contains(p)),
                YesNo(extra.Contains(p)),
            ]));

        var files = new List<(string, byte[])>();
        files.AddRange(registryFiles);
        files.AddRange(workbookFiles);
        files.Add((Path(AnswerKey), Utf8(answerKey)));
        files.Add((Path(Layout), Utf8(layout)));
        files.Add((Path("README.md"), Utf8(Readme(cohort, seed, ordered))));
        return (files, ordered);
    }

    private static string Path(string name) => Folder + "/" + name;

    private static byte[] Utf8(string text) => CsvText.Utf8NoBom.GetBytes(text);

    private static string YesNo(bool b) => b ? "yes" : "no";

    /// <summary>
    /// A day/month swap that puts operation 2 before operation 1: the second operation's date swapped to a date before
    /// the first (and not before the lung metastasis or primary surgery, so that only the order of the operations is
    /// wrong), or else the first operation's date swapped to a date after the second (and not after the last contact or
    /// the extract date). Null when neither date can be swapped so (a day above 12, or equal to the month).
    /// </summary>
    private static (int Operation, DateOnly Typed)? Swapped(Patient p, DateOnly extract)
    {
        if (p.Procedures.Count < 2)
        {
            return null;
        }

        var dates = p.Procedures.Select(m => m.Date).Order().ToList();
        var (first, second) = (dates[0], dates[1]);
        bool notBefore(DateOnly typed, DateOnly? d) => d is null || typed >= d;
        if (DaySwapped(second) is { } early && early < first
            && notBefore(early, p.LungMetastasisDate) && notBefore(early, p.PrimarySurgeryDate) && notBefore(early, p.BirthDate))
        {
            return (2, early);
        }

        if (DaySwapped(first) is { } late && late > second && late <= extract && (p.LastContactDate is not { } last || late <= last)
            && (dates.Count < 3 || late < dates[2]))
        {
            return (1, late);
        }

        return null;
    }

    /// <summary>The date with day and month swapped, when both are 12 or less and differ.</summary>
    private static DateOnly? DaySwapped(DateOnly d) =>
        d.Day <= 12 && d.Day != d.Month ? new DateOnly(d.Year, d.Day, d.Month) : null;

    /// <summary>A date typed with a wrong year that puts it after the extract date: the year's last two digits swapped (2015 -> 2051), else ten or a hundred years on.</summary>
    private static DateOnly? Future(DateOnly d, DateOnly extract)
    {
        int y = d.Year;
        int transposed = (y / 100 * 100) + (y % 10 * 10) + (y / 10 % 10);
        foreach (int year in new[] { transposed, y + 10, y + 20, y + 100 })
        {
            if (year is < 1 or > 9999 || (d.Month == 2 && d.Day == 29 && !DateTime.IsLeapYear(year)))
            {
                continue;
            }

            var typed = new DateOnly(year, d.Month, d.Day);
            if (typed > extract)
            {
                return typed;
            }
        }

        return null;
    }

    // ------------------------------------------------------------------ registry.csv

    private static List<(string, byte[])> RenderRegistry(
        SimulatedCohort cohort, int seed, Entry[] entries, Random random, DateOnly extract,
        Patient? swap, Patient? futureContact, Patient? duplicate, Patient? conflict, List<PlantedProblem> key)
    {
        var spec = cohort.Spec;
        var fields = SimulationWriter.PatientColumns(spec);
        var procedureFields = SimulationWriter.ProcedureColumns(spec);
        var repeat = RegistryRepeat.Where(r => procedureFields.Contains(r.Field)).ToList();
        int groups = Math.Max(3, entries.Max(e => e.Patient.Procedures.Count));
        var header = fields.Select(f => RegistryColumns.GetValueOrDefault(f, f)).ToList();
        for (int g = 1; g <= groups; g++)
        {
            header.AddRange(repeat.Select(r => Group(r.Template, g)));
        }

        string sizeHeader = RegistryColumns["largest_nodule_mm"];
        bool mmTyped = false;
        var rows = new List<(Patient Patient, string[] Cells)>();
        foreach (var e in entries)
        {
            var p = e.Patient;
            var cells = new List<string>();
            foreach (var f in fields)
            {
                object? v = f == "histology" && e.Carcinoma is { } carcinoma ? carcinoma : FieldAccess.Get(p, f);
                cells.Add(v switch
                {
                    null => string.Empty,
                    DateOnly d => d.ToString(RegistryDate, Inv),
                    double mm when f == "largest_nodule_mm" => Size(mm, random, ref mmTyped),
                    string code when f == "histology" && e.Carcinoma is not null => Mixed(code, random),
                    string code when MessySources.BCodes.TryGetValue(f, out var map) => Mixed(map[code], random),
                    string code when DataDictionary.Default[f].Type == FieldType.Code => Mixed(code, random),
                    bool b => Mixed(b ? "yes" : "no", random),
                    _ => CsvText.Format(v, RegistryDate),
                });
            }

            var operations = p.Procedures.OrderBy(m => m.Date).ToList();
            for (int g = 0; g < groups; g++)
            {
                foreach (var (_, field) in repeat)
                {
                    object? v = g < operations.Count ? FieldAccess.Get(operations[g], field) : null;
                    cells.Add(v switch
                    {
                        null => string.Empty,
                        DateOnly d => d.ToString(RegistryDate, Inv),
                        string code when MessySources.BCodes.TryGetValue(field, out var map) => Mixed(map[code], random),
                        string code => Mixed(code, random),
                        _ => CsvText.Format(v, RegistryDate),
                    });
                }
            }

            rows.Add((p, cells.ToArray()));
        }

        // The duplicate: the same row exported twice, a few rows later.
        if (duplicate is not null)
        {
            int at = rows.FindIndex(r => r.Patient == duplicate);
            int to = Math.Min(rows.Count, at + 1 + random.Next(1, 6));
            rows.Insert(to, (duplicate, (string[])rows[at].Cells.Clone()));
            key.Add(new PlantedProblem(RegistryCsv, null, to + 2, header[0], "duplicate-key", "error", duplicate.StudyId,
                string.Create(Inv, $"the patient's row exported twice (the same as row {at + 2})"),
                Flow(("kind", "drop"), ("file", RegistryCsv), ("row", (to + 2).ToString(Inv)), ("study_id", duplicate.StudyId),
                    ("reason", string.Create(Inv, $"exported twice (the same as row {at + 2})")))));
        }

        int RowOf(Patient p) => rows.FindIndex(r => r.Patient == p) + 2;
        int Col(string column) => header.IndexOf(column);

        if (futureContact is not null)
        {
            int row = RowOf(futureContact);
            var truth = futureContact.LastContactDate!.Value;
            var typed = Future(truth, extract)!.Value;
            string column = RegistryColumns["last_contact_date"];
            rows[row - 2].Cells[Col(column)] = typed.ToString(RegistryDate, Inv);
            key.Add(new PlantedProblem(RegistryCsv, null, row, column, "after-extract-date", "error", futureContact.StudyId,
                string.Create(Inv, $"last contact typed with the year {typed.Year} for {truth.Year}: after the extract date {extract:yyyy-MM-dd}"),
                Set(RegistryCsv, null, row, column, typed.ToString(RegistryDate, Inv), truth.ToString(RegistryDate, Inv), "year mistyped; last contact checked in the chart")));
        }

        if (swap is not null)
        {
            // The problem is reported on Op date 2 (the later group dated before the earlier one); the swapped cell is fixed.
            int row = RowOf(swap);
            var (operation, typed) = Swapped(swap, extract)!.Value;
            var truth = swap.Procedures.Select(m => m.Date).Order().ElementAt(operation - 1);
            string reported = Group(RegistryRepeat[0].Template, 2);
            string column = Group(RegistryRepeat[0].Template, operation);
            rows[row - 2].Cells[Col(column)] = typed.ToString(RegistryDate, Inv);
            key.Add(new PlantedProblem(RegistryCsv, null, row, reported, "procedure-order", "error", swap.StudyId,
                operation == 2
                    ? "day and month of operation 2 swapped, which puts it before operation 1"
                    : "day and month of operation 1 swapped, which puts it after operation 2 (reported on Op date 2; the amendment sets Op date 1)",
                Set(RegistryCsv, null, row, column, typed.ToString(RegistryDate, Inv), truth.ToString(RegistryDate, Inv), "day and month swapped; operation note checked")));
        }

        if (conflict is not null)
        {
            // The workbook (hospital, read first: its mapping sorts first) holds the wrong count; the registry is the later source.
            int row = RowOf(conflict);
            string column = RegistryColumns["nodules"];
            key.Add(new PlantedProblem(RegistryCsv, null, row, column, "conflict", "error", conflict.StudyId,
                string.Create(Inv, $"a patient in both sources with {conflict.Nodules + 1} nodules in the workbook and {conflict.Nodules} in the registry"),
                Flow(("kind", "resolve"), ("study_id", conflict.StudyId), ("field", "nodules"), ("source", "registry"),
                    ("reason", "the registry's count matches the operation notes"))));
        }

        foreach (var e in entries.Where(e => e.Carcinoma is not null))
        {
            key.Add(new PlantedProblem(RegistryCsv, null, RowOf(e.Patient), RegistryColumns["histology"], null, "none", e.Patient.StudyId,
                $"not a sarcoma ({e.Carcinoma}): mapped to not_sarcoma, so the patient is kept, counted and excluded by the protocol", null));
        }

        if (mmTyped)
        {
            key.Add(new PlantedProblem(RegistryCsv, null, 1, sizeHeader, "unit-converted", "warning", string.Empty,
                "sizes typed with their unit (2.3 cm, 2.3cm, 23 mm) in a cm column: each read in the unit typed, one note on the header for the cells typed in mm", null));
        }

        var csv = new StringBuilder();
        csv.Append(string.Join(';', header.Select(SemicolonCell))).Append('\n');
        foreach (var (_, cells) in rows)
        {
            csv.Append(string.Join(';', cells.Select(SemicolonCell))).Append('\n');
        }

        return
        [
            (Path(RegistryYaml), Utf8(RegistryMapping(cohort, seed, fields, repeat, groups))),
            (Path(RegistryCsv), Utf8(csv.ToString())),
        ];
    }

    private static string Group(string template, int i) => template.Replace("{i}", i.ToString(Inv), StringComparison.Ordinal);

    /// <summary>A size typed as a registry clerk types it: 2.3 cm, 2.3cm, 23 mm or 2.3 (the column's unit is cm).</summary>
    private static string Size(double mm, Random random, ref bool mmTyped)
    {
        string cm = (mm / 10).ToString("R", Inv);
        int kind = mmTyped ? random.Next(4) : 2; // the first size is typed in mm, so that every extract has a conversion
        if (kind == 2)
        {
            mmTyped = true;
        }

        return kind switch
        {
            0 => cm + " cm",
            1 => cm + "cm",
            2 => mm.ToString("R", Inv) + " mm",
            _ => cm,
        };
    }

    /// <summary>A code as typed by hand: as it is, upper case, lower case, or with a space before or after.</summary>
    private static string Mixed(string code, Random random) => random.Next(5) switch
    {
        0 => code,
        1 => code.ToUpperInvariant(),
        2 => code.ToLowerInvariant(),
        3 => code + " ",
        _ => " " + code,
    };

    private static string SemicolonCell(string s) =>
        s.AsSpan().IndexOfAny(";\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string RegistryMapping(SimulatedCohort cohort, int seed, IReadOnlyList<string> fields, List<(string Template, string Field)> repeat, int groups)
    {
        var sb = Header(cohort, seed, "a registry: one row per patient, ';', day-first dates, operations in repeated columns");
        sb.Append("source: registry\n");
        sb.Append("key: study_id\n");
        sb.Append("date_format: dd.MM.yyyy\n");
        sb.Append(Inv, $"extract_date: {cohort.Spec.DataCutoff:yyyy-MM-dd}\n");
        sb.Append("files:\n");
        sb.Append(Inv, $"  patients: {RegistryCsv}\n");
        sb.Append("columns:\n");
        foreach (var f in fields.Where(RegistryColumns.ContainsKey))
        {
            sb.Append(Inv, $"  {Quote(RegistryColumns[f])}: ");
            sb.Append(f == "largest_nodule_mm" ? "{field: largest_nodule_mm, unit: cm}" : f).Append('\n');
        }

        sb.Append("repeat:\n");
        sb.Append(Inv, $"  index: 1..{groups}\n");
        sb.Append("  columns:\n");
        foreach (var (template, field) in repeat)
        {
            sb.Append(Inv, $"    {Quote(template)}: {field}\n");
        }

        var used = new HashSet<string>(fields.Concat(repeat.Select(r => r.Field)), StringComparer.Ordinal);
        sb.Append("codes:\n");
        foreach (var (field, map) in MessySources.BCodes.Where(kv => used.Contains(kv.Key)))
        {
            var pairs = map.Select(kv => $"{Quote(kv.Value)}: {Quote(kv.Key)}");
            if (field == "histology")
            {
                pairs = pairs.Concat(RegistryCarcinomas.Select(c => $"{Quote(c)}: {Quote(Codes.Histology.NotSarcoma)}"));
            }

            sb.Append(Inv, $"  {field}: {{").Append(string.Join(", ", pairs)).Append("}\n");
        }

        sb.Append("missing: [\"\", \"NA\", \"-\"]\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ hospital.xlsx

    private static List<(string, byte[])> RenderWorkbook(
        SimulatedCohort cohort, int seed, Entry[] entries, DateOnly extract, Patient? futureDeath, Patient? conflict, List<PlantedProblem> key)
    {
        var spec = cohort.Spec;
        var fields = SimulationWriter.PatientColumns(spec);
        var operationFields = SimulationWriter.ProcedureColumns(spec).Where(f => f != "approach").ToList();
        var header = fields.Select(f => WorkbookColumns.GetValueOrDefault(f, f)).Append(FirstApproach).ToList();
        var rows = new List<IReadOnlyList<object?>> { header.Cast<object?>().ToList() };
        foreach (var e in entries)
        {
            var p = e.Patient;
            var cells = new List<object?>();
            foreach (var f in fields)
            {
                object? v = FieldAccess.Get(p, f);
                cells.Add(f switch
                {
                    "histology" when e.Carcinoma is { } carcinoma => carcinoma,
                    "histology" when v is string code => MessySources.BCodes["histology"][code],
                    "sex" when v is string code => code == "male" ? 1 : 2,
                    "vital_status" when v is string code => code == Codes.VitalStatus.Dead ? 1 : 0,
                    "nodules" when v is int k && p == conflict => k + 1,
                    _ => v,
                });
            }

            cells.Add(p.Procedures.OrderBy(m => m.Date).FirstOrDefault()?.Approach is { } approach ? MessySources.BCodes["approach"][approach] : null);
            rows.Add(cells);
        }

        int RowOf(Patient p) => Array.FindIndex(entries, e => e.Patient == p) + 2;

        if (futureDeath is not null)
        {
            int row = RowOf(futureDeath);
            var truth = futureDeath.DeathDate!.Value;
            var typed = Future(truth, extract)!.Value;
            string column = WorkbookColumns["death_date"];
            ((List<object?>)rows[row - 1])[header.IndexOf(column)] = typed;
            key.Add(new PlantedProblem(Workbook, PatientsSheet, row, column, "after-extract-date", "error", futureDeath.StudyId,
                string.Create(Inv, $"death date typed with the year {typed.Year} for {truth.Year}: after the extract date {extract:yyyy-MM-dd}"),
                Set(Workbook, PatientsSheet, row, column, typed.ToString("yyyy-MM-dd", Inv), truth.ToString("yyyy-MM-dd", Inv), "year mistyped; death certificate checked")));
        }

        foreach (var e in entries.Where(e => e.Carcinoma is not null))
        {
            key.Add(new PlantedProblem(Workbook, PatientsSheet, RowOf(e.Patient), WorkbookColumns["histology"], null, "none", e.Patient.StudyId,
                $"not a sarcoma ({e.Carcinoma}): mapped to not_sarcoma, so the patient is kept, counted and excluded by the protocol", null));
        }

        var operationHeader = operationFields.Select(f => OperationColumns.GetValueOrDefault(f, f)).ToList();
        var operations = new List<IReadOnlyList<object?>> { operationHeader.Cast<object?>().ToList() };
        foreach (var e in entries)
        {
            foreach (var m in e.Patient.Procedures.OrderBy(m => m.Date))
            {
                operations.Add(operationFields.Select(f => f switch
                {
                    "study_id" => e.Patient.StudyId,
                    "complication" when m.Complication == "none" => null, // the codebook: blank means none
                    _ => FieldAccess.Get(m, f),
                }).ToList());
            }
        }

        var codebook = new List<IReadOnlyList<object?>>
        {
            new List<object?> { "Column", "Value", "Meaning" },
            new List<object?> { "Sex", 1, "male" },
            new List<object?> { "Sex", 2, "female" },
            new List<object?> { "Status", 0, "alive at last follow-up" },
            new List<object?> { "Status", 1, "dead" },
            new List<object?> { "Diagnosis", "LMS, UPS, SS, ...", "histology abbreviations; carcinomas spelled out" },
            new List<object?> { "Approach (first PM)", "VATS, Thoracotomy, ...", "approach of the first metastasectomy only" },
            new List<object?> { "Complications", "(blank)", "no complication" },
            new List<object?> { "Dates", "dd.mm.yyyy", "Excel dates" },
        };

        var bytes = XlsxWriter.Build([("codebook", codebook), (PatientsSheet, rows), (OperationsSheet, operations)], "dd.mm.yyyy");
        return
        [
            (Path(WorkbookYaml), Utf8(WorkbookMapping(cohort, seed, fields, operationFields))),
            (Path(Workbook), bytes),
        ];
    }

    private static string WorkbookMapping(SimulatedCohort cohort, int seed, IReadOnlyList<string> fields, IReadOnlyList<string> operationFields)
    {
        var sb = Header(cohort, seed, "a hospital workbook: sheets codebook, patients, operations; Excel dates, numeric codes");
        sb.Append("source: hospital\n");
        sb.Append("key: study_id\n");
        sb.Append("date_format: yyyy-MM-dd        # dates typed as text (an amendment's new value); the sheets hold Excel dates\n");
        sb.Append(Inv, $"extract_date: {cohort.Spec.DataCutoff:yyyy-MM-dd}\n");
        sb.Append("files:\n");
        sb.Append(Inv, $"  patients: {{file: {Workbook}, sheet: {PatientsSheet}}}\n");
        sb.Append(Inv, $"  procedures: {{file: {Workbook}, sheet: {OperationsSheet}}}\n");
        sb.Append("columns:\n");
        foreach (var f in fields.Where(WorkbookColumns.ContainsKey))
        {
            sb.Append(Inv, $"  {Quote(WorkbookColumns[f])}: {f}\n");
        }

        sb.Append(Inv, $"  {Quote(FirstApproach)}: approach        # on the patients sheet only: the first operation's\n");
        foreach (var f in operationFields.Where(f => f != "study_id" && OperationColumns.ContainsKey(f)))
        {
            sb.Append(Inv, $"  {Quote(OperationColumns[f])}: ");
            sb.Append(f == "complication" ? "{field: complication, blank: none}        # the codebook: blank means none" : f).Append('\n');
        }

        sb.Append("codes:\n");
        sb.Append("  sex: {\"1\": male, \"2\": female}\n");
        sb.Append("  vital_status: {\"0\": alive, \"1\": dead}\n");
        var histology = MessySources.BCodes["histology"].Select(kv => $"{Quote(kv.Value)}: {Quote(kv.Key)}")
            .Append($"{Quote(WorkbookCarcinoma)}: {Quote(Codes.Histology.NotSarcoma)}");
        sb.Append("  histology: {").Append(string.Join(", ", histology)).Append("}\n");
        var approach = MessySources.BCodes["approach"].Select(kv => $"{Quote(kv.Value)}: {Quote(kv.Key)}");
        sb.Append("  approach: {").Append(string.Join(", ", approach)).Append("}\n");
        sb.Append("missing: [\"\", \"NA\", \"-\"]\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ shared

    private static string Set(string file, string? sheet, int row, string column, string old, string @new, string reason)
    {
        var pairs = new List<(string, string)> { ("kind", "set"), ("file", file) };
        if (sheet is not null)
        {
            pairs.Add(("sheet", sheet));
        }

        pairs.AddRange([("row", row.ToString(Inv)), ("column", column), ("old", old), ("new", @new), ("reason", reason)]);
        return Flow([.. pairs]);
    }

    /// <summary>A YAML flow mapping; every value but a row number quoted.</summary>
    private static string Flow(params (string Key, string Value)[] pairs) =>
        "{" + string.Join(", ", pairs.Select(p => p.Key == "row" ? $"{p.Key}: {p.Value}" : $"{p.Key}: {Quote(p.Value)}")) + "}";

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static StringBuilder Header(SimulatedCohort cohort, int seed, string what)
    {
        var sb = new StringBuilder();
        sb.Append(Inv,
            $"# SYNTHETIC source database ({what}).\n# sarcostat simulate --like {cohort.Spec.Name} --n {cohort.Patients.Count} --seed {cohort.Seed} --messy (layout seed {seed}). Not real patients.\n");
        return sb;
    }

    private static string Readme(SimulatedCohort cohort, int seed, IReadOnlyList<PlantedProblem> key)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"# SYNTHETIC hospital extracts like {cohort.Spec.Name}\n\n");
        sb.Append("**SYNTHETIC DATA: no row in this folder describes a real person.**\n\n");
        sb.Append(Inv, $"The cohort of `sarcostat simulate --like {cohort.Spec.Name} --n {cohort.Patients.Count} --seed {cohort.Seed} --messy` (layout seed {seed}) as two hospitals export it:\n\n");
        sb.Append("- `registry.csv` + `registry.yaml`: a registry, one row per patient, `;` separator, dates dd.MM.yyyy, operations in repeated columns (`Op date 1`, `Op approach 1`, ...), codes in mixed case, sizes typed with their unit.\n");
        sb.Append("- `hospital.xlsx` + `hospital.yaml`: a workbook with sheets `codebook`, `patients`, `operations` (the mapping names the sheets), Excel dates, numeric codes, the approach of the first operation on the patients sheet only, blank complications meaning none.\n");
        sb.Append("- `answer_key.csv`: every planted problem (file, sheet, row, column, rule) with the amendment that resolves it, and what is planted but no problem.\n");
        sb.Append("- `layout.csv`: which patient is in which source, and which are not in the cohort (carcinomas).\n\n");
        sb.Append("Walkthrough: docs/import.md, \"From two messy extracts to the report\". Start with `sarcostat validate <this folder>`.\n\n");
        sb.Append("Planted:\n\n");
        foreach (var k in key)
        {
            sb.Append(Inv, $"- {k.Location} row {k.Row}, column \"{k.Column}\"{(k.StudyId.Length > 0 ? $" ({k.StudyId})" : string.Empty)}: {(k.Rule is null ? "no problem" : $"`{k.Rule}` ({k.Severity})")}: {k.Description}\n");
        }

        return sb.ToString();
    }
}
