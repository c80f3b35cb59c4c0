using System.Buffers.Binary;
using System.IO.Compression;

namespace StaticNet.Fuzz.Files;

/// <summary>One mutated IDX file, what was done to it, and the size its uncompressed form may reach.</summary>
public sealed record IdxMutation(string What, byte[] Bytes, bool Gzip);

/// <summary>
/// Mutates IDX files (MNIST images [n, 28, 28] and labels [n], raw and gzip): bit flips in the header, the data and the
/// compressed stream; truncation and extra bytes; dimensions made huge, negative or zero; rank and type-code changes;
/// concatenated gzip members; random bytes. A pure function of the seed and the mutation's index.
/// </summary>
public static class IdxMutator
{
    public static byte[] Build(byte type, int[] shape, ReadOnlySpan<byte> data)
    {
        byte[] bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes.AsSpan(4 + 4 * shape.Length));
        return bytes;
    }

    public static byte[] Gzip(ReadOnlySpan<byte> raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(raw);
        return output.ToArray();
    }

    /// <summary>The largest uncompressed file a mutation starts from (50 images), for the allocation bound.</summary>
    public const int LargestRaw = 4 + 12 + 50 * 784;

    public static IdxMutation Create(int index)
    {
        Random r = FuzzSettings.RandomFor(3, index);
        int count = 1 + r.Next(50);
        bool images = r.Next(2) == 0;
        byte[] data = new byte[images ? count * 784 : count];
        r.NextBytes(data);
        if (!images) for (int i = 0; i < data.Length; i++) data[i] %= 10;
        int[] shape = images ? [count, 28, 28] : [count];
        byte[] raw = Build(0x08, shape, data);
        bool gzip = r.Next(2) == 0;
        string what;
        switch (r.Next(10))
        {
            case 0:
            {
                int bit = r.Next(8 * (4 + 4 * shape.Length));
                raw[bit / 8] ^= (byte)(1 << (bit % 8));
                what = $"header bit {bit} flipped";
                break;
            }
            case 1:
            {
                int dim = r.Next(shape.Length);
                int value = Pick(r, [int.MaxValue, int.MinValue, -1, 0, 1 << 30, 0x7FFFFFC7, 65536, count + 1, count - 1, 46341]);
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4 + 4 * dim), value);
                what = $"dimension {dim} set to {value}";
                break;
            }
            case 2:
            {
                raw[3] = (byte)Pick(r, [0, 2, 4, 255, shape.Length + 1]);
                what = $"rank set to {raw[3]}";
                break;
            }
            case 3:
            {
                raw[2] = (byte)Pick(r, [0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0x07, 0xFF, 0x10]);
                what = $"type code 0x{raw[2]:X2}";
                break;
            }
            case 4:
            {
                raw[r.Next(2)] = (byte)(1 + r.Next(255));
                what = "magic zero bytes changed";
                break;
            }
            case 5:
            {
                raw = raw[..r.Next(raw.Length)];
                what = $"raw truncated to {raw.Length} bytes";
                break;
            }
            case 6:
            {
                byte[] extra = new byte[1 + r.Next(8)];
                raw = [.. raw, .. extra];
                what = $"{extra.Length} bytes appended to the raw data";
                break;
            }
            case 7:
            {
                // A huge declared count with little data: the 2 GB allocation of the issue.
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), Pick(r, [0x7FFFFFC7 / (images ? 784 : 1), int.MaxValue / 784, 2_000_000]));
                raw = raw[..Math.Min(raw.Length, 4 + 4 * shape.Length + r.Next(500))];
                gzip = true;
                what = "huge count, little data";
                break;
            }
            case 8:
            {
                byte[] junk = new byte[r.Next(40)];
                r.NextBytes(junk);
                if (junk.Length >= 2 && r.Next(2) == 0) { junk[0] = 0x1f; junk[1] = 0x8b; }
                return new IdxMutation($"{junk.Length} random bytes", junk, false);
            }
            default:
            {
                byte[] compressed = Gzip(raw);
                switch (r.Next(4))
                {
                    case 0:
                        int bit = r.Next(8 * compressed.Length);
                        compressed[bit / 8] ^= (byte)(1 << (bit % 8));
                        return new IdxMutation($"gzip bit {bit} flipped", compressed, true);
                    case 1:
                        return new IdxMutation("gzip truncated", compressed[..r.Next(compressed.Length)], true);
                    case 2:
                        return new IdxMutation("two gzip members", [.. compressed, .. Gzip([1, 2, 3])], true);
                    default:
                        return new IdxMutation("gzip with garbage after it", [.. compressed, 0, 0, 0, 7], true);
                }
            }
        }
        return new IdxMutation(what + (gzip ? ", gzip" : ""), gzip ? Gzip(raw) : raw, gzip);
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];
}
