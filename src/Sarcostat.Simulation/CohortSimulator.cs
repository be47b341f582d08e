using System.Globalization;
using System.Runtime.CompilerServices;
using Sarcostat.Cohort;

namespace Sarcostat.Simulation;

/// <summary>
/// Generates a synthetic cohort like a published one (<see cref="SimulationSpec"/>): marginal distributions from the
/// paper's tables, survival from a Cox model with the paper's hazard ratios and a baseline tuned to its reported
/// survival, censoring from the accrual window, a data cut-off and loss to follow-up. Seeded: the same spec, size and
/// seed give the same cohort. See docs/simulation.md.
/// </summary>
public static class CohortSimulator
{
    private static readonly ConditionalWeakTable<SimulationSpec, WeibullBaseline> Baselines = new();

    /// <summary>
    /// Simulates <paramref name="n"/> patients.
    /// </summary>
    /// <remarks>
    /// Per patient, in a fixed order from one <see cref="Random"/>(seed): demographics, primary tumour, DFI (days;
    /// primary surgery = lung metastasis date − DFI), detection-to-PM delay, nodules, laterality, size, therapy, the date
    /// of the first PM (uniform over the accrual window), the procedures, then the event times by inversion,
    /// T = λ (−ln U / e^(x'β))^(1/k), with x computed from the drawn values exactly as an analysis computes it from the
    /// record. Follow-up ends at the first of: the event, the data cut-off, loss to follow-up (exponential), and for
    /// disease-specific survival a death from another cause (exponential). Times become whole days (ceil(months ×
    /// 30.4375)). Dates always satisfy birth &lt; primary surgery ≤ lung metastasis ≤ first PM ≤ every PM ≤ last contact
    /// ≤ cut-off, and death = last contact for the dead. Patients are ordered by first PM date and numbered in that order.
    /// </remarks>
    /// <param name="spec">The spec (<see cref="SimulationSpecs"/>).</param>
    /// <param name="n">Number of patients, ≥ 1.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <exception cref="ArgumentException">n &lt; 1, or an inconsistent spec (named in the message).</exception>
    public static SimulatedCohort Simulate(SimulationSpec spec, int n, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        Check(spec);
        double monthDays = DataDictionary.Default.MonthDays;
        var baseline = Baselines.GetValue(spec, s => BaselineCalibration.Calibrate(
            s.Terms.Select(t => (Prevalence(s, t, monthDays), t.Coef)).ToList(), s.Target));

        var random = new Random(seed);
        var drawn = new Draw[n];
        for (int i = 0; i < n; i++)
        {
            drawn[i] = DrawPatient(spec, baseline, random, monthDays);
        }

        // Study ids in order of the first metastasectomy; ties keep generation order (a stable sort).
        var order = Enumerable.Range(0, n).OrderBy(i => drawn[i].PmDate).ThenBy(i => i).ToArray();
        int width = Math.Max(4, n.ToString(CultureInfo.InvariantCulture).Length);
        var patients = new Patient[n];
        for (int k = 0; k < n; k++)
        {
            string id = spec.StudyIdPrefix + "-" + (k + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            patients[k] = Build(drawn[order[k]], id);
        }

        var truth = new SimulationTruth(
            spec.Name,
            spec.Paper,
            seed,
            n,
            spec.Endpoint,
            spec.Terms.Select(t => new TruthTerm(t.Name, t.Description, t.Source, t.HazardRatio, t.Coef, Prevalence(spec, t, monthDays))).ToList(),
            baseline,
            spec.Target,
            spec.AccrualStart,
            spec.AccrualEnd,
            spec.DataCutoff,
            spec.LossToFollowUpPerYear,
            spec.Endpoint == SimulatedEndpoint.OverallSurvival ? spec.OtherCauseShareOfDeaths : 0,
            spec.Endpoint == SimulatedEndpoint.DiseaseSpecificSurvival ? spec.OtherCauseFiveYearRisk : 0,
            monthDays);
        return new SimulatedCohort(spec, seed, patients, truth);
    }

    /// <summary>
    /// The value (0 or 1) of a term for a patient record, computed from the record as an analysis would (DFI from the
    /// dates, days / 30.4375; margin of the first metastasectomy); null when a needed field is missing.
    /// </summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public static double? TermValue(SimulationSpec spec, SimulatedTerm term, Patient patient)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(patient);
        static double? B(bool? b) => b is null ? null : b.Value ? 1 : 0;
        switch (term.Kind)
        {
            case TermKind.DfiAtLeastCut:
            case TermKind.DfiBelowCut:
                if (patient.LungMetastasisDate is not DateOnly met || patient.PrimarySurgeryDate is not DateOnly primary)
                {
                    return null;
                }

                double months = patient.Synchronous == true ? 0 : (met.DayNumber - primary.DayNumber) / DataDictionary.Default.MonthDays;
                bool below = months < spec.Dfi.CutMonths;
                return B(term.Kind == TermKind.DfiBelowCut ? below : !below);
            case TermKind.LocalRecurrence:
                return B(patient.LocalRecurrenceAtPm);
            case TermKind.MultipleNodules:
                return B(patient.Nodules is int k ? k >= 2 : null);
            case TermKind.LargestNoduleAtLeast:
                return B(patient.LargestNoduleMm is double mm ? mm >= term.Cut : null);
            case TermKind.NonCurativeResection:
                var margin = patient.FirstMetastasectomy?.Margin;
                return margin is null or Codes.Margin.Unknown ? null : B(margin is Codes.Margin.R1 or Codes.Margin.R2);
            case TermKind.Histology:
                return B(patient.Histology is null ? null : patient.Histology == term.Code);
            default:
                throw new ArgumentOutOfRangeException(nameof(term), term.Kind, "Unknown term kind.");
        }
    }

