using System.Runtime.Intrinsics;

namespace StaticNet;

/// <summary>The code path generated kernels take on this machine, fixed when the JIT compiles them.</summary>
public enum SimdPath
{
    /// <summary>Neither vector path is accelerated: the portable Vector128 code runs in software.</summary>
    Scalar = 0,
    /// <summary>The portable path, <see cref="Vector128{T}"/> (SSE, NEON).</summary>
    Vector128 = 1,
    /// <summary>The AVX2 + FMA path, <see cref="Vector256{T}"/>.</summary>
    Vector256 = 2,
    /// <summary>The AVX-512 path, <see cref="Vector512{T}"/>.</summary>
    Vector512 = 3,
}

/// <summary>Which <see cref="SimdPath"/> is active.</summary>
public static class Simd
{
    /// <summary>
    /// The path generated kernels take: the same <c>IsHardwareAccelerated</c> tests, in the
    /// same order, that the generator emits in front of every kernel.
    /// </summary>
    public static SimdPath Active =>
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512 :
        Vector256.IsHardwareAccelerated ? SimdPath.Vector256 :
        Vector128.IsHardwareAccelerated ? SimdPath.Vector128 :
        SimdPath.Scalar;
}
