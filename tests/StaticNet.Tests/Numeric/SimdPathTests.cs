using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticNet.Tests.Numeric;

/// <summary>
/// Proves which kernel path runs, so the ISA matrix in .ci/run cannot silently test one path
/// three times. .ci/run sets STATICNET_EXPECT_SIMD to the path each leg must take.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class SimdPathTests
{
    private static bool Disabled(string variable) => Environment.GetEnvironmentVariable(variable) == "0";

    [Fact]
    public void The_kernel_path_is_the_one_the_matrix_leg_asks_for()
    {
        string? expected = Environment.GetEnvironmentVariable("STATICNET_EXPECT_SIMD");
        if (expected is not null)
        {
            Assert.Equal(Enum.Parse<SimdPath>(expected), DigitNet.KernelPath);
            Assert.Equal(DigitNet.KernelPath, OddRegressionNet.KernelPath);
        }
        else
        {
            // Outside the matrix the kernels must take the hardware's path, not a forced one.
            Assert.Equal(Simd.Active, DigitNet.KernelPath);
        }
    }

    [Fact]
    public void Runtime_switches_that_are_off_keep_their_path_off()
    {
        if (Disabled("DOTNET_EnableHWIntrinsic")) Assert.Equal(SimdPath.Scalar, Simd.Active);
        if (Disabled("DOTNET_EnableAVX2")) Assert.True(Simd.Active <= SimdPath.Vector128, $"AVX2 is off but the path is {Simd.Active}");
        if (Disabled("DOTNET_EnableAVX512")) Assert.True(Simd.Active <= SimdPath.Vector256, $"AVX-512 is off but the path is {Simd.Active}");
    }

    [Fact]
    public void The_active_path_agrees_with_the_hardware_the_runtime_reports()
    {
        Assert.Equal(Vector512.IsHardwareAccelerated, Simd.Active == SimdPath.Vector512);
        Assert.Equal(!Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated, Simd.Active == SimdPath.Vector256);
        if (Simd.Active == SimdPath.Vector256)
        {
            // The AVX2 path relies on FMA for its fused multiply-adds.
            Assert.True(Avx2.IsSupported && Fma.IsSupported, "the Vector256 path runs without AVX2 + FMA");
        }
    }
}