    /// <summary>P(term = 1) under the spec's marginal models.</summary>
    internal static double Prevalence(SimulationSpec spec, SimulatedTerm term, double monthDays) => term.Kind switch
    {
        TermKind.DfiBelowCut => spec.Dfi.ProbabilityBelowCut(monthDays),
        TermKind.DfiAtLeastCut => 1 - spec.Dfi.ProbabilityBelowCut(monthDays),
        TermKind.LocalRecurrence => spec.LocalRecurrenceAtPm!.Value,
        TermKind.MultipleNodules => 1 - spec.Nodules.SolitaryShare,
        TermKind.LargestNoduleAtLeast => spec.LargestNoduleMm.ProbabilityAtLeast(term.Cut!.Value),
        TermKind.NonCurativeResection => spec.Margin.Probability(m => m is Codes.Margin.R1 or Codes.Margin.R2),
        TermKind.Histology => spec.Histology.Probability(h => h == term.Code),
        _ => throw new ArgumentOutOfRangeException(nameof(term), term.Kind, "Unknown term kind."),
    };

    private static void Check(SimulationSpec spec)
    {
        void Fail(string what) => throw new ArgumentException($"Spec '{spec.Name}': {what}", nameof(spec));
        if (spec.AccrualStart > spec.AccrualEnd || spec.AccrualEnd > spec.DataCutoff)
        {
            Fail("accrual start <= accrual end <= data cut-off is required.");
        }

        if (spec.Terms.Count == 0 || spec.Terms.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != spec.Terms.Count)
        {
            Fail("the Cox model needs at least one term, with unique names.");
        }

        foreach (var t in spec.Terms)
        {
            if (!(t.HazardRatio > 0) || !double.IsFinite(t.HazardRatio))
            {
                Fail($"term '{t.Name}' needs a positive hazard ratio.");
            }

            bool ok = t.Kind switch
            {
                TermKind.LocalRecurrence => spec.LocalRecurrenceAtPm is not null,
                TermKind.LargestNoduleAtLeast => t.Cut is not null,
                TermKind.Histology => t.Code is not null,
                TermKind.NonCurativeResection => spec.Margin.Probability(m => m is null or Codes.Margin.Unknown) == 0,
                _ => true,
            };
            if (!ok)
            {
                Fail($"term '{t.Name}' ({t.Kind}) lacks what it needs (a model, a cut, a code, or a margin without missing values).");
            }
        }

        if (spec.BilateralShare > 1 - spec.Nodules.SolitaryShare + 1e-12)
        {
            Fail("only patients with multiple nodules can be bilateral: BilateralShare must not exceed 1 - SolitaryShare.");
        }

        if (spec.StagedGapDays.Min < 1 || spec.StagedGapDays.Max < spec.StagedGapDays.Min)
        {
            Fail("StagedGapDays needs 1 <= Min <= Max.");
        }

        if (!(spec.Target.Survival is > 0 and < 1) || !(spec.Target.Months > 0))
        {
            Fail("the target survival must lie in (0, 1) at a positive time.");
        }
    }

