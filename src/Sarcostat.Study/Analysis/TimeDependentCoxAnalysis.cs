using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.CountingProcess;

namespace Sarcostat.Study.Analysis;

/// <summary>
/// A time-dependent exposure over the patients of an analysis: when it starts, on the analysis's time scale from time
/// zero, one value per patient in the data's order.
/// </summary>
/// <param name="Name">The covariate's name in the model (the coefficient's name).</param>
/// <param name="Times">Per patient, the time the exposure starts; null when it never did. A time at or before 0 means
/// exposed from time zero, a time at or after the end of follow-up means never exposed during it (R <c>tmerge</c>'s
/// rules for <c>tdc</c>).</param>
public sealed record TimeDependentExposure(string Name, IReadOnlyList<double?> Times);

/// <summary>How many patients of the model an exposure reached.</summary>
/// <param name="Name">The exposure.</param>
/// <param name="Exposed">Patients of the model exposed during follow-up (with at least one exposed (start, stop] row).</param>
/// <param name="ExposedFromStart">Of those, the patients exposed from time zero (an exposure time at or before 0).</param>
/// <param name="InModel">Whether it entered the model (false: nobody, or everybody from time zero, was exposed;
/// <c>exposure-not-estimable</c>).</param>
public sealed record ExposureCount(string Name, int Exposed, int ExposedFromStart, bool InModel);

/// <summary>A Cox model with time-dependent exposures on (start, stop] rows, fitted or not.</summary>
/// <param name="Fit">The fit, or null when it could not be fitted (<see cref="Problem"/> says why).</param>
/// <param name="Terms">The baseline variables that entered, in the order given (levels and per-patient counts among
/// the patients of the model).</param>
/// <param name="Exposures">Each exposure, in the order given, with its counts.</param>
/// <param name="Patients">Patients in the model: complete baseline data and follow-up that could be split.</param>
/// <param name="Events">Patients of the model whose follow-up ends in the event.</param>
/// <param name="Rows">The (start, stop] rows the model was fitted on.</param>
/// <param name="Incomplete">Patients left out for a missing baseline value.</param>
/// <param name="Unsplit">Patients with complete baseline data whose follow-up could not be split (reported as the
/// issue <c>follow-up-not-split</c>).</param>
/// <param name="Problem">Why no model was fitted (the engine's words), or null.</param>
/// <param name="Issues">Baseline variables left out, absent references, exposures left out, unsplit follow-up, the fit's
/// warnings, in that order.</param>
public sealed record TimeDependentCoxResult(
    CountingProcessCoxFit? Fit,
    IReadOnlyList<ModelTerm> Terms,
    IReadOnlyList<ExposureCount> Exposures,
    int Patients,
    int Events,
    int Rows,
    int Incomplete,
    IReadOnlyList<UnsplitPatient> Unsplit,
    string? Problem,
    IReadOnlyList<AnalysisIssue> Issues)
{
    /// <summary>The model's coefficient of a baseline <paramref name="variable"/> (at <paramref name="level"/> for a
    /// categorical one) or of an exposure (level null), or null.</summary>
    public CountingProcessCoxTerm? Term(string variable, string? level) =>
        Fit?.Terms.FirstOrDefault(t => t.Covariate == variable && t.Level == level);
}

