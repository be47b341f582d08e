using System.Globalization;

namespace Sarcostat.Cohort.Derivation;

/// <summary>
/// A dichotomised variable declared by a cut point: a value strictly below <see cref="Threshold"/> gets
/// <see cref="LabelBelow"/>, a value at or above it gets <see cref="LabelAtOrAbove"/>; a missing value stays missing.
/// </summary>
/// <param name="Field">
/// The numeric variable it cuts: a derived number (<c>age_at_pm</c>, <c>dfi_months</c>, <c>follow_up</c>) or an
/// integer or number field of the data dictionary (a procedure field is read from the first metastasectomy).
/// </param>
/// <param name="Threshold">The cut point, in the variable's unit. A value exactly equal to it is "at or above".</param>
/// <param name="LabelBelow">The category of values below the threshold, e.g. <c>&lt;12 months</c>.</param>
/// <param name="LabelAtOrAbove">The category of values at or above it, e.g. <c>&gt;=12 months</c>.</param>
/// <param name="Name">
/// The derived variable's name, by which a protocol or a selection rule addresses it; null gives
/// <c>FIELD_cut_THRESHOLD</c> (e.g. <c>dfi_months_cut_12</c>).
/// </param>
public sealed record CutPoint(string Field, double Threshold, string LabelBelow, string LabelAtOrAbove, string? Name = null)
{
    /// <summary>The derived variable's name: <see cref="Name"/> or <c>FIELD_cut_THRESHOLD</c>.</summary>
    public string VariableName =>
        Name ?? string.Create(CultureInfo.InvariantCulture, $"{Field}_cut_{Threshold:R}");

    /// <summary>The category of <paramref name="value"/>, or null when the value is missing.</summary>
    public string? Categorise(double? value) =>
        value is not { } v ? null : v < Threshold ? LabelBelow : LabelAtOrAbove;

    /// <summary>Checks the declaration: a field, a finite threshold, two different non-empty labels.</summary>
    /// <exception cref="ArgumentException">The declaration is incomplete or ambiguous.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Field))
        {
            throw new ArgumentException("A cut point needs the field it cuts.", nameof(Field));
        }

        if (!double.IsFinite(Threshold))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Cut point on '{Field}': the threshold must be a finite number, got {Threshold}."),
                nameof(Threshold));
        }

        if (string.IsNullOrWhiteSpace(LabelBelow) || string.IsNullOrWhiteSpace(LabelAtOrAbove) || LabelBelow == LabelAtOrAbove)
        {
            throw new ArgumentException(
                $"Cut point on '{Field}': the two labels must be non-empty and different, got '{LabelBelow}' and '{LabelAtOrAbove}'.",
                nameof(LabelBelow));
        }

        if (Name is not null && string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"Cut point on '{Field}': the name, when given, must not be blank.", nameof(Name));
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{VariableName}: {Field} < {Threshold} -> '{LabelBelow}', >= {Threshold} -> '{LabelAtOrAbove}'");
}

/// <summary>The cut points the two source papers use, as named presets.</summary>
/// <remarks>
/// Every preset puts a value equal to the threshold in the upper group (">="). Paper 000 prints "&lt;65 / &gt;65" and
/// "&lt;3 cm / &gt;3 cm", leaving the boundary open; the product chooses "&gt;=" throughout and says so.
/// </remarks>
public static class CutPoints
{
    /// <summary><c>age_65</c>: age at PM &lt;65 vs &gt;=65 years (paper 000).</summary>
    public static CutPoint Age65 { get; } = new(DerivedNames.AgeAtPm, 65, "<65 years", ">=65 years", "age_65");

    /// <summary><c>age_50</c>: age at PM &lt;50 vs &gt;=50 years (paper 001).</summary>
    public static CutPoint Age50 { get; } = new(DerivedNames.AgeAtPm, 50, "<50 years", ">=50 years", "age_50");

    /// <summary><c>dfi_12</c>: disease-free interval &lt;12 vs &gt;=12 months (both papers).</summary>
    public static CutPoint Dfi12 { get; } = new(DerivedNames.DfiMonths, 12, "<12 months", ">=12 months", "dfi_12");

    /// <summary><c>largest_nodule_30</c>: largest lung nodule &lt;30 vs &gt;=30 mm (paper 000's 3 cm).</summary>
    public static CutPoint LargestNodule30 { get; } = new("largest_nodule_mm", 30, "<30 mm", ">=30 mm", "largest_nodule_30");

    /// <summary><c>largest_nodule_20</c>: largest lung nodule &lt;20 vs &gt;=20 mm (paper 001).</summary>
    public static CutPoint LargestNodule20 { get; } = new("largest_nodule_mm", 20, "<20 mm", ">=20 mm", "largest_nodule_20");

    /// <summary><c>primary_size_10</c>: primary tumour &lt;10 vs &gt;=10 cm (paper 001).</summary>
    public static CutPoint PrimarySize10 { get; } = new("primary_size_cm", 10, "<10 cm", ">=10 cm", "primary_size_10");

    /// <summary><c>nodules_2</c>: number of lung nodules 1 vs &gt;=2 (both papers).</summary>
    public static CutPoint Nodules2 { get; } = new("nodules", 2, "1", ">=2", "nodules_2");

    /// <summary>Every preset, in the order above.</summary>
    public static IReadOnlyList<CutPoint> Presets { get; } =
        [Age65, Age50, Dfi12, LargestNodule30, LargestNodule20, PrimarySize10, Nodules2];

    /// <summary>The preset called <paramref name="name"/> (e.g. <c>dfi_12</c>), or null.</summary>
    public static CutPoint? Preset(string name) =>
        Presets.FirstOrDefault(c => string.Equals(c.VariableName, name, StringComparison.Ordinal));
}
