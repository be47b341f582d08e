using System.Globalization;
using Sarcostat.Cohort;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Running;
using Sarcostat.Survival;
using Sarcostat.Survival.CompetingRisks;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;
using Sarcostat.Survival.Rmst;

namespace Sarcostat.Study.Analysis;

/// <summary>
/// A protocol's analysed cohort: the patients derived (endpoints, variables) and selected as the protocol says, with
/// the analyses of the study layer over it. The report (<see cref="StudyRunner"/>) and the registry start here (the
/// CLI's <c>univariate</c> runs the same <see cref="UnivariateScreen"/> on a CSV file), so the same protocol on the
/// same patients gives the same cohort, the same variables and the same numbers whichever front end asks. Results are
/// typed (numbers, n, issues with codes); no display strings.
/// </summary>
/// <remarks>Caches what it computed (endpoint data, curves, resolved variables): use one instance per run or request,
/// not from several threads at once.</remarks>
public sealed class StudyCohort
{
    private readonly VariableCatalog _catalog;
    private readonly Dictionary<string, ResolvedVariable> _vars = new(StringComparer.Ordinal);
    private readonly Dictionary<Endpoint, EndpointData> _data = [];
    private readonly Dictionary<(Endpoint, double), EndpointData> _landmarkData = [];
    private readonly Dictionary<(Endpoint, double?), KaplanMeierFit?> _curves = [];

    private StudyCohort(StudyProtocol protocol, DerivedCohort derived, SelectionResult selection)
    {
        Protocol = protocol;
        Derived = derived;
        Selection = selection;
        Methods = protocol.ResolveMethods();
        _catalog = new VariableCatalog(protocol, derived.Options);
    }

    /// <summary>The protocol.</summary>
    public StudyProtocol Protocol { get; }

    /// <summary>Every patient, derived (before selection).</summary>
    public DerivedCohort Derived { get; }

    /// <summary>The selection: its flow and the analysed patients.</summary>
    public SelectionResult Selection { get; }

    /// <summary>The analysed patients (after every selection step).</summary>
    public DerivedCohort Analysed => Selection.Analysed;

    /// <summary>The statistical methods in force (the protocol's convention and options).</summary>
    public StatisticalMethods Methods { get; }

    /// <summary>
    /// Derives and selects <paramref name="patients"/> as <paramref name="protocol"/> says (it is validated first);
    /// <paramref name="excluded"/> lists patients an amendment excluded by id, with the reason (the flow shows them).
    /// </summary>
    /// <exception cref="ProtocolException">The protocol has problems.</exception>
    /// <exception cref="ArgumentException">Two patients share a study id.</exception>
    public static StudyCohort Prepare(StudyProtocol protocol, IReadOnlyList<Patient> patients, IReadOnlyList<ListedExclusion>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(patients);
        ProtocolLoader.Validate(protocol);
        var derived = CohortDerivation.Derive(patients, protocol.DerivationOptions());
        var selection = ListedExclusions.Apply(derived, excluded ?? [], protocol.Selection.Steps.Select(s => s.Rule).ToList());
        return new StudyCohort(protocol, derived, selection);
    }

    /// <summary>The analysed patients' data of an endpoint (time, event; patients without a derivable endpoint left out and counted).</summary>
    public EndpointData Endpoint(Endpoint endpoint)
    {
        if (!_data.TryGetValue(endpoint, out var d))
        {
            d = Analysed.DataFor(endpoint);
            _data[endpoint] = d;
        }

        return d;
    }

    /// <summary>
    /// The endpoint's data for a landmark analysis at <paramref name="landmark"/> (null: from time zero): the patients
    /// still at risk at the landmark (time &gt; landmark), with time measured from it. R: <c>subset(d, time &gt; L)</c>,
    /// <c>Surv(time - L, status)</c>.
    /// </summary>
    public EndpointData Endpoint(Endpoint endpoint, double? landmark)
    {
        var all = Endpoint(endpoint);
        if (landmark is not { } l)
        {
            return all;
        }

        if (!_landmarkData.TryGetValue((endpoint, l), out var d))
        {
            var keep = Enumerable.Range(0, all.Count).Where(i => all.Time[i] > l).ToArray();
            d = all with
            {
                StudyIds = keep.Select(i => all.StudyIds[i]).ToList(),
                Patients = keep.Select(i => all.Patients[i]).ToList(),
                Time = keep.Select(i => all.Time[i] - l).ToArray(),
                Status = keep.Select(i => all.Status[i]).ToArray(),
                Event = keep.Select(i => all.Event[i]).ToArray(),
                CompetingStatus = all.CompetingStatus is { } c ? keep.Select(i => c[i]).ToArray() : null,
            };
            _landmarkData[(endpoint, l)] = d;
        }

        return d;
    }

