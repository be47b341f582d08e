using Sarcostat.Cohort;
using Sarcostat.Import.Mapping;

namespace Sarcostat.Import.Tests;

public class MappingTests
{
    private const string BriefExample = """
        source: hospital_b                 # source database name (recorded in patient.source)
        key: study_id
        date_format: dd/MM/yyyy
        files:
          patients: hospital_b_patients.csv
          procedures: hospital_b_procedures.csv
        columns:
          Chart ID: study_id
          Gender: sex
          Largest nodule (cm): {field: largest_nodule_mm, unit: cm}
          Operation date: {field: pm_date, date_format: MM/dd/yyyy}
        codes:
          sex: {M: male, F: female}
          histology: {LMS: leiomyosarcoma, UPS: ups}
        identifying:
          Patient name: drop
          MRN: {pseudonymise: study_id}
        missing: ["", "NA", "-"]
        """;

    private const string BriefExampleJson = """
        {
          "source": "hospital_b",
          "key": "study_id",
          "date_format": "dd/MM/yyyy",
          "files": {"patients": "hospital_b_patients.csv", "procedures": "hospital_b_procedures.csv"},
          "columns": {
            "Chart ID": "study_id",
            "Gender": "sex",
            "Largest nodule (cm)": {"field": "largest_nodule_mm", "unit": "cm"},
            "Operation date": {"field": "pm_date", "date_format": "MM/dd/yyyy"}
          },
          "codes": {"sex": {"M": "male", "F": "female"}, "histology": {"LMS": "leiomyosarcoma", "UPS": "ups"}},
          "identifying": {"Patient name": "drop", "MRN": {"pseudonymise": "study_id"}},
          "missing": ["", "NA", "-"]
        }
        """;

    [Fact]
    public void The_example_mapping_of_the_brief_reads_every_key()
    {
        var m = SourceMapping.Parse(BriefExample, "hospital_b.yaml");
        (m.Source, m.Key, m.DateFormat).Should().Be(("hospital_b", "study_id", "dd/MM/yyyy"));
        m.Files[CohortTable.Patients].Should().Be("hospital_b_patients.csv");
        m.Files[CohortTable.Procedures].Should().Be("hospital_b_procedures.csv");
        m.Columns["chart id"].Should().Be(new ColumnMapping("study_id"), "source columns match ignoring case");
        m.Columns["Largest nodule (cm)"].Should().Be(new ColumnMapping("largest_nodule_mm", "cm"));
        m.Columns["Operation date"].Should().Be(new ColumnMapping("pm_date", null, "MM/dd/yyyy"));
        m.Codes["sex"]["m"].Should().Be("male");
        m.Identifying["Patient name"].Drop.Should().BeTrue();
        m.Identifying["MRN"].PseudonymiseInto.Should().Be("study_id");
        m.Missing.Should().Equal("", "NA", "-");
        m.Pseudonymises.Should().BeTrue();
    }

    [Fact]
    public void The_same_mapping_in_JSON_reads_the_same()
    {
        var yaml = SourceMapping.Parse(BriefExample, "hospital_b.yaml");
        var json = SourceMapping.Parse(BriefExampleJson, "hospital_b.json");
        json.Columns.Should().BeEquivalentTo(yaml.Columns);
        json.Codes.Should().BeEquivalentTo(yaml.Codes);
        json.Identifying.Should().BeEquivalentTo(yaml.Identifying);
        (json.Source, json.Key, json.DateFormat).Should().Be((yaml.Source, yaml.Key, yaml.DateFormat));
    }

    [Fact]
    public void Defaults_are_the_file_name_as_source_study_id_as_key_and_iso_dates()
    {
        var m = SourceMapping.Parse("columns: {Gender: sex}\n", "/data/site_c.yml");
        (m.Source, m.Key, m.DateFormat, m.Files.Count).Should().Be(("site_c", "study_id", "yyyy-MM-dd", 0));
        m.Missing.Should().Equal(SourceMapping.DefaultMissing);
    }

