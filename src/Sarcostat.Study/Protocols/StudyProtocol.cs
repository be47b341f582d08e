using Sarcostat.Cohort.Derivation;
using Sarcostat.Survival;
using Sarcostat.Survival.Cox;
using Sarcostat.Survival.Curves;
using Sarcostat.Survival.RankTests;

namespace Sarcostat.Study.Protocols;

/// <summary>
/// A set of statistical defaults, named after who uses them. Every method a convention sets can still be overridden
/// one by one in a protocol (<see cref="StudyProtocol.Ties"/>, <see cref="StudyProtocol.ConfidenceType"/>,
/// <see cref="StudyProtocol.MedianInterval"/>).
/// </summary>
public enum Convention
{
    /// <summary>R's survival package: Efron ties, log-transformed survival CI, median CI where the CI limits cross 0.5.</summary>
    R = 0,

    /// <summary>
    /// SPSS: Breslow ties, plain survival CI S ± z·SE (SPSS prints the Greenwood SE; the interval users report from it
    /// is the plain one), median CI median ± z·SE(median).
    /// </summary>
    Spss = 1,
}

/// <summary>The text format of a protocol file.</summary>
public enum ProtocolFormat
{
    /// <summary>YAML 1.1/1.2 (block or flow style).</summary>
    Yaml = 0,

    /// <summary>JSON (comments and trailing commas allowed).</summary>
    Json = 1,
}

/// <summary>
/// A study protocol: which patients, which endpoints, which variables and which tables and figures, in the layout of a
/// paper. Loaded by <see cref="ProtocolLoader"/> from YAML or JSON (docs/protocol.md documents every key) and run by
/// <see cref="StudyRunner.Run"/>. Immutable.
/// </summary>
public sealed record StudyProtocol
{
    /// <summary>Short name, e.g. <c>nakayama2022</c> (file names, provenance).</summary>
    public required string Name { get; init; }

    /// <summary>Report title.</summary>
    public required string Title { get; init; }

    /// <summary>The design this protocol follows (e.g. the paper it reproduces), or null.</summary>
    public string? Design { get; init; }

    /// <summary>The set of statistical defaults (R by default).</summary>
    public Convention Convention { get; init; } = Convention.R;

    /// <summary>Tie handling of the Cox model; null: the convention's (Efron for R, Breslow for SPSS).</summary>
    public TieMethod? Ties { get; init; }

    /// <summary>Pointwise survival CI transformation; null: the convention's (log for R, plain for SPSS).</summary>
    public ConfidenceIntervalType? ConfidenceType { get; init; }

    /// <summary>Median survival CI rule; null: the convention's.</summary>
    public MedianInterval? MedianInterval { get; init; }

    /// <summary>Level of every confidence interval, in (0, 1); 0.95 by default.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Two-sided significance level; 0.05 by default. Also the default threshold of the multivariate selection rule.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Unit of every time (months by default: days / 30.4375).</summary>
    public TimeUnit TimeUnit { get; init; } = TimeUnit.Months;

    /// <summary>Data cut-off date, or null to use every recorded date (never an implicit "today").</summary>
    public DateOnly? AnalysisDate { get; init; }

    /// <summary>How a death of unknown cause enters DSS (censored at death by default).</summary>
    public UnknownCauseOfDeath UnknownCause { get; init; } = UnknownCauseOfDeath.CensorAtDeath;

    /// <summary>The landmark time of "k-year survival", in <see cref="TimeUnit"/> (60 months by default).</summary>
    public double Landmark { get; init; } = 60;

    /// <summary>The landmark's name, e.g. "5-year"; null to derive it from <see cref="Landmark"/> and the unit.</summary>
    public string? LandmarkLabel { get; init; }

    /// <summary>Report the median follow-up (reverse Kaplan-Meier) in the Results summary.</summary>
    public bool FollowUp { get; init; } = true;

    /// <summary>Write the Methods paragraph (a section before the protocol's sections).</summary>
    public bool IncludeMethods { get; init; } = true;

    /// <summary>Write the Results summary sentences (a section before the protocol's sections).</summary>
    public bool IncludeResultsSummary { get; init; } = true;

    /// <summary>Label of the row that counts missing values in descriptive tables.</summary>
    public string MissingLabel { get; init; } = "Missing";

    /// <summary>The journal's number style (<c>format:</c>); a table may override it.</summary>
    public Formatting.ReportFormat Format { get; init; } = Formatting.ReportFormat.Default;

    /// <summary>Cut points the protocol declares in addition to the built-in presets (<see cref="CutPoints.Presets"/>).</summary>
    public IReadOnlyList<CutPoint> CutPoints { get; init; } = [];