    /// <summary>
    /// A protocol or dictionary variable over the patients of <paramref name="data"/>, as the analyses take it
    /// (categorical: the levels in report order and the declared reference; numeric: NaN when missing).
    /// </summary>
    /// <exception cref="ArgumentException">The protocol and the data dictionary know no such variable.</exception>
    public AnalysisVariable Variable(string name, EndpointData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var v = Resolve(name) ?? throw new ArgumentException($"The protocol and the data dictionary know no variable '{name}'.", nameof(name));
        return v.IsCategorical
            ? new CategoricalVariable(v.Name, data.Patients.Select(v.Level).ToList(), v.Levels(data.Patients)) { Reference = v.Reference }
            : new NumericVariable(v.Name, data.Patients.Select(v.Number).ToArray());
    }

    /// <summary>
    /// The univariate screen of <paramref name="variables"/> for an endpoint (the report's univariate tables run the
    /// same): counts per level, log-rank test, univariate Cox model, with the protocol's methods unless
    /// <paramref name="options"/> says otherwise.
    /// </summary>
    public IReadOnlyList<UnivariateVariableResult> Univariate(Endpoint endpoint, IReadOnlyList<string> variables, double? landmark = null, UnivariateScreenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var data = Endpoint(endpoint, landmark);
        return UnivariateScreen.Run(
            data.Response(),
            variables.Select(v => Variable(v, data)).ToList(),
            options ?? new UnivariateScreenOptions { Cox = Methods.Cox, KaplanMeier = Methods.KaplanMeier });
    }

    /// <summary>The Cox model of <paramref name="variables"/> for an endpoint on the complete cases (the report's multivariate tables run the same).</summary>
    public CoxModelResult CoxModel(Endpoint endpoint, IReadOnlyList<string> variables, double? landmark = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var data = Endpoint(endpoint, landmark);
        return CoxModelAnalysis.Fit(data.Response(), variables.Select(v => Variable(v, data)).ToList(), Methods.Cox);
    }

    /// <summary>
    /// The Kaplan-Meier curve of an endpoint over the analysed patients (from <paramref name="landmark"/> on when given),
    /// with the protocol's methods; null when no patient has the endpoint. R: <c>survfit(Surv(time, status) ~ 1)</c>.
    /// </summary>
    public KaplanMeierFit? Survival(Endpoint endpoint, double? landmark = null)
    {
        if (!_curves.TryGetValue((endpoint, landmark), out var fit))
        {
            var data = Endpoint(endpoint, landmark);
            fit = data.Count == 0 ? null : KaplanMeier.Fit(data.Response(), Methods.KaplanMeier);
            _curves[(endpoint, landmark)] = fit;
        }

        return fit;
    }

