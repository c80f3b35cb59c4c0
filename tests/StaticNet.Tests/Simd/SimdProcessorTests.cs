using System.Runtime.Intrinsics.X86;

namespace StaticNet.Tests.SimdChecks;

/// <summary>
/// <see cref="Simd.Processor"/> reads CPUID itself (a NativeAOT binary cannot ask the runtime about instruction sets it
/// was not compiled for); under the JIT, with no DOTNET_Enable* setting, it must agree with the runtime's own reading.
/// </summary>
public sealed class SimdProcessorTests
{
    private static bool RuntimeSettingsRestrictIsas() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k =>
            k.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_Enable", StringComparison.OrdinalIgnoreCase) ||
            k.Equals("DOTNET_PreferredVectorBitWidth", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Processor_agrees_with_the_runtimes_instruction_sets_and_is_never_narrower_than_the_active_path()
    {
        Assert.True(Simd.Processor >= Simd.Active, $"processor {Simd.Processor}, active {Simd.Active}");
        Assert.False(Simd.IsNativeAot);
        if (!X86Base.IsSupported)
        {
            Assert.Equal(SimdPath.Vector128, Simd.Processor);
            return;
        }
        if (RuntimeSettingsRestrictIsas()) return; // the runtime's flags then describe its settings, not the processor
        bool avx512 = Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512CD.IsSupported && Avx512DQ.IsSupported;
        SimdPath expected = Avx2.IsSupported && Fma.IsSupported ? (avx512 ? SimdPath.Vector512 : SimdPath.Vector256) : SimdPath.Vector128;
        Assert.Equal(expected, Simd.Processor);
    }

    [Fact]
    public void Describe_names_the_active_path_and_explains_a_narrower_one()
    {
        string text = Simd.Describe();
        Assert.StartsWith($"StaticNet kernels: {Simd.Active} (", text, StringComparison.Ordinal);
        if (Simd.Active == Simd.Processor)
        {
            Assert.EndsWith("the widest path this processor has.", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"although this processor has {Simd.Processor} (", text, StringComparison.Ordinal);
            Assert.Contains("the runtime did not enable it", text, StringComparison.Ordinal); // under the JIT; the NativeAOT wording is checked by the packaging test
        }
    }
}
