using Sarcostat.Files.Config;
using System.Globalization;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;
using Sarcostat.Survival;

namespace Sarcostat.Study.Protocols;

/// <summary>
/// Binds a <see cref="ConfigNode"/> tree to a <see cref="StudyProtocol"/>: known keys only, values of the right
/// kind, enumerations spelled as documented. Collects every problem instead of stopping at the first. Names of
/// variables, levels, endpoints and items are checked afterwards by <see cref="ProtocolValidator"/>.
/// </summary>
internal sealed class ProtocolBinder
{
    private static readonly string[] RootKeys =
    [
        "protocol", "name", "title", "design", "convention", "ties", "ci_type", "median_ci", "confidence_level", "alpha",
        "time_unit", "analysis_date", "unknown_cause", "landmark", "landmark_label", "follow_up", "methods", "results_summary", "format",
        "missing_label", "cut_points", "selection", "endpoints", "variables", "sections",
    ];

    private static readonly string[] ItemTypes = ["descriptive", "univariate", "multivariate", "comparison", "survival", "km", "cif", "flow", "forest", "text"];

    private static readonly string[] CommonItemKeys = ["type", "id", "title", "footnotes", "format"];

    private static readonly string[] FormatKeys =
        ["hr_decimals", "p_decimals", "p_style", "dash", "survival_decimals", "median_decimals", "percent_decimals", "mean_sd", "percent_of"];

    // The protocol's number style, bound before the items so that an item's format overrides it key by key.
    private Formatting.ReportFormat _format = Formatting.ReportFormat.Default;

    // The style of the item being bound (its format over the protocol's), for the defaults of its own keys.
    private Formatting.ReportFormat _itemFormat = Formatting.ReportFormat.Default;

    private static readonly (string Key, SelectionOperator Op)[] Operators =
    [
        ("equals", SelectionOperator.EqualTo),
        ("not_equals", SelectionOperator.NotEqualTo),
        ("in", SelectionOperator.In),
        ("not_in", SelectionOperator.NotIn),
        ("less_than", SelectionOperator.LessThan),
        ("at_most", SelectionOperator.AtMost),
        ("greater_than", SelectionOperator.GreaterThan),
        ("at_least", SelectionOperator.AtLeast),
        ("is_missing", SelectionOperator.IsMissing),
        ("is_present", SelectionOperator.IsPresent),
    ];

    private static readonly (string Key, ColumnKind Kind)[] ColumnKeys =
    [
        ("n", ColumnKind.N),
        ("events", ColumnKind.Events),
        ("survival", ColumnKind.Survival),
        ("survival_ci", ColumnKind.SurvivalCi),
        ("median", ColumnKind.Median),
        ("hr", ColumnKind.HazardRatio),
        ("ci", ColumnKind.ConfidenceInterval),
        ("hr_ci", ColumnKind.HazardRatioCi),
        ("p", ColumnKind.P),
        ("p_logrank", ColumnKind.LogRankP),
        ("p_wald", ColumnKind.WaldP),
        ("p_lr", ColumnKind.LikelihoodRatioP),
        ("chi2_logrank", ColumnKind.LogRankChiSquare),
    ];

    private readonly string _source;
    private readonly List<ProtocolProblem> _problems = [];
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private ProtocolBinder(string source) => _source = source;

    /// <summary>Binds the tree; returns the protocol (null when the shape is too broken) and the problems.</summary>
    public static (StudyProtocol? Protocol, IReadOnlyList<ProtocolProblem> Problems, IReadOnlyDictionary<string, int> Lines) Bind(ConfigNode root, string source, string text)
    {
        var binder = new ProtocolBinder(source);
        var protocol = binder.BindRoot(root, text);
        return (protocol, binder._problems, binder._lines);
    }

    private StudyProtocol? BindRoot(ConfigNode node, string text)
    {
        if (node is not ConfigMap root)
        {
            Error(node, $"a protocol is a mapping of keys (name, title, endpoints, sections, ...), not {node.Kind}");
            return null;
        }

        Keys(root, RootKeys);
        if (root["protocol"] is { } version && Int(version) is { } v && v != 1)
        {
            Error(version, string.Create(CultureInfo.InvariantCulture, $"protocol format version {v} is not known; this Sarcostat reads version 1"));
        }

        var name = RequiredString(root, "name");
        var title = RequiredString(root, "title");
        _format = BindFormat(root["format"], Formatting.ReportFormat.Default) ?? Formatting.ReportFormat.Default;
        var endpoints = BindEndpoints(root);
        var sections = BindSections(root);
        var convention = Enum(root["convention"], ["r", "spss"], [Convention.R, Convention.Spss]);
        var protocol = new StudyProtocol
        {
            Name = name ?? string.Empty,
            Title = title ?? string.Empty,
            Design = OptionalString(root, "design"),
            Convention = convention ?? Convention.R,
            Ties = Enum(root["ties"], ["efron", "breslow", "exact"], [TieMethod.Efron, TieMethod.Breslow, TieMethod.Exact]),
            ConfidenceType = Enum(
                root["ci_type"],
                ["log", "log-log", "plain"],
                [ConfidenceIntervalType.Log, ConfidenceIntervalType.LogLog, ConfidenceIntervalType.Plain]),
            MedianInterval = Enum(root["median_ci"], ["r", "spss"], [MedianInterval.R, MedianInterval.Spss]),
            ConfidenceLevel = Probability(root["confidence_level"]) ?? 0.95,
            Alpha = Probability(root["alpha"]) ?? 0.05,
            TimeUnit = Enum(root["time_unit"], ["months", "days", "years"], [TimeUnit.Months, TimeUnit.Days, TimeUnit.Years]) ?? TimeUnit.Months,
            AnalysisDate = Date(root["analysis_date"]),
            UnknownCause = Enum(
                root["unknown_cause"],
                ["censor", "not_derivable", "event"],
                [UnknownCauseOfDeath.CensorAtDeath, UnknownCauseOfDeath.NotDerivable, UnknownCauseOfDeath.Event]) ?? UnknownCauseOfDeath.CensorAtDeath,
            Landmark = PositiveNumber(root["landmark"]) ?? 60,
            LandmarkLabel = OptionalString(root, "landmark_label"),
            FollowUp = Bool(root["follow_up"]) ?? true,
            IncludeMethods = Bool(root["methods"]) ?? true,
            IncludeResultsSummary = Bool(root["results_summary"]) ?? true,
            MissingLabel = OptionalString(root, "missing_label") ?? "Missing",
            Format = _format,
            CutPoints = BindCutPoints(root["cut_points"]),
            Selection = BindSelection(root["selection"]),
            Endpoints = endpoints,
            Variables = BindVariables(root["variables"]),
            Sections = sections,
            SourceName = _source,
            SourceText = text,
        };
        return protocol;
    }

