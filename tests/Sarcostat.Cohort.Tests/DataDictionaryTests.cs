using System.Reflection;

namespace Sarcostat.Cohort.Tests;

public class DataDictionaryTests
{
    private static readonly DataDictionary D = DataDictionary.Default;

    [Fact]
    public void Embedded_dictionary_loads_with_both_tables_and_the_month_convention()
    {
        D.MonthDays.Should().Be(30.4375);
        D.FieldsOf(CohortTable.Patients).Should().Contain(f => f.Name == "study_id" && f.Required);
        D.FieldsOf(CohortTable.Procedures).Should().Contain(f => f.Name == "pm_date" && f.Type == FieldType.Date);
        D.Fields.Select(f => f.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Every_code_field_has_codes_and_code_order_is_the_files()
    {
        D.Fields.Where(f => f.Type == FieldType.Code).Should().OnlyContain(f => f.Codes.Count > 0);
        D["sex"].Codes.Select(c => c.Key).Should().Equal("male", "female");
        D["histology"].Label("ups").Should().Be("Undifferentiated pleomorphic sarcoma");
        D["histology"].Label("UPS").Should().BeNull("codes are case-sensitive; mappings translate source spellings");
    }

    [Fact]
    public void Codes_the_domain_names_exist_in_the_dictionary()
    {
        void Check(Type holder, params string[] fields)
        {
            foreach (var c in holder.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!))
            {
                fields.Should().Contain(f => D[f].Label(c) != null, $"code '{c}' of {holder.Name}");
            }
        }

        Check(typeof(Codes.VitalStatus), "vital_status");
        Check(typeof(Codes.CauseOfDeath), "cause_of_death");
        Check(typeof(Codes.Resection), "resection");
        Check(typeof(Codes.Indication), "indication");
        Check(typeof(Codes.Margin), "margin", "primary_margin");
        Check(typeof(Codes.Histology), "histology");
    }

    [Fact]
    public void Every_model_property_maps_to_a_dictionary_field()
    {
        // Patient and Metastasectomy properties are the dictionary fields in PascalCase (a few named fuller).
        var renamed = new Dictionary<string, string>
        {
            ["LungMetastasisDate"] = "lung_met_date",
            ["Date"] = "pm_date",
            ["Mortality30d"] = "mortality_30d",
        };
        var skip = new[] { "Procedures", "Origins", "FirstMetastasectomyDate", "FirstMetastasectomy", "Origin", "IsSublobar", "IsAnatomical" };
        foreach (var t in new[] { typeof(Patient), typeof(Metastasectomy) })
        {
            foreach (var p in t.GetProperties().Where(p => !skip.Contains(p.Name)))
            {
                var field = renamed.TryGetValue(p.Name, out var r) ? r : Snake(p.Name);
                D.TryGet(field, out _).Should().BeTrue($"{t.Name}.{p.Name} should be dictionary field '{field}'");
            }
        }
    }

    [Theory]
    [InlineData("Patient Name", true)]
    [InlineData("MRN", true)]
    [InlineData("chart_no", true)]
    [InlineData("Phone", true)]
    [InlineData("study_id", false)]
    [InlineData("histology", false)]
    public void Identifying_column_names_are_recognised(string column, bool identifying) =>
        D.LooksIdentifying(column).Should().Be(identifying);

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public class FieldAccessTests
{
    [Fact]
    public void Every_accessor_field_is_a_dictionary_field_of_the_right_table()
    {
        foreach (var f in FieldAccess.PatientFields)
        {
            DataDictionary.Default[f].Table.Should().Be(CohortTable.Patients, f);
        }

        foreach (var f in FieldAccess.MetastasectomyFields)
        {
            DataDictionary.Default[f].Table.Should().Be(CohortTable.Procedures, f);
        }

        FieldAccess.PatientFields.Concat(FieldAccess.MetastasectomyFields)
            .Should().BeEquivalentTo(DataDictionary.Default.Fields.Select(f => f.Name), "every dictionary field has a model property");
    }

    [Fact]
    public void Build_then_get_round_trips_typed_values()
    {
        var pm = FieldAccess.BuildMetastasectomy(new Dictionary<string, object?> { ["pm_date"] = new DateOnly(2020, 5, 1), ["resection"] = "wedge", ["hospital_stay_days"] = 4 }, null);
        var p = FieldAccess.BuildPatient(
            new Dictionary<string, object?> { ["study_id"] = "S1", ["sex"] = "female", ["ecog"] = 1, ["largest_nodule_mm"] = 12.5, ["diabetes"] = true },
            [pm],
            new Dictionary<string, SourceLocation>());
        FieldAccess.Get(p, "sex").Should().Be("female");
        FieldAccess.Get(p, "ecog").Should().Be(1);
        FieldAccess.Get(p, "largest_nodule_mm").Should().Be(12.5);
        FieldAccess.Get(p, "diabetes").Should().Be(true);
        FieldAccess.Get(p, "death_date").Should().BeNull();
        p.FirstMetastasectomyDate.Should().Be(new DateOnly(2020, 5, 1));
        FieldAccess.Get(pm, "hospital_stay_days").Should().Be(4);
        pm.IsSublobar.Should().BeTrue();
    }

    [Fact]
    public void Wrong_type_and_unknown_field_are_programmer_errors()
    {
        var act = () => FieldAccess.BuildPatient(new Dictionary<string, object?> { ["study_id"] = "S1", ["ecog"] = "1" }, [], new Dictionary<string, SourceLocation>());
        act.Should().Throw<ArgumentException>().WithMessage("*ecog*Int32*");
        var unknown = () => FieldAccess.Get(new Patient { StudyId = "S" }, "nope");
        unknown.Should().Throw<ArgumentException>().WithMessage("*nope*");
    }
}
