using System.Globalization;
using Sarcostat.Cohort.Derivation;

namespace Sarcostat.Cohort.Selection;

/// <summary>Applies eligibility and exclusion criteria in order and counts each step (docs/selection.md).</summary>
public static class CohortSelection
{
    /// <summary>
    /// Applies <paramref name="rules"/> in order to <paramref name="cohort"/>. Each rule sees only the patients the
    /// earlier rules kept. A comparison rule does not decide for a patient whose value is missing: by default that
    /// patient is kept and counted in the step's missing count (<see cref="MissingValuePolicy"/>).
    /// </summary>
    /// <param name="cohort">The derived cohort.</param>
    /// <param name="rules">The criteria, in order; may be empty.</param>
    /// <returns>The analysed cohort (the kept patients, cohort order) and the flow.</returns>
    /// <remarks>O(n) per rule (O(n·k) for an <c>in</c> list of k values is avoided with a hash set).</remarks>
    /// <exception cref="ArgumentException">
    /// A rule names no known field or derived variable, has an empty label, uses an operator the field's type does
    /// not support (an order on a code, text or boolean), lacks a value, has a value that does not parse as the
    /// field's type, or names a code the field does not have (a typo would otherwise exclude nobody, silently).
    /// </exception>
    public static SelectionResult Apply(DerivedCohort cohort, IReadOnlyList<SelectionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(rules);
        var compiled = rules.Select(r => Compile(r, cohort)).ToList();

        var current = cohort.Patients.ToList();
        var steps = new List<SelectionStep>(compiled.Count);
        foreach (var rule in compiled)
        {
            var kept = new List<DerivedPatient>(current.Count);
            var excluded = new List<string>();
            var missing = new List<string>();
            var breakdown = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var patient in current)
            {
                var value = Normalise(patient.Value(rule.Rule.Field));
                bool exclude;
                if (rule.Rule.Operator is SelectionOperator.IsMissing or SelectionOperator.IsPresent)
                {
                    bool holds = (value is null) == (rule.Rule.Operator == SelectionOperator.IsMissing);
                    exclude = holds == (rule.Rule.Kind == CriterionKind.Exclusion);
                }
                else if (value is null)
                {
                    missing.Add(patient.StudyId);
                    exclude = rule.Rule.WhenMissing == MissingValuePolicy.Exclude;
                }
                else
                {
                    exclude = rule.Holds(value) == (rule.Rule.Kind == CriterionKind.Exclusion);
                }

                if (exclude)
                {
                    excluded.Add(patient.StudyId);
                    var key = SelectionRule.Text(value);
                    breakdown[key] = breakdown.GetValueOrDefault(key) + 1;
                }
                else
                {
                    kept.Add(patient);
                }
            }

            steps.Add(new SelectionStep
            {
                Number = steps.Count + 1,
                Rule = rule.Rule,
                Before = current.Count,
                ExcludedStudyIds = excluded,
                MissingStudyIds = missing,
                Breakdown = Order(breakdown, rule),
            });
            current = kept;
        }

