using Sarcostat.Cohort.Derivation;
using static Sarcostat.Cohort.Tests.Derivation.TestPatients;

namespace Sarcostat.Cohort.Tests.Derivation;

public class CategoryTests
{
    private static Patient WithFirstPm(string? resection = null, string? margin = null) =>
        Base("G1") with
        {
            Procedures =
            [
                new Metastasectomy { Date = D("2016-05-01"), Resection = Codes.Resection.Lobectomy, Margin = Codes.Margin.R2 },
                new Metastasectomy { Date = D("2015-01-10"), Resection = resection, Margin = margin },
            ],
        };

    [Theory]
    [InlineData("wedge", "sublobar", "partial")]
    [InlineData("segmentectomy", "sublobar", "anatomical")]
    [InlineData("lobectomy", "lobectomy or larger", "anatomical")]
    [InlineData("bilobectomy", "lobectomy or larger", "anatomical")]
    [InlineData("pneumonectomy", "lobectomy or larger", "anatomical")]
    [InlineData(null, null, null)]
    public void Resection_categories_read_the_first_pm(string? resection, string? sublobar, string? anatomical)
    {
        var c = DerivationRules.Categories(WithFirstPm(resection: resection));
        c[DerivedNames.ResectionSublobar].Should().Be(sublobar);
        c[DerivedNames.ResectionAnatomical].Should().Be(anatomical);
    }

    [Theory]
    [InlineData("R0", "curative")]
    [InlineData("R1", "non-curative")]
    [InlineData("R2", "non-curative")]
    [InlineData("unknown", null)]
    [InlineData(null, null)]
    public void Curative_resection_is_an_R0_margin_of_the_first_pm(string? margin, string? expected)
    {
        DerivationRules.Categories(WithFirstPm(margin: margin))[DerivedNames.CurativeResection].Should().Be(expected);
    }

    [Theory]
    [InlineData("ups", "UPS")]
    [InlineData("synovial_sarcoma", "non-UPS")]
    [InlineData(null, null)]
    public void Histology_is_ups_or_not(string? histology, string? expected)
    {
        DerivationRules.Categories(Base("G2") with { Histology = histology })[DerivedNames.HistologyUps].Should().Be(expected);
    }

    [Theory]
    [InlineData("bone", "bone")]
    [InlineData("soft_tissue", "soft tissue")]
    [InlineData(null, null)]
    public void Tissue_group_is_bone_or_soft_tissue_from_the_tissue_field_only(string? tissue, string? expected)
    {
        var p = Base("G3") with { Tissue = tissue, Histology = "osteosarcoma" };
        DerivationRules.Categories(p)[DerivedNames.TissueGroup].Should().Be(expected);
    }

    [Theory]
    [InlineData(1, "solitary")]
    [InlineData(2, "multiple")]
    [InlineData(12, "multiple")]
    [InlineData(null, null)]
    public void Nodule_group_is_solitary_or_multiple(int? nodules, string? expected)
    {
        DerivationRules.Categories(Base("G4") with { Nodules = nodules })[DerivedNames.NoduleGroup].Should().Be(expected);
    }

    [Fact]
    public void A_patient_without_metastasectomy_has_missing_procedure_categories()
    {
        var c = DerivationRules.Categories(Base("G5", pm: null));
        c[DerivedNames.ResectionSublobar].Should().BeNull();
        c[DerivedNames.CurativeResection].Should().BeNull();
    }

    [Fact]
    public void The_codes_the_categories_read_exist_in_the_dictionary()
    {
        DataDictionary.Default["histology"].Label(CategoryLabels.UpsCode).Should().NotBeNull();
        DataDictionary.Default["tissue"].Label(CategoryLabels.BoneCode).Should().NotBeNull();
        DataDictionary.Default["tissue"].Label(CategoryLabels.SoftTissueCode).Should().NotBeNull();
    }
}