    [Fact]
    public void Every_error_of_a_mapping_is_listed_with_file_line_key_and_what_was_expected()
    {
        const string broken = """
            source: hospital_b
            colums: {Gender: sex}
            date_format: dd/yyyy
            columns:
              Size: {field: largest_nodule, unit: cm}
              Nodule: {field: largest_nodule_mm, unit: inch}
            codes:
              sex: {M: man}
            identifying:
              MRN: keep
            """;
        var act = () => SourceMapping.Parse(broken, "/x/hospital_b.yaml");
        var errors = act.Should().Throw<ImportSetupException>().Which.Errors;
        errors.Should().Equal(
            "hospital_b.yaml line 2: key 'colums': expected one of source, key, date_format, two_digit_year_pivot, decimal, files, columns, repeat, codes, identifying, missing, extract_date, severity (unknown key).",
            "hospital_b.yaml line 3: key 'date_format': expected a date format with day, month and year, such as dd/MM/yyyy or yyyy-MM-dd; found 'dd/yyyy'.",
            "hospital_b.yaml line 5: key 'columns.Size': expected a field of the data dictionary (docs/data-dictionary.md); found 'largest_nodule'.",
            "hospital_b.yaml line 6: key 'columns.Nodule.unit': expected a unit convertible to mm of largest_nodule_mm (mm, cm, m, days, weeks, months, years); found 'inch'.",
            "hospital_b.yaml line 8: key 'codes.sex.M': expected a code of sex (male, female); found 'man'.",
            "hospital_b.yaml line 10: key 'identifying.MRN': expected drop, or {pseudonymise: study_id}; found 'keep'.");
    }

    [Fact]
    public void A_yaml_syntax_error_names_the_file_and_line()
    {
        var act = () => SourceMapping.Parse("columns:\n  Gender: sex\n   Bad: [\n", "m.yaml");
        act.Should().Throw<ImportSetupException>().Which.Errors.Single().Should().StartWith("m.yaml line ");
    }

    [Fact]
    public void A_column_both_mapped_and_identifying_is_refused()
    {
        var act = () => SourceMapping.Parse("columns: {MRN: study_id}\nidentifying: {MRN: drop}\n", "m.yaml");
        act.Should().Throw<ImportSetupException>().Which.Errors.Should().ContainSingle().Which.Should().Contain("key 'identifying.MRN'");
    }

    [Theory]
    [InlineData("key: sex", "key 'key': expected a text field of the patients table, such as study_id; found 'sex'")]
    [InlineData("columns: {Age: {field: age_at_pm, date_format: dd/MM/yyyy}}", "key 'columns.Age.date_format': expected no date_format: age_at_pm is not a date")]
    [InlineData("columns: {Sex: {field: sex, unit: cm}}", "key 'columns.Sex.unit': expected no unit: sex has no unit to convert to")]
    [InlineData("codes: {nodules: {one: 1}}", "key 'codes.nodules': expected a code or yes/no field of the data dictionary; found 'nodules'")]
    [InlineData("identifying: {MRN: {pseudonymise: sex}}", "key 'identifying.MRN.pseudonymise': expected a text field of the patients table, such as study_id; found 'sex'")]
    [InlineData("files: {patient: a.csv}", "key 'files.patient': expected patients or procedures as the table name; found 'patient'")]
    [InlineData("missing: NA", "key 'missing': expected a list of values")]
    public void Each_kind_of_mapping_mistake_has_its_own_message(string yaml, string expected)
    {
        var act = () => SourceMapping.Parse(yaml, "m.yaml");
        act.Should().Throw<ImportSetupException>().Which.Errors.Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Fact]
    public void Units_convert_lengths_and_durations_with_the_dictionary_month()
    {
        Units.Factor("cm", "mm", 30.4375).Should().Be(10);
        Units.Factor("mm", "cm", 30.4375).Should().Be(0.1);
        Units.Factor("months", "years", 30.4375).Should().BeApproximately(1.0 / 12, 1e-15);
        Units.Factor("weeks", "days", 30.4375).Should().Be(7);
        Units.Factor("cm", "days", 30.4375).Should().BeNull();
    }
}