        var keptIds = new HashSet<string>(current.Select(p => p.StudyId), StringComparer.Ordinal);
        return new SelectionResult(cohort.Subset(p => keptIds.Contains(p.StudyId)), new SelectionFlow(cohort.Count, steps));
    }

    private static object? Normalise(object? value) => value switch
    {
        string s when string.IsNullOrWhiteSpace(s) => null,
        int i => (double)i,
        _ => value,
    };

    private static List<ExclusionCount> Order(Dictionary<string, int> breakdown, CompiledRule rule)
    {
        var listed = rule.Rule.Operator == SelectionOperator.In ? rule.ValueTexts : [];
        const string Missing = "(missing)";
        return breakdown
            .OrderBy(kv => kv.Key == Missing ? 2 : listed.Contains(kv.Key) ? 0 : 1)
            .ThenBy(kv => listed.Contains(kv.Key) ? listed.IndexOf(kv.Key) : 0)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new ExclusionCount(kv.Key, kv.Value))
            .ToList();
    }

    private static CompiledRule Compile(SelectionRule rule, DerivedCohort cohort)
    {
        ArgumentNullException.ThrowIfNull(rule, nameof(rule));
        if (string.IsNullOrWhiteSpace(rule.Label))
        {
            throw new ArgumentException($"A selection rule on '{rule.Field}' needs a label (it names the step in the flow diagram).", nameof(rule));
        }

        if (!Enum.IsDefined(rule.Operator) || !Enum.IsDefined(rule.Kind) || !Enum.IsDefined(rule.WhenMissing))
        {
            throw new ArgumentException($"Rule '{rule.Label}': operator, kind or missing-value policy is not defined.", nameof(rule));
        }

        var type = cohort.TypeOf(rule.Field ?? string.Empty)
            ?? throw new ArgumentException(
                $"Rule '{rule.Label}': '{rule.Field}' is neither a field of the data dictionary nor a derived variable "
                + $"({string.Join(", ", DerivedNames.Numbers.Concat(cohort.CategoryNames))}, or an endpoint value such as os_time).",
                nameof(rule));

        var op = rule.Operator;
        if (op is SelectionOperator.IsMissing or SelectionOperator.IsPresent)
        {
            if (rule.Value is not null)
            {
                throw new ArgumentException($"Rule '{rule.Label}': {op} takes no value.", nameof(rule));
            }

            return new CompiledRule(rule, [], [], type);
        }

        bool ordered = op is SelectionOperator.LessThan or SelectionOperator.AtMost or SelectionOperator.GreaterThan or SelectionOperator.AtLeast;
        if (ordered && type is not (FieldType.Integer or FieldType.Number or FieldType.Date))
        {
            throw new ArgumentException(
                $"Rule '{rule.Label}': {op} needs a number or a date, but '{rule.Field}' is {type.ToString().ToLowerInvariant()}.", nameof(rule));
        }

        var raw = rule.Values;
        bool list = op is SelectionOperator.In or SelectionOperator.NotIn;
        if (raw.Count == 0 || (!list && raw.Count != 1) || (!list && rule.Value is not string && rule.Value is System.Collections.IEnumerable))
        {
            throw new ArgumentException(
                list ? $"Rule '{rule.Label}': {op} needs a non-empty list of values." : $"Rule '{rule.Label}': {op} needs exactly one value.",
                nameof(rule));
        }

        var values = raw.Select(v => Convert(v, type, rule)).ToList();
        var allowed = AllowedCodes(rule.Field!, type, cohort);
        if (allowed is not null)
        {
            foreach (var v in values.Cast<string>())
            {
                if (!allowed.Contains(v))
                {
                    throw new ArgumentException(
                        $"Rule '{rule.Label}': '{v}' is not a value of '{rule.Field}'; its values are: {string.Join(", ", allowed)}.", nameof(rule));
                }
            }
        }

        return new CompiledRule(rule, values, values.Select(SelectionRule.Text).ToList(), type);
    }

    /// <summary>The values a code field or categorical derived variable can take, or null when open (text, numbers).</summary>
    private static List<string>? AllowedCodes(string field, FieldType type, DerivedCohort cohort)
    {
        if (type != FieldType.Code)
        {
            return null;
        }

        var cut = cohort.Options.CutPoints.FirstOrDefault(c => c.VariableName == field);
        if (cut is not null)
        {
            return [cut.LabelBelow, cut.LabelAtOrAbove];
        }

        return field switch
        {
            DerivedNames.ResectionSublobar => [CategoryLabels.Sublobar, CategoryLabels.LobectomyOrLarger],
            DerivedNames.ResectionAnatomical => [CategoryLabels.Partial, CategoryLabels.Anatomical],
            DerivedNames.CurativeResection => [CategoryLabels.Curative, CategoryLabels.NonCurative],
            DerivedNames.HistologyUps => [CategoryLabels.Ups, CategoryLabels.NonUps],
            DerivedNames.TissueGroup => [CategoryLabels.Bone, CategoryLabels.SoftTissue],
            DerivedNames.NoduleGroup => [CategoryLabels.Solitary, CategoryLabels.Multiple],
            _ => DataDictionary.Default.TryGet(field, out var f) ? f.Codes.Select(kv => kv.Key).ToList() : null,
        };
    }

    private static object Convert(object value, FieldType type, SelectionRule rule)
    {
        object? converted = type switch
        {
            FieldType.Integer or FieldType.Number => value switch
            {
                double d when double.IsFinite(d) => d,
                int i => (double)i,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
                _ => null,
            },
            FieldType.Date => value switch
            {
                DateOnly d => d,
                string s when DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
                _ => null,
            },
            FieldType.Boolean => value switch
            {
                bool b => b,
                string s when s.Trim() is "yes" or "true" => true,
                string s when s.Trim() is "no" or "false" => false,
                _ => null,
            },
            _ => value as string,
        };
        return converted ?? throw new ArgumentException(
            $"Rule '{rule.Label}': the value '{SelectionRule.Text(value)}' is not a valid {type.ToString().ToLowerInvariant()} value, as '{rule.Field}' needs"
            + (type switch
            {
                FieldType.Date => " (dates as yyyy-MM-dd)",
                FieldType.Boolean => " (yes or no)",
                FieldType.Integer or FieldType.Number => " (invariant number, dot as decimal separator)",
                _ => string.Empty,
            }) + ".",
            nameof(rule));
    }

    /// <summary>A rule checked and with its values converted to the field's type (double, DateOnly, bool or string).</summary>
    private sealed class CompiledRule(SelectionRule rule, List<object> values, List<string> valueTexts, FieldType type)
    {
        private readonly HashSet<object> _set = [.. values];

        public SelectionRule Rule { get; } = rule;

        public List<string> ValueTexts { get; } = valueTexts;

        public FieldType Type { get; } = type;

        /// <summary>Whether the rule's condition holds for a present value (already normalised: ints as doubles).</summary>
        public bool Holds(object value)
        {
            if (Type is FieldType.Code or FieldType.Text && value is not string)
            {
                value = SelectionRule.Text(value);
            }

            return Rule.Operator switch
            {
                SelectionOperator.EqualTo => _set.Contains(value),
                SelectionOperator.NotEqualTo => !_set.Contains(value),
                SelectionOperator.In => _set.Contains(value),
                SelectionOperator.NotIn => !_set.Contains(value),
                SelectionOperator.LessThan => Compare(value) < 0,
                SelectionOperator.AtMost => Compare(value) <= 0,
                SelectionOperator.GreaterThan => Compare(value) > 0,
                SelectionOperator.AtLeast => Compare(value) >= 0,
                _ => throw new InvalidOperationException($"Operator {Rule.Operator} is not a comparison."),
            };
        }

        private int Compare(object value) => value switch
        {
            double d => d.CompareTo((double)values[0]),
            DateOnly d => d.CompareTo((DateOnly)values[0]),
            _ => throw new InvalidOperationException($"Rule '{Rule.Label}': cannot order a {value.GetType().Name}."),
        };
    }
}