    /// <summary>Eligibility and exclusion steps, applied in order.</summary>
    public SelectionSpec Selection { get; init; } = new();

    /// <summary>The endpoints analysed; one is primary.</summary>
    public required IReadOnlyList<EndpointSpec> Endpoints { get; init; }

    /// <summary>Variables with labels, level labels and order, reference levels, and protocol-defined groupings.</summary>
    public IReadOnlyList<VariableSpec> Variables { get; init; } = [];

    /// <summary>The report's sections with their tables and figures, in order.</summary>
    public required IReadOnlyList<SectionSpec> Sections { get; init; }

    /// <summary>Where the protocol came from (file name or <c>shipped:NAME</c>), for messages and provenance.</summary>
    public string SourceName { get; init; } = "(protocol built in code)";

    /// <summary>The protocol's text as loaded (its SHA-256 is the protocol fingerprint), or null when built in code.</summary>
    public string? SourceText { get; init; }

    /// <summary>The primary endpoint: the one marked primary, else the first.</summary>
    public EndpointSpec PrimaryEndpoint => Endpoints.FirstOrDefault(e => e.Primary) ?? Endpoints[0];

    /// <summary>
    /// The same protocol under another convention, with the per-method overrides cleared so that every method follows
    /// the convention (what <c>--convention r|spss</c> does).
    /// </summary>
    public StudyProtocol WithConvention(Convention convention) =>
        this with { Convention = convention, Ties = null, ConfidenceType = null, MedianInterval = null };

    /// <summary>The methods in force: the convention's defaults with the protocol's overrides applied.</summary>
    public StatisticalMethods ResolveMethods() => new(
        Convention,
        Ties ?? (Convention == Convention.Spss ? TieMethod.Breslow : TieMethod.Efron),
        ConfidenceType ?? (Convention == Convention.Spss ? ConfidenceIntervalType.Plain : ConfidenceIntervalType.Log),
        MedianInterval ?? (Convention == Convention.Spss ? Survival.MedianInterval.Spss : Survival.MedianInterval.R),
        ConfidenceLevel,
        Alpha);

    /// <summary>The derivation options: time unit, analysis date, unknown cause, the DSS definition (of the declared DSS),
    /// and the presets plus the protocol's cut points.</summary>
    public DerivationOptions DerivationOptions() => new()
    {
        TimeUnit = TimeUnit,
        AnalysisDate = AnalysisDate,
        UnknownCause = UnknownCause,
        DssDefinition = Endpoints.FirstOrDefault(e => e.Endpoint == Endpoint.DiseaseSpecificSurvival)?.DssDefinition ?? DssDefinition.CauseSpecific,
        CutPoints = [.. Cohort.Derivation.CutPoints.Presets, .. CutPoints],
    };

    /// <summary>The variable declared under <paramref name="name"/>, or null.</summary>
    public VariableSpec? Variable(string name) => Variables.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The declared endpoint a reference names: its abbreviation or label as declared (e.g. "CSS",
    /// "Cancer-specific survival"), or a standard name (OS, DSS, CSS, DFS, PFS, OverallSurvival ...); case-insensitive.
    /// Null when no declared endpoint matches.
    /// </summary>
    public EndpointSpec? FindEndpoint(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var r = reference.Trim();
        var named = Endpoints.FirstOrDefault(e =>
            string.Equals(e.DisplayAbbreviation, r, StringComparison.OrdinalIgnoreCase)
            || string.Equals(e.DisplayLabel, r, StringComparison.OrdinalIgnoreCase));
        if (named is not null)
        {
            return named;
        }

        return Cohort.Derivation.Endpoints.TryParse(r, out var endpoint) ? Endpoints.FirstOrDefault(e => e.Endpoint == endpoint) : null;
    }

    /// <summary>Every item of every section, in order.</summary>
    public IEnumerable<ItemSpec> Items => Sections.SelectMany(s => s.Items);

    /// <summary>The rows of a univariate table: its own, or those of the table it names in
    /// <see cref="UnivariateTableSpec.RowsFrom"/> (empty when that is not a univariate table of this protocol).</summary>
    /// <param name="table">A univariate table of this protocol.</param>
    public IReadOnlyList<ModelRowSpec> RowsOf(UnivariateTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.RowsFrom is { } from
            ? Items.OfType<UnivariateTableSpec>().FirstOrDefault(t => t.Id == from && t.RowsFrom is null)?.Rows ?? []
            : table.Rows;
    }

    /// <inheritdoc />
    public override string ToString() => $"StudyProtocol({Name}, {Endpoints.Count} endpoints, {Items.Count()} items)";
}

/// <summary>The statistical methods in force for a run.</summary>
/// <param name="Convention">The convention they come from.</param>
/// <param name="Ties">Cox tie handling.</param>
/// <param name="ConfidenceType">Pointwise survival CI transformation.</param>
/// <param name="MedianInterval">Median survival CI rule.</param>
/// <param name="ConfidenceLevel">Confidence level.</param>
/// <param name="Alpha">Significance level.</param>
public sealed record StatisticalMethods(
    Convention Convention,
    TieMethod Ties,
    ConfidenceIntervalType ConfidenceType,
    MedianInterval MedianInterval,
    double ConfidenceLevel,
    double Alpha)
{
    /// <summary>Kaplan-Meier options for these methods.</summary>
    public KaplanMeierOptions KaplanMeier => new() { ConfidenceType = ConfidenceType, ConfidenceLevel = ConfidenceLevel, MedianInterval = MedianInterval };

    /// <summary>Cox options for these methods.</summary>
    public CoxOptions Cox => new() { Ties = Ties, ConfidenceLevel = ConfidenceLevel };
}

/// <summary>Eligibility and exclusion steps and the labels of the flow diagram's first and last boxes.</summary>
public sealed record SelectionSpec
{
    /// <summary>Text of the first box (all patients given to the run).</summary>
    public string StartLabel { get; init; } = "Patients identified";

