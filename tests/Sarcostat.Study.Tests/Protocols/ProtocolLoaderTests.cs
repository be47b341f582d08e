using Sarcostat.Cohort.Selection;
using Sarcostat.Study.Protocols;
using Sarcostat.Survival;

namespace Sarcostat.Study.Tests.Protocols;

public class ProtocolLoaderTests
{
    /// <summary>A small valid protocol; tests change one line of it.</summary>
    internal const string Minimal = """
        name: mini
        title: A small study
        endpoints: [OS]
        variables:
          dfi_12:
            label: Disease-free interval
            reference: ">=12 months"
        sections:
          - id: survival
            title: Survival
            items:
              - type: univariate
                id: table-1
                title: Table 1. Univariate
                endpoint: OS
                rows: [dfi_12, sex]
        """;

    private static ProtocolException Fails(string text, string source = "study.yaml")
    {
        var act = () => ProtocolLoader.Parse(text, source);
        return act.Should().Throw<ProtocolException>().Which;
    }

    [Fact]
    public void A_minimal_protocol_loads_with_the_documented_defaults()
    {
        var p = ProtocolLoader.Parse(Minimal, "mini.yaml");
        p.Convention.Should().Be(Convention.R);
        p.ConfidenceLevel.Should().Be(0.95);
        p.Alpha.Should().Be(0.05);
        p.Landmark.Should().Be(60);
        p.PrimaryEndpoint.Endpoint.Should().Be(Cohort.Derivation.Endpoint.OverallSurvival);
        p.ResolveMethods().Should().Be(new StatisticalMethods(Convention.R, TieMethod.Efron, ConfidenceIntervalType.Log, MedianInterval.R, 0.95, 0.05));
        var table = p.Items.OfType<UnivariateTableSpec>().Single();
        table.Test.Should().Be(UnivariateTest.LogRank);
        table.EffectiveColumns.Select(c => c.Kind).Should().Equal(ColumnKind.N, ColumnKind.Survival, ColumnKind.P);
        p.SourceText.Should().Be(Minimal);
    }

    [Fact]
    public void A_variable_typo_names_file_line_key_path_and_the_closest_name()
    {
        var e = Fails(Minimal.Replace("rows: [dfi_12, sex]", "rows: [dfi_13, sex]", StringComparison.Ordinal));
        var problem = e.Problems.Should().ContainSingle().Which;
        problem.Source.Should().Be("study.yaml");
        problem.Path.Should().Be("sections[0].items[0].rows[0].variable");
        problem.Line.Should().Be(16);
        problem.Message.Should().Contain("'dfi_13' is not a field of the data dictionary").And.Contain("did you mean 'dfi_12'?");
        e.Message.Should().Contain("study.yaml, line 16, sections[0].items[0].rows[0].variable: 'dfi_13'");
    }

    [Fact]
    public void An_unknown_key_is_refused_with_the_keys_allowed_there()
    {
        var e = Fails(Minimal.Replace("endpoints: [OS]", "endpoints: [OS]\nconvension: spss", StringComparison.Ordinal));
        e.Problems.Should().ContainSingle().Which.Message.Should().Contain("'convension' is not a key here").And.Contain("did you mean 'convention'?");
    }

    [Fact]
    public void A_misspelt_value_lists_the_allowed_values()
    {
        var e = Fails(Minimal.Replace("endpoints: [OS]", "endpoints: [OS]\nconvention: sps", StringComparison.Ordinal));
        var problem = e.Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("convention");
        problem.Message.Should().Contain("'sps' is not allowed here; expected one of r, spss; did you mean 'spss'?");
    }

    [Fact]
    public void A_reference_level_that_does_not_exist_lists_the_levels()
    {
        var e = Fails(Minimal.Replace("reference: \">=12 months\"", "reference: \">12 months\"", StringComparison.Ordinal));
        var problem = e.Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("variables.dfi_12.reference");
        problem.Message.Should().Contain("'>12 months' is not a reference level of 'dfi_12'; its values are: <12 months, >=12 months");
    }

    [Fact]
    public void An_undeclared_endpoint_is_refused()
    {
        var e = Fails(Minimal.Replace("endpoint: OS", "endpoint: DSS", StringComparison.Ordinal));
        e.Problems.Should().ContainSingle().Which.Message.Should().Contain("'DSS' is not an endpoint declared in 'endpoints' (OS)");
    }

    [Fact]
    public void A_log_rank_test_of_a_number_is_refused()
    {
        var e = Fails(Minimal.Replace("rows: [dfi_12, sex]", "rows: [dfi_12, age_at_pm]", StringComparison.Ordinal));
        e.Problems.Should().ContainSingle().Which.Message.Should().Contain("the log-rank test compares groups, but 'age_at_pm' is numeric");
    }

