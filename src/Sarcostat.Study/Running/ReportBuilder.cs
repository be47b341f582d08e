using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using Sarcostat.Study.Analysis;
using Sarcostat.Study.Formatting;
using Sarcostat.Study.Protocols;
using Sarcostat.Study.Results;
using Sarcostat.Survival;
using Sarcostat.Survival.Curves;

namespace Sarcostat.Study.Running;

/// <summary>
/// Builds one report: holds the run's state (the analysed cohort, the methods in force, the endpoint data, the
/// analyses already computed) and turns each protocol item into a table, figure or text. One instance per run; the
/// order of everything it produces depends only on the protocol and the patients.
/// </summary>
internal sealed partial class ReportBuilder
{
    private readonly StudyProtocol _p;
    private readonly RunContext _context;
    private readonly StatisticalMethods _m;
    private readonly StudyCohort _study;
    private readonly VariableCatalog _catalog;
    private readonly SelectionResult _selection;
    private readonly DerivedCohort _cohort;
    private readonly IReadOnlyList<Cohort.Patient> _allPatients;
    private readonly List<ReportWarning> _warnings = [];
    private readonly HashSet<string> _warningKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnivariateResult> _univariate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MultivariateResult> _multivariate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ReportItem>> _following = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _itemNumbers = new(StringComparer.Ordinal);
    private readonly JournalFormat _protocolFormat;
    private JournalFormat? _itemFormat;

    /// <summary>Lays out the report of <paramref name="study"/>'s protocol; the analyses run on the study cohort's data and variables.</summary>
    public ReportBuilder(StudyCohort study, RunContext context)
    {
        var protocol = study.Protocol;
        _p = protocol;
        _context = context;
        _study = study;
        _m = study.Methods;
        _catalog = study.Catalog;
        _selection = study.Selection;
        _cohort = study.Analysed;
        _allPatients = study.Derived.Patients.Select(p => p.Patient).ToList();
        _protocolFormat = new JournalFormat(protocol.Format);
        foreach (var item in protocol.Items)
        {
            _itemNumbers[item.Id] = ShortName(item);
        }
    }

    public StudyReport Build()
    {
        DataWarnings();
        var sections = new List<ReportSection>();
        foreach (var section in _p.Sections)
        {
            var items = new List<ReportItem>();
            foreach (var item in section.Items)
            {
                items.Add(BuildItem(item));
                if (_following.TryGetValue(item.Id, out var more))
                {
                    items.AddRange(more);
                }
            }

            sections.Add(new ReportSection(section.Id, section.Title, items));
        }

        var front = new List<ReportSection>();
        if (_p.IncludeMethods)
        {
            front.Add(new ReportSection("methods", "Methods", [new TextItem("methods-text", "Statistical analysis", MethodsParagraphs())]));
        }

        if (_p.IncludeResultsSummary)
        {
            front.Add(new ReportSection("summary", "Results summary", [new TextItem("summary-text", "Survival", ResultsSentences())]));
        }

        if (DataAppendix() is { } appendix)
        {
            sections.Add(appendix);
        }

        return new StudyReport(_p.Title, Provenance(), [.. front, .. sections], _warnings);
    }

    /// <summary>The number style in force: the item's own <c>format</c> while it is built, else the protocol's.</summary>
    private JournalFormat Fmt => _itemFormat ?? _protocolFormat;

    private ReportItem BuildItem(ItemSpec item)
    {
        _itemFormat = item.Format is { } own ? new JournalFormat(own) : null;
        try
        {
            return BuildItemIn(item);
        }
        finally
        {
            _itemFormat = null;
        }
    }

    private ReportItem BuildItemIn(ItemSpec item) => item switch
    {
        DescriptiveTableSpec d => Descriptive(d),
        UnivariateTableSpec u => Univariate(u).Table,
        MultivariateTableSpec m => Multivariate(m).Table,
        ComparisonTableSpec c => Comparison(c),
        SurvivalTableSpec s => SurvivalTable(s),
        KaplanMeierFigureSpec k => KaplanMeierFigure(k),
        CumulativeIncidenceFigureSpec c => CumulativeIncidenceFigure(c),
        FlowFigureSpec f => Flow(f),
        ForestFigureSpec f => Forest(f),
        TextSpec t => new TextItem(t.Id, t.Title, t.Paragraphs),
        _ => throw new InvalidOperationException($"Item type {item.GetType().Name} has no builder."),
    };