    /// <summary>
    /// The Kaplan-Meier curves of an endpoint by the levels of <paramref name="variable"/> that have patients (in report
    /// order), and the log-rank test between them when there are two or more. R: <c>survfit(Surv(time, status) ~ g)</c>,
    /// <c>survdiff(Surv(time, status) ~ g)</c>. A test the data cannot support is an issue (<c>test-not-run</c>), not an
    /// exception; the test's own warnings are issues too.
    /// </summary>
    public SurvivalByGroup SurvivalBy(Endpoint endpoint, string variable, double? landmark = null)
    {
        var data = Endpoint(endpoint, landmark);
        var v = (CategoricalVariable)Variable(variable, data);
        var counts = new int[v.Levels.Count];
        for (int i = 0; i < v.Count; i++)
        {
            if (v.CodeOf(i) is >= 0 and var c)
            {
                counts[c]++;
            }
        }

        var present = v.Levels.Where((_, l) => counts[l] > 0).ToList();
        if (present.Count == 0)
        {
            return new SurvivalByGroup(variable, present, [], null, []);
        }

        var factor = CoxModelAnalysis.FactorOf(v, present);
        var response = data.Response(factor);
        var curves = KaplanMeier.FitByGroup(response, Methods.KaplanMeier).Fits;
        var issues = new List<AnalysisIssue>();
        LogRankResult? test = null;
        if (present.Count >= 2)
        {
            try
            {
                test = LogRank.Test(response, new LogRankOptions());
                issues.AddRange(test.Warnings.Select(w => new AnalysisIssue(w.Code, AnalysisIssueSource.LogRank, variable, w.Message) { Detail = w.Message }));
            }
            catch (AnalysisDataException e)
            {
                issues.Add(new AnalysisIssue("test-not-run", AnalysisIssueSource.LogRank, variable, $"no log-rank test: {e.Message}") { Detail = e.Message });
            }
        }

        return new SurvivalByGroup(variable, present, curves, test, issues);
    }

    /// <summary>
    /// The Cox model of <paramref name="variables"/> with time-dependent <paramref name="exposures"/> for an endpoint
    /// (the report's multivariate tables with <c>time_dependent</c> run the same): complete cases on the variables, each
    /// exposure's time from the first metastasectomy to its date (<see cref="TimeDependentExposures.TimeOf"/>, in the
    /// protocol's time unit), follow-up split at it, counting-process Cox model with the protocol's ties. R:
    /// <c>coxph(Surv(tstart, tstop, event) ~ v1 + ... + x1 + ..., data = tmerge(d, d, id = id, event = event(time, status), x1 = tdc(t1), ...))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown variable or exposure date, or a name used twice.</exception>
    public TimeDependentCoxResult TimeDependentCox(Endpoint endpoint, IReadOnlyList<string> variables, IReadOnlyList<TimeDependentSpec> exposures)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(exposures);
        var data = Endpoint(endpoint);
        var times = exposures
            .Select(e => new TimeDependentExposure(e.Name, data.Patients.Select(p => TimeDependentExposures.TimeOf(p, e.At, data.Unit)).ToList()))
            .ToList();
        return TimeDependentCoxAnalysis.Fit(data.StudyIds, data.Time, data.Event, variables.Select(v => Variable(v, data)).ToList(), times, Methods.Cox);
    }

    /// <summary>
    /// The restricted mean survival time of an endpoint up to <paramref name="tau"/> (the area under its Kaplan-Meier
    /// curve, normal CI at the protocol's level), or null when no patient has the endpoint. R:
    /// <c>print(survfit(Surv(time, status) ~ 1), rmean = tau)</c>.
    /// </summary>
    public RmstEstimate? RestrictedMean(Endpoint endpoint, double tau) =>
        Survival(endpoint) is { } fit ? Sarcostat.Survival.Rmst.RestrictedMean.Estimate(fit, tau, Methods.ConfidenceLevel) : null;

    /// <summary>
    /// The Aalen-Johansen cumulative incidence of an endpoint's events (cause "1") with the competing deaths (cause "2"),
    /// by the levels of <paramref name="variable"/> with patients when given (Gray's test between them). R:
    /// <c>cmprsk::cuminc(time, status, group, cencode = 0)</c>. Null with an issue when the data cannot support it.
    /// </summary>
    public (CumulativeIncidenceResult? Result, IReadOnlyList<string> Levels, AnalysisIssue? Issue) CumulativeIncidence(Endpoint endpoint, string? variable = null)
    {
        var data = Endpoint(endpoint);
        List<string> levels = [];
        Factor? group = null;
        if (variable is not null)
        {
            var v = (CategoricalVariable)Variable(variable, data);
            var known = Enumerable.Range(0, v.Count).Select(v.CodeOf).Where(c => c >= 0).ToHashSet();
            levels = v.Levels.Where((_, l) => known.Contains(l)).ToList();
            if (levels.Count == 0)
            {
                return (null, levels, null);
            }

            group = CoxModelAnalysis.FactorOf(v, levels);
        }

        if (data.Count == 0)
        {
            return (null, levels, null);
        }

        var codes = data.CompetingStatus ?? data.Status;
        var status = Factor.FromValues("status", codes.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList());
        try
        {
            return (Sarcostat.Survival.CompetingRisks.CumulativeIncidence.Estimate(data.Time, status, "0", group, null, new CumulativeIncidenceOptions { ConfidenceLevel = Methods.ConfidenceLevel }), levels, null);
        }
        catch (AnalysisDataException e)
        {
            return (null, levels, new AnalysisIssue(e.Code, AnalysisIssueSource.Data, variable, e.Message) { Detail = e.Message });
        }
    }

    /// <summary>
    /// The follow-up of the analysed patients on overall survival: the reverse Kaplan-Meier median and the observed
    /// times' median and range; null when no patient has overall survival. R: <c>survfit(Surv(time, 1 - status) ~ 1)</c>.
    /// </summary>
    public FollowUpSummary? FollowUp()
    {
        var os = Endpoint(Cohort.Derivation.Endpoint.OverallSurvival);
        return os.Count == 0 ? null : KaplanMeier.FollowUp(os.Response(), Methods.KaplanMeier);
    }

    /// <summary>
    /// The checks a reviewer asks of a fitted Cox model: Harrell's C (R <c>concordance(fit)</c>), the proportional-hazards
    /// test on the Kaplan-Meier time scale (R <c>cox.zph(fit)</c>), and, when <paramref name="firth"/>, Firth's penalised
    /// fit of the same model (R <c>coxphf</c>, Breslow ties) or why it could not be fitted.
    /// </summary>
    public CoxModelChecks ModelChecks(Endpoint endpoint, CoxModelResult model, bool firth, double? landmark = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var fit = model.Fit ?? throw new ArgumentException("The model has no fit to check.", nameof(model));
        CoxFirthFit? penalised = null;
        string? problem = null;
        if (firth)
        {
            var data = Endpoint(endpoint, landmark);
            (penalised, problem) = EngineCalls.Firth(data.Response(), model.Covariates, Methods.ConfidenceLevel);
        }

        return new CoxModelChecks(fit.Concordance(), fit.Zph(ZphTransform.Km), penalised, problem);
    }

    /// <summary>The study variable <paramref name="name"/> resolved once (labels, levels, groupings), or null when unknown.</summary>
    internal ResolvedVariable? Resolve(string name)
    {
        if (!_vars.TryGetValue(name, out var v))
        {
            if (_catalog.Info(name) is not { } info)
            {
                return null;
            }

            v = new ResolvedVariable(name, info, Protocol.Variable(name));
            _vars[name] = v;
        }

        return v;
    }

    /// <summary>The variables resolved so far (the cohort export lists those the report used).</summary>
    internal IEnumerable<ResolvedVariable> Resolved => _vars.Values;

    /// <summary>The catalogue of the variables a protocol may name.</summary>
    internal VariableCatalog Catalog => _catalog;
}