    // ------------------------------------------------------------------ endpoints, cut points, selection

    private List<EndpointSpec> BindEndpoints(ConfigMap root)
    {
        var list = new List<EndpointSpec>();
        if (root["endpoints"] is not { } node)
        {
            Error(root, "'endpoints' is missing: list the endpoints analysed (OS, DSS, DFS, PFS), one of them primary");
            return list;
        }

        if (Sequence(node, "a list of endpoints") is not { } seq)
        {
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (item is ConfigScalar s)
            {
                if (ParseEndpoint(s) is { } e)
                {
                    list.Add(new EndpointSpec(e));
                }

                continue;
            }

            if (Mapping(item, "an endpoint (a name such as OS, or a mapping with 'endpoint', 'label', 'abbreviation', 'primary', 'note', 'definition')") is not { } m)
            {
                continue;
            }

            Keys(m, ["endpoint", "label", "abbreviation", "primary", "note", "definition"]);
            if (m["endpoint"] is not ConfigScalar en)
            {
                Error(m, "'endpoint' is missing: OS, DSS (or CSS), DFS or PFS");
                continue;
            }

            if (ParseEndpoint(en) is not { } endpoint)
            {
                continue;
            }

            var definition = Enum(m["definition"], ["cause-specific", "any-cause"], [DssDefinition.CauseSpecific, DssDefinition.AnyCause]);
            if (definition is not null && endpoint != Endpoint.DiseaseSpecificSurvival)
            {
                Error(m["definition"]!, "'definition' applies to DSS only (cause-specific or any-cause); OS, DFS and PFS have one definition each");
                definition = null;
            }

            list.Add(new EndpointSpec(endpoint)
            {
                DssDefinition = definition ?? DssDefinition.CauseSpecific,
                Label = OptionalString(m, "label"),
                Abbreviation = OptionalString(m, "abbreviation"),
                Primary = Bool(m["primary"]) ?? false,
                Note = OptionalString(m, "note"),
            });
        }

        if (seq.Items.Count == 0)
        {
            Error(node, "the list of endpoints is empty; name at least one (OS, DSS, DFS, PFS)");
        }

        return list;
    }

    private Endpoint? ParseEndpoint(ConfigScalar s)
    {
        if (Endpoints.TryParse(s.Value, out var e))
        {
            return e;
        }

        Error(s, $"'{s.Value}' is not an endpoint; expected OS, DSS (or CSS), DFS or PFS");
        return null;
    }

    private List<CutPoint> BindCutPoints(ConfigNode? node)
    {
        var list = new List<CutPoint>();
        if (node is null || Sequence(node, "a list of cut points") is not { } seq)
        {
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (item is ConfigScalar s)
            {
                // A preset named for the record; presets are always derived.
                if (s.Value is null || Cohort.Derivation.CutPoints.Preset(s.Value) is null)
                {
                    Error(s, $"'{s.Value}' is not a preset cut point; presets are {string.Join(", ", Cohort.Derivation.CutPoints.Presets.Select(c => c.VariableName))}, "
                        + "or declare one as {name, field, threshold, below, at_or_above}" + Suggest(s.Value, Cohort.Derivation.CutPoints.Presets.Select(c => c.VariableName)));
                }

                continue;
            }

            if (Mapping(item, "a cut point: a preset name, or a mapping with 'name', 'field', 'threshold', 'below', 'at_or_above'") is not { } m)
            {
                continue;
            }

            Keys(m, ["name", "field", "threshold", "below", "at_or_above"]);
            var name = RequiredString(m, "name");
            var field = RequiredString(m, "field");
            var threshold = m["threshold"] is { } t ? Number(t) : null;
            if (m["threshold"] is null)
            {
                Error(m, "'threshold' is missing: the cut point, in the variable's unit");
            }

            var below = RequiredString(m, "below");
            var above = RequiredString(m, "at_or_above");
            if (name is null || field is null || threshold is null || below is null || above is null)
            {
                continue;
            }

            var cut = new CutPoint(field, threshold.Value, below, above, name);
            try
            {
                cut.Validate();
                list.Add(cut);
            }
            catch (ArgumentException e)
            {
                Error(m, Sentence(e.Message));
            }
        }

        return list;
    }

