using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace StaticNet.Benchmarks;

/// <summary>
/// How long it takes just to stream the weights (and Adam's state) once, from whichever cache level holds them after
/// the previous call: the floor under a batch-1 call, which must read every weight at least once. Reads are summed with
/// four independent <see cref="Vector256{T}"/> accumulators; the Adam-sized pass reads θ, g, m, v and writes θ, m, v
/// with trivial arithmetic, the memory traffic of one fused Adam step. Buffers are 64-byte aligned.
/// </summary>
[BenchmarkCategory("Memory")]
[Config(typeof(BenchmarkConfig))]
public class MemoryRoofline
{
    private const int Small = 784 * 128;                     // layers.0.weight of 784-128-10: 401,408 bytes
    private const int Wide = 784 * 512 + 512 * 512;          // the two big weight matrices of 784-512-512-10: 2,654,208 bytes
    private const int SmallParameters = 101_770;             // 784-128-10
    private const int WideParameters = 669_706;              // 784-512-512-10

    /// <summary>Bytes read plus written by one call of <paramref name="method"/>, for the GB/s column.</summary>
    public static long? Bytes(string method) => method switch
    {
        nameof(Read_784x128) => 4L * Small,
        nameof(Read_784x512_512x512) => 4L * Wide,
        nameof(AdamTraffic_784_128_10) => 4L * 7 * SmallParameters,
        nameof(AdamTraffic_784_512_512_10) => 4L * 7 * WideParameters,
        _ => null,
    };

    private float[] _buffer = [];
    private int _start;

    [GlobalSetup]
    public void Setup()
    {
        // One pinned buffer: a 64-byte aligned start, then the largest region any method touches (4 arrays of the wide network's P).
        int length = 4 * (WideParameters + 16);
        _buffer = GC.AllocateArray<float>(length + 16, pinned: true);
        nint address = Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0);
        _start = (int)((64 - (address & 63)) & 63) / sizeof(float);
        var random = new Random(BenchmarkData.Seed);
        for (int i = 0; i < _buffer.Length; i++) _buffer[i] = (float)random.NextDouble() * 0.01f;
        Console.WriteLine($"// Vector256.IsHardwareAccelerated = {Vector256.IsHardwareAccelerated}, kernel path {Simd.Active}");
    }

    [Benchmark(Description = "Read_784x128: layers.0.weight of 784-128-10, 401 KB")]
    public float Read_784x128() => Sum(_buffer.AsSpan(_start, Small));

    [Benchmark(Description = "Read_784x512_512x512: weights of 784-512-512-10, 2.65 MB")]
    public float Read_784x512_512x512() => Sum(_buffer.AsSpan(_start, Wide));

    [Benchmark(Description = "AdamTraffic_784_128_10: read 4·P, write 3·P floats, P = 101,770 (2.8 MB)")]
    public void AdamTraffic_784_128_10() => ReadWrite(SmallParameters);

    [Benchmark(Description = "AdamTraffic_784_512_512_10: read 4·P, write 3·P floats, P = 669,706 (18.8 MB)")]
    public void AdamTraffic_784_512_512_10() => ReadWrite(WideParameters);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(ReadOnlySpan<float> data)
    {
        ref float r = ref MemoryMarshal.GetReference(data);
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int n = data.Length, i = 0; // both sizes are multiples of 32
        for (; i <= n - 32; i += 32)
        {
            s0 += Vector256.LoadUnsafe(ref r, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref r, (nuint)(i + 8));
            s2 += Vector256.LoadUnsafe(ref r, (nuint)(i + 16));
            s3 += Vector256.LoadUnsafe(ref r, (nuint)(i + 24));
        }
        return Vector256.Sum((s0 + s1) + (s2 + s3));
    }

    /// <summary>θ, g, m, v of <paramref name="count"/> floats each (each array 64-byte aligned): read all four, write θ, m, v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadWrite(int count)
    {
        int stride = (count + 15) & ~15;
        ref float theta = ref _buffer[_start];
        ref float g = ref Unsafe.Add(ref theta, stride);
        ref float m = ref Unsafe.Add(ref theta, 2 * stride);
        ref float v = ref Unsafe.Add(ref theta, 3 * stride);
        Vector256<float> half = Vector256.Create(0.5f);
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            Vector256<float> gi = Vector256.LoadUnsafe(ref g, (nuint)i);
            // Averages keep every value in [0, 0.01]: no growth and no subnormals, however many calls.
            (half * (Vector256.LoadUnsafe(ref m, (nuint)i) + gi)).StoreUnsafe(ref m, (nuint)i);
            (half * (Vector256.LoadUnsafe(ref v, (nuint)i) + gi)).StoreUnsafe(ref v, (nuint)i);
            (half * (Vector256.LoadUnsafe(ref theta, (nuint)i) + gi)).StoreUnsafe(ref theta, (nuint)i);
        }
        for (; i < count; i++)
        {
            float gi = Unsafe.Add(ref g, i);
            Unsafe.Add(ref m, i) = 0.5f * (Unsafe.Add(ref m, i) + gi);
            Unsafe.Add(ref v, i) = 0.5f * (Unsafe.Add(ref v, i) + gi);
            Unsafe.Add(ref theta, i) = 0.5f * (Unsafe.Add(ref theta, i) + gi);
        }
    }
}
