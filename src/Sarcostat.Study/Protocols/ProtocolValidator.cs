using System.Globalization;
using System.Text.RegularExpressions;
using Sarcostat.Cohort.Derivation;
using Sarcostat.Cohort.Selection;

namespace Sarcostat.Study.Protocols;

/// <summary>
/// Checks a bound protocol against the data dictionary and the derived names before anything runs: every variable,
/// field, level, reference level, endpoint and item reference must exist, and each analysis must suit its variables
/// (a log-rank test needs a categorical factor, a mean needs a number). Paths in the problems follow the file's keys.
/// </summary>
internal sealed partial class ProtocolValidator
{
    private static readonly string[] Reserved = ["methods", "summary"];

    private readonly StudyProtocol _protocol;
    private readonly IReadOnlyDictionary<string, int> _lines;
    private readonly List<ProtocolProblem> _problems = [];
    private VariableCatalog _catalog = null!;

    private ProtocolValidator(StudyProtocol protocol, IReadOnlyDictionary<string, int> lines)
    {
        _protocol = protocol;
        _lines = lines;
    }

    /// <summary>Every semantic problem of the protocol (empty when it can run).</summary>
    public static IReadOnlyList<ProtocolProblem> Validate(StudyProtocol protocol, IReadOnlyDictionary<string, int>? lines = null)
    {
        var v = new ProtocolValidator(protocol, lines ?? new Dictionary<string, int>());
        v.Run();
        return v._problems;
    }

    private void Run()
    {
        if (string.IsNullOrWhiteSpace(_protocol.Name))
        {
            Error("name", "the protocol needs a name");
        }

        if (string.IsNullOrWhiteSpace(_protocol.Title))
        {
            Error("title", "the protocol needs a title");
        }

        if (!(_protocol.ConfidenceLevel is > 0 and < 1) || !(_protocol.Alpha is > 0 and < 1))
        {
            Error(string.Empty, "the confidence level and alpha must lie between 0 and 1");
        }

        if (!(_protocol.Landmark > 0) || !double.IsFinite(_protocol.Landmark))
        {
            Error("landmark", "the landmark must be a time greater than 0");
        }

        var options = CheckCutPoints();
        _catalog = new VariableCatalog(_protocol, options);
        CheckEndpoints();
        CheckVariables();
        CheckSelection(options);
        CheckSections();
    }

    private DerivationOptions CheckCutPoints()
    {
        var options = _protocol.DerivationOptions();
        try
        {
            CohortDerivation.Derive([], options);
            return options;
        }
        catch (ArgumentException e)
        {
            Error("cut_points", ProtocolBinder.Sentence(e.Message));
            return _protocol.DerivationOptions() with { CutPoints = Sarcostat.Cohort.Derivation.CutPoints.Presets };
        }
    }

