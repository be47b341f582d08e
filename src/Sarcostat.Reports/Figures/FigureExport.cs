using System.Globalization;
using SkiaSharp;
using Svg.Skia;
using Svg.Skia.TypefaceProviders;

namespace Sarcostat.Reports.Figures;

/// <summary>
/// Turns a figure's SVG drawing into the files journals ask for: PNG at a chosen resolution and vector PDF, drawn from
/// the same SVG markup that is delivered as <c>.svg</c>, so the three formats cannot disagree.
/// </summary>
/// <remarks>
/// <para>The SVG gives its print size in millimetres (<c>width="85mm"</c>); Svg.Skia reads it as CSS pixels at 96 per
/// inch. A PNG at <c>dpi</c> is therefore drawn at scale dpi/96 (an 85 mm figure at 300 dpi is 1004 pixels wide) and
/// says its resolution in its pHYs chunk; a PDF page is the figure's print size in points (scale 72/96).</para>
/// <para>Text is drawn with Liberation Sans, shipped inside this assembly (SIL Open Font License), whatever font
/// family the SVG names and whatever fonts the machine has: its advance widths are Arial's and Helvetica's, which the
/// layout (<c>TextMeasure</c>) assumes, so labels fit their boxes on every machine.</para>
/// <para>Output depends only on the SVG: the PNG encoder and the PDF writer (no creation date) are deterministic.</para>
/// </remarks>
public static partial class FigureExport
{
    /// <summary>The resolutions written beside every SVG figure (300 dpi for review, 600 dpi for print).</summary>
    public static readonly IReadOnlyList<int> Resolutions = [300, 600];

    private const float CssPixelsPerInch = 96f;

    /// <summary>Renders SVG markup as a PNG image at <paramref name="dpi"/> dots per inch of its print size, on white.</summary>
    /// <param name="svg">A standalone SVG document (as <c>SvgRenderer.Render</c> writes it).</param>
    /// <param name="dpi">Resolution, 72 to 2400.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentException">The markup is not a drawable SVG, or <paramref name="dpi"/> is out of range.</exception>
    public static byte[] Png(string svg, int dpi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(svg);
        ArgumentOutOfRangeException.ThrowIfLessThan(dpi, 72);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dpi, 2400);
        using var document = Load(svg);
        var picture = document.Picture!;
        var bounds = picture.CullRect;
        var (widthMm, heightMm) = PrintSize(svg, bounds);
        var width = Math.Max(1, (int)Math.Round(widthMm / 25.4 * dpi));
        var height = Math.Max(1, (int)Math.Round(heightMm / 25.4 * dpi));
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(width / bounds.Width, height / bounds.Height);
            canvas.Translate(-bounds.Left, -bounds.Top);
            canvas.DrawPicture(picture);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return PngResolution.WithPhysicalSize(data.ToArray(), dpi);
    }

    /// <summary>Renders SVG markup as a one-page vector PDF whose page is the figure's print size.</summary>
    /// <param name="svg">A standalone SVG document.</param>
    /// <param name="title">The PDF's title (the figure's title).</param>
    /// <returns>The PDF file's bytes.</returns>
    /// <exception cref="ArgumentException">The markup is not a drawable SVG.</exception>
    public static byte[] Pdf(string svg, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(svg);
        using var document = Load(svg);
        var picture = document.Picture!;
        var bounds = picture.CullRect;
        var (widthMm, heightMm) = PrintSize(svg, bounds);
        var pageWidth = (float)(widthMm / 25.4 * 72);
        var pageHeight = (float)(heightMm / 25.4 * 72);
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title ?? string.Empty,
            Creator = "Sarcostat",
            Producer = "Sarcostat (SkiaSharp)",
            RasterDpi = 300,
            EncodingQuality = 101,
            PdfA = false,
            Creation = null,
            Modified = null,
        };
        using (var pdf = SKDocument.CreatePdf(stream, metadata))
        {
            var canvas = pdf.BeginPage(pageWidth, pageHeight);
            canvas.Scale(pageWidth / bounds.Width, pageHeight / bounds.Height);
            canvas.Translate(-bounds.Left, -bounds.Top);
            canvas.DrawPicture(picture);
            pdf.EndPage();
            pdf.Close();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The print size in millimetres: the root's <c>width</c> and <c>height</c> when given in mm (as every Sarcostat
    /// figure states them; Svg.Skia rounds them to whole CSS pixels), else the drawing's size at 96 CSS pixels per inch.
    /// </summary>
    private static (double Width, double Height) PrintSize(string svg, SKRect bounds)
    {
        var root = RootSize().Match(svg);
        if (root.Success
            && double.TryParse(root.Groups["w"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
            && double.TryParse(root.Groups["h"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
            && w > 0 && h > 0)
        {
            return (w, h);
        }

        return (bounds.Width / CssPixelsPerInch * 25.4, bounds.Height / CssPixelsPerInch * 25.4);
    }

    [System.Text.RegularExpressions.GeneratedRegex("<svg\\b[^>]*?\\swidth=\"(?<w>[0-9.]+)mm\"[^>]*?\\sheight=\"(?<h>[0-9.]+)mm\"")]
    private static partial System.Text.RegularExpressions.Regex RootSize();

    private static SKSvg Load(string svg)
    {
        var document = new SKSvg();
        document.Settings.TypefaceProviders = [EmbeddedFont.Provider];
        SKPicture? picture;
        try
        {
            picture = document.FromSvg(svg);
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidOperationException or FormatException)
        {
            document.Dispose();
            throw new ArgumentException("The figure's SVG markup could not be read: " + e.Message, nameof(svg), e);
        }

        if (picture is null || picture.CullRect.Width <= 0 || picture.CullRect.Height <= 0)
        {
            document.Dispose();
            throw new ArgumentException("The figure's SVG markup has no drawable size.", nameof(svg));
        }

        return document;
    }

    /// <summary>Liberation Sans from this assembly's resources, by weight and slant.</summary>
    private sealed class EmbeddedFont : ITypefaceProvider
    {
        public static readonly EmbeddedFont Provider = new();

        private static readonly Lazy<SKTypeface> Regular = new(() => FromResource("LiberationSans-Regular.ttf"));
        private static readonly Lazy<SKTypeface> Bold = new(() => FromResource("LiberationSans-Bold.ttf"));
        private static readonly Lazy<SKTypeface> Italic = new(() => FromResource("LiberationSans-Italic.ttf"));
        private static readonly Lazy<SKTypeface> BoldItalic = new(() => FromResource("LiberationSans-BoldItalic.ttf"));

        public SKTypeface? FromFamilyName(string fontFamily, SKFontStyleWeight fontWeight, SKFontStyleWidth fontWidth, SKFontStyleSlant fontStyle)
        {
            var bold = fontWeight >= SKFontStyleWeight.SemiBold;
            var italic = fontStyle != SKFontStyleSlant.Upright;
            return (bold, italic) switch
            {
                (true, true) => BoldItalic.Value,
                (true, false) => Bold.Value,
                (false, true) => Italic.Value,
                _ => Regular.Value,
            };
        }

        private static SKTypeface FromResource(string file)
        {
            var name = "Sarcostat.Reports.Fonts." + file;
            using var stream = typeof(FigureExport).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The font resource {name} is missing from the assembly."));
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            using var data = SKData.CreateCopy(copy.ToArray());
            return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"The font resource {name} could not be loaded.");
        }
    }
}
