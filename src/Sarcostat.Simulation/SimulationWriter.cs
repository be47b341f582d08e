using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sarcostat.Files.Output;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// Writes a simulated cohort as a folder in the import format (see docs/simulation.md, "Output folder"):
/// clean = canonical patients.csv + procedures.csv + README.md + truth.json; messy = two source databases
/// (hospital_a, hospital_b) with their mappings, overlapping patients, planted errors and manifest.csv.
/// </summary>
public static class SimulationWriter
{
    /// <summary>The canonical date format.</summary>
    internal const string IsoDate = "yyyy-MM-dd";

    /// <summary>Hospital A's date format (its mapping's date_format).</summary>
    internal const string HospitalADate = "dd/MM/yyyy";

    /// <summary>Hospital B's date format (its mapping's date_format).</summary>
    internal const string HospitalBDate = "yyyy/MM/dd";

    /// <summary>Smallest cohort that can carry one of each planted error on distinct patients.</summary>
    public const int MinimumMessySize = 10;

    /// <summary>
    /// Writes the cohort into <paramref name="outDir"/> through <see cref="AtomicOutput.WriteFolder"/>: files are
    /// written into a temporary sibling folder first and moved into place at the end, so a failure leaves nothing
    /// behind; an existing non-empty folder is refused (nothing the user had is touched). The same cohort and seed give byte-identical files.
    /// </summary>
    /// <param name="cohort">The cohort (<see cref="CohortSimulator.Simulate"/>).</param>
    /// <param name="outDir">The output folder; must not exist or be empty.</param>
    /// <param name="messy">Write two source databases with planted errors and manifest.csv instead of clean canonical files, and in <c>extracts/</c> two hospital extracts (a registry CSV and a workbook) with their mappings and an answer key.</param>
    /// <param name="seed">Seed of the messy layout (which patients are in which source, where errors are planted).</param>
    /// <returns>The files written and the planted errors.</returns>
    /// <exception cref="ArgumentException">An empty folder name, or <paramref name="messy"/> with fewer than
    /// <see cref="MinimumMessySize"/> patients.</exception>
    /// <exception cref="IOException">The output folder exists and is not empty, or is a file; or writing failed.</exception>
    public static SimulationOutput Write(SimulatedCohort cohort, string outDir, bool messy, int seed) => Write(cohort, outDir, messy, seed, force: false);