    private static Draw DrawPatient(SimulationSpec spec, WeibullBaseline baseline, Random r, double monthDays)
    {
        var d = new Draw
        {
            Sex = spec.Sex.Sample(r),
            AgeYears = spec.Age.Sample(r),
            Ecog = spec.Ecog?.Sample(r),
            Smoking = spec.Smoking?.Sample(r),
            Comorbidity = spec.Comorbidities?.Sample(r),
        };
        if (spec.OtherCancer is double pOther)
        {
            d.OtherCancer = r.NextDouble() < pOther;
            if (d.OtherCancer == true && spec.OtherCancerNotes.Count > 0)
            {
                d.ComorbidityNote = spec.OtherCancerNotes[r.Next(spec.OtherCancerNotes.Count)];
            }
        }

        d.Histology = spec.Histology.Sample(r);
        d.Tissue = spec.BoneHistologies.Contains(d.Histology) ? "bone" : "soft_tissue";
        d.PrimarySite = spec.PrimarySite.Sample(r);
        if (spec.PrimarySizeCm is LogNormal size)
        {
            d.PrimarySizeCm = Math.Round(size.SampleTruncated(r, 1, 40), 1, MidpointRounding.AwayFromZero);
        }

        if (spec.LocalRecurrenceAtPm is double pLr)
        {
            d.LocalRecurrence = r.NextDouble() < pLr;
        }

        d.DfiDays = spec.Dfi.SampleDays(r, monthDays, out bool synchronous);
        d.Synchronous = synchronous;
        d.DetectionDays = spec.DetectionToPmDays.Sample(r);
        d.Nodules = spec.Nodules.Sample(r);
        double pBilateralGivenMultiple = spec.BilateralShare / (1 - spec.Nodules.SolitaryShare);
        d.Bilateral = d.Nodules >= 2 && r.NextDouble() < pBilateralGivenMultiple;
        d.LargestMm = spec.LargestNoduleMm.Sample(r);
        d.Chemotherapy = spec.Chemotherapy?.Sample(r);

        int window = spec.AccrualEnd.DayNumber - spec.AccrualStart.DayNumber;
        d.PmDate = spec.AccrualStart.AddDays(r.Next(window + 1));
        d.BirthDate = d.PmDate.AddDays(-(int)Math.Round(d.AgeYears * 365.25, MidpointRounding.AwayFromZero));

        // Procedures: one, or two for a staged bilateral resection (the second only if before the end of follow-up).
        bool staged = d.Bilateral && r.NextDouble() < spec.StagedShareOfBilateral;
        string firstSide = r.NextDouble() < 0.5 ? "right" : "left";
        int gap = r.Next(spec.StagedGapDays.Min, spec.StagedGapDays.Max + 1);
        int firstShare = d.Nodules >= 2 ? r.Next(1, d.Nodules) : d.Nodules;
        d.First = DrawProcedure(spec, r, staged ? firstSide : d.Bilateral ? "bilateral" : firstSide, staged ? firstShare : d.Nodules);
        d.Second = staged ? DrawProcedure(spec, r, firstSide == "right" ? "left" : "right", d.Nodules - firstShare) : null;
        d.SecondGapDays = gap;

        // Survival. x is computed from the drawn values as TermValue computes it from the record.
        double lp = 0;
        foreach (var t in spec.Terms)
        {
            lp += t.Coef * TermOf(t, d, spec, monthDays);
        }

        double eventMonths = baseline.SampleMonths(r, lp);
        double otherMonths = spec.Endpoint == SimulatedEndpoint.DiseaseSpecificSurvival && spec.OtherCauseFiveYearRisk > 0
            ? Exponential(r, -Math.Log(1 - spec.OtherCauseFiveYearRisk) / 60)
            : double.PositiveInfinity;
        double lossMonths = spec.LossToFollowUpPerYear > 0 ? Exponential(r, -Math.Log(1 - spec.LossToFollowUpPerYear) / 12) : double.PositiveInfinity;
        double recurrenceMonths = baseline.SampleMonths(r, lp + Math.Log(spec.RecurrenceHazardMultiple));
        double recurrenceFraction = 0.3 + 0.6 * r.NextDouble();
        bool labelledOther = r.NextDouble() < spec.OtherCauseShareOfDeaths;

        long eventDays = Days(eventMonths, monthDays);
        long otherDays = Days(otherMonths, monthDays);
        long censorDays = Math.Min(spec.DataCutoff.DayNumber - d.PmDate.DayNumber, Days(lossMonths, monthDays));
        long deathDays = Math.Min(eventDays, otherDays);
        d.Dead = deathDays <= censorDays;
        int endDays = (int)(d.Dead ? deathDays : censorDays);
        d.LastContact = d.PmDate.AddDays(endDays);
        if (d.Dead)
        {
            bool sarcoma = spec.Endpoint == SimulatedEndpoint.DiseaseSpecificSurvival ? eventDays <= otherDays : !labelledOther;
            d.CauseOfDeath = sarcoma ? Codes.CauseOfDeath.Sarcoma : Codes.CauseOfDeath.Other;
        }

        // Recurrence after PM (not from the papers): a sarcoma death is preceded by a recurrence.
        long recurrenceDays = Days(recurrenceMonths, monthDays);
        if (d.CauseOfDeath == Codes.CauseOfDeath.Sarcoma && recurrenceDays > endDays)
        {
            recurrenceDays = Math.Max(1, (long)Math.Floor(endDays * recurrenceFraction));
        }

        if (recurrenceDays <= endDays && recurrenceDays >= 1)
        {
            d.Recurrence = d.PmDate.AddDays((int)recurrenceDays);
        }

        if (d.Second is not null && gap > endDays)
        {
            d.Second = null; // died or left follow-up before the planned second stage
        }

        return d;
    }

