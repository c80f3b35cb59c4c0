using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace StaticNet.Benchmarks;

/// <summary>
/// The machine's FP32 multiply-add peak on one core, measured in the same run as the kernels so
/// that their figures can be given as a fraction of it: 12 independent accumulator chains (enough
/// to cover FMA latency × throughput on current x86 cores), 1,000,000 iterations, no memory
/// traffic. GFLOP/s = 2 · lanes · 12 · 1,000,000 / mean time.
/// The % of peak column divides by the larger of the two (the machine's peak).
/// </summary>
[BenchmarkCategory("Peak")]
[Config(typeof(BenchmarkConfig))]
public class FmaPeak
{
    private const int Iterations = 1_000_000;

    /// <summary>FLOPs of one call of a benchmark here with vectors of <paramref name="lanes"/> floats.</summary>
    public static double Flops(int lanes) => 2.0 * lanes * 12 * Iterations;

    [Benchmark(Description = "FMA peak, Vector256 (2·8·12·10⁶ FLOP)")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Vector256Peak()
    {
        Vector256<float> a = Vector256.Create(0.999f), b = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [Benchmark(Description = "FMA peak, Vector512 (2·16·12·10⁶ FLOP; not run without AVX-512)")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Vector512Peak()
    {
        if (!Vector512.IsHardwareAccelerated) return float.NaN; // nothing to measure: reported as ~0 ns
        Vector512<float> a = Vector512.Create(0.999f), b = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