    private SelectionSpec BindSelection(ConfigNode? node)
    {
        if (node is null || Mapping(node, "a mapping with 'start', 'final', 'show_sources' and 'steps'") is not { } m)
        {
            return new SelectionSpec();
        }

        Keys(m, ["start", "final", "show_sources", "steps"]);
        var steps = new List<SelectionStepSpec>();
        if (m["steps"] is { } stepsNode && Sequence(stepsNode, "a list of selection steps") is { } seq)
        {
            foreach (var item in seq.Items)
            {
                if (BindStep(item) is { } step)
                {
                    steps.Add(step);
                }
            }
        }

        return new SelectionSpec
        {
            StartLabel = OptionalString(m, "start") ?? "Patients identified",
            FinalLabel = OptionalString(m, "final") ?? "Patients analysed",
            ShowSources = Bool(m["show_sources"]) ?? false,
            Steps = steps,
        };
    }

    private SelectionStepSpec? BindStep(ConfigNode node)
    {
        if (Mapping(node, "a selection step: a mapping with 'label' and 'exclude' or 'include'") is not { } m)
        {
            return null;
        }

        Keys(m, ["label", "exclude", "include", "remaining", "breakdown", "breakdown_labels"]);
        var label = RequiredString(m, "label");
        var exclude = m["exclude"];
        var include = m["include"];
        if ((exclude is null) == (include is null))
        {
            Error(m, "a step needs exactly one of 'exclude' (patients for whom the condition holds are excluded) or 'include' (patients for whom it does not hold are excluded)");
            return null;
        }

        var kind = exclude is not null ? CriterionKind.Exclusion : CriterionKind.Inclusion;
        if (Mapping((exclude ?? include)!, "a condition: a mapping with 'field', one operator (equals, not_equals, in, not_in, less_than, at_most, greater_than, at_least, is_missing, is_present) and optionally 'when_missing'") is not { } cond)
        {
            return null;
        }

        Keys(cond, ["field", "when_missing", .. Operators.Select(o => o.Key)]);
        var field = RequiredString(cond, "field");
        var ops = Operators.Where(o => cond.Has(o.Key)).ToList();
        if (ops.Count != 1)
        {
            Error(cond, ops.Count == 0
                ? "the condition has no operator; use one of " + string.Join(", ", Operators.Select(o => o.Key))
                : "the condition has more than one operator (" + string.Join(", ", ops.Select(o => o.Key)) + "); split it into steps");
            return null;
        }

        var (opKey, op) = ops[0];
        var valueNode = cond[opKey]!;
        object? value = null;
        if (op is SelectionOperator.IsMissing or SelectionOperator.IsPresent)
        {
            if (Bool(valueNode) is not true)
            {
                Error(valueNode, $"'{opKey}' takes the value true");
                return null;
            }
        }
        else if (op is SelectionOperator.In or SelectionOperator.NotIn)
        {
            value = StringList(valueNode, $"a list of values for '{opKey}'");
        }
        else if (valueNode is ConfigScalar { Value: { } sv })
        {
            value = sv;
        }
        else
        {
            Error(valueNode, $"'{opKey}' needs one value (a code, a number, a date yyyy-MM-dd, yes or no), not {valueNode.Kind}");
            return null;
        }

        var whenMissing = Enum(cond["when_missing"], ["keep", "exclude"], [MissingValuePolicy.Keep, MissingValuePolicy.Exclude]) ?? MissingValuePolicy.Keep;
        if (label is null || field is null)
        {
            return null;
        }

        var rule = new SelectionRule(field, op, value, label) { Kind = kind, WhenMissing = whenMissing };
        return new SelectionStepSpec(rule)
        {
            Remaining = OptionalString(m, "remaining"),
            ShowBreakdown = Bool(m["breakdown"]) ?? op == SelectionOperator.In,
            BreakdownLabels = LevelLabels(m["breakdown_labels"]),
        };
    }

    // ------------------------------------------------------------------ variables

    private List<VariableSpec> BindVariables(ConfigNode? node)
    {
        var list = new List<VariableSpec>();
        if (node is null || Mapping(node, "a mapping of variable names to their labels and levels") is not { } m)
        {
            return list;
        }

        foreach (var (name, value) in m.Pairs)
        {
            if (value is ConfigScalar s)
            {
                list.Add(new VariableSpec(name) { Label = s.Value });
                continue;
            }

            if (Mapping(value, "a variable: a label, or a mapping with 'label', 'levels', 'reference', 'from'/'groups', 'any_of', ...") is not { } v)
            {
                continue;
            }

            Keys(v, ["label", "type", "from", "groups", "otherwise", "exclude", "any_of", "levels", "reference", "term_label", "scale", "unit"]);
            var groups = new List<LevelGroup>();
            if (v["groups"] is { } g && Mapping(g, "a mapping of each group's level to the source values it gathers") is { } gm)
            {
                foreach (var (level, values) in gm.Pairs)
                {
                    groups.Add(new LevelGroup(level, StringList(values, $"the values of group '{level}'")));
                }
            }

            list.Add(new VariableSpec(name)
            {
                Label = OptionalString(v, "label"),
                Kind = Enum(v["type"], ["categorical", "numeric"], [VariableKind.Categorical, VariableKind.Numeric]) ?? VariableKind.Auto,
                From = OptionalString(v, "from"),
                Groups = groups,
                Otherwise = OptionalString(v, "otherwise"),
                Exclude = v["exclude"] is { } ex ? StringList(ex, "a list of source values treated as missing") : [],
                AnyOf = v["any_of"] is { } any ? StringList(any, "a list of yes/no fields") : [],
                Levels = LevelLabels(v["levels"]),
                Reference = OptionalString(v, "reference"),
                TermLabel = OptionalString(v, "term_label"),
                Scale = v["scale"] is { } sc ? Number(sc) ?? 1 : 1,
                Unit = OptionalString(v, "unit"),
            });
        }

        return list;
    }