    /// <summary>Text of the last box (the analysed cohort).</summary>
    public string FinalLabel { get; init; } = "Patients analysed";

    /// <summary>Name the source databases (the patients' <c>source</c> field) and their counts in the first box.</summary>
    public bool ShowSources { get; init; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<SelectionStepSpec> Steps { get; init; } = [];
}

/// <summary>One selection step: a rule of the Selection module and how the flow diagram shows it.</summary>
/// <param name="Rule">The rule (its label names the exclusion box).</param>
public sealed record SelectionStepSpec(Cohort.Selection.SelectionRule Rule)
{
    /// <summary>Text of the box after this step (e.g. "Sarcoma malignancy"), or null for a plain "Remaining" box.</summary>
    public string? Remaining { get; init; }

    /// <summary>List the excluded patients by value of the rule's field in the exclusion box.</summary>
    public bool ShowBreakdown { get; init; }

    /// <summary>Labels of the breakdown's values (value -> label); values not listed use the dictionary's code label.</summary>
    public IReadOnlyList<LevelLabel> BreakdownLabels { get; init; } = [];
}

/// <summary>An endpoint analysed by the protocol.</summary>
/// <param name="Endpoint">The endpoint as derived (OS, DSS, DFS, PFS).</param>
public sealed record EndpointSpec(Endpoint Endpoint)
{
    /// <summary>Name in the report, e.g. "Cancer-specific survival"; null for the standard name.</summary>
    public string? Label { get; init; }

    /// <summary>Abbreviation in the report, e.g. "CSS"; null for the standard one.</summary>
    public string? Abbreviation { get; init; }

    /// <summary>The primary endpoint of the study.</summary>
    public bool Primary { get; init; }

    /// <summary>A note printed with the definition in the Methods paragraph (e.g. how the source paper defined it).</summary>
    public string? Note { get; init; }

    /// <summary>
    /// DSS only (protocol key <c>definition</c>): death from sarcoma (<c>cause-specific</c>, the default) or from any
    /// cause (<c>any-cause</c>, as some papers define their "DSS", to reproduce them).
    /// </summary>
    public DssDefinition DssDefinition { get; init; } = DssDefinition.CauseSpecific;

    /// <summary>The name shown: <see cref="Label"/> or the standard name ("Overall survival", ...).</summary>
    public string DisplayLabel => Label ?? Endpoint switch
    {
        Endpoint.OverallSurvival => "Overall survival",
        Endpoint.DiseaseSpecificSurvival => "Disease-specific survival",
        Endpoint.DiseaseFreeSurvival => "Disease-free survival",
        _ => "Progression-free survival",
    };

    /// <summary>The abbreviation shown: <see cref="Abbreviation"/> or the standard one ("OS", ...).</summary>
    public string DisplayAbbreviation => Abbreviation ?? Endpoints.Abbreviation(Endpoint);
}

/// <summary>How a variable enters analyses.</summary>
public enum VariableKind
{
    /// <summary>From the field type: codes, booleans, text and groupings are categorical, numbers and integers numeric.</summary>
    Auto = 0,

    /// <summary>Categorical (levels), e.g. an integer field such as ECOG shown per value.</summary>
    Categorical = 1,