/// <summary>
/// A Cox model of baseline study variables and time-dependent exposures: the complete cases on the baseline variables,
/// each patient's follow-up split at the exposure times (<see cref="TimeDependentSplit"/>), and the counting-process
/// Cox model on the rows with the baseline covariates repeated on every row of a patient and each exposure a 0/1
/// covariate. The one code path of a protocol's multivariate table with <c>time_dependent</c> and of the registry.
/// </summary>
/// <remarks>
/// R: <c>td &lt;- tmerge(d, d, id = id, event = event(time, status), x1 = tdc(t1), ...)</c>, then
/// <c>coxph(Surv(tstart, tstop, event) ~ v1 + v2 + ... + x1 + ..., data = td)</c> with the model-based variance (no
/// <c>cluster</c>: each patient's rows partition its follow-up, so the partial likelihood is the same as with the
/// patient as one subject). Golden: tools/reference/tdcox.R.
/// </remarks>
public static class TimeDependentCoxAnalysis
{
    /// <summary>Fits the model.</summary>
    /// <param name="studyIds">The patients' study ids (one per row, unique; carried to their (start, stop] rows).</param>
    /// <param name="time">End of follow-up per patient, from time zero.</param>
    /// <param name="status">Whether follow-up ends in the event.</param>
    /// <param name="variables">The baseline variables, one value per patient.</param>
    /// <param name="exposures">The time-dependent exposures (at least one), one time per patient.</param>
    /// <param name="options">Ties (Efron or Breslow; exact ties give no fit and a <c>model-not-fitted</c> issue) and
    /// confidence level.</param>
    /// <exception cref="ArgumentException">Lengths differ, no exposure, two exposures share a name, or a study id occurs twice.</exception>
    public static TimeDependentCoxResult Fit(
        IReadOnlyList<string> studyIds,
        double[] time,
        bool[] status,
        IReadOnlyList<AnalysisVariable> variables,
        IReadOnlyList<TimeDependentExposure> exposures,
        CoxOptions options)
    {
        ArgumentNullException.ThrowIfNull(studyIds);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(exposures);
        ArgumentNullException.ThrowIfNull(options);
        int n = time.Length;
        if (studyIds.Count != n || status.Length != n)
        {
            throw new ArgumentException($"{studyIds.Count} study ids and {status.Length} statuses for {n} times.", nameof(studyIds));
        }

        if (exposures.Count == 0)
        {
            throw new ArgumentException("A time-dependent model needs at least one exposure.", nameof(exposures));
        }

        foreach (var v in variables)
        {
            if (v.Count != n)
            {
                throw new ArgumentException($"Variable '{v.Name}' has {v.Count} values for {n} rows.", nameof(variables));
            }
        }

        foreach (var e in exposures)
        {
            if (e.Times.Count != n)
            {
                throw new ArgumentException($"Exposure '{e.Name}' has {e.Times.Count} times for {n} rows.", nameof(exposures));
            }

            if (variables.Any(v => v.Name == e.Name) || exposures.Count(x => x.Name == e.Name) > 1)
            {
                throw new ArgumentException($"The name '{e.Name}' is used twice; exposures and variables need distinct names.", nameof(exposures));
            }
        }

        // Complete cases on the baseline variables (R's na.omit, before tmerge).
        var complete = new bool[n];
        int incomplete = 0;
        for (int i = 0; i < n; i++)
        {
            complete[i] = variables.All(v => v.IsKnown(i));
            incomplete += complete[i] ? 0 : 1;
        }

        // Split each complete patient's follow-up at each exposure time; a patient the splitter cannot split (follow-up
        // time not > 0, an exposure time not a number) is left out of the model and counted.
        var splits = exposures.Select(e => TimeDependentSplit.Split(
            Enumerable.Range(0, n).Where(i => complete[i]).Select(i => new FollowUpRecord(studyIds[i], time[i], status[i], e.Times[i])).ToList())).ToList();
        var unsplitIds = new HashSet<string>(splits.SelectMany(s => s.Unsplit).Select(u => u.StudyId), StringComparer.Ordinal);
        var unsplit = splits.SelectMany(s => s.Unsplit).DistinctBy(u => u.StudyId).ToList();
        var inModel = new bool[n];
        for (int i = 0; i < n; i++)
        {
            inModel[i] = complete[i] && !unsplitIds.Contains(studyIds[i]);
        }

        var issues = new List<AnalysisIssue>();
        var (terms, baseline) = CoxModelAnalysis.Terms(variables, inModel, issues);

        // A patient's rows: the union of the cut points of every exposure's split, each exposure's value on a row being
        // that of the split interval containing it (several tdc() terms in one tmerge call).
        var intervals = splits.Select(s => s.Intervals.Where(r => !unsplitIds.Contains(r.StudyId)).GroupBy(r => r.StudyId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal)).ToList();
        var rowPatient = new List<int>();
        var start = new List<double>();
        var stop = new List<double>();
        var rowEvent = new List<bool>();
        var exposed = exposures.Select(_ => new List<double>()).ToList();
        for (int i = 0; i < n; i++)
        {
            if (!inModel[i])
            {
                continue;
            }

            var own = intervals.Select(d => d[studyIds[i]]).ToList();
            var cuts = own.SelectMany(rows => rows.Select(r => r.Stop)).Distinct().Order().ToList();
            double from = 0;
            foreach (var to in cuts)
            {
                rowPatient.Add(i);
                start.Add(from);
                stop.Add(to);
                rowEvent.Add(status[i] && to == time[i]);
                for (int k = 0; k < exposures.Count; k++)
                {
                    exposed[k].Add(own[k].First(r => r.Start <= from && to <= r.Stop).Exposed ? 1 : 0);
                }

                from = to;
            }
        }

        var counts = new List<ExposureCount>();
        var covariates = baseline.Select(c => Expand(c, rowPatient)).ToList();
        for (int k = 0; k < exposures.Count; k++)
        {
            var e = exposures[k];
            var who = Enumerable.Range(0, rowPatient.Count).Where(r => exposed[k][r] == 1).Select(r => rowPatient[r]).Distinct().ToList();
            int fromStart = who.Count(i => e.Times[i] <= 0);
            bool varies = exposed[k].Distinct().Count() == 2;
            counts.Add(new ExposureCount(e.Name, who.Count, fromStart, varies));
            if (!varies)
            {
                issues.Add(new AnalysisIssue(
                    "exposure-not-estimable",
                    AnalysisIssueSource.CoxModel,
                    e.Name,
                    who.Count == 0
                        ? $"no patient of the model is exposed to '{e.Name}' during follow-up; it cannot enter the Cox model."
                        : $"every patient of the model is exposed to '{e.Name}' from time zero; it cannot enter the Cox model.")
                { Count = who.Count });
                continue;
            }

            covariates.Add(new NumericCovariate(e.Name, exposed[k]));
        }

        if (unsplit.Count > 0)
        {
            issues.Add(new AnalysisIssue(
                "follow-up-not-split",
                AnalysisIssueSource.Data,
                null,
                string.Create(CultureInfo.InvariantCulture, $"{unsplit.Count} patient(s) left out: their follow-up cannot be split into (start, stop] rows ({string.Join("; ", unsplit.Select(u => u.Reason).Distinct())})."))
            { Count = unsplit.Count, Detail = unsplit[0].Reason });
        }

        int patients = inModel.Count(x => x);
        int events = Enumerable.Range(0, n).Count(i => inModel[i] && status[i]);
        TimeDependentCoxResult Result(CountingProcessCoxFit? fit, string? problem) =>
            new(fit, terms, counts, patients, events, rowPatient.Count, incomplete, unsplit, problem, issues);

        if (covariates.Count == 0)
        {
            return Result(null, "no variable can enter the model");
        }

        if (options.Ties is not (TieMethod.Efron or TieMethod.Breslow))
        {
            const string Exact = "exact ties are not supported for (start, stop] data; use Efron or Breslow ties";
            issues.Add(new AnalysisIssue("model-not-fitted", AnalysisIssueSource.CoxModel, null, $"no Cox model: {Exact}") { Detail = Exact });
            return Result(null, Exact);
        }

        CountingProcessCoxFit fitted;
        try
        {
            fitted = CountingProcessCox.Fit(start, stop, rowEvent, covariates, robust: false, options: options);
        }
        catch (AnalysisDataException e)
        {
            issues.Add(new AnalysisIssue("model-not-fitted", AnalysisIssueSource.CoxModel, null, $"no Cox model: {e.Message}") { Detail = e.Message });
            return Result(null, e.Message);
        }

        issues.AddRange(fitted.Warnings.Select(w => new AnalysisIssue(w.Code, AnalysisIssueSource.CoxModel, null, w.Message) { Detail = w.Message }));
        return Result(fitted, null);
    }