    // ------------------------------------------------------------------ shared state

    private ResolvedVariable Var(string name) =>
        _study.Resolve(name) ?? throw new InvalidOperationException($"'{name}' passed validation but is unknown.");

    private EndpointSpec EndpointOf(string reference) =>
        _p.FindEndpoint(reference) ?? throw new InvalidOperationException($"Endpoint '{reference}' passed validation but is unknown.");

    /// <summary>The endpoint's data, from <paramref name="landmark"/> on when given (<see cref="StudyCohort.Endpoint(Endpoint, double?)"/>).</summary>
    private EndpointData Data(Endpoint endpoint, double? landmark) => _study.Endpoint(endpoint, landmark);

    /// <summary>The sentence a landmark analysis adds to its item's notes, or null without one.</summary>
    private string? LandmarkNote(double? landmark, Endpoint endpoint)
    {
        if (landmark is not { } l)
        {
            return null;
        }

        var all = Data(endpoint);
        var kept = Data(endpoint, l).Count;
        return $"Landmark analysis at {JournalFormat.Number(l, Decimals(l))} {Unit}: the {Of(kept, "patient")} still at risk then ({all.Count - kept} had the event or were censored before it); time is measured from the landmark, and factors are as recorded.";
    }

    private EndpointData Data(Endpoint endpoint) => _study.Endpoint(endpoint);

    /// <summary>The overall Kaplan-Meier fit of an endpoint, or null when no patient has it.</summary>
    private KaplanMeierFit? Km(Endpoint endpoint) => _study.Survival(endpoint);

    private void Warn(string code, string message, string? itemId = null)
    {
        if (_warningKeys.Add(code + "|" + itemId + "|" + message))
        {
            _warnings.Add(new ReportWarning(code, message, itemId));
        }
    }

    /// <summary>Codes of a factor over <paramref name="patients"/> with the given level order (−1 = missing or not listed).</summary>
    private static Factor FactorOf(ResolvedVariable v, List<DerivedPatient> patients, List<string> levels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < levels.Count; i++)
        {
            index[levels[i]] = i;
        }

        var codes = new int[patients.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = v.Level(patients[i]) is { } l && index.TryGetValue(l, out var c) ? c : -1;
        }