/// <summary>Kaplan-Meier curves of an endpoint by the levels of a variable, with the log-rank test between them.</summary>
/// <param name="Variable">The grouping variable.</param>
/// <param name="Levels">The levels with patients, in report order (the curves' order).</param>
/// <param name="Curves">One curve per level.</param>
/// <param name="LogRank">The log-rank test, or null (fewer than two levels, or not computable: see <paramref name="Issues"/>).</param>
/// <param name="Issues">The test's warnings, or why it could not be run.</param>
public sealed record SurvivalByGroup(string Variable, IReadOnlyList<string> Levels, IReadOnlyList<KaplanMeierFit> Curves, LogRankResult? LogRank, IReadOnlyList<AnalysisIssue> Issues);

/// <summary>The checks of a fitted Cox model.</summary>
/// <param name="Concordance">Harrell's C with its standard error.</param>
/// <param name="ProportionalHazards">The scaled Schoenfeld residual tests, per covariate and global.</param>
/// <param name="Firth">Firth's penalised fit, when asked and fitted.</param>
/// <param name="FirthProblem">Why the penalised fit could not be fitted, or null.</param>
public sealed record CoxModelChecks(ConcordanceResult Concordance, CoxZphResult ProportionalHazards, CoxFirthFit? Firth, string? FirthProblem);