    /// <summary>Levels as a mapping (value: label) or a list of values (or of single-entry mappings), in order.</summary>
    private List<LevelLabel> LevelLabels(ConfigNode? node)
    {
        var list = new List<LevelLabel>();
        switch (node)
        {
            case null:
                return list;
            case ConfigMap m:
                foreach (var (value, label) in m.Pairs)
                {
                    if (label is ConfigScalar { Value: { } text })
                    {
                        list.Add(new LevelLabel(value, text));
                    }
                    else
                    {
                        Error(label, $"the label of '{value}' must be a text, not {label.Kind}");
                    }
                }

                return list;
            case ConfigList s:
                foreach (var item in s.Items)
                {
                    if (item is ConfigScalar { Value: { } value })
                    {
                        list.Add(new LevelLabel(value, value));
                    }
                    else
                    {
                        Error(item, $"a level must be a value, not {item.Kind}");
                    }
                }

                return list;
            default:
                Error(node, "levels are a mapping of value to label (in the order shown), or a list of values");
                return list;
        }
    }

    // ------------------------------------------------------------------ sections and items

    private List<SectionSpec> BindSections(ConfigMap root)
    {
        var list = new List<SectionSpec>();
        if (root["sections"] is not { } node)
        {
            Error(root, "'sections' is missing: list the report's sections, each with its tables and figures");
            return list;
        }

        if (Sequence(node, "a list of sections") is not { } seq)
        {
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (Mapping(item, "a section: a mapping with 'id', 'title' and 'items'") is not { } m)
            {
                continue;
            }

            Keys(m, ["id", "title", "items"]);
            var items = new List<ItemSpec>();
            if (m["items"] is { } itemsNode && Sequence(itemsNode, "a list of tables, figures and texts") is { } itemSeq)
            {
                foreach (var i in itemSeq.Items)
                {
                    if (BindItem(i) is { } spec)
                    {
                        items.Add(spec);
                    }
                }
            }
            else if (m["items"] is null)
            {
                Error(m, "'items' is missing: the section's tables, figures and texts");
            }

            list.Add(new SectionSpec(RequiredString(m, "id") ?? string.Empty, RequiredString(m, "title") ?? string.Empty, items));
        }

        return list;
    }

    private ItemSpec? BindItem(ConfigNode node)
    {
        if (Mapping(node, "an item: a mapping with 'type', 'id', 'title' and the type's keys") is not { } m)
        {
            return null;
        }

        var type = RequiredString(m, "type");
        if (type is null)
        {
            return null;
        }

        if (!ItemTypes.Contains(type))
        {
            Error(m["type"]!, $"'{type}' is not an item type; expected one of {string.Join(", ", ItemTypes)}{Suggest(type, ItemTypes)}");
            return null;
        }

        var id = RequiredString(m, "id") ?? string.Empty;
        var title = RequiredString(m, "title") ?? string.Empty;
        var footnotes = m["footnotes"] is { } f ? StringList(f, "a list of footnotes") : [];
        var format = BindFormat(m["format"], _format);
        _itemFormat = format ?? _format;
        ItemSpec? spec = type switch
        {
            "descriptive" => BindDescriptive(m, id, title),
            "univariate" => BindUnivariate(m, id, title),
            "multivariate" => BindMultivariate(m, id, title),
            "comparison" => BindComparison(m, id, title),
            "survival" => BindSurvival(m, id, title),
            "km" => BindKaplanMeier(m, id, title),
            "cif" => BindCumulativeIncidence(m, id, title),
            "flow" => BindFlow(m, id, title),
            "forest" => BindForest(m, id, title),
            _ => BindText(m, id, title),
        };
        return spec is null ? null : spec with { Footnotes = footnotes, Format = format, LandmarkTime = PositiveNumber(m["landmark_time"]) };
    }