        return Factor.FromCodes(v.Name, codes, [.. levels]);
    }

    // ------------------------------------------------------------------ naming

    private string LandmarkLabel => _p.LandmarkLabel ?? DefaultLandmarkLabel(_p.Landmark, _p.TimeUnit);

    private string Unit => TimeUnits.Name(_p.TimeUnit);

    internal static string DefaultLandmarkLabel(double t, TimeUnit unit)
    {
        string Whole(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
        return unit switch
        {
            TimeUnit.Months when t % 12 == 0 => Whole(t / 12) + "-year",
            TimeUnit.Months => Whole(t) + "-month",
            TimeUnit.Years => Whole(t) + "-year",
            _ when t % 365 == 0 => Whole(t / 365) + "-year",
            _ => Whole(t) + "-day",
        };
    }

    /// <summary>"Table 2" from "Table 2. Univariate ..." (the caption's number), else the item's title.</summary>
    private static string ShortName(ItemSpec item)
    {
        var title = item.Title;
        int dot = title.IndexOf('.', StringComparison.Ordinal);
        return dot is > 0 and <= 12 ? title[..dot] : title;
    }

    private string NameOf(string itemId) => _itemNumbers.TryGetValue(itemId, out var n) ? n : itemId;

    private static string Lower(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private string P(double p) => Fmt.P(p, _p.Alpha);

    private static TableCell Cell(string text, double? value = null) => new(text, value);

    private static TableCell Empty => new(string.Empty);

    // ------------------------------------------------------------------ data warnings

    private void DataWarnings()
    {
        foreach (var e in _p.Endpoints)
        {
            var left = _cohort.UnderivableFor(e.Endpoint);
            if (left.Count > 0)
            {
                var reasons = left.GroupBy(u => u.Reason, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()}"));
                Warn(
                    "endpoint-not-derivable",
                    string.Create(CultureInfo.InvariantCulture, $"{e.DisplayAbbreviation} could not be derived for {left.Count} of the {_cohort.Count} analysed patients ({string.Join("; ", reasons)}); they are left out of every {e.DisplayAbbreviation} analysis."));
            }
        }

        // The data behind DSS, DFS and PFS, checked on the analysed patients (the derivation checks the whole cohort).
        foreach (var w in EndpointDataCheck.Check(_cohort.Patients, _cohort.Options))
        {
            if (_p.Endpoints.FirstOrDefault(e => e.Endpoint == w.Endpoint) is { } endpoint)
            {
                Warn(w.Code, w.Message(endpoint.DisplayAbbreviation, _p.UnknownCause, "analysed patient"));
            }
        }

        foreach (var step in _selection.Flow.Steps)
        {
            if (step.Missing > 0)
            {
                var what = step.Rule.WhenMissing == MissingValuePolicy.Keep ? "kept (the rule cannot decide for them)" : "excluded";
                Warn(
                    "selection-missing",
                    string.Create(CultureInfo.InvariantCulture, $"Selection step {step.Number} ('{step.Label}'): {Of(step.Missing, "patient")} with '{step.Rule.Field}' missing {Were(step.Missing)} {what}."));
            }
        }
    }

    // ------------------------------------------------------------------ provenance

    private ReportProvenance Provenance()
    {
        var data = _context.DataFingerprints.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var sha = _p.SourceText is { } text ? RunContext.Sha256(text) : "none (protocol built in code)";
        return new ReportProvenance(
            _context.SoftwareVersion,
            _p.Name,
            sha,
            data,
            _context.GeneratedOn,
            ConventionName(_m.Convention),
            MethodList());
    }

    /// <summary>"1 patient", "2 patients" (<see cref="JournalFormat.CountOf"/>).</summary>
    internal static string Of(int n, string noun) => JournalFormat.CountOf(n, noun);

    /// <summary>"was" for one, "were" otherwise.</summary>
    internal static string Were(int n) => n == 1 ? "was" : "were";

    /// <summary>The tie method as the report names it: Efron, Breslow, or exact (R's exact partial likelihood).</summary>
    internal static string TiesName(TieMethod ties) => ties switch
    {
        TieMethod.Breslow => "Breslow",
        TieMethod.Exact => "exact",
        _ => "Efron",
    };

    internal static string ConventionName(Convention c) => c == Convention.Spss ? "SPSS" : "R";

    private List<KeyValuePair<string, string>> MethodList()
    {
        string level = JournalFormat.Number(100 * _m.ConfidenceLevel, 0) + "%";
        return
        [
            new("Ties (Cox)", TiesName(_m.Ties)),
            new("Survival CI", CiTypeDescription(_m.ConfidenceType)),
            new("Median survival CI", MedianDescription(_m.MedianInterval)),
            new("Variance of S(t)", "Greenwood"),
            new("Hazard ratio CI", "Wald, exp(b ± z·SE)"),
            new("Group comparison of survival", "log-rank test (R survdiff, rho = 0)"),
            new("Factors with more than two levels (Cox)", "likelihood-ratio test"),
            new("Group comparisons", "Fisher's exact test (categorical), Student's t-test (numerical), two-sided"),
            new("Follow-up", "reverse Kaplan-Meier"),
            new("Confidence level", level),
            new("Significance level", JournalFormat.Number(_m.Alpha, 2) + " (two-sided)"),
            new("Time unit", _p.TimeUnit switch
            {
                TimeUnit.Months => "months (days / 30.4375)",
                TimeUnit.Years => "years (days / 365.25)",
                _ => "days",
            }),
            new("Near-tied times", "merged as R's aeqSurv (timefix = TRUE)"),
            new("Missing data", "complete cases per analysis"),
            .. _context.SaltUsed is { } salted
                ? [new KeyValuePair<string, string>("Pseudonyms", salted
                    ? "identifying columns replaced by salted HMAC-SHA256 pseudonyms at import (a salt was used; it is never printed)"
                    : "no identifying column pseudonymised at import (no salt used)")]
                : Array.Empty<KeyValuePair<string, string>>(),
        ];
    }

    internal static string CiTypeDescription(ConfidenceIntervalType type) => type switch
    {
        ConfidenceIntervalType.Plain => "plain: S ± z·SE(S) (SPSS)",
        ConfidenceIntervalType.LogLog => "log-log: S^exp(±z·SE(log S)/log S) (SAS, Stata)",
        _ => "log: S·exp(±z·SE(log S)) (R survfit default)",
    };

    internal static string MedianDescription(MedianInterval rule) => rule == MedianInterval.Spss
        ? "SPSS: median ± z·SE(median), SE by Collett's formula"
        : "R: the times at which the pointwise CI limits of S(t) fall to 0.5";
}