    /// <summary>Numeric (one HR per unit; mean, median ...).</summary>
    Numeric = 2,
}

/// <summary>A value and its label in the report.</summary>
/// <param name="Value">The value as the data hold it: a code, <c>yes</c>/<c>no</c>, a cut point or group label, an integer.</param>
/// <param name="Label">The text shown.</param>
public sealed record LevelLabel(string Value, string Label);

/// <summary>A level of a grouping variable and the source values it gathers.</summary>
/// <param name="Level">The level (its value; a label may be given in <see cref="VariableSpec.Levels"/>).</param>
/// <param name="Values">The source field's values that map to it.</param>
public sealed record LevelGroup(string Level, IReadOnlyList<string> Values);

/// <summary>
/// A variable of the protocol: an existing field, derived variable or cut point with its labels and reference level,
/// or a new categorical variable defined by grouping another one's values (<see cref="From"/>) or by "any of" several
/// yes/no fields (<see cref="AnyOf"/>).
/// </summary>
/// <param name="Name">The name; for a grouping, a new name that no field or derived variable has.</param>
public sealed record VariableSpec(string Name)
{
    /// <summary>Row label, e.g. "Disease-free interval"; null: the name in words.</summary>
    public string? Label { get; init; }

    /// <summary>Categorical or numeric; <see cref="VariableKind.Auto"/> decides from the type.</summary>
    public VariableKind Kind { get; init; }

    /// <summary>The source variable of a grouping, or null.</summary>
    public string? From { get; init; }

    /// <summary>The groups of a grouping, in level order.</summary>
    public IReadOnlyList<LevelGroup> Groups { get; init; } = [];

    /// <summary>Level of the source values no group lists; null: such values keep their own value.</summary>
    public string? Otherwise { get; init; }

    /// <summary>Source values treated as missing (e.g. a rare approach left out of a two-group comparison).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Boolean fields: the variable is <c>yes</c> when any is yes, <c>no</c> when all are no, else missing.</summary>
    public IReadOnlyList<string> AnyOf { get; init; } = [];

    /// <summary>Level order and labels; listed levels come first (and are shown even with no patient), in this order.</summary>
    public IReadOnlyList<LevelLabel> Levels { get; init; } = [];

    /// <summary>Reference level (a value) of Cox models; null: the first level.</summary>
    public string? Reference { get; init; }

    /// <summary>Row label of the variable's term in a compact multivariate table, e.g. "Non-curative resection".</summary>
    public string? TermLabel { get; init; }

    /// <summary>Numeric variables: factor applied to the values (e.g. 0.1 for mm -> cm).</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Numeric variables: the unit shown, or null.</summary>
    public string? Unit { get; init; }

    /// <summary>True for a grouping or any-of variable (defined by the protocol, not read from the data).</summary>
    public bool IsDefinedHere => From is not null || AnyOf.Count > 0;
}

/// <summary>A section of the report.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Title">Heading.</param>
/// <param name="Items">Its tables, figures and texts, in order.</param>
public sealed record SectionSpec(string Id, string Title, IReadOnlyList<ItemSpec> Items);

/// <summary>A table, figure or text of the report.</summary>
/// <param name="Id">Stable id, e.g. <c>table-2</c> (also the base of output file names).</param>
/// <param name="Title">Caption title.</param>
public abstract record ItemSpec(string Id, string Title)
{
    /// <summary>Footnotes added to the item's own.</summary>
    public IReadOnlyList<string> Footnotes { get; init; } = [];

    /// <summary>This item's number style when it overrides the protocol's <c>format</c> (the protocol's with the item's keys applied), else null.</summary>
    public Formatting.ReportFormat? Format { get; init; }

    /// <summary>
    /// Protocol key <c>landmark_time</c> (Kaplan-Meier figures, univariate and multivariate tables): a landmark analysis
    /// at this time (in the protocol's unit): only the patients still at risk then (alive and free of the endpoint's
    /// event, followed beyond it) are analysed, with time measured from the landmark, so that something that happens
    /// after time zero (a repeat metastasectomy, adjuvant treatment) is not credited with the survival needed to reach
    /// it (immortal-time bias). Null: time zero is the first metastasectomy.
    /// </summary>
    public double? LandmarkTime { get; init; }
}

/// <summary>A paragraph item written in the protocol.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Heading.</param>
/// <param name="Paragraphs">The text.</param>
public sealed record TextSpec(string Id, string Title, IReadOnlyList<string> Paragraphs) : ItemSpec(Id, Title);

/// <summary>How a descriptive row summarises its variable.</summary>
public enum SummaryKind
{
    /// <summary>Counts for categorical variables, mean ± SD for numeric ones.</summary>
    Auto = 0,