    [Fact]
    public void A_selection_rule_on_an_unknown_field_is_refused_before_anything_runs()
    {
        var text = Minimal.Replace(
            "endpoints: [OS]",
            "endpoints: [OS]\nselection:\n  steps:\n    - label: Not trunk or extremity\n      exclude: {field: primary_sit, in: [visceral]}",
            StringComparison.Ordinal);
        var problem = Fails(text).Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("selection.steps[0]");
        problem.Message.Should().Contain("'primary_sit' is neither a field").And.Contain("did you mean 'primary_site'?");
    }

    [Fact]
    public void A_selection_value_that_is_not_a_code_is_refused()
    {
        var text = Minimal.Replace(
            "endpoints: [OS]",
            "endpoints: [OS]\nselection:\n  steps:\n    - label: Site\n      exclude: {field: primary_site, in: [viseral]}",
            StringComparison.Ordinal);
        Fails(text).Problems.Should().ContainSingle().Which.Message.Should().Contain("'viseral' is not a value of 'primary_site'");
    }

    [Fact]
    public void A_grouping_of_values_the_source_does_not_have_is_refused()
    {
        var text = Minimal.Replace(
            "variables:",
            "variables:\n  hist2:\n    from: histology\n    groups: {SS: [synovial]}\n    otherwise: Other",
            StringComparison.Ordinal);
        var problem = Fails(text).Problems.Should().ContainSingle().Which;
        problem.Path.Should().Be("variables.hist2.groups.SS");
        problem.Message.Should().Contain("'synovial' is not a value of 'histology'").And.Contain("did you mean 'synovial_sarcoma'?");
    }

    [Fact]
    public void Every_problem_is_listed_not_only_the_first()
    {
        var text = Minimal.Replace("rows: [dfi_12, sex]", "rows: [dfi_13, sexx]", StringComparison.Ordinal)
            .Replace("endpoints: [OS]", "endpoints: [OS]\nalpha: 5", StringComparison.Ordinal);
        var e = Fails(text);
        e.Problems.Should().HaveCount(1, "binding problems stop before the name check")
            .And.Contain(p => p.Path == "alpha");
        var names = Fails(Minimal.Replace("rows: [dfi_12, sex]", "rows: [dfi_13, sexx]", StringComparison.Ordinal));
        names.Problems.Select(p => p.Path).Should().Equal("sections[0].items[0].rows[0].variable", "sections[0].items[0].rows[1].variable");
    }

    private const string SideBySide = """

              - type: univariate
                id: table-2
                title: Table 2. Side by side
                endpoint: OS
                rows_from: table-1
                columns: [n, p_logrank, hr_ci, p_wald, p_lr]
        """;

    [Fact]
    public void Rows_from_repeats_another_tables_rows_with_side_by_side_p_columns()
    {
        var p = ProtocolLoader.Parse(Minimal + SideBySide, "mini.yaml");
        var tables = p.Items.OfType<UnivariateTableSpec>().ToList();
        tables[1].RowsFrom.Should().Be("table-1");
        p.RowsOf(tables[1]).Should().Equal(tables[0].Rows);
        tables[1].EffectiveColumns.Select(c => c.Kind).Should().Equal(
            ColumnKind.N, ColumnKind.LogRankP, ColumnKind.HazardRatioCi, ColumnKind.WaldP, ColumnKind.LikelihoodRatioP);
    }

