using System.Globalization;
using System.Text;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// The <c>--messy</c> layout: the cohort split over two source databases with overlapping patients, and one planted
/// data-entry error of each kind, each giving exactly one ERROR under the validation rules (docs/simulation.md,
/// "Messy output"). Everything else must validate without error.
/// </summary>
/// <remarks>
/// Sources: hospital_a (dictionary names and codes, dd/MM/yyyy) and hospital_b (own column names and codes, sizes in
/// cm, yyyy/MM/dd). Each patient is in A only (35%), B only (45%) or both (20%); a patient in both has agreeing patient
/// rows in both, and its procedures in A only (so no procedure is listed twice). Planted errors, on distinct patients:
/// not-a-date (birth date written month-first with a day &gt; 12, in A), unknown-code (histology typed differently, in
/// A), death-before-pm (a death date a year too early, in A), not-a-number (text in largest_nodule_mm, in A) and
/// conflict (nodules differing in B for a patient in both).
/// </remarks>
internal static class MessySources
{
    public const string APatients = "hospital_a_patients.csv";
    public const string AProcedures = "hospital_a_procedures.csv";
    public const string BPatients = "hospital_b_patients.csv";
    public const string BProcedures = "hospital_b_procedures.csv";

    /// <summary>Hospital B's column names (dictionary field -> source column); fields not listed keep their names.</summary>
    public static readonly IReadOnlyDictionary<string, string> BPatientColumns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["study_id"] = "Study No",
        ["sex"] = "Gender",
        ["birth_date"] = "Date of birth",
        ["histology"] = "Diagnosis",
        ["primary_site"] = "Primary site",
        ["primary_surgery_date"] = "Primary surgery date",
        ["lung_met_date"] = "Lung metastasis date",
        ["laterality"] = "Distribution",
        ["largest_nodule_mm"] = "Largest nodule (cm)",
        ["last_contact_date"] = "Last follow-up",
        ["vital_status"] = "Status",
        ["death_date"] = "Date of death",
        ["cause_of_death"] = "Cause of death",
    };

    /// <summary>Hospital B's procedure columns.</summary>
    public static readonly IReadOnlyDictionary<string, string> BProcedureColumns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["study_id"] = "Study No",
        ["pm_date"] = "Operation date",
        ["approach"] = "Surgical approach",
        ["resection"] = "Resection type",
    };

    // Fields hospital B stores as the dictionary's display labels; declared before BCodes, which reads it.
    private static readonly string[] LabelledFields = ["primary_site", "laterality", "vital_status", "cause_of_death", "approach", "resection"];

    /// <summary>Hospital B's codes (field -> dictionary code -> source value), complete for every code of each field.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> BCodes { get; } = BuildBCodes();

    public static (IReadOnlyList<(string Name, string Content)> Files, IReadOnlyList<PlantedError> Planted) Render(SimulatedCohort cohort, int seed)
    {
        var spec = cohort.Spec;
        var patients = cohort.Patients;
        var random = new Random(unchecked(seed ^ 0x4D455353)); // "MESS": a stream apart from the cohort's
        int n = patients.Count;

        // 1. Sources per patient: 0 = A only, 1 = B only, 2 = both.
        var group = new int[n];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            group[i] = u < 0.35 ? 0 : u < 0.80 ? 1 : 2;
        }

        // 2. Planted patients, distinct, in a seeded random order; they override the group.
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        var taken = new HashSet<int>();
        int Pick(Func<Patient, bool> preferred, Func<Patient, bool> acceptable)
        {
            foreach (var filter in new[] { preferred, acceptable })
            {
                foreach (int i in order)
                {
                    if (!taken.Contains(i) && filter(patients[i]))
                    {
                        taken.Add(i);
                        return i;
                    }
                }
            }

            throw new InvalidOperationException("No patient can carry this planted error.");
        }

        int conflict = Pick(p => p.Nodules is not null, p => p.Nodules is not null);
        int typo = Pick(p => p.Histology == "leiomyosarcoma", p => p.Histology is not null);
        int death = Pick(p => p.VitalStatus == Codes.VitalStatus.Dead, p => p.FirstMetastasectomyDate is not null);
        int swapped = Pick(p => p.BirthDate is { Day: > 12 }, p => p.BirthDate is { Day: > 12 });
        int text = Pick(p => p.LargestNoduleMm is not null, p => p.LargestNoduleMm is not null);
        group[conflict] = 2;
        foreach (int i in new[] { typo, death, swapped, text })
        {
            group[i] = 0;
        }

        var aIndex = Enumerable.Range(0, n).Where(i => group[i] is 0 or 2).ToList();
        var bIndex = Enumerable.Range(0, n).Where(i => group[i] is 1 or 2).ToArray();
        random.Shuffle(bIndex); // B lists its patients in its own order

        // 3. Hospital A: canonical columns and codes, dd/MM/yyyy.
        var columns = SimulationWriter.PatientColumns(spec);
        var procedureColumns = SimulationWriter.ProcedureColumns(spec);
        var aRows = aIndex.Select(i => SimulationWriter.PatientCells(patients[i], columns, SimulationWriter.HospitalADate)).ToList();
        var planted = new List<PlantedError>();
        int Col(string field) => IndexOf(columns, field);
        int RowOfA(int i) => aIndex.IndexOf(i) + 2;

        {
            var p = patients[swapped];
            aRows[aIndex.IndexOf(swapped)][Col("birth_date")] = p.BirthDate!.Value.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
            planted.Add(new PlantedError(APatients, RowOfA(swapped), "birth_date", "not-a-date", p.StudyId,
                "date of birth typed month-first (MM/dd/yyyy) in a dd/MM/yyyy source; the day is above 12, so it cannot be read"));
        }

        {
            var p = patients[typo];
            string label = DataDictionary.Default["histology"].Label(p.Histology!) ?? p.Histology!;
            aRows[aIndex.IndexOf(typo)][Col("histology")] = label[..^1];
            planted.Add(new PlantedError(APatients, RowOfA(typo), "histology", "unknown-code", p.StudyId,
                $"histology typed as its label without the last letter instead of the code '{p.Histology}'"));
        }

        {
            var p = patients[death];
            var pm = p.FirstMetastasectomyDate!.Value;
            var recorded = p.DeathDate ?? pm;
            int year = pm.Year - 1;
            var wrong = new DateOnly(year, recorded.Month, Math.Min(recorded.Day, DateTime.DaysInMonth(year, recorded.Month)));
            var row = aRows[aIndex.IndexOf(death)];
            row[Col("death_date")] = wrong.ToString(SimulationWriter.HospitalADate, CultureInfo.InvariantCulture);
            string what = "death date typed with the year before the first metastasectomy";
            if (p.VitalStatus != Codes.VitalStatus.Dead)
            {
                row[Col("vital_status")] = Codes.VitalStatus.Dead; // no dead patient to choose: record a death, dated wrongly
                what += " (vital status set to dead as well)";
            }

            planted.Add(new PlantedError(APatients, RowOfA(death), "death_date", "death-before-pm", p.StudyId, what));
        }

        {
            var p = patients[text];
            aRows[aIndex.IndexOf(text)][Col("largest_nodule_mm")] = "see CT report";
            planted.Add(new PlantedError(APatients, RowOfA(text), "largest_nodule_mm", "not-a-number", p.StudyId,
                "text instead of a number in the size of the largest nodule"));
        }

        var aProcedures = aIndex.SelectMany(i => SimulationWriter.ProcedureCells(patients[i], procedureColumns, SimulationWriter.HospitalADate));

        // 4. Hospital B: own names, codes and units, yyyy/MM/dd; procedures only for patients not in A.
        var bHeader = columns.Select(f => BPatientColumns.TryGetValue(f, out var c) ? c : f).ToList();
        var bRows = bIndex.Select(i => BPatientCells(patients[i], columns)).ToList();
        {
            var p = patients[conflict];
            int nodules = p.Nodules!.Value;
            int other = nodules < 200 ? nodules + 1 : nodules - 1;
            int bRow = Array.IndexOf(bIndex, conflict);
            bRows[bRow][IndexOf(columns, "nodules")] = other.ToString(CultureInfo.InvariantCulture);
            planted.Add(new PlantedError(BPatients, bRow + 2, bHeader[IndexOf(columns, "nodules")], "conflict", p.StudyId,
                string.Create(CultureInfo.InvariantCulture, $"a patient in both sources with {other} nodules in hospital B and {nodules} in hospital A (row {RowOfA(conflict)})")));
        }

        var bProcedureHeader = procedureColumns.Select(f => BProcedureColumns.TryGetValue(f, out var c) ? c : f).ToList();
        var bProcedures = bIndex.Where(i => group[i] == 1).SelectMany(i => BProcedureCells(patients[i], procedureColumns));

        planted = planted.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Row).ToList();

        var manifest = CsvText.Table(["file", "row", "column", "rule"],
            planted.Select(e => (IReadOnlyList<string>)[e.File, e.Row.ToString(CultureInfo.InvariantCulture), e.Column, e.Rule]));

        var files = new List<(string, string)>
        {
            ("hospital_a.yaml", AMapping(cohort, seed)),
            (APatients, CsvText.Table(columns, aRows)),
            (AProcedures, CsvText.Table(procedureColumns, aProcedures)),
            ("hospital_b.yaml", BMapping(cohort, seed, columns, procedureColumns)),
            (BPatients, CsvText.Table(bHeader, bRows)),
            (BProcedures, CsvText.Table(bProcedureHeader, bProcedures)),
            ("manifest.csv", manifest),
            ("README.md", SimulationWriter.Readme(cohort, messy: true, seed, planted)),
            ("truth.json", SimulationWriter.TruthJson(cohort.Truth)),
        };
        return (files, planted);
    }

    /// <summary>A patient row as hospital B writes it: its codes, sizes in cm, its date format.</summary>
    private static string[] BPatientCells(Patient p, IReadOnlyList<string> fields) => fields.Select(f =>
    {
        object? v = FieldAccess.Get(p, f);
        return v switch
        {
            null => string.Empty,
            string code when BCodes.TryGetValue(f, out var map) => map[code],
            double mm when f == "largest_nodule_mm" => (mm / 10).ToString("R", CultureInfo.InvariantCulture),
            _ => CsvText.Format(v, SimulationWriter.HospitalBDate),
        };
    }).ToArray();

    private static IEnumerable<string[]> BProcedureCells(Patient p, IReadOnlyList<string> columns) =>
        p.Procedures.OrderBy(m => m.Date).Select(m => columns.Select(c =>
        {
            if (c == "study_id")
            {
                return p.StudyId;
            }

            object? v = FieldAccess.Get(m, c);
            return v is string code && BCodes.TryGetValue(c, out var map) ? map[code] : CsvText.Format(v, SimulationWriter.HospitalBDate);
        }).ToArray());

    private static string AMapping(SimulatedCohort cohort, int seed)
    {
        var sb = Header(cohort, seed, "hospital A: dictionary column names and codes, dates day-first");
        sb.Append("source: hospital_a\n");
        sb.Append("key: study_id\n");
        sb.Append("date_format: dd/MM/yyyy\n");
        sb.Append("files:\n");
        sb.Append(CultureInfo.InvariantCulture, $"  patients: {APatients}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  procedures: {AProcedures}\n");
        sb.Append("missing: [\"\", \"NA\", \"-\"]\n");
        return sb.ToString();
    }

    private static string BMapping(SimulatedCohort cohort, int seed, IReadOnlyList<string> columns, IReadOnlyList<string> procedureColumns)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = Header(cohort, seed, "hospital B: its own column names and codes, sizes in cm, dates year-first");
        sb.Append("source: hospital_b\n");
        sb.Append("key: study_id\n");
        sb.Append("date_format: yyyy/MM/dd\n");
        sb.Append("files:\n");
        sb.Append(inv, $"  patients: {BPatients}\n");
        sb.Append(inv, $"  procedures: {BProcedures}\n");
        sb.Append("columns:\n");
        foreach (var f in columns.Where(BPatientColumns.ContainsKey))
        {
            sb.Append(inv, $"  {Quote(BPatientColumns[f])}: ");
            sb.Append(f == "largest_nodule_mm" ? "{field: largest_nodule_mm, unit: cm}" : f).Append('\n');
        }

        foreach (var f in procedureColumns.Where(f => f != "study_id" && BProcedureColumns.ContainsKey(f)))
        {
            sb.Append(inv, $"  {Quote(BProcedureColumns[f])}: {f}\n");
        }

        sb.Append("codes:\n");
        var used = new HashSet<string>(columns.Concat(procedureColumns), StringComparer.Ordinal);
        foreach (var (field, map) in BCodes.Where(kv => used.Contains(kv.Key)))
        {
            sb.Append(inv, $"  {field}: {{");
            sb.Append(string.Join(", ", map.Select(kv => $"{Quote(kv.Value)}: {Quote(kv.Key)}")));
            sb.Append("}\n");
        }

        sb.Append("missing: [\"\", \"NA\", \"-\"]\n");
        return sb.ToString();
    }

    private static StringBuilder Header(SimulatedCohort cohort, int seed, string what)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"# SYNTHETIC source database ({what}).\n# sarcostat simulate --like {cohort.Spec.Name} --n {cohort.Patients.Count} --seed {cohort.Seed} --messy (layout seed {seed}). Not real patients.\n");
        return sb;
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Column '{item}' is not written for this spec.");
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> BuildBCodes()
    {
        var d = DataDictionary.Default;
        var codes = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["sex"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["male"] = "M", ["female"] = "F" },
            ["histology"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["leiomyosarcoma"] = "LMS",
                ["ups"] = "UPS",
                ["synovial_sarcoma"] = "SS",
                ["myxofibrosarcoma"] = "MFS",
                ["liposarcoma_dedifferentiated"] = "DDLPS",
                ["liposarcoma_pleomorphic"] = "PLPS",
                ["liposarcoma_myxoid"] = "MLPS",
                ["liposarcoma_nos"] = "LPS",
                ["angiosarcoma"] = "AS",
                ["mpnst"] = "MPNST",
                ["dfsp"] = "DFSP-FS",
                ["epithelioid_sarcoma"] = "EpS",
                ["alveolar_soft_part_sarcoma"] = "ASPS",
                ["rhabdomyosarcoma"] = "RMS",
                ["fibrosarcoma"] = "FS",
                ["extraskeletal_osteosarcoma"] = "EOS",
                ["osteosarcoma"] = "OS",
                ["chondrosarcoma"] = "CS",
                ["ewing_sarcoma"] = "EWS",
                ["cic_rearranged_sarcoma"] = "CIC",
                ["bcor_altered_sarcoma"] = "BCOR",
                ["liposarcoma_well_differentiated"] = "WDLPS",
                ["liposarcoma_myxoid_pleomorphic"] = "MPLPS",
                ["solitary_fibrous_tumour_malignant"] = "SFT-M",
                ["low_grade_fibromyxoid_sarcoma"] = "LGFMS",
                ["sclerosing_epithelioid_fibrosarcoma"] = "SEF",
                ["tenosynovial_giant_cell_tumour_malignant"] = "TGCT-M",
                ["kaposi_sarcoma"] = "KS",
                ["epithelioid_haemangioendothelioma"] = "EHE",
                ["glomus_tumour_malignant"] = "GT-M",
                ["gist"] = "GIST",
                ["malignant_melanotic_nerve_sheath_tumour"] = "MMNST",
                ["granular_cell_tumour_malignant"] = "GCT-M",
                ["clear_cell_sarcoma"] = "CCS",
                ["extraskeletal_myxoid_chondrosarcoma"] = "EMC",
                ["desmoplastic_small_round_cell_tumour"] = "DSRCT",
                ["rhabdoid_tumour"] = "MRT",
                ["pecoma_malignant"] = "PEComa",
                ["intimal_sarcoma"] = "IS",
                ["ossifying_fibromyxoid_tumour_malignant"] = "OFMT-M",
                ["myoepithelial_carcinoma"] = "MEC",
                ["undifferentiated_sarcoma"] = "US",
                ["round_cell_sarcoma_ewsr1_non_ets"] = "EWSR1-non-ETS",
                ["chondrosarcoma_dedifferentiated"] = "DDCS",
                ["mesenchymal_chondrosarcoma"] = "MCS",
                ["clear_cell_chondrosarcoma"] = "CCCS",
                ["giant_cell_tumour_of_bone_malignant"] = "GCTB-M",
                ["chordoma"] = "CHOR",
                ["adamantinoma"] = "ADA",
                ["other"] = "Other sarcoma",
                ["not_sarcoma"] = "Not sarcoma",
            },
        };

        // Fields B stores as the dictionary's display labels ("Trunk wall", "Dead", "Uniportal VATS").
        foreach (var field in LabelledFields)
        {
            codes[field] = d[field].Codes.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        }

        return codes;
    }
}
