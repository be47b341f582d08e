using System.Buffers.Binary;
using System.IO.Hashing;

namespace Sarcostat.Reports.Figures;

/// <summary>Writes a PNG's pHYs chunk (pixels per metre), so that Word and journals' systems read the intended dpi.</summary>
internal static class PngResolution
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Returns <paramref name="png"/> with a pHYs chunk saying <paramref name="dpi"/> (PNG specification 11.3.5.3:
    /// pixels per unit as 4-byte big-endian integers, unit 1 = metre), inserted right after IHDR; an existing pHYs
    /// chunk is replaced.
    /// </summary>
    public static byte[] WithPhysicalSize(byte[] png, int dpi)
    {
        if (png.Length < 33 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new ArgumentException("Not a PNG file.", nameof(png));
        }

        var perMetre = (uint)Math.Round(dpi / 0.0254);
        var chunk = new byte[4 + 4 + 9 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, 9);
        "pHYs"u8.CopyTo(chunk.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), perMetre);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(12), perMetre);
        chunk[16] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(17), Crc32.HashToUInt32(chunk.AsSpan(4, 13)));

        using var output = new MemoryStream(png.Length + chunk.Length);
        output.Write(png, 0, 8);
        var at = 8;
        var inserted = false;
        while (at + 8 <= png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = png.AsSpan(at + 4, 4);
            var total = 12 + length;
            if (!type.SequenceEqual("pHYs"u8))
            {
                output.Write(png, at, total);
            }

            if (!inserted && type.SequenceEqual("IHDR"u8))
            {
                output.Write(chunk);
                inserted = true;
            }

            at += total;
        }

        return output.ToArray();
    }
}