    /// <summary>n (%) per level.</summary>
    Counts = 1,

    /// <summary>mean ± SD.</summary>
    MeanSd = 2,

    /// <summary>median (min-max).</summary>
    MedianRange = 3,

    /// <summary>median (Q1-Q3), quartiles of type 7 as R.</summary>
    MedianIqr = 4,

    /// <summary>mean ± SD (min-max).</summary>
    MeanSdRange = 5,

    /// <summary>Kaplan-Meier median survival of an endpoint with its CI (the row names an endpoint, not a variable).</summary>
    MedianSurvival = 6,
}

/// <summary>Denominator of the percentages of a descriptive table.</summary>
public enum PercentBase
{
    /// <summary>All patients of the column (a missing row then completes 100%). The default.</summary>
    All = 0,

    /// <summary>Patients with a known value.</summary>
    Known = 1,
}

/// <summary>A descriptive table (paper 000 Tables 2-4 and 7, paper 001 Table 1): one column of summaries.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption.</param>
public sealed record DescriptiveTableSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The two column headings; <c>{n}</c> is replaced by the number of patients.</summary>
    public IReadOnlyList<string> Columns { get; init; } = ["Characteristic", "Patients (n = {n})"];

    /// <summary>The rows, in order.</summary>
    public required IReadOnlyList<DescriptiveRowSpec> Rows { get; init; }

    /// <summary>Decimals of percentages.</summary>
    public int PercentDecimals { get; init; } = 1;

    /// <summary>Print "%" after percentages ("38 (57.6%)" vs "38 (57.6)").</summary>
    public bool PercentSign { get; init; } = true;

    /// <summary>Denominator of percentages.</summary>
    public PercentBase PercentOf { get; init; } = PercentBase.All;
}

/// <summary>A row (or row group) of a descriptive or comparison table.</summary>
public sealed record DescriptiveRowSpec
{
    /// <summary>The variable summarised, or null for a heading-only row or a median-survival row.</summary>
    public string? Variable { get; init; }

    /// <summary>Heading-only row text (no variable), e.g. "Primary histology".</summary>
    public string? Heading { get; init; }

    /// <summary>Row label; null: the variable's label.</summary>
    public string? Label { get; init; }

    /// <summary>The summary.</summary>
    public SummaryKind Summary { get; init; }

    /// <summary>Decimals of numeric summaries (1 by default).</summary>
    public int? Decimals { get; init; }

    /// <summary>Only these levels (values); one level gives a single line "label  n (%)".</summary>
    public IReadOnlyList<string> Show { get; init; } = [];

    /// <summary>Print the variable's heading row above its levels (true by default).</summary>
    public bool ShowHeading { get; init; } = true;

    /// <summary>Extra indent of the row group.</summary>
    public int Indent { get; init; }

    /// <summary>Grouping variables: list the source values under each group that gathers several (true: all of them).</summary>
    public bool Breakdown { get; init; }

    /// <summary>Grouping variables: list only these source values as sub-rows.</summary>
    public IReadOnlyList<string> BreakdownValues { get; init; } = [];

    /// <summary>Order levels by decreasing count (ties in level order).</summary>
    public bool SortByCount { get; init; }

    /// <summary>The endpoint of a <see cref="SummaryKind.MedianSurvival"/> row.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Comparison tables: the test (fisher, chi-square, student, welch); null: Fisher or Student.</summary>
    public ComparisonTest? Test { get; init; }
}

/// <summary>The column kinds of univariate and multivariate tables.</summary>
public enum ColumnKind
{
    /// <summary>Patients with the level (with a known value; complete cases in a multivariate model).</summary>
    N = 0,

    /// <summary>Events among them.</summary>
    Events = 1,

    /// <summary>Kaplan-Meier survival at the landmark, %.</summary>
    Survival = 2,

    /// <summary>Kaplan-Meier survival at the landmark with its CI, % ("50.0 (35.1-71.2)").</summary>
    SurvivalCi = 3,

    /// <summary>Median survival with its CI.</summary>
    Median = 4,

    /// <summary>Hazard ratio (the reference level shows 1).</summary>
    HazardRatio = 5,

    /// <summary>Confidence interval of the hazard ratio ("1.12-5.18").</summary>
    ConfidenceInterval = 6,

    /// <summary>HR with CI in one cell ("2.41 (1.12-5.18)").</summary>
    HazardRatioCi = 7,

    /// <summary>p of the table's test.</summary>
    P = 8,

    /// <summary>Log-rank p of the factor (R <c>survdiff</c>), whatever the table's test; univariate tables only.</summary>
    LogRankP = 9,