    [Fact]
    public void Rows_from_must_name_a_univariate_table_and_excludes_rows()
    {
        Fails(Minimal + SideBySide.Replace("rows_from: table-1", "rows_from: table-9", StringComparison.Ordinal))
            .Problems.Should().ContainSingle().Which.Message.Should().Contain("'table-9' is not the id of a univariate table").And.Contain("did you mean 'table-1'?");
        Fails(Minimal + SideBySide.Replace("rows_from: table-1", "rows_from: table-1\n        rows: [sex]", StringComparison.Ordinal))
            .Problems.Should().Contain(x => x.Message.Contains("either 'rows' or 'rows_from'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_log_rank_column_is_refused_in_a_multivariate_table()
    {
        var text = Minimal + """

              - type: multivariate
                id: table-2
                title: Table 2. Multivariate
                endpoint: OS
                select: {variables: [dfi_12]}
                columns: [hr, p_logrank]
        """;
        Fails(text).Problems.Should().ContainSingle().Which.Message.Should().Contain("p_logrank is a univariate test");
    }

    [Fact]
    public void Malformed_yaml_gives_the_line()
    {
        var e = Fails("name: x\ntitle: y\n- a list item where a key belongs\n");
        var problem = e.Problems.Should().ContainSingle().Which;
        problem.Line.Should().Be(3);
        problem.Message.Should().StartWith("not well-formed YAML");
    }

    [Fact]
    public void Aliases_are_refused_at_their_line_and_column_before_any_expansion()
    {
        var text = new System.Text.StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 30; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        var problem = Fails(text.ToString()).Problems.Should().ContainSingle().Which;
        problem.Line.Should().Be(2);
        problem.Message.Should().Contain("alias (*a0)").And.EndWith("(column 10)", "a1: &a1 [*a0: the * is the 10th character");
    }

    [Fact]
    public void A_tab_used_as_indentation_is_located_at_the_tab()
    {
        var problem = Fails("name: x\ntitle: y\n\tconvention: r\n").Problems.Should().ContainSingle().Which;
        (problem.Line, problem.Message).Should().Be((3, "not well-formed YAML: While scanning a plain scalar, found a tab character that violate indentation (column 1)"));
    }

    [Fact]
    public void An_unclosed_bracket_is_a_syntax_error_not_a_crash()
    {
        Fails("name: x\ntitle: [unclosed\nendpoints: [OS]\n").Problems.Should().ContainSingle().Which.Message.Should().StartWith("not well-formed YAML");
    }

    [Fact]
    public void A_duplicate_key_is_refused()
    {
        Fails("name: x\nname: y\n").Problems.Should().ContainSingle().Which.Message.Should().Contain("Duplicate key name");
    }

    [Fact]
    public void Json_protocols_load_and_report_key_paths()
    {
        const string json = """
            {
              "name": "mini", "title": "A small study", "convention": "spss",
              "endpoints": ["OS"],
              "variables": {"dfi_12": {"reference": ">=12 months"}},
              "sections": [{"id": "s", "title": "S", "items": [
                {"type": "univariate", "id": "table-1", "title": "Table 1", "endpoint": "OS", "test": "cox", "rows": ["dfi_12"]},
              ]}]
            }
            """;
        var p = ProtocolLoader.Parse(json, "mini.json");
        p.Convention.Should().Be(Convention.Spss);
        p.Items.OfType<UnivariateTableSpec>().Single().Test.Should().Be(UnivariateTest.Cox);

        var e = Fails(json.Replace("\"dfi_12\"]", "\"dfi_21\"]", StringComparison.Ordinal), "mini.json");
        e.Problems.Should().ContainSingle().Which.Path.Should().Be("sections[0].items[0].rows[0].variable");
    }

    [Fact]
    public void Malformed_json_is_reported_as_json()
    {
        Fails("{\"name\": \"x\",,}", "p.json").Problems.Single().Message.Should().StartWith("not well-formed JSON");
    }

    [Fact]
    public void A_forest_plot_of_an_unknown_model_is_refused()
    {
        var text = Minimal + "\n      - type: forest\n        id: figure-1\n        title: Figure 1\n        model: table-9\n";
        Fails(text).Problems.Should().ContainSingle().Which.Message.Should().Contain("'table-9' is not the id of a multivariate table");
    }

    [Fact]
    public void Item_ids_must_be_unique_and_usable_as_file_names()
    {
        var text = Minimal + "\n      - type: flow\n        id: table-1\n        title: Flow\n      - type: flow\n        id: Figure 1\n        title: Flow\n";
        var problems = Fails(text).Problems;
        problems.Should().Contain(p => p.Message.Contains("the item id 'table-1' is used twice", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Message.Contains("'Figure 1' is not a valid item id", StringComparison.Ordinal));
    }

    [Fact]
    public void Selection_steps_bind_to_the_selection_modules_rules()
    {
        var text = Minimal.Replace(
            "endpoints: [OS]",
            "endpoints: [OS]\nselection:\n  steps:\n    - label: Other hospital\n      exclude: {field: site, not_equals: NCCH, when_missing: exclude}\n    - label: Adults\n      include: {field: age_at_pm, at_least: 18}",
            StringComparison.Ordinal);
        var steps = ProtocolLoader.Parse(text, "s.yaml").Selection.Steps;
        steps[0].Rule.Should().Be(new SelectionRule("site", SelectionOperator.NotEqualTo, "NCCH", "Other hospital") { WhenMissing = MissingValuePolicy.Exclude });
        steps[1].Rule.Kind.Should().Be(CriterionKind.Inclusion);
        steps[1].Rule.Operator.Should().Be(SelectionOperator.AtLeast);
    }

    [Fact]
    public void An_unknown_shipped_name_suggests_the_closest()
    {
        var act = () => ProtocolLoader.Shipped("nakayama2021");
        act.Should().Throw<ArgumentException>().WithMessage("*did you mean 'nakayama2022'?*");
    }

    [Fact]
    public void WithConvention_clears_the_per_method_overrides()
    {
        var p = ProtocolLoader.Parse(Minimal.Replace("endpoints: [OS]", "endpoints: [OS]\nties: breslow", StringComparison.Ordinal), "m.yaml");
        p.ResolveMethods().Ties.Should().Be(TieMethod.Breslow);
        p.WithConvention(Convention.R).ResolveMethods().Ties.Should().Be(TieMethod.Efron);
        var spss = p.WithConvention(Convention.Spss).ResolveMethods();
        spss.Should().Be(new StatisticalMethods(Convention.Spss, TieMethod.Breslow, ConfidenceIntervalType.Plain, MedianInterval.Spss, 0.95, 0.05));
    }
}

public class ProtocolFormatTests
{
    /// <summary>The minimal protocol with a top-level format (lines 4-8) and a descriptive table that overrides it.</summary>
    private static readonly string WithFormat = ProtocolLoaderTests.Minimal.Replace(
        "endpoints: [OS]\n",
        "endpoints: [OS]\nformat:\n  hr_decimals: 3\n  dash: en-dash\n  mean_sd: parentheses\n  percent_of: known\n",
        StringComparison.Ordinal) + """

              - type: descriptive
                id: table-2
                title: Table 2. Patients
                format:
                  hr_decimals: 2
                  p_style: exact
                  percent_decimals: 0
                rows:
                  - variable: sex
        """;

    [Fact]
    public void The_protocol_format_applies_to_every_item_and_an_item_overrides_it_key_by_key()
    {
        var p = ProtocolLoader.Parse(WithFormat, "mini.yaml");
        p.Format.HazardRatioDecimals.Should().Be(3);
        p.Format.Dash.Should().Be(Sarcostat.Study.Formatting.RangeDash.EnDash);
        p.Format.MeanSd.Should().Be(Sarcostat.Study.Formatting.MeanSdStyle.Parentheses);
        p.Format.PDecimals.Should().Be(3, "the default");
        var univariate = p.Items.OfType<UnivariateTableSpec>().Single();
        univariate.Format.Should().BeNull("an item without format: prints in the protocol's");
        univariate.PercentDecimals.Should().Be(1, "survival_decimals is 1 by default");
        var twoDecimals = ProtocolLoader.Parse(WithFormat.Replace("  hr_decimals: 3\n", "  hr_decimals: 3\n  survival_decimals: 2\n", StringComparison.Ordinal), "mini.yaml");
        twoDecimals.Items.OfType<UnivariateTableSpec>().Single().PercentDecimals.Should().Be(2, "the format's survival decimals print the table's survival percentages");
        var descriptive = p.Items.OfType<DescriptiveTableSpec>().Single();
        descriptive.Format!.HazardRatioDecimals.Should().Be(2);
        descriptive.Format.PStyle.Should().Be(Sarcostat.Study.Formatting.PValueStyle.Exact);
        descriptive.Format.Dash.Should().Be(Sarcostat.Study.Formatting.RangeDash.EnDash, "kept from the protocol");
        descriptive.PercentDecimals.Should().Be(0, "the item's format sets its percentages");
        descriptive.PercentOf.Should().Be(PercentBase.Known, "the protocol's format sets the denominator");
    }

    [Fact]
    public void A_wrong_format_key_or_value_is_a_located_protocol_error()
    {
        var act = () => ProtocolLoader.Parse(WithFormat.Replace("hr_decimals: 3", "hr_decimal: 3", StringComparison.Ordinal), "mini.yaml");
        act.Should().Throw<ProtocolException>().Which.Message.Should().Contain("mini.yaml, line 5").And.Contain("hr_decimal");
        var dash = () => ProtocolLoader.Parse(WithFormat.Replace("dash: en-dash", "dash: em-dash", StringComparison.Ordinal), "mini.yaml");
        dash.Should().Throw<ProtocolException>().Which.Message.Should().Contain("line 6").And.Contain("hyphen, en-dash");
        var p = () => ProtocolLoader.Parse(WithFormat.Replace("hr_decimals: 3", "p_decimals: 1", StringComparison.Ordinal), "mini.yaml");
        p.Should().Throw<ProtocolException>().Which.Message.Should().Contain("at least 2 decimals");
    }
}
