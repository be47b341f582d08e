using System.Globalization;
using Sarcostat.Cohort;

namespace Sarcostat.Study.Tests;

/// <summary>
/// Seeded synthetic cohorts built field by field with <see cref="FieldAccess.BuildPatient"/>: every field the shipped
/// protocols read, survival depending on DFI, nodules and margin, some values missing, a few patients that the
/// selection steps exclude. The same seed gives the same cohort.
/// </summary>
internal static class TestCohort
{
    private static readonly string[] Histologies =
    [
        "synovial_sarcoma", "ups", "liposarcoma_dedifferentiated", "liposarcoma_pleomorphic", "liposarcoma_myxoid",
        "myxofibrosarcoma", "leiomyosarcoma", "osteosarcoma", "angiosarcoma", "mpnst", "other",
    ];

    private static readonly string[] Sites = ["trunk_wall", "extremity", "trunk_wall", "extremity", "visceral", "retroperitoneum"];

    /// <param name="n">Number of patients.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="withCause">Record the cause of death (false: DSS has no cause-of-death data).</param>
    /// <param name="otherSites">Let some patients have primary sites the nakayama protocol excludes, or another hospital.</param>
    public static IReadOnlyList<Patient> Build(int n, int seed, bool withCause = true, bool otherSites = true)
    {
        var r = new Random(seed);
        var patients = new List<Patient>(n);
        var origin = new DateOnly(2008, 1, 1);
        for (int i = 0; i < n; i++)
        {
            var pm = origin.AddDays(r.Next(0, 12 * 365));
            bool synchronous = r.NextDouble() < 0.1;
            int dfiDays = synchronous ? 0 : (int)(r.NextDouble() < 0.35 ? r.Next(30, 365) : r.Next(365, 3000));
            var lungMet = pm.AddDays(-r.Next(14, 120));
            var primary = lungMet.AddDays(-dfiDays);
            int nodules = r.NextDouble() < 0.55 ? 1 : 2 + r.Next(0, 6);
            double largest = Math.Round(5 + r.NextDouble() * 40, 0);
            string margin = r.NextDouble() switch { < 0.85 => "R0", < 0.93 => "R1", < 0.96 => "R2", _ => "unknown" };
            bool dfiShort = dfiDays < 365;
            double rate = 0.012 * (dfiShort ? 2.5 : 1) * (nodules > 1 ? 1.6 : 1) * (margin is "R1" or "R2" ? 2.5 : 1) * (largest >= 20 ? 1.8 : 1);
            double eventMonths = -Math.Log(1 - r.NextDouble()) / rate;
            double censorMonths = 3 + r.NextDouble() * 120;
            bool dead = eventMonths <= censorMonths;
            double months = Math.Min(eventMonths, censorMonths);
            var end = pm.AddDays(Math.Max(1, (int)Math.Round(months * 30.4375)));
            string? cause = dead && withCause ? (r.NextDouble() < 0.85 ? "sarcoma" : r.NextDouble() < 0.5 ? "other" : "unknown") : null;
            DateOnly? recurrence = r.NextDouble() < 0.5 ? pm.AddDays((int)((end.DayNumber - pm.DayNumber) * r.NextDouble())) : null;
            var values = new Dictionary<string, object?>
            {
                ["study_id"] = "P" + (i + 1).ToString("000", CultureInfo.InvariantCulture),
                ["site"] = !otherSites || r.NextDouble() < 0.95 ? "NCCH" : "Other hospital",
                ["source"] = r.NextDouble() < 0.25 ? "C35" : "iMD",
                ["sex"] = r.NextDouble() < 0.55 ? "male" : "female",
                ["age_at_pm"] = Math.Round(20 + r.NextDouble() * 60, 1),
                ["ecog"] = r.NextDouble() switch { < 0.7 => 0, < 0.93 => 1, < 0.98 => 2, _ => 3 },
                ["smoking"] = r.NextDouble() switch { < 0.15 => "current", < 0.2 => "former", < 0.98 => "never", _ => null },
                ["diabetes"] = r.NextDouble() < 0.12,
                ["hypertension"] = r.NextDouble() < 0.25,
                ["other_cancer"] = r.NextDouble() < 0.07,
                ["histology"] = Histologies[r.Next(Histologies.Length)],
                ["tissue"] = "soft_tissue",
                ["primary_site"] = otherSites ? Sites[r.Next(Sites.Length)] : Sites[r.Next(4)],
                ["primary_size_cm"] = Math.Round(2 + r.NextDouble() * 15, 1),
                ["primary_surgery_date"] = primary,
                ["local_recurrence_at_pm"] = r.NextDouble() < 0.35,
                ["lung_met_date"] = lungMet,
                ["synchronous"] = synchronous,
                ["nodules"] = nodules,
                ["laterality"] = r.NextDouble() < 0.8 ? "unilateral" : "bilateral",
                ["largest_nodule_mm"] = r.NextDouble() < 0.03 ? null : largest,
                ["chemotherapy"] = r.NextDouble() switch { < 0.65 => "none", < 0.9 => "pre", < 0.95 => "post", _ => "both" },
                ["last_contact_date"] = end,
                ["vital_status"] = dead ? "dead" : "alive",
                ["death_date"] = dead ? end : null,
                ["cause_of_death"] = cause,
                ["recurrence_date"] = recurrence,
                ["progression_date"] = recurrence,
            };
            var procedure = FieldAccess.BuildMetastasectomy(
                new Dictionary<string, object?>
                {
                    ["pm_date"] = pm,
                    ["approach"] = r.NextDouble() switch { < 0.5 => "vats", < 0.8 => "uniportal_vats", < 0.98 => "thoracotomy", _ => "sternotomy" },
                    ["resection"] = r.NextDouble() switch { < 0.75 => "wedge", < 0.85 => "segmentectomy", < 0.98 => "lobectomy", _ => "bilobectomy" },
                    ["margin"] = margin,
                    ["complete_resection"] = r.NextDouble() < 0.6,
                    ["hospital_stay_days"] = 2 + r.Next(0, 20),
                    ["icu_stay_days"] = r.NextDouble() < 0.7 ? 0.0 : 1.0 + r.Next(0, 5),
                    ["anaesthesia"] = r.NextDouble() < 0.1 ? "non_intubated" : "intubated",
                    ["clavien_dindo"] = r.NextDouble() switch { < 0.9 => "none", < 0.95 => "II", _ => "IIIa" },
                    ["complication"] = r.NextDouble() switch { < 0.9 => "none", < 0.95 => "prolonged_air_leak", _ => "shock" },
                    ["mortality_30d"] = false,
                },
                null);
            patients.Add(FieldAccess.BuildPatient(values, [procedure], new Dictionary<string, SourceLocation>()));
        }

        return patients;
    }
}