    /// <summary>
    /// As <see cref="Write(SimulatedCohort, string, bool, int)"/>; with <paramref name="force"/> a non-empty folder is
    /// written into: files of the same names are replaced, every other file is kept.
    /// </summary>
    /// <exception cref="ArgumentException">An empty folder name, or too few patients for a messy cohort.</exception>
    /// <exception cref="IOException">(An <see cref="OutputException"/>.) The folder is refused, or writing failed; nothing was written.</exception>
    public static SimulationOutput Write(SimulatedCohort cohort, string outDir, bool messy, int seed, bool force)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        var options = new FolderOptions("simulation", ManifestName: null, Force: force);
        AtomicOutput.CheckFolder(outDir, options);
        var (files, planted) = Render(cohort, messy, seed);
        var extracts = messy ? MessyExtracts.Render(cohort, seed) : ([], []);
        var all = files.Select(f => (f.Name, Content: CsvText.Utf8NoBom.GetBytes(f.Content))).Concat(extracts.Files).ToList();
        var written = AtomicOutput.WriteFolder(outDir, temp =>
        {
            foreach (var (name, content) in all)
            {
                var path = Path.Combine(temp, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, content);
            }

            return all.Select(f => f.Name).ToList();
        }, options);
        return new SimulationOutput(written.Folder, all.Select(f => f.Name).ToList(), planted) { AnswerKey = extracts.Key };
    }

    /// <summary>The files (name, content) and planted errors, without touching the disk.</summary>
    internal static (IReadOnlyList<(string Name, string Content)> Files, IReadOnlyList<PlantedError> Planted) Render(SimulatedCohort cohort, bool messy, int seed)
    {
        if (!messy)
        {
            var spec = cohort.Spec;
            var patientColumns = PatientColumns(spec);
            var procedureColumns = ProcedureColumns(spec);
            var files = new List<(string, string)>
            {
                ("patients.csv", CsvText.Table(patientColumns, cohort.Patients.Select(p => PatientCells(p, patientColumns, IsoDate)))),
                ("procedures.csv", CsvText.Table(procedureColumns, cohort.Patients.SelectMany(p => ProcedureCells(p, procedureColumns, IsoDate)))),
                ("README.md", Readme(cohort, messy: false, seed, [])),
                ("truth.json", TruthJson(cohort.Truth)),
            };
            return (files, []);
        }

        if (cohort.Patients.Count < MinimumMessySize)
        {
            throw new ArgumentException(
                $"A messy cohort needs at least {MinimumMessySize} patients to plant each kind of error on a different patient; got {cohort.Patients.Count}.",
                nameof(cohort));
        }

        return MessySources.Render(cohort, seed);
    }

    /// <summary>Patient-table columns the spec fills (dictionary field names, model order).</summary>
    internal static IReadOnlyList<string> PatientColumns(SimulationSpec spec)
    {
        var skip = new HashSet<string>(StringComparer.Ordinal)
        {
            "site", "source", "age_at_pm", "grade", "primary_margin", "recist", "ctcae_grade", "progression_date",
        };
        void SkipIf(bool missing, params string[] fields)
        {
            if (missing)
            {
                skip.UnionWith(fields);
            }
        }

        SkipIf(spec.Ecog is null, "ecog");
        SkipIf(spec.Smoking is null, "smoking");
        SkipIf(spec.Comorbidities is null, "diabetes", "hypertension");
        SkipIf(spec.OtherCancer is null, "other_cancer", "comorbidity_note");
        SkipIf(spec.PrimarySizeCm is null, "primary_size_cm");
        SkipIf(spec.LocalRecurrenceAtPm is null, "local_recurrence_at_pm");
        SkipIf(spec.Chemotherapy is null, "chemotherapy");
        return FieldAccess.PatientFields.Where(f => !skip.Contains(f)).ToList();
    }

    /// <summary>Procedure-table columns: study_id, then the procedure fields the spec fills.</summary>
    internal static IReadOnlyList<string> ProcedureColumns(SimulationSpec spec)
    {
        var skip = new HashSet<string>(StringComparer.Ordinal);
        if (spec.NonIntubatedShare is null)
        {
            skip.Add("anaesthesia");
        }

        if (spec.IcuStayDays is null)
        {
            skip.Add("icu_stay_days");
        }

        return ["study_id", .. FieldAccess.MetastasectomyFields.Where(f => !skip.Contains(f))];
    }

    internal static string[] PatientCells(Patient p, IReadOnlyList<string> fields, string dateFormat) =>
        fields.Select(f => CsvText.Format(FieldAccess.Get(p, f), dateFormat)).ToArray();

    internal static IEnumerable<string[]> ProcedureCells(Patient p, IReadOnlyList<string> columns, string dateFormat) =>
        p.Procedures.OrderBy(m => m.Date).Select(m => columns
            .Select(c => c == "study_id" ? p.StudyId : CsvText.Format(FieldAccess.Get(m, c), dateFormat))
            .ToArray());

    internal static string Readme(SimulatedCohort cohort, bool messy, int seed, IReadOnlyList<PlantedError> planted)
    {
        var t = cohort.Truth;
        var inv = CultureInfo.InvariantCulture;
        int dead = cohort.Patients.Count(p => p.VitalStatus == Codes.VitalStatus.Dead);
        int procedures = cohort.Patients.Sum(p => p.Procedures.Count);
        string version = typeof(SimulationWriter).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        var sb = new StringBuilder();
        sb.Append(inv, $"# SYNTHETIC cohort like {t.Spec}\n\n");
        sb.Append("**SYNTHETIC DATA: no row in this folder describes a real person.** Every value was drawn by a computer program ")
          .Append("from distributions taken from a published paper; study ids, dates and outcomes are invented.\n\n");
        sb.Append(inv, $"- Generator: `sarcostat simulate --like {t.Spec} --n {t.Size} --seed {t.Seed}{(messy ? " --messy" : string.Empty)}` (Sarcostat {version})\n");
        sb.Append(inv, $"- Seed: {t.Seed}{(messy ? string.Create(inv, $" (messy layout seed {seed})") : string.Empty)}\n");
        sb.Append(inv, $"- Paper: {t.Paper}\n");
        sb.Append(inv, $"- Patients: {t.Size}; metastasectomies: {procedures}; deaths: {dead}; alive at last contact: {t.Size - dead}\n");
        sb.Append(inv, $"- Accrual (first metastasectomy): {t.AccrualStart:yyyy-MM-dd} to {t.AccrualEnd:yyyy-MM-dd}; data cut-off: {t.DataCutoff:yyyy-MM-dd}\n");
        sb.Append(inv, $"- Endpoint generated: {(t.Endpoint == SimulatedEndpoint.OverallSurvival ? "overall survival (death from any cause)" : "disease-specific survival (death from sarcoma; other deaths censored)")}, ");
        sb.Append(inv, $"Cox model with the paper's multivariate hazard ratios, Weibull baseline (shape {t.Baseline.Shape:0.####}, scale {t.Baseline.ScaleMonths:0.##} months) ");
        sb.Append(inv, $"tuned to a marginal survival of {t.Target.Survival:0.###} at {t.Target.Months:0.##} months");
        sb.Append(t.Target.MedianMonths is double m ? string.Create(inv, $" and a median of {m:0.##} months") : string.Empty).Append(".\n\n");

        sb.Append("| term | hazard ratio | source |\n|---|---|---|\n");
        foreach (var term in t.Terms)
        {
            sb.Append(inv, $"| {term.Term} ({term.Description}) | {term.HazardRatio} | {term.Source} |\n");
        }

        sb.Append("\n## Files\n\n");
        if (!messy)
        {
            sb.Append("- `patients.csv`: one row per patient, canonical format (dictionary field names and codes, ISO dates, yes/no).\n");
            sb.Append("- `procedures.csv`: one row per pulmonary metastasectomy.\n");
            sb.Append("- `truth.json`: the generating model (hazard ratios, baseline, censoring, seed).\n\n");
            sb.Append("Check it with `sarcostat validate <this folder>`: it reports no error.\n");
        }
        else
        {
            sb.Append("Two source databases, like paper 000's two hospital databases; some patients are in both.\n\n");
            sb.Append("- `hospital_a.yaml` + `hospital_a_patients.csv`, `hospital_a_procedures.csv`: dictionary column names and codes, dates dd/MM/yyyy.\n");
            sb.Append("- `hospital_b.yaml` + `hospital_b_patients.csv`, `hospital_b_procedures.csv`: its own column names and codes (Gender M/F, sizes in cm), dates yyyy/MM/dd.\n");
            sb.Append("- `manifest.csv`: the data-entry errors planted on purpose (file, row, column, rule): exactly the errors `sarcostat validate <this folder>` must report.\n");
            sb.Append("- `truth.json`: the generating model (hazard ratios, baseline, censoring, seed).\n\n");
            sb.Append("Planted errors:\n\n");
            foreach (var e in planted)
            {
                sb.Append(inv, $"- {e.File} row {e.Row}, column \"{e.Column}\" ({e.StudyId}): `{e.Rule}`: {e.Description}\n");
            }
        }

        return sb.ToString();
    }

    internal static string TruthJson(SimulationTruth t)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable "≥" and "<": the file is never embedded in HTML
        }))
        {
            w.WriteStartObject();
            w.WriteBoolean("synthetic", true);
            w.WriteString("generator", "sarcostat simulate");
            w.WriteString("spec", t.Spec);
            w.WriteString("paper", t.Paper);
            w.WriteNumber("seed", t.Seed);
            w.WriteNumber("n", t.Size);
            w.WriteString("endpoint", t.Endpoint == SimulatedEndpoint.OverallSurvival ? "overall_survival" : "disease_specific_survival");
            w.WriteString("time_scale", string.Create(CultureInfo.InvariantCulture, $"months from the first metastasectomy (days / {t.MonthDays})"));
            w.WriteStartObject("baseline");
            w.WriteString("distribution", "weibull");
            w.WriteString("cumulative_hazard", "H0(t) = (t / scale_months) ^ shape");
            w.WriteNumber("shape", t.Baseline.Shape);
            w.WriteNumber("scale_months", t.Baseline.ScaleMonths);
            w.WriteEndObject();
            w.WriteStartObject("target");
            w.WriteNumber("months", t.Target.Months);
            w.WriteNumber("survival", t.Target.Survival);
            if (t.Target.MedianMonths is double median)
            {
                w.WriteNumber("median_months", median);
            }
            else
            {
                w.WriteNull("median_months");
            }

            w.WriteEndObject();
            w.WriteStartArray("terms");
            foreach (var term in t.Terms)
            {
                w.WriteStartObject();
                w.WriteString("term", term.Term);
                w.WriteString("description", term.Description);
                w.WriteNumber("hazard_ratio", term.HazardRatio);
                w.WriteNumber("coef", term.Coef);
                w.WriteNumber("prevalence", term.Prevalence);
                w.WriteString("source", term.Source);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("censoring");
            w.WriteString("accrual_start", t.AccrualStart.ToString(IsoDate, CultureInfo.InvariantCulture));
            w.WriteString("accrual_end", t.AccrualEnd.ToString(IsoDate, CultureInfo.InvariantCulture));
            w.WriteString("data_cutoff", t.DataCutoff.ToString(IsoDate, CultureInfo.InvariantCulture));
            w.WriteNumber("loss_to_follow_up_per_year", t.LossToFollowUpPerYear);
            w.WriteEndObject();
            w.WriteStartObject("other_cause_deaths");
            w.WriteNumber("share_of_deaths_labelled_other", t.OtherCauseShareOfDeaths);
            w.WriteNumber("competing_five_year_risk", t.OtherCauseFiveYearRisk);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