    private void CheckEndpoints()
    {
        if (_protocol.Endpoints.Count == 0)
        {
            Error("endpoints", "the protocol needs at least one endpoint (OS, DSS, DFS, PFS)");
            return;
        }

        if (_protocol.Endpoints.Count(e => e.Primary) > 1)
        {
            Error("endpoints", "more than one endpoint is marked primary; mark one");
        }

        for (int i = 0; i < _protocol.Endpoints.Count; i++)
        {
            var e = _protocol.Endpoints[i];
            for (int j = 0; j < i; j++)
            {
                var other = _protocol.Endpoints[j];
                if (other.Endpoint == e.Endpoint)
                {
                    Error(Path("endpoints", i), $"endpoint {Endpoints.Abbreviation(e.Endpoint)} is declared twice");
                }
                else if (string.Equals(other.DisplayAbbreviation, e.DisplayAbbreviation, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(other.DisplayLabel, e.DisplayLabel, StringComparison.OrdinalIgnoreCase))
                {
                    Error(Path("endpoints", i), $"endpoints {j + 1} and {i + 1} have the same abbreviation or label; tables could not tell them apart");
                }
            }
        }
    }

    private void CheckVariables()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in _protocol.Variables)
        {
            var path = "variables." + v.Name;
            if (!seen.Add(v.Name))
            {
                Error(path, $"the variable '{v.Name}' is declared twice");
                continue;
            }

            if (v.IsDefinedHere)
            {
                CheckDefined(v, path);
            }
            else
            {
                if (v.Groups.Count > 0 || v.Otherwise is not null || v.Exclude.Count > 0)
                {
                    Error(path, "'groups', 'otherwise' and 'exclude' need 'from' (the variable whose values are grouped)");
                }

                if (_catalog.Info(v.Name) is null)
                {
                    Error(path, $"'{v.Name}' is not a field of the data dictionary or a derived variable; to define a new variable give 'from' and 'groups', or 'any_of'{Suggest(v.Name)}");
                    continue;
                }
            }

            if (_catalog.Info(v.Name) is not { } info)
            {
                continue;
            }

            switch (v.Kind)
            {
                case VariableKind.Numeric when info.Kind is not (ValueKind.Numeric or ValueKind.Integer):
                    Error(path + ".type", $"'{v.Name}' holds {Describe(info)}, so it cannot be numeric");
                    break;
                case VariableKind.Categorical when info.Kind == ValueKind.Date:
                    Error(path + ".type", $"'{v.Name}' is a date; dates are not analysed as levels");
                    break;
            }

            if (info.Kind == ValueKind.Numeric && v.Kind != VariableKind.Categorical && (v.Levels.Count > 0 || v.Reference is not null))
            {
                Error(path, $"'{v.Name}' is numeric; levels and a reference level need a categorical variable (a cut point, or type: categorical)");
            }

            foreach (var level in v.Levels)
            {
                CheckValue(info, level.Value, path + ".levels", "level");
            }

            if (v.Reference is { } reference)
            {
                CheckValue(info, reference, path + ".reference", "reference level");
            }

            if (!(v.Scale > 0) || !double.IsFinite(v.Scale))
            {
                Error(path + ".scale", "the scale must be a number greater than 0");
            }
        }
    }

    private void CheckDefined(VariableSpec v, string path)
    {
        if (_catalog.IsBase(v.Name))
        {
            Error(path, $"'{v.Name}' is already a field or derived variable; give the grouping a new name");
            return;
        }

        if (v.From is not null && v.AnyOf.Count > 0)
        {
            Error(path, "give either 'from' (grouping) or 'any_of' (yes when any field is yes), not both");
            return;
        }

        if (v.AnyOf.Count > 0)
        {
            foreach (var field in v.AnyOf)
            {
                if (_catalog.Info(field) is not { } f || f.Universe is null || f.Universe.Count != 2 || f.Universe[1].Value != "yes")
                {
                    Error(path + ".any_of", $"'{field}' is not a yes/no field of the data dictionary{Suggest(field)}");
                }
            }

            return;
        }

        var from = v.From!;
        if (!_catalog.IsBase(from) || _catalog.Info(from) is not { } source)
        {
            Error(path + ".from", $"'{from}' is not a field of the data dictionary or a derived variable{Suggest(from)}");
            return;
        }

        if (!source.IsCategorical)
        {
            Error(path + ".from", $"'{from}' holds {Describe(source)}; group categorical values (codes, yes/no, cut point labels), or declare a cut point for a number");
            return;
        }

        if (v.Groups.Count == 0 && v.Otherwise is null && v.Exclude.Count == 0)
        {
            Error(path, "a grouping needs 'groups' (level: [values]), 'otherwise' or 'exclude'");
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in v.Groups)
        {
            if (g.Values.Count == 0)
            {
                Error(path + ".groups." + g.Level, "a group needs at least one value");
            }

            foreach (var value in g.Values)
            {
                CheckValue(source, value, path + ".groups." + g.Level, "value");
                if (!used.Add(value))
                {
                    Error(path + ".groups." + g.Level, $"'{value}' is listed in two groups");
                }
            }
        }

        foreach (var value in v.Exclude)
        {
            CheckValue(source, value, path + ".exclude", "value");
        }
    }

    private void CheckValue(ValueInfo info, string value, string path, string what)
    {
        if (!info.Allows(value))
        {
            Error(path, $"'{value}' is not a {what} of '{info.Name}'; its values are: {info.ValuesText}"
                + (info.Universe is null ? string.Empty : ProtocolBinder.Suggest(value, info.Universe.Select(u => u.Value))));
        }
    }

    private void CheckSelection(DerivationOptions options)
    {
        var empty = new DerivedCohort([], [], [], options);
        for (int i = 0; i < _protocol.Selection.Steps.Count; i++)
        {
            try
            {
                CohortSelection.Apply(empty, [_protocol.Selection.Steps[i].Rule]);
            }
            catch (ArgumentException e)
            {
                var message = ProtocolBinder.Sentence(e.Message);
                if (message.Contains("is neither a field", StringComparison.Ordinal))
                {
                    message += Suggest(_protocol.Selection.Steps[i].Rule.Field);
                }

                Error(Path("selection.steps", i), message);
            }
        }
    }

    private void CheckSections()
    {
        if (_protocol.Sections.Count == 0)
        {
            Error("sections", "the protocol needs at least one section with a table or figure");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var sectionIds = new HashSet<string>(StringComparer.Ordinal);
        for (int s = 0; s < _protocol.Sections.Count; s++)
        {
            var section = _protocol.Sections[s];
            var sp = Path("sections", s);
            CheckId(section.Id, sp + ".id", sectionIds, "section");
            for (int i = 0; i < section.Items.Count; i++)
            {
                var item = section.Items[i];
                var ip = Path(sp + ".items", i);
                CheckId(item.Id, ip + ".id", ids, "item");
                if (string.IsNullOrWhiteSpace(item.Title))
                {
                    Error(ip + ".title", "the item needs a title (its caption)");
                }

                switch (item)
                {
                    case DescriptiveTableSpec d:
                        CheckRows(d.Rows, ip, comparison: false);
                        break;
                    case UnivariateTableSpec u:
                        CheckEndpoint(u.Endpoint, ip + ".endpoint");
                        CheckModelRows(u, ip);
                        break;
                    case MultivariateTableSpec m:
                        CheckEndpoint(m.Endpoint, ip + ".endpoint");
                        CheckMultivariate(m, ip);
                        break;
                    case ComparisonTableSpec c:
                        CheckFactor(c.By, ip + ".by", "the grouping variable");
                        CheckRows(c.Rows, ip, comparison: true);
                        break;
                    case SurvivalTableSpec st:
                        for (int e = 0; e < st.Endpoints.Count; e++)
                        {
                            CheckEndpoint(st.Endpoints[e], Path(ip + ".endpoints", e));
                        }

                        break;
                    case CumulativeIncidenceFigureSpec cif:
                        CheckEndpoint(cif.Endpoint, ip + ".endpoint");
                        if (_protocol.FindEndpoint(cif.Endpoint) is { } ce && ce.Endpoint != Endpoint.DiseaseSpecificSurvival)
                        {
                            Error(ip + ".endpoint", $"a cumulative incidence figure is of disease-specific survival (DSS or CSS), whose events are sarcoma deaths with deaths from other causes competing; '{cif.Endpoint}' has no competing events");
                        }

                        if (cif.By is not null)
                        {
                            CheckFactor(cif.By, ip + ".by", "the factor of the curves");
                        }

                        if (cif.Ticks.Any(t => t < 0) || cif.Ticks.Zip(cif.Ticks.Skip(1)).Any(p => p.Second <= p.First))
                        {
                            Error(ip + ".ticks", "ticks must be non-negative and increasing");
                        }

                        break;
                    case KaplanMeierFigureSpec km:
                        CheckEndpoint(km.Endpoint, ip + ".endpoint");
                        if (km.By is not null)
                        {
                            CheckFactor(km.By, ip + ".by", "the factor of the curves");
                        }

                        if (km.Ticks.Any(t => t < 0) || km.Ticks.Zip(km.Ticks.Skip(1)).Any(p => p.Second <= p.First))
                        {
                            Error(ip + ".ticks", "ticks must be non-negative and increasing");
                        }

                        break;
                    case ForestFigureSpec f:
                        if (!_protocol.Items.Any(x => x is MultivariateTableSpec && x.Id == f.Model))
                        {
                            Error(ip + ".model", $"'{f.Model}' is not the id of a multivariate table of this protocol"
                                + ProtocolBinder.Suggest(f.Model, _protocol.Items.OfType<MultivariateTableSpec>().Select(x => x.Id)));
                        }

                        break;
                }
            }
        }
    }

    private void CheckId(string id, string path, HashSet<string> seen, string what)
    {
        if (!IdPattern().IsMatch(id))
        {
            Error(path, $"'{id}' is not a valid {what} id; use lower-case letters, digits and dashes (e.g. table-2), as ids become file names");
        }
        else if (Reserved.Contains(id))
        {
            Error(path, $"'{id}' is reserved for the report's own {what}s (methods, summary)");
        }
        else if (!seen.Add(id))
        {
            Error(path, $"the {what} id '{id}' is used twice");
        }
    }

    private void CheckRows(IReadOnlyList<DescriptiveRowSpec> rows, string itemPath, bool comparison)
    {
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var rp = Path(itemPath + ".rows", r);
            if (row.Summary == SummaryKind.MedianSurvival)
            {
                if (comparison)
                {
                    Error(rp + ".summary", "a comparison table has no median-survival rows");
                }
                else if (row.Endpoint is null)
                {
                    Error(rp, "a median-survival row needs 'endpoint'");
                }
                else
                {
                    CheckEndpoint(row.Endpoint, rp + ".endpoint");
                }

                continue;
            }

            if (row.Variable is null)
            {
                continue;
            }

            if (row.Endpoint is not null)
            {
                Error(rp + ".endpoint", "'endpoint' belongs to median-survival rows");
            }

            if (Known(row.Variable, rp + ".variable") is not { } info)
            {
                continue;
            }

            var spec = _protocol.Variable(row.Variable);
            bool categorical = IsCategorical(info, spec);
            bool numericSummary = row.Summary is SummaryKind.MeanSd or SummaryKind.MedianRange or SummaryKind.MedianIqr or SummaryKind.MeanSdRange;
            if (row.Summary == SummaryKind.Counts && !categorical)
            {
                Error(rp + ".summary", $"'{row.Variable}' is numeric; counts need a categorical variable (a cut point, or type: categorical)");
            }
            else if (numericSummary && info.Kind is not (ValueKind.Numeric or ValueKind.Integer))
            {
                Error(rp + ".summary", $"'{row.Variable}' holds {Describe(info)}; a {Name(row.Summary)} needs a number");
            }

            if (info.Kind == ValueKind.Date)
            {
                Error(rp + ".variable", $"'{row.Variable}' is a date; summarise a derived number instead (e.g. dfi_months, follow_up)");
            }

            foreach (var value in row.Show)
            {
                CheckValue(info, value, rp + ".show", "level");
            }

            if (row.Breakdown)
            {
                if (spec?.From is null || info.Source is null)
                {
                    Error(rp + ".breakdown", $"'{row.Variable}' is not a grouping ('from' and 'groups'); there are no source values to list");
                }
                else
                {
                    foreach (var value in row.BreakdownValues)
                    {
                        CheckValue(info.Source, value, rp + ".breakdown", "source value");
                    }
                }
            }

            if (comparison && row.Test is { } test)
            {
                bool categoricalTest = test is ComparisonTest.Fisher or ComparisonTest.ChiSquare;
                bool numericRow = !categorical || numericSummary;
                if (categoricalTest == numericRow)
                {
                    Error(rp + ".test", $"the test {test} does not suit the {(numericRow ? "numeric" : "categorical")} row '{row.Variable}'");
                }
            }
        }
    }

    private void CheckModelRows(UnivariateTableSpec table, string itemPath)
    {
        if (table.RowsFrom is { } from)
        {
            var source = _protocol.Items.FirstOrDefault(x => x.Id == from);
            if (source is not UnivariateTableSpec u)
            {
                Error(itemPath + ".rows_from", $"'{from}' is not the id of a univariate table of this protocol"
                    + ProtocolBinder.Suggest(from, _protocol.Items.OfType<UnivariateTableSpec>().Select(x => x.Id)));
                return;
            }

            if (u.RowsFrom is not null)
            {
                Error(itemPath + ".rows_from", $"'{from}' takes its rows from another table itself; name the table that lists them ('{u.RowsFrom}')");
                return;
            }
        }

        var rows = _protocol.RowsOf(table);
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Variable is null)
            {
                continue;
            }

            var rp = table.RowsFrom is null ? Path(itemPath + ".rows", r) + ".variable" : itemPath + ".rows_from";
            if (Known(row.Variable, rp) is not { } info)
            {
                continue;
            }

            bool categorical = IsCategorical(info, _protocol.Variable(row.Variable));
            if (table.Test == UnivariateTest.LogRank && !categorical)
            {
                Error(rp, $"the log-rank test compares groups, but '{row.Variable}' is numeric; use a cut point or a grouping, or test: cox");
            }
            else if (info.Kind == ValueKind.Date)
            {
                Error(rp, $"'{row.Variable}' is a date and cannot enter a survival model");
            }
        }
    }

    private void CheckMultivariate(MultivariateTableSpec m, string itemPath)
    {
        if (m.Columns.Any(c => c.Kind is ColumnKind.LogRankP or ColumnKind.LogRankChiSquare))
        {
            Error(itemPath + ".columns", "p_logrank is a univariate test (and so is chi2_logrank); a multivariate table shows p (Wald), p_wald or p_lr");
        }

        if (m.Columns.Any(c => c.Kind is ColumnKind.Survival or ColumnKind.SurvivalCi or ColumnKind.Median or ColumnKind.Events))
        {
            Error(itemPath + ".columns", "a multivariate table shows n, hr, ci, hr_ci, p, p_wald or p_lr");
        }

        if (m.SelectFrom is { } from)
        {
            var source = _protocol.Items.FirstOrDefault(x => x.Id == from);
            if (source is not UnivariateTableSpec)
            {
                Error(itemPath + ".select.from", $"'{from}' is not the id of a univariate table of this protocol"
                    + ProtocolBinder.Suggest(from, _protocol.Items.OfType<UnivariateTableSpec>().Select(x => x.Id)));
            }
        }

        for (int i = 0; i < m.Variables.Count; i++)
        {
            var vp = Path(itemPath + ".select.variables", i);
            if (Known(m.Variables[i], vp) is { Kind: ValueKind.Date })
            {
                Error(vp, $"'{m.Variables[i]}' is a date and cannot enter a Cox model");
            }
        }

        if (m.Variables.Distinct(StringComparer.Ordinal).Count() != m.Variables.Count)
        {
            Error(itemPath + ".select.variables", "a variable is listed twice");
        }

        CheckTimeDependent(m, itemPath);
    }

    /// <summary>
    /// A multivariate table's time-dependent exposures: a known date, unique names that are not the model's variables,
    /// ties the counting-process model supports, and neither a landmark (the other remedy for immortal-time bias) nor an
    /// exposure that is the endpoint's own event.
    /// </summary>
    private void CheckTimeDependent(MultivariateTableSpec m, string itemPath)
    {
        if (m.TimeDependent.Count == 0)
        {
            return;
        }

        var tp = itemPath + ".time_dependent";
        if (_protocol.Ties == Sarcostat.Survival.TieMethod.Exact)
        {
            Error(tp, "ties: exact is not supported for a model with time-dependent exposures ((start, stop] data); use ties: efron or breslow");
        }

        if (m.LandmarkTime is not null)
        {
            Error(itemPath + ".landmark_time", "a table has either a landmark time or time-dependent exposures (two remedies for immortal-time bias), not both");
        }

        // The model's variables: the fixed list, or every variable the selection rule may choose from.
        var modelVariables = m.SelectFrom is { } from && _protocol.Items.FirstOrDefault(x => x.Id == from) is UnivariateTableSpec u
            ? _protocol.RowsOf(u).Select(r => r.Variable).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : m.Variables.ToHashSet(StringComparer.Ordinal);
        var endpoint = _protocol.FindEndpoint(m.Endpoint)?.Endpoint;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < m.TimeDependent.Count; k++)
        {
            var e = m.TimeDependent[k];
            var ep = Path(tp, k);
            if (!names.Add(e.Name))
            {
                Error(ep + ".name", $"the time-dependent exposure '{e.Name}' is declared twice");
            }
            else if (modelVariables.Contains(e.Name))
            {
                Error(ep + ".name", $"'{e.Name}' is a variable of this model; give the time-dependent exposure another name (e.g. {e.Name}_td)");
            }

            if (!Analysis.TimeDependentExposures.Dates.Contains(e.At))
            {
                Error(ep + ".at", $"'{e.At}' is not a date a time-dependent exposure can start at; expected one of {string.Join(", ", Analysis.TimeDependentExposures.Dates)}"
                    + ProtocolBinder.Suggest(e.At, Analysis.TimeDependentExposures.Dates));
            }
            else if ((e.At, endpoint) is ("recurrence_date", Endpoint.DiseaseFreeSurvival) or ("progression_date", Endpoint.ProgressionFreeSurvival))
            {
                Error(ep + ".at", $"'{e.At}' is the event of {m.Endpoint} itself: nobody is exposed before the event; choose another endpoint (e.g. OS) or exposure");
            }
        }

        if (_protocol.Items.OfType<ForestFigureSpec>().FirstOrDefault(f => f.Model == m.Id) is { } forest)
        {
            var fp = _protocol.Sections.SelectMany((s, si) => s.Items.Select((x, ii) => (x, Path(Path("sections", si) + ".items", ii)))).First(p => ReferenceEquals(p.x, forest)).Item2;
            Error(fp + ".model", $"'{m.Id}' has time-dependent exposures; a forest plot of a counting-process model is not supported");
        }
    }

    private void CheckFactor(string name, string path, string what)
    {
        if (Known(name, path) is { } info && !IsCategorical(info, _protocol.Variable(name)))
        {
            Error(path, $"{what} must be categorical, but '{name}' is numeric; use a cut point or a grouping");
        }
    }

    private void CheckEndpoint(string reference, string path)
    {
        if (_protocol.FindEndpoint(reference) is null)
        {
            var declared = _protocol.Endpoints.Select(e => e.DisplayAbbreviation).ToList();
            Error(path, $"'{reference}' is not an endpoint declared in 'endpoints' ({string.Join(", ", declared)}){ProtocolBinder.Suggest(reference, declared)}");
        }
    }

    private ValueInfo? Known(string name, string path)
    {
        var info = _catalog.Info(name);
        if (info is null)
        {
            Error(path, $"'{name}' is not a field of the data dictionary, a derived variable or a variable of this protocol{Suggest(name)}");
        }

        return info;
    }

    internal static bool IsCategorical(ValueInfo info, VariableSpec? spec) => spec?.Kind switch
    {
        VariableKind.Categorical => info.Kind != ValueKind.Date,
        VariableKind.Numeric => false,
        _ => info.Kind == ValueKind.Categorical,
    };

    private static string Describe(ValueInfo info) => info.Kind switch
    {
        ValueKind.Categorical => "levels",
        ValueKind.Date => "dates",
        _ => "numbers",
    };

    private static string Name(SummaryKind kind) => kind switch
    {
        SummaryKind.MeanSd => "mean and SD",
        SummaryKind.MedianRange => "median and range",
        SummaryKind.MedianIqr => "median and IQR",
        _ => "mean, SD and range",
    };

    private string Suggest(string name) => ProtocolBinder.Suggest(name, _catalog.Names);

    private static string Path(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}[{index}]");

    private void Error(string path, string message)
    {
        _problems.Add(new ProtocolProblem(_protocol.SourceName, path, LineOf(path), message));
    }

    private int LineOf(string path)
    {
        for (var p = path; p.Length > 0;)
        {
            if (_lines.TryGetValue(p, out var line))
            {
                return line;
            }

            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? string.Empty : p[..cut];
        }

        return 0;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}