    /// <summary>Wald p of each term of a univariate Cox model (each level against the reference), whatever the table's test.</summary>
    WaldP = 10,

    /// <summary>Likelihood-ratio p of the factor as a whole: the univariate Cox model against the null model, or in a
    /// multivariate model the model without the factor (R <c>drop1(fit, test = "Chisq")</c>).</summary>
    LikelihoodRatioP = 11,

    /// <summary>The log-rank chi-square statistic of the factor (R <c>survdiff</c>'s <c>chisq</c>, k - 1 df), on the factor's first level row; univariate tables only.</summary>
    LogRankChiSquare = 12,
}

/// <summary>Which p of the univariate table selects the factors of a multivariate model.</summary>
public enum SelectionTest
{
    /// <summary>The p of the univariate table's own test (log-rank or Cox). The default.</summary>
    TableTest = 0,

    /// <summary>The log-rank p of the factor.</summary>
    LogRank = 1,

    /// <summary>The Wald p of the univariate Cox model (the factor's single term; for more than two levels, the likelihood-ratio p).</summary>
    Wald = 2,

    /// <summary>The likelihood-ratio p of the univariate Cox model of the factor as a whole.</summary>
    LikelihoodRatio = 3,
}

/// <summary>A column of a univariate or multivariate table.</summary>
/// <param name="Kind">What it shows.</param>
/// <param name="Heading">Heading; null: the standard one ("n", "HR", "95% CI", "p", "5-year survival (%)" ...).</param>
public sealed record TableColumnSpec(ColumnKind Kind, string? Heading = null);

/// <summary>The test of a univariate table.</summary>
public enum UnivariateTest
{
    /// <summary>Log-rank test per factor (paper 001 Table 2).</summary>
    LogRank = 0,

    /// <summary>Univariate Cox model per factor: Wald p per term, likelihood-ratio p for a factor of more than two levels (paper 000 Table 5).</summary>
    Cox = 1,
}

/// <summary>A row of a univariate table: a variable, or a heading-only row.</summary>
public sealed record ModelRowSpec
{
    /// <summary>The variable, or null for a heading-only row.</summary>
    public string? Variable { get; init; }

    /// <summary>Heading-only row text.</summary>
    public string? Heading { get; init; }

    /// <summary>Label; null: the variable's.</summary>
    public string? Label { get; init; }

    /// <summary>Print the variable's heading row above its levels.</summary>
    public bool ShowHeading { get; init; } = true;
}

/// <summary>A univariate table (paper 001 Table 2: n, 5-year survival, log-rank p; paper 000 Table 5: n, HR, CI, p).</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption.</param>
public sealed record UnivariateTableSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The endpoint (abbreviation or name as declared).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The test behind the p column and the multivariate selection rule.</summary>
    public UnivariateTest Test { get; init; }

    /// <summary>The columns after the variable column.</summary>
    public IReadOnlyList<TableColumnSpec> Columns { get; init; } = [];

    /// <summary>Heading of the first column.</summary>
    public string VariableHeading { get; init; } = "Variable";

    /// <summary>The rows (those of <see cref="RowsFrom"/> when that is set).</summary>
    public required IReadOnlyList<ModelRowSpec> Rows { get; init; }

    /// <summary>The id of another univariate table whose rows this table repeats (protocol key <c>rows_from</c>), e.g.
    /// to test the same factors side by side with other columns; null: <see cref="Rows"/>.</summary>
    public string? RowsFrom { get; init; }

    /// <summary>Decimals of survival percentages.</summary>
    public int PercentDecimals { get; init; } = 1;

    /// <summary>The columns in force: <see cref="Columns"/>, or the test's standard set.</summary>
    public IReadOnlyList<TableColumnSpec> EffectiveColumns => Columns.Count > 0 ? Columns
        : Test == UnivariateTest.LogRank
            ? [new(ColumnKind.N), new(ColumnKind.Survival), new(ColumnKind.P)]
            : [new(ColumnKind.N), new(ColumnKind.HazardRatio), new(ColumnKind.ConfidenceInterval), new(ColumnKind.P)];
}

/// <summary>Row layout of a multivariate table.</summary>
public enum MultivariateLayout
{
    /// <summary>A heading per variable and a row per level, the reference showing 1 (paper 000 Table 6).</summary>
    Levels = 0,

    /// <summary>One row per term, labelled by the variable's term label (paper 001 Table 3).</summary>
    Compact = 1,
}

