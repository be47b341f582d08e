using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sarcostat.Reports.Figures;
using Sarcostat.Reports.Svg;
using Sarcostat.Study.Results;

namespace Sarcostat.Reports.Tests;

public class FigureExportTests
{
    public static TheoryData<string> Figures() => new(SampleReports.Small().Figures.Select(f => f.Id));

    private static FigureItem Figure(string id) => SampleReports.Small().Figures.Single(f => f.Id == id);

    /// <summary>The print size the SVG states (width="85mm" height="...mm"), read from the markup itself.</summary>
    private static (double Width, double Height) StatedSize(string svg)
    {
        var w = Regex.Match(svg, "<svg[^>]* width=\"([0-9.]+)mm\"");
        var h = Regex.Match(svg, "<svg[^>]* height=\"([0-9.]+)mm\"");
        w.Success.Should().BeTrue();
        h.Success.Should().BeTrue();
        return (double.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Figures))]
    public void A_png_has_the_print_size_times_the_resolution_and_declares_that_resolution(string id)
    {
        var svg = SvgRenderer.Render(Figure(id));
        var (widthMm, heightMm) = StatedSize(svg);
        foreach (var dpi in FigureExport.Resolutions)
        {
            var bytes = FigureExport.Png(svg, dpi);
            var png = Png.Read(bytes);
            png.Width.Should().BeCloseTo((int)Math.Round(widthMm / 25.4 * dpi), 1, $"{id} at {dpi} dpi");
            png.Height.Should().BeCloseTo((int)Math.Round(heightMm / 25.4 * dpi), 1, $"{id} at {dpi} dpi");

            // pHYs: pixels per metre in both directions, unit = metre (PNG specification 11.3.5.3).
            var at = IndexOf(bytes, "pHYs"u8.ToArray());
            at.Should().BePositive("the PNG states its resolution");
            var perMetre = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 4));
            ((double)perMetre).Should().BeApproximately(dpi / 0.0254, 1);
            BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8)).Should().Be(perMetre);
            bytes[at + 12].Should().Be(1);
        }
    }

    [Theory]
    [MemberData(nameof(Figures))]
    public void A_png_is_not_blank_its_background_is_white_and_it_has_ink(string id)
    {
        var png = Png.Read(FigureExport.Png(SvgRenderer.Render(Figure(id)), 300));
        png[0, 0].Should().Be(((byte)255, (byte)255, (byte)255), "the corner is background");
        int dark = 0;
        for (var y = 0; y < png.Height; y++)
        {
            for (var x = 0; x < png.Width; x++)
            {
                var (r, g, b) = png[x, y];
                if (r + g + b < 200)
                {
                    dark++;
                }
            }
        }

        // Axes, boxes and text are black; a blank or text-less rendering has almost no dark pixels.
        ((double)dark / (png.Width * png.Height)).Should().BeInRange(0.005, 0.5, id);
    }

    [Fact]
    public void Text_is_drawn_with_the_shipped_font_whatever_the_machine_has()
    {
        // Two SVGs that differ only in the font family they ask for render to identical pixels: the family is
        // always resolved to the embedded Liberation Sans, never to a system font.
        var svg = SvgRenderer.Render(SampleReports.Flow());
        var other = svg.Replace(FigureStyle.FontFamily, "'No Such Font', serif", StringComparison.Ordinal);
        other.Should().NotBe(svg);
        FigureExport.Png(other, 300).Should().Equal(FigureExport.Png(svg, 300));
    }

    [Theory]
    [MemberData(nameof(Figures))]
    public void A_pdf_is_one_vector_page_of_the_print_size_with_the_font_embedded(string id)
    {
        var figure = Figure(id);
        var svg = SvgRenderer.Render(figure);
        var (widthMm, heightMm) = StatedSize(svg);
        var bytes = FigureExport.Pdf(svg, figure.Title);
        var text = Encoding.Latin1.GetString(bytes);
        text.Should().StartWith("%PDF-");
        Regex.Count(text, @"/Type\s*/Page\b").Should().Be(1);
        var box = Regex.Match(text, @"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]");
        box.Success.Should().BeTrue();
        double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeApproximately(widthMm / 25.4 * 72, 0.5, "points = mm / 25.4 * 72");
        double.Parse(box.Groups[2].Value, CultureInfo.InvariantCulture).Should().BeApproximately(heightMm / 25.4 * 72, 0.5);
        text.Should().Contain("LiberationSans").And.Contain("/FontFile2", "the shipped font is embedded, so the text prints the same anywhere");
        text.Should().NotContain("/Subtype /Image", "the figure is vector, not a picture");
    }

    [Fact]
    public void Png_and_pdf_bytes_depend_only_on_the_svg()
    {
        var svg = SvgRenderer.Render(SampleReports.SmallKaplanMeier());
        FigureExport.Png(svg, 600).Should().Equal(FigureExport.Png(svg, 600));
        FigureExport.Pdf(svg, "t").Should().Equal(FigureExport.Pdf(svg, "t"));
        Encoding.Latin1.GetString(FigureExport.Pdf(svg, "t")).Should().NotContain("CreationDate");
    }

    [Fact]
    public void Markup_that_is_not_svg_is_an_argument_error()
    {
        var act = () => FigureExport.Png("<html>", 300);
        act.Should().Throw<ArgumentException>();
        var range = () => FigureExport.Png(SvgRenderer.Render(SampleReports.Flow()), 10);
        range.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