    private static Procedure DrawProcedure(SimulationSpec spec, Random r, string side, int nodules)
    {
        var p = new Procedure
        {
            Side = side,
            Nodules = nodules,
            Approach = spec.Approach.Sample(r),
            Resection = spec.Resection.Sample(r),
            Margin = spec.Margin.Sample(r),
            StayDays = spec.HospitalStayDays.Sample(r),
            Complication = spec.Complications.Sample(r),
        };
        if (spec.NonIntubatedShare is double pNon)
        {
            p.Anaesthesia = r.NextDouble() < pNon ? "non_intubated" : "intubated";
        }

        if (spec.CompleteResectionShare is double pComplete)
        {
            p.Complete = r.NextDouble() < pComplete;
        }
        else
        {
            p.Complete = p.Margin switch
            {
                Codes.Margin.R0 => true,
                Codes.Margin.R1 or Codes.Margin.R2 => false,
                _ => null,
            };
        }

        if (spec.IcuStayDays is IcuStayModel icu)
        {
            p.IcuDays = icu.Sample(r);
        }

        return p;
    }

    private static double TermOf(SimulatedTerm t, Draw d, SimulationSpec spec, double monthDays) => t.Kind switch
    {
        TermKind.DfiBelowCut => d.DfiDays / monthDays < spec.Dfi.CutMonths ? 1 : 0,
        TermKind.DfiAtLeastCut => d.DfiDays / monthDays < spec.Dfi.CutMonths ? 0 : 1,
        TermKind.LocalRecurrence => d.LocalRecurrence == true ? 1 : 0,
        TermKind.MultipleNodules => d.Nodules >= 2 ? 1 : 0,
        TermKind.LargestNoduleAtLeast => d.LargestMm >= t.Cut ? 1 : 0,
        TermKind.NonCurativeResection => d.First.Margin is Codes.Margin.R1 or Codes.Margin.R2 ? 1 : 0,
        TermKind.Histology => d.Histology == t.Code ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.Kind, "Unknown term kind."),
    };

    private static double Exponential(Random r, double rate) => -Math.Log(1 - r.NextDouble()) / rate;

    // Whole days after the PM: ceil, so an event is at least one day after the operation; "never" stays far away.
    private static long Days(double months, double monthDays) =>
        double.IsPositiveInfinity(months) || months * monthDays > 1e9 ? 1_000_000_000L : (long)Math.Ceiling(months * monthDays);

    private static Patient Build(Draw d, string studyId)
    {
        var lungMet = d.PmDate.AddDays(-d.DetectionDays);
        var primarySurgery = lungMet.AddDays(-d.DfiDays);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["study_id"] = studyId,
            ["sex"] = d.Sex,
            ["birth_date"] = d.BirthDate,
            ["ecog"] = d.Ecog,
            ["smoking"] = d.Smoking,
            ["diabetes"] = d.Comorbidity?.Diabetes,
            ["hypertension"] = d.Comorbidity?.Hypertension,
            ["other_cancer"] = d.OtherCancer,
            ["comorbidity_note"] = d.ComorbidityNote,
            ["histology"] = d.Histology,
            ["tissue"] = d.Tissue,
            ["primary_site"] = d.PrimarySite,
            ["primary_size_cm"] = d.PrimarySizeCm,
            ["primary_surgery_date"] = primarySurgery,
            ["local_recurrence_at_pm"] = d.LocalRecurrence,
            ["lung_met_date"] = lungMet,
            ["synchronous"] = d.Synchronous,
            ["nodules"] = d.Nodules,
            ["laterality"] = d.Bilateral ? "bilateral" : "unilateral",
            ["largest_nodule_mm"] = (double)d.LargestMm,
            ["chemotherapy"] = d.Chemotherapy,
            ["last_contact_date"] = d.LastContact,
            ["vital_status"] = d.Dead ? Codes.VitalStatus.Dead : Codes.VitalStatus.Alive,
            ["death_date"] = d.Dead ? d.LastContact : null,
            ["cause_of_death"] = d.CauseOfDeath,
            ["recurrence_date"] = d.Recurrence,
        };
        // The first operation is the initial metastasectomy; a second is the planned stage of a bilateral resection.
        var procedures = new List<Metastasectomy> { BuildProcedure(d.First, d.PmDate, d) with { Indication = Codes.Indication.Initial } };
        if (d.Second is not null)
        {
            procedures.Add(BuildProcedure(d.Second, d.PmDate.AddDays(d.SecondGapDays), d) with { Indication = Codes.Indication.Staged });
        }

        return FieldAccess.BuildPatient(values, procedures, new Dictionary<string, SourceLocation>());
    }

    private static Metastasectomy BuildProcedure(Procedure p, DateOnly date, Draw d)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["pm_date"] = date,
            ["side"] = p.Side,
            ["approach"] = p.Approach,
            ["anaesthesia"] = p.Anaesthesia,
            ["resection"] = p.Resection,
            ["nodules_resected"] = p.Nodules,
            ["complete_resection"] = p.Complete,
            ["margin"] = p.Margin,
            ["hospital_stay_days"] = p.StayDays,
            ["icu_stay_days"] = p.IcuDays is int icu ? (double)icu : null,
            ["clavien_dindo"] = p.Complication.ClavienDindo,
            ["complication"] = p.Complication.Type,
            ["mortality_30d"] = d.Dead && d.LastContact.DayNumber - date.DayNumber <= 30,
        };
        return FieldAccess.BuildMetastasectomy(values, null);
    }

    private sealed class Draw
    {
        public string Sex { get; set; } = string.Empty;

        public double AgeYears { get; set; }

        public int? Ecog { get; set; }

        public string? Smoking { get; set; }

        public Comorbidity? Comorbidity { get; set; }

        public bool? OtherCancer { get; set; }

        public string? ComorbidityNote { get; set; }

        public string Histology { get; set; } = string.Empty;

        public string Tissue { get; set; } = string.Empty;

        public string PrimarySite { get; set; } = string.Empty;

        public double? PrimarySizeCm { get; set; }

        public bool? LocalRecurrence { get; set; }

        public int DfiDays { get; set; }

        public bool Synchronous { get; set; }

        public int DetectionDays { get; set; }

        public int Nodules { get; set; }

        public bool Bilateral { get; set; }

        public int LargestMm { get; set; }

        public string? Chemotherapy { get; set; }

        public DateOnly PmDate { get; set; }

        public DateOnly BirthDate { get; set; }

        public Procedure First { get; set; } = null!;

        public Procedure? Second { get; set; }

        public int SecondGapDays { get; set; }

        public bool Dead { get; set; }

        public DateOnly LastContact { get; set; }

        public string? CauseOfDeath { get; set; }

        public DateOnly? Recurrence { get; set; }
    }

    private sealed class Procedure
    {
        public string Side { get; set; } = string.Empty;

        public int Nodules { get; set; }

        public string Approach { get; set; } = string.Empty;

        public string Resection { get; set; } = string.Empty;

        public string? Anaesthesia { get; set; }

        public string? Margin { get; set; }

        public bool? Complete { get; set; }

        public int StayDays { get; set; }

        public int? IcuDays { get; set; }

        public Complication Complication { get; set; } = null!;
    }
}