/// <summary>When a multivariate table also shows the Firth-penalised fit of its model (protocol key <c>firth</c>).</summary>
public enum FirthMode
{
    /// <summary>When the ordinary fit's likelihood is monotone (an infinite or zero hazard ratio): the default.</summary>
    Auto = 0,

    /// <summary>Always, whatever the ordinary fit.</summary>
    Always = 1,

    /// <summary>Never.</summary>
    Never = 2,
}

/// <summary>A multivariate Cox table and the rule that selects its factors.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption.</param>
public sealed record MultivariateTableSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The endpoint.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Selection rule: the id of a univariate table whose factors with p &lt; <see cref="Threshold"/> enter; or null.</summary>
    public string? SelectFrom { get; init; }

    /// <summary>Threshold of the selection rule; null: the protocol's alpha.</summary>
    public double? Threshold { get; init; }

    /// <summary>Which univariate p the selection rule compares with the threshold (<c>select: {p: ...}</c>).</summary>
    public SelectionTest SelectBy { get; init; } = SelectionTest.TableTest;

    /// <summary>Fixed list of variables (when <see cref="SelectFrom"/> is null).</summary>
    public IReadOnlyList<string> Variables { get; init; } = [];

    /// <summary>Row layout.</summary>
    public MultivariateLayout Layout { get; init; }

    /// <summary>When the Firth-penalised fit of the model is shown too.</summary>
    public FirthMode Firth { get; init; }

    /// <summary>The columns after the variable column; empty: n, HR, 95% CI, p (levels) or HR, 95% CI, p (compact).</summary>
    public IReadOnlyList<TableColumnSpec> Columns { get; init; } = [];

    /// <summary>Heading of the first column.</summary>
    public string VariableHeading { get; init; } = "Variable";

    /// <summary>
    /// Protocol key <c>time_dependent</c>: exposures that start after time zero (a recurrence, a repeat metastasectomy),
    /// entered as 0/1 covariates that switch on at their date (counting-process Cox model on (start, stop] rows, R's
    /// <c>tmerge</c> with <c>tdc</c>). Empty: an ordinary Cox model of the baseline variables.
    /// </summary>
    public IReadOnlyList<TimeDependentSpec> TimeDependent { get; init; } = [];

    /// <summary>The columns in force.</summary>
    public IReadOnlyList<TableColumnSpec> EffectiveColumns => Columns.Count > 0 ? Columns
        : Layout == MultivariateLayout.Compact
            ? [new(ColumnKind.HazardRatio), new(ColumnKind.ConfidenceInterval), new(ColumnKind.P)]
            : [new(ColumnKind.N), new(ColumnKind.HazardRatio), new(ColumnKind.ConfidenceInterval), new(ColumnKind.P)];
}

/// <summary>
/// A time-dependent exposure of a multivariate table (protocol: <c>time_dependent: [{name, at, label}]</c>): unexposed
/// (0) from the first metastasectomy until the date <see cref="At"/>, exposed (1) after it.
/// </summary>
/// <param name="Name">The covariate's name in the model (unique in the table, not one of its variables).</param>
/// <param name="At">The date it starts: one of <see cref="Analysis.TimeDependentExposures.Dates"/>
/// (<c>recurrence_date</c>, <c>progression_date</c>, <c>repeat_pm_date</c>).</param>
public sealed record TimeDependentSpec(string Name, string At)
{
    /// <summary>The row label; null: the name.</summary>
    public string? Label { get; init; }

    /// <summary>The label in force.</summary>
    public string DisplayLabel => Label ?? Name;
}

/// <summary>The test of a comparison row.</summary>
public enum ComparisonTest
{
    /// <summary>Fisher's exact test (categorical; the default).</summary>
    Fisher = 0,

    /// <summary>Pearson's chi-squared test without continuity correction (categorical).</summary>
    ChiSquare = 1,

    /// <summary>Student's t-test, equal variances (numeric; the default).</summary>
    Student = 2,

    /// <summary>Welch's t-test (numeric).</summary>
    Welch = 3,
}

/// <summary>A group comparison table: summaries per level of a grouping variable and a two-sided p per row.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption.</param>
public sealed record ComparisonTableSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The grouping variable (categorical).</summary>
    public required string By { get; init; }

    /// <summary>The rows (variables and summaries; each may name its test).</summary>
    public required IReadOnlyList<DescriptiveRowSpec> Rows { get; init; }

    /// <summary>Heading of the first column.</summary>
    public string VariableHeading { get; init; } = "Characteristic";

    /// <summary>Decimals of percentages.</summary>
    public int PercentDecimals { get; init; } = 1;

    /// <summary>Print "%" after percentages.</summary>
    public bool PercentSign { get; init; } = true;
}