    private DescriptiveTableSpec BindDescriptive(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "columns", "rows", "percent_decimals", "percent_sign", "percent_of"]);
        var columns = m["columns"] is { } c ? StringList(c, "the two column headings") : null;
        if (columns is not null && columns.Count != 2)
        {
            Error(m["columns"]!, string.Create(CultureInfo.InvariantCulture, $"a descriptive table has 2 columns (the label and the summary), not {columns.Count}"));
            columns = null;
        }

        return new DescriptiveTableSpec(id, title)
        {
            Columns = columns ?? ["Characteristic", "Patients (n = {n})"],
            Rows = BindDescriptiveRows(m, comparison: false),
            PercentDecimals = Decimals(m["percent_decimals"]) ?? _itemFormat.PercentDecimals,
            PercentSign = Bool(m["percent_sign"]) ?? true,
            PercentOf = Enum(m["percent_of"], ["all", "known"], [PercentBase.All, PercentBase.Known]) ?? _itemFormat.PercentOf,
        };
    }

    private List<DescriptiveRowSpec> BindDescriptiveRows(ConfigMap m, bool comparison)
    {
        var rows = new List<DescriptiveRowSpec>();
        if (m["rows"] is not { } node)
        {
            Error(m, "'rows' is missing: the table's variables");
            return rows;
        }

        if (Sequence(node, "a list of rows") is not { } seq)
        {
            return rows;
        }

        string[] keys = comparison
            ? ["variable", "heading", "label", "summary", "decimals", "show", "show_heading", "indent", "test"]
            : ["variable", "heading", "label", "summary", "decimals", "show", "show_heading", "indent", "breakdown", "sort", "endpoint"];
        foreach (var item in seq.Items)
        {
            if (item is ConfigScalar { Value: { } name })
            {
                rows.Add(new DescriptiveRowSpec { Variable = name });
                continue;
            }

            if (Mapping(item, "a row: a variable name, or a mapping with 'variable' (or 'heading', or 'endpoint' for a median-survival row)") is not { } r)
            {
                continue;
            }

            Keys(r, keys);
            var breakdownNode = r["breakdown"];
            bool breakdown = false;
            IReadOnlyList<string> breakdownValues = [];
            if (breakdownNode is ConfigList)
            {
                breakdownValues = StringList(breakdownNode, "the source values to list");
                breakdown = true;
            }
            else if (breakdownNode is not null)
            {
                breakdown = Bool(breakdownNode) ?? false;
            }

            var summary = Enum(
                r["summary"],
                ["counts", "mean-sd", "median-range", "median-iqr", "mean-sd-range", "median-survival"],
                [SummaryKind.Counts, SummaryKind.MeanSd, SummaryKind.MedianRange, SummaryKind.MedianIqr, SummaryKind.MeanSdRange, SummaryKind.MedianSurvival]) ?? SummaryKind.Auto;
            var row = new DescriptiveRowSpec
            {
                Variable = OptionalString(r, "variable"),
                Heading = OptionalString(r, "heading"),
                Label = OptionalString(r, "label"),
                Summary = summary,
                Decimals = Decimals(r["decimals"]),
                Show = r["show"] is { } show ? StringList(show, "the levels shown") : [],
                ShowHeading = Bool(r["show_heading"]) ?? true,
                Indent = Decimals(r["indent"]) ?? 0,
                Breakdown = breakdown,
                BreakdownValues = breakdownValues,
                SortByCount = (Enum(r["sort"], ["level", "count"], [false, true]) ?? false),
                Endpoint = OptionalString(r, "endpoint"),
                Test = Enum(
                    r["test"],
                    ["fisher", "chi-square", "student", "welch"],
                    [ComparisonTest.Fisher, ComparisonTest.ChiSquare, ComparisonTest.Student, ComparisonTest.Welch]),
            };
            if (row.Variable is null && row.Heading is null && row.Summary != SummaryKind.MedianSurvival)
            {
                Error(r, "a row needs 'variable', or 'heading' for a heading-only row, or 'summary: median-survival' with 'endpoint'");
                continue;
            }

            rows.Add(row);
        }

        return rows;
    }

    private UnivariateTableSpec BindUnivariate(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "endpoint", "test", "columns", "variable_heading", "rows", "rows_from", "percent_decimals", "landmark_time"]);
        var rowsFrom = OptionalString(m, "rows_from");
        if (rowsFrom is not null && m["rows"] is not null)
        {
            Error(m, "give either 'rows' or 'rows_from' (the id of a univariate table whose rows to repeat), not both");
        }

        return new UnivariateTableSpec(id, title)
        {
            RowsFrom = rowsFrom,
            Endpoint = RequiredString(m, "endpoint") ?? string.Empty,
            Test = Enum(m["test"], ["log-rank", "cox"], [UnivariateTest.LogRank, UnivariateTest.Cox]) ?? UnivariateTest.LogRank,
            Columns = BindColumns(m["columns"]),
            VariableHeading = OptionalString(m, "variable_heading") ?? "Variable",
            Rows = rowsFrom is null ? BindModelRows(m) : [],
            PercentDecimals = Decimals(m["percent_decimals"]) ?? _itemFormat.SurvivalDecimals,
        };
    }

    private List<ModelRowSpec> BindModelRows(ConfigMap m)
    {
        var rows = new List<ModelRowSpec>();
        if (m["rows"] is not { } node)
        {
            Error(m, "'rows' is missing: the variables analysed");
            return rows;
        }

        if (Sequence(node, "a list of rows") is not { } seq)
        {
            return rows;
        }

        foreach (var item in seq.Items)
        {
            if (item is ConfigScalar { Value: { } name })
            {
                rows.Add(new ModelRowSpec { Variable = name });
                continue;
            }

            if (Mapping(item, "a row: a variable name, or a mapping with 'variable' (or 'heading')") is not { } r)
            {
                continue;
            }

            Keys(r, ["variable", "heading", "label", "show_heading"]);
            var row = new ModelRowSpec
            {
                Variable = OptionalString(r, "variable"),
                Heading = OptionalString(r, "heading"),
                Label = OptionalString(r, "label"),
                ShowHeading = Bool(r["show_heading"]) ?? true,
            };
            if (row.Variable is null && row.Heading is null)
            {
                Error(r, "a row needs 'variable', or 'heading' for a heading-only row");
                continue;
            }

            rows.Add(row);
        }

        return rows;
    }

    private List<TableColumnSpec> BindColumns(ConfigNode? node)
    {
        var list = new List<TableColumnSpec>();
        if (node is null || Sequence(node, "a list of columns (n, events, survival, survival_ci, median, hr, ci, hr_ci, p, p_logrank, p_wald, p_lr, chi2_logrank)") is not { } seq)
        {
            return list;
        }

        var keys = ColumnKeys.Select(c => c.Key).ToArray();
        foreach (var item in seq.Items)
        {
            string? key = null;
            string? heading = null;
            ConfigNode at = item;
            if (item is ConfigScalar { Value: { } k })
            {
                key = k;
            }
            else if (item is ConfigMap { Entries.Count: 1 } one && one.Entries[0].Value is ConfigScalar { Value: { } h })
            {
                key = one.Entries[0].Key.Value;
                heading = h;
            }
            else
            {
                Error(item, "a column is a key (n, events, survival, survival_ci, median, hr, ci, hr_ci, p, p_logrank, p_wald, p_lr, chi2_logrank) or a mapping of one key to its heading");
                continue;
            }

            var match = ColumnKeys.FirstOrDefault(c => c.Key == key);
            if (match.Key is null)
            {
                Error(at, $"'{key}' is not a column; expected one of {string.Join(", ", keys)}{Suggest(key, keys)}");
                continue;
            }

            list.Add(new TableColumnSpec(match.Kind, heading));
        }

        return list;
    }

    private MultivariateTableSpec BindMultivariate(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "endpoint", "select", "layout", "firth", "columns", "variable_heading", "landmark_time", "time_dependent"]);
        string? from = null;
        double? threshold = null;
        var selectBy = SelectionTest.TableTest;
        List<string> variables = [];
        if (m["select"] is not { } select)
        {
            Error(m, "'select' is missing: {from: UNIVARIATE_TABLE_ID, p_below: 0.05} or {variables: [...]}");
        }
        else if (Mapping(select, "a selection rule: {from: UNIVARIATE_TABLE_ID, p_below: 0.05} or {variables: [...]}") is { } s)
        {
            Keys(s, ["from", "p_below", "p", "variables"]);
            from = OptionalString(s, "from");
            threshold = s["p_below"] is { } pb ? Probability(pb) : null;
            selectBy = Enum(
                s["p"],
                ["test", "logrank", "wald", "lr"],
                [SelectionTest.TableTest, SelectionTest.LogRank, SelectionTest.Wald, SelectionTest.LikelihoodRatio]) ?? SelectionTest.TableTest;
            variables = s["variables"] is { } vs ? StringList(vs, "a list of variables") : [];
            if ((from is null) == (variables.Count == 0))
            {
                Error(s, "give either 'from' (a univariate table whose factors with p < p_below enter) or 'variables' (a fixed list), not both or neither");
            }
        }

        return new MultivariateTableSpec(id, title)
        {
            Endpoint = RequiredString(m, "endpoint") ?? string.Empty,
            SelectFrom = from,
            Threshold = threshold,
            SelectBy = selectBy,
            Variables = variables,
            Layout = Enum(m["layout"], ["levels", "compact"], [MultivariateLayout.Levels, MultivariateLayout.Compact]) ?? MultivariateLayout.Levels,
            Firth = Enum(m["firth"], ["auto", "always", "never"], [FirthMode.Auto, FirthMode.Always, FirthMode.Never]) ?? FirthMode.Auto,
            Columns = BindColumns(m["columns"]),
            VariableHeading = OptionalString(m, "variable_heading") ?? "Variable",
            TimeDependent = BindTimeDependent(m["time_dependent"]),
        };
    }

    /// <summary>A multivariate table's <c>time_dependent</c> list: <c>{name, at, label}</c> mappings (checked further by the validator).</summary>
    private List<TimeDependentSpec> BindTimeDependent(ConfigNode? node)
    {
        var list = new List<TimeDependentSpec>();
        if (node is null || Sequence(node, "a list of time-dependent exposures: [{name: recurrence_td, at: recurrence_date, label: ...}]") is not { } seq)
        {
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (Mapping(item, "a time-dependent exposure: {name: NAME, at: DATE, label: TEXT}") is not { } e)
            {
                continue;
            }

            Keys(e, ["name", "at", "label"]);
            var name = RequiredString(e, "name");
            var at = RequiredString(e, "at");
            if (name is not null && at is not null)
            {
                list.Add(new TimeDependentSpec(name, at) { Label = OptionalString(e, "label") });
            }
        }

        return list;
    }

    private ComparisonTableSpec BindComparison(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "by", "rows", "variable_heading", "percent_decimals", "percent_sign"]);
        return new ComparisonTableSpec(id, title)
        {
            By = RequiredString(m, "by") ?? string.Empty,
            Rows = BindDescriptiveRows(m, comparison: true),
            VariableHeading = OptionalString(m, "variable_heading") ?? "Characteristic",
            PercentDecimals = Decimals(m["percent_decimals"]) ?? _itemFormat.PercentDecimals,
            PercentSign = Bool(m["percent_sign"]) ?? true,
        };
    }

    private SurvivalTableSpec BindSurvival(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "endpoints", "rmst", "cumulative_incidence"]);
        double? tau = PositiveNumber(m["rmst"]);

        return new SurvivalTableSpec(id, title)
        {
            Endpoints = m["endpoints"] is { } e ? StringList(e, "a list of endpoints") : [],
            RestrictedMeanTime = tau,
            CumulativeIncidence = Bool(m["cumulative_incidence"]) ?? false,
        };
    }

    private CumulativeIncidenceFigureSpec BindCumulativeIncidence(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "endpoint", "by", "show_p", "ticks", "caption"]);
        var ticks = new List<double>();
        if (m["ticks"] is { } t && Sequence(t, "a list of times") is { } seq)
        {
            foreach (var item in seq.Items)
            {
                if (Number(item) is { } x)
                {
                    ticks.Add(x);
                }
            }
        }

        return new CumulativeIncidenceFigureSpec(id, title)
        {
            Endpoint = RequiredString(m, "endpoint") ?? "DSS",
            By = OptionalString(m, "by"),
            ShowP = Bool(m["show_p"]) ?? true,
            Ticks = ticks,
            Caption = OptionalString(m, "caption"),
        };
    }

    private KaplanMeierFigureSpec BindKaplanMeier(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "endpoint", "by", "ci_band", "show_p", "ticks", "tick_step", "max_time", "x_label", "y_label", "caption", "y_axis", "landmarks", "mark_median", "landmark_time"]);
        List<double> Times(string key)
        {
            var times = new List<double>();
            if (m[key] is { } t && Sequence(t, "a list of times") is { } seq)
            {
                foreach (var item in seq.Items)
                {
                    if (Number(item) is { } x)
                    {
                        if (key == "landmarks" && x <= 0)
                        {
                            Error(item, "a landmark time is greater than 0");
                            continue;
                        }

                        times.Add(x);
                    }
                }
            }

            return times;
        }

        var ticks = Times("ticks");

        return new KaplanMeierFigureSpec(id, title)
        {
            Endpoint = RequiredString(m, "endpoint") ?? string.Empty,
            By = OptionalString(m, "by"),
            ConfidenceBand = Bool(m["ci_band"]) ?? false,
            ShowP = Bool(m["show_p"]) ?? true,
            Ticks = ticks,
            TickStep = PositiveNumber(m["tick_step"]),
            MaxTime = PositiveNumber(m["max_time"]),
            XLabel = OptionalString(m, "x_label"),
            YLabel = OptionalString(m, "y_label"),
            Caption = OptionalString(m, "caption"),
            PercentAxis = Enum(m["y_axis"], ["proportion", "percent"], [false, true]) ?? false,
            Landmarks = Times("landmarks"),
            MarkMedian = Bool(m["mark_median"]) ?? false,
        };
    }

    private FlowFigureSpec BindFlow(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "caption"]);
        return new FlowFigureSpec(id, title) { Caption = OptionalString(m, "caption") };
    }

    private ForestFigureSpec BindForest(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "model", "caption", "favours_lower", "favours_higher"]);
        return new ForestFigureSpec(id, title)
        {
            Model = RequiredString(m, "model") ?? string.Empty,
            Caption = OptionalString(m, "caption"),
            FavoursLower = m["favours_lower"] is null ? "Lower hazard" : OptionalString(m, "favours_lower"),
            FavoursHigher = m["favours_higher"] is null ? "Higher hazard" : OptionalString(m, "favours_higher"),
        };
    }

    private TextSpec BindText(ConfigMap m, string id, string title)
    {
        Keys(m, [.. CommonItemKeys, "paragraphs"]);
        IReadOnlyList<string> paragraphs = [];
        if (m["paragraphs"] is ConfigScalar { Value: { } one })
        {
            paragraphs = [one];
        }
        else if (m["paragraphs"] is { } p)
        {
            paragraphs = StringList(p, "a list of paragraphs");
        }
        else
        {
            Error(m, "'paragraphs' is missing: the text, one entry per paragraph");
        }

        return new TextSpec(id, title, paragraphs);
    }

    // ------------------------------------------------------------------ primitives

    private void Error(ConfigNode node, string message)
    {
        _problems.Add(new ProtocolProblem(_source, node.Path, node.Line ?? 0, message));
    }

    private void Keys(ConfigMap m, IReadOnlyCollection<string> allowed)
    {
        if (m.Line is { } line)
        {
            _lines[m.Path] = line;
        }

        foreach (var (key, value) in m.Pairs)
        {
            if (value.Line is { } valueLine)
            {
                _lines[value.Path] = valueLine;
            }

            if (!allowed.Contains(key))
            {
                Error(value, $"'{key}' is not a key here; expected one of {string.Join(", ", allowed)}{Suggest(key, allowed)}");
            }
        }
    }

    private ConfigMap? Mapping(ConfigNode node, string expected)
    {
        if (node is ConfigMap m)
        {
            return m;
        }

        Error(node, $"expected {expected}, found {Describe(node)}");
        return null;
    }

    private ConfigList? Sequence(ConfigNode node, string expected)
    {
        if (node is ConfigList s)
        {
            return s;
        }

        Error(node, $"expected {expected}, found {Describe(node)}");
        return null;
    }

    private static string Describe(ConfigNode node) =>
        node is ConfigScalar { Value: { } v } ? $"the value '{v}'" : node.Kind;

    private string? RequiredString(ConfigMap m, string key)
    {
        if (m[key] is not { } node)
        {
            Error(m, $"'{key}' is missing");
            return null;
        }

        if (node is ConfigScalar { Value: { } v } && v.Trim().Length > 0)
        {
            return v;
        }

        Error(node, $"'{key}' needs a text, found {Describe(node)}");
        return null;
    }

    private string? OptionalString(ConfigMap m, string key)
    {
        switch (m[key])
        {
            case null:
            case ConfigScalar { Value: null }:
                return null;
            case ConfigScalar { Value: { } v }:
                return v;
            case { } node:
                Error(node, $"'{key}' needs a text, found {Describe(node)}");
                return null;
        }
    }

    private List<string> StringList(ConfigNode node, string expected)
    {
        var list = new List<string>();
        if (Sequence(node, expected) is not { } seq)
        {
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (item is ConfigScalar { Value: { } v })
            {
                list.Add(v);
            }
            else
            {
                Error(item, $"expected a value in {expected}, found {Describe(item)}");
            }
        }

        return list;
    }

    /// <summary>
    /// Binds a <c>format:</c> mapping over <paramref name="basis"/> (the defaults at the root, the protocol's style in an
    /// item): each key given replaces the basis's value. Null when the node is absent.
    /// </summary>
    private Formatting.ReportFormat? BindFormat(ConfigNode? node, Formatting.ReportFormat basis)
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        if (Mapping(node, "a mapping of number-style keys (" + string.Join(", ", FormatKeys) + ")") is not { } m)
        {
            return null;
        }

        Keys(m, FormatKeys);
        int? pDecimals = Decimals(m["p_decimals"]);
        if (pDecimals is < 2)
        {
            Error(m["p_decimals"]!, "p-values need at least 2 decimals");
            pDecimals = null;
        }

        return basis with
        {
            HazardRatioDecimals = Decimals(m["hr_decimals"]) ?? basis.HazardRatioDecimals,
            PDecimals = pDecimals ?? basis.PDecimals,
            PStyle = Enum(m["p_style"], ["threshold", "exact"], [Formatting.PValueStyle.Threshold, Formatting.PValueStyle.Exact]) ?? basis.PStyle,
            Dash = Enum(m["dash"], ["hyphen", "en-dash"], [Formatting.RangeDash.Hyphen, Formatting.RangeDash.EnDash]) ?? basis.Dash,
            SurvivalDecimals = Decimals(m["survival_decimals"]) ?? basis.SurvivalDecimals,
            MedianDecimals = Decimals(m["median_decimals"]) ?? basis.MedianDecimals,
            PercentDecimals = Decimals(m["percent_decimals"]) ?? basis.PercentDecimals,
            MeanSd = Enum(m["mean_sd"], ["plus-minus", "parentheses"], [Formatting.MeanSdStyle.PlusMinus, Formatting.MeanSdStyle.Parentheses]) ?? basis.MeanSd,
            PercentOf = Enum(m["percent_of"], ["all", "known"], [PercentBase.All, PercentBase.Known]) ?? basis.PercentOf,
        };
    }

    private T? Enum<T>(ConfigNode? node, string[] names, T[] values)
        where T : struct
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        if (node is ConfigScalar { Value: { } v })
        {
            int at = Array.FindIndex(names, n => string.Equals(n, v.Trim(), StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                return values[at];
            }

            Error(node, $"'{v}' is not allowed here; expected one of {string.Join(", ", names)}{Suggest(v, names)}");
            return null;
        }

        Error(node, $"expected one of {string.Join(", ", names)}, found {Describe(node)}");
        return null;
    }

    private bool? Bool(ConfigNode? node)
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        if (node is ConfigScalar { Value: { } v })
        {
            switch (v.Trim().ToUpperInvariant())
            {
                case "TRUE" or "YES":
                    return true;
                case "FALSE" or "NO":
                    return false;
            }
        }

        Error(node, $"expected true or false, found {Describe(node)}");
        return null;
    }

    private double? Number(ConfigNode node)
    {
        if (node is ConfigScalar { Value: { } v }
            && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return d;
        }

        Error(node, $"expected a number (dot as the decimal separator), found {Describe(node)}");
        return null;
    }

    private double? PositiveNumber(ConfigNode? node)
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        var d = Number(node);
        if (d is <= 0)
        {
            Error(node, "expected a number greater than 0");
            return null;
        }

        return d;
    }

    private double? Probability(ConfigNode? node)
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        var d = Number(node);
        if (d is not null && !(d > 0 && d < 1))
        {
            Error(node, "expected a number between 0 and 1 (exclusive), e.g. 0.95 or 0.05");
            return null;
        }

        return d;
    }

    private int? Int(ConfigNode node)
    {
        if (node is ConfigScalar { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        Error(node, $"expected a whole number, found {Describe(node)}");
        return null;
    }

    private int? Decimals(ConfigNode? node)
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        var i = Int(node);
        if (i is < 0 or > 6)
        {
            Error(node, "expected a whole number from 0 to 6");
            return null;
        }

        return i;
    }

    private DateOnly? Date(ConfigNode? node)
    {
        if (node is null || node is ConfigScalar { Value: null })
        {
            return null;
        }

        if (node is ConfigScalar { Value: { } v }
            && DateOnly.TryParseExact(v.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        Error(node, $"expected a date as yyyy-MM-dd, found {Describe(node)}");
        return null;
    }

    /// <summary>" (did you mean 'x'?)" for the closest candidate within edit distance 2 (or a prefix), else empty.</summary>
    internal static string Suggest(string? text, IEnumerable<string> candidates)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var prefixed = candidates
            .Where(c => c.StartsWith(text, StringComparison.OrdinalIgnoreCase) || text.StartsWith(c, StringComparison.OrdinalIgnoreCase))
            .Where(c => Math.Min(c.Length, text.Length) >= 3)
            .OrderBy(c => Math.Abs(c.Length - text.Length)).ThenBy(c => c, StringComparer.Ordinal)
            .FirstOrDefault();
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Cohort.Validation.CodeList.Distance(text.ToUpperInvariant(), c.ToUpperInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        int limit = Math.Max(1, Math.Min(3, text.Length / 3));
        if (best is not null && bestDistance <= limit)
        {
            return $"; did you mean '{best}'?";
        }

        return prefixed is not null ? $"; did you mean '{prefixed}'?" : string.Empty;
    }

    /// <summary>An exception message as a clause: no trailing period, no parameter-name suffix.</summary>
    internal static string Sentence(string message)
    {
        int at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (at >= 0)
        {
            message = message[..at];
        }

        return message.TrimEnd('.');
    }
}
