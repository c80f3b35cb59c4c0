using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

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

/// <summary>Which <see cref="SimdPath"/> is active, and which one the processor could run.</summary>
public static class Simd
{
    /// <summary>
    /// The path generated kernels take: the same <c>IsHardwareAccelerated</c> tests, in the
    /// same order, that the generator emits in front of every kernel. Under the JIT this is what the
    /// processor and the runtime's settings allow; in a NativeAOT binary it is fixed when the binary is
    /// compiled, by its instruction set (<c>IlcInstructionSet</c>; see the README's NativeAOT section).
    /// </summary>
    public static SimdPath Active =>
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512 :
        Vector256.IsHardwareAccelerated ? SimdPath.Vector256 :
        Vector128.IsHardwareAccelerated ? SimdPath.Vector128 :
        SimdPath.Scalar;

    /// <summary>
    /// The widest path this processor has, read from CPUID on x86 (AVX-512 F, CD, BW, DQ and VL for
    /// <see cref="SimdPath.Vector512"/>; AVX2 and FMA for <see cref="SimdPath.Vector256"/>), whatever this
    /// binary was compiled for or the runtime enabled. <see cref="SimdPath.Vector128"/> on Arm64 (NEON; the
    /// kernels have no wider Arm path). When it is wider than <see cref="Active"/>, the kernels could run faster:
    /// <see cref="Describe"/> says why they do not.
    /// </summary>
    public static SimdPath Processor { get; } = DetectProcessor();

    /// <summary>True in a NativeAOT binary (no JIT: the instruction set was fixed at publish time).</summary>
    public static bool IsNativeAot => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>
    /// One sentence on the kernels' path: <see cref="Active"/>, and when the processor has a wider one, why it is
    /// not taken and how to get it (for a NativeAOT binary, the instruction set to publish with).
    /// </summary>
    public static string Describe()
    {
        SimdPath active = Active, processor = Processor;
        string kernels = $"StaticNet kernels: {Name(active)}";
        if (active >= processor) return $"{kernels}, the widest path this processor has.";
        if (IsNativeAot)
        {
            string set = processor == SimdPath.Vector512 ? "x86-64-v4" : "x86-64-v3";
            return $"{kernels}, although this processor has {Name(processor)}: this NativeAOT binary was compiled for an instruction set without it. " +
                   $"Publish with -p:IlcInstructionSet={set} (it then starts only on processors with {Name(processor)}) or -p:IlcInstructionSet=native (this processor's).";
        }
        return $"{kernels}, although this processor has {Name(processor)}: the runtime did not enable it " +
               "(a DOTNET_EnableAVX2/DOTNET_EnableAVX512/DOTNET_PreferredVectorBitWidth setting, or the runtime's choice for this processor model).";
    }

    private static string Name(SimdPath path) => path switch
    {
        SimdPath.Vector512 => "Vector512 (AVX-512)",
        SimdPath.Vector256 => "Vector256 (AVX2 + FMA)",
        SimdPath.Vector128 => X86Base.IsSupported ? "Vector128 (SSE)" : "Vector128 (NEON)",
        _ => "Scalar (no vector acceleration)",
    };

    private static SimdPath DetectProcessor()
    {
        if (X86Base.IsSupported)
        {
            (int maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
            (_, _, int ecx1, _) = X86Base.CpuId(1, 0);
            bool osSavesAvxState = (ecx1 & (1 << 27)) != 0; // OSXSAVE: the OS manages the extended register state
            bool fma = (ecx1 & (1 << 12)) != 0;
            if (maxLeaf < 7 || !osSavesAvxState) return SimdPath.Vector128;
            (_, int ebx7, _, _) = X86Base.CpuId(7, 0);
            const int Avx512Bits = (1 << 16) | (1 << 17) | (1 << 28) | (1 << 30) | unchecked((int)(1u << 31)); // F, DQ, CD, BW, VL
            bool avx2 = (ebx7 & (1 << 5)) != 0;
            if (avx2 && fma && (ebx7 & Avx512Bits) == Avx512Bits) return SimdPath.Vector512;
            return avx2 && fma ? SimdPath.Vector256 : SimdPath.Vector128;
        }
        if (AdvSimd.IsSupported) return SimdPath.Vector128;
        return Vector128.IsHardwareAccelerated ? SimdPath.Vector128 : SimdPath.Scalar;
    }
}