/// <summary>A table of Kaplan-Meier estimates per endpoint: n, events, median with CI, landmark survival with CI.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption.</param>
public sealed record SurvivalTableSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The endpoints, in order; empty: every declared endpoint.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>
    /// Protocol key <c>rmst</c>: a time τ (in the protocol's time unit) up to which the restricted mean survival time is
    /// added as a column (area under the Kaplan-Meier curve; R <c>print(survfit(...), rmean = τ)</c>); null: no column.
    /// </summary>
    public double? RestrictedMeanTime { get; init; }

    /// <summary>
    /// Protocol key <c>cumulative_incidence</c>: add, for disease-specific survival, the cumulative incidence of sarcoma
    /// death at the landmark with deaths from other causes as competing events (Aalen-Johansen, R
    /// <c>cmprsk::cuminc</c>) beside the Kaplan-Meier estimate that treats them as censored.
    /// </summary>
    public bool CumulativeIncidence { get; init; }
}

/// <summary>
/// A cumulative incidence figure of disease-specific survival's events with deaths from other causes competing
/// (Aalen-Johansen; R <c>cmprsk::cuminc</c>): both causes overall, or sarcoma death by a factor with Gray's test.
/// </summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
public sealed record CumulativeIncidenceFigureSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The endpoint: disease-specific survival (DSS or CSS), whose events are sarcoma deaths.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The factor of one sarcoma-death curve per level, or null for one curve per cause (sarcoma, other causes).</summary>
    public string? By { get; init; }

    /// <summary>Print Gray's test p on a by-factor plot.</summary>
    public bool ShowP { get; init; } = true;

    /// <summary>x ticks (also the number-at-risk times); empty: chosen from the unit and the follow-up.</summary>
    public IReadOnlyList<double> Ticks { get; init; } = [];

    /// <summary>Caption text; null: generated (method, counts, competing events).</summary>
    public string? Caption { get; init; }
}

/// <summary>A Kaplan-Meier figure, overall or by a factor.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
public sealed record KaplanMeierFigureSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The endpoint.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The factor (categorical variable) of one curve per level, or null for one overall curve.</summary>
    public string? By { get; init; }

    /// <summary>Draw the pointwise CI as a band.</summary>
    public bool ConfidenceBand { get; init; }

    /// <summary>Print the log-rank p on a by-factor plot.</summary>
    public bool ShowP { get; init; } = true;

    /// <summary>x ticks (also the number-at-risk times); empty: chosen from the unit and the follow-up.</summary>
    public IReadOnlyList<double> Ticks { get; init; } = [];

    /// <summary>x tick step when <see cref="Ticks"/> is empty; null: chosen from the unit and the follow-up.</summary>
    public double? TickStep { get; init; }

    /// <summary>Last x tick when <see cref="Ticks"/> is empty; null: the longest observed time.</summary>
    public double? MaxTime { get; init; }

    /// <summary>x-axis label; null: "Months after the first pulmonary metastasectomy".</summary>
    public string? XLabel { get; init; }

    /// <summary>y-axis label; null: the endpoint's name.</summary>
    public string? YLabel { get; init; }

    /// <summary>Caption; null: written from the run.</summary>
    public string? Caption { get; init; }

    /// <summary>Survival axis in percent (<c>y_axis: percent</c>) instead of a proportion.</summary>
    public bool PercentAxis { get; init; }

    /// <summary>Times (in the protocol's time unit) at which each curve's survival is marked and labelled.</summary>
    public IReadOnlyList<double> Landmarks { get; init; } = [];

    /// <summary>Mark each curve's median survival (where reached).</summary>
    public bool MarkMedian { get; init; }
}

/// <summary>The patient-selection flow diagram (from <see cref="StudyProtocol.Selection"/>).</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
public sealed record FlowFigureSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>Caption; null: written from the run.</summary>
    public string? Caption { get; init; }
}

/// <summary>A forest plot of a multivariate model's hazard ratios.</summary>
/// <param name="Id">Id.</param>
/// <param name="Title">Caption title.</param>
public sealed record ForestFigureSpec(string Id, string Title) : ItemSpec(Id, Title)
{
    /// <summary>The id of the multivariate table whose model it plots.</summary>
    public required string Model { get; init; }

    /// <summary>Caption; null: written from the run.</summary>
    public string? Caption { get; init; }

    /// <summary>Label under the left half of the axis (hazard ratios below 1).</summary>
    public string? FavoursLower { get; init; } = "Lower hazard";

    /// <summary>Label under the right half of the axis (hazard ratios above 1).</summary>
    public string? FavoursHigher { get; init; } = "Higher hazard";
}