    /// <summary>A patient-level covariate repeated on each of the patient's rows.</summary>
    private static Covariate Expand(Covariate c, List<int> rowPatient) => c switch
    {
        NumericCovariate x => new NumericCovariate(x.Name, rowPatient.Select(i => x.Values[i]).ToArray()),
        CategoricalCovariate f => new CategoricalCovariate(Factor.FromCodes(f.Name, rowPatient.Select(i => f.Factor.Codes[i]).ToArray(), [.. f.Factor.Levels])),
        _ => throw new ArgumentException($"Unknown covariate type {c.GetType().Name}.", nameof(c)),
    };
}

/// <summary>
/// The dates a protocol's time-dependent exposure may start at (<c>time_dependent: [{at: ...}]</c>), and how each is
/// read from a patient.
/// </summary>
public static class TimeDependentExposures
{
    /// <summary>The date names: <c>recurrence_date</c> and <c>progression_date</c> (fields of the data dictionary) and
    /// <c>repeat_pm_date</c> (the date of the patient's second metastasectomy).</summary>
    public static IReadOnlyList<string> Dates { get; } = ["recurrence_date", "progression_date", "repeat_pm_date"];

    /// <summary>
    /// The date <paramref name="at"/> of a patient, or null when it did not happen: the recorded recurrence or
    /// progression date, or for <c>repeat_pm_date</c> the earliest metastasectomy after the first one's date (any
    /// indication: a staged or a repeat operation; several on the first date count as the first).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="at"/> is not one of <see cref="Dates"/>.</exception>
    public static DateOnly? DateOf(DerivedPatient patient, string at)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return at switch
        {
            "recurrence_date" => patient.Patient.RecurrenceDate,
            "progression_date" => patient.Patient.ProgressionDate,
            "repeat_pm_date" => patient.FirstPmDate is { } first
                ? patient.Patient.Procedures.Where(p => p.Date > first).Select(p => (DateOnly?)p.Date).Min()
                : null,
            _ => throw new ArgumentException($"'{at}' is not a date a time-dependent exposure can start at; expected one of {string.Join(", ", Dates)}.", nameof(at)),
        };
    }

    /// <summary>
    /// The time from the first metastasectomy (every endpoint's time zero) to the exposure's date in
    /// <paramref name="unit"/>, as the endpoint times are computed (<see cref="TimeDependentSplit.FromDates"/>): null when
    /// the exposure did not happen, NaN when the patient has no first metastasectomy date (the splitter reports it).
    /// </summary>
    public static double? TimeOf(DerivedPatient patient, string at, TimeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (DateOf(patient, at) is not { } date)
        {
            return null;
        }

        return patient.FirstPmDate is { } origin
            ? TimeDependentSplit.FromDates(patient.StudyId, origin, origin, false, date, unit).ExposureTime
            : double.NaN;
    }
}
