using System.Buffers.Binary;
using System.IO.Compression;

namespace Sarcostat.Reports.Tests;

/// <summary>A minimal PNG reader (8-bit RGB/RGBA, non-interlaced: what Chromium writes) for checking screenshots.</summary>
internal sealed class Png
{
    private Png(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Pixels, three bytes each, row by row.</summary>
    public byte[] Rgb { get; }

    public (byte R, byte G, byte B) this[int x, int y] => (Rgb[((y * Width) + x) * 3], Rgb[(((y * Width) + x) * 3) + 1], Rgb[(((y * Width) + x) * 3) + 2]);

    public static Png Read(byte[] file)
    {
        byte[] signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (!file.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var pos = 8; pos < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (depth, colour, interlace) = (data[8], data[9], data[12]);
                if (depth != 8 || interlace != 0 || (colour != 2 && colour != 6))
                {
                    throw new InvalidDataException($"Unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}.");
                }

                channels = colour == 2 ? 3 : 4;
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, (y * (stride + 1)) + 1, current, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0;
                int b = previous[i];
                int c = i >= channels ? previous[i - channels] : 0;
                current[i] = filter switch
                {
                    0 => current[i],
                    1 => (byte)(current[i] + a),
                    2 => (byte)(current[i] + b),
                    3 => (byte)(current[i] + ((a + b) / 2)),
                    4 => (byte)(current[i] + Paeth(a, b, c)),
                    _ => throw new InvalidDataException($"Bad PNG filter {filter} in row {y}."),
                };
            }

            for (var x = 0; x < width; x++)
            {
                Array.Copy(current, x * channels, rgb, ((y * width) + x) * 3, 3);
            }

            (previous, current) = (current, previous);
        }

        return new Png(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
